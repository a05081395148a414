/**
 * The API as its own process for the benchmarks (forked by `spawnApp` in bench/lib.ts), as in production: the real
 * Express app (`createApp`: tRPC, session validation, zod, the booking operations) on its own connection pool, with a
 * no-op workflow gateway (the outbox rows are still written in the booking transactions). The load generator is
 * another process and does not compete with it on one event loop.
 *
 * Environment: DATABASE_URL (the scratch database), BENCH_APP_POOL (connections, default 16). Talks to its parent over
 * the IPC channel: sends { ready: port } once listening; answers 'queries' (statements sent since the last ask),
 * 'cpu' (process.cpuUsage() in µs) and 'stop' (closes and exits, which also writes a --cpu-prof profile).
 */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createDatabase } from '../db/client';
import { createApp } from '../server/app';
import { loadConfig, type Config } from '../server/config';
import { countQueries, noopWorkflows } from './lib';

const url = process.env.DATABASE_URL;
if (!url || !process.send) throw new Error('bench/api-server.ts is forked by bench/lib.ts (spawnApp) with DATABASE_URL set');
const database = createDatabase(url, Number(process.env.BENCH_APP_POOL ?? 16));
const counter = countQueries(database.pool);
const config: Config = { ...loadConfig({ ...process.env, APP_SECRET: randomBytes(32).toString('hex') }), databaseUrl: url };
const app = createApp({ db: database.db, config, workflows: noopWorkflows }, '/nonexistent');
const server = app.listen(0, '127.0.0.1', () => process.send!({ ready: (server.address() as AddressInfo).port }));
server.keepAliveTimeout = 60_000;

process.on('message', (msg: unknown) => {
  if (msg === 'queries') process.send!({ queries: counter.reset() });
  else if (msg === 'cpu') process.send!({ cpu: process.cpuUsage() });
  else if (msg === 'stop') {
    server.closeAllConnections();
    server.close(() => { database.close().finally(() => process.exit(0)); });
  }
});
process.on('disconnect', () => process.exit(0));
