/**
 * The invitation workflow's timing on the time-skipping test server: invite at once, reminder after 24 hours, expiry
 * after 72 hours, and early completion when the password is set. Activities are replaced by recorders here; their
 * own behaviour against MariaDB and SMTP is tested in activities.integration.test.ts. Two runs are recorded as histories
 * (RECORD_HISTORY=1 writes them when missing) that today's code must replay: reminder then expiry, and a password set early.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { InvitationActivities, RemindResult } from './activities';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import { invitationClosedSignal, passwordSetSignal, invitationStateQuery, type UserInvitationInput } from './user-invitation';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

const HOUR = 3_600_000;
/** Histories recorded from earlier versions of the workflow: today's code must replay them without nondeterminism. */
const RECORDED_EXPIRY = fileURLToPath(new URL('./histories/user-invitation-remind-expire.json', import.meta.url));
const RECORDED_ACCEPTED = fileURLToPath(new URL('./histories/user-invitation-password-set.json', import.meta.url));
const bundle = () => ({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } });
const input: UserInvitationInput = { userId: 7, reminderAfterMs: 24 * HOUR, expiresAfterMs: 72 * HOUR };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
});
afterAll(async () => { await env?.teardown(); });

function recorder(opts: { remind?: RemindResult['status']; expire?: 'expired' | 'used' | 'gone' } = {}) {
  const calls: { name: string; at: number }[] = [];
  const record = async (name: string) => { calls.push({ name, at: await env.currentTimeMs() }); };
  const acts: Partial<InvitationActivities> = {
    async issueInvitation(i) {
      await record('issue');
      const now = await env.currentTimeMs();
      return { status: 'issued', invitationId: 11, issuedAt: now, expiresAt: now + i.expiresAfterMs, messageKey: 'user-invitation:11:invite' };
    },
    async deliverEmail(key) { await record(`deliver ${key}`); return 'sent'; },
    async remindInvitation() {
      await record('remind');
      const status = opts.remind ?? 'sent';
      return status === 'sent' ? { status, messageKey: 'user-invitation:11:reminder' } : { status };
    },
    async expireInvitation() { await record('expire'); return opts.expire ?? 'expired'; },
  };
  return { calls, acts };
}

async function run(acts: Partial<InvitationActivities>, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `t-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: acts,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
  });
  await worker.runUntil(body(taskQueue));
}

describe('user invitation workflow', () => {
  it('sends the invitation, a reminder after 24 hours and expires after 72 hours; its history replays', async () => {
    const { calls, acts } = recorder();
    await run(acts, async (taskQueue) => {
      const start = await env.currentTimeMs();
      const handle = await env.client.workflow.start('userInvitation', { taskQueue, workflowId: 'user-invitation:7', args: [input] });
      const outcome = await handle.result();
      expect(outcome).toBe('expired');
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(bundle(), history, 'user-invitation:7');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_EXPIRY)) writeFileSync(RECORDED_EXPIRY, historyToJSON(history));
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver user-invitation:11:invite', 'remind', 'deliver user-invitation:11:reminder', 'expire']);
      const remindAt = calls.find((c) => c.name === 'remind')!.at - start;
      const expireAt = calls.find((c) => c.name === 'expire')!.at - start;
      expect(remindAt).toBeGreaterThanOrEqual(24 * HOUR);
      expect(remindAt).toBeLessThan(25 * HOUR);
      expect(expireAt).toBeGreaterThanOrEqual(72 * HOUR);
      expect(expireAt).toBeLessThan(73 * HOUR);
    });
  });

  it('completes without a reminder when the password is set the same day; its history replays', async () => {
    const { calls, acts } = recorder();
    await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('userInvitation', { taskQueue, workflowId: 'user-invitation:8', args: [input] });
      await env.sleep(2 * HOUR);
      const state = await handle.query(invitationStateQuery);
      expect(state.phase).toBe('waiting_for_password');
      expect(state.invitationId).toBe(11);
      expect(state.nextReminderAt).not.toBeNull();
      await handle.signal(passwordSetSignal);
      await handle.signal(passwordSetSignal); // a duplicate signal is harmless
      expect(await handle.result()).toBe('accepted');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver user-invitation:11:invite']);
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(bundle(), history, 'user-invitation:8');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_ACCEPTED)) writeFileSync(RECORDED_ACCEPTED, historyToJSON(history));
    });
  });

  it('stops at the reminder when the database says the password was already set', async () => {
    const { calls, acts } = recorder({ remind: 'used' });
    await run(acts, async (taskQueue) => {
      const outcome = await env.client.workflow.execute('userInvitation', { taskQueue, workflowId: 'user-invitation:9', args: [input] });
      expect(outcome).toBe('accepted');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver user-invitation:11:invite', 'remind']);
    });
  });

  it('ends as cancelled at once when told the invitation was closed', async () => {
    const { calls, acts } = recorder();
    await run(acts, async (taskQueue) => {
      const handle = await env.client.workflow.start('userInvitation', { taskQueue, workflowId: 'user-invitation:12', args: [input] });
      await env.sleep(HOUR);
      await handle.signal(invitationClosedSignal);
      expect(await handle.result()).toBe('cancelled');
      expect(calls.map((c) => c.name)).toEqual(['issue', 'deliver user-invitation:11:invite']);
    });
  });

  it('ends as cancelled when the user was deactivated meanwhile', async () => {
    const { acts } = recorder({ remind: 'gone' });
    await run(acts, async (taskQueue) => {
      expect(await env.client.workflow.execute('userInvitation', { taskQueue, workflowId: 'user-invitation:10', args: [input] })).toBe('cancelled');
    });
  });
});

describe('user invitation workflow compatibility', () => {
  it('replays the recorded history of an invitation reminded and expired', async () => {
    await Worker.runReplayHistory(bundle(), JSON.parse(readFileSync(RECORDED_EXPIRY, 'utf8')), 'user-invitation:recorded');
  });

  it('replays the recorded history of an invitation accepted on the first day (two passwordSet signals)', async () => {
    await Worker.runReplayHistory(bundle(), JSON.parse(readFileSync(RECORDED_ACCEPTED, 'utf8')), 'user-invitation:recorded-accepted');
  });
});
