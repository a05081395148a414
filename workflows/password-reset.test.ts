/**
 * The password reset workflow on the time-skipping test server, with recording activities: the email goes out at once
 * and the outcome is read when the link expires (an hour later); a link gone before it could be sent sends nothing and
 * waits for nothing; and a recorded history replays. Against MariaDB, SMTP and the real Temporal server:
 * server/password-reset.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import type { PasswordResetActivities } from './password-reset-activities';
import { passwordResetWorkflowId, type PasswordResetOutcome, type PasswordResetSendResult } from '../server/auth/password-reset';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

const RECORDED_HISTORY = fileURLToPath(new URL('./histories/password-reset-sent-used.json', import.meta.url));
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
});
afterAll(async () => { await env?.teardown(); });

function recorder(opts: { send?: PasswordResetSendResult['status']; outcome?: PasswordResetOutcome } = {}) {
  const calls: { name: string; at: number }[] = [];
  const record = async (name: string) => { calls.push({ name, at: await env.currentTimeMs() }); };
  const acts: Partial<PasswordResetActivities> = {
    async sendPasswordResetEmail(resetId) {
      await record(`send ${resetId}`);
      const status = opts.send ?? 'sent';
      return status === 'gone' ? { status } : { status, expiresAt: (await env.currentTimeMs()) + HOUR };
    },
    async closePasswordReset(resetId) { await record(`close ${resetId}`); return opts.outcome ?? 'expired'; },
  };
  return { calls, acts };
}

async function run(acts: Partial<PasswordResetActivities>, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `pr-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: acts,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
  });
  await worker.runUntil(body(taskQueue));
}

describe('password reset workflow', () => {
  it('sends the email at once and reads how the link ended when it expires an hour later; its history replays', async () => {
    const { calls, acts } = recorder({ outcome: 'used' });
    await run(acts, async (taskQueue) => {
      const start = await env.currentTimeMs();
      const handle = await env.client.workflow.start('passwordReset', { taskQueue, workflowId: passwordResetWorkflowId(7), args: [{ resetId: 31 }] });
      expect(await handle.result()).toBe('used');
      expect(calls.map((c) => c.name)).toEqual(['send 31', 'close 31']);
      expect(calls[0].at - start).toBeLessThan(60_000);
      expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(HOUR);
      expect(calls[1].at - calls[0].at).toBeLessThan(HOUR + 60_000);

      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, passwordResetWorkflowId(7));
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_HISTORY)) writeFileSync(RECORDED_HISTORY, historyToJSON(history));
      // The input holds the link's ID only: no token, no address.
      const started = JSON.parse(historyToJSON(history)).events[0].workflowExecutionStartedEventAttributes;
      expect(JSON.parse(Buffer.from(started.input.payloads[0].data, 'base64').toString('utf8'))).toEqual({ resetId: 31 });
    });
  });

  it('a link revoked or used before it was sent: nothing is sent and nothing waits', async () => {
    const { calls, acts } = recorder({ send: 'gone' });
    await run(acts, async (taskQueue) => {
      const outcome = await env.client.workflow.execute('passwordReset', { taskQueue, workflowId: passwordResetWorkflowId(8), args: [{ resetId: 32 }] });
      expect(outcome).toBe('not_sent');
      expect(calls.map((c) => c.name)).toEqual(['send 32']);
    });
  });

  it('a repeated send after the email went out (already_sent) still waits for the expiry', async () => {
    const { calls, acts } = recorder({ send: 'already_sent', outcome: 'expired' });
    await run(acts, async (taskQueue) => {
      const outcome = await env.client.workflow.execute('passwordReset', { taskQueue, workflowId: passwordResetWorkflowId(9), args: [{ resetId: 33 }] });
      expect(outcome).toBe('expired');
      expect(calls.map((c) => c.name)).toEqual(['send 33', 'close 33']);
    });
  });
});

describe('password reset workflow compatibility', () => {
  it('replays the recorded history of a sent and used link', async () => {
    const history = JSON.parse(readFileSync(RECORDED_HISTORY, 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'password-reset:recorded');
  });
});
