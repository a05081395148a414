/**
 * On the real Temporal dev server: an activity whose worker died mid-run (it never heartbeats nor answers again, as
 * after a SIGKILL) is retried once its heartbeat timeout (workflows/activity-timeouts.ts) has passed, not after the
 * 1-minute start-to-close timeout. The workflow is the password reset's (any workflow schedules its activities with the
 * same timeout; each workflow's recording test checks its history says so). Needs no database: the activities are fakes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH } from '../test/env';
import type { PasswordResetActivities } from './password-reset-activities';

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: TEST_TEMPORAL_ADDRESS });
  client = new Client({ connection });
});
afterAll(async () => { await connection?.close(); });

it('an activity cut off by a dead worker is retried on the heartbeat timeout, not on its start-to-close timeout', async () => {
  let revive!: () => void;
  const deadWorker = new Promise<void>((resolve) => { revive = resolve; });
  const attempts: number[] = [];
  const activities: PasswordResetActivities = {
    async sendPasswordResetEmail() {
      const { attempt } = Context.current().info;
      attempts.push(attempt);
      // The first attempt's worker is "killed": it never heartbeats and never answers (until the test ends).
      if (attempt === 1) await deadWorker;
      return { status: 'gone' };
    },
    async closePasswordReset() { return 'expired'; },
  };
  const taskQueue = `heartbeat-timeout-${randomUUID()}`;
  const workflowId = `password-reset:heartbeat-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address: TEST_TEMPORAL_ADDRESS });
  try {
    const worker = await Worker.create({
      connection: workerConnection, taskQueue, activities, workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
    });
    const result = await worker.runUntil(async () => {
      try {
        return await client.workflow.execute('passwordReset', { taskQueue, workflowId, args: [{ resetId: 1 }] });
      } finally {
        revive(); // lets the worker shut down (Temporal refuses the stale attempt's late answer)
      }
    });
    expect(result).toBe('not_sent');
  } finally {
    await workerConnection.close();
  }
  expect(attempts).toEqual([1, 2]);

  // The attempt that completed records why the one before it failed: the heartbeat timeout.
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const started = (history.events ?? []).flatMap((e) => e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes] : []);
  expect(started.map((s) => s.attempt)).toEqual([2]);
  expect(started[0].lastFailure?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
}, 120_000);
