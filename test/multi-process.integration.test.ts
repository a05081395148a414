/**
 * Beyond one machine: two API processes and two worker processes (real `node --import tsx server/main.ts` and
 * `workflows/worker.ts`, configured by environment only, as in production) against one fresh database and the one
 * Temporal dev server, on a task queue of their own. Users sign in through both APIs and book concurrently through both
 * — the same slot, partially overlapping slots, and distinct slots — while four outbox relays (the two APIs after
 * every booking, the two workers' sweepers) race for the workflow starts. Then: exactly one booking per contested
 * slot and no overlap anywhere; exactly one outbox start row per booking, claimed once and dispatched; exactly one
 * `booking:<id>` run per booking in Temporal (a second start would show as a second run: the start policy terminates
 * the existing one), found by workflow ID and by the BookingId search attribute; each booking's confirmation email sent
 * once (in-process SMTP server), and none for the refused requests. Then cancellations and moves through the other API
 * process reach the workflows (outbox signals) once: one cancellation or rescheduled email each.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { TRPCClientError } from '@trpc/client';
import mysql from 'mysql2/promise';
import { Temporal } from 'temporal-polyfill';
import { migrateDatabase } from '../db/migrate';
import { createDatabase, type Database } from '../db/client';
import { DEMO_SIGN_INS, seedDemoData } from '../db/seed';
import {
  bookings, channelServices, locations, organisations, partnershipLocations, partnerships, physicianLocations, physicianQualifications,
  physicians, schedules, services, users, workflowOutbox,
} from '../db/schema';
import { bookingWorkflowId, settlementScheduleId, type BookingLifecycleState } from '../server/workflow-outbox';
import type { AppRouter } from '../server/router';
import { browserAt, DEMO, startSmtp } from './harness';
import { TEST_MYSQL_URL, TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH } from './env';
import { Child, freePort, until as untilWithin } from './processes';

/** Waits for what the processes do, for at most 30 s. */
const until = <T>(what: string, fn: () => Promise<T | null | undefined | false>) => untilWithin(what, fn, 30_000, 250);

const READY_TIMEOUT_MS = 90_000;
/** Centrul Medical Napoca's reception; MedPlus (DEMO.partnerBooker) is an active partner of Napoca (db/seed.ts). */
const NAPOCA_STAFF = { email: DEMO_SIGN_INS[5].email, password: DEMO_SIGN_INS[5].password };
const dbName = `pm_mp_${randomBytes(5).toString('hex')}`;
const databaseUrl = `${TEST_MYSQL_URL}/${dbName}`;
const taskQueue = `test-multi-${dbName}`;
const appSecret = randomBytes(32).toString('hex');

const procs: Child[] = [];
let database: Database;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let temporal: Client;
let apiBases: string[] = [];
let institutionId: number;
let institutionIds: number[] = [];

