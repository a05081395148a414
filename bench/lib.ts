/**
 * Shared pieces of the booking benchmarks (bench/calendar.ts, bench/booking.ts): a scratch database that is dropped
 * at the end (also on failure or Ctrl-C), a minimal institution with many physicians and a partner with bookers, a
 * fast bulk load of bookings, a query counter on the mysql2 pool, the real Express app with a no-op workflow gateway
 * (in this process, or as its own process like in production: `spawnApp`), CPU time of the processes involved, and
 * percentiles.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { cpus, loadavg } from 'node:os';
import mysql from 'mysql2/promise';
import { migrateDatabase } from '../db/migrate';
import { createDatabase, type Database, type Db } from '../db/client';
import {
  channelServices, locations, organisations, partnershipLocations, partnerships, physicianLocations, physicianQualifications,
  physicians, qualifications, schedules, services, users,
} from '../db/schema';
import { createSession } from '../server/auth/session';
import { createApp } from '../server/app';
import { loadConfig, type Config } from '../server/config';
import type { WorkflowGateway } from '../server/workflow-outbox';
import { addDays, isoWeekday, localDateTimeToInstant, todayIn } from '../server/domain/zoned-time';

// Benchmarks measure the API, not its request log: a JSON line per request only when asked for (LOG_LEVEL=info).
// The logger is made at its first use (server/logger.ts), and the forked API process inherits this.
process.env.LOG_LEVEL ??= 'warn';

export const BASE_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TZ = 'Europe/Bucharest';

// ---------------------------------------------------------------------------------------------------------------
// Scratch database

export interface Scratch { name: string; url: string; database: Database; drop(): Promise<void> }

/** Creates and migrates `<prefix>_<random>`; `drop()` closes the pool and drops it (idempotent, also on SIGINT). */
export async function scratchDatabase(prefix: string, connectionLimit = 20): Promise<Scratch> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const url = `${BASE_URL}/${name}`;
  let dropped = false;
  let database: Database | null = null;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await database?.close().catch(() => undefined);
    const conn = await mysql.createConnection({ uri: `${BASE_URL}/` });
    try { await conn.query(`DROP DATABASE IF EXISTS \`${name}\``); } finally { await conn.end(); }
    console.log(`scratch database ${name} dropped`);
  };
  const onSignal = () => { drop().finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await migrateDatabase(url);
    database = createDatabase(url, connectionLimit);
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  console.log(`scratch database ${name} (MariaDB/MySQL at ${BASE_URL.replace(/\/\/[^@]*@/, '//')})`);
  return { name, url, database, drop };
}

