/**
 * Statistics over HTTP against real MariaDB: "Reports / Statistics" (filters, paging, sorting, totals per currency with
 * a second currency, "Sent by partners", charts), tenant scoping of filter IDs, bad periods, the streamed CSV exports
 * (exactly the filtered rows, formula injection neutralised, the header in the user's language), the institution's
 * partner-submitted statistics with cancel through bookings.cancel, and the partner side without others' patient data.
 *
 * The bookings are placed in March 2031 (Europe/Bucharest; the seed's bookings are around today), hand-computed:
 *   #1 online  RON 100.00 fulfilled  (patient name is a formula)      commission —
 *   #2 phone   RON 200.00 noshow                                      —
 *   #3 MedPlus RON 300.00 fulfilled  10 %  (patient entered by MedPlus) 30.00 RON
 *   #4 MedPlus RON 150.00 cancelled  10 %                             0
 *   #5 MedPlus EUR  80.00 fulfilled  10 %  (patient entered by Someș)   8.00 EUR
 *   #6 CallCtr RON 120.00 fulfilled  fixed 25.00 EUR                  25.00 EUR
 *   #7 online  RON  40.00 fulfilled  on 1 March 00:30 local (28 Feb 22:30 UTC): inside
 *   #8 online  RON  70.00 fulfilled  on 1 April 00:30 local (31 Mar 21:30 UTC): outside
 *   #9 MedPlus RON 100.00 booked, by MedPlus's booker (cancellable)   0
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startHarness, signIn, failure, DEMO, type Harness, type Browser } from '../test/harness';
import { bookings, locations, organisations, partnerships, patients, physicians, services, users } from '../db/schema';

let h: Harness;
let admin: Browser;
let medplus: Browser;
let napoca: Browser;
const ids: Record<number, number> = {};
let someș: { id: number; locationId: number; physicianId: number; serviceId: number };
let napocaLocationId: number;
let medplusPartnershipId: number;
let callCenterPartnershipId: number;

const MARCH = { kind: 'custom' as const, from: '2031-03-01', to: '2031-03-31' };

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  const userBy = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0];
  const adminUser = await userBy(DEMO.admin.email);
  const booker = await userBy(DEMO.partnerBooker.email);
  const orgId = adminUser.organisationId;
  const [loc] = await db.select().from(locations).where(eq(locations.organisationId, orgId)).limit(1);
  const [doc] = await db.select().from(physicians).where(eq(physicians.organisationId, orgId)).limit(1);
  const [svc] = await db.select().from(services).where(eq(services.organisationId, orgId)).limit(1);
  someș = { id: orgId, locationId: loc.id, physicianId: doc.id, serviceId: svc.id };
  const [napocaOrg] = await db.select().from(organisations).where(eq(organisations.name, 'Centrul Medical Napoca SRL'));
  [{ id: napocaLocationId }] = await db.select({ id: locations.id }).from(locations).where(eq(locations.organisationId, napocaOrg.id)).limit(1);
  const [callCenter] = await db.select().from(organisations).where(eq(organisations.name, 'Call Center Transilvania SRL'));

  const partnership = async (partnerOrganisationId: number, rule: Partial<typeof partnerships.$inferInsert>) => (await db.insert(partnerships).values({
    institutionId: orgId, partnerOrganisationId, status: 'active', contactName: 'C', contactEmail: 'c@example.com', contactPhone: '0722000000',
    paymentLocation: 'institution', invitedAt: new Date(), acceptedAt: new Date(), ...rule,
  }).$returningId())[0].id;
  medplusPartnershipId = await partnership(booker.organisationId, { commissionType: 'percent', commissionValue: 1000 });
  callCenterPartnershipId = await partnership(callCenter.id, { commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'EUR', paymentLocation: 'partner' });

  const patient = async (name: string, createdByOrganisationId: number) => (await db.insert(patients).values({
    institutionId: orgId, name, birthDate: '1980-01-01', phone: '0722000000', createdByOrganisationId,
  }).$returningId())[0].id;
  const formulaPatient = await patient('=HYPERLINK("http://x","y")', orgId);
  const somesPatient = await patient('Ioana Institution', orgId);
  const medplusPatient = await patient('Ana Partner', booker.organisationId);

  let n = 0;
  const add = async (no: number, at: string, v: Partial<typeof bookings.$inferInsert>) => {
    const startsAt = new Date(at);
    const [row] = await db.insert(bookings).values({
      institutionId: orgId, locationId: loc.id, physicianId: doc.id, serviceId: svc.id, patientId: somesPatient,
      startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), sourceChannel: 'online', priceMinor: 0, currency: 'RON',
      bookedByOrganisationId: orgId, createdAt: new Date(Date.UTC(2031, 0, 1, 9, n++)), ...v,
    }).$returningId();
    ids[no] = row.id;
  };
  const medplusRule = { sourceChannel: 'partner' as const, partnershipId: medplusPartnershipId, bookedByOrganisationId: booker.organisationId, bookedByUserId: booker.id, commissionType: 'percent' as const, commissionValue: 1000, paymentLocation: 'institution' as const };
  await add(1, '2031-03-03T08:00:00Z', { priceMinor: 10_000, status: 'fulfilled', patientId: formulaPatient });
  await add(2, '2031-03-04T08:00:00Z', { priceMinor: 20_000, status: 'noshow', sourceChannel: 'phone' });
  await add(3, '2031-03-05T08:00:00Z', { ...medplusRule, priceMinor: 30_000, status: 'fulfilled', patientId: medplusPatient, commissionCurrency: 'RON' });
  await add(4, '2031-03-06T08:00:00Z', { ...medplusRule, priceMinor: 15_000, status: 'cancelled', patientId: medplusPatient, commissionCurrency: 'RON' });
  await add(5, '2031-03-07T08:00:00Z', { ...medplusRule, priceMinor: 8_000, currency: 'EUR', status: 'fulfilled', commissionCurrency: 'EUR' });
  await add(6, '2031-03-10T08:00:00Z', {
    sourceChannel: 'partner', partnershipId: callCenterPartnershipId, priceMinor: 12_000, status: 'fulfilled', paymentStatus: 'paid_at_partner',
    commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'EUR', paymentLocation: 'partner',
  });
  await add(7, '2031-02-28T22:30:00Z', { priceMinor: 4_000, status: 'fulfilled' });
  await add(8, '2031-03-31T21:30:00Z', { priceMinor: 7_000, status: 'fulfilled' });
  await add(9, '2031-03-20T08:00:00Z', { ...medplusRule, priceMinor: 10_000, status: 'booked', patientId: medplusPatient, commissionCurrency: 'RON' });

  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  medplus = h.browser();
  await signIn(medplus, DEMO.partnerBooker.email, DEMO.partnerBooker.password);
  napoca = h.browser();
  await signIn(napoca, 'admin@centrul-napoca.ro', 'Napoca-Admin-2026');
}, 120_000);
afterAll(async () => { await h?.close(); });

const rowIds = (rows: { id: number }[]) => rows.map((r) => r.id);
const no = (...n: number[]) => n.map((x) => ids[x]);

describe('Reports / Statistics', () => {
  it('lists the period in the institution time zone with per-currency totals that never add currencies', async () => {
    const s = await admin.api.statistics.institution.query({ period: MARCH, pageSize: 100 });
    expect(s.period).toMatchObject({ from: '2031-03-01', to: '2031-03-31', timeZone: 'Europe/Bucharest' });
    expect(s.total).toBe(8);
    expect(rowIds(s.rows)).toEqual(no(7, 1, 2, 3, 4, 5, 6, 9)); // date ascending; #8 is April locally
    expect(s.totals).toEqual([
      { currency: 'EUR', bookings: 1, priceMinor: 8_000, fulfilledBookings: 1, fulfilledPriceMinor: 8_000, commissionMinor: 800 + 2_500 },
      { currency: 'RON', bookings: 7, priceMinor: 101_000, fulfilledBookings: 4, fulfilledPriceMinor: 56_000, commissionMinor: 3_000 },
    ]);
    const r3 = s.rows.find((r) => r.id === ids[3])!;
    expect(r3).toMatchObject({
      status: 'fulfilled', patientName: 'Ana Partner', price: { amountMinor: 30_000, currency: 'RON' }, commission: { amountMinor: 3_000, currency: 'RON' },
      source: { kind: 'partner', partnerName: 'MedPlus Diagnostic SRL', phonedIn: false },
    });
    expect(s.rows.find((r) => r.id === ids[6])!.commission).toEqual({ amountMinor: 2_500, currency: 'EUR' });
    expect(s.rows.find((r) => r.id === ids[4])!.commission).toEqual({ amountMinor: 0, currency: 'RON' }); // cancelled earns nothing
    expect(s.rows.find((r) => r.id === ids[2])!).toMatchObject({ source: { kind: 'phone', partnerName: null }, commission: null });
  });

  it('draws the charts from the same filtered bookings', async () => {
    const { charts } = await admin.api.statistics.institution.query({ period: MARCH });
    expect(charts.bookingsPerDay).toHaveLength(31);
    expect(charts.bookingsPerDay[0]).toEqual({ date: '2031-03-01', online: 1, phone: 0, staff: 0, partner: 0 });
    expect(charts.bookingsPerDay.find((d) => d.date === '2031-03-05')).toMatchObject({ partner: 1 });
    expect(charts.perPartner).toEqual([
      { partnershipId: medplusPartnershipId, partnerName: 'MedPlus Diagnostic SRL', bookings: 4, fulfilled: 2, noShows: 0, commission: [{ amountMinor: 800, currency: 'EUR' }, { amountMinor: 3_000, currency: 'RON' }] },
      { partnershipId: callCenterPartnershipId, partnerName: 'Call Center Transilvania SRL', bookings: 1, fulfilled: 1, noShows: 0, commission: [{ amountMinor: 2_500, currency: 'EUR' }] },
    ]);
    expect(charts.noShowRate.find((x) => x.source === 'phone')).toEqual({ source: 'phone', decided: 1, noShows: 1, rate: 1 });
    expect(charts.noShowRate.find((x) => x.source === 'online')).toEqual({ source: 'online', decided: 2, noShows: 0, rate: 0 });
  });

  it('"Sent by partners" and the filters narrow rows, count and totals alike', async () => {
    const partners = await admin.api.statistics.institution.query({ period: MARCH, scope: 'partners' });
    expect(partners.total).toBe(5);
    expect(rowIds(partners.rows).sort()).toEqual(no(3, 4, 5, 6, 9).sort());
    const medplusOnly = await admin.api.statistics.institution.query({ period: MARCH, partnershipIds: [medplusPartnershipId], statuses: ['fulfilled'] });
    expect(rowIds(medplusOnly.rows)).toEqual(no(3, 5));
    expect(medplusOnly.totals.map((t) => [t.currency, t.commissionMinor])).toEqual([['EUR', 800], ['RON', 3_000]]);
    const paidAtPartner = await admin.api.statistics.institution.query({ period: MARCH, paymentStatuses: ['paid_at_partner'], locationIds: [someș.locationId], physicianIds: [someș.physicianId], serviceIds: [someș.serviceId] });
    expect(rowIds(paidAtPartner.rows)).toEqual(no(6));
  });

  it('pages and sorts through the whitelist, with stable tie-breaks', async () => {
    const byPrice = async (page: number) => admin.api.statistics.institution.query({ period: MARCH, sort: { by: 'price', dir: 'desc' }, pageSize: 3, page });
    const [p1, p2, p3] = [await byPrice(1), await byPrice(2), await byPrice(3)];
    expect(p1.total).toBe(8);
    expect([...rowIds(p1.rows), ...rowIds(p2.rows), ...rowIds(p3.rows)]).toEqual(no(3, 2, 4, 6, 9, 1, 5, 7));
    const byCommission = await admin.api.statistics.institution.query({ period: MARCH, sort: { by: 'commission', dir: 'desc' }, pageSize: 2 });
    expect(rowIds(byCommission.rows)).toEqual(no(3, 6));
    const byPatient = await admin.api.statistics.institution.query({ period: MARCH, sort: { by: 'patient', dir: 'asc' }, pageSize: 1 });
    expect(byPatient.rows[0].patientName).toBe('=HYPERLINK("http://x","y")');
    const err = await failure(admin.api.statistics.institution.query({ period: MARCH, sort: { by: 'b.id' as never, dir: 'asc' } }));
    expect(err.data?.code).toBe('BAD_REQUEST');
  });

  it('answers another tenant\'s filter IDs with NOT_FOUND on the field, and shows another institution nothing of ours', async () => {
    const foreign = await failure(admin.api.statistics.institution.query({ period: MARCH, locationIds: [someș.locationId, napocaLocationId] }));
    expect(foreign.data?.code).toBe('NOT_FOUND');
    expect((foreign.data as { fieldErrors?: Record<string, unknown> }).fieldErrors).toHaveProperty('locationIds');
    const theirs = await failure(napoca.api.statistics.institution.query({ period: MARCH, partnershipIds: [medplusPartnershipId] }));
    expect(theirs.data?.code).toBe('NOT_FOUND');
    const napocaMarch = await napoca.api.statistics.institution.query({ period: MARCH });
    expect(napocaMarch.total).toBe(0);
    expect(napocaMarch.totals).toEqual([]);
  });

  it('rejects bad periods with field errors', async () => {
    const backwards = await failure(admin.api.statistics.institution.query({ period: { kind: 'custom', from: '2031-03-31', to: '2031-03-01' } }));
    expect(backwards.data?.code).toBe('BAD_REQUEST');
    expect((backwards.data as { fieldErrors: Record<string, { key: string }[]> }).fieldErrors['period.to'][0].key).toBe('statistics.period_end_before_start');
    const tooLong = await failure(admin.api.statistics.institution.query({ period: { kind: 'custom', from: '2030-01-01', to: '2031-03-01' } }));
    expect((tooLong.data as { fieldErrors: Record<string, { key: string; message: string }[]> }).fieldErrors['period.to'][0])
      .toEqual({ key: 'statistics.period_too_long', message: 'The period can be at most 366 days long.' });
    const notADate = await failure(admin.api.statistics.institution.query({ period: { kind: 'custom', from: '2031-02-30', to: '2031-03-01' } }));
    expect((notADate.data as { fieldErrors: Record<string, unknown> }).fieldErrors).toHaveProperty(['period.from']);
  });

  it('is for the institution\'s members only', async () => {
    expect((await failure(medplus.api.statistics.institution.query({ period: MARCH }))).data?.code).toBe('FORBIDDEN');
    const options = await admin.api.statistics.filterOptions.query();
    expect(options.partners.map((p) => p.partnershipId)).toEqual(expect.arrayContaining([medplusPartnershipId, callCenterPartnershipId]));
    expect(options.timeZone).toBe('Europe/Bucharest');
  });
});

function cookieOf(b: Browser) {
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

async function download(b: Browser | null, path: string, input: unknown, lang?: string) {
  const url = `${h.baseUrl}${path}?input=${encodeURIComponent(JSON.stringify(input))}${lang ? `&lang=${lang}` : ''}`;
  const res = await fetch(url, { headers: b ? { cookie: cookieOf(b) } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, text: bytes.toString('utf8') };
}

/** A small CSV reader for the test (quoted cells with doubled quotes, no newlines inside cells here). */
function parseCsv(text: string): string[][] {
  return text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((line) => {
    const cells: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') { cells.push(cur); cur = ''; } else cur += c;
    }
    cells.push(cur);
    return cells;
  });
}

