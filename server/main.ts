/** The API process: serves tRPC and the built client on PORT. */
import { createDatabase } from '../db/client';
import { loadConfig } from './config';
import { createApp } from './app';
import { createWorkflowGateway } from './workflow-outbox';
import { deleteExpiredSessions } from './auth/session';
import { describeError } from './log-safety';
import { limitsFor } from './auth/limits';
import { logger } from './logger';
import { temporalSettings } from './temporal-connection';
import { createServer } from 'node:http';
import { createDrain, shutdownTimeoutMs } from './shutdown';
import { answerClientErrorsAsJson } from './client-error';

const config = loadConfig();
const log = logger().child({ component: 'api' });
const database = createDatabase(config.databaseUrl, config.databasePoolSize);
// Statistics read from a replica when DATABASE_READ_URL names one (closed with the process).
const replica = config.databaseReadUrl !== config.databaseUrl ? createDatabase(config.databaseReadUrl, config.databasePoolSize) : null;
const workflows = createWorkflowGateway(database.db, temporalSettings(config));
const app = createApp({ db: database.db, readDb: replica?.db, config, workflows });
// Creates the rate-limit table if needed now rather than on the first sign-in.
limitsFor(database.db, config).catch((e) => log.warn({ err: describeError(e) }, 'rate limits not ready yet'));
// Requests in flight finish on SIGTERM; new ones get a 503 JSON answer until the last one is answered (shutdown.ts).
const drain = createDrain(app);
const server = answerClientErrorsAsJson(createServer(drain.handler)).listen(config.port, () => log.info({
  port: config.port, temporalAddress: config.temporalAddress, namespace: config.temporalNamespace, readReplica: replica !== null,
}, `listening on http://localhost:${config.port}`));
const cleanup = setInterval(() => {
  // Expired rate-limit rows are cleared by rate-limiter-flexible itself (auth/limits.ts).
  deleteExpiredSessions(database.db)
    .catch((e) => log.warn({ err: describeError(e) }, 'housekeeping failed'));
}, 10 * 60_000);

async function stop(signal: string) {
  if (drain.draining()) { log.warn({ signal }, 'second signal: exiting now'); process.exit(1); }
  clearInterval(cleanup);
  log.info({ signal, inFlight: drain.inFlight() }, 'draining: finishing the requests in flight, refusing new ones');
  if (!(await drain.drain(server, shutdownTimeoutMs()))) log.warn('shutdown timeout: closed the requests still open');
  await workflows.close().catch((e) => log.warn({ err: describeError(e) }, 'closing the Temporal connection failed'));
  await database.close().catch((e) => log.warn({ err: describeError(e) }, 'closing the database pool failed'));
  await replica?.close().catch(() => undefined);
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
