/**
 * The PartnershipNotice workflow on the time-skipping test server, with fake activities: it queues the notice's emails
 * and delivers each once, a delivery that fails is retried (and sends once), a second run of the same notice sends
 * nothing new, and a recorded history replays. Against MariaDB and SMTP: server/partnership-notices.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import type { PartnershipNoticeActivities } from './partner-activities';
import { partnershipNoticeWorkflowId } from '../server/partners/notices';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

/** Recorded from this workflow (RECORD_HISTORY=1 writes it when missing): later versions must replay it unchanged. */
const RECORDED_HISTORY = fileURLToPath(new URL('./histories/partnership-notice-two-admins.json', import.meta.url));
const bundle = () => ({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } });

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
});
afterAll(async () => { await env?.teardown(); });

/** A fake outbox: queued keys per notice (fixed on first queue) and what was sent, with one failing delivery. */
function fakes(opts: { failOnce?: string } = {}) {
  const queued = new Map<number, string[]>();
  const sent = new Set<string>();
  const calls: string[] = [];
  let failed = false;
  const acts: PartnershipNoticeActivities = {
    async queuePartnershipNotice(noticeId) {
      calls.push(`queue ${noticeId}`);
      if (!queued.has(noticeId)) queued.set(noticeId, [`partnership-notice:${noticeId}:user-1`, `partnership-notice:${noticeId}:user-2`]);
      return queued.get(noticeId)!;
    },
    async deliverPartnershipNotice(key) {
      calls.push(`deliver ${key}`);
      if (key === opts.failOnce && !failed) { failed = true; throw new Error('SMTP 421, try again'); }
      if (sent.has(key)) return 'already_sent';
      sent.add(key);
      return 'sent';
    },
  };
  return { acts, sent, calls };
}

async function withWorker(acts: PartnershipNoticeActivities, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `pn-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, activities: acts, ...bundle() });
  await worker.runUntil(body(taskQueue));
}

describe('partnershipNotice workflow', () => {
  it('emails every recipient of the notice once; a second run of the same notice sends nothing new; its history replays', async () => {
    const { acts, sent, calls } = fakes();
    await withWorker(acts, async (taskQueue) => {
      const workflowId = partnershipNoticeWorkflowId(4, 9);
      const handle = await env.client.workflow.start('partnershipNotice', { taskQueue, workflowId, args: [{ noticeId: 9, roundKey: 'outbox:17' }] });
      expect(await handle.result()).toBe(2);
      expect([...sent]).toEqual(['partnership-notice:9:user-1', 'partnership-notice:9:user-2']);
      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(bundle(), history, workflowId);
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_HISTORY)) writeFileSync(RECORDED_HISTORY, historyToJSON(history));

      // The outbox row retried after the dispatcher died: the same workflow ID again, the same keys, nothing new sent.
      const again = await env.client.workflow.start('partnershipNotice', {
        taskQueue, workflowId, args: [{ noticeId: 9, roundKey: 'outbox:17' }], workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });
      expect(await again.result()).toBe(2);
      expect(sent.size).toBe(2);
      expect(calls.filter((c) => c.startsWith('queue'))).toEqual(['queue 9', 'queue 9']);
    });
  });

  it('retries a failed delivery and sends it once', async () => {
    const { acts, sent, calls } = fakes({ failOnce: 'partnership-notice:3:user-2' });
    await withWorker(acts, async (taskQueue) => {
      const result = await env.client.workflow.execute('partnershipNotice', { taskQueue, workflowId: partnershipNoticeWorkflowId(1, 3), args: [{ noticeId: 3 }] });
      expect(result).toBe(2);
      expect(calls.filter((c) => c === 'deliver partnership-notice:3:user-2')).toHaveLength(2);
      expect([...sent].sort()).toEqual(['partnership-notice:3:user-1', 'partnership-notice:3:user-2']);
    });
  });
});

describe('partnershipNotice compatibility', () => {
  it('replays the recorded history of a notice to two admins', async () => {
    const history = JSON.parse(readFileSync(RECORDED_HISTORY, 'utf8'));
    await Worker.runReplayHistory(bundle(), history, 'partnership-notice:recorded');
  });
});