describe('CSV export', () => {
  it('streams exactly the filtered rows in the page\'s order, formulas neutralised, header in the user\'s language', async () => {
    const input = { period: MARCH, scope: 'all', sort: { by: 'price', dir: 'desc' } };
    const { res, text, bytes } = await download(admin, '/exports/statistics.csv', input, 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="statistics-2031-03-01-2031-03-31.csv"');
    expect(res.headers.get('x-total-count')).toBe('8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM for spreadsheets
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(['Booking ID', 'Date', 'Time', 'Time zone', 'Location', 'Physician', 'Service', 'Patient', 'Status', 'Payment status',
      'Booking source', 'Price', 'Currency', 'Commission', 'Commission currency', 'Payment location']);
    expect(rows.map((r) => Number(r[0]))).toEqual(no(3, 2, 4, 6, 9, 1, 5, 7));
    const r1 = rows.find((r) => Number(r[0]) === ids[1])!;
    expect(r1[7]).toBe('\'=HYPERLINK("http://x","y")');
    expect(r1.slice(1, 4)).toEqual(['2031-03-03', '10:00', 'Europe/Bucharest']);
    const r6 = rows.find((r) => Number(r[0]) === ids[6])!;
    expect(r6.slice(8)).toEqual(['Completed', 'Paid at partner', 'Call Center Transilvania SRL', '120.00', 'RON', '25.00', 'EUR', 'At the partner']);
    const r7 = rows.find((r) => Number(r[0]) === ids[7])!;
    expect(r7.slice(1, 3)).toEqual(['2031-03-01', '00:30']);
  });

  it('has the page\'s order for every sortable column', async () => {
    for (const by of ['date', 'location', 'physician', 'service', 'patient', 'status', 'paymentStatus', 'source', 'price', 'commission'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const page = await admin.api.statistics.institution.query({ period: MARCH, sort: { by, dir }, pageSize: 100 });
        const { text } = await download(admin, '/exports/statistics.csv', { period: MARCH, sort: { by, dir } });
        expect(parseCsv(text).slice(1).map((r) => Number(r[0])), `${by} ${dir}`).toEqual(rowIds(page.rows));
      }
    }
    const bySource = await admin.api.statistics.institution.query({ period: MARCH, scope: 'partners', sort: { by: 'source', dir: 'asc' } });
    // Call Center Transilvania before MedPlus Diagnostic: partners in name order.
    expect(bySource.rows[0].source.partnerName).toBe('Call Center Transilvania SRL');
  });

  it('follows the filters and speaks Romanian when asked', async () => {
    const { res, text } = await download(admin, '/exports/statistics.csv', { period: MARCH, scope: 'partners', statuses: ['fulfilled'] }, 'ro');
    expect(res.headers.get('x-total-count')).toBe('3');
    expect(res.headers.get('content-disposition')).toContain('-partners.csv');
    const [header, ...rows] = parseCsv(text);
    expect(header[10]).toBe('Sursa rezervării');
    expect(header[15]).toBe('Locul plății');
    expect(rows.map((r) => Number(r[0])).sort()).toEqual(no(3, 5, 6).sort());
    expect(rows.every((r) => r[8] === 'Finalizat')).toBe(true);
  });

  it('uses the session and the same authorisation and validation as the API', async () => {
    expect((await download(null, '/exports/statistics.csv', { period: MARCH })).res.status).toBe(401);
    const partner = await download(medplus, '/exports/statistics.csv', { period: MARCH });
    expect(partner.res.status).toBe(403);
    const foreign = await download(admin, '/exports/statistics.csv', { period: MARCH, locationIds: [napocaLocationId] });
    expect(foreign.res.status).toBe(404);
    expect(JSON.parse(foreign.text).error.data.fieldErrors.locationIds[0].key).toBe('catalogue.location_not_found');
    const bad = await download(admin, '/exports/statistics.csv', { period: { kind: 'custom', from: '2031-03-31', to: '2031-03-01' } });
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).error.data.fieldErrors['period.to'][0].key).toBe('statistics.period_end_before_start');
    const crossSite = await fetch(`${h.baseUrl}/exports/statistics.csv?input=${encodeURIComponent(JSON.stringify({ period: MARCH }))}`,
      { headers: { cookie: cookieOf(admin), 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    // HEAD answers the count before a download (progress), without streaming the rows.
    const head = await fetch(`${h.baseUrl}/exports/statistics.csv?input=${encodeURIComponent(JSON.stringify({ period: MARCH }))}`,
      { method: 'HEAD', headers: { cookie: cookieOf(admin) } });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-total-count')).toBe('8');
  });
});

describe('Reports / Partner-submitted statistics', () => {
  it('shows the institution the bookings partners made, who booked them, when, and their changes; cancel goes through bookings.cancel', async () => {
    const before = await admin.api.statistics.partnerSubmitted.query({ period: MARCH, sort: { by: 'date', dir: 'asc' } });
    expect(before.total).toBe(5);
    expect(rowIds(before.rows)).toEqual(no(3, 4, 5, 6, 9));
    const r9 = before.rows.find((r) => r.id === ids[9])!;
    expect(r9).toMatchObject({
      partner: { partnershipId: medplusPartnershipId, name: 'MedPlus Diagnostic SRL' }, bookedBy: { by: 'partner' }, canCancel: true,
      changes: { count: 0, last: null },
    });
    expect(r9.bookedBy.name).toBeTruthy();
    expect(before.rows.find((r) => r.id === ids[6])!.bookedBy.by).toBe('institution');
    expect(before.rows.find((r) => r.id === ids[3])!.canCancel).toBe(false);

    await admin.api.bookings.cancel.mutate({ bookingId: ids[9], reason: 'The partner asked us by phone' });
    const after = await admin.api.statistics.partnerSubmitted.query({ period: MARCH, partnershipIds: [medplusPartnershipId], statuses: ['cancelled'] });
    expect(rowIds(after.rows).sort()).toEqual(no(4, 9).sort());
    const c9 = after.rows.find((r) => r.id === ids[9])!;
    expect(c9).toMatchObject({ status: 'cancelled', canCancel: false, cancellationReason: 'The partner asked us by phone', changes: { count: 1, last: { type: 'cancelled' } } });
    // Restore for the partner-side tests.
    await h.database.db.update(bookings).set({ status: 'booked', cancelledAt: null, cancellationReason: null }).where(eq(bookings.id, ids[9]));
  });

  it('shows the partner its own organisation\'s bookings per institution with the commission per month, without others\' patients', async () => {
    const s = await medplus.api.statistics.partner.query({ institutionId: someș.id, period: MARCH });
    expect(s.institutions.map((i) => i.institutionId)).toEqual([someș.id]);
    expect(s.total).toBe(4);
    expect(rowIds(s.rows)).toEqual(no(3, 4, 5, 9));
    expect(s.rows.find((r) => r.id === ids[3])!.patientName).toBe('Ana Partner');
    expect(s.rows.find((r) => r.id === ids[5])!.patientName).toBeNull(); // entered by the institution
    expect(s.rows.find((r) => r.id === ids[9])!.canCancel).toBe(true);
    expect(s.rows.find((r) => r.id === ids[3])!.canCancel).toBe(false);
    expect(s.commissionPerMonth).toEqual([
      { institutionId: someș.id, month: '2031-03', bookings: 4, fulfilled: 2, commission: [{ amountMinor: 800, currency: 'EUR' }, { amountMinor: 3_000, currency: 'RON' }] },
    ]);
    expect(s.totals.map((t) => [t.currency, t.commissionMinor])).toEqual([['EUR', 800], ['RON', 3_000]]);
    const notOurs = await failure(medplus.api.statistics.partner.query({ institutionId: 999_999, period: MARCH }));
    expect(notOurs.data?.code).toBe('NOT_FOUND');
    const institutions = await medplus.api.statistics.partnerInstitutions.query();
    expect(institutions.map((i) => i.institutionId)).toContain(someș.id);
    // An organisation that is nobody's partner gets an empty report, not an error.
    const none = await napoca.api.statistics.partner.query({ period: MARCH });
    expect(none).toMatchObject({ institutions: [], total: 0, rows: [], totals: [], commissionPerMonth: [] });
    // Staff without "Can book to partner institution" do not see the partner side.
    const staff = h.browser();
    const [staffUser] = await h.database.db.insert(users).values({
      organisationId: (await h.database.db.select().from(users).where(eq(users.email, DEMO.partnerBooker.email)))[0].organisationId,
      email: 'reception-no-booking@medplus.test', name: 'No Booking', role: 'staff', canBookPartner: false, status: 'active',
      passwordHash: (await h.database.db.select().from(users).where(eq(users.email, DEMO.partnerBooker.email)))[0].passwordHash,
    }).$returningId();
    expect(staffUser.id).toBeGreaterThan(0);
    await signIn(staff, 'reception-no-booking@medplus.test', DEMO.partnerBooker.password);
    expect((await failure(staff.api.statistics.partner.query({ period: MARCH }))).data?.code).toBe('FORBIDDEN');
    expect((await download(staff, '/exports/partner-statistics.csv', { period: MARCH })).res.status).toBe(403);
  });

  it('gives the partner a CSV with no patient data beyond what it entered itself', async () => {
    const { res, text } = await download(medplus, '/exports/partner-statistics.csv', { institutionId: someș.id, period: MARCH }, 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('4');
    const [header, ...rows] = parseCsv(text);
    expect(header).toContain('Patient');
    expect(rows.map((r) => Number(r[0]))).toEqual(no(3, 4, 5, 9));
    const patientCol = header.indexOf('Patient');
    expect(rows.map((r) => r[patientCol])).toEqual(['Ana Partner', 'Ana Partner', '', 'Ana Partner']);
    expect(text).not.toContain('Ioana Institution');
    expect(text).not.toContain('HYPERLINK');
    expect(text).not.toContain('Call Center');
    const foreign = await download(medplus, '/exports/partner-statistics.csv', { institutionId: 999_999, period: MARCH });
    expect(foreign.res.status).toBe(404);
  });
});

