/**
 * Demo patients and bookings for one institution, generated from what is already in the database (locations,
 * physicians' weekly rules and date exceptions, services, traffic channels, active partnerships and their users):
 * ~3 months of past and ~4 weeks of future bookings around `now`, from every source the institution has (Online,
 * Phone, staff, and each active partner), with the booking history a working clinic would have.
 *
 * - A fixed-seed pseudo-random generator makes the shape stable; the dates move with the seeding time.
 * - Working hours are the location's wall-clock times (Europe/Bucharest etc.), converted to UTC with Temporal, so
 *   bookings in daylight-saving weeks start exactly where the schedule says. One physician's bookings never overlap.
 * - Partner bookings copy the partnership's commission rule and payment location, only for services ticked in the
 *   partnership's traffic-channel column and at its granted locations; their patients were mostly entered by the
 *   partner (created_by_organisation_id), and only a partner with patient-data access books the institution's others.
 * - No workflow_outbox rows are written: seeded bookings have no lifecycle workflow (no emails to demo patients).
 * - Rows are inserted in chunks with explicit ids (the seed runs only on an empty database, inside its transaction).
 */
import { Temporal } from 'temporal-polyfill';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from './client';
import { isoWeek, isoWeekday, toMinutes } from '../server/domain/schedule';
import {
  bookingEvents, bookings, channelServices, locations, partnershipLocations, partnerships, patients, physicianQualifications,
  physicians, scheduleExceptions, schedules, services, users,
} from './schema';

/** mulberry32: small, fast, deterministic. */
export function randomGenerator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
    weighted: <T>(items: readonly [T, number][]): T => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) { if ((r -= w) < 0) return item; }
      return items[items.length - 1][0];
    },
  };
}
type Random = ReturnType<typeof randomGenerator>;

const FEMALE = ['Maria', 'Elena', 'Ioana', 'Ana', 'Andreea', 'Cristina', 'Mihaela', 'Alexandra', 'Gabriela', 'Raluca', 'Diana',
  'Roxana', 'Simona', 'Adriana', 'Laura', 'Monica', 'Daniela', 'Oana', 'Camelia', 'Lavinia', 'Bianca', 'Teodora', 'Irina',
  'Larisa', 'Florina', 'Anca', 'Corina', 'Denisa', 'Iulia', 'Ileana', 'Rodica', 'Viorica'];
const MALE = ['Ion', 'Andrei', 'Alexandru', 'Mihai', 'Ștefan', 'Gheorghe', 'Vasile', 'Constantin', 'Adrian', 'Bogdan', 'Cristian',
  'Dan', 'Florin', 'Gabriel', 'Horațiu', 'Ionuț', 'Lucian', 'Marius', 'Nicolae', 'Ovidiu', 'Paul', 'Radu', 'Sergiu', 'Tudor',
  'Victor', 'Cosmin', 'Răzvan', 'Emil', 'Călin', 'Darius', 'Petru', 'Liviu'];
const SURNAMES = ['Pop', 'Popescu', 'Moldovan', 'Mureșan', 'Rus', 'Sabău', 'Cîmpean', 'Bud', 'Oltean', 'Bota', 'Toma', 'Crișan',
  'Lazăr', 'Man', 'Filip', 'Suciu', 'Morar', 'Coroian', 'Chiorean', 'Nistor', 'Vlad', 'Dragomir', 'Ionescu', 'Stan', 'Dumitru',
  'Matei', 'Stoica', 'Ardelean', 'Pașca', 'Giurgiu', 'Rațiu', 'Deac', 'Tămaș', 'Sălăjan', 'Vaida', 'Pintea', 'Todea', 'Cuc',
  'Ciobanu', 'Mocanu', 'Roman', 'Rusu', 'Szabo', 'Kovács', 'Nagy', 'Balint', 'Hosu', 'Gavrilă', 'Precup', 'Boar'];
const COUNTIES = ['12', '12', '12', '12', '12', '12', '01', '05', '06', '24', '26', '32', '33', '35', '40', '51', '52'];
const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];
const CANCEL_REASONS = [
  'Pacientul a anunțat telefonic că nu poate ajunge', 'Pacientul s-a reprogramat la altă dată', 'Medicul nu este disponibil',
  'Pacientul este internat', 'Programare dublă, anulată la cererea pacientului', 'Pacientul a ales altă clinică',
];
const PATIENT_CANCEL_REASON = 'Anulată de pacient prin linkul din email';

