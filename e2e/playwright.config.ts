/**
 * Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against the whole
 * stack started by e2e/start-stack.ts on its own port, database, MailDev ports and Temporal task queue.
 */
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const E2E = {
  port: 3100,
  baseURL: 'http://localhost:3100',
  maildevWeb: 'http://127.0.0.1:1180',
};

export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: E2E.baseURL,
    locale: 'en-GB',
    timezoneId: 'Europe/Bucharest',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --import tsx e2e/start-stack.ts',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: `${E2E.baseURL}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E.port),
      APP_URL: E2E.baseURL,
      DATABASE_URL: 'mysql://root@127.0.0.1:3306/partner_module_e2e',
      TEMPORAL_ADDRESS: process.env.E2E_TEMPORAL_ADDRESS ?? '127.0.0.1:7299',
      TEMPORAL_DB_FILE: '',
      TEMPORAL_UI_PORT: '8299',
      TEMPORAL_TASK_QUEUE: 'partner-module-e2e',
      MAILDEV_SMTP_PORT: '1125',
      MAILDEV_WEB_PORT: '1180',
      APP_SECRET_FILE: '.data/e2e-app-secret',
      SMTP_URL: '',
    },
  },
});
