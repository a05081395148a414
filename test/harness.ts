/**
 * Integration harness: a fresh MariaDB database (migrated and seeded), a real SMTP server in-process, a Temporal worker
 * on its own task queue against the real Temporal dev server, and the real Express app on a random port. Calls go over
 * HTTP through the real tRPC client, with a cookie jar per "browser".
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import mysql from 'mysql2/promise';
import { migrateDatabase } from '../db/migrate';
import { createDatabase, type Database } from '../db/client';
import { seedDemoData } from '../db/seed';
import { loadConfig, type Config } from '../server/config';
import { createApp } from '../server/app';
import type { AppRouter } from '../server/router';
import { createActivities } from '../workflows/activities';
import { createWorkflowGateway, type WorkflowGateway } from '../server/workflow-outbox';
import { createMailer } from '../workflows/mail/mailer';
import { TEST_MYSQL_URL, TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH } from './env';

export interface ReceivedMail { to: string[]; raw: string; subject: string; text: string }

/** Decodes the quoted-printable parts of a raw message well enough to read subjects, text and links. */
export function decodeMail(raw: string): { subject: string; text: string } {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const text = unfolded.replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));
  const subjectLine = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  // Unfold, then join adjacent encoded words (a multi-byte character may be split across two of them).
  const joined = subjectLine.replace(/\r?\n[ \t]/g, ' ').replace(/\?=\s*=\?utf-8\?Q\?/gi, '');
  const subject = joined.replace(/=\?utf-8\?([QB])\?(.*?)\?=/gi, (_m, enc: string, s: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(s, 'base64').toString('utf8')
      : s.replace(/_/g, ' ').replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8')));
  return { subject, text };
}

export async function startSmtp() {
  const messages: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, ...decodeMail(raw) });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Waits for the n-th message (1-based) to `to` and returns it. */
    async waitFor(to: string, n = 1, timeoutMs = 30_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.filter((m) => m.to.includes(to));
        if (found.length >= n) return found[n - 1];
        if (Date.now() > deadline) throw new Error(`no email #${n} to ${to} within ${timeoutMs}ms (got ${found.length})`);
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 250); });
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export function linkFrom(mail: ReceivedMail): string {
  const match = /https?:\/\/\S+\/set-password\?token=[A-Za-z0-9_%-]+/.exec(mail.text);
  if (!match) throw new Error(`no set-password link in: ${mail.text}`);
  return match[0];
}

export function tokenFrom(mail: ReceivedMail): string {
  return decodeURIComponent(new URL(linkFrom(mail)).searchParams.get('token')!);
}

export interface Harness {
  baseUrl: string;
  config: Config;
  database: Database;
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  workflows: WorkflowGateway;
  /** A new "browser": its own cookie jar, sending this app's Origin unless told otherwise. */
  browser(opts?: { origin?: string | null }): Browser;
  close(): Promise<void>;
}

export interface Browser {
  api: ReturnType<typeof createTRPCClient<AppRouter>>;
  cookies: Map<string, string>;
  lastSetCookie: string[];
}

/**
 * A "browser" on the API at `baseUrl`: the real tRPC client with a cookie jar (pass `cookies` to share a session with
 * another browser, e.g. on another API process: sessions live in the database) and the same-origin header, or the
 * given origin (null: none).
 */
export function browserAt(baseUrl: string, opts: { origin?: string | null; cookies?: Map<string, string> } = {}): Browser {
  const cookies = opts.cookies ?? new Map<string, string>();
  const b: Browser = {
    cookies, lastSetCookie: [],
    api: createTRPCClient<AppRouter>({
      links: [httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => {
          const h: Record<string, string> = {};
          const origin = opts.origin === undefined ? baseUrl : opts.origin;
          if (origin) h.origin = origin;
          if (cookies.size) h.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
          return h;
        },
        fetch: async (url, init) => {
          const res = await fetch(url, init as RequestInit);
          b.lastSetCookie = res.headers.getSetCookie();
          for (const c of b.lastSetCookie) {
            const [pair] = c.split(';');
            const [k, ...v] = pair.split('=');
            if (/Max-Age=0/i.test(c)) cookies.delete(k); else cookies.set(k, v.join('='));
          }
          return res;
        },
      })],
    }),
  };
  return b;
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const dbName = `pm_it_${randomBytes(5).toString('hex')}`;
  const databaseUrl = `${TEST_MYSQL_URL}/${dbName}`;
  await migrateDatabase(databaseUrl);
  const database = createDatabase(databaseUrl, 5);
  await seedDemoData(database.db);
  // Workflow IDs derive from row IDs (partner-invitation:<id>, booking:<id>, settlement:<institutionId>:<month>, …)
  // and every test file shares one Temporal namespace: give each file's database its own ID range, so that two files
  // running at once never start, terminate or read each other's workflows.
  const idBase = 1_000_000 * (1 + Math.floor(Math.random() * 1_000));
  for (const table of ['organisations', 'users', 'partnerships', 'bookings', 'settlement_statements', 'settlement_runs']) {
    await database.pool.query(`ALTER TABLE \`${table}\` AUTO_INCREMENT = ${idBase}`);
  }
  const smtp = await startSmtp();
  const taskQueue = `test-${dbName}`;
  const config: Config = {
    ...loadConfig({ ...process.env, APP_SECRET: randomBytes(32).toString('hex') }),
    databaseUrl, smtpUrl: smtp.url, temporalAddress: TEST_TEMPORAL_ADDRESS, taskQueue, ...overrides,
  };
  const workflows = createWorkflowGateway(database.db, { address: config.temporalAddress, namespace: config.temporalNamespace, taskQueue });
  const app = createApp({ db: database.db, config, workflows }, '/nonexistent');
  const server: Server = await new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.appUrl = baseUrl;

  const mailer = createMailer(smtp.url, config.mailFrom);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection, namespace: config.temporalNamespace, taskQueue,
    workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
    activities: createActivities({
      db: database.db, mailer, appUrl: baseUrl, appSecret: config.appSecret,
      // Read at call time, so that a test can shorten them through h.config.
      get partnerTimings() { return { reminderOffsetsMs: config.partnerReminderOffsetsMs, expiresAfterMs: config.partnerInvitationExpiryMs }; },
      get bookingFulfilGraceMs() { return config.bookingFulfilGraceMs; },
    }),
  });
  const running = worker.run();

  const browser = (opts: { origin?: string | null } = {}) => browserAt(baseUrl, opts);

  return {
    baseUrl, config, database, smtp, workflows, browser,
    async close() {
      worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await workflows.close();
      mailer.close();
      await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
      await smtp.close();
      await database.close();
      const conn = await mysql.createConnection({ uri: `${TEST_MYSQL_URL}/` });
      await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await conn.end();
    },
  };
}

export async function signIn(b: Browser, email: string, password: string) {
  return b.api.auth.signIn.mutate({ email, password });
}

/** Runs a call that must fail and returns the tRPC error for assertions. */
export async function failure(p: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) return err as TRPCClientError<AppRouter>;
    throw err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const DEMO = {
  admin: { email: 'admin@clinica-somes.ro', password: 'Somes-Admin-2026' },
  staff: { email: 'receptie@clinica-somes.ro', password: 'Somes-Staff-2026' },
  partnerAdmin: { email: 'admin@medplus-diagnostic.ro', password: 'MedPlus-Admin-2026' },
  partnerBooker: { email: 'programari@medplus-diagnostic.ro', password: 'MedPlus-Book-2026' },
};
