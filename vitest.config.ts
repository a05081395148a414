import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'workflows/**/*.test.ts', 'db/**/*.test.ts', 'test/**/*.test.ts', 'client/**/*.test.ts'],
    // The fault tests kill processes and run on their own: npm run test:faults (vitest.faults.config.ts).
    exclude: ['**/node_modules/**', 'test/faults/**'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: integration files each run a Temporal worker; keep them from starving each other.
    maxWorkers: 2,
  },
});
