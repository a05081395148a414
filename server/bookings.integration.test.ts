/**
 * Book to partner over HTTP against the real MariaDB and Temporal: who books where, the calendars' visibility rules,
 * no double booking under 50 concurrent requests (same slot and partially overlapping slots), idempotent confirms,
 * patient search rules, modify/cancel guards, institution staff marks and the patient's cancel link. Fixtures are
 * inserted here (a partner organisation of Clinica Someș with its own bookers), so they do not depend on demo bookings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness } from '../test/harness';
import {
  auditLog, bookingEvents, bookings, channelServices, gtcAcceptances, gtcVersions, locations, organisations, partnershipLocations, partnerships,
  patients, physicianLocations, physicianQualifications, physicians, qualifications, schedules, services, users, workflowOutbox,
} from '../db/schema';
import { hashPassword } from './auth/password';
import { bookingCancelToken } from './domain/invitation-token';

let h: Harness;
let staff: Browser; // Clinica Someș reception: an institution member
let booker: Browser; // partner A's booker (patient-data access: yes, paid at partner, 10 %)
let bookerB: Browser; // partner B's booker (no patient-data access, paid at the institution, fixed 25 RON)
let someșId: number;
let partnershipA: number;
let partnershipB: number;
let cardiologist: { id: number; locationId: number; timeZone: string };
let ungrantedLocationId: number;
let ekg: { id: number; durationMinutes: number; priceMinor: number }; // ticked for A and B
let consult: { id: number; durationMinutes: number }; // ticked for A and B
let notTicked: number; // a cardiology service ticked for nobody
const PASSWORD = 'Partner-Booker-2026';

type ErrorData = { key?: string; code?: string; fieldErrors?: Record<string, { key: string }[]> };
const data = (err: { data?: unknown }) => (err.data ?? {}) as ErrorData;

/** The instant of a wall-clock time in Europe/Bucharest on the n-th coming weekday (1 = Monday) at least `weeks` ahead. */
function bucharest(weekday: number, time: string, weeks = 2): Date {
  let d = Temporal.Now.plainDateISO('Europe/Bucharest').add({ weeks });
  while (d.dayOfWeek !== weekday) d = d.add({ days: 1 });
  const zdt = Temporal.PlainDateTime.from(`${d.toString()}T${time}`).toZonedDateTime('Europe/Bucharest');
  return new Date(zdt.epochMilliseconds);
}

const newPatient = (over: Record<string, unknown> = {}) => ({ kind: 'new' as const, name: 'Maria Pop', birthDate: '1985-04-12', phone: '0722 111 222', ...over });
let keyCounter = 0;
const key = () => `key-${Date.now().toString(36)}-${keyCounter++}`;

