import { defineConfig } from 'vitest/config';

/**
 * The fault tests (`npm run test:faults`): each file starts its own Temporal dev server, API and worker processes and
 * kills them on purpose, so the files run one after the other (two cores; the processes are the load).
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.test.ts'],
    globalSetup: ['./test/faults/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
