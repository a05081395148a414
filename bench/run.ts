/**
 * Benchmarks (run on demand: `npm run bench`): figures for the hot paths — session validation on every request, the
 * admin users list, sign-in (dominated by argon2id by design), the partner list and the traffic-channel matrix at
 * 500 partnerships. Uses a scratch database that it drops at the end.
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

// API figures over HTTP: the partner list with 500 partnerships, and the traffic-channel matrix (20 services × 502 columns).
const { createApp } = await import('../server/app');
const { loadConfig } = await import('../server/config');
const { createWorkflowGateway } = await import('../server/workflow-outbox');
const { organisations, partnerships, partnershipLocations, locations } = await import('../db/schema');
const config = loadConfig();
const gateway = createWorkflowGateway(db, { address: '127.0.0.1:1', namespace: 'default', taskQueue: 'bench' }, () => undefined);
const server = createApp({ db, config, workflows: gateway }, '/nonexistent').listen(0);
await new Promise((r) => server.once('listening', r));
const api = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
const [loc] = await db.select().from(locations).where(eq(locations.organisationId, admin.organisationId)).limit(1);
const existing = await db.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.institutionId, admin.organisationId));
for (let i = existing.length; i < 500; i++) {
  const [org] = await db.insert(organisations).values({ name: `Bench Partner ${i}`, country: 'DE', taxNumber: `BENCH${i}`, registrationNumber: 'x', address: 'x' }).$returningId();
  const [p] = await db.insert(partnerships).values({ institutionId: admin.organisationId, partnerOrganisationId: org.id, status: i % 3 ? 'active' : 'pending_approval', contactName: `Contact ${i}`, contactEmail: `c${i}@example.com`, contactPhone: '0722000000', paymentLocation: 'partner', invitedAt: new Date() }).$returningId();
  await db.insert(partnershipLocations).values({ partnershipId: p.id, locationId: loc.id });
}
const cookie = `pm_session=${tokens[0]}`;
const get = (path: string) => fetch(`${api}/trpc/${path}`, { headers: { cookie } }).then(async (r) => { if (!r.ok) throw new Error(`${path}: ${r.status}`); return r.text(); });
await measure('partners.list (500 partnerships)', 100, () => get('partners.list?input=%7B%7D'));
await measure('partners.list search "Partner 4"', 100, () => get(`partners.list?input=${encodeURIComponent(JSON.stringify({ search: 'Partner 4' }))}`));
await measure('trafficChannels.matrix (502 columns)', 50, () => get('trafficChannels.matrix'));
const matrix = JSON.parse(await get('trafficChannels.matrix')).result.data as { services: { id: number }[]; channels: { key: string }[] };
const cells = matrix.services.flatMap((svc) => matrix.channels.filter((c) => c.key.startsWith('partnership:')).map((c) => ({ serviceId: svc.id, channelKey: c.key })));
await measure(`trafficChannels.save (${cells.length} cells)`, 6, async (i) => {
  const res = await fetch(`${api}/trpc/trafficChannels.save`, {
    method: 'POST', headers: { cookie, origin: api, 'content-type': 'application/json' },
    body: JSON.stringify({ changes: cells.map((c) => ({ ...c, enabled: i % 2 === 0 })) }),
  });
  if (!res.ok) throw new Error(`save: ${res.status} ${await res.text()}`);
});
server.close();
await gateway.close();

await database.close();
const conn = await mysql.createConnection({ uri: `${base}/` });
await conn.query('DROP DATABASE IF EXISTS partner_module_bench');
await conn.end();
