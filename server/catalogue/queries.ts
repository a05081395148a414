/**
 * What the catalogue pages read: the institution's catalogue overview and a physician's schedule, plus the reads the
 * catalogue operations build on — the institution-owned row loaders (which lock the row inside a transaction) and the
 * future bookings a schedule change would leave outside working hours. Plain functions over an executor; no writes.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  bookings, locations, organisations, physicians, qualifications, scheduleExceptions,
  schedules, services,
} from '../../db/schema';
import { AccessDenied } from '../authz';
import type { SessionUser } from '../auth/session';
import { isWithinWorkingHours, type ScheduleException, type ScheduleRule } from '../domain/schedule';
import { physiciansOf } from '../bookings/scope';
import { TIME_ZONES } from './schemas';

/** The first row, or an AccessDenied naming the field: a row of another institution looks like a missing one. */
export async function own<T extends { organisationId: number }>(rows: T[], key: string, field: string): Promise<T> {
  if (!rows[0]) throw new AccessDenied(key, field);
  return rows[0];
}

/** The institution's physician, locked for the transaction's writes (`lock: false` for a plain read). */
export async function ownPhysician(db: Executor, user: SessionUser, id: number, lock = true) {
  const q = db.select().from(physicians).where(and(eq(physicians.id, id), eq(physicians.organisationId, user.organisationId)));
  return own(lock ? await q.for('update') : await q, 'catalogue.physician_not_found', 'physicianId');
}

export async function ownQualificationIds(db: Executor, user: SessionUser, ids: number[], field: string) {
  const unique = [...new Set(ids)];
  const found = unique.length === 0 ? [] : await db.select({ id: qualifications.id }).from(qualifications)
    .where(and(eq(qualifications.organisationId, user.organisationId), inArray(qualifications.id, unique)));
  if (found.length !== unique.length) throw new AccessDenied('catalogue.qualification_not_found', field);
  return unique;
}

export function toRule(r: typeof schedules.$inferSelect): ScheduleRule & { id: number } {
  return { id: r.id, locationId: r.locationId, weekday: r.weekday, startTime: r.startTime, endTime: r.endTime, weekParity: r.weekParity, validFrom: r.validFrom, validTo: r.validTo };
}

/** Future bookings of a physician that the given rules and exceptions would leave outside working hours. */
export async function bookingsOutsideHours(
  db: Executor, physicianId: number, rules: ScheduleRule[],
  changeExceptions: (e: ScheduleException[]) => ScheduleException[] = (e) => e,
  newTimeZone?: { locationId: number; timeZone: string },
) {
  const future = await db.select({ id: bookings.id, locationId: bookings.locationId, startsAt: bookings.startsAt, endsAt: bookings.endsAt, timeZone: locations.timeZone, locationName: locations.name })
    .from(bookings).innerJoin(locations, eq(locations.id, bookings.locationId))
    .where(and(eq(bookings.physicianId, physicianId), eq(bookings.status, 'booked'), gt(bookings.startsAt, new Date())))
    .orderBy(asc(bookings.startsAt));
  if (future.length === 0) return [];
  const exceptions = changeExceptions(await db.select().from(scheduleExceptions).where(eq(scheduleExceptions.physicianId, physicianId)));
  const zoneOf = (b: { locationId: number; timeZone: string }) => (newTimeZone?.locationId === b.locationId ? newTimeZone.timeZone : b.timeZone);
  return future.filter((b) => !isWithinWorkingHours(b, zoneOf(b), rules, exceptions))
    .map((b) => ({ bookingId: b.id, locationId: b.locationId, locationName: b.locationName, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), timeZone: zoneOf(b) }));
}

export type BookingOutsideHours = Awaited<ReturnType<typeof bookingsOutsideHours>>[number];

/** The catalogue page: the institution's currency, the time zones to choose from, and every catalogue row it owns. */
export async function catalogueOverview(db: Executor, organisationId: number) {
  const [institution] = await db.select({ currency: organisations.currency }).from(organisations).where(eq(organisations.id, organisationId));
  const locs = await db.select().from(locations).where(eq(locations.organisationId, organisationId)).orderBy(asc(locations.name));
  const quals = await db.select().from(qualifications).where(eq(qualifications.organisationId, organisationId)).orderBy(asc(qualifications.name));
  const docs = await physiciansOf(db, [organisationId]);
  const svc = await db.select().from(services).where(eq(services.organisationId, organisationId)).orderBy(asc(services.name));
  return {
    currency: institution.currency ?? 'RON',
    timeZones: [...TIME_ZONES],
    locations: locs.map(({ organisationId: _o, ...l }) => l),
    qualifications: quals.map(({ organisationId: _o, ...q }) => q),
    physicians: docs.map(({ organisationId: _o, ...d }) => d),
    services: svc.map(({ organisationId: _o, ...s }) => s),
  };
}

/** A physician's weekly rules (by weekday and start) and date exceptions (by date). */
export async function physicianSchedule(db: Executor, user: SessionUser, physicianId: number) {
  await ownPhysician(db, user, physicianId, false);
  const rules = await db.select().from(schedules).where(eq(schedules.physicianId, physicianId)).orderBy(asc(schedules.weekday), asc(schedules.startTime));
  const exceptions = await db.select().from(scheduleExceptions).where(eq(scheduleExceptions.physicianId, physicianId)).orderBy(asc(scheduleExceptions.date));
  return { rules: rules.map(toRule), exceptions };
}