/** Starts one process of the product; its output is kept for the failure message. */
function startProcess(name: string, file: string, env: NodeJS.ProcessEnv): Child {
  const child = new Child(name, spawn(process.execPath, ['--import', 'tsx', file], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  procs.push(child);
  return child;
}

/** Waits until `check` holds, failing early (with the processes' output) when one of them exits. */
async function ready(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const dead = procs.find((p) => !p.running);
    if (dead) throw new Error(`${dead.name} exited (${dead.proc.signalCode ?? dead.proc.exitCode}):\n${dead.output}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${READY_TIMEOUT_MS / 1000}s:\n${procs.map((p) => `[${p.name}] ${p.output}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The identities of the workers polling the task queue (each worker process polls as its own `pid@host`). */
async function pollers(): Promise<string[]> {
  const { pollers: list } = await temporal.workflowService.describeTaskQueue({
    namespace: 'default', taskQueue: { name: taskQueue }, // the workflow task queue (type unspecified)
  });
  return (list ?? []).map((p) => p.identity ?? '');
}

/** A "browser" on one API process: its own cookie jar (which can be handed to another process: sessions live in the database). */
function browserOn(base: string, cookies = new Map<string, string>()) {
  return browserAt(base, { cookies });
}


beforeAll(async () => {
  // The processes start (tsx, connections) while the database is seeded; they need only its tables.
  await migrateDatabase(databaseUrl);
  smtp = await startSmtp();
  temporal = new Client({ connection: await Connection.connect({ address: TEST_TEMPORAL_ADDRESS }), namespace: 'default' });
  const ports = [await freePort(), await freePort()];
  apiBases = ports.map((p) => `http://127.0.0.1:${p}`);
  const common: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: databaseUrl, APP_SECRET: appSecret, TEMPORAL_ADDRESS: TEST_TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: smtp.url, COOKIE_SECURE: 'false', APP_URL: apiBases[0],
    // The workflow code bundled once by test/global-setup.ts (bundling at start-up takes each worker tens of seconds).
    WORKFLOW_BUNDLE_PATH,
  };
  ports.forEach((port, i) => startProcess(`api${i + 1}`, 'server/main.ts', { ...common, PORT: String(port) }));
  startProcess('worker1', 'workflows/worker.ts', common);
  startProcess('worker2', 'workflows/worker.ts', common);

  database = createDatabase(databaseUrl, 4);
  // Workflow IDs derive from row IDs and the Temporal namespace is shared with the other test files (test/harness.ts).
  const idBase = 1_000_000 * (1 + Math.floor(Math.random() * 1_000));
  for (const table of ['organisations', 'users', 'partnerships', 'bookings', 'settlement_statements', 'settlement_runs']) {
    await database.pool.query(`ALTER TABLE \`${table}\` AUTO_INCREMENT = ${idBase}`);
  }
  await seedDemoData(database.db);
  institutionIds = (await database.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.isInstitution, true))).map((o) => o.id);

  for (const base of apiBases) await ready(`the API at ${base}`, async () => (await fetch(`${base}/healthz`)).ok);
  await ready('two workers polling the task queue', async () => new Set(await pollers()).size >= 2);
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGTERM', 10_000)));
  if (temporal) {
    // The workers keep each institution's settlement schedule; these institutions live only as long as this file, and
    // so do its booking workflows (on a task queue nobody polls any more).
    for (const id of institutionIds) await temporal.schedule.getHandle(settlementScheduleId(id)).delete().catch(() => undefined);
    for await (const w of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
      await temporal.workflow.getHandle(w.workflowId, w.runId).terminate('test finished').catch(() => undefined);
    }
    await temporal.connection.close();
  }
  await smtp?.close();
  await database?.close();
  const conn = await mysql.createConnection({ uri: `${TEST_MYSQL_URL}/` });
  await conn.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await conn.end();
});

describe('two API processes and two workers on one database and one Temporal server', () => {
  it('book concurrently through both APIs: one booking per slot, one workflow per booking, one confirmation each', async () => {
    const { db } = database;
    // Sign in through both APIs: the partner's booker on the first, the institution's reception on the second; each
    // session then also serves requests on the other process (a load balancer does not keep users on one process).
    const booker1 = browserOn(apiBases[0]);
    const staff2 = browserOn(apiBases[1]);
    await booker1.api.auth.signIn.mutate(DEMO.partnerBooker);
    await staff2.api.auth.signIn.mutate(NAPOCA_STAFF);
    const booker2 = browserOn(apiBases[1], booker1.cookies);
    const staff1 = browserOn(apiBases[0], staff2.cookies);
    expect((await booker2.api.auth.me.query())?.email).toBe(DEMO.partnerBooker.email);
    expect((await staff1.api.auth.me.query())?.email).toBe(NAPOCA_STAFF.email);

    // MedPlus's partnership with Centrul Medical Napoca: a granted location and a ticked service; a physician of our own there
    // (Mon–Fri 08:00–16:00), so that no demo booking takes the slots used here.
    const [booker] = await db.select().from(users).where(eq(users.email, DEMO.partnerBooker.email));
    const [staffUser] = await db.select().from(users).where(eq(users.email, NAPOCA_STAFF.email));
    institutionId = staffUser.organisationId;
    const [partnership] = await db.select().from(partnerships).where(and(
      eq(partnerships.institutionId, institutionId), eq(partnerships.partnerOrganisationId, booker.organisationId), eq(partnerships.status, 'active')));
    const [{ locationId }] = await db.select({ locationId: partnershipLocations.locationId }).from(partnershipLocations)
      .where(eq(partnershipLocations.partnershipId, partnership.id)).limit(1);
    const [location] = await db.select().from(locations).where(eq(locations.id, locationId));
    const ticked = await db.select({ service: services }).from(channelServices).innerJoin(services, eq(services.id, channelServices.serviceId))
      .where(eq(channelServices.partnershipId, partnership.id));
    const service = ticked.map((t) => t.service).find((s) => s.durationMinutes >= 20)!;
    expect(service).toBeTruthy();
    const [doc] = await db.insert(physicians).values({ organisationId: institutionId, name: 'Dr. Multi Process' }).$returningId();
    await db.insert(physicianQualifications).values({ physicianId: doc.id, qualificationId: service.qualificationId });
    await db.insert(physicianLocations).values({ physicianId: doc.id, locationId });
    await db.insert(schedules).values([1, 2, 3, 4, 5].map((weekday) => ({
      physicianId: doc.id, locationId, weekday, startTime: '08:00:00', endTime: '16:00:00', validFrom: '2026-01-01',
    })));

    // A Tuesday two weeks ahead in the location's zone.
    let day = Temporal.Now.plainDateISO(location.timeZone).add({ weeks: 2 });
    while (day.dayOfWeek !== 2) day = day.add({ days: 1 });
    const at = (time: string, plusMinutes = 0) =>
      new Date(Temporal.PlainDateTime.from(`${day.toString()}T${time}`).toZonedDateTime(location.timeZone).epochMilliseconds + plusMinutes * 60_000);

    type Via = 'booker1' | 'booker2' | 'staff1' | 'staff2';
    type Attempt = { group: string; startsAt: Date; email: string; via: Via; run: () => Promise<{ bookingId: number }> };
    let n = 0;
    const attempt = (group: string, startsAt: Date, via: Via): Attempt => {
      const email = `patient-${group}-${n++}@multi.example.test`;
      const common = {
        locationId, physicianId: doc.id, serviceId: service.id, startsAt: startsAt.toISOString(),
        idempotencyKey: `mp-${randomBytes(8).toString('hex')}`,
        patient: { kind: 'new' as const, name: 'Ana Pop', birthDate: '1980-05-05', phone: '0722 111 222', email },
      };
      const run = () => {
        if (via === 'booker1' || via === 'booker2') return (via === 'booker1' ? booker1 : booker2).api.bookings.create.mutate({ institutionId, ...common });
        return (via === 'staff1' ? staff1 : staff2).api.bookings.createForInstitution.mutate({ ...common, source: { kind: 'phone' } });
      };
      return { group, startsAt, email, via, run };
    };
    const vias = ['booker1', 'staff2', 'booker2', 'staff1'] as const;
    const attempts: Attempt[] = [];
    // 1. One slot, 12 requests spread over both APIs and both users.
    for (let i = 0; i < 12; i++) attempts.push(attempt('same', at('09:00'), vias[i % 4]));
    // 2. Partially overlapping: starts every 5 minutes within less than one service length, so any two overlap.
    const step = Math.max(1, Math.floor((service.durationMinutes - 1) / 4));
    for (let i = 0; i < 12; i++) attempts.push(attempt('overlap', at('11:00', (i % 5) * step), vias[(i + 1) % 4]));
    // 3. Distinct slots (one service length apart, in the afternoon), each contested by two requests on different APIs.
    for (let s = 0; s < 6; s++) {
      const startsAt = at('13:00', s * service.durationMinutes);
      attempts.push(attempt(`slot${s}`, startsAt, vias[s % 4]), attempt(`slot${s}`, startsAt, vias[(s + 1) % 4]));
    }
    const results = await Promise.allSettled(attempts.map((a) => a.run()));

    // Exactly one winner per group; every loser was told the slot was taken (nothing else went wrong).
    const winners = new Map<string, { bookingId: number; email: string; via: Via }>();
    const loserEmails: string[] = [];
    results.forEach((r, i) => {
      const a = attempts[i];
      if (r.status === 'fulfilled') {
        expect(winners.has(a.group), `second booking in group ${a.group}`).toBe(false);
        winners.set(a.group, { bookingId: r.value.bookingId, email: a.email, via: a.via });
      } else {
        expect(r.reason).toBeInstanceOf(TRPCClientError);
        expect((r.reason as TRPCClientError<AppRouter>).data?.key, String(r.reason)).toBe('bookings.slot_taken');
        loserEmails.push(a.email);
      }
    });
    expect([...winners.keys()].sort()).toEqual(['overlap', 'same', ...Array.from({ length: 6 }, (_, s) => `slot${s}`)].sort());
    const bookingIds = [...winners.values()].map((w) => w.bookingId);
    const rows = await db.select().from(bookings).where(eq(bookings.physicianId, doc.id));
    expect(rows.map((b) => b.id).sort()).toEqual([...bookingIds].sort());
    const sorted = [...rows].sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].startsAt.getTime()).toBeGreaterThanOrEqual(sorted[i - 1].endsAt.getTime());

    // The outbox: one start row per booking, each claimed once and dispatched, without an error.
    const workflowIds = bookingIds.map(bookingWorkflowId);
    const outboxRows = await until('every booking start dispatched', async () => {
      const r = await db.select().from(workflowOutbox).where(inArray(workflowOutbox.workflowId, workflowIds));
      return r.length >= bookingIds.length && r.every((o) => o.dispatchedAt) ? r : null;
    });
    expect(outboxRows.map((o) => o.workflowId).sort()).toEqual([...workflowIds].sort());
    for (const o of outboxRows) expect({ id: o.workflowId, mode: o.mode, attempts: o.attempts, lastError: o.lastError, failedAt: o.failedAt })
      .toEqual({ id: o.workflowId, mode: 'start', attempts: 1, lastError: null, failedAt: null });

    // Temporal: every booking's workflow has confirmed (its confirmation email is out) and is waiting.
    for (const id of bookingIds) {
      await until(`booking:${id} past its confirmation`, async () => {
        const s = await temporal.workflow.getHandle(bookingWorkflowId(id)).query<BookingLifecycleState>('state').catch(() => null);
        return s && s.phase !== 'confirming';
      });
    }
    // One run per booking: by workflow ID, by the BookingId search attribute, and over the whole task queue.
    const listed = await until('the visibility store to list every run', async () => {
      const runs: { workflowId: string; runId: string; status: string }[] = [];
      for await (const w of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND WorkflowType = 'bookingLifecycle'` })) {
        runs.push({ workflowId: w.workflowId, runId: w.runId, status: w.status.name });
      }
      return runs.length >= bookingIds.length ? runs : null;
    });
    expect(listed.map((r) => r.workflowId).sort()).toEqual([...workflowIds].sort());
    expect(listed.every((r) => r.status === 'RUNNING')).toBe(true);
    for (const id of bookingIds) {
      const byAttribute: string[] = [];
      for await (const w of temporal.workflow.list({ query: `BookingId = '${id}'` })) byAttribute.push(w.workflowId);
      expect(byAttribute).toEqual([bookingWorkflowId(id)]);
      const byId: string[] = [];
      for await (const w of temporal.workflow.list({ query: `WorkflowId = '${bookingWorkflowId(id)}'` })) byId.push(w.runId);
      expect(byId).toHaveLength(1);
    }

    // One confirmation per booking, to its patient; nothing to the patients of refused requests.
    for (const w of winners.values()) {
      const mails = smtp.messages.filter((m) => m.to.includes(w.email));
      expect(mails, `mail to ${w.email}`).toHaveLength(1);
    }
    expect(smtp.messages.filter((m) => m.to.some((t) => loserEmails.includes(t)))).toEqual([]);

    // Changes through the other API process (same user, same session): their outbox signals reach the workflows that
    // another process started, once. Two bookings are cancelled, two moved to the next day, all at once.
    const other = { booker1: booker2, booker2: booker1, staff1: staff2, staff2: staff1 } as const;
    const toCancel = ['slot0', 'slot1'].map((g) => winners.get(g)!);
    const toMove = ['slot2', 'slot3'].map((g, i) => ({ ...winners.get(g)!, startsAt: at('09:00', 24 * 60 + i * service.durationMinutes) }));
    await Promise.all([
      ...toCancel.map((w) => other[w.via].api.bookings.cancel.mutate({ bookingId: w.bookingId, reason: 'Patient called to cancel' })),
      ...toMove.map((w) => other[w.via].api.bookings.move.mutate({ bookingId: w.bookingId, version: 1, startsAt: w.startsAt.toISOString() })),
    ]);
    for (const w of toCancel) expect(await temporal.workflow.getHandle(bookingWorkflowId(w.bookingId)).result()).toBe('cancelled');
    for (const w of toMove) {
      // The workflow has taken the move once its next step is the reminder for the new start.
      const reminderAt = new Date(w.startsAt.getTime() - 24 * 3_600_000).toISOString();
      await until(`booking:${w.bookingId} moved`, async () => {
        const s = await temporal.workflow.getHandle(bookingWorkflowId(w.bookingId)).query<BookingLifecycleState>('state').catch(() => null);
        return s?.nextStep?.at === reminderAt;
      });
    }
    // Confirmation + cancellation, confirmation + rescheduled: two emails each, never a third.
    for (const w of [...toCancel, ...toMove]) expect(smtp.messages.filter((m) => m.to.includes(w.email)), `mail to ${w.email}`).toHaveLength(2);
    const changedIds = [...toCancel, ...toMove].map((w) => bookingWorkflowId(w.bookingId));
    const signals = await db.select().from(workflowOutbox).where(and(inArray(workflowOutbox.workflowId, changedIds), eq(workflowOutbox.mode, 'signal')));
    expect(signals.map((o) => o.workflowId).sort()).toEqual([...changedIds].sort());
    for (const o of signals) expect({ id: o.workflowId, dispatched: o.dispatchedAt !== null, attempts: o.attempts, lastError: o.lastError })
      .toEqual({ id: o.workflowId, dispatched: true, attempts: 1, lastError: null });
    // No process died along the way, and both workers took part.
    for (const p of procs) expect(p.proc.exitCode, `${p.name}:\n${p.output}`).toBeNull();
    expect(new Set(await pollers()).size).toBe(2);
  });
});
