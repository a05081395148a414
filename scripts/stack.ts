/**
 * Starts the whole product on one machine: migrates and seeds the database, starts the Temporal dev server (unless
 * TEMPORAL_ADDRESS points to a reachable one), MailDev (unless SMTP_URL is set), the worker and the API (which serves
 * the built client). Ctrl-C stops every child. `--watch` restarts the worker and API on change (development).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { isReachable } from './net';
import { resolve } from 'node:path';
import { migrateDatabase } from '../db/migrate';
import { seedDemoData, DEMO_SIGN_INS } from '../db/seed';
import { createDatabase } from '../db/client';
import { loadConfig } from '../server/config';
import { SEARCH_ATTRIBUTES } from '../server/workflow-outbox';

const watch = process.argv.includes('--watch');
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function log(msg: string) { console.log(`[stack] ${msg}`); }

async function waitFor(address: string, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isReachable(address)) return;
    if (stopping) throw new Error('stopped');
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${what} did not become reachable at ${address} within ${timeoutMs / 1000}s`);
}

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}`).join('\n') + '\n';
  proc.stdout?.on('data', (c: Buffer) => process.stdout.write(prefix(c)));
  proc.stderr?.on('data', (c: Buffer) => process.stderr.write(prefix(c)));
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[stack] ${name} exited (${signal ?? code}); stopping everything.`);
      void stopAll(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const { name, proc } of [...children].reverse()) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => { proc.kill('SIGKILL'); }, 10_000);
      proc.once('exit', () => { clearTimeout(timer); done(); });
      proc.kill('SIGTERM');
    });
    log(`${name} stopped`);
  }
  process.exit(code);
}

async function main() {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  mkdirSync(resolve('.data'), { recursive: true });
  const config = loadConfig();
  const env: NodeJS.ProcessEnv = { ...process.env };

  log(`migrating ${config.databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  await migrateDatabase(config.databaseUrl);
  const database = createDatabase(config.databaseUrl, 1);
  const seeded = await seedDemoData(database.db);
  await database.close();
  log(seeded ? 'demo data seeded' : 'database already has data: seed skipped');

  if (process.env.TEMPORAL_ADDRESS && (await isReachable(config.temporalAddress))) {
    log(`using the Temporal server at ${config.temporalAddress}`);
  } else {
    if (process.env.TEMPORAL_ADDRESS) log(`TEMPORAL_ADDRESS ${config.temporalAddress} is not reachable: starting a dev server there`);
    const port = config.temporalAddress.split(':').pop() ?? '7233';
    const uiPort = process.env.TEMPORAL_UI_PORT ?? '8233';
    start('temporal', process.env.TEMPORAL_BIN ?? 'temporal', [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', port,
      // TEMPORAL_DB_FILE="" keeps Temporal in memory (the browser tests start from a fresh database each run).
      ...(process.env.TEMPORAL_DB_FILE === '' ? [] : ['--db-filename', resolve(process.env.TEMPORAL_DB_FILE ?? '.data/temporal.db')]),
      '--ui-port', uiPort, '--log-level', 'warn',
      ...SEARCH_ATTRIBUTES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ]);
    await waitFor(config.temporalAddress, 'Temporal');
    env.TEMPORAL_ADDRESS = config.temporalAddress;
  }

  let inbox = '(SMTP_URL is set: mail goes there)';
  if (!process.env.SMTP_URL) {
    const smtpPort = process.env.MAILDEV_SMTP_PORT ?? '1025';
    const webPort = process.env.MAILDEV_WEB_PORT ?? '1080';
    start('maildev', resolve('node_modules/.bin/maildev'), ['--smtp', smtpPort, '--web', webPort, '--ip', '127.0.0.1', '--silent']);
    await waitFor(`127.0.0.1:${smtpPort}`, 'MailDev');
    env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
    inbox = `http://localhost:${webPort}`;
  }

  const node = process.execPath;
  const tsxArgs = (file: string) => (watch ? ['--import', 'tsx', '--watch', file] : ['--import', 'tsx', file]);
  start('worker', node, tsxArgs('workflows/worker.ts'), env);
  start('api', node, tsxArgs('server/main.ts'), env);
  await waitFor(`127.0.0.1:${config.port}`, 'the API');

  const uiPort = process.env.TEMPORAL_UI_PORT ?? '8233';
  console.log([
    '',
    'Partner Module is running:',
    `  App:          ${watch ? 'http://localhost:5173 (Vite, hot reload)' : config.appUrl}`,
    `  Temporal UI:  ${process.env.TEMPORAL_ADDRESS ? '(your Temporal server)' : `http://localhost:${uiPort}`}`,
    `  Mail inbox:   ${inbox}`,
    '',
    'Demo sign-ins:',
    ...DEMO_SIGN_INS.map((s) => `  ${s.email.padEnd(34)} ${s.password.padEnd(20)} ${s.who}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
  if (watch) start('vite', resolve('node_modules/.bin/vite'), ['--strictPort'], env);
}

main().catch((err) => { console.error('[stack] failed to start:', err); void stopAll(1); });
