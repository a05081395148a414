/**
 * The fault tests' stack: the real API (server/main.ts) and worker (workflows/worker.ts) as child processes, started
 * the way scripts/stack.ts starts them, against a fresh MariaDB database (migrated and seeded), an in-process SMTP
 * server and a Temporal dev server of their own (on a free port, its state in a file of a temporary directory), so
 * that a test can SIGKILL the worker, stop and restart Temporal, drop database connections or SIGTERM the API without
 * disturbing any other test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { migrateDatabase } from '../../db/migrate';
import { createDatabase, type Database } from '../../db/client';
import { seedDemoData } from '../../db/seed';
import { SEARCH_ATTRIBUTES } from '../../server/workflow-outbox';
import { isReachable } from '../../scripts/net';
import { browserAt, startSmtp, type Browser } from '../harness';
import { Child, freePort, until } from '../processes';
import { TEST_MYSQL_URL } from '../env';

const ROOT = resolve(import.meta.dirname, '../..');
const TEMPORAL_BIN = process.env.TEMPORAL_BIN ?? 'temporal';

export { Child, freePort, until } from '../processes';

export interface FaultStackOptions {
  /** Extra environment for the API and the worker (short timers). */
  env?: Record<string, string>;
}

export type { Browser } from '../harness';

export async function startFaultStack(options: FaultStackOptions = {}) {
  const dbName = `pm_fault_${randomBytes(5).toString('hex')}`;
  const databaseUrl = `${TEST_MYSQL_URL}/${dbName}`;
  await migrateDatabase(databaseUrl);
  const database: Database = createDatabase(databaseUrl, 4);
  await seedDemoData(database.db);
  const smtp = await startSmtp();
  const temporalDir = mkdtempSync(join(tmpdir(), 'pm-fault-temporal-'));
  const temporalPort = await freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const apiPort = await freePort();
  const baseUrl = `http://127.0.0.1:${apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl, PORT: String(apiPort), APP_URL: baseUrl, APP_SECRET: randomBytes(32).toString('hex'),
    TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'faults', SMTP_URL: smtp.url,
    COOKIE_SECURE: 'false', LOG_LEVEL: 'info', WORKFLOW_BUNDLE_PATH: resolve(ROOT, '.data/faults-workflow-bundle.js'), ...options.env,
  };
  const children: Child[] = [];

  function node(name: string, file: string) {
    const child = new Child(name, spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    children.push(child);
    return child;
  }

  let temporal: Child | null = null;
  async function startTemporal() {
    temporal = new Child('temporal', spawn(TEMPORAL_BIN, [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(temporalPort), '--log-level', 'error',
      '--db-filename', join(temporalDir, 'temporal.db'),
      ...SEARCH_ATTRIBUTES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
    ], { stdio: ['ignore', 'pipe', 'pipe'] }));
    children.push(temporal);
    await until('Temporal to listen', async () => {
      if (!temporal!.running) throw new Error(`Temporal exited: ${temporal!.output.slice(-2000)}`);
      return isReachable(temporalAddress);
    }, 60_000, 200);
  }
  await startTemporal();

  let api: Child | null = null;
  let worker: Child | null = null;

  const stack = {
    baseUrl, database, databaseUrl, dbName, smtp, env, temporalAddress,
    get api() { return api!; },
    get worker() { return worker!; },
    get temporal() { return temporal!; },
    async startApi() {
      api = node('api', 'server/main.ts');
      await until('the API to answer /healthz', async () => {
        if (!api!.running) throw new Error(`the API exited: ${api!.output.slice(-2000)}`);
        return fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
      }, 90_000, 200);
      return api;
    },
    async startWorker() {
      worker = node('worker', 'workflows/worker.ts');
      await worker.waitForOutput(/polling (the )?task queue/);
      return worker;
    },
    startTemporal,
    /** Stops Temporal (its state stays in the file) and waits until its port is closed. */
    async stopTemporal() {
      await temporal?.stop('SIGTERM');
      await until('Temporal to be gone', async () => !(await isReachable(temporalAddress)), 30_000);
    },
    browser: (): Browser => browserAt(baseUrl),
    /** Everything the children printed, for a failing test's message. */
    logs() { return children.map((c) => `--- ${c.name} ---\n${c.output.slice(-4000)}`).join('\n'); },
    async close() {
      for (const child of [...children].reverse()) await child.stop('SIGKILL').catch(() => undefined);
      await smtp.close();
      await database.close();
      const conn = await mysql.createConnection({ uri: `${TEST_MYSQL_URL}/` });
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
      rmSync(temporalDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export type FaultStack = Awaited<ReturnType<typeof startFaultStack>>;

/** Emails to `to` with their subjects, in arrival order. */
export function mailTo(stack: FaultStack, to: string) {
  return stack.smtp.messages.filter((m) => m.to.includes(to));
}

/** Counts of every (recipient, subject) pair received: an exactly-once check reads 1 for each. */
export function mailCounts(stack: FaultStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of stack.smtp.messages) for (const to of m.to) counts.set(`${to} | ${m.subject}`, (counts.get(`${to} | ${m.subject}`) ?? 0) + 1);
  return counts;
}
