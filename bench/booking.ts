/**
 * `npm run bench:booking`: bookings created through the real HTTP API (`bookings.create`: the real Express app, tRPC,
 * session validation, zod, the booking operation) by 16 signed-in partner bookers at once, the API running as its own
 * process (bench/api-server.ts, as in production) and this process being only the load generator; then, in the same
 * run and at the same concurrency, raw mysql2 transactions writing exactly the same rows per booking (READ COMMITTED;
 * lock the physician; overlap check; INSERT patient, booking, booking event, workflow outbox row; COMMIT). Then SQL
 * checks that no two active bookings of one physician overlap, over the whole table. Last line: one JSON object.
 *
 * The scratch database holds one institution with 200 physicians (Mon–Fri 08:00–16:00), a partner with 16 bookers
 * (sessions created directly: sign-in and argon2 are not part of the figure) and BENCH_PRELOAD (default 100,000) past
 * bookings. The BENCH_BOOKINGS (default 2,000) jobs spread over the 200 physicians and the 16 slots of one weekday
 * ahead (consecutive jobs hit different physicians); after every 25th job comes a twin of it — the same slot or 15
 * minutes later — so ~4 % of requests collide. The raw run books the same jobs 4 weeks later (same weekday, times and
 * physicians, so the same collisions and index shape). CPU time is read per process (API, load generator, database
 * server) to show where a booking's cost goes. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the API process;
 * BENCH_API_PROCESSES=n runs n API processes (stateless, as a deployment scales out) with the clients spread over them.
 *
 * Workflows are not started (a no-op WorkflowGateway), but the booking's workflow_outbox row is still written in the
 * transaction, which is what costs on the request path; starting the workflow happens after the response anyway.
 */
import mysql from 'mysql2/promise';
import { addDays, isoWeekday } from '../server/domain/zoned-time';
import {
  bulkLoadBookings, createInstitution, createPatients, databaseCpuMs, line, machineNote, ownCpuMs, performance, runBench, slotStart, spawnApp,
  SLOT_MINUTES, SLOTS_PER_DAY, summary, today, trpcMutation, weekdaysBefore, type BenchInstitution,
} from './lib';

