/**
 * "Show calendars": one week per matching physician × location, free slots (green) and booked slots (red), in the
 * location's time zone. The number of queries is constant — scope, physicians, schedules, exceptions, the week's
 * bookings, and the details of the viewer's own bookings — however many physicians or days are shown. A partner's
 * browser only ever learns "booked" for other organisations' bookings: their details are never read.
 */
import { and, asc, gt, inArray, lt, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { bookings, organisations, patients, scheduleExceptions, schedules, services } from '../../db/schema';
import { computeFreeSlots, type Interval } from '../domain/slots';
import { addDays, instantToLocal, mondayOf } from '../domain/zoned-time';
import type { ScheduleException, ScheduleRule } from '../domain/schedule';
import { physiciansOf, servicesFor, type Scope } from './scope';
import { selectFromBookings } from './joins';
import type { CalendarFilters } from './schemas';
import { AccessDenied } from '../authz';

/** At most this many physician × location calendars per request (the page asks to narrow the filters beyond it). */
export const MAX_COLUMNS = 30;

export type BookingSourceKind = 'online' | 'phone' | 'staff' | 'partner';
export interface BookingSource { kind: BookingSourceKind; partnerName: string | null }

export interface BookedSlot {
  startsAt: string;
  endsAt: string;
  bookingId: number | null;
  details: null | {
    serviceId: number; serviceName: string; patientName: string | null; status: string; paymentStatus: string; source: BookingSource;
  };
}

export interface CalendarColumn {
  institutionId: number;
  institutionName: string;
  partnershipId: number | null;
  physicianId: number;
  physicianName: string;
  locationId: number;
  locationName: string;
  timeZone: string;
  serviceIds: number[];
  slotMinutes: number;
  days: { date: string; free: { startsAt: string; endsAt: string }[]; booked: BookedSlot[] }[];
}

export interface CalendarWeek { weekStart: string; dates: string[]; calendars: CalendarColumn[]; truncated: boolean }

/** Whose bookings the viewer may see in full: its own organisation's (a partner) or every one of its institution's. */
export type Viewer = { kind: 'booker'; organisationId: number } | { kind: 'institution'; institutionId: number };

/** The longest service the catalogue allows (minutes): bounds the overlap search through (physician_id, starts_at). */
export const MAX_DURATION_MINUTES = 600;

/**
 * A filter naming a location, physician, service or qualification the viewer cannot see is refused as not found,
 * naming the field (an empty calendar would read as "nobody works there").
 */
function checkFilters(scopes: Scope[], physicianRows: { id: number; qualificationIds: number[] }[], filters: CalendarFilters) {
  const has = (id: number | undefined, ids: Iterable<number>) => id === undefined || new Set(ids).has(id);
  if (!has(filters.locationId, scopes.flatMap((s) => s.locations.map((l) => l.id)))) throw new AccessDenied('bookings.filter_location_not_found', 'locationId');
  if (!has(filters.physicianId, physicianRows.map((p) => p.id))) throw new AccessDenied('bookings.filter_physician_not_found', 'physicianId');
  if (!has(filters.serviceId, scopes.flatMap((s) => s.services.map((x) => x.id)))) throw new AccessDenied('bookings.filter_service_not_found', 'serviceId');
  const qualifications = [...scopes.flatMap((s) => s.services.map((x) => x.qualificationId)), ...physicianRows.flatMap((p) => p.qualificationIds)];
  if (!has(filters.qualificationId, qualifications)) throw new AccessDenied('bookings.filter_qualification_not_found', 'qualificationId');
}

export async function buildCalendars(db: Executor, scopes: Scope[], filters: CalendarFilters, viewer: Viewer, now: Date): Promise<CalendarWeek> {
  const weekStart = mondayOf(filters.weekStart);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
  const physicianRows = await physiciansOf(db, scopes.map((s) => s.institutionId));
  checkFilters(scopes, physicianRows, filters);

  type Candidate = { scope: Scope; physician: (typeof physicianRows)[number]; location: Scope['locations'][number]; serviceIds: number[]; slotMinutes: number };
  const candidates: Candidate[] = [];
  for (const scope of scopes) {
    for (const location of scope.locations) {
      if (filters.locationId && location.id !== filters.locationId) continue;
      for (const physician of physicianRows) {
        if (filters.physicianId && physician.id !== filters.physicianId) continue;
        let svcs = servicesFor(scope, physician, location.id);
        if (filters.qualificationId) svcs = svcs.filter((s) => s.qualificationId === filters.qualificationId);
        if (filters.serviceId) svcs = svcs.filter((s) => s.id === filters.serviceId);
        if (svcs.length === 0) continue;
        candidates.push({
          scope, physician, location, serviceIds: svcs.map((s) => s.id), slotMinutes: Math.min(...svcs.map((s) => s.durationMinutes)),
        });
      }
    }
  }
  const physicianIds = [...new Set(candidates.map((c) => c.physician.id))];
  if (physicianIds.length === 0) return { weekStart, dates, calendars: [], truncated: false };

  // Only columns where the physician works at that location at some time (or has bookings) are worth showing.
  const [rules, exceptions] = await Promise.all([
    db.select().from(schedules).where(inArray(schedules.physicianId, physicianIds)),
    db.select().from(scheduleExceptions)
      .where(and(inArray(scheduleExceptions.physicianId, physicianIds), gt(scheduleExceptions.date, addDays(weekStart, -2)), lt(scheduleExceptions.date, addDays(weekStart, 9)))),
  ]);
  const scheduled = candidates.filter((c) => rules.some((r) => r.physicianId === c.physician.id && r.locationId === c.location.id
    && r.validFrom <= dates[6] && (r.validTo === null || r.validTo >= dates[0]))
    || exceptions.some((e) => e.physicianId === c.physician.id && e.locationId === c.location.id && e.kind === 'extra_hours'));
  const truncated = scheduled.length > MAX_COLUMNS;
  const columns = scheduled.slice(0, MAX_COLUMNS);
  const shownIds = [...new Set(columns.map((c) => c.physician.id))];
  if (shownIds.length === 0) return { weekStart, dates, calendars: [], truncated: false };

  // The week in every zone lies within [Monday − 1 day, Monday + 8 days] UTC; bookings may start up to the longest
  // duration earlier and still overlap it.
  const from = new Date(Date.parse(`${addDays(weekStart, -1)}T00:00:00Z`) - MAX_DURATION_MINUTES * 60_000);
  const to = new Date(`${addDays(weekStart, 8)}T00:00:00Z`);
  const busyRows = await db.select({
    id: bookings.id, physicianId: bookings.physicianId, locationId: bookings.locationId, startsAt: bookings.startsAt, endsAt: bookings.endsAt,
    bookedByOrganisationId: bookings.bookedByOrganisationId, institutionId: bookings.institutionId,
  }).from(bookings)
    .where(and(inArray(bookings.physicianId, shownIds), gt(bookings.startsAt, from), lt(bookings.startsAt, to), ne(bookings.status, 'cancelled')))
    .orderBy(asc(bookings.startsAt));

  const visible = busyRows.filter((b) => (viewer.kind === 'booker' ? b.bookedByOrganisationId === viewer.organisationId : b.institutionId === viewer.institutionId));
  const details = await bookingSummaries(db, visible.map((b) => b.id));

  const rulesOf = (physicianId: number): ScheduleRule[] => rules.filter((r) => r.physicianId === physicianId)
    .map((r) => ({ locationId: r.locationId, weekday: r.weekday, startTime: r.startTime, endTime: r.endTime, weekParity: r.weekParity, validFrom: r.validFrom, validTo: r.validTo }));
  const exceptionsOf = (physicianId: number): ScheduleException[] => exceptions.filter((e) => e.physicianId === physicianId)
    .map((e) => ({ locationId: e.locationId, date: e.date, kind: e.kind, startTime: e.startTime, endTime: e.endTime }));

  const localDate = localDates();
  // The free slots and bookings of all columns lie on a few shared instants (the slot grid): each is written out once.
  const isoOf = new Map<number, string>();
  const iso = (d: Date) => { const t = d.getTime(); let v = isoOf.get(t); if (v === undefined) { v = d.toISOString(); isoOf.set(t, v); } return v; };
  // The week's bookings by physician, once (a column is a physician at a location; a physician may have several).
  const busyByPhysician = new Map<number, typeof busyRows>();
  for (const b of busyRows) {
    const list = busyByPhysician.get(b.physicianId);
    if (list) list.push(b); else busyByPhysician.set(b.physicianId, [b]);
  }
  const calendars: CalendarColumn[] = columns.map((c) => {
    const mine = busyByPhysician.get(c.physician.id) ?? [];
    const busy: Interval[] = mine.map((b) => ({ startsAt: b.startsAt, endsAt: b.endsAt }));
    const free = computeFreeSlots({
      dates, locationId: c.location.id, timeZone: c.location.timeZone, durationMinutes: c.slotMinutes,
      rules: rulesOf(c.physician.id), exceptions: exceptionsOf(c.physician.id), busy, now,
    });
    const freeByDate = new Map(free.map((d) => [d.date, d.free]));
    // A booking at another location still blocks the physician, but is drawn only in its own location's calendar.
    // One zone conversion per distinct start (remembered across the columns): this column's bookings by local date, in order.
    const bookedByDate = new Map<string, typeof mine>();
    for (const b of mine) {
      if (b.locationId !== c.location.id) continue;
      const date = localDate(b.startsAt, c.location.timeZone);
      const list = bookedByDate.get(date);
      if (list) list.push(b); else bookedByDate.set(date, [b]);
    }
    return {
      institutionId: c.scope.institutionId, institutionName: c.scope.institutionName, partnershipId: c.scope.partnership?.id ?? null,
      physicianId: c.physician.id, physicianName: c.physician.name, locationId: c.location.id, locationName: c.location.name,
      timeZone: c.location.timeZone, serviceIds: c.serviceIds, slotMinutes: c.slotMinutes,
      days: dates.map((date) => ({
        date,
        free: (freeByDate.get(date) ?? []).map((s) => ({ startsAt: iso(s.startsAt), endsAt: iso(s.endsAt) })),
        booked: (bookedByDate.get(date) ?? []).map((b) => {
          const d = details.get(b.id);
          return { startsAt: iso(b.startsAt), endsAt: iso(b.endsAt), bookingId: d ? b.id : null, details: d ?? null };
        }),
      })),
    };
  });
  return { weekStart, dates, calendars, truncated };
}

/**
 * The local date of an instant in a zone, remembered for the request: the physicians' bookings share a few start times
 * (the slot grid), and a zone conversion costs tens of microseconds (bench/load.ts: a week of 20 physicians holds ~500
 * bookings but ~100 distinct starts).
 */
function localDates() {
  const byZone = new Map<string, Map<number, string>>();
  return (d: Date, timeZone: string) => {
    let seen = byZone.get(timeZone);
    if (!seen) { seen = new Map(); byZone.set(timeZone, seen); }
    const t = d.getTime();
    let date = seen.get(t);
    if (date === undefined) { date = instantToLocal(d, timeZone).date; seen.set(t, date); }
    return date;
  };
}

/** Service, patient name, status and source of bookings the viewer may see in full (one query). */
export async function bookingSummaries(db: Executor, ids: number[]) {
  const out = new Map<number, NonNullable<BookedSlot['details']>>();
  if (ids.length === 0) return out;
  const rows = await selectFromBookings(db, {
    id: bookings.id, serviceId: bookings.serviceId, serviceName: services.name, patientName: patients.name, status: bookings.status,
    paymentStatus: bookings.paymentStatus, sourceChannel: bookings.sourceChannel, partnerName: organisations.name,
  }, { service: true, partner: organisations, patient: true })
    .where(inArray(bookings.id, ids));
  for (const r of rows) {
    out.set(r.id, {
      serviceId: r.serviceId, serviceName: r.serviceName, patientName: r.patientName, status: r.status, paymentStatus: r.paymentStatus,
      source: { kind: r.sourceChannel, partnerName: r.sourceChannel === 'partner' ? r.partnerName : null },
    });
  }
  return out;
}
