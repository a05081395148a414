/** Bundles the workflow code once for every worker process the fault tests start (WORKFLOW_BUNDLE_PATH). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../env';

export const FAULTS_BUNDLE_PATH = resolve('.data/faults-workflow-bundle.js');

export async function setup() {
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH, logger: { info: quiet, warn: quiet, error: console.error, debug: quiet, trace: quiet, log: quiet } as never,
  });
  mkdirSync(resolve('.data'), { recursive: true });
  writeFileSync(FAULTS_BUNDLE_PATH, code);
}
