/**
 * `npm run bench:load`: a realistic mix of work through the HTTP API by N concurrent users (default 50) for a bounded
 * time, against a local stack this benchmark starts itself: a scratch database seeded with realistic volume, the API
 * (`server/main.ts`) and the worker (`workflows/worker.ts`) as their own processes, configured by environment as in
 * production, the Temporal server at TEMPORAL_ADDRESS (a dev server in memory is started when none answers there) on
 * a task queue of its own, and an SMTP sink in this process. This process is only the load generator.
 *
 * Users: half are a partner's bookers ("Can book to partner institution", with access to patient data), half the
 * institution's reception staff — each user signs in as themself (argon2id, the real sign-in) and keeps their own
 * session. Every user sends from their own address (X-Forwarded-For through a trusted proxy, TRUST_PROXY=loopback, as
 * behind a load balancer): the per-IP limits (decision 010) stay on at their defaults and are not hit by 50 people in
 * 50 offices; the per-user limits apply as they are. Users start over the ramp-up (default 10 s), then work in a loop
 * with a think time between actions (default 1 s ± 50 %): a user of the back office does not click 10 times a second.
 *
 * Mix (each action one HTTP request, booking details two at once as on its page — the details and the workflow's
 * next step; weights in MIX below):
 *   bookers — week calendar of a qualification, patient search, booking (a free slot of the calendar just viewed, new
 *             or found patient), move of an own booking to a free slot, cancellation of an own booking, my bookings,
 *             booking details, partner statistics, sign out and in again;
 *   staff   — institution calendar of a qualification, patient search, phone booking, move, cancellation, booking
 *             details, institution statistics (this month, last month), partner-submitted statistics, sign out and in.
 * "This slot was just taken" (two users clicking the same green slot at once) is a correct answer and counted as a
 * conflict, not an error; any other non-2xx answer, a 429 included, is an error.
 *
 * Data: one institution (Europe/Bucharest) with BENCH_PHYSICIANS (default 100) physicians Mon–Fri 08:00–16:00,
 * BENCH_PATIENTS (20,000) patients and BENCH_PRELOAD (100,000) bookings, the last four weeks of them ahead (4 a
 * physician a day, so the calendars users book into are a quarter full); a partner with an active partnership.
 *
 * Settings: BENCH_USERS (50), BENCH_DURATION_S (60), BENCH_RAMP_S (10), BENCH_THINK_MS (1000; 0 = no pause, a
 * saturation test), TEMPORAL_ADDRESS (default 127.0.0.1:7233),
 * BENCH_CPU_PROF=<dir> (a V8 CPU profile of the API process). Prints the figures per operation and, as its last line, one JSON object.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { bundleWorkflowCode } from '@temporalio/worker';
import { channelServices, partnerships, services, users } from '../db/schema';
import { hashPassword } from '../server/auth/password';
import { SEARCH_ATTRIBUTES, settlementScheduleId } from '../server/workflow-outbox';
import { Client, Connection } from '@temporalio/client';
import { addDays, isoWeekday } from '../server/domain/zoned-time';
import { isReachable } from '../scripts/net';
import {
  bulkLoadBookings, createInstitution, createPatients, databaseCpuMs, line, ownCpuMs, machineNote, performance, scratchDatabase, summary, today, weekdaysBefore,
  type BenchInstitution,
} from './lib';

const USERS = Number(process.env.BENCH_USERS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const RAMP_S = Number(process.env.BENCH_RAMP_S ?? 10);
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const PHYSICIANS = Number(process.env.BENCH_PHYSICIANS ?? 100);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 20_000);
const PRELOAD = Number(process.env.BENCH_PRELOAD ?? 100_000);
const PASSWORD = 'Bench-Load-Password-2026';
const AHEAD_WEEKDAYS = 20;

// ---------------------------------------------------------------------------------------------------------------
// The stack

interface Proc { name: string; child: ChildProcess; log: string }
const procs: Proc[] = [];
let logDir = tmpdir();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Starts a child with its output (the JSON logs) going to a file, as a deployment's log collector would take it: a
 * pipe to this process would make every log line a synchronous write that waits for the load generator to read it.
 */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const proc: Proc = { name, child, log };
  procs.push(proc);
  return proc;
}

