/** Traffic channels and the catalogue against real MariaDB: atomic saves, what partners may book, schedule rules. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness } from '../test/harness';
import { bookings, channelServices, organisations, physicians, schedules, services } from '../db/schema';

let h: Harness;
let admin: Browser;
let partnerAdmin: Browser;
let booker: Browser;
let partnershipId: number;

type FieldErrors = Record<string, { key: string; message: string }[]>;
const fieldErrors = (err: { data?: unknown }) => (err.data as { fieldErrors?: FieldErrors }).fieldErrors ?? {};

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  // An active partnership Someș → MedPlus at all locations, approved by MedPlus.
  const options = await admin.api.partners.formOptions.query();
  const created = await admin.api.partners.create.mutate({
    country: 'RO', taxNumber: '31275800', registrationNumber: 'J12/2233/2013', companyName: 'MedPlus Diagnostic SRL', address: 'x',
    contactName: 'Bogdan Marin', contactEmail: DEMO.partnerAdmin.email, contactPhone: '0722000000',
    locationIds: options.locations.map((l) => l.id), commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
  });
  partnershipId = created.partnershipId;
  partnerAdmin = h.browser();
  await signIn(partnerAdmin, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
  await partnerAdmin.api.partnerPortal.approve.mutate({ partnershipId });
  booker = h.browser();
  await signIn(booker, DEMO.partnerBooker.email, DEMO.partnerBooker.password);
});
afterAll(async () => { await h?.close(); });

describe('traffic channels', () => {
  it('shows online, phone and one column per open partnership', async () => {
    const m = await admin.api.trafficChannels.matrix.query();
    expect(m.channels.map((c) => c.key)).toEqual(['online', 'phone', `partnership:${partnershipId}`]);
    expect(m.channels[2]).toMatchObject({ companyName: 'MedPlus Diagnostic SRL', status: 'active' });
    expect(m.services).toHaveLength(20);
    expect(m.enabled).toHaveLength(40); // the demo data opens every service online and by phone
    expect(m.services.every((s) => s.locationIds.length > 0)).toBe(true);
  });

  it('ticking a partner column authorises the service at once, unticking removes it at once', async () => {
    const m = await admin.api.trafficChannels.matrix.query();
    const [ekg, holter] = ['EKG', 'Holter EKG 24h'].map((n) => m.services.find((s) => s.name === n)!);
    const column = `partnership:${partnershipId}`;
    expect(await admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId: ekg.id, channelKey: column, enabled: true }, { serviceId: holter.id, channelKey: column, enabled: true },
    ] })).toEqual({ enabled: 2, disabled: 0 });
    const seen = async (b: Browser) => (await b.api.partnerPortal.institutions.query()).find((i) => i.id === partnershipId)!.services.map((s) => s.name).sort();
    expect(await seen(booker)).toEqual(['EKG', 'Holter EKG 24h']);
    await admin.api.trafficChannels.save.mutate({ changes: [{ serviceId: holter.id, channelKey: column, enabled: false }] });
    expect(await seen(booker)).toEqual(['EKG']);
    expect(await seen(partnerAdmin)).toEqual(['EKG']);
  });

  it('a save with one foreign service or column changes nothing', async () => {
    const m = await admin.api.trafficChannels.matrix.query();
    const [other] = await h.database.db.insert(organisations).values({ name: 'Other Clinic SRL', country: 'RO', taxNumber: '14399840', registrationNumber: 'J1', address: 'x', isInstitution: true }).$returningId();
    const [q] = await h.database.db.select({ id: services.qualificationId }).from(services).limit(1);
    const [foreignService] = await h.database.db.insert(services).values({ organisationId: other.id, qualificationId: q.id, name: 'Foreign', durationMinutes: 30, priceMinor: 100, currency: 'RON' }).$returningId();
    const before = (await h.database.db.select({ n: count() }).from(channelServices))[0].n;
    const first = m.services[0];
    const err = await failure(admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId: first.id, channelKey: 'online', enabled: false },
      { serviceId: foreignService.id, channelKey: 'online', enabled: true },
    ] }));
    expect(err.data?.code).toBe('NOT_FOUND');
    expect(err.message).toBe('One of the services does not exist in your institution. Nothing was saved.');
    const badColumn = await failure(admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId: first.id, channelKey: 'online', enabled: false }, { serviceId: first.id, channelKey: 'partnership:999999', enabled: true },
    ] }));
    expect(badColumn.data?.code).toBe('NOT_FOUND');
    const badKey = await failure(admin.api.trafficChannels.save.mutate({ changes: [{ serviceId: first.id, channelKey: 'fax', enabled: true }] }));
    expect(fieldErrors(badKey)['changes.channelKey']?.[0].key).toBe('traffic.channel_invalid');
    expect((await h.database.db.select({ n: count() }).from(channelServices))[0].n).toBe(before);
  });

  it('an ended partnership loses its column and its services at once', async () => {
    const [org] = await h.database.db.select().from(organisations).where(eq(organisations.taxNumber, '31275800'));
    expect(org).toBeTruthy();
    await admin.api.partners.delete.mutate({ partnershipId });
    expect((await admin.api.trafficChannels.matrix.query()).channels.map((c) => c.key)).toEqual(['online', 'phone']);
    // MedPlus stays an active partner of the demo's second institution (Centrul Medical Napoca).
    expect((await booker.api.partnerPortal.institutions.query()).map((i) => i.id)).not.toContain(partnershipId);
    const err = await failure(admin.api.trafficChannels.save.mutate({ changes: [{ serviceId: (await admin.api.trafficChannels.matrix.query()).services[0].id, channelKey: `partnership:${partnershipId}`, enabled: true }] }));
    expect(err.data?.code).toBe('NOT_FOUND');
  });
});

describe('catalogue and schedules', () => {
  it('validates locations, services and rules, naming the field', async () => {
    const tz = await failure(admin.api.catalogue.saveLocation.mutate({ name: 'Someș Turda', address: 'Str. X 1, Turda', timeZone: 'Europe/Cluj' }));
    expect(fieldErrors(tz).timeZone?.[0].key).toBe('catalogue.time_zone_invalid');
    const { id: turda } = await admin.api.catalogue.saveLocation.mutate({ name: 'Someș Turda', address: 'Str. X 1, Turda', timeZone: 'Europe/Bucharest' });
    const dup = await failure(admin.api.catalogue.saveLocation.mutate({ name: 'Someș Turda', address: 'y', timeZone: 'Europe/Bucharest' }));
    expect(fieldErrors(dup).name?.[0].key).toBe('catalogue.name_taken');

    const overview = await admin.api.catalogue.overview.query();
    const q = overview.qualifications[0];
    const neg = await failure(admin.api.catalogue.saveService.mutate({ qualificationId: q.id, name: 'Test', durationMinutes: -5, price: '-10', currency: 'RON', cancellationWindowHours: 24 }));
    expect(fieldErrors(neg).durationMinutes?.[0].key).toBe('catalogue.duration_invalid');
    expect(fieldErrors(neg).price?.[0].key).toBe('catalogue.price_negative');
    const { id: svc } = await admin.api.catalogue.saveService.mutate({ qualificationId: q.id, name: 'Consultație test', durationMinutes: 20, price: '199.90', currency: 'RON', cancellationWindowHours: 12 });
    expect((await h.database.db.select().from(services).where(eq(services.id, svc)))[0].priceMinor).toBe(19990);

    const doc = overview.physicians.find((p) => p.name === 'Dr. Andrei Mureșan')!; // Mon/Wed/Fri 08-14 at Central, Tue/Thu 12-18 at Mărăști
    await admin.api.catalogue.savePhysician.mutate({ id: doc.id, name: doc.name, qualificationIds: doc.qualificationIds, locationIds: [...doc.locationIds, turda] });
    const base = { physicianId: doc.id, locationId: turda, weekday: 1, weekParity: 'every' as const, validFrom: '2026-01-01', validTo: null };
    const endBeforeStart = await failure(admin.api.catalogue.saveRule.mutate({ ...base, startTime: '16:00', endTime: '15:00' }));
    expect(fieldErrors(endBeforeStart).endTime?.[0].key).toBe('catalogue.end_before_start');
    const overlap = await failure(admin.api.catalogue.saveRule.mutate({ ...base, startTime: '13:00', endTime: '17:00' }));
    expect((overlap.data as { key?: string }).key).toBe('catalogue.rule_overlap_location');
    expect(overlap.message).toBe('The physician already works at another location at this time.');
    const saved = await admin.api.catalogue.saveRule.mutate({ ...base, startTime: '15:00', endTime: '19:00' });
    expect(saved.saved).toBe(true);
    const rules = await h.database.db.select().from(schedules).where(and(eq(schedules.physicianId, doc.id), eq(schedules.locationId, turda)));
    expect(rules).toHaveLength(1);
  });

  it('lists future bookings a schedule change would leave outside hours and applies it only when confirmed', async () => {
    const overview = await admin.api.catalogue.overview.query();
    const doc = overview.physicians.find((p) => p.name === 'Dr. Ana Câmpean')!; // Mon–Fri 08:00–12:00 at Someș Central
    const [rule] = await h.database.db.select().from(schedules).where(and(eq(schedules.physicianId, doc.id), eq(schedules.weekday, 1)));
    const [svc] = await h.database.db.select().from(services).limit(1);
    // A booking on a Monday at 09:00 Bucharest time (07:00 UTC), well in the future.
    const [b] = await h.database.db.insert(bookings).values({
      institutionId: svc.organisationId, locationId: rule.locationId, physicianId: doc.id, serviceId: svc.id,
      startsAt: new Date('2030-01-07T07:00:00Z'), endsAt: new Date('2030-01-07T07:30:00Z'), sourceChannel: 'phone', priceMinor: 100, currency: 'RON',
    }).$returningId();
    const change = { id: rule.id, physicianId: doc.id, locationId: rule.locationId, weekday: 1, startTime: '10:00', endTime: '12:00', weekParity: 'every' as const, validFrom: rule.validFrom, validTo: null };
    const asked = await admin.api.catalogue.saveRule.mutate(change);
    expect(asked.saved).toBe(false);
    // The demo's own future bookings on her Monday mornings are listed too.
    expect(asked.bookingsOutsideHours).toContainEqual(expect.objectContaining({ bookingId: b.id, startsAt: '2030-01-07T07:00:00.000Z', timeZone: 'Europe/Bucharest' }));
    expect((await h.database.db.select().from(schedules).where(eq(schedules.id, rule.id)))[0].startTime).toBe('08:00:00');
    const confirmed = await admin.api.catalogue.saveRule.mutate({ ...change, confirm: true });
    expect(confirmed.saved).toBe(true);
    expect((await h.database.db.select().from(schedules).where(eq(schedules.id, rule.id)))[0].startTime).toBe('10:00:00');
    // The booking itself is never moved or deleted.
    expect((await h.database.db.select().from(bookings).where(eq(bookings.id, b.id)))[0]).toMatchObject({ status: 'booked', startsAt: new Date('2030-01-07T07:00:00Z') });
  });

  it('a new time zone for a location lists the bookings it would move outside working hours and needs confirmation', async () => {
    const overview = await admin.api.catalogue.overview.query();
    const doc = overview.physicians.find((p) => p.name === 'Dr. Ana Câmpean')!; // Tue 08:00–12:00 at Someș Central
    const central = overview.locations.find((l) => l.name === 'Someș Central')!;
    const [svc] = await h.database.db.select().from(services).limit(1);
    // Tuesday 7 January 2030, 09:00 in Bucharest = 07:00 UTC: inside her hours; 07:00 in London would be outside.
    const [b] = await h.database.db.insert(bookings).values({
      institutionId: svc.organisationId, locationId: central.id, physicianId: doc.id, serviceId: svc.id,
      startsAt: new Date('2030-01-08T07:00:00Z'), endsAt: new Date('2030-01-08T07:30:00Z'), sourceChannel: 'online', priceMinor: 100, currency: 'RON',
    }).$returningId();
    const change = { id: central.id, name: central.name, address: central.address, timeZone: 'Europe/London' };
    const asked = await admin.api.catalogue.saveLocation.mutate(change);
    expect(asked.saved).toBe(false);
    expect(asked.bookingsOutsideHours.map((x) => x.bookingId)).toContain(b.id);
    expect((await admin.api.catalogue.overview.query()).locations.find((l) => l.id === central.id)!.timeZone).toBe('Europe/Bucharest');
    expect((await admin.api.catalogue.saveLocation.mutate({ ...change, confirm: true })).saved).toBe(true);
    expect((await admin.api.catalogue.overview.query()).locations.find((l) => l.id === central.id)!.timeZone).toBe('Europe/London');
    await admin.api.catalogue.saveLocation.mutate({ ...change, timeZone: 'Europe/Bucharest', confirm: true });
  });

  it('another institution’s objects are out of reach', async () => {
    const [other] = await h.database.db.select().from(organisations).where(eq(organisations.name, 'Other Clinic SRL'));
    const [foreignDoc] = await h.database.db.insert(physicians).values({ organisationId: other.id, name: 'Dr. Foreign' }).$returningId();
    expect((await failure(admin.api.catalogue.schedule.query({ physicianId: foreignDoc.id }))).data?.code).toBe('NOT_FOUND');
    const locs = (await admin.api.catalogue.overview.query()).locations;
    expect((await failure(admin.api.catalogue.saveRule.mutate({ physicianId: foreignDoc.id, locationId: locs[0].id, weekday: 2, startTime: '08:00', endTime: '09:00', weekParity: 'every', validFrom: '2026-01-01', validTo: null }))).data?.code).toBe('NOT_FOUND');
  });
});
