/**
 * `npm run bench:booking`: bookings created through the real HTTP API (`bookings.create`, the real Express app) by 16
 * signed-in partner bookers at once, and in the same run raw mysql2 transactions inserting the same rows at the same
 * concurrency (BEGIN; SELECT physician FOR UPDATE; overlap SELECT; INSERT booking; INSERT event; COMMIT). Then SQL
 * checks that no two active bookings of one physician overlap. Last line: one JSON object.
 *
 * The scratch database holds one institution with 200 physicians (Mon–Fri 08:00–16:00), a partner with 16 bookers
 * (sessions created directly: sign-in and argon2 are not part of the figure) and BENCH_PRELOAD (default 100,000) past
 * bookings. The BENCH_BOOKINGS (default 2,000) jobs spread over the 200 physicians and the 16 slots of one weekday
 * ahead (consecutive jobs hit different physicians); after every 25th job comes a twin of it — the same slot or 15
 * minutes later — so ~4 % of requests collide. The raw run books the same jobs 4 weeks later (same weekday, times and
 * physicians, so the same collisions and index shape), and a third run calls the same operation in-process
 * (input parsing + createPartnerBooking, no HTTP/session), 8 weeks later, to split the API's time; then the pieces of
 * one request are timed alone.
 *
 * Workflows are not started (a no-op WorkflowGateway), but the booking's workflow_outbox row is still written in the
 * transaction, which is what costs on the request path; starting the workflow happens after the response anyway.
 */
import mysql from 'mysql2/promise';
import { createPartnerBooking } from '../server/bookings/operations';
import { createBookingInput } from '../server/bookings/schemas';
import { validateSessionToken } from '../server/auth/session';
import { bookerScope, physiciansOf } from '../server/bookings/scope';
import { physicians } from '../db/schema';
import { eq } from 'drizzle-orm';
import { addDays, isoWeekday } from '../server/domain/zoned-time';
import {
  bulkLoadBookings, countQueries, createInstitution, createPatients, line, performance, runBench, slotStart, SLOT_MINUTES, SLOTS_PER_DAY,
  startApp, summary, today, trpcMutation, weekdaysBefore, machineNote, type BenchInstitution,
} from './lib';

const JOBS = Number(process.env.BENCH_BOOKINGS ?? 2_000);
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 100_000);
const CONCURRENCY = 16;
const PHYSICIANS = 200;
const MAX_DURATION_MINUTES = 600;

interface Job { key: string; p: number; date: string; slot: number; offsetMinutes: number }

/** Base jobs round-robin over physicians, then over the day's slots (then further weekdays); twins after every 25th. */
function makeJobs(firstDate: string, tag: string): Job[] {
  const weekdays: string[] = [];
  const jobs: Job[] = [];
  for (let j = 0; j < JOBS; j++) {
    const round = Math.floor(j / PHYSICIANS);
    const dayIndex = Math.floor(round / SLOTS_PER_DAY);
    while (weekdays.length <= dayIndex) {
      let d = weekdays.length ? addDays(weekdays[weekdays.length - 1], 1) : firstDate;
      while (isoWeekday(d) > 5) d = addDays(d, 1);
      weekdays.push(d);
    }
    const job = { key: `${tag}-${j}-${Math.random().toString(36).slice(2, 10)}`, p: j % PHYSICIANS, date: weekdays[dayIndex], slot: round % SLOTS_PER_DAY, offsetMinutes: 0 };
    jobs.push(job);
    if (j % 25 === 24) jobs.push({ ...job, key: `${job.key}-twin`, offsetMinutes: (j / 25) % 2 < 1 ? 0 : 15 });
  }
  return jobs;
}

const startOf = (job: Job, shiftDays: number) => new Date(slotStart(addDays(job.date, shiftDays), job.slot).getTime() + job.offsetMinutes * 60_000);

interface RunResult { created: number; conflicts: number; errors: number; seconds: number; times: number[]; firstErrors: string[] }

/** Runs the jobs with `CONCURRENCY` workers; `book` returns 'created' | 'conflict' or throws / returns an error text. */
async function runConcurrent(jobs: Job[], book: (job: Job, worker: number) => Promise<'created' | 'conflict' | string>): Promise<RunResult> {
  let next = 0;
  const r: RunResult = { created: 0, conflicts: 0, errors: 0, seconds: 0, times: [], firstErrors: [] };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const t = performance.now();
      let outcome: string;
      try { outcome = await book(job, w); } catch (err) { outcome = String((err as Error).message ?? err); }
      r.times.push(performance.now() - t);
      if (outcome === 'created') r.created++;
      else if (outcome === 'conflict') r.conflicts++;
      else { r.errors++; if (r.firstErrors.length < 5) r.firstErrors.push(outcome.slice(0, 300)); }
    }
  }));
  r.seconds = (performance.now() - started) / 1000;
  return r;
}

