/**
 * The workflow outbox dispatcher against real MariaDB and the real Temporal dev server: a poisoned row is retried on its
 * own with backoff and parked (audited) without delaying the rows after it; Temporal being unreachable burns no
 * attempts; superseded rounds are not started; /healthz and /readyz report the outbox.
 */
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, workflowOutbox } from '../db/schema';
import { startHarness, type Harness } from '../test/harness';
import { createWorkflowGateway, type WorkflowGateway } from './workflow-outbox';

let h: Harness;
let gateway: WorkflowGateway;
const tag = randomBytes(4).toString('hex');
/** No worker polls this queue: starts succeed and nothing runs. */
const idleQueue = `outbox-idle-${tag}`;
/** Long enough that "a sweep right away" happens before the retry is due even on a loaded 2-core machine. */
const BASE_DELAY_MS = 3_000;
const logs: string[] = [];
const startedIds: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  gateway = createWorkflowGateway(h.database.db, { address: h.config.temporalAddress, namespace: h.config.temporalNamespace, taskQueue: idleQueue },
    (m) => logs.push(m), { maxAttempts: 3, baseDelayMs: BASE_DELAY_MS, maxDelayMs: 2 * BASE_DELAY_MS, batchSize: 50 });
  // Rows the demo seed may have queued are not part of these tests.
  await h.database.db.update(workflowOutbox).set({ dispatchedAt: new Date() });
});