async function partnerOrg(name: string, taxNumber: string, terms: Partial<typeof partnerships.$inferInsert>) {
  const { db } = h.database;
  const [org] = await db.insert(organisations).values({ name, country: 'RO', taxNumber, registrationNumber: 'J12/1/2020', address: 'Cluj' }).$returningId();
  const hash = await hashPassword(PASSWORD);
  const email = `booker@${taxNumber}.example.ro`;
  await db.insert(users).values({ organisationId: org.id, email, name: `${name} Booker`, role: 'admin', canBookPartner: true, status: 'active', passwordHash: hash, locale: 'en' });
  const [gtc] = await db.select().from(gtcVersions).limit(1);
  await db.insert(gtcAcceptances).values({ organisationId: org.id, gtcVersionId: gtc.id, acceptedAt: new Date() });
  const [p] = await db.insert(partnerships).values({
    institutionId: someșId, partnerOrganisationId: org.id, status: 'active', contactName: 'Contact', contactEmail: `contact@${taxNumber}.example.ro`,
    contactPhone: '0722000000', invitedAt: new Date(), acceptedAt: new Date(), paymentLocation: 'institution', ...terms,
  }).$returningId();
  await db.insert(partnershipLocations).values({ partnershipId: p.id, locationId: cardiologist.locationId });
  await db.insert(channelServices).values([ekg.id, consult.id].map((serviceId) => ({ institutionId: someșId, serviceId, channelKey: `partnership:${p.id}`, partnershipId: p.id })));
  const b = h.browser();
  await signIn(b, email, PASSWORD);
  return { partnershipId: p.id, browser: b, organisationId: org.id };
}

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  const [admin] = await db.select().from(users).where(eq(users.email, DEMO.admin.email));
  someșId = admin.organisationId;
  // A physician of our own, so that the demo bookings never take the slots these tests use.
  const [centre] = await db.select().from(locations).where(eq(locations.organisationId, someșId)).orderBy(locations.id).limit(1);
  const [cardiology] = await db.select().from(qualifications).where(and(eq(qualifications.organisationId, someșId), eq(qualifications.name, 'Cardiologie')));
  const [doc] = await db.insert(physicians).values({ organisationId: someșId, name: 'Dr. Test Cardio' }).$returningId();
  await db.insert(physicianQualifications).values({ physicianId: doc.id, qualificationId: cardiology.id });
  await db.insert(physicianLocations).values({ physicianId: doc.id, locationId: centre.id });
  await db.insert(schedules).values([1, 2, 3, 4, 5].map((weekday) => ({
    physicianId: doc.id, locationId: centre.id, weekday, startTime: weekday === 2 ? '15:00:00' : '08:00:00', endTime: weekday === 2 ? '18:00:00' : '14:00:00', validFrom: '2026-01-01',
  })));
  cardiologist = { id: doc.id, locationId: centre.id, timeZone: centre.timeZone };
  ungrantedLocationId = (await db.select().from(locations).where(eq(locations.organisationId, someșId))).find((l) => l.id !== cardiologist.locationId)!.id;
  const svc = async (name: string) => (await db.select().from(services).where(and(eq(services.organisationId, someșId), eq(services.name, name))))[0];
  ekg = await svc('EKG');
  consult = await svc('Consultație cardiologie');
  notTicked = (await svc('Test de efort')).id;

  const a = await partnerOrg('Partener A SRL', '14399840', { commissionType: 'percent', commissionValue: 1000, paymentLocation: 'partner', patientDataAccess: true });
  const b = await partnerOrg('Partener B SRL', '18547290', { commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'RON', paymentLocation: 'institution', patientDataAccess: false });
  partnershipA = a.partnershipId; booker = a.browser;
  partnershipB = b.partnershipId; bookerB = b.browser;
  staff = h.browser();
  await signIn(staff, DEMO.staff.email, DEMO.staff.password);
});
afterAll(async () => { await h?.close(); });

const slotInput = (startsAt: Date, over: Record<string, unknown> = {}) => ({
  institutionId: someșId, locationId: cardiologist.locationId, physicianId: cardiologist.id, serviceId: ekg.id,
  startsAt: startsAt.toISOString(), patient: newPatient(), idempotencyKey: key(), ...over,
}) as Parameters<Browser['api']['bookings']['create']['mutate']>[0];

const bookingCount = async () => (await h.database.db.select({ n: count() }).from(bookings))[0].n;

describe('who books where', () => {
  it('offers only institutions where the organisation is an active partner, granted locations and ticked services', async () => {
    const { institutions } = await booker.api.bookings.bookingOptions.query();
    const someș = institutions.find((i) => i.institutionId === someșId)!;
    expect(someș.partnershipId).toBe(partnershipA);
    expect(someș.locations.map((l) => l.id)).toEqual([cardiologist.locationId]);
    expect(someș.services.map((s) => s.id).sort()).toEqual([ekg.id, consult.id].sort());
    expect(someș.physicians.every((p) => p.locationIds.every((l) => l === cardiologist.locationId))).toBe(true);
  });

  it('shows a week of green slots of the service length, in the location time zone, only for matching physicians', async () => {
    const monday = bucharest(1, '00:00');
    const week = await booker.api.bookings.calendars.query({ institutionId: someșId, serviceId: ekg.id, weekStart: monday.toISOString().slice(0, 10) });
    const col = week.calendars.find((c) => c.physicianId === cardiologist.id)!;
    expect(col.timeZone).toBe('Europe/Bucharest');
    expect(col.slotMinutes).toBe(ekg.durationMinutes);
    const mondayFree = col.days[0].free;
    expect(mondayFree.length).toBeGreaterThan(0);
    const local = (iso: string) => Temporal.Instant.from(iso).toZonedDateTimeISO('Europe/Bucharest').toPlainTime().toString().slice(0, 5);
    expect(local(mondayFree[0].startsAt)).toBe('08:00');
    expect(week.calendars.every((c) => c.locationId === cardiologist.locationId)).toBe(true);
  });
});

