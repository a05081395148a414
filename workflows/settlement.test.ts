/**
 * The settlement workflows on the time-skipping test server, with fake activities: chunks in order with progress (query
 * and run row), a chunk that fails after writing (a killed worker) is retried and the run completes once without
 * duplicate lines, a failed run is recorded as failed, the scheduled run takes its month from the scheduled time and
 * starts the month's workflow as a child (or stops when that month is already running), the issued-statement emails,
 * and replay of a recorded history. Against MariaDB: server/settlement.integration.test.ts and
 * workflows/settlement.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import type { SettlementActivities } from './settlement-activities';
import { monthWorkflowId, settlementProgressQuery, type SettlementInput } from './settlement';
import { settlementWorkflowId } from '../server/workflow-outbox';
import { monthBeforeScheduledTime } from '../server/settlement/months';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

const RECORDED_HISTORY = fileURLToPath(new URL('./histories/settlement-month.json', import.meta.url));
const RECORDED_SCHEDULED = fileURLToPath(new URL('./histories/scheduled-settlement-october.json', import.meta.url));
const RECORDED_ISSUED = fileURLToPath(new URL('./histories/settlement-issued-two-emails.json', import.meta.url));
const bundle = () => ({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } });

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
  // The month's workflow carries InstitutionId: the test server must know the attribute (2 = Keyword).
  await env.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: { InstitutionId: 2 } });
});
afterAll(async () => { await env?.teardown(); });

/** A fake database: lines keyed like the unique index (statement = partnership here, booking, kind), the run row. */
function fakes(opts: { partnerships?: number[]; chunkSize?: number; crashOnce?: number; failChunk?: number; gate?: Promise<void> } = {}) {
  const partnershipIds = opts.partnerships ?? [1, 2, 3, 4, 5];
  const lines = new Map<string, number>();
  const run = { status: 'queued', partnershipsTotal: 0, partnershipsDone: 0, statements: 0, lines: 0, error: null as string | null };
  const calls: string[] = [];
  let crashed = false;
  const acts: Partial<SettlementActivities> = {
    async settlementMonthFor({ scheduledAt }) { calls.push(`month ${scheduledAt}`); return monthBeforeScheduledTime(new Date(scheduledAt), 'Europe/Bucharest'); },
    async beginSettlementRun(input) {
      calls.push(`begin ${input.month}`);
      run.status = 'running';
      run.partnershipsTotal = partnershipIds.length;
      const size = opts.chunkSize ?? 2;
      const chunks: number[][] = [];
      for (let i = 0; i < partnershipIds.length; i += size) chunks.push(partnershipIds.slice(i, i + size));
      return { settlementRunId: input.settlementRunId ?? 77, partnershipsTotal: partnershipIds.length, chunks };
    },
    async settleSettlementChunk(input) {
      calls.push(`chunk ${input.partnershipIds.join(',')}`);
      if (opts.gate && input.partnershipIds.includes(partnershipIds[partnershipIds.length - 1])) await opts.gate;
      if (opts.failChunk !== undefined && input.partnershipIds.includes(opts.failChunk)) throw ApplicationFailure.nonRetryable('deadlock found');
      // Delete and re-insert the drafts' lines (what settleChunk does in one transaction): a retry writes the same.
      for (const p of input.partnershipIds) {
        for (const key of [...lines.keys()]) if (key.startsWith(`${p}:`)) lines.delete(key);
        for (let b = 0; b < 3; b++) lines.set(`${p}:${p * 100 + b}:booking`, (lines.get(`${p}:${p * 100 + b}:booking`) ?? 0) + 1);
      }
      if (opts.crashOnce !== undefined && input.partnershipIds.includes(opts.crashOnce) && !crashed) {
        crashed = true;
        throw new Error('worker killed after the commit'); // the chunk committed, the activity never reported
      }
      const result = { statements: input.partnershipIds.length, lines: input.partnershipIds.length * 3, adjustments: 0, frozen: 0 };
      Object.assign(run, { partnershipsDone: input.before.partnershipsDone + input.partnershipIds.length, statements: input.before.statements + result.statements, lines: input.before.lines + result.lines });
      return result;
    },
    async finishSettlementRun(input) { calls.push(`finish ${input.status}`); run.status = input.status; run.error = input.error ?? null; },
    async deliverEmail(key) { calls.push(`deliver ${key}`); return 'sent'; },
  };
  return { acts, lines, run, calls };
}

