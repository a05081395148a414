/** The worker process: runs the workflows and activities, and sweeps the workflow outbox every few seconds. */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '../db/client';
import { loadConfig } from '../server/config';
import { createActivities } from './activities';
import { createWorkflowGateway } from '../server/workflow-outbox';
import { createMailer } from './mail/mailer';
import { describeError } from '../server/log-safety';
import { settlementScheduleKeeper } from '../server/settlement/schedule';
import { componentLogger, logger, temporalLogger } from '../server/logger';
import { temporalConnectOptions, temporalSettings } from '../server/temporal-connection';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./index.ts', import.meta.url));

async function main() {
  const config = loadConfig();
  // The SDK's own lines, workflow logs and activity logs (with workflowId, workflowType, activityType) as pino JSON.
  Runtime.install({ logger: temporalLogger(), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } });
  const database = createDatabase(config.databaseUrl, config.databasePoolSize);
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const connection = await NativeConnection.connect(temporalConnectOptions(temporalSettings(config)));
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    // WORKFLOW_BUNDLE_PATH: a bundle made ahead (bundleWorkflowCode) instead of bundling at start-up (tests, deployments).
    ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } } : { workflowsPath: WORKFLOWS_PATH }),
    // On SIGTERM/SIGINT the activities in flight get this long to finish (then they are cancelled and retried elsewhere).
    shutdownGraceTime: '10 seconds',
    activities: createActivities({
      db: database.db, mailer, appUrl: config.appUrl, appSecret: config.appSecret,
      partnerTimings: { reminderOffsetsMs: config.partnerReminderOffsetsMs, expiresAfterMs: config.partnerInvitationExpiryMs },
      bookingFulfilGraceMs: config.bookingFulfilGraceMs, bookingReminderBeforeMs: config.bookingReminderBeforeMs,
      settlementChunkSize: config.settlementChunkSize,
    }),
  });
  const gateway = createWorkflowGateway(database.db, temporalSettings(config));
  const sweep = setInterval(() => gateway.dispatchSoon(), 5_000);
  gateway.dispatchSoon();
  // Each institution's monthly settlement schedule (2nd of the month, 02:00 local): at start-up, then new institutions.
  const schedules = settlementScheduleKeeper(database.db, () => gateway.client(), config.taskQueue, componentLogger('settlement').warn);
  void schedules.sync();
  const scheduleSync = setInterval(() => { void schedules.sync(); }, 10 * 60_000);
  const stop = () => { clearInterval(sweep); clearInterval(scheduleSync); worker.shutdown(); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger().info({ component: 'worker', taskQueue: config.taskQueue, temporalAddress: config.temporalAddress, namespace: config.temporalNamespace }, 'polling the task queue');
  await worker.run();
  await gateway.close();
  await connection.close();
  mailer.close();
  await database.close();
  logger().info({ component: 'worker' }, 'stopped');
}

main().catch((err) => { logger().fatal({ component: 'worker', err: describeError(err) }, 'worker failed'); process.exit(1); });