describe('booking', () => {
  it('creates a partner booking with its snapshot, a created event and a lifecycle workflow start', async () => {
    const startsAt = bucharest(1, '09:00');
    const { bookingId } = await booker.api.bookings.create.mutate(slotInput(startsAt, { patient: newPatient({ nationalId: '2850412120019' }) }));
    const [b] = await h.database.db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(b).toMatchObject({
      institutionId: someșId, sourceChannel: 'partner', partnershipId: partnershipA, status: 'booked', paymentStatus: 'paid_at_partner',
      priceMinor: ekg.priceMinor, currency: 'RON', commissionType: 'percent', commissionValue: 1000, commissionCurrency: 'RON', paymentLocation: 'partner',
    });
    expect(b.endsAt.getTime() - b.startsAt.getTime()).toBe(ekg.durationMinutes * 60_000);
    const events = await h.database.db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, bookingId));
    expect(events.map((e) => e.type)).toEqual(['created']);
    const [outbox] = await h.database.db.select().from(workflowOutbox).where(eq(workflowOutbox.workflowId, `booking:${bookingId}`));
    expect(outbox.args).toEqual({ bookingId });
    // The slot is red now, and partner B sees it only as "booked".
    const weekStart = startsAt.toISOString().slice(0, 10);
    const mine = await booker.api.bookings.calendars.query({ institutionId: someșId, weekStart });
    const theirs = await bookerB.api.bookings.calendars.query({ institutionId: someșId, weekStart });
    const slotIn = (w: typeof mine) => w.calendars.find((c) => c.physicianId === cardiologist.id)!.days.flatMap((d) => d.booked)
      .find((s) => s.startsAt === startsAt.toISOString());
    expect(slotIn(mine)).toMatchObject({ bookingId, details: { patientName: 'Maria Pop', serviceId: ekg.id } });
    expect(slotIn(theirs)).toEqual({ startsAt: startsAt.toISOString(), endsAt: b.endsAt.toISOString(), bookingId: null, details: null });
    expect(JSON.stringify(theirs)).not.toContain('Maria Pop');
    expect(JSON.stringify(theirs)).not.toContain('"source"');
  });

  it('fixed commission bookings paid at the institution snapshot the fixed amount with its currency', async () => {
    const { bookingId } = await bookerB.api.bookings.create.mutate(slotInput(bucharest(1, '09:30'), { institutionId: someșId }));
    const [b] = await h.database.db.select().from(bookings).where(eq(bookings.id, bookingId));
    expect(b).toMatchObject({ commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'RON', paymentLocation: 'institution', paymentStatus: 'payment_upon_examination' });
  });

  it('50 parallel requests for one slot: exactly one booking, the others "this slot was just taken"', async () => {
    const startsAt = bucharest(3, '10:00');
    const before = await bookingCount();
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
      (i % 2 ? booker : bookerB).api.bookings.create.mutate(slotInput(startsAt))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed.map((f) => data(f.reason).key)).toEqual(Array(49).fill('bookings.slot_taken'));
    expect(await bookingCount()).toBe(before + 1);
  });

  it('50 parallel requests for partially overlapping slots: exactly one booking', async () => {
    const base = bucharest(3, '11:00');
    const before = await bookingCount();
    // 30-minute consultations starting every 5 minutes within 25 minutes: any two of them overlap.
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => booker.api.bookings.create.mutate(
      slotInput(new Date(base.getTime() + (i % 6) * 5 * 60_000), { serviceId: consult.id }))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const keys = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => data(r.reason).key);
    expect(new Set(keys)).toEqual(new Set(['bookings.slot_taken']));
    expect(await bookingCount()).toBe(before + 1);
  });

  it('a retried or double-clicked Confirm books once', async () => {
    const input = slotInput(bucharest(5, '08:00'));
    const before = await bookingCount();
    const [a, b] = await Promise.all([booker.api.bookings.create.mutate(input), booker.api.bookings.create.mutate(input)]);
    const c = await booker.api.bookings.create.mutate(input);
    expect(new Set([a.bookingId, b.bookingId, c.bookingId]).size).toBe(1);
    expect(await bookingCount()).toBe(before + 1);
    const reused = await failure(booker.api.bookings.create.mutate({ ...input, startsAt: bucharest(5, '08:30').toISOString() }));
    expect(data(reused).key).toBe('bookings.idempotency_mismatch');
  });

  it('refuses bad slots and bad patients with a clear message, writing nothing', async () => {
    const before = await bookingCount();
    const [{ n: patientsBefore }] = await h.database.db.select({ n: count() }).from(patients);
    // A physician of the institution at the same location, without the service's qualification.
    const [unqualified] = await h.database.db.insert(physicians).values({ organisationId: someșId, name: 'Dr. Test Unqualified' }).$returningId();
    await h.database.db.insert(physicianLocations).values({ physicianId: unqualified.id, locationId: cardiologist.locationId });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ physicianId: unqualified.id }, 'physicianId', 'bookings.physician_not_here'],
      [{ physicianId: 999_999 }, 'physicianId', 'catalogue.physician_not_found'],
      [{ startsAt: new Date(Date.now() - 3_600_000).toISOString() }, 'startsAt', 'bookings.in_past'],
      [{ startsAt: bucharest(1, '19:00').toISOString() }, 'startsAt', 'bookings.outside_hours'],
      [{ startsAt: bucharest(2, '09:00').toISOString() }, 'startsAt', 'bookings.outside_hours'],
      [{ serviceId: notTicked }, 'serviceId', 'bookings.service_not_authorised'],
      [{ locationId: ungrantedLocationId }, 'locationId', 'bookings.location_not_granted'],
      [{ patient: newPatient({ nationalId: '2850412120018' }) }, 'patient.nationalId', 'patients.cnp_invalid'],
      [{ patient: newPatient({ nationalId: '1850412120017', birthDate: '1985-04-13' }) }, 'patient.nationalId', 'patients.cnp_birth_date_mismatch'],
      [{ patient: newPatient({ phone: 'abc' }) }, 'patient.phone', 'validation.phone_invalid'],
      [{ patient: newPatient({ email: 'not-an-email' }) }, 'patient.email', 'validation.email_invalid'],
      [{ patient: newPatient({ birthDate: '2099-01-01' }) }, 'patient.birthDate', 'patients.birth_date_future'],
      [{ patient: newPatient({ birthDate: '1985-02-30' }) }, 'patient.birthDate', 'patients.birth_date_invalid'],
      [{ patient: newPatient({ name: '' }) }, 'patient.name', 'validation.required'],
      [{ startsAt: 'tomorrow at nine' }, 'startsAt', 'bookings.start_invalid'],
    ];
    for (const [over, field, k] of cases) {
      const err = await failure(booker.api.bookings.create.mutate(slotInput(bucharest(1, '10:00'), over)));
      const d = data(err);
      const keys = [d.key, ...(d.fieldErrors?.[field] ?? []).map((e) => e.key)];
      expect(keys, `${JSON.stringify(over)} → ${JSON.stringify(d)}`).toContain(k);
      if (d.fieldErrors) expect(Object.keys(d.fieldErrors)).toContain(field);
    }
    // Another institution's booking target: not found, never "forbidden but exists".
    const err = await failure(booker.api.bookings.create.mutate(slotInput(bucharest(1, '10:00'), { institutionId: 999_999 })));
    expect(data(err).code).toBe('NOT_FOUND');
    expect(await bookingCount()).toBe(before);
    expect((await h.database.db.select({ n: count() }).from(patients))[0].n).toBe(patientsBefore);
  });
});