afterAll(async () => {
  const client = await gateway?.client();
  for (const id of startedIds) await client?.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await gateway?.close();
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function insert(values: Partial<typeof workflowOutbox.$inferInsert>) {
  const [row] = await h.database.db.insert(workflowOutbox).values({
    workflowType: 'outboxTestWorkflow', workflowId: `outbox-test:${tag}:${randomBytes(3).toString('hex')}`, args: {}, mode: 'start', ...values,
  }).$returningId();
  return row.id;
}

async function row(id: number) {
  const [r] = await h.database.db.select().from(workflowOutbox).where(eq(workflowOutbox.id, id));
  return r;
}

async function readyz() {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, body: await res.json() as { status: string; database: boolean; temporal: boolean; outbox: { pending: number; failed: number; oldestPendingSeconds: number } } };
}

describe('workflow outbox dispatcher', () => {
  it('a poisoned row does not delay the rows after it; it backs off on its own and is parked after the last attempt', async () => {
    const db = h.database.db;
    // An empty workflow type: Temporal refuses this start, every time.
    const poison = await insert({ workflowType: '', workflowId: `outbox-test:${tag}:poison`, searchAttributes: { BookingId: '1' } });
    const goodIds = [`outbox-test:${tag}:a`, `outbox-test:${tag}:b`];
    const good = [
      await insert({ workflowId: goodIds[0], searchAttributes: { InstitutionId: '1', BookingId: '7' } }),
      await insert({ workflowId: goodIds[1] }),
      // Signals: to a running workflow, and to one that never ran (counts as delivered).
      await insert({ workflowType: '', workflowId: goodIds[0], args: [], mode: 'signal', signalName: 'poke' }),
      await insert({ workflowType: '', workflowId: `outbox-test:${tag}:never-ran`, args: [], mode: 'signal', signalName: 'changed' }),
    ];
    startedIds.push(...goodIds);

    const before = Date.now();
    expect(await gateway.dispatchPending()).toBe(2);
    for (const id of good) expect((await row(id)).dispatchedAt, `row ${id}`).not.toBeNull();
    const described = await (await gateway.client()).workflow.getHandle(goodIds[0]).describe();
    expect(described.status.name).toBe('RUNNING');
    expect((await row(good[0])).lastError).toBeNull();

    let p = await row(poison);
    expect(p).toMatchObject({ attempts: 1, dispatchedAt: null, failedAt: null, claimedAt: null });
    expect(p.lastError).toBeTruthy();
    expect(p.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + BASE_DELAY_MS);
    expect(p.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now() + BASE_DELAY_MS);

    // Backing off: a sweep right away leaves it alone.
    expect(Date.now()).toBeLessThan(p.nextAttemptAt!.getTime());
    await gateway.dispatchPending();
    expect((await row(poison)).attempts).toBe(1);

    // Second attempt after the first delay; the delay doubles.
    await sleep(p.nextAttemptAt!.getTime() - Date.now() + 50);
    const second = Date.now();
    await gateway.dispatchPending();
    p = await row(poison);
    expect(p.attempts).toBe(2);
    expect(p.failedAt).toBeNull();
    expect(p.nextAttemptAt!.getTime() - second).toBeGreaterThanOrEqual(2 * BASE_DELAY_MS - 50);

    // Third and last attempt: parked and audited.
    await sleep(p.nextAttemptAt!.getTime() - Date.now() + 50);
    await gateway.dispatchPending();
    p = await row(poison);
    expect(p).toMatchObject({ attempts: 3, dispatchedAt: null, claimedAt: null, nextAttemptAt: null });
    expect(p.failedAt).not.toBeNull();
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'workflow_outbox.parked'), eq(auditLog.objectId, String(poison))));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ objectType: 'workflow_outbox', organisationId: null, actorUserId: null });
    expect(JSON.stringify(audits[0].after)).not.toContain('args');
    expect(logs.some((l) => l.includes(`row ${poison}`) && l.includes('parked'))).toBe(true);

    // Never retried automatically.
    await sleep(2 * BASE_DELAY_MS + 100);
    await gateway.dispatchPending();
    expect((await row(poison)).attempts).toBe(3);
  });

  it('/healthz says the process is up; /readyz reports the outbox, parked rows included, and stays ready', async () => {
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', database: true, temporal: true, outbox: { pending: 0, failed: 1, oldestPendingSeconds: 0 } });
  });

  it('/readyz answers 503 while a pending row has waited more than 5 minutes for a dispatcher; a row in backoff is not late', async () => {
    const db = h.database.db;
    // Written 10 minutes ago and waiting out its backoff: not late.
    const stuck = await insert({ nextAttemptAt: new Date(Date.now() + 3_600_000), attempts: 4 });
    await db.update(workflowOutbox).set({ createdAt: new Date(Date.now() - 10 * 60_000) }).where(eq(workflowOutbox.id, stuck));
    let r = await readyz();
    expect(r.status).toBe(200);
    expect(r.body.outbox).toEqual({ pending: 1, failed: 1, oldestPendingSeconds: 0 });

    // Its retry became due 6 minutes ago and no dispatcher took it.
    await db.update(workflowOutbox).set({ nextAttemptAt: new Date(Date.now() - 6 * 60_000) }).where(eq(workflowOutbox.id, stuck));
    r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'not_ready', database: true, temporal: true, outbox: { pending: 1, failed: 1 } });
    expect(r.body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(360);

    // Never attempted, written 10 minutes ago.
    await db.update(workflowOutbox).set({ nextAttemptAt: null, attempts: 0 }).where(eq(workflowOutbox.id, stuck));
    r = await readyz();
    expect(r.status).toBe(503);
    expect(r.body.outbox.oldestPendingSeconds).toBeGreaterThanOrEqual(600);

    await db.update(workflowOutbox).set({ dispatchedAt: new Date() }).where(eq(workflowOutbox.id, stuck));
    expect((await readyz()).status).toBe(200);
  });

  it('Temporal unreachable: the sweep stops without claiming rows or burning their attempts', async () => {
    const away = createWorkflowGateway(h.database.db, { address: '127.0.0.1:1', namespace: 'default', taskQueue: idleQueue }, () => undefined, { maxAttempts: 1 });
    const ids = [await insert({}), await insert({ mode: 'signal', workflowType: '', args: [], signalName: 'x' })];
    try {
      expect(await away.dispatchPending()).toBe(0);
      expect(await away.temporalReachable(500)).toBe(false);
    } finally {
      await away.close();
    }
    for (const id of ids) expect(await row(id)).toMatchObject({ attempts: 0, claimedAt: null, failedAt: null, dispatchedAt: null });
    // Temporal back: they go out.
    const rows = await h.database.db.select().from(workflowOutbox).where(inArray(workflowOutbox.id, ids));
    startedIds.push(...rows.map((r) => r.workflowId));
    expect(await gateway.dispatchPending()).toBe(1);
    for (const id of ids) expect((await row(id)).dispatchedAt).not.toBeNull();
  });

  it('Temporal lost in the middle of a sweep: the sweep stops and gives every claim back, uncounted', async () => {
    // A TCP proxy in front of Temporal that can be pulled away while the dispatcher holds a live connection.
    const sockets = new Set<net.Socket>();
    const [host, port] = h.config.temporalAddress.split(':');
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(port), host);
      for (const s of [client, upstream]) { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const address = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const lost: string[] = [];
    const flaky = createWorkflowGateway(h.database.db, { address, namespace: h.config.temporalNamespace, taskQueue: idleQueue },
      (m) => lost.push(m), { maxAttempts: 2, rpcTimeoutMs: 1_500 });
    try {
      const first = await insert({});
      startedIds.push((await row(first)).workflowId);
      expect(await flaky.dispatchPending()).toBe(1);

      await new Promise<void>((r) => { proxy.close(() => r()); for (const s of sockets) s.destroy(); });
      const ids = [await insert({}), await insert({}), await insert({ mode: 'signal', workflowType: '', args: [], signalName: 'x' })];
      for (let sweep = 0; sweep < 2; sweep++) {
        expect(await flaky.dispatchPending()).toBe(0);
        for (const id of ids) expect(await row(id)).toMatchObject({ attempts: 0, claimedAt: null, failedAt: null, dispatchedAt: null });
      }
      expect(lost.some((m) => m.includes('Temporal unreachable'))).toBe(true);
      expect(lost.some((m) => /row \d+ .*failed/.test(m))).toBe(false);

      // Another dispatcher that reaches Temporal sends them.
      startedIds.push(...(await h.database.db.select().from(workflowOutbox).where(inArray(workflowOutbox.id, ids))).map((r) => r.workflowId));
      expect(await gateway.dispatchPending()).toBe(2);
    } finally {
      // The client's gRPC retry interceptor may still have a retry timer of the last failed call armed (up to ~2 s past
      // its deadline); closing the channel under it makes that retry throw "Channel has been shut down".
      await sleep(4_000);
      await flaky.close();
    }
  });

  it('an older round is not started once a newer one of the same workflow is queued or started', async () => {
    const workflowId = `outbox-test:${tag}:rounds`;
    startedIds.push(workflowId);
    const older = await insert({ workflowId });
    const newer = await insert({ workflowId, mode: 'restart' });
    expect(await gateway.dispatchPending()).toBe(1);
    expect((await row(older)).lastError).toBe('superseded by a newer round');
    expect((await row(newer)).lastError).toBeNull();
    const run = await (await gateway.client()).workflow.getHandle(workflowId).describe();
    expect(run.status.name).toBe('RUNNING');
    const history = await (await gateway.client()).workflow.getHandle(workflowId).fetchHistory();
    const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    expect(Buffer.from(input!).toString()).toContain(`outbox:${newer}`);
  });

  it('many rows (one workflow each) go out in one sweep, claimed in batches', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [first] = await h.database.db.insert(workflowOutbox).values(Array.from({ length: 50 }, (_, j) => ({
        workflowType: '', workflowId: `outbox-test:${tag}:bulk-${i}-${j}`, args: [], mode: 'signal' as const, signalName: 'changed',
      }))).$returningId();
      ids.push(...Array.from({ length: 50 }, (_, j) => first.id + j));
    }
    const t0 = Date.now();
    await gateway.dispatchPending();
    const pending = await h.database.db.select({ id: workflowOutbox.id }).from(workflowOutbox)
      .where(and(inArray(workflowOutbox.id, ids), eq(workflowOutbox.attempts, 1)));
    expect(pending).toHaveLength(300);
    const undispatched = (await h.database.db.select().from(workflowOutbox).where(inArray(workflowOutbox.id, ids))).filter((r) => !r.dispatchedAt);
    expect(undispatched).toHaveLength(0);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('two dispatchers at once (the API and the worker) start every row exactly once', async () => {
    const other = createWorkflowGateway(h.database.db, { address: h.config.temporalAddress, namespace: h.config.temporalNamespace, taskQueue: idleQueue },
      () => undefined, { batchSize: 10 });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) ids.push(await insert({ workflowId: `outbox-test:${tag}:race-${i}` }));
      startedIds.push(...Array.from({ length: 40 }, (_, i) => `outbox-test:${tag}:race-${i}`));
      const [a, b] = await Promise.all([gateway.dispatchPending(), other.dispatchPending()]);
      expect(a + b).toBe(40);
      const rows = await h.database.db.select().from(workflowOutbox).where(inArray(workflowOutbox.id, ids));
      expect(rows.every((r) => r.dispatchedAt && r.attempts === 1 && r.lastError === null)).toBe(true);
    } finally {
      await other.close();
    }
  });
});
