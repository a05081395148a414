/**
 * DATABASE_READ_URL: the statistics pages and their CSV export read through the read pool (a replica in production;
 * here a second pool on the same MariaDB database, whose connection checkouts are counted), while sign-in, sessions
 * and every other procedure stay on the primary pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createDatabase, type Database } from '../db/client';
import { createApp } from '../server/app';
import { DEMO, startHarness, type Harness } from './harness';

let h: Harness;
let replica: Database;
let server: Server;
let base = '';
let cookie = '';
let readCheckouts = 0;

function countCheckouts(db: Database, onAcquire: () => void) {
  (db.pool as unknown as { pool: { on(ev: string, cb: () => void): void } }).pool.on('acquire', onAcquire);
}

beforeAll(async () => {
  h = await startHarness();
  replica = createDatabase(h.config.databaseUrl, 2);
  countCheckouts(replica, () => { readCheckouts++; });
  const app = createApp({ db: h.database.db, readDb: replica.db, config: h.config, workflows: h.workflows }, '/nonexistent');
  server = await new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const res = await fetch(`${base}/trpc/auth.signIn`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: DEMO.admin.email, password: DEMO.admin.password }),
  });
  expect(res.status).toBe(200);
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});
afterAll(async () => {
  await new Promise<void>((r) => { server?.closeAllConnections(); server?.close(() => r()); });
  await replica?.close();
  await h?.close();
});

const get = (path: string, input: unknown) => fetch(`${base}${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie } });

describe('statistics on the read replica', () => {
  it('sign-in and the other procedures never touch the read pool', async () => {
    expect(readCheckouts).toBe(0);
    const res = await get('/trpc/users.list', {});
    expect(res.status).toBe(200);
    expect(readCheckouts).toBe(0);
  });

  it('the statistics page and its CSV export read through it', async () => {
    const page = await get('/trpc/statistics.institution', { period: { kind: 'lastMonth' } });
    expect(page.status).toBe(200);
    const body = await page.json() as { result: { data: { total: number } } };
    expect(body.result.data.total).toBeGreaterThan(0);
    const afterPage = readCheckouts;
    expect(afterPage).toBeGreaterThan(0);

    const csv = await get('/exports/statistics.csv', { period: { kind: 'lastMonth' } });
    expect(csv.status).toBe(200);
    expect(Number(csv.headers.get('x-total-count'))).toBe(body.result.data.total);
    expect((await csv.text()).trim().split('\n').length).toBe(body.result.data.total + 1);
    expect(readCheckouts).toBeGreaterThan(afterPage);
  });
});