function apiInput(inst: BenchInstitution, job: Job, shiftDays: number) {
  return {
    institutionId: inst.institutionId, locationId: inst.locationId, physicianId: inst.physicianIds[job.p], serviceId: inst.physicianService[job.p],
    startsAt: startOf(job, shiftDays).toISOString(), idempotencyKey: job.key,
    patient: { kind: 'new' as const, name: `Bench Patient ${job.key}`, birthDate: '1980-05-05', phone: '+40 722 123 456' },
  };
}

await runBench('bench_booking', async ({ url, database }) => {
  const { db, pool } = database;
  const now = new Date();
  const preloadDays = Math.ceil(PRELOAD / (PHYSICIANS * 4));
  const firstDate = weekdaysBefore(today(now), preloadDays);
  const inst = await createInstitution(db, { physicianCount: PHYSICIANS, bookers: CONCURRENCY, validFrom: firstDate });
  if (PRELOAD > 0) {
    const patientIds = await createPatients(url, inst, 5_000);
    await bulkLoadBookings(url, inst, PRELOAD, firstDate, now, patientIds);
  }
  // The first Monday at least a week ahead; the raw run 4 weeks and the in-process run 8 weeks after it.
  let apiDate = addDays(today(now), 7);
  while (isoWeekday(apiDate) !== 1) apiDate = addDays(apiDate, 1);
  const jobs = makeJobs(apiDate, 'bench');
  const RAW_SHIFT = 28;
  const DIRECT_SHIFT = 56;
  const app = await startApp(db, url);
  const counter = countQueries(pool);

  // One request alone first, to count its SQL statements (session validation included) and check that it works.
  const probe = makeJobs(addDays(apiDate, 84), 'probe')[0];
  counter.reset();
  const first = await trpcMutation(app.base, inst.bookerCookies[0], 'bookings.create', apiInput(inst, probe, 0));
  const apiStatements = counter.reset();
  if (first.status !== 200) throw new Error(`bookings.create failed: ${first.status} ${JSON.stringify(first.body).slice(0, 500)}`);

  // Warm-up (JIT, connections, buffer pool), on other days than the measured runs.
  const warm = makeJobs(addDays(apiDate, 91), 'warm').slice(0, 200);
  await runConcurrent(warm, async (job, w) => {
    const res = await trpcMutation(app.base, inst.bookerCookies[w], 'bookings.create', apiInput(inst, job, 0));
    return res.status === 200 ? 'created' : res.status === 409 ? 'conflict' : JSON.stringify(res.body);
  });

  console.log(`\n${jobs.length} booking requests (${JOBS} distinct slots + ${jobs.length - JOBS} colliding twins), ${CONCURRENCY} concurrent clients,`
    + ` ${PHYSICIANS} physicians, ${PRELOAD.toLocaleString('en')} earlier bookings in the table; app pool ${CONCURRENCY} connections`);

  // 1. The real API over HTTP.
  const apiBook = async (job: Job, w: number, shiftDays: number) => {
    const res = await trpcMutation(app.base, inst.bookerCookies[w], 'bookings.create', apiInput(inst, job, shiftDays));
    if (res.status === 200) return 'created';
    if (res.status === 409 && res.body?.error?.data?.key === 'bookings.slot_taken') return 'conflict';
    return `HTTP ${res.status} ${JSON.stringify(res.body)}`;
  };
  const api = await runConcurrent(jobs, (job, w) => apiBook(job, w, 0));

  // 2. Raw mysql2 transactions, same jobs 4 weeks later, same concurrency.
  const rawPool = mysql.createPool({ uri: url, timezone: 'Z', connectionLimit: CONCURRENCY });
  rawPool.pool.on('connection', (c) => { c.query("SET time_zone = '+00:00'"); });
  const rawBook = async (job: Job, w: number, shiftDays: number): Promise<'created' | 'conflict'> => {
    const conn = await rawPool.getConnection();
    try {
      const physicianId = inst.physicianIds[job.p];
      const startsAt = startOf(job, shiftDays);
      const endsAt = new Date(startsAt.getTime() + SLOT_MINUTES * 60_000);
      await conn.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await conn.query('BEGIN');
      try {
        await conn.query('SELECT id FROM physicians WHERE id = ? FOR UPDATE', [physicianId]);
        const [clash] = await conn.query(
          "SELECT id FROM bookings WHERE physician_id = ? AND starts_at > ? AND starts_at < ? AND ends_at > ? AND status <> 'cancelled' LIMIT 1",
          [physicianId, new Date(startsAt.getTime() - MAX_DURATION_MINUTES * 60_000), endsAt, startsAt]);
        if ((clash as unknown[]).length > 0) { await conn.query('ROLLBACK'); return 'conflict'; }
        const [ins] = await conn.query(
          `INSERT INTO bookings (institution_id, location_id, physician_id, service_id, patient_id, starts_at, ends_at, status, payment_status,
            source_channel, partnership_id, booked_by_user_id, booked_by_organisation_id, price_minor, currency, commission_type, commission_value,
            commission_currency, payment_location, idempotency_key)
           VALUES (?, ?, ?, ?, NULL, ?, ?, 'booked', 'paid_at_partner', 'partner', ?, ?, ?, 25000, 'RON', 'fixed', 2500, 'RON', 'partner', ?)`,
          [inst.institutionId, inst.locationId, physicianId, inst.physicianService[job.p], startsAt, endsAt, inst.partnershipId,
            inst.bookerUserIds[w], inst.partnerOrganisationId, `${job.key}-r`]);
        const bookingId = (ins as { insertId: number }).insertId;
        await conn.query(
          "INSERT INTO booking_events (booking_id, institution_id, type, actor_kind, actor_user_id, `after`) VALUES (?, ?, 'created', 'user', ?, ?)",
          [bookingId, inst.institutionId, inst.bookerUserIds[w], JSON.stringify({ startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), status: 'booked' })]);
        await conn.query('COMMIT');
        return 'created';
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally { conn.release(); }
  };
  const raw = await runConcurrent(jobs, (job, w) => rawBook(job, w, RAW_SHIFT));

  // 3. The same operation in-process (no HTTP, no session validation), 8 weeks later: splits the API's time.
  const users = await Promise.all(inst.bookerCookies.map(async (c) => (await validateSessionToken(db, c.split('=')[1], { idleMs: 1_800_000, absoluteMs: 43_200_000 }))!.user));
  counter.reset();
  await createPartnerBooking(db, { user: users[0], ip: '127.0.0.1' }, createBookingInput.parse(apiInput(inst, makeJobs(addDays(apiDate, 98), 'probe2')[0], 0)));
  const directStatements = counter.reset();
  const direct = await runConcurrent(jobs, async (job, w) => {
    try {
      // The router's input parsing (zod) is included, as in the procedure.
      const input = createBookingInput.parse(apiInput(inst, { ...job, key: `${job.key}-d` }, DIRECT_SHIFT));
      await createPartnerBooking(db, { user: users[w], ip: '127.0.0.1' }, input);
      return 'created';
    } catch (err) {
      if ((err as { key?: string }).key === 'bookings.slot_taken') return 'conflict';
      throw err;
    }
  });

  // One at a time (no concurrency): latency of a single booking, API vs raw, 100 distinct slots each, 15 and 16 weeks on.
  const seqJobs = makeJobs(addDays(apiDate, 105), 'seq').filter((j) => !j.key.endsWith('-twin')).slice(0, 100);
  const seqApi: number[] = [];
  const seqRaw: number[] = [];
  for (const job of seqJobs) {
    let t = performance.now();
    const a = await apiBook(job, 0, 0);
    seqApi.push(performance.now() - t);
    t = performance.now();
    const r = await rawBook({ ...job, key: `${job.key}-s` }, 0, 7);
    seqRaw.push(performance.now() - t);
    if (a !== 'created' || r !== 'created') throw new Error(`sequential booking failed: ${a} / ${r}`);
  }
  await rawPool.end();

  // Where the API's time goes: the pieces of one create request, alone and in sequence (n = 200 each).
  const breakdown: [string, () => Promise<unknown>][] = [
    ['session validation (every request)', () => validateSessionToken(db, inst.bookerCookies[0].split('=')[1], { idleMs: 1_800_000, absoluteMs: 43_200_000 })],
    ['bookerScope (3 queries, every create)', () => bookerScope(db, users[0], inst.institutionId)],
    [`physiciansOf: all ${PHYSICIANS} physicians (placeInScope)`, () => physiciansOf(db, [inst.institutionId])],
    ['one physician by id (what placeInScope needs)', () => db.select().from(physicians).where(eq(physicians.id, inst.physicianIds[7]))],
  ];
  const pieces: [string, number[]][] = [];
  for (const [name, fn] of breakdown) {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) await fn();
    for (let i = 0; i < 200; i++) { const t = performance.now(); await fn(); times.push(performance.now() - t); }
    pieces.push([name, times]);
  }

  // Double bookings: any two active bookings of one physician that overlap, over the whole table.
  const [[{ n: doubles }]] = await pool.query(`SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
      ON b.physician_id = a.physician_id AND b.id > a.id AND b.starts_at > a.starts_at - INTERVAL ${MAX_DURATION_MINUTES} MINUTE
     AND b.starts_at < a.ends_at AND b.ends_at > a.starts_at AND b.status <> 'cancelled'
    WHERE a.status <> 'cancelled'`) as unknown as [[{ n: number }]];
  const countIn = async (fromShift: number, toShift: number) => {
    const [[{ n }]] = await pool.query('SELECT COUNT(*) AS n FROM bookings WHERE starts_at >= ? AND starts_at < ?',
      [new Date(`${addDays(apiDate, fromShift)}T00:00:00Z`), new Date(`${addDays(apiDate, toShift)}T00:00:00Z`)]) as unknown as [[{ n: number }]];
    return Number(n);
  };
  const [apiRows, rawRows, directRows] = [await countIn(0, RAW_SHIFT), await countIn(RAW_SHIFT, DIRECT_SHIFT), await countIn(DIRECT_SHIFT, 84)];
  const [[outbox]] = await pool.query('SELECT COUNT(*) AS n FROM workflow_outbox') as unknown as [[{ n: number }]];
  const [[audits]] = await pool.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'booking.create'") as unknown as [[{ n: number }]];
  await app.close();

  const report = (name: string, r: RunResult, rows: number) => {
    const s = line(name, r.times, `  ${(r.created / r.seconds).toFixed(0).padStart(5)} bookings/s`);
    console.log(`${''.padEnd(44)} created ${r.created} (${rows} rows in the table), rejected as taken ${r.conflicts}, errors ${r.errors}, ${r.seconds.toFixed(2)} s`);
    for (const e of r.firstErrors) console.log(`${''.padEnd(44)} error: ${e}`);
    return s;
  };
  console.log('');
  const a = report('API: bookings.create over HTTP', api, apiRows);
  report('raw mysql2 transaction (5 statements)', raw, rawRows);
  report('in-process createPartnerBooking (no HTTP)', direct, directRows);
  console.log('\none booking at a time (no concurrency):');
  line('  API: bookings.create over HTTP', seqApi);
  line('  raw mysql2 transaction', seqRaw);
  console.log('where the time goes (pieces of one API create, alone):');
  for (const [name, times] of pieces) line(`  ${name}`, times);
  console.log(`SQL statements per booking: API request ${apiStatements} (session validation included), in-process operation ${directStatements}, raw 7 (incl. SET TRANSACTION, BEGIN, COMMIT)`);
  console.log(`written by the application's create path (API, warm-up and in-process runs): ${Number(outbox.n)} workflow_outbox rows and ${Number(audits.n)} booking.create`
    + ' audit rows in the booking transactions; the workflows themselves are not started (no-op WorkflowGateway) — starting happens after the response anyway');
  console.log('the load generator (16 keep-alive node:http clients) runs in the same Node process as the app and takes a little of its CPU');
  console.log(`machine: ${machineNote()}`);
  console.log(`double bookings (overlapping active bookings of one physician, whole table): ${Number(doubles)}`);
  const apiPerS = api.created / api.seconds;
  const rawPerS = raw.created / raw.seconds;
  const ratio = apiPerS / rawPerS;
  console.log(`goal ratio ≥ 0.5 with 0 double bookings: ${ratio >= 0.5 && Number(doubles) === 0 ? 'met' : 'NOT met'} (ratio ${ratio.toFixed(2)})`);
  if (api.errors || raw.errors || direct.errors) throw new Error('some requests failed (see above)');
  if (apiRows !== api.created || rawRows !== raw.created) throw new Error('rows in the table differ from the bookings reported as created');
  console.log(JSON.stringify({
    bench: 'booking', api_per_s: Math.round(apiPerS * 10) / 10, raw_per_s: Math.round(rawPerS * 10) / 10, ratio: Math.round(ratio * 100) / 100,
    p95_ms: a.p95, double_bookings: Number(doubles), requests: jobs.length, concurrency: CONCURRENCY, raw_p95_ms: summary(raw.times).p95,
    in_process_per_s: Math.round((direct.created / direct.seconds) * 10) / 10,
  }));
});