const tail = (p: Proc) => { try { return readFileSync(p.log, 'utf8').split('\n').slice(-60).join('\n'); } catch { return ''; } };

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = procs.find((p) => p.child.exitCode !== null || p.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.child.signalCode ?? dead.child.exitCode}):\n${tail(dead)}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAll(which: (p: Proc) => boolean = () => true) {
  for (const p of [...procs].reverse().filter(which)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
      p.child.once('exit', () => { clearTimeout(timer); done(); });
      p.child.kill('SIGTERM');
    });
  }
}

/** An SMTP server that accepts and counts the workflows' emails. */
async function smtpSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, callback) { stream.on('data', () => undefined); stream.on('end', () => { received++; callback(); }); },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: node:http with a keep-alive agent (cheap for the load generator); one cookie and one client address per user

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

interface Answer { status: number; body: any; setCookie: string[] }

/**
 * One request. A kept-alive socket the server closed just as it was reused fails with ECONNRESET before anything was
 * processed: sent again once on a fresh socket, as browsers do (Node's documented pattern, `req.reusedSocket`).
 */
async function request(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> {
  try {
    return await requestOnce(url, method, headers, body);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET') return requestOnce(url, method, headers, body);
    throw err;
  }
}

function requestOnce(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON: kept as text for the error report */ }
        resolve({ status: res.statusCode ?? 0, body: parsed, setCookie: ([] as string[]).concat(res.headers['set-cookie'] ?? []) });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

/** CPU time (ms, user + system) of a process from /proc (Linux), or null. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch { return null; }
}

class User {
  cookie = '';
  /** Own bookings still booked, with their version (for moves and cancellations). */
  bookings: { id: number; version: number }[] = [];
  constructor(readonly n: number, readonly kind: 'booker' | 'staff', readonly email: string, readonly base: string) {}
  /** 10.<n>: each user in an office of their own. */
  get ip() { return `10.${(this.n >> 16) & 255}.${(this.n >> 8) & 255}.${(this.n & 255) + 1}`; }
  private headers(): Record<string, string> {
    return { origin: this.base, 'x-forwarded-for': this.ip, ...(this.cookie ? { cookie: this.cookie } : {}) };
  }
  query(path: string, input: unknown) {
    return request(`${this.base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, 'GET', this.headers());
  }
  async mutation(path: string, input: unknown) {
    const a = await request(`${this.base}/trpc/${path}`, 'POST', this.headers(), JSON.stringify(input));
    for (const c of a.setCookie) {
      const [pair] = c.split(';');
      this.cookie = /Max-Age=0/i.test(c) ? '' : pair;
    }
    return a;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

const times = new Map<string, number[]>();
const errors = new Map<string, number>();
const firstErrors: string[] = [];
let conflicts = 0;
let measuring = false;

/** Runs one action; records its time under `op` (while measuring) and classifies its answer. */
async function timed(op: string, run: () => Promise<Answer>): Promise<Answer | null> {
  const t = performance.now();
  let a: Answer;
  try {
    a = await run();
  } catch (err) {
    if (measuring) { errors.set(op, (errors.get(op) ?? 0) + 1); if (firstErrors.length < 10) firstErrors.push(`${op}: ${String(err)}`); }
    return null;
  }
  const ms = performance.now() - t;
  if (measuring) {
    times.set(op, [...(times.get(op) ?? []), ms]);
    if (a.status >= 200 && a.status < 300) return a;
    if (a.status === 409 && a.body?.error?.data?.key === 'bookings.slot_taken') { conflicts++; return a; }
    errors.set(op, (errors.get(op) ?? 0) + 1);
    if (firstErrors.length < 10) firstErrors.push(`${op}: HTTP ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
  }
  return a.status >= 200 && a.status < 300 ? a : null;
}

// ---------------------------------------------------------------------------------------------------------------
// What users do

interface World { inst: BenchInstitution; mondays: string[]; qualifications: number[]; patientNames: string[]; thisMonth: string }

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];
const data = (a: Answer | null) => a?.body?.result?.data;
type Free = { physicianId: number; serviceId: number; startsAt: string };

