/**
 * `npm run bench:calendar`: "Show calendars" with 1,000,000 bookings in the table.
 *
 * A scratch database gets one institution with 200 physicians (Mon–Fri 08:00–16:00 at one location), a partner with an
 * active partnership (the location granted, every service ticked) and a signed-in booker, ~10,000 patients, and
 * 1,000,000 bookings over ~5 years (4 a weekday per physician, ~4 % cancelled). It then asks the real procedure
 * `bookings.calendars` over HTTP (the real Express app, session cookie) for the week two weeks ahead, filtered to the
 * qualification whose physicians are exactly 20 (and, for the query count, one with exactly 5), and in the same run
 * the bare indexed range query for the same physicians and week (the floor). Last line: one JSON object.
 *
 * BENCH_BOOKINGS (default 1000000) and BENCH_ITERATIONS (default 200) change the size for a quick try.
 */
import mysql from 'mysql2/promise';
import { bookerScopes } from '../server/bookings/scope';
import { buildCalendars } from '../server/bookings/calendar';
import { addDays, mondayOf } from '../server/domain/zoned-time';
import type { CalendarWeek } from '../server/bookings/calendar';
import {
  bulkLoadBookings, countQueries, createInstitution, createPatients, line, performance, runBench, startApp, summary, today, trpcQuery,
  weekdaysBefore, machineNote,
} from './lib';