describe('patient search', () => {
  it('is refused without access to patient data, and an existing patient cannot be used', async () => {
    const err = await failure(bookerB.api.bookings.searchPatients.query({ institutionId: someșId, query: 'Pop' }));
    expect(data(err).key).toBe('bookings.patient_access_denied');
    const [p] = await h.database.db.select().from(patients).limit(1);
    const used = await failure(bookerB.api.bookings.create.mutate(slotInput(bucharest(4, '09:00'), { patient: { kind: 'existing', patientId: p.id } })));
    expect(data(used).key).toBe('bookings.patient_access_denied');
  });

  it('with access: at least 3 characters, at most 10 results with masked national IDs, every search audited', async () => {
    const { db } = h.database;
    await db.insert(patients).values(Array.from({ length: 14 }, (_, i) => ({
      institutionId: someșId, name: `Zamfirescu Test ${i}`, birthDate: '1990-01-01', phone: `07450000${String(i).padStart(2, '0')}`,
      nationalId: '1900101120013', createdByOrganisationId: someșId,
    })));
    const short = await failure(booker.api.bookings.searchPatients.query({ institutionId: someșId, query: 'Io' }));
    expect(data(short).fieldErrors?.query?.[0].key).toBe('bookings.search_too_short');
    const { patients: found } = await booker.api.bookings.searchPatients.query({ institutionId: someșId, query: 'Zamfirescu' });
    expect(found).toHaveLength(10);
    expect(found[0]).toMatchObject({ birthYear: 1990 });
    expect(found[0].nationalIdMasked).not.toContain('900101');
    expect(Object.keys(found[0]).sort()).toEqual(['birthYear', 'id', 'name', 'nationalIdMasked', 'ref']);
    // Audited in the institution's log (whose patients were searched) and in the partner's own.
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'patients.search'));
    expect(audits.slice(-2).map((a) => [a.organisationId, a.after])).toEqual(expect.arrayContaining([
      [someșId, { query: 'Zamfirescu', resultCount: 10 }], [expect.any(Number), { query: 'Zamfirescu', resultCount: 10 }],
    ]));
    expect(new Set(audits.slice(-2).map((a) => a.organisationId)).size).toBe(2);

    // A national ID or phone finds a patient only in full: a prefix reveals nothing.
    expect((await booker.api.bookings.searchPatients.query({ institutionId: someșId, query: '1900101' })).patients).toEqual([]);
    expect((await booker.api.bookings.searchPatients.query({ institutionId: someșId, query: '1900101120013' })).patients).toHaveLength(10);
    expect((await booker.api.bookings.searchPatients.query({ institutionId: someșId, query: '074500' })).patients).toEqual([]);
    expect((await booker.api.bookings.searchPatients.query({ institutionId: someșId, query: '0745 000 003' })).patients.map((p) => p.name)).toEqual(['Zamfirescu Test 3']);

    // An existing patient is booked only through the handle this user's search returned, not by a guessed ID.
    const guessed = await failure(booker.api.bookings.create.mutate(slotInput(bucharest(4, '08:00'), { patient: { kind: 'existing', patientId: found[1].id } })));
    expect(data(guessed)).toMatchObject({ code: 'NOT_FOUND', key: 'patients.not_found' });
    const othersRef = await failure(booker.api.bookings.create.mutate(slotInput(bucharest(4, '08:00'), { patient: { kind: 'existing', patientId: found[1].id, ref: found[0].ref } })));
    expect(data(othersRef).key).toBe('patients.not_found');
    const { bookingId } = await booker.api.bookings.create.mutate(slotInput(bucharest(4, '08:00'), { patient: { kind: 'existing', patientId: found[0].id, ref: found[0].ref } }));
    expect((await db.select().from(bookings).where(eq(bookings.id, bookingId)))[0].patientId).toBe(found[0].id);
    // The partner did not enter this patient: its booking shows what the search shows, not the contact details.
    const details = await booker.api.bookings.get.query({ bookingId });
    expect(details.patient).toMatchObject({ name: found[0].name, restricted: true, phone: null, email: null, birthDate: null });
    const asStaff = await staff.api.bookings.get.query({ bookingId });
    expect(asStaff.patient).toMatchObject({ restricted: false, phone: '0745000000' });
  });

  it('refuses a booking more than a year ahead', async () => {
    const far = new Date(Date.now() + 400 * 86_400_000);
    const err = await failure(booker.api.bookings.create.mutate(slotInput(far)));
    expect(data(err)).toMatchObject({ code: 'BAD_REQUEST', key: 'bookings.too_far_ahead' });
    const week = await failure(booker.api.bookings.calendars.query({ weekStart: '9999-01-01' }));
    expect(data(week).fieldErrors?.weekStart?.[0].key).toBe('bookings.week_invalid');
  });
});