const JOBS = Number(process.env.BENCH_BOOKINGS ?? 2_000);
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 100_000);
const CONCURRENCY = 16;
const API_PROCESSES = Math.max(1, Number(process.env.BENCH_API_PROCESSES ?? 1));
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
  // The first Monday at least a week ahead; the raw run 4 weeks after it.
  let apiDate = addDays(today(now), 7);
  while (isoWeekday(apiDate) !== 1) apiDate = addDays(apiDate, 1);
  const jobs = makeJobs(apiDate, 'bench');
  const RAW_SHIFT = 28;
  // The API as its own process (BENCH_API_PROCESSES of them, default 1: the API is stateless, a deployment runs several
  // behind a load balancer; the 16 clients are then spread over them). Each has a pool of 16 / n connections.
  const apps = await Promise.all(Array.from({ length: API_PROCESSES }, () =>
    spawnApp(url, { pool: Math.ceil(CONCURRENCY / API_PROCESSES), cpuProfDir: process.env.BENCH_CPU_PROF })));
  const app = apps[0];
  const dbPid = databaseCpuMs() === null ? 'not readable' : 'read from /proc';

  // One request alone first, to count its SQL statements (session validation included) and check that it works.
  const probe = makeJobs(addDays(apiDate, 84), 'probe')[0];
  await app.queries();
  const first = await trpcMutation(app.base, inst.bookerCookies[0], 'bookings.create', apiInput(inst, probe, 0));
  const apiStatements = await app.queries();
  if (first.status !== 200) throw new Error(`bookings.create failed: ${first.status} ${JSON.stringify(first.body).slice(0, 500)}`);

  // 1. The real API over HTTP, in its own process.
  const apiBook = async (job: Job, w: number, shiftDays: number) => {
    const res = await trpcMutation(apps[w % API_PROCESSES].base, inst.bookerCookies[w], 'bookings.create', apiInput(inst, job, shiftDays));
    if (res.status === 200) return 'created';
    if (res.status === 409 && res.body?.error?.data?.key === 'bookings.slot_taken') return 'conflict';
    return `HTTP ${res.status} ${JSON.stringify(res.body)}`;
  };

  // 2. Raw mysql2 transactions writing the same rows as the API's transaction, same concurrency, same jobs 4 weeks later.
  const rawPool = mysql.createPool({ uri: url, timezone: 'Z', connectionLimit: CONCURRENCY });
  rawPool.pool.on('connection', (c) => { c.query("SET time_zone = '+00:00'"); });
  let rawStatements = 0;
  const rawBook = async (job: Job, w: number, shiftDays: number): Promise<'created' | 'conflict'> => {
    const conn = await rawPool.getConnection();
    const q = (sql: string, values?: unknown[]) => { rawStatements++; return conn.query(sql, values); };
    try {
      const physicianId = inst.physicianIds[job.p];
      const serviceId = inst.physicianService[job.p];
      const startsAt = startOf(job, shiftDays);
      const endsAt = new Date(startsAt.getTime() + SLOT_MINUTES * 60_000);
      await q('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await q('BEGIN');
      try {
        await q('SELECT id FROM physicians WHERE id = ? FOR UPDATE', [physicianId]);
        const [clash] = await q(
          "SELECT id FROM bookings WHERE physician_id = ? AND starts_at > ? AND starts_at < ? AND ends_at > ? AND status <> 'cancelled' LIMIT 1",
          [physicianId, new Date(startsAt.getTime() - MAX_DURATION_MINUTES * 60_000), endsAt, startsAt]);
        if ((clash as unknown[]).length > 0) { await q('ROLLBACK'); return 'conflict'; }
        const [patient] = await q(
          'INSERT INTO patients (institution_id, name, birth_date, phone, email, national_id, created_by_organisation_id, created_by_user_id) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)',
          [inst.institutionId, `Bench Patient ${job.key}`, '1980-05-05', '+40 722 123 456', inst.partnerOrganisationId, inst.bookerUserIds[w]]);
        const [ins] = await q(
          `INSERT INTO bookings (institution_id, location_id, physician_id, service_id, patient_id, starts_at, ends_at, status, payment_status,
            source_channel, partnership_id, booked_by_user_id, booked_by_organisation_id, price_minor, currency, commission_type, commission_value,
            commission_currency, payment_location, idempotency_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', 'paid_at_partner', 'partner', ?, ?, ?, 25000, 'RON', 'fixed', 2500, 'RON', 'partner', ?)`,
          [inst.institutionId, inst.locationId, physicianId, serviceId, (patient as { insertId: number }).insertId, startsAt, endsAt, inst.partnershipId,
            inst.bookerUserIds[w], inst.partnerOrganisationId, `${job.key}-r`]);
        const bookingId = (ins as { insertId: number }).insertId;
        await q(
          "INSERT INTO booking_events (booking_id, institution_id, type, actor_kind, actor_user_id, `before`, `after`) VALUES (?, ?, 'created', 'user', ?, NULL, ?)",
          [bookingId, inst.institutionId, inst.bookerUserIds[w], JSON.stringify({
            startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), locationId: inst.locationId, physicianId, serviceId, priceMinor: 25_000,
            currency: 'RON', status: 'booked', source: 'partner', partnershipId: inst.partnershipId,
          })]);
        await q(
          "INSERT INTO workflow_outbox (workflow_type, workflow_id, args, mode, search_attributes) VALUES ('bookingLifecycle', ?, ?, 'start', ?)",
          [`booking:${bookingId}`, JSON.stringify({ bookingId }), JSON.stringify({
            InstitutionId: String(inst.institutionId), BookingId: String(bookingId), PartnershipId: String(inst.partnershipId),
          })]);
        await q('COMMIT');
        return 'created';
      } catch (err) {
        await q('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally { conn.release(); }
  };

  // Warm-up of both sides (JIT, connections, buffer pool), on other days than the measured runs.
  const warm = makeJobs(addDays(apiDate, 91), 'warm').slice(0, 300);
  await runConcurrent(warm, (job, w) => apiBook(job, w, 0));
  await runConcurrent(warm.map((j) => ({ ...j, key: `${j.key}-w` })), (job, w) => rawBook(job, w, 7));

  console.log(`\n${jobs.length} booking requests (${JOBS} distinct slots + ${jobs.length - JOBS} colliding twins), ${CONCURRENCY} concurrent clients,`
    + ` ${PHYSICIANS} physicians, ${PRELOAD.toLocaleString('en')} earlier bookings in the table; ${API_PROCESSES} API process${API_PROCESSES > 1 ? 'es' : ''} with a pool of ${Math.ceil(CONCURRENCY / API_PROCESSES)} connections each`);

  interface Cpu { app: number; db: number | null; gen: number }
  const cpuNow = async (): Promise<Cpu> => ({ app: (await Promise.all(apps.map((a) => a.cpuMs()))).reduce((x, y) => x + y, 0), db: databaseCpuMs(), gen: ownCpuMs() });
  const cpuSince = (a: Cpu, b: Cpu): Cpu => ({ app: b.app - a.app, db: a.db === null || b.db === null ? null : b.db - a.db, gen: b.gen - a.gen });

  // The database server's CPU while this benchmark sends nothing (other clients of a shared server), over 2 s.
  const idle0 = databaseCpuMs();
  await new Promise((r) => setTimeout(r, 2_000));
  const idle1 = databaseCpuMs();
  const dbBackgroundPerS = idle0 === null || idle1 === null ? null : (idle1 - idle0) / 2;

  let c0 = await cpuNow();
  const api = await runConcurrent(jobs, (job, w) => apiBook(job, w, 0));
  const apiCpu = cpuSince(c0, await cpuNow());
  c0 = await cpuNow();
  rawStatements = 0;
  const raw = await runConcurrent(jobs, (job, w) => rawBook(job, w, RAW_SHIFT));
  const rawCpu = cpuSince(c0, await cpuNow());
  const rawStatementsPerRequest = rawStatements / jobs.length;

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
  await Promise.all(apps.map((a) => a.close()));

  // Double bookings: any two active bookings of one physician that overlap, over the whole table.
  const [[{ n: doubles }]] = await pool.query(`SELECT COUNT(*) AS n FROM bookings a JOIN bookings b
      ON b.physician_id = a.physician_id AND b.id > a.id AND b.starts_at > a.starts_at - INTERVAL ${MAX_DURATION_MINUTES} MINUTE
     AND b.starts_at < a.ends_at AND b.ends_at > a.starts_at AND b.status <> 'cancelled'
    WHERE a.status <> 'cancelled'`) as unknown as [[{ n: number }]];
  // The rows each run wrote: bookings, their patients, booking events and workflow outbox rows.
  const rowsIn = async (fromShift: number, toShift: number) => {
    const range = [new Date(`${addDays(apiDate, fromShift)}T00:00:00Z`), new Date(`${addDays(apiDate, toShift)}T00:00:00Z`)];
    const count = async (sql: string) => Number((await pool.query(sql, range) as unknown as [[{ n: number }]])[0][0].n);
    const inRange = 'b.starts_at >= ? AND b.starts_at < ?';
    return {
      bookings: await count(`SELECT COUNT(*) AS n FROM bookings b WHERE ${inRange}`),
      patients: await count(`SELECT COUNT(*) AS n FROM patients p JOIN bookings b ON b.patient_id = p.id WHERE ${inRange}`),
      events: await count(`SELECT COUNT(*) AS n FROM booking_events e JOIN bookings b ON b.id = e.booking_id WHERE ${inRange}`),
      outbox: await count(`SELECT COUNT(*) AS n FROM workflow_outbox o JOIN bookings b ON o.workflow_id = CONCAT('booking:', b.id) WHERE ${inRange}`),
    };
  };
  const [apiRows, rawRows] = [await rowsIn(0, RAW_SHIFT), await rowsIn(RAW_SHIFT, RAW_SHIFT + 28)];

  const report = (name: string, r: RunResult, rows: Awaited<ReturnType<typeof rowsIn>>) => {
    const s = line(name, r.times, `  ${(r.created / r.seconds).toFixed(0).padStart(5)} bookings/s`);
    console.log(`${''.padEnd(44)} created ${r.created}, rejected as taken ${r.conflicts}, errors ${r.errors}, ${r.seconds.toFixed(2)} s;`
      + ` rows written: ${rows.bookings} bookings, ${rows.patients} patients, ${rows.events} booking events, ${rows.outbox} outbox rows`);
    for (const e of r.firstErrors) console.log(`${''.padEnd(44)} error: ${e}`);
    return s;
  };
  const perBooking = (ms: number | null, r: RunResult) => (ms === null ? 'n/a' : `${(ms / r.created).toFixed(2)} ms`);
  const share = (ms: number | null, r: RunResult) => (ms === null ? '' : ` (${((ms / 1000 / r.seconds) * 100).toFixed(0)} % of one core)`);
  console.log('');
  const a = report('API: bookings.create over HTTP', api, apiRows);
  report(`raw mysql2 transaction (same rows)`, raw, rawRows);
  console.log('\none booking at a time (no concurrency):');
  line('  API: bookings.create over HTTP', seqApi);
  line('  raw mysql2 transaction', seqRaw);
  console.log(`SQL statements per booking: API request ${apiStatements} (session validation, SET TRANSACTION, BEGIN and COMMIT included),`
    + ` raw ${rawStatementsPerRequest.toFixed(2)} on average (9 when created, 5 when taken)`);
  console.log(`CPU per created booking during the runs (database: ${dbPid}; it also counts other clients of the same server, which used`
    + ` ${dbBackgroundPerS === null ? 'n/a' : `${(dbBackgroundPerS / 10).toFixed(0)} % of one core`} in the 2 s before the runs):`);
  console.log(`  API run: API process${API_PROCESSES > 1 ? `es (${API_PROCESSES})` : ''} ${perBooking(apiCpu.app, api)}${share(apiCpu.app, api)}, database server ${perBooking(apiCpu.db, api)}${share(apiCpu.db, api)},`
    + ` load generator ${perBooking(apiCpu.gen, api)}${share(apiCpu.gen, api)}`);
  console.log(`  raw run: database server ${perBooking(rawCpu.db, raw)}${share(rawCpu.db, raw)}, load generator + mysql2 ${perBooking(rawCpu.gen, raw)}${share(rawCpu.gen, raw)}`);
  console.log(`the API runs as its own process${API_PROCESSES > 1 ? `es (${API_PROCESSES})` : ''} (bench/api-server.ts: createApp + listen); this process is only the load generator`
    + ' (16 keep-alive node:http clients) and the raw mysql2 clients; workflows are not started (no-op WorkflowGateway), their outbox rows are written');
  console.log(`machine: ${machineNote()}`);
  console.log(`double bookings (overlapping active bookings of one physician, whole table): ${Number(doubles)}`);
  const apiPerS = api.created / api.seconds;
  const rawPerS = raw.created / raw.seconds;
  const ratio = apiPerS / rawPerS;
  console.log(`goal ratio ≥ 0.5 with 0 double bookings: ${ratio >= 0.5 && Number(doubles) === 0 ? 'met' : 'NOT met'} (ratio ${ratio.toFixed(2)})`);
  if (api.errors || raw.errors) throw new Error('some requests failed (see above)');
  for (const [name, rows, r] of [['API', apiRows, api], ['raw', rawRows, raw]] as const) {
    if (rows.bookings !== r.created || rows.patients !== r.created || rows.events !== r.created || rows.outbox !== r.created) {
      throw new Error(`${name}: rows in the tables differ from the bookings reported as created: ${JSON.stringify(rows)}`);
    }
  }
  const round = (v: number | null, f = 100) => (v === null ? null : Math.round(v * f) / f);
  console.log(JSON.stringify({
    bench: 'booking', api_per_s: round(apiPerS, 10), raw_per_s: round(rawPerS, 10), ratio: round(ratio), p95_ms: a.p95, double_bookings: Number(doubles),
    requests: jobs.length, concurrency: CONCURRENCY, api_processes: API_PROCESSES, raw_p95_ms: summary(raw.times).p95, api_statements: apiStatements,
    cpu_ms_per_booking: { api_process: round(apiCpu.app / api.created), db_api_run: round(apiCpu.db === null ? null : apiCpu.db / api.created),
      db_raw_run: round(rawCpu.db === null ? null : rawCpu.db / raw.created), load_generator_api_run: round(apiCpu.gen / api.created),
      load_generator_raw_run: round(rawCpu.gen / raw.created) },
    db_background_pct_of_core: dbBackgroundPerS === null ? null : Math.round(dbBackgroundPerS / 10),
  }));
});
