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

const config = loadConfig();
const log = logger().child({ component: 'api' });
const database = createDatabase(config.databaseUrl);
// Statistics read from a replica when DATABASE_READ_URL names one (closed with the process).
const replica = config.databaseReadUrl !== config.databaseUrl ? createDatabase(config.databaseReadUrl) : null;
const workflows = createWorkflowGateway(database.db, temporalSettings(config));
const app = createApp({ db: database.db, readDb: replica?.db, config, workflows });
// Creates the rate-limit table if needed now rather than on the first sign-in.
limitsFor(database.db, config).catch((e) => log.warn({ err: describeError(e) }, 'rate limits not ready yet'));
const server = app.listen(config.port, () => console.log(`[api] listening on http://localhost:${config.port}`));
const cleanup = setInterval(() => {
  // Expired rate-limit rows are cleared by rate-limiter-flexible itself (auth/limits.ts).
  deleteExpiredSessions(database.db)
    .catch((e) => log.warn({ err: describeError(e) }, 'housekeeping failed'));
}, 10 * 60_000);

function stop() {
  clearInterval(cleanup);
  server.close(async () => {
    await workflows.close();
    await database.close();
    await replica?.close();
    console.log('[api] stopped');
    process.exit(0);
  });
  server.closeAllConnections();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
