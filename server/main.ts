/** The API process: serves tRPC and the built client on PORT. */
import { createDatabase } from '../db/client';
import { loadConfig } from './config';
import { createApp } from './app';
import { createWorkflowGateway } from './workflow-outbox';
import { deleteExpiredSessions } from './auth/session';
import { describeError } from './log-safety';
import { limitsFor } from './auth/limits';

const config = loadConfig();
const database = createDatabase(config.databaseUrl);
const workflows = createWorkflowGateway(database.db, {
  address: config.temporalAddress, namespace: config.temporalNamespace, taskQueue: config.taskQueue,
});
const app = createApp({ db: database.db, config, workflows });
// Creates the rate-limit table if needed now rather than on the first sign-in.
limitsFor(database.db, config).catch((e) => console.warn('[api] rate limits not ready yet:', describeError(e)));
const server = app.listen(config.port, () => console.log(`[api] listening on http://localhost:${config.port}`));
const cleanup = setInterval(() => {
  // Expired rate-limit rows are cleared by rate-limiter-flexible itself (auth/limits.ts).
  deleteExpiredSessions(database.db)
    .catch((e) => console.warn('[api] housekeeping failed:', describeError(e)));
}, 10 * 60_000);

function stop() {
  clearInterval(cleanup);
  server.close(async () => {
    await workflows.close();
    await database.close();
    console.log('[api] stopped');
    process.exit(0);
  });
  server.closeAllConnections();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