describe('own bookings: details, modify, cancel', () => {
  it('moves, changes the service, refuses stale versions and other organisations, cancels and frees the slot', async () => {
    const start = bucharest(5, '10:00');
    const { bookingId } = await booker.api.bookings.create.mutate(slotInput(start));
    const details = await booker.api.bookings.get.query({ bookingId });
    expect(details).toMatchObject({ status: 'booked', can: { modify: true, cancel: true, mark: false }, source: { kind: 'partner', partnerName: 'Partener A SRL' } });
    expect((await failure(bookerB.api.bookings.get.query({ bookingId }))).data?.code).toBe('NOT_FOUND');
    expect((await failure(bookerB.api.bookings.cancel.mutate({ bookingId, reason: 'x' }))).data?.code).toBe('NOT_FOUND');

    const to = bucharest(5, '11:00');
    const moved = await booker.api.bookings.move.mutate({ bookingId, version: details.version, startsAt: to.toISOString(), serviceId: consult.id });
    expect(moved.version).toBe(details.version + 1);
    const stale = await failure(booker.api.bookings.move.mutate({ bookingId, version: details.version, startsAt: start.toISOString() }));
    expect(data(stale).key).toBe('bookings.stale');
    const after = await booker.api.bookings.get.query({ bookingId });
    expect(after.startsAt).toBe(to.toISOString());
    expect(after.serviceId).toBe(consult.id);
    expect(after.events.map((e) => e.type)).toEqual(['created', 'service_changed', 'moved']);

    const noReason = await failure(booker.api.bookings.cancel.mutate({ bookingId, reason: '  ' }));
    expect(data(noReason).fieldErrors?.reason?.[0].key).toBe('bookings.reason_required');
    await booker.api.bookings.cancel.mutate({ bookingId, reason: 'Patient asked' });
    const cancelled = await booker.api.bookings.get.query({ bookingId });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'Patient asked', can: { modify: false, cancel: false } });
    // The slot is free again for anyone.
    const again = await bookerB.api.bookings.create.mutate(slotInput(to, { serviceId: consult.id }));
    expect(again.bookingId).toBeGreaterThan(bookingId);
  });
});