/** A Romanian CNP for a birth date and sex, with its check digit. */
export function romanianCnp(birthDate: string, female: boolean, county: string, serial: number): string {
  const [y, m, d] = birthDate.split('-');
  const sex = Number(y) >= 2000 ? (female ? 6 : 5) : (female ? 2 : 1);
  const body = `${sex}${y.slice(2)}${m}${d}${county}${String(serial).padStart(3, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * CNP_WEIGHTS[i], 0);
  const check = sum % 11 === 10 ? 1 : sum % 11;
  return `${body}${check}`;
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export interface PatientCreator { organisationId: number; userIds: (number | null)[]; count: number }

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function nextId(tx: Tx, table: typeof patients | typeof bookings | typeof bookingEvents): Promise<number> {
  const [row] = await tx.select({ m: sql<number | null>`max(${table.id})` }).from(table);
  return Number(row.m ?? 0) + 1;
}

/**
 * Patients of an institution (not inserted yet): realistic names, birth dates, valid CNPs for most, phones, emails for
 * about half. Their createdAt is set later from their first booking.
 */
async function buildPatients(tx: Tx, institutionId: number, creators: PatientCreator[], now: Date, rand: Random) {
  let id = await nextId(tx, patients);
  const rows: (typeof patients.$inferInsert)[] = [];
  const used = new Set<string>();
  for (const creator of creators) {
    for (let i = 0; i < creator.count; i++) {
      const female = rand.chance(0.55);
      let first = rand.pick(female ? FEMALE : MALE);
      let last = rand.pick(SURNAMES);
      for (let tries = 0; used.has(`${first} ${last}`) && tries < 20; tries++) {
        first = rand.pick(female ? FEMALE : MALE); last = rand.pick(SURNAMES);
      }
      used.add(`${first} ${last}`);
      const year = rand.chance(0.15) ? rand.int(2008, 2023) : rand.int(1940, 2007);
      const birthDate = `${year}-${String(rand.int(1, 12)).padStart(2, '0')}-${String(rand.int(1, 28)).padStart(2, '0')}`;
      const phone = `07${rand.pick(['2', '3', '4', '5', '6', '8'])}${rand.int(0, 9)} ${rand.int(100, 999)} ${rand.int(100, 999)}`;
      const mailDomain = rand.pick(['example.ro', 'example.ro', 'example.com']);
      rows.push({
        id: id++, institutionId, name: `${first} ${last}`, birthDate,
        nationalId: rand.chance(0.88) ? romanianCnp(birthDate, female, rand.pick(COUNTIES), rand.int(1, 999)) : null,
        phone, email: rand.chance(0.5) ? `${ascii(first)}.${ascii(last)}${rand.int(1, 99)}@${mailDomain}` : null,
        createdByOrganisationId: creator.organisationId, createdByUserId: rand.pick(creator.userIds),
        // Without bookings: entered some time ago (a partner's, after the partnership began).
        createdAt: new Date(now.getTime() - (creator.organisationId === institutionId ? rand.int(125, 400) : rand.int(5, 90)) * 86_400_000 - rand.int(0, 86_399) * 1000),
      });
    }
  }
  return rows;
}

type Source = 'online' | 'phone' | 'staff' | { partnershipId: number };

export interface InstitutionBookingSpec {
  institutionId: number;
  seed: number;
  /** Users of the institution who enter Phone and staff bookings and mark arrivals, no-shows and payments (first = main). */
  staffUserIds: number[];
  /** Patients entered by the institution itself (the rest per active partnership: partnerPatients each). */
  institutionPatients: number;
  partnerPatients: number;
  /** Relative weights of the institution's own sources; each active partnership gets `partnerWeight`. */
  weights: { online: number; phone: number; staff: number; partner: number };
  pastDays: number;
  futureDays: number;
}

export interface BookingSeedStats {
  patients: number;
  bookings: number;
  events: number;
  bySource: Record<string, number>;
  byStatus: Record<string, number>;
  byPayment: Record<string, number>;
}

interface Block { locationId: number; timeZone: string; start: number; end: number }

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Seeds patients, bookings and booking events for one institution. */
export async function seedInstitutionBookings(tx: Tx, spec: InstitutionBookingSpec, now: Date): Promise<BookingSeedStats> {
  const rand = randomGenerator(spec.seed);
  const inst = spec.institutionId;

  const locs = await tx.select().from(locations).where(eq(locations.organisationId, inst));
  const zoneOf = new Map(locs.map((l) => [l.id, l.timeZone]));
  const docs = await tx.select().from(physicians).where(eq(physicians.organisationId, inst));
  const docIds = docs.map((d) => d.id);
  const quals = docIds.length ? await tx.select().from(physicianQualifications).where(inArray(physicianQualifications.physicianId, docIds)) : [];
  const rules = docIds.length ? await tx.select().from(schedules).where(inArray(schedules.physicianId, docIds)) : [];
  const exceptions = docIds.length ? await tx.select().from(scheduleExceptions).where(inArray(scheduleExceptions.physicianId, docIds)) : [];
  const svcs = await tx.select().from(services).where(eq(services.organisationId, inst));
  const channels = await tx.select().from(channelServices).where(eq(channelServices.institutionId, inst));
  const partnerRows = await tx.select().from(partnerships).where(and(eq(partnerships.institutionId, inst), eq(partnerships.status, 'active')));
  const grantedRows = partnerRows.length ? await tx.select().from(partnershipLocations).where(inArray(partnershipLocations.partnershipId, partnerRows.map((p) => p.id))) : [];
  const partnerUsers = partnerRows.length ? await tx.select().from(users).where(and(
    inArray(users.organisationId, partnerRows.map((p) => p.partnerOrganisationId)), eq(users.status, 'active'), eq(users.canBookPartner, true))) : [];

  const partners = partnerRows.map((p) => ({
    ...p,
    locationIds: new Set(grantedRows.filter((g) => g.partnershipId === p.id).map((g) => g.locationId)),
    serviceIds: new Set(channels.filter((c) => c.channelKey === `partnership:${p.id}`).map((c) => c.serviceId)),
    // Staff (non-admin) bookers do most of a partner's bookings.
    userIds: partnerUsers.filter((u) => u.organisationId === p.partnerOrganisationId).flatMap((u) => (u.role === 'staff' ? [u.id, u.id, u.id] : [u.id])),
  })).filter((p) => p.userIds.length > 0);
  const channelOpen = (key: string, serviceId: number) => channels.some((c) => c.channelKey === key && c.serviceId === serviceId);

  // Patients: the institution's own, and those each partner entered.
  const patientRows = await buildPatients(tx, inst, [
    { organisationId: inst, userIds: [...spec.staffUserIds, null], count: spec.institutionPatients },
    ...partners.map((p) => ({ organisationId: p.partnerOrganisationId, userIds: [...new Set(p.userIds)], count: spec.partnerPatients })),
  ], now, rand);
  const allPatients = patientRows.map((r) => ({ id: r.id!, createdByOrganisationId: r.createdByOrganisationId }));
  const patientById = new Map(patientRows.map((r) => [r.id!, r]));
  const firstBookingAt = new Map<number, number>();
  const ownPatients = allPatients.filter((p) => p.createdByOrganisationId === inst);
  const patientsOf = new Map(partners.map((p) => [p.id, allPatients.filter((x) => x.createdByOrganisationId === p.partnerOrganisationId)]));

  const zone = locs[0]?.timeZone ?? 'Europe/Bucharest';
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate();
  const nowMs = now.getTime();
  const toUtc = (date: Temporal.PlainDate, minutes: number, timeZone: string) =>
    date.toZonedDateTime({ timeZone, plainTime: new Temporal.PlainTime(Math.floor(minutes / 60), minutes % 60) }).epochMilliseconds;

  const bookingRows: (typeof bookings.$inferInsert)[] = [];
  const eventRows: (typeof bookingEvents.$inferInsert)[] = [];
  let bookingId = await nextId(tx, bookings);
  const count = (map: Record<string, number>, key: string) => { map[key] = (map[key] ?? 0) + 1; };
  const stats: BookingSeedStats = { patients: allPatients.length, bookings: 0, events: 0, bySource: {}, byStatus: {}, byPayment: {} };
  const main = spec.staffUserIds[0];
  const anyStaff = () => (rand.chance(0.8) ? main : rand.pick(spec.staffUserIds));

  for (const doc of docs) {
    const docQuals = new Set(quals.filter((q) => q.physicianId === doc.id).map((q) => q.qualificationId));
    const docServices = svcs.filter((s) => docQuals.has(s.qualificationId));
    if (docServices.length === 0) continue;
    const docRules = rules.filter((r) => r.physicianId === doc.id);
    const docExceptions = exceptions.filter((e) => e.physicianId === doc.id);

    for (let offset = -spec.pastDays; offset <= spec.futureDays; offset++) {
      const date = today.add({ days: offset });
      const iso = date.toString();
      const weekday = isoWeekday(iso);
      const odd = isoWeek(iso) % 2 === 1;
      const onDay = docExceptions.filter((e) => e.date === iso);
      const blocks: Block[] = docRules
        .filter((r) => r.weekday === weekday && r.validFrom <= iso && (r.validTo === null || iso <= r.validTo)
          && (r.weekParity === 'every' || (r.weekParity === 'odd') === odd))
        .map((r) => ({ locationId: r.locationId, timeZone: zoneOf.get(r.locationId)!, start: toMinutes(r.startTime), end: toMinutes(r.endTime) }))
        .filter((b) => !onDay.some((e) => e.kind === 'absence' && (e.locationId === null || e.locationId === b.locationId)
          && (e.startTime === null || e.endTime === null || (toMinutes(e.startTime) < b.end && b.start < toMinutes(e.endTime)))));
      for (const e of onDay) {
        if (e.kind === 'extra_hours' && e.locationId !== null && e.startTime && e.endTime) {
          blocks.push({ locationId: e.locationId, timeZone: zoneOf.get(e.locationId)!, start: toMinutes(e.startTime), end: toMinutes(e.endTime) });
        }
      }
      if (blocks.length === 0) continue;
      // Fill rate: 50–70 % of working time in the past, falling from ~45 % tomorrow to ~10 % four weeks ahead.
      const fill = offset < 0 ? 0.5 + rand.next() * 0.2 : Math.max(0.08, 0.5 - (offset / spec.futureDays) * 0.4) + rand.next() * 0.1;

      for (const block of blocks.sort((a, b) => a.start - b.start)) {
        let t = block.start;
        while (t + 15 <= block.end) {
          const fitting = docServices.filter((s) => t + s.durationMinutes <= block.end);
          if (fitting.length === 0) break;
          const service = rand.pick(fitting);
          const duration = service.durationMinutes;
          const slotStart = t;
          t += duration;
          if (!rand.chance(fill)) continue;
          const startsAt = toUtc(date, slotStart, block.timeZone);
          const endsAt = toUtc(date, slotStart + duration, block.timeZone);

          // Source: any open channel of this service; partners only where granted and ticked.
          const options: [Source, number][] = [];
          if (channelOpen('online', service.id)) options.push(['online', spec.weights.online]);
          if (channelOpen('phone', service.id)) options.push(['phone', spec.weights.phone]);
          options.push(['staff', spec.weights.staff]);
          for (const p of partners) {
            if (p.locationIds.has(block.locationId) && p.serviceIds.has(service.id)) options.push([{ partnershipId: p.id }, spec.weights.partner]);
          }
          const source = rand.weighted(options);
          const partner = typeof source === 'object' ? partners.find((p) => p.id === source.partnershipId)! : undefined;
          const sourceKey = partner ? `partner:${partner.partnerOrganisationId}` : (source as string);

          let patientId: number;
          if (partner) {
            const own = patientsOf.get(partner.id)!;
            patientId = (partner.patientDataAccess && rand.chance(0.3)) || own.length === 0 ? rand.pick(ownPatients).id : rand.pick(own).id;
          } else {
            patientId = rand.pick(ownPatients).id;
          }
          const bookerUserId = partner ? rand.pick(partner.userIds) : source === 'online' ? null : anyStaff();
          const bookerOrg = partner ? partner.partnerOrganisationId : source === 'online' ? null : inst;
          const actor = bookerUserId === null ? { actorKind: 'patient' as const, actorUserId: null } : { actorKind: 'user' as const, actorUserId: bookerUserId };
          const staffActor = () => ({ actorKind: 'user' as const, actorUserId: anyStaff() });

          // Created a few days before the start (never after now).
          let createdAt = startsAt - rand.int(source === 'staff' ? 1 : 6, 21 * 24) * HOUR - rand.int(0, 59) * MINUTE;
          if (createdAt > nowMs) createdAt = nowMs - rand.int(10, 20 * 24 * 60) * MINUTE;
          if (createdAt >= startsAt) createdAt = startsAt - 2 * HOUR;

          const paidAtPartner = partner?.paymentLocation === 'partner';
          let status: (typeof bookings.$inferInsert)['status'] = 'booked';
          let paymentStatus: (typeof bookings.$inferInsert)['paymentStatus'] = paidAtPartner ? 'paid_at_partner' : 'payment_upon_examination';
          const id = bookingId++;
          const events: (typeof bookingEvents.$inferInsert)[] = [];
          const event = (e: Omit<typeof bookingEvents.$inferInsert, 'bookingId' | 'institutionId'>) => events.push({ ...e, bookingId: id, institutionId: inst });

          // Some bookings were moved once (before the appointment), from a time a day or two away.
          let originalStart = startsAt;
          let movedAt: number | null = null;
          if (rand.chance(0.05)) {
            const from = startsAt + rand.pick([-2, -1, 1, 2]) * DAY + rand.pick([-60, 0, 60]) * MINUTE;
            const at = createdAt + Math.floor(rand.next() * (Math.min(startsAt, from, nowMs) - createdAt));
            if (at > createdAt) { originalStart = from; movedAt = at; }
          }
          const originalEnd = originalStart + duration * MINUTE;
          event({ type: 'created', ...actor, at: new Date(createdAt), before: null, after: {
            status: 'booked', paymentStatus, startsAt: new Date(originalStart).toISOString(), endsAt: new Date(originalEnd).toISOString(),
            serviceId: service.id, physicianId: doc.id, locationId: block.locationId, patientId,
            sourceChannel: partner ? 'partner' : source, partnershipId: partner?.id ?? null,
          } });
          let last = createdAt;
          if (movedAt !== null) {
            event({ type: 'moved', ...(bookerUserId === null ? staffActor() : actor), at: new Date(movedAt),
              before: { startsAt: new Date(originalStart).toISOString(), endsAt: new Date(originalEnd).toISOString() },
              after: { startsAt: new Date(startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() } });
            last = movedAt;
          }

          let cancellationReason: string | null = null;
          let cancelledAt: number | null = null;
          const started = startsAt <= nowMs;
          const roll = rand.next();
          if (started && startsAt >= nowMs - 12 * HOUR && today.equals(Temporal.Instant.fromEpochMilliseconds(startsAt).toZonedDateTimeISO(block.timeZone).toPlainDate())) {
            // Today, already started: most arrived (marked by staff), a few cancelled or no-show.
            status = roll < 0.1 ? 'cancelled' : roll < 0.15 ? 'noshow' : 'arrived';
          } else if (started) {
            status = roll < 0.1 ? 'cancelled' : roll < 0.17 ? 'noshow' : 'fulfilled';
          } else {
            status = roll < 0.12 ? 'cancelled' : 'booked';
          }

          if (status === 'cancelled') {
            const latest = Math.min(startsAt, nowMs);
            cancelledAt = Math.max(last + MINUTE, last + Math.floor(rand.next() * (latest - last)));
            if (cancelledAt > nowMs) cancelledAt = nowMs;
            const byPatient = bookerUserId === null && rand.chance(0.7);
            cancellationReason = byPatient ? PATIENT_CANCEL_REASON : rand.pick(CANCEL_REASONS);
            event({ type: 'cancelled', ...(byPatient ? { actorKind: 'patient' as const, actorUserId: null } : rand.chance(0.5) && bookerUserId !== null ? actor : staffActor()),
              at: new Date(cancelledAt), before: { status: 'booked' }, after: { status: 'cancelled', cancellationReason } });
            last = cancelledAt;
          } else if (status === 'arrived') {
            last = Math.min(nowMs, startsAt - rand.int(0, 15) * MINUTE);
            event({ type: 'status_changed', ...staffActor(), at: new Date(last), before: { status: 'booked' }, after: { status: 'arrived' } });
            if (!paidAtPartner && endsAt <= nowMs && rand.chance(0.6)) {
              paymentStatus = 'paid_on_site';
              last = Math.min(nowMs, endsAt + rand.int(1, 15) * MINUTE);
              event({ type: 'payment_changed', ...staffActor(), at: new Date(last), before: { paymentStatus: 'payment_upon_examination' }, after: { paymentStatus } });
            }
          } else if (status === 'noshow') {
            last = Math.min(nowMs, endsAt + rand.int(10, 90) * MINUTE);
            event({ type: 'status_changed', ...staffActor(), at: new Date(last), before: { status: 'booked' }, after: { status: 'noshow' } });
          } else if (status === 'fulfilled') {
            if (!paidAtPartner) {
              paymentStatus = rand.chance(0.85) ? 'paid_on_site' : 'paid_by_transfer';
              const paidAt = Math.min(nowMs, paymentStatus === 'paid_on_site' ? endsAt + rand.int(1, 20) * MINUTE : endsAt + rand.int(1, 4) * DAY);
              event({ type: 'payment_changed', ...staffActor(), at: new Date(paidAt), before: { paymentStatus: 'payment_upon_examination' }, after: { paymentStatus } });
              last = Math.max(last, paidAt);
            }
            // Fulfilment by the system, the grace period (24 h) after the end.
            const fulfilledAt = Math.min(nowMs, endsAt + DAY);
            event({ type: 'status_changed', actorKind: 'system', actorUserId: null, at: new Date(fulfilledAt), before: { status: 'booked' }, after: { status: 'fulfilled' } });
            last = Math.max(last, fulfilledAt);
          }
          events.sort((a, b) => a.at!.getTime() - b.at!.getTime());

          bookingRows.push({
            id, institutionId: inst, locationId: block.locationId, physicianId: doc.id, serviceId: service.id, patientId,
            startsAt: new Date(startsAt), endsAt: new Date(endsAt), status, paymentStatus,
            sourceChannel: partner ? 'partner' : (source as 'online' | 'phone' | 'staff'), partnershipId: partner?.id ?? null,
            bookedByUserId: bookerUserId, bookedByOrganisationId: bookerOrg,
            priceMinor: service.priceMinor, currency: service.currency,
            commissionType: partner ? partner.commissionType : 'none', commissionValue: partner ? partner.commissionValue : 0,
            commissionCurrency: partner ? partner.commissionCurrency : null, paymentLocation: partner ? partner.paymentLocation : null,
            cancellationReason, cancelledAt: cancelledAt === null ? null : new Date(cancelledAt),
            version: events.length, createdAt: new Date(createdAt), updatedAt: new Date(Math.max(last, createdAt)),
          });
          eventRows.push(...events);
          firstBookingAt.set(patientId, Math.min(firstBookingAt.get(patientId) ?? Infinity, createdAt));
          count(stats.bySource, sourceKey);
          count(stats.byStatus, `${started ? 'past' : 'future'}:${status}`);
          count(stats.byPayment, paymentStatus);
        }
      }
    }
  }
  // A patient was entered when first booked (a few minutes before that booking was confirmed).
  for (const [id, at] of firstBookingAt) patientById.get(id)!.createdAt = new Date(at - rand.int(1, 10) * MINUTE);
  await insertChunked(patientRows, (chunk) => tx.insert(patients).values(chunk));
  await insertChunked(bookingRows, (chunk) => tx.insert(bookings).values(chunk));
  await insertChunked(eventRows, (chunk) => tx.insert(bookingEvents).values(chunk), 1000);
  stats.bookings = bookingRows.length;
  stats.events = eventRows.length;
  return stats;
}
