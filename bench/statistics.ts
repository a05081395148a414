/**
 * `npm run bench:statistics`: "Reports / Statistics" and its CSV export for a month with 100,000 bookings.
 *
 * A scratch database gets one institution (3 locations, 30 physicians, 12 services in RON), 50 partners (percent and
 * fixed commissions, a few fixed in EUR, paid at the partner or the institution), 20,000 patients (half entered by
 * partners), BENCH_MONTH_BOOKINGS (default 100,000) bookings in October 2026 (a month with a daylight-saving change)
 * from every source and status, and BENCH_OTHER_BOOKINGS (default 300,000) in the three months before and after.
 * It then times the real `statistics.institution` over HTTP (bench/statistics-hooks.ts) and streams the month's CSV.
 * Goals (issue 8): page p95 ≤ 300 ms; CSV ≥ 50,000 rows/s with flat memory. Last line: one JSON object.
 */
import mysql from 'mysql2/promise';
import { pathToFileURL } from 'node:url';
import type { Db } from '../db/client';
import { locations, organisations, partnerships, physicians, qualifications, services, users } from '../db/schema';
import { machineNote, runBench } from './lib';
import { measureStatistics } from './statistics-hooks';
import { randomGenerator } from '../db/seed-bookings';

const MONTH = '2026-10';
const MONTH_BOOKINGS = Number(process.env.BENCH_MONTH_BOOKINGS ?? 100_000);
const OTHER_BOOKINGS = Number(process.env.BENCH_OTHER_BOOKINGS ?? 300_000);
const PARTNERS = 50;
const TZ = 'Europe/Bucharest';