describe("the lifecycle workflow's next step, apart from the details", () => {
  it('answers the reminder a day ahead once the workflow runs, nothing once cancelled, and only to those who see the booking', async () => {
    const start = bucharest(3, '13:00');
    const { bookingId } = await booker.api.bookings.create.mutate(slotInput(start));
    // The details come from the database alone: no workflow answer in them.
    expect(await booker.api.bookings.get.query({ bookingId })).not.toHaveProperty('nextStep');
    let step = await booker.api.bookings.workflowStep.query({ bookingId });
    for (let i = 0; i < 100 && step.status !== 'step'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      step = await booker.api.bookings.workflowStep.query({ bookingId });
    }
    expect(step).toEqual({ status: 'step', nextStep: { kind: 'reminder', at: new Date(start.getTime() - 24 * 3_600_000).toISOString() } });
    expect(await staff.api.bookings.workflowStep.query({ bookingId })).toEqual(step);
    expect(data(await failure(bookerB.api.bookings.workflowStep.query({ bookingId })))).toMatchObject({ code: 'NOT_FOUND', key: 'bookings.not_found' });
    expect(data(await failure(booker.api.bookings.workflowStep.query({ bookingId: 2_000_000_000 })))).toMatchObject({ code: 'NOT_FOUND', key: 'bookings.not_found' });

    await booker.api.bookings.cancel.mutate({ bookingId, reason: 'Patient asked' });
    expect(await booker.api.bookings.workflowStep.query({ bookingId })).toEqual({ status: 'none' });
  });

  it('says "not available" when no worker answers the workflow in time, while the details still come from the database', async () => {
    const { db } = h.database;
    const start = bucharest(3, '13:30');
    const [p] = await db.select().from(partnerships).where(eq(partnerships.id, partnershipA));
    const [bookerUser] = await db.select().from(users).where(eq(users.organisationId, p.partnerOrganisationId)).limit(1);
    // A booking whose workflow runs on a task queue no worker polls: its `state` query is never answered.
    const [row] = await db.insert(bookings).values({
      institutionId: someșId, locationId: cardiologist.locationId, physicianId: cardiologist.id, serviceId: ekg.id, startsAt: start,
      endsAt: new Date(start.getTime() + ekg.durationMinutes * 60_000), status: 'booked', sourceChannel: 'partner', partnershipId: partnershipA,
      bookedByUserId: bookerUser.id, bookedByOrganisationId: p.partnerOrganisationId, priceMinor: ekg.priceMinor, currency: 'RON', paymentLocation: 'partner',
    }).$returningId();
    // Never queued a lifecycle (imported or demo data): no next step to wait for, and Temporal is not asked.
    expect(await booker.api.bookings.workflowStep.query({ bookingId: row.id })).toEqual({ status: 'none' });
    // Queued and started as the booking operations do (the row marked dispatched, so the relay leaves it alone).
    await db.insert(workflowOutbox).values({
      workflowType: 'bookingLifecycle', workflowId: `booking:${row.id}`, args: [{ bookingId: row.id }], mode: 'start', dispatchedAt: new Date(),
    });
    const handle = await (await h.workflows.client()).workflow.start('bookingLifecycle', {
      workflowId: `booking:${row.id}`, taskQueue: `nobody-polls-${row.id}`, args: [{ bookingId: row.id }],
    });
    try {
      const [details, step] = await Promise.all([
        booker.api.bookings.get.query({ bookingId: row.id }), booker.api.bookings.workflowStep.query({ bookingId: row.id }),
      ]);
      expect(details).toMatchObject({ id: row.id, status: 'booked', startsAt: start.toISOString() });
      expect(step).toEqual({ status: 'unavailable' });
    } finally {
      await handle.terminate('test finished');
    }
  });
});