/** The free slots of a calendar answer (only slots at least a day ahead: nobody books for the next minutes here). */
function freeSlots(week: any): Free[] {
  const soon = Date.now() + 24 * 3_600_000;
  const out: Free[] = [];
  for (const c of week?.calendars ?? []) {
    for (const d of c.days) for (const f of d.free) if (Date.parse(f.startsAt) > soon) out.push({ physicianId: c.physicianId, serviceId: c.serviceIds[0], startsAt: f.startsAt });
  }
  return out;
}

async function viewCalendar(u: User, w: World, physicianId?: number): Promise<Free[]> {
  const filter = physicianId ? { physicianId } : { qualificationId: pick(w.qualifications) };
  const input = { locationId: w.inst.locationId, weekStart: pick(w.mondays), ...filter };
  const a = u.kind === 'booker'
    ? await timed('bookings.calendars', () => u.query('bookings.calendars', { institutionId: w.inst.institutionId, ...input }))
    : await timed('bookings.institutionCalendar', () => u.query('bookings.institutionCalendar', input));
  return freeSlots(data(a));
}

async function searchPatients(u: User, w: World) {
  const a = await timed('bookings.searchPatients', () => u.query('bookings.searchPatients', { institutionId: w.inst.institutionId, query: pick(w.patientNames) }));
  return (data(a)?.patients ?? []) as { id: number; ref: string }[];
}

async function book(u: User, w: World) {
  const free = await viewCalendar(u, w);
  if (!free.length) return;
  const slot = pick(free);
  // A third of the bookings are for a patient found by a search first.
  let patient: unknown = { kind: 'new', name: `Load Patient ${u.n} ${randomBytes(3).toString('hex')}`, birthDate: '1982-03-04', phone: '+40 722 555 010' };
  if (Math.random() < 1 / 3) {
    const found = await searchPatients(u, w);
    if (found.length) { const p = pick(found); patient = { kind: 'existing', patientId: p.id, ref: p.ref }; }
  }
  const common = { locationId: w.inst.locationId, physicianId: slot.physicianId, serviceId: slot.serviceId, startsAt: slot.startsAt, patient, idempotencyKey: `load-${randomBytes(8).toString('hex')}` };
  const a = u.kind === 'booker'
    ? await timed('bookings.create', () => u.mutation('bookings.create', { institutionId: w.inst.institutionId, ...common }))
    : await timed('bookings.createForInstitution', () => u.mutation('bookings.createForInstitution', { ...common, source: { kind: 'phone' } }));
  const id = data(a)?.bookingId;
  if (id) u.bookings.push({ id, version: 1 });
}

async function move(u: User, w: World) {
  const mine = u.bookings.length ? pick(u.bookings) : null;
  if (!mine) return book(u, w);
  const details = data(await timed('bookings.get', () => u.query('bookings.get', { bookingId: mine.id })));
  if (!details || details.status !== 'booked') return;
  const free = await viewCalendar(u, w, details.physicianId);
  if (!free.length) return;
  const a = await timed('bookings.move', () => u.mutation('bookings.move', { bookingId: mine.id, version: details.version, startsAt: pick(free).startsAt }));
  const version = data(a)?.version;
  if (version) mine.version = version;
}

async function cancel(u: User, w: World) {
  const i = Math.floor(Math.random() * u.bookings.length);
  if (!u.bookings.length) return book(u, w);
  const [mine] = u.bookings.splice(i, 1);
  await timed('bookings.cancel', () => u.mutation('bookings.cancel', { bookingId: mine.id, reason: 'Patient asked to cancel (load benchmark)' }));
}

async function details(u: User, w: World) {
  if (!u.bookings.length) return viewCalendar(u, w);
  // As the details page: the details from the database and, alongside, the workflow's next step (Temporal query).
  const bookingId = pick(u.bookings).id;
  await Promise.all([
    timed('bookings.get', () => u.query('bookings.get', { bookingId })),
    timed('bookings.workflowStep', () => u.query('bookings.workflowStep', { bookingId })),
  ]);
}

