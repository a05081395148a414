/**
 * The PartnerInvitation workflow on the time-skipping test server: reminders on day 3 and 7, expiry on day 14, an
 * answer before expiry, withdraw, resend (a new run issues a new round), duplicate signals, and replay of a recorded
 * history. Activities are recorders here; against MariaDB and SMTP they are covered by partners.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { PartnerInvitationActivities } from './partner-activities';
import type { PartnershipStatus } from '../server/domain/partnership-status';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import { decidedSignal, partnerInvitationStateQuery, type PartnerInvitationInput } from './partner-invitation';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

const DAY = 24 * 3_600_000;
/** A history recorded from an earlier version of the workflow: today's code must replay it without nondeterminism. */
const RECORDED_HISTORY = fileURLToPath(new URL('./histories/partner-invitation-resend-approve.json', import.meta.url));
const input: PartnerInvitationInput = { partnershipId: 5, reminderOffsetsMs: [3 * DAY, 7 * DAY], expiresAfterMs: 14 * DAY };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
});
afterAll(async () => { await env?.teardown(); });

/** A fake database: the partnership status, the rounds issued, and a log of activity calls with their (skipped) time. */
function fakes() {
  const db = { status: 'pending_approval' as PartnershipStatus, rounds: 0, revoked: [] as number[] };
  const calls: { name: string; at: number }[] = [];
  const record = async (name: string) => { calls.push({ name, at: await env.currentTimeMs() }); };
  const acts: Partial<PartnerInvitationActivities> = {
    async issuePartnerInvitation(i) {
      await record('issue');
      if (db.status !== 'pending_approval') return { status: 'closed', partnershipStatus: db.status };
      if (db.rounds > 0) db.revoked.push(db.rounds);
      const invitationId = ++db.rounds;
      const now = await env.currentTimeMs();
      return { status: 'issued', kind: 'approval', invitationId, issuedAt: now, expiresAt: now + i.expiresAfterMs, messageKeys: [`inv-${invitationId}`] };
    },
    async remindPartnerInvitation({ reminderNumber }) {
      await record(`remind ${reminderNumber}`);
      return db.status === 'pending_approval' ? { status: 'sent', messageKeys: [`rem-${reminderNumber}`] } : { status: 'closed' };
    },
    async expirePartnerInvitation() {
      await record('expire');
      if (db.status === 'pending_approval') db.status = 'expired';
      return db.status;
    },
    async concludePartnerInvitation() {
      await record('conclude');
      return { partnershipStatus: db.status, messageKeys: db.status === 'active' ? ['accepted'] : [] };
    },
    async deliverEmail(key) { await record(`deliver ${key}`); return 'sent'; },
  };
  return { db, calls, acts };
}

async function withWorker(acts: Partial<PartnerInvitationActivities>, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `p-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: acts,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
  });
  await worker.runUntil(body(taskQueue));
}

describe('partner invitation workflow', () => {
  it('reminds on day 3 and day 7 and expires on day 14', async () => {
    const { calls, acts, db } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const start = await env.currentTimeMs();
      const outcome = await env.client.workflow.execute('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:1', args: [input] });
      expect(outcome).toBe('expired');
      expect(db.status).toBe('expired');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver inv-1', 'remind 1', 'deliver rem-1', 'remind 2', 'deliver rem-2', 'expire', 'conclude']);
      const day = (name: string) => (calls.find((c) => c.name === name)!.at - start) / DAY;
      expect(day('remind 1')).toBeCloseTo(3, 1);
      expect(day('remind 2')).toBeCloseTo(7, 1);
      expect(day('expire')).toBeCloseTo(14, 1);
    });
  });

  it('ends active when the partner approves before expiry; a duplicate approval signal is harmless', async () => {
    const { calls, acts, db } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:2', args: [input] });
      await env.sleep(4 * DAY);
      const state = await handle.query(partnerInvitationStateQuery);
      expect(state).toMatchObject({ phase: 'waiting', waitingFor: 'partner_admins', remindersSent: 1 });
      expect(Date.parse(state.nextReminderAt!)).toBeGreaterThan(await env.currentTimeMs());
      db.status = 'active'; // committed by the API before it signals
      await handle.signal(decidedSignal);
      await handle.signal(decidedSignal);
      expect(await handle.result()).toBe('active');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver inv-1', 'remind 1', 'deliver rem-1', 'conclude', 'deliver accepted']);
    });
  });

  it('ends withdrawn when the institution withdraws, without further reminders', async () => {
    const { calls, acts, db } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:3', args: [input] });
      await env.sleep(DAY);
      db.status = 'withdrawn';
      await handle.signal(decidedSignal);
      expect(await handle.result()).toBe('withdrawn');
      expect(calls.some((c) => c.name.startsWith('remind'))).toBe(false);
    });
  });

  it('notices an answer at the next reminder even if the signal was lost', async () => {
    const { calls, acts, db } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:4', args: [input] });
      await env.sleep(DAY);
      db.status = 'declined';
      expect(await handle.result()).toBe('declined');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver inv-1', 'remind 1', 'conclude']);
    });
  });

  it('resend starts a new round: the old one is revoked and the timers restart; its history replays', async () => {
    const { acts, db } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const first = await env.client.workflow.start('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:6', args: [input] });
      await env.sleep(5 * DAY);
      const second = await env.client.workflow.start('partnerInvitation', {
        taskQueue, workflowId: 'partner-invitation:6', args: [input], workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      });
      await expect(first.result()).rejects.toThrow();
      let state = await second.query(partnerInvitationStateQuery);
      for (let i = 0; i < 50 && state.phase !== 'waiting'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = await second.query(partnerInvitationStateQuery);
      }
      expect(state).toMatchObject({ phase: 'waiting', invitationId: 2, remindersSent: 0 });
      expect(db.revoked).toEqual([1]);
      db.status = 'active';
      await second.signal(decidedSignal);
      expect(await second.result()).toBe('active');

      const history = await second.fetchHistory();
      expectHeartbeatTimeoutOnEveryActivity(history);
      await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'partner-invitation:6');
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_HISTORY)) writeFileSync(RECORDED_HISTORY, historyToJSON(history));
    });
  });

  it('stops at once when the partnership was already closed before the first round', async () => {
    const { calls, acts, db } = fakes();
    db.status = 'withdrawn';
    await withWorker(acts, async (taskQueue) => {
      expect(await env.client.workflow.execute('partnerInvitation', { taskQueue, workflowId: 'partner-invitation:7', args: [input] })).toBe('withdrawn');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'conclude']);
    });
  });
});

describe('partner invitation workflow compatibility', () => {
  it('replays the recorded history of a resent and approved invitation', async () => {
    const history = JSON.parse(readFileSync(RECORDED_HISTORY, 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'partner-invitation:recorded');
  });
});