describe('institution staff', () => {
  it('sees every booking in full, marks arrived, sets the payment status, enters a Phone or a phoned-in partner booking', async () => {
    const start = bucharest(1, '12:00');
    const { bookingId } = await bookerB.api.bookings.create.mutate(slotInput(start));
    const week = await staff.api.bookings.institutionCalendar.query({ physicianId: cardiologist.id, weekStart: start.toISOString().slice(0, 10) });
    const slot = week.calendars.flatMap((c) => c.days.flatMap((d) => d.booked)).find((s) => s.bookingId === bookingId)!;
    expect(slot.details).toMatchObject({ patientName: 'Maria Pop', source: { kind: 'partner', partnerName: 'Partener B SRL' } });

    const d = await staff.api.bookings.get.query({ bookingId });
    expect(d.can).toMatchObject({ mark: true, markArrived: false, markNoShow: false, undoMark: false, setPayment: true });
    // Too early to mark arrived (more than a day ahead).
    expect(data(await failure(staff.api.bookings.setStatus.mutate({ bookingId, version: d.version, status: 'arrived' }))).key).toBe('bookings.status_transition');
    const paid = await staff.api.bookings.setPaymentStatus.mutate({ bookingId, version: d.version, paymentStatus: 'paid_by_transfer' });
    expect((await failure(booker.api.bookings.setPaymentStatus.mutate({ bookingId, version: paid.version, paymentStatus: 'paid_on_site' }))).data?.code).toBe('FORBIDDEN');

    const phone = await staff.api.bookings.createForInstitution.mutate({
      locationId: cardiologist.locationId, physicianId: cardiologist.id, serviceId: notTicked, startsAt: bucharest(1, '13:00').toISOString(),
      patient: newPatient({ name: 'Ion Phone' }), idempotencyKey: key(), source: { kind: 'phone' },
    });
    const [pb] = await h.database.db.select().from(bookings).where(eq(bookings.id, phone.bookingId));
    expect(pb).toMatchObject({ sourceChannel: 'phone', partnershipId: null, commissionType: 'none', paymentStatus: 'payment_upon_examination' });
    const phonedIn = await staff.api.bookings.createForInstitution.mutate({
      locationId: cardiologist.locationId, physicianId: cardiologist.id, serviceId: ekg.id, startsAt: bucharest(1, '13:45').toISOString(),
      patient: newPatient({ name: 'Ana Phoned' }), idempotencyKey: key(), source: { kind: 'partner', partnershipId: partnershipA },
    });
    // Staff book for a partner only what the partner itself may book: its granted locations.
    const ungranted = await failure(staff.api.bookings.createForInstitution.mutate({
      locationId: ungrantedLocationId, physicianId: cardiologist.id, serviceId: ekg.id, startsAt: bucharest(1, '13:45').toISOString(),
      patient: newPatient({ name: 'Ana Phoned' }), idempotencyKey: key(), source: { kind: 'partner', partnershipId: partnershipA },
    }));
    expect(data(ungranted).key).toBe('bookings.location_not_granted');
    const [pi] = await h.database.db.select().from(bookings).where(eq(bookings.id, phonedIn.bookingId));
    expect(pi).toMatchObject({ sourceChannel: 'partner', partnershipId: partnershipA, commissionType: 'percent', paymentStatus: 'paid_at_partner' });
  });

  it('marks a booking that is due today as arrived, and undoes it', async () => {
    const { db } = h.database;
    const soon = new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000);
    const [patient] = await db.select().from(patients).limit(1);
    const [row] = await db.insert(bookings).values({
      institutionId: someșId, locationId: cardiologist.locationId, physicianId: cardiologist.id, serviceId: ekg.id, patientId: patient.id,
      startsAt: soon, endsAt: new Date(soon.getTime() + 15 * 60_000), sourceChannel: 'online', priceMinor: 100, currency: 'RON',
    }).$returningId();
    expect((await staff.api.bookings.get.query({ bookingId: row.id })).can).toMatchObject({ markArrived: true, markNoShow: false, undoMark: false });
    const marked = await staff.api.bookings.setStatus.mutate({ bookingId: row.id, version: 1, status: 'arrived' });
    expect((await staff.api.bookings.get.query({ bookingId: row.id })).can).toMatchObject({ markArrived: false, undoMark: true });
    const undone = await staff.api.bookings.setStatus.mutate({ bookingId: row.id, version: marked.version, status: 'booked' });
    expect(undone.version).toBe(3);
    const events = await db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, row.id));
    expect(events.map((e) => [e.type, e.before, e.after])).toEqual([
      ['status_changed', { status: 'booked' }, { status: 'arrived' }], ['status_changed', { status: 'arrived' }, { status: 'booked' }],
    ]);
  });
});