async function signIn(u: User) {
  await timed('auth.signIn', () => u.mutation('auth.signIn', { email: u.email, password: PASSWORD }));
}

async function signOutIn(u: User) {
  await timed('auth.signOut', () => u.mutation('auth.signOut', {}));
  await signIn(u);
}

type Action = (u: User, w: World) => Promise<unknown>;
const MIX: Record<User['kind'], [number, Action][]> = {
  booker: [
    [30, (u, w) => viewCalendar(u, w)],
    [12, searchPatients],
    [18, book],
    [8, move],
    [5, cancel],
    [10, (u) => timed('bookings.myBookings', () => u.query('bookings.myBookings', { scope: 'upcoming', page: 1 }))],
    [5, details],
    [8, (u) => timed('statistics.partner', () => u.query('statistics.partner', { period: { kind: pick(['thisMonth', 'lastMonth']) }, page: 1, pageSize: 25 }))],
    [2, signOutIn],
  ],
  staff: [
    [30, (u, w) => viewCalendar(u, w)],
    [15, searchPatients],
    [14, book],
    [8, move],
    [5, cancel],
    [8, details],
    [12, (u) => timed('statistics.institution', () => u.query('statistics.institution', { period: { kind: pick(['thisMonth', 'lastMonth']) }, page: 1, pageSize: 25 }))],
    [5, (u) => timed('statistics.partnerSubmitted', () => u.query('statistics.partnerSubmitted', { period: { kind: 'thisMonth' }, page: 1, pageSize: 25 }))],
    [2, signOutIn],
  ],
};

function chooseAction(kind: User['kind']): Action {
  const mix = MIX[kind];
  let r = Math.random() * mix.reduce((s, [wt]) => s + wt, 0);
  for (const [wt, act] of mix) { r -= wt; if (r < 0) return act; }
  return mix[0][1];
}

const think = () => new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));

// ---------------------------------------------------------------------------------------------------------------