const TOTAL = Number(process.env.BENCH_BOOKINGS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 30;
const PHYSICIANS = 200;
const MAX_DURATION_MINUTES = 600;

await runBench('bench_calendar', async ({ url, database }) => {
  const { db, pool } = database;
  const now = new Date();
  // 4 bookings a weekday × 200 physicians = 800 a weekday: 1,250 weekdays (~4.8 years) for 1,000,000, ending ~6 months ahead.
  const weekdays = Math.ceil(TOTAL / (PHYSICIANS * 4));
  const firstDate = weekdaysBefore(today(now), Math.max(1, weekdays - 130));
  const inst = await createInstitution(db, { physicianCount: PHYSICIANS, bookers: 1, validFrom: firstDate });
  const patientIds = await createPatients(url, inst, 10_000);
  const load = await bulkLoadBookings(url, inst, TOTAL, firstDate, now, patientIds);
  const analyze = await mysql.createConnection({ uri: url });
  await analyze.query('ANALYZE TABLE bookings');
  const [[{ n: inTable }]] = await analyze.query('SELECT COUNT(*) AS n FROM bookings') as unknown as [[{ n: number }]];
  await analyze.end();

  const weekStart = mondayOf(addDays(today(now), 14));
  const counter = countQueries(pool);
  const app = await startApp(db, url);
  const cookie = inst.bookerCookies[0];
  const input = (qualificationId: number) => ({ institutionId: inst.institutionId, qualificationId, weekStart });
  const show = (qualificationId: number) => trpcQuery<CalendarWeek>(app.base, cookie, 'bookings.calendars', input(qualificationId));

  // Sanity: the scope holds exactly 20 (resp. 5) physicians with schedules at the granted location that week.
  const week20 = await show(inst.qualification20);
  const week5 = await show(inst.qualification5);
  if (week20.calendars.length !== 20 || week20.truncated) throw new Error(`expected 20 calendars, got ${week20.calendars.length}`);
  if (week5.calendars.length !== 5) throw new Error(`expected 5 calendars, got ${week5.calendars.length}`);
  const booked = week20.calendars.reduce((n, c) => n + c.days.reduce((m, d) => m + d.booked.length, 0), 0);
  const free = week20.calendars.reduce((n, c) => n + c.days.reduce((m, d) => m + d.free.length, 0), 0);
  const withDetails = week20.calendars.reduce((n, c) => n + c.days.reduce((m, d) => m + d.booked.filter((b) => b.details).length, 0), 0);
  console.log(`\nweek ${weekStart}: 20 physicians × 7 days → ${booked} booked slots (${withDetails} the partner's own, with details), ${free} free slots;`
    + ` response ${(JSON.stringify(week20).length / 1024).toFixed(0)} KiB`);

  // Queries per request (session validation included), sequential so that nothing else runs meanwhile.
  const queriesFor = async (qualificationId: number) => { counter.reset(); await show(qualificationId); return counter.reset(); };
  const q5 = await queriesFor(inst.qualification5);
  const q20 = await queriesFor(inst.qualification20);
  counter.reset();
  await trpcQuery<CalendarWeek>(app.base, cookie, 'bookings.calendars', { institutionId: inst.institutionId, weekStart });
  const qAll = counter.reset();
  console.log(`SQL statements per request: 5 physicians → ${q5}, 20 physicians → ${q20}, no filter (200 physicians, 30 columns shown) → ${qAll}`
    + ` (each request is one week = 7 days; session validation included)`);
  if (q5 !== q20) console.log('  !! the query count grows with the number of physicians');

  // The floor: the bare indexed range query for the same physicians and the same range the procedure reads.
  const physicianIds = week20.calendars.map((c) => c.physicianId);
  const from = new Date(Date.parse(`${addDays(weekStart, -1)}T00:00:00Z`) - MAX_DURATION_MINUTES * 60_000);
  const to = new Date(`${addDays(weekStart, 8)}T00:00:00Z`);
  const rawSql = `SELECT id, physician_id, location_id, starts_at, ends_at, booked_by_organisation_id, institution_id FROM bookings
    WHERE physician_id IN (${physicianIds.map(() => '?').join(',')}) AND starts_at >= ? AND starts_at < ? AND status <> 'cancelled' ORDER BY starts_at`;
  const rawParams = [...physicianIds, from, to];
  const [plan] = await pool.query(`EXPLAIN ${rawSql}`, rawParams);
  const p = (plan as { key: string; type: string; rows: number }[])[0];
  console.log(`floor query plan: type=${p.type} key=${p.key} rows≈${p.rows}`);

  const http: number[] = [];
  const raw: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < WARMUP; i++) { await show(inst.qualification20); await pool.execute(rawSql, rawParams); }
  // Interleaved, so that both see the same state of the buffer pool and the machine.
  let rawRows = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    await show(inst.qualification20);
    http.push(performance.now() - t);
    t = performance.now();
    const [rows] = await pool.execute(rawSql, rawParams);
    raw.push(performance.now() - t);
    rawRows = (rows as unknown[]).length;
  }
  // Where the time goes: the same procedure in-process (no HTTP, no session, no JSON), and its scope queries alone.
  const user = { organisationId: inst.partnerOrganisationId };
  const scopeOnly: number[] = [];
  for (let i = 0; i < Math.min(ITERATIONS, 100); i++) {
    let t = performance.now();
    const scopes = await bookerScopes(db, user, inst.institutionId);
    scopeOnly.push(performance.now() - t);
    t = performance.now();
    await buildCalendars(db, scopes, input(inst.qualification20), { kind: 'booker', organisationId: inst.partnerOrganisationId }, new Date());
    direct.push(performance.now() - t);
  }

  console.log(`\n${inTable.toLocaleString('en')} bookings in the table; 20 physicians × 7 days, ${ITERATIONS} iterations after ${WARMUP} warm-up`);
  const s = line('bookings.calendars over HTTP (20 × 7)', http);
  const r = line(`floor: bare indexed range query (${rawRows} rows)`, raw);
  line('in-process: bookerScopes (3 queries)', scopeOnly);
  line('in-process: buildCalendars (20 × 7)', direct);
  console.log(`machine: ${machineNote()}`);
  console.log(`bulk load: ${load.seconds.toFixed(1)} s for ${load.made.toLocaleString('en')} rows`);
  console.log(`goal p95 ≤ 50 ms: ${s.p95 <= 50 ? 'met' : 'NOT met'} (p95 ${s.p95.toFixed(2)} ms; ${(s.p95 / r.p95).toFixed(1)}× the floor's p95)`);
  await app.close();
  console.log(JSON.stringify({
    bench: 'calendar', bookings: inTable, p50_ms: s.p50, p95_ms: s.p95, raw_p95_ms: r.p95, queries_per_request: q20,
    queries_per_request_5_physicians: q5, iterations: ITERATIONS, physicians: 20, days: 7,
  }));
  void summary;
});
