/** Where the tests find their real services. */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const TEST_TEMPORAL_ADDRESS = process.env.TEST_TEMPORAL_ADDRESS ?? '127.0.0.1:7299';
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
export const WORKFLOW_BUNDLE_PATH = resolve('.data/test-workflow-bundle.js');