let result: object | null = null;
let taskQueue = '';
let cleanTemporal = async () => {};
const scratch = await scratchDatabase('bench_load', 8);
try {
  const { url, database } = scratch;
  const { db } = database;
  const now = new Date();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-load-'));
  logDir = tmp;
  const smtp = await smtpSink();
  try {
    // Data: past bookings up to four weeks ahead, so the calendars users book into are partly full.
    const bookers = Math.ceil(USERS / 2);
    const staffCount = USERS - bookers;
    const preloadDays = Math.ceil(PRELOAD / (PHYSICIANS * 4));
    const firstDate = weekdaysBefore(today(now), Math.max(1, preloadDays - AHEAD_WEEKDAYS));
    // Workflow IDs derive from row IDs (booking:<id>, schedule:settlement:<institutionId>) and the Temporal server may be
    // shared (a dev stack's, the tests'): IDs from a range of their own, so that no start replaces another's workflow.
    const idBase = 1_000_000 * (1_001 + Math.floor(Math.random() * 1_000));
    for (const table of ['organisations', 'users', 'partnerships', 'bookings', 'patients']) await database.pool.query(`ALTER TABLE \`${table}\` AUTO_INCREMENT = ${idBase}`);
    const inst = await createInstitution(db, { physicianCount: PHYSICIANS, bookers, validFrom: firstDate });
    const hash = await hashPassword(PASSWORD);
    await db.update(users).set({ passwordHash: hash }).where(eq(users.organisationId, inst.partnerOrganisationId));
    await db.update(partnerships).set({ patientDataAccess: true }).where(eq(partnerships.id, inst.partnershipId));
    // The phone channel offers every service (Traffic Channels), so reception can book what callers ask for.
    const ownServices = await db.select({ id: services.id }).from(services).where(eq(services.organisationId, inst.institutionId));
    await db.insert(channelServices).values(ownServices.map((s) => ({ institutionId: inst.institutionId, serviceId: s.id, channelKey: 'phone', partnershipId: null })));
    const staffEmails = Array.from({ length: staffCount }, (_, i) => `staff${i}@bench-clinic.test`);
    if (staffCount) {
      await db.insert(users).values(staffEmails.map((email, i) => ({
        organisationId: inst.institutionId, email, name: `Reception ${i}`, role: 'staff' as const, canBookPartner: false, status: 'active' as const, passwordHash: hash, locale: 'en' as const,
      })));
    }
    const patientIds = PATIENTS > 0 ? await createPatients(url, inst, PATIENTS) : [];
    if (PRELOAD > 0) await bulkLoadBookings(url, inst, PRELOAD, firstDate, now, patientIds.length ? patientIds : [0]);
    await database.pool.query('ANALYZE TABLE bookings, patients');

    // The stack: Temporal (given or in memory), worker and API as their own processes.
    let temporalAddress = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
    if (!(await isReachable(temporalAddress))) {
      temporalAddress = `127.0.0.1:${await freePort()}`;
      console.log(`no Temporal server at ${process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233'}: starting a dev server in memory at ${temporalAddress}`);
      start('temporal', process.env.TEMPORAL_BIN ?? 'temporal', [
        'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', temporalAddress.split(':')[1], '--log-level', 'error',
        ...SEARCH_ATTRIBUTES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
      ], process.env);
      await waitUntil('Temporal', () => isReachable(temporalAddress));
    }
    const bundlePath = join(tmp, 'workflows.js');
    const { code } = await bundleWorkflowCode({
      workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname,
      logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never,
    });
    writeFileSync(bundlePath, code);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    taskQueue = `bench-load-${randomBytes(4).toString('hex')}`;
    cleanTemporal = async () => {
      // What this run left on the Temporal server: its booking workflows (on a task queue nobody polls any more) and
      // the institution's settlement schedule the worker created.
      const connection = await Connection.connect({ address: temporalAddress });
      try {
        const client = new Client({ connection });
        // The visibility store lags a little behind the last starts: list again until none is left.
        for (let round = 0; round < 5; round++) {
          let found = 0;
          for await (const w of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
            found++;
            await client.workflow.getHandle(w.workflowId, w.runId).terminate('bench:load finished').catch(() => undefined);
          }
          if (!found && round > 0) break;
          await new Promise((r) => setTimeout(r, 1_000));
        }
        await client.schedule.getHandle(settlementScheduleId(inst.institutionId)).delete().catch(() => undefined);
      } finally { await connection.close(); }
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env, DATABASE_URL: url, PORT: String(port), APP_URL: base, APP_SECRET: randomBytes(32).toString('hex'),
      TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: smtp.url,
      COOKIE_SECURE: 'false', TRUST_PROXY: 'loopback', WORKFLOW_BUNDLE_PATH: bundlePath,
    };
    start('worker', process.execPath, ['--import', 'tsx', 'workflows/worker.ts'], env);
    const cpuProf = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
    const api = start('api', process.execPath, [...cpuProf, '--import', 'tsx', 'server/main.ts'], env);
    const worker = procs.find((p) => p.name === 'worker')!;
    await waitUntil('the API', async () => (await request(`${base}/healthz`, 'GET', {})).status === 200);

    // Upcoming Mondays with bookable days (the next four weeks), the qualifications of the calendar filters, and the
    // first names users type into the patient search.
    const mondays: string[] = [];
    for (let d = addDays(today(now), 1); mondays.length < 4; d = addDays(d, 1)) if (isoWeekday(d) === 1) mondays.push(d);
    const world: World = {
      inst, mondays, qualifications: [inst.qualification20, inst.qualification5], thisMonth: today(now).slice(0, 7),
      patientNames: ['Bench Patient 1', 'Bench Patient 2', 'Bench Patient 34', 'Bench Patient 567', 'Bench Patient 1234', 'Patient 99'],
    };
    const people = [
      ...Array.from({ length: bookers }, (_, i) => new User(i, 'booker', `booker${i}@bench-partner.test`, base)),
      ...staffEmails.map((email, i) => new User(bookers + i, 'staff', email, base)),
    ];

    // Warm-up: every code path once (JIT, connections, buffer pool), not measured.
    const warm = [people[0], people[people.length - 1]];
    for (const u of warm) {
      await signIn(u);
      for (const [, act] of MIX[u.kind]) await act(u, world);
      u.bookings = [];
      u.cookie = '';
    }

    console.log(`\n${USERS} users (${bookers} partner bookers, ${staffCount} reception staff), ${DURATION_S} s after a ${RAMP_S} s ramp-up,`
      + ` think time ${THINK_MS} ms ± 50 %; ${PHYSICIANS} physicians, ${PATIENTS.toLocaleString('en')} patients, ${PRELOAD.toLocaleString('en')} bookings preloaded`);
    console.log(`machine: ${machineNote()}`);
    const cpu = () => ({ api: processCpuMs(api.child.pid), worker: processCpuMs(worker.child.pid), db: databaseCpuMs(), gen: ownCpuMs() });
    const cpu0 = cpu();
    measuring = true;
    const started = performance.now();
    const endAt = started + (RAMP_S + DURATION_S) * 1000;
    await Promise.all(people.map(async (u, i) => {
      await new Promise((r) => setTimeout(r, (RAMP_S * 1000 * i) / USERS));
      await signIn(u);
      while (performance.now() < endAt) {
        await think();
        if (performance.now() >= endAt) break;
        if (!u.cookie) await signIn(u);
        else await chooseAction(u.kind)(u, world);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    measuring = false;
    const cpu1 = cpu();

    console.log('');
    const all: number[] = [];
    for (const op of [...times.keys()].sort()) {
      const t = times.get(op)!;
      all.push(...t);
      line(op, t, `  errors ${errors.get(op) ?? 0}`);
    }
    const total = summary(all);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    line('all operations', all, `  ${(all.length / seconds).toFixed(1)} ops/s`);
    console.log(`${all.length} operations in ${seconds.toFixed(1)} s; errors ${errorCount}; "slot just taken" answers ${conflicts}; emails sent by the workflows ${smtp.received()}`);
    for (const e of firstErrors) console.log(`  error: ${e}`);
    const share = (a: number | null, b: number | null) => (a === null || b === null ? 'n/a' : `${(((b - a) / 1000 / seconds) * 100).toFixed(0)} %`);
    console.log(`CPU during the run (100 % = one core): API ${share(cpu0.api, cpu1.api)}, worker ${share(cpu0.worker, cpu1.worker)},`
      + ` database server ${share(cpu0.db, cpu1.db)} (all its clients), load generator ${share(cpu0.gen, cpu1.gen)}`);
    // CPU time per operation depends far less on other load of the machine than the latencies do.
    const perOp = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / all.length);
    const cpuPerOp = { api: perOp(cpu0.api, cpu1.api), worker: perOp(cpu0.worker, cpu1.worker), db: perOp(cpu0.db, cpu1.db) };
    const fmt = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
    console.log(`CPU per operation: API ${fmt(cpuPerOp.api)}, worker ${fmt(cpuPerOp.worker)}, database server ${fmt(cpuPerOp.db)} (≤: it counts other clients too)`);
    result = ({
      bench: 'load', users: USERS, duration_s: Math.round(seconds), think_ms: THINK_MS, ops: all.length,
      ops_per_s: Math.round((all.length / seconds) * 10) / 10, p50_ms: total.p50, p95_ms: total.p95, p99_ms: total.p99, errors: errorCount, conflicts,
      api_cpu_ms_per_op: cpuPerOp.api === null ? null : Math.round(cpuPerOp.api * 10) / 10, load_average: Number(loadavg()[0].toFixed(2)),
    });
  } finally {
    // The API and worker first (no more starts), then the cleanup on Temporal, then the dev server if this run has one.
    await stopAll((p) => p.name !== 'temporal');
    await cleanTemporal().catch((err) => console.error('could not clean up on the Temporal server:', err));
    await stopAll();
    await smtp.close();
    // The processes' logs stay when something went wrong.
    if (result && !(result as { errors: number }).errors) rmSync(tmp, { recursive: true, force: true });
    else console.log(`the API's and the worker's logs: ${tmp}`);
  }
} catch (err) {
  console.error(err);
} finally {
  await scratch.drop().catch((err) => console.error('could not drop the scratch database:', err));
}
// The last line: one JSON object (the scratch database's "dropped" line comes before it).
if (result) console.log(JSON.stringify(result));
process.exit(result ? 0 : 1);