async function withWorker(acts: Partial<SettlementActivities>, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `s-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: acts,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
  });
  await worker.runUntil(body(taskQueue));
}

const input: SettlementInput = { institutionId: 7, month: '2026-10', trigger: 'manual', settlementRunId: 12, startedByUserId: 3 };

describe('settlement workflow', () => {
  it('uses the same workflow ID as the server', () => {
    expect(monthWorkflowId(7, '2026-10')).toBe(settlementWorkflowId(7, '2026-10'));
  });

  it('settles chunk by chunk, reports progress, and records the completed run; its history replays', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const { acts, run, calls, lines } = fakes({ gate });
    await withWorker(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('settlement', { taskQueue, workflowId: settlementWorkflowId(7, '2026-10'), args: [input] });
      let progress = await handle.query(settlementProgressQuery);
      for (let i = 0; i < 100 && progress.partnershipsDone < 4; i++) {
        await new Promise((r) => setTimeout(r, 50));
        progress = await handle.query(settlementProgressQuery);
      }
      expect(progress).toEqual({ phase: 'settling', month: '2026-10', settlementRunId: 12, partnershipsTotal: 5, partnershipsDone: 4, statements: 4, lines: 12 });
      open();
      expect(await handle.result()).toEqual({ phase: 'completed', month: '2026-10', settlementRunId: 12, partnershipsTotal: 5, partnershipsDone: 5, statements: 5, lines: 15 });
      expect(calls).toEqual(['begin 2026-10', 'chunk 1,2', 'chunk 3,4', 'chunk 5', 'finish completed']);
      expect(run).toMatchObject({ status: 'completed', partnershipsDone: 5, statements: 5, lines: 15 });
      expect([...lines.values()].every((n) => n === 1)).toBe(true);

      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'settlement:7:2026-10');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_HISTORY)) writeFileSync(RECORDED_HISTORY, historyToJSON(history));
    });
  });

  it('a worker killed in the middle of a chunk: the chunk runs again and the run completes once, with no duplicate line', async () => {
    const { acts, run, calls, lines } = fakes({ crashOnce: 3 });
    await withWorker(acts, async (taskQueue) => {
      const result = await env.client.workflow.execute('settlement', { taskQueue, workflowId: settlementWorkflowId(7, '2026-09'), args: [{ ...input, month: '2026-09' }] });
      expect(result).toMatchObject({ phase: 'completed', partnershipsDone: 5, statements: 5, lines: 15 });
      expect(calls).toEqual(['begin 2026-09', 'chunk 1,2', 'chunk 3,4', 'chunk 3,4', 'chunk 5', 'finish completed']);
      expect(lines.size).toBe(15);
      expect([...lines.values()].every((n) => n === 1)).toBe(true);
      expect(run).toMatchObject({ status: 'completed', lines: 15 });
    });
  });

  it('records a failed run and fails', async () => {
    const { acts, run, calls } = fakes({ failChunk: 5 });
    await withWorker(acts, async (taskQueue) => {
      await expect(env.client.workflow.execute('settlement', { taskQueue, workflowId: settlementWorkflowId(7, '2026-08'), args: [{ ...input, month: '2026-08' }] })).rejects.toThrow();
      expect(calls.at(-1)).toBe('finish failed');
      expect(run.status).toBe('failed');
      expect(run.error).toContain('deadlock found');
    });
  });
});

describe('scheduled settlement', () => {
  it('settles the month before the scheduled time, in the institution\'s zone, as the month\'s own workflow; its history replays', async () => {
    const { acts, calls } = fakes({ partnerships: [1] });
    await withWorker(acts, async (taskQueue) => {
      // 1 November 02:00 in Bucharest is 00:00 UTC: October. (1 July 02:00 EEST would be 30 June 23:00 UTC: June.)
      const handle = await env.client.workflow.start('scheduledSettlement', {
        taskQueue, workflowId: 'scheduled-settlement:7-2026-11-01T00:00:00Z', args: [{ institutionId: 7, scheduledAt: '2026-11-01T00:00:00Z' }],
      });
      const result = await handle.result();
      expect(result).toEqual({ month: '2026-10', outcome: 'completed' });
      expect(calls).toEqual(['month 2026-11-01T00:00:00Z', 'begin 2026-10', 'chunk 1', 'finish completed']);
      const child = await env.client.workflow.getHandle('settlement:7:2026-10').describe();
      expect(child.status.name).toBe('COMPLETED');
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(bundle(), history, 'scheduled-settlement:7-2026-11-01T00:00:00Z');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_SCHEDULED)) writeFileSync(RECORDED_SCHEDULED, historyToJSON(history));
    });
  });

  it('stops when the month is already being settled (an admin started it)', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const { acts } = fakes({ partnerships: [1], gate });
    await withWorker(acts, async (taskQueue) => {
      const manual = await env.client.workflow.start('settlement', { taskQueue, workflowId: 'settlement:8:2026-05', args: [{ ...input, institutionId: 8, month: '2026-05' }] });
      const scheduled = await env.client.workflow.execute('scheduledSettlement', {
        taskQueue, workflowId: 'scheduled-settlement:8-2026-06-01', args: [{ institutionId: 8, scheduledAt: '2026-05-31T23:00:00Z' }],
      });
      expect(scheduled).toEqual({ month: '2026-05', outcome: 'already_running' });
      open();
      expect((await manual.result()).phase).toBe('completed');
    });
  });

  it('refuses to guess the month without a scheduled time', async () => {
    const { acts } = fakes();
    await withWorker(acts, async (taskQueue) => {
      await expect(env.client.workflow.execute('scheduledSettlement', { taskQueue, workflowId: 'scheduled-settlement:9-x', args: [{ institutionId: 9 }] }))
        .rejects.toThrow();
    });
  });
});

describe('statement issued emails', () => {
  it('delivers every queued email; its history replays', async () => {
    const { acts, calls } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('settlementIssued', { taskQueue, workflowId: 'settlement-issued:1', args: [{ statementId: 1, messageKeys: ['a', 'b'] }] });
      expect(await handle.result()).toBe(2);
      expect(calls).toEqual(['deliver a', 'deliver b']);
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(bundle(), history, 'settlement-issued:1');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_ISSUED)) writeFileSync(RECORDED_ISSUED, historyToJSON(history));
    });
  });
});

describe('settlement workflow compatibility', () => {
  it('replays the recorded history of a month settled in three chunks', async () => {
    const history = JSON.parse(readFileSync(RECORDED_HISTORY, 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'settlement:recorded');
  });

  it('replays the recorded history of a scheduled run that settled October as its child', async () => {
    await Worker.runReplayHistory(bundle(), JSON.parse(readFileSync(RECORDED_SCHEDULED, 'utf8')), 'scheduled-settlement:recorded');
  });

  it('replays the recorded history of a statement\'s two issued emails', async () => {
    await Worker.runReplayHistory(bundle(), JSON.parse(readFileSync(RECORDED_ISSUED, 'utf8')), 'settlement-issued:recorded');
  });
});