/** Runs the benchmark body, always drops the scratch database, exits non-zero on failure. */
export async function runBench(prefix: string, body: (s: Scratch) => Promise<void>, connectionLimit?: number) {
  let scratch: Scratch | null = null;
  let failed = false;
  try {
    scratch = await scratchDatabase(prefix, connectionLimit);
    await body(scratch);
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await scratch?.drop().catch((err) => { failed = true; console.error('could not drop the scratch database:', err); });
  }
  process.exit(failed ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Query counting

type Countable = { query: (...a: any[]) => any; execute: (...a: any[]) => any };

/** Counts every statement sent through the promise pool (including those on connections it hands out). */
export function countQueries(pool: mysql.Pool) {
  const counter = { n: 0, reset() { const n = counter.n; counter.n = 0; return n; } };
  const wrap = (target: Countable) => {
    const q = target.query.bind(target);
    const e = target.execute.bind(target);
    target.query = (...a: any[]) => { counter.n++; return q(...a); };
    target.execute = (...a: any[]) => { counter.n++; return e(...a); };
  };
  wrap(pool as unknown as Countable);
  const wrapped = new WeakSet<object>();
  const getConnection = pool.getConnection.bind(pool);
  (pool as { getConnection: typeof pool.getConnection }).getConnection = async () => {
    const conn = await getConnection();
    if (!wrapped.has(conn)) { wrapped.add(conn); wrap(conn as unknown as Countable); }
    return conn;
  };
  return counter;
}

// ---------------------------------------------------------------------------------------------------------------
// The app

/** Workflows are not started: the outbox rows are still written in the booking transaction (that is what costs). */
export const noopWorkflows: WorkflowGateway = {
  dispatchSoon() {},
  dispatchPending: async () => 0,
  signalPasswordSet: async () => {},
  partnerInvitationState: async () => null,
  bookingState: async () => null,
  temporalReachable: async () => false,
  client: () => Promise.reject(new Error('benchmark: no Temporal client')),
  close: async () => {},
};

export interface RunningApp { base: string; config: Config; close(): Promise<void> }

export async function startApp(db: Db, databaseUrl: string): Promise<RunningApp> {
  const config: Config = { ...loadConfig({ ...process.env, APP_SECRET: randomBytes(32).toString('hex') }), databaseUrl };
  const app = createApp({ db, config, workflows: noopWorkflows }, '/nonexistent');
  const server: Server = await new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  server.keepAliveTimeout = 60_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, config, close: () => new Promise<void>((r) => { agent.destroy(); server.closeAllConnections(); server.close(() => r()); }) };
}

/** The API in its own process (bench/api-server.ts), as in production; the caller's process is only the load generator. */
export interface SpawnedApp {
  base: string;
  pid: number;
  close(): Promise<void>;
  /** SQL statements the app sent since the last call (session validation included). */
  queries(): Promise<number>;
  /** The app process's CPU time so far, in ms (user + system). */
  cpuMs(): Promise<number>;
}

export async function spawnApp(databaseUrl: string, opts: { pool?: number; cpuProfDir?: string } = {}): Promise<SpawnedApp> {
  const execArgv = ['--import', 'tsx', ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [])];
  const child = fork(fileURLToPath(new URL('./api-server.ts', import.meta.url)), [], {
    execArgv, env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_APP_POOL: String(opts.pool ?? 16) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(msg: string, key: string) => new Promise<T>((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => { if (key in m) { child.off('message', onMessage); resolve(m[key] as T); } };
    child.on('message', onMessage);
    child.send(msg, (err) => { if (err) reject(err); });
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench/api-server.ts exited with ${code} before listening`)));
    child.on('message', (m: { ready?: number }) => { if (m.ready) resolve(m.ready); });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base, pid: child.pid!,
    queries: () => ask<number>('queries', 'queries'),
    cpuMs: async () => { const u = await ask<{ user: number; system: number }>('cpu', 'cpu'); return (u.user + u.system) / 1000; },
    close: () => new Promise<void>((resolve) => {
      agent.destroy();
      if (child.exitCode !== null) return resolve();
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.send('stop');
    }),
  };
}

/**
 * CPU time (ms, user + system) of the database server process, from /proc (Linux, same machine), or null when not
 * found or not readable. It counts everything the server does, including other clients' work on a shared machine.
 */
export function databaseCpuMs(): number | null {
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try { comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { continue; }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks (100 per second).
      return (Number(fields[11]) + Number(fields[12])) * 10;
    }
  } catch { /* not Linux or not readable */ }
  return null;
}

/** This process's CPU time so far, in ms (user + system). */
export function ownCpuMs() { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }

// The load generator: node:http with a keep-alive agent costs it far less CPU than fetch.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.body ? { ...init.headers, 'content-length': Buffer.byteLength(init.body) } : init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A tRPC query over HTTP (GET); throws with the body on a non-2xx answer. */
export async function trpcQuery<T = unknown>(base: string, cookie: string, path: string, input: unknown): Promise<T> {
  const res = await request(`${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { method: 'GET', headers: { cookie } });
  if (res.status < 200 || res.status > 299) throw new Error(`${path}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  return (JSON.parse(res.text) as { result: { data: T } }).result.data;
}

/** A tRPC mutation over HTTP (POST with the app's own Origin); returns status and parsed body without throwing. */
export async function trpcMutation(base: string, cookie: string, path: string, input: unknown): Promise<{ status: number; body: any }> {
  const res = await request(`${base}/trpc/${path}`, {
    method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify(input),
  });
  return { status: res.status, body: JSON.parse(res.text) };
}

// ---------------------------------------------------------------------------------------------------------------
// Data

export interface BenchInstitution {
  institutionId: number;
  partnerOrganisationId: number;
  partnershipId: number;
  locationId: number;
  /** Physician ids in creation order; physicianService[i] is the 30-minute service physician i can perform. */
  physicianIds: number[];
  physicianService: number[];
  /** Qualification whose physicians are exactly physicianIds[0..19], and one with exactly physicianIds[20..24]. */
  qualification20: number;
  qualification5: number;
  bookerUserIds: number[];
  bookerCookies: string[];
  /** First local date of the weekly schedules. */
  validFrom: string;
}

/** Working hours of every physician: Monday–Friday, 08:00–16:00 local, one location: 16 slots of 30 minutes a day. */
export const DAY_START = '08:00';
export const SLOTS_PER_DAY = 16;
export const SLOT_MINUTES = 30;

/**
 * One institution (Europe/Bucharest) with one location, `physicianCount` physicians (the first 20 share a
 * qualification, the next 5 another, the rest spread over 4 more), one 30-minute service per qualification, and one
 * partner organisation with an ACTIVE partnership (location granted, every service ticked) and `bookers` users with
 * "Can book to partner institution", each with a session (signed in; no argon2 involved).
 */
export async function createInstitution(db: Db, opts: { physicianCount: number; bookers: number; validFrom: string }): Promise<BenchInstitution> {
  const [inst] = await db.insert(organisations).values({
    name: 'Bench Clinic SRL', country: 'RO', taxNumber: '18547290', registrationNumber: 'J12/1/2020', address: 'Str. Bench 1, Cluj-Napoca',
    isInstitution: true, currency: 'RON', timeZone: TZ,
  }).$returningId();
  const [partner] = await db.insert(organisations).values({
    name: 'Bench Partner SRL', country: 'RO', taxNumber: '14399840', registrationNumber: 'J12/2/2020', address: 'Str. Partner 2, Cluj-Napoca',
  }).$returningId();
  const [loc] = await db.insert(locations).values({ organisationId: inst.id, name: 'Bench Central', address: 'Str. Bench 1', timeZone: TZ }).$returningId();
  const qualIds: number[] = [];
  const serviceIds: number[] = [];
  for (let q = 0; q < 6; q++) {
    const [row] = await db.insert(qualifications).values({ organisationId: inst.id, name: `Bench qualification ${q}` }).$returningId();
    qualIds.push(row.id);
    const [svc] = await db.insert(services).values({
      organisationId: inst.id, qualificationId: row.id, name: `Bench consultation ${q}`, durationMinutes: SLOT_MINUTES,
      priceMinor: 25_000, currency: 'RON', cancellationWindowHours: 24,
    }).$returningId();
    serviceIds.push(svc.id);
  }
  const qualOf = (i: number) => (i < 20 ? 0 : i < 25 ? 1 : 2 + (i % 4));
  const physicianIds: number[] = [];
  for (let i = 0; i < opts.physicianCount; i++) {
    const [p] = await db.insert(physicians).values({ organisationId: inst.id, name: `Dr. Bench ${String(i).padStart(4, '0')}` }).$returningId();
    physicianIds.push(p.id);
  }
  await db.insert(physicianQualifications).values(physicianIds.map((id, i) => ({ physicianId: id, qualificationId: qualIds[qualOf(i)] })));
  await db.insert(physicianLocations).values(physicianIds.map((id) => ({ physicianId: id, locationId: loc.id })));
  await db.insert(schedules).values(physicianIds.flatMap((id) => [1, 2, 3, 4, 5].map((weekday) => ({
    physicianId: id, locationId: loc.id, weekday, startTime: `${DAY_START}:00`, endTime: '16:00:00', weekParity: 'every' as const, validFrom: opts.validFrom,
  }))));
  const [ps] = await db.insert(partnerships).values({
    institutionId: inst.id, partnerOrganisationId: partner.id, status: 'active', contactName: 'Bench Contact', contactEmail: 'contact@bench-partner.test',
    contactPhone: '+40 264 000 000', commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'RON', paymentLocation: 'partner',
    patientDataAccess: false, invitedAt: new Date(), acceptedAt: new Date(),
  }).$returningId();
  await db.insert(partnershipLocations).values({ partnershipId: ps.id, locationId: loc.id });
  await db.insert(channelServices).values(serviceIds.map((serviceId) => ({
    institutionId: inst.id, serviceId, channelKey: `partnership:${ps.id}`, partnershipId: ps.id,
  })));
  const bookerUserIds: number[] = [];
  for (let i = 0; i < opts.bookers; i++) {
    const [u] = await db.insert(users).values({
      organisationId: partner.id, email: `booker${i}@bench-partner.test`, name: `Booker ${i}`, role: 'staff', canBookPartner: true,
      status: 'active', passwordHash: null, locale: 'en',
    }).$returningId();
    bookerUserIds.push(u.id);
  }
  const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
  const bookerCookies = await Promise.all(bookerUserIds.map(async (id) => `pm_session=${(await createSession(db, id, policy)).token}`));
  return {
    institutionId: inst.id, partnerOrganisationId: partner.id, partnershipId: ps.id, locationId: loc.id, physicianIds,
    physicianService: physicianIds.map((_, i) => serviceIds[qualOf(i)]), qualification20: qualIds[0], qualification5: qualIds[1],
    bookerUserIds, bookerCookies, validFrom: opts.validFrom,
  };
}

/** The `count`-th weekday (Mon–Fri) before `date` (exclusive). */
export function weekdaysBefore(date: string, count: number): string {
  let d = date;
  for (let n = 0; n < count;) { d = addDays(d, -1); if (isoWeekday(d) <= 5) n++; }
  return d;
}

/** The real instant of a local wall-clock slot: `slot` × 30 minutes after 08:00 on `date` in the location's zone. */
export function slotStart(date: string, slot: number): Date {
  return new Date(localDateTimeToInstant(date, `${DAY_START}:00`, TZ).getTime() + slot * SLOT_MINUTES * 60_000);
}

const fmt = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

/**
 * Bulk-loads `total` bookings: every physician gets 4 non-overlapping 30-minute bookings on each weekday from
 * `firstDate` on, in the location's working hours (slot 4k + random(0..3), k = 0..3), until `total` rows exist. About
 * 4 % are cancelled, past ones are fulfilled; half are the partner's (with its commission snapshot), half phone
 * bookings of the institution; one in three has a patient. Multi-row INSERTs of 5,000 rows on two connections, with
 * foreign-key and unique checks off for the load session (the generated rows satisfy them by construction).
 */
export async function bulkLoadBookings(url: string, inst: BenchInstitution, total: number, firstDate: string, now: Date, patientIds: number[]) {
  const started = performance.now();
  const perDay = 4;
  const rowsPerDay = inst.physicianIds.length * perDay;
  const batches: string[] = [];
  let values: string[] = [];
  let made = 0;
  let seed = 12345;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  let lastDate = firstDate;
  for (let date = firstDate; made < total; date = addDays(date, 1)) {
    if (isoWeekday(date) > 5) continue;
    lastDate = date;
    const dayStart = localDateTimeToInstant(date, `${DAY_START}:00`, TZ).getTime();
    for (let p = 0; p < inst.physicianIds.length && made < total; p++) {
      for (let k = 0; k < perDay && made < total; k++) {
        const slot = k * 4 + rnd(4);
        const s = new Date(dayStart + slot * SLOT_MINUTES * 60_000);
        const e = new Date(s.getTime() + SLOT_MINUTES * 60_000);
        const cancelled = rnd(25) === 0;
        const status = cancelled ? 'cancelled' : e.getTime() < now.getTime() ? 'fulfilled' : 'booked';
        const partner = made % 2 === 0;
        const patient = made % 3 === 0 ? String(patientIds[rnd(patientIds.length)]) : 'NULL';
        values.push(`(${inst.institutionId},${inst.locationId},${inst.physicianIds[p]},${inst.physicianService[p]},${patient},'${fmt(s)}','${fmt(e)}','${status}',`
          + (partner
            ? `'paid_at_partner','partner',${inst.partnershipId},${inst.bookerUserIds[made % inst.bookerUserIds.length]},${inst.partnerOrganisationId},25000,'RON','fixed',2500,'RON','partner'`
            : `'payment_upon_examination','phone',NULL,NULL,${inst.institutionId},25000,'RON','none',0,NULL,NULL`)
          + `,${cancelled ? `'${fmt(s)}'` : 'NULL'})`);
        made++;
        if (values.length === 5000) { batches.push(values.join(',')); values = []; }
      }
    }
  }
  if (values.length) batches.push(values.join(','));
  const generated = performance.now();
  const head = 'INSERT INTO bookings (institution_id,location_id,physician_id,service_id,patient_id,starts_at,ends_at,status,payment_status,'
    + 'source_channel,partnership_id,booked_by_user_id,booked_by_organisation_id,price_minor,currency,commission_type,commission_value,'
    + 'commission_currency,payment_location,cancelled_at) VALUES ';
  let next = 0;
  const worker = async () => {
    const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
    try {
      await conn.query("SET time_zone = '+00:00', foreign_key_checks = 0, unique_checks = 0");
      while (next < batches.length) { const b = batches[next++]; await conn.query(head + b); }
    } finally { await conn.end(); }
  };
  await Promise.all([worker(), worker()]);
  const seconds = (performance.now() - started) / 1000;
  console.log(`loaded ${made.toLocaleString('en')} bookings (${rowsPerDay} a weekday, ${firstDate} … ${lastDate}) in ${seconds.toFixed(1)} s`
    + ` (generating ${((generated - started) / 1000).toFixed(1)} s, ${batches.length} INSERTs of ≤ 5,000 rows on 2 connections)`);
  return { made, lastDate, seconds };
}

/** `count` patients of the institution, entered by the partner (multi-row INSERTs). */
export async function createPatients(url: string, inst: BenchInstitution, count: number): Promise<number[]> {
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
  try {
    for (let i = 0; i < count; i += 5000) {
      const rows = Array.from({ length: Math.min(5000, count - i) }, (_, j) =>
        `(${inst.institutionId},'Bench Patient ${i + j}','1980-01-01','+40 722 ${String(i + j).padStart(6, '0')}',${inst.partnerOrganisationId})`);
      await conn.query(`INSERT INTO patients (institution_id,name,birth_date,phone,created_by_organisation_id) VALUES ${rows.join(',')}`);
    }
    const [rows] = await conn.query('SELECT id FROM patients WHERE institution_id = ? ORDER BY id', [inst.institutionId]);
    return (rows as { id: number }[]).map((r) => r.id);
  } finally { await conn.end(); }
}

export function today(now = new Date()) { return todayIn(TZ, now); }

// ---------------------------------------------------------------------------------------------------------------
// Figures

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { n: s.length, p50: r(percentile(s, 0.5)), p95: r(percentile(s, 0.95)), p99: r(percentile(s, 0.99)), max: r(s[s.length - 1] ?? NaN), mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)) };
}

export function line(name: string, times: number[], extra = '') {
  const s = summary(times);
  console.log(`${name.padEnd(44)} n=${String(s.n).padStart(5)}  p50=${s.p50.toFixed(2).padStart(7)} ms  p95=${s.p95.toFixed(2).padStart(7)} ms  p99=${s.p99.toFixed(2).padStart(7)} ms  max=${s.max.toFixed(2).padStart(7)} ms${extra}`);
  return s;
}

/** The machine's state: figures from a loaded machine (other processes busy) are not comparable. */
export function machineNote() {
  return `${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min), Node ${process.version}`;
}

export { performance };
