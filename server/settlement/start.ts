/**
 * Starting (or re-running) the settlement of an institution's month: one operation for the admin's
 * `settlements.start` and the operator's `npm run settlement:rerun` (scripts/settlement-rerun.ts). A run of a month
 * that was settled before rebuilds its drafts (identical when nothing changed), never rewrites issued or paid
 * statements, and turns changes after issue into adjustment lines of the next statement (decision 008).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { organisations, settlementRuns } from '../../db/schema';
import { DomainError } from '../errors';
import { writeAudit } from '../audit';
import { enqueueSettlement, settlementWorkflowId, type WorkflowGateway } from '../workflow-outbox';
import { isPastMonth, isValidMonth } from './months';
import { createManualRun, unfinishedRuns, type SettlementRun } from './runs';

/** A queued run younger than this is still on its way to Temporal (the outbox retries), so it counts as running. */
const QUEUED_GRACE_MS = 2 * 60_000;
const TEMPORAL_BUDGET_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((r) => { timer = setTimeout(() => r(fallback), ms); timer.unref(); });
  return Promise.race([p.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

/** The month's workflow status in Temporal: 'RUNNING', another status name, 'NOT_FOUND', or null when unreachable. */
export async function workflowStatus(workflows: Pick<WorkflowGateway, 'client'>, workflowId: string): Promise<string | null> {
  const check = (async () => {
    const client = await workflows.client();
    try {
      return (await client.workflow.getHandle(workflowId).describe()).status.name as string;
    } catch (err) {
      if ((err as { name?: string }).name === 'WorkflowNotFoundError') return 'NOT_FOUND';
      throw err;
    }
  })();
  return withTimeout<string | null>(check, TEMPORAL_BUDGET_MS, null);
}

/** A run row left queued/running by a workflow that is gone (terminated, or Temporal's history was reset). */
async function isAbandoned(workflows: Pick<WorkflowGateway, 'client'>, run: SettlementRun): Promise<boolean> {
  if (run.status === 'queued' && Date.now() - run.startedAt.getTime() < QUEUED_GRACE_MS) return false;
  const status = await workflowStatus(workflows, run.workflowId);
  return status !== null && status !== 'RUNNING';
}

export interface SettlementStarter {
  /** The admin who started it, or null for an operator's re-run (audited with `operator: true`). */
  userId: number | null;
  ip?: string;
}

/**
 * Queues the settlement workflow of a month that is over, in the institution's time zone. Errors (DomainError):
 * settlement.month_invalid / settlement.month_not_past (BAD_REQUEST), settlement.run_in_progress (CONFLICT: a run of
 * that month is queued or running); an ID that is not an institution's is NOT_FOUND (the router passes the caller's
 * own institution).
 */
export async function startSettlementRun(
  deps: { db: Db; workflows: Pick<WorkflowGateway, 'client' | 'dispatchSoon'> }, starter: SettlementStarter,
  input: { institutionId: number; month: string },
): Promise<{ settlementRunId: number; workflowId: string }> {
  const { db, workflows } = deps;
  if (!isValidMonth(input.month)) throw new DomainError('BAD_REQUEST', 'settlement.month_invalid', 'month');
  const [institution] = await db.select({ id: organisations.id, timeZone: organisations.timeZone }).from(organisations)
    .where(and(eq(organisations.id, input.institutionId), eq(organisations.isInstitution, true)));
  if (!institution) throw new DomainError('NOT_FOUND', 'auth.forbidden');
  if (!isPastMonth(input.month, institution.timeZone)) throw new DomainError('BAD_REQUEST', 'settlement.month_not_past', 'month');
  // Ask Temporal about leftovers first (outside the transaction: no lock is held while waiting for it).
  const open = await db.select().from(settlementRuns)
    .where(and(eq(settlementRuns.institutionId, institution.id), eq(settlementRuns.month, input.month), inArray(settlementRuns.status, ['queued', 'running'])));
  const abandoned = new Set<number>();
  for (const run of open) if (await isAbandoned(workflows, run)) abandoned.add(run.id);

  const settlementRunId = await db.transaction(async (tx) => {
    // One start per institution at a time: the second of two admins waits here, then sees the first one's run.
    await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, institution.id)).for('update');
    for (const run of await unfinishedRuns(tx, institution.id, input.month)) {
      if (!abandoned.has(run.id)) throw new DomainError('CONFLICT', 'settlement.run_in_progress', 'month');
      await tx.update(settlementRuns).set({ status: 'failed', finishedAt: new Date(), lastError: 'abandoned: its workflow is no longer running' })
        .where(eq(settlementRuns.id, run.id));
    }
    const id = await createManualRun(tx, { institutionId: institution.id, month: input.month, userId: starter.userId });
    await enqueueSettlement(tx, { institutionId: institution.id, month: input.month, trigger: 'manual', settlementRunId: id, startedByUserId: starter.userId });
    await writeAudit(tx, {
      organisationId: institution.id, actorUserId: starter.userId, action: 'settlement.start', objectType: 'settlement_run', objectId: id,
      after: starter.userId === null ? { month: input.month, operator: true } : { month: input.month }, ip: starter.ip,
    });
    return id;
  });
  workflows.dispatchSoon();
  return { settlementRunId, workflowId: settlementWorkflowId(institution.id, input.month) };
}