/** Fills an empty (migrated) database; returns the institution and its admin for measureStatistics. */
export async function loadStatisticsBench(db: Db, url: string) {
  const rnd = randomGenerator(8);
  const t0 = Date.now();
  const [inst] = await db.insert(organisations).values({
    name: 'Bench Statistics Clinic SRL', country: 'RO', taxNumber: '18547290', registrationNumber: 'J12/1/2020', address: 'Cluj-Napoca',
    isInstitution: true, currency: 'RON', timeZone: TZ,
  }).$returningId();
  const [admin] = await db.insert(users).values({
    organisationId: inst.id, email: 'admin@bench-statistics.test', name: 'Bench Admin', role: 'admin', status: 'active', locale: 'en',
  }).$returningId();
  const locationIds: number[] = [];
  for (let i = 0; i < 3; i++) locationIds.push((await db.insert(locations).values({ organisationId: inst.id, name: `Location ${i}`, address: 'x', timeZone: TZ }).$returningId())[0].id);
  const [qual] = await db.insert(qualifications).values({ organisationId: inst.id, name: 'General' }).$returningId();
  const physicianIds: number[] = [];
  for (let i = 0; i < 30; i++) physicianIds.push((await db.insert(physicians).values({ organisationId: inst.id, name: `Dr. Bench ${String(i).padStart(2, '0')}` }).$returningId())[0].id);
  const svc: { id: number; price: number }[] = [];
  for (let i = 0; i < 12; i++) {
    const price = 10_000 + i * 2_500;
    svc.push({ id: (await db.insert(services).values({ organisationId: inst.id, qualificationId: qual.id, name: `Service ${i}`, durationMinutes: 30, priceMinor: price, currency: 'RON' }).$returningId())[0].id, price });
  }
  const partners: { id: number; orgId: number; type: 'percent' | 'fixed'; value: number; currency: string | null; pay: 'partner' | 'institution' }[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const [org] = await db.insert(organisations).values({ name: `Bench Partner ${String(i).padStart(2, '0')} SRL`, country: 'RO', taxNumber: `BP${i}`, registrationNumber: `J${i}`, address: 'x' }).$returningId();
    const type = i % 3 === 0 ? 'fixed' as const : 'percent' as const;
    const currency = type === 'fixed' ? (i % 9 === 0 ? 'EUR' : 'RON') : null;
    const value = type === 'fixed' ? 1_500 + i * 10 : 500 + i * 25;
    const pay = i % 2 === 0 ? 'partner' as const : 'institution' as const;
    const [p] = await db.insert(partnerships).values({
      institutionId: inst.id, partnerOrganisationId: org.id, status: 'active', contactName: 'C', contactEmail: 'c@x.test', contactPhone: '0722000000',
      commissionType: type, commissionValue: value, commissionCurrency: currency, paymentLocation: pay, invitedAt: new Date(), acceptedAt: new Date(),
    }).$returningId();
    partners.push({ id: p.id, orgId: org.id, type, value, currency, pay });
  }

  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
  await conn.query("SET time_zone = '+00:00'");
  // Patients: 20,000, half entered by a partner.
  const patientRows: unknown[][] = [];
  for (let i = 0; i < 20_000; i++) {
    const byPartner = i % 2 === 0 ? partners[i % PARTNERS].orgId : inst.id;
    patientRows.push([inst.id, `Patient ${String(i).padStart(5, '0')} ${rnd.pick(['Pop', 'Mureșan', 'Rus', 'Suciu', 'Bota'])}`, '1980-01-01', '0722000000', byPartner]);
  }
  for (let i = 0; i < patientRows.length; i += 5_000) {
    await conn.query('INSERT INTO patients (institution_id, name, birth_date, phone, created_by_organisation_id) VALUES ?', [patientRows.slice(i, i + 5_000)]);
  }
  const [[{ first }]] = await conn.query('SELECT MIN(id) AS first FROM patients') as unknown as [[{ first: number }]];

  // October 2026 in Bucharest: 2026-09-30T21:00Z … 2026-10-31T22:00Z (the clocks go back on 25 October).
  const monthStart = Date.UTC(2026, 8, 30, 21, 0);
  const monthEnd = Date.UTC(2026, 9, 31, 22, 0);
  const span = 90 * 86_400_000;
  const statuses: [string, number][] = [['fulfilled', 70], ['noshow', 8], ['cancelled', 12], ['booked', 7], ['arrived', 3]];
  const sources: [string, number][] = [['online', 30], ['phone', 15], ['staff', 5], ['partner', 50]];
  const row = (startMs: number): unknown[] => {
    const s = svc[rnd.int(0, svc.length - 1)];
    const source = rnd.weighted(sources);
    const status = rnd.weighted(statuses);
    const p = source === 'partner' ? partners[rnd.int(0, PARTNERS - 1)] : null;
    const startsAt = new Date(Math.floor(startMs / 60_000) * 60_000);
    return [
      inst.id, locationIds[rnd.int(0, 2)], physicianIds[rnd.int(0, physicianIds.length - 1)], s.id, first + rnd.int(0, 19_999),
      startsAt, new Date(startsAt.getTime() + 30 * 60_000), status,
      p?.pay === 'partner' ? 'paid_at_partner' : rnd.pick(['payment_upon_examination', 'paid_on_site', 'paid_by_transfer']), source,
      p?.id ?? null, null, p?.orgId ?? inst.id, s.price, 'RON', p?.type ?? 'none', p?.value ?? 0,
      p ? (p.type === 'fixed' ? p.currency : 'RON') : null, p?.pay ?? null, startsAt,
    ];
  };
  const columns = 'institution_id, location_id, physician_id, service_id, patient_id, starts_at, ends_at, status, payment_status, source_channel, '
    + 'partnership_id, booked_by_user_id, booked_by_organisation_id, price_minor, currency, commission_type, commission_value, commission_currency, payment_location, created_at';
  let batch: unknown[][] = [];
  const flush = async () => { if (batch.length) await conn.query(`INSERT INTO bookings (${columns}) VALUES ?`, [batch]); batch = []; };
  for (let i = 0; i < MONTH_BOOKINGS; i++) {
    batch.push(row(monthStart + rnd.next() * (monthEnd - monthStart)));
    if (batch.length === 5_000) await flush();
  }
  for (let i = 0; i < OTHER_BOOKINGS; i++) {
    const before = i % 2 === 0;
    batch.push(row(before ? monthStart - 1 - rnd.next() * span : monthEnd + rnd.next() * span));
    if (batch.length === 5_000) await flush();
  }
  await flush();
  await conn.query('ANALYZE TABLE bookings, patients');
  const [[{ n }]] = await conn.query('SELECT COUNT(*) AS n FROM bookings') as unknown as [[{ n: number }]];
  await conn.end();
  console.log(`loaded ${n} bookings (${MONTH_BOOKINGS} in ${MONTH}), 20000 patients, ${PARTNERS} partners in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { institutionId: inst.id, adminUserId: admin.id, bookings: Number(n) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runBench('bench_statistics', async ({ url, database }) => {
    const { db } = database;
    const { institutionId, adminUserId, bookings: n } = await loadStatisticsBench(db, url);
    console.log(machineNote());

    const figures = await measureStatistics({ db, url, institutionId, adminUserId, month: MONTH });
    console.log(machineNote());
    console.log(JSON.stringify({
      bench: 'statistics', bookings: n, month_bookings: MONTH_BOOKINGS,
      stats_p50_ms: figures.stats_p50_ms, stats_p95_ms: figures.stats_p95_ms,
      csv_rows: figures.csv_rows, csv_rows_per_s: figures.csv_rows_per_s, csv_peak_memory_growth_mb: figures.csv_peak_memory_growth_mb,
    }));
  });
}