describe("the patient's cancel link", () => {
  it('shows the appointment without the patient, cancels once, and refuses forged tokens', async () => {
    const { bookingId } = await booker.api.bookings.create.mutate(slotInput(bucharest(3, '12:00')));
    const anonymous = h.browser();
    const token = bookingCancelToken(h.config.appSecret, bookingId);
    const info = await anonymous.api.bookings.cancelLinkInfo.query({ token });
    expect(info).toMatchObject({ status: 'booked', cancellable: true, timeZone: 'Europe/Bucharest' });
    expect(JSON.stringify(info)).not.toContain('Maria');
    await anonymous.api.bookings.cancelByLink.mutate({ token });
    expect(data(await failure(anonymous.api.bookings.cancelByLink.mutate({ token }))).key).toBe('bookings.already_cancelled');
    const forged = `${bookingId}.${'A'.repeat(43)}`;
    expect(data(await failure(anonymous.api.bookings.cancelLinkInfo.query({ token: forged }))).key).toBe('bookings.link_invalid');
    const [ev] = await h.database.db.select().from(bookingEvents).where(and(eq(bookingEvents.bookingId, bookingId), eq(bookingEvents.type, 'cancelled')));
    expect(ev.actorKind).toBe('patient');
  });
});

describe('partnerships that are not active', () => {
  it('an ended partnership books nothing and its open bookings can no longer be changed by the partner', async () => {
    const { bookingId } = await bookerB.api.bookings.create.mutate(slotInput(bucharest(5, '12:00')));
    await h.database.db.update(partnerships).set({ status: 'ended' }).where(eq(partnerships.id, partnershipB));
    const err = await failure(bookerB.api.bookings.create.mutate(slotInput(bucharest(5, '12:30'))));
    expect(data(err).key).toBe('bookings.no_partnership');
    const d = await bookerB.api.bookings.get.query({ bookingId });
    expect(d.can).toMatchObject({ modify: false, cancel: false });
    await h.database.db.update(partnerships).set({ status: 'active' }).where(eq(partnerships.id, partnershipB));
  });
});
