/**
 * Benchmarks (run on demand: `npm run bench`): figures for the hot paths of this stage — session validation on every
 * request, the admin users list, and sign-in (dominated by argon2id by design). Uses a scratch database.
 */
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { eq } from 'drizzle-orm';
import { migrateDatabase } from '../db/migrate';
import { createDatabase } from '../db/client';
import { seedDemoData } from '../db/seed';
import { users } from '../db/schema';
import { createSession, validateSessionToken } from '../server/auth/session';
import { hashPassword, verifyPassword } from '../server/auth/password';

const base = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const url = `${base}/partner_module_bench`;

async function measure(name: string, n: number, fn: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) { const t = performance.now(); await fn(i); times.push(performance.now() - t); }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(`${name.padEnd(38)} n=${String(n).padStart(5)}  ${(n / (total / 1000)).toFixed(0).padStart(6)} ops/s  p50=${p(0.5)}ms  p95=${p(0.95)}ms  p99=${p(0.99)}ms`);
}

await migrateDatabase(url);
const database = createDatabase(url, 4);
const { db } = database;
await seedDemoData(db);
const [admin] = await db.select().from(users).where(eq(users.email, 'admin@clinica-somes.ro'));
const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const tokens = await Promise.all(Array.from({ length: 200 }, () => createSession(db, admin.id, policy).then((s) => s.token)));

await measure('session validation (per request)', 2000, (i) => validateSessionToken(db, tokens[i % tokens.length], policy));
await measure('admin users list query', 500, () => db.select().from(users).where(eq(users.organisationId, admin.organisationId)));
const hash = await hashPassword('Somes-Admin-2026');
await measure('argon2id verify (sign-in cost)', 50, () => verifyPassword(hash, 'Somes-Admin-2026'));

await database.close();
const conn = await mysql.createConnection({ uri: `${base}/` });
await conn.query('DROP DATABASE IF EXISTS partner_module_bench');
await conn.end();
