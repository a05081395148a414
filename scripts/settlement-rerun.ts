/**
 * Re-runs the commission settlement of one institution's month, as an operator (README "Operations"):
 *
 *   npm run settlement:rerun -- --institution 2 --month 2026-10            # starts it and waits for the result
 *   npm run settlement:rerun -- --institution 2 --month 2026-10 --no-wait  # starts it and prints the workflow ID
 *
 * It does what an admin's "Run settlement" does (server/settlement/start.ts): a settlement_runs row (trigger manual,
 * no user; audited as `settlement.start` with `operator: true`) and the workflow `settlement:<institutionId>:<YYYY-MM>`
 * through the outbox. Drafts are rebuilt (identical when nothing changed), issued and paid statements are never
 * rewritten, and changes after issue become adjustment lines of the next statement. A run of the month that is
 * still queued or running is refused (settlement.run_in_progress); the current or a future month too. Uses the same
 * configuration as the API and the worker (DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS / API key, …), and
 * needs a worker running to do the work. Output: one JSON line; exit code 0 when completed (or queued with --no-wait).
 */
import { pathToFileURL } from 'node:url';
import { createDatabase, type Db } from '../db/client';
import { loadConfig } from '../server/config';
import { DomainError } from '../server/errors';
import { startSettlementRun } from '../server/settlement/start';
import { temporalSettings } from '../server/temporal-connection';
import { createWorkflowGateway, type SettlementProgress, type WorkflowGateway } from '../server/workflow-outbox';
import { describeError } from '../server/log-safety';

export interface RerunArgs { institutionId: number; month: string; wait: boolean }

export const USAGE = 'usage: npm run settlement:rerun -- --institution <institutionId> --month <YYYY-MM> [--no-wait]';

export function parseRerunArgs(argv: string[]): RerunArgs {
  let institutionId: number | undefined;
  let month: string | undefined;
  let wait = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    const value = () => inline ?? argv[++i];
    if (name === '--institution') institutionId = Number(value());
    else if (name === '--month') month = value();
    else if (arg === '--no-wait') wait = false;
    else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  if (!Number.isInteger(institutionId) || institutionId! <= 0) throw new Error(`--institution must be an institution's ID\n${USAGE}`);
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`--month must be YYYY-MM\n${USAGE}`);
  return { institutionId: institutionId!, month, wait };
}

export interface RerunResult { workflowId: string; settlementRunId: number; status: 'queued' | 'completed'; progress?: SettlementProgress }

/** Starts the month's settlement and, when asked, waits for the workflow's result (its final progress). */
export async function rerunSettlement(deps: { db: Db; workflows: WorkflowGateway }, args: RerunArgs): Promise<RerunResult> {
  const started = await startSettlementRun(deps, { userId: null }, { institutionId: args.institutionId, month: args.month });
  // Start it now rather than leaving it to a dispatcher's next sweep.
  await deps.workflows.dispatchPending();
  if (!args.wait) return { ...started, status: 'queued' };
  const client = await deps.workflows.client();
  const progress = await client.workflow.getHandle(started.workflowId).result() as SettlementProgress;
  return { ...started, status: 'completed', progress };
}

async function main() {
  let args: RerunArgs;
  try {
    args = parseRerunArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const config = loadConfig();
  const database = createDatabase(config.databaseUrl, 2);
  const workflows = createWorkflowGateway(database.db, temporalSettings(config), (m) => console.error(m));
  let code = 0;
  try {
    console.log(JSON.stringify(await rerunSettlement({ db: database.db, workflows }, args)));
  } catch (err) {
    code = 1;
    if (err instanceof DomainError) console.error(JSON.stringify({ error: err.key, message: err.message }));
    else console.error(JSON.stringify({ error: 'failed', message: describeError(err) }));
  } finally {
    await workflows.close();
    await database.close();
  }
  process.exit(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
