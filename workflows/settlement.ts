/**
 * Monthly commission settlement.
 *
 * - `settlement` (`settlement:<institutionId>:<YYYY-MM>`, search attribute InstitutionId): plans the month, settles it
 *   chunk by chunk (each chunk an idempotent activity: a worker killed in the middle retries the chunk, which rebuilds
 *   the same drafts, so the run completes once with no duplicate line), keeps `progress` (query) and the run's
 *   settlement_runs row up to date. Started by an admin (through the outbox) or as the child of:
 * - `scheduledSettlement`, started by the institution's Temporal Schedule on the 2nd at 02:00 local time. The month is
 *   the one before the SCHEDULED time (`TemporalScheduledStartTime`, set by the Schedule; or `scheduledAt` in the
 *   input for a backfill by hand) — never "now", so a late or replayed run settles the same month. It starts the
 *   month's `settlement` child with the month's workflow ID: if an admin's run of that month is already running, the
 *   ID is taken and the scheduled run ends as 'already_running' (nothing is settled twice).
 * - `settlementIssued` (`settlement-issued:<statementId>`): delivers the "statement issued" emails queued by the API.
 */
import {
  ApplicationFailure, defineQuery, executeChild, ParentClosePolicy, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { SettlementActivities } from './settlement-activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { ScheduledSettlementInput, SettlementInput, SettlementIssuedInput, SettlementProgress } from '../server/workflow-outbox';

export type { ScheduledSettlementInput, SettlementInput, SettlementIssuedInput, SettlementProgress } from '../server/workflow-outbox';

export const settlementProgressQuery = defineQuery<SettlementProgress>('progress');

const SCHEDULED_START_TIME = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);
const INSTITUTION_ID = defineSearchAttributeKey('InstitutionId', SearchAttributeType.KEYWORD);

/**
 * The chunks are the long part of a run; like every activity they heartbeat every 5 s, so one cut off by a killed
 * worker is retried after the heartbeat timeout (20 s) rather than after its 5-minute start-to-close timeout.
 */
const acts = proxyActivities<SettlementActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 10 },
});

/** The same format as server/workflow-outbox.ts's settlementWorkflowId (a test checks they agree). */
export const monthWorkflowId = (institutionId: number, month: string) => `settlement:${institutionId}:${month}`;

export async function settlement(input: SettlementInput): Promise<SettlementProgress> {
  const progress: SettlementProgress = {
    phase: 'planning', month: input.month, settlementRunId: input.settlementRunId ?? null,
    partnershipsTotal: 0, partnershipsDone: 0, statements: 0, lines: 0,
  };
  setHandler(settlementProgressQuery, () => progress);
  try {
    const begun = await acts.beginSettlementRun({ ...input, runKey: workflowInfo().runId });
    progress.settlementRunId = begun.settlementRunId;
    progress.partnershipsTotal = begun.partnershipsTotal;
    progress.phase = 'settling';
    for (const partnershipIds of begun.chunks) {
      const result = await acts.settleSettlementChunk({
        settlementRunId: begun.settlementRunId, institutionId: input.institutionId, month: input.month, partnershipIds,
        before: { partnershipsDone: progress.partnershipsDone, statements: progress.statements, lines: progress.lines },
      });
      progress.partnershipsDone += partnershipIds.length;
      progress.statements += result.statements;
      progress.lines += result.lines;
    }
    await acts.finishSettlementRun({ settlementRunId: begun.settlementRunId, status: 'completed' });
    progress.phase = 'completed';
    return progress;
  } catch (err) {
    progress.phase = 'failed';
    if (progress.settlementRunId !== null) {
      const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      await acts.finishSettlementRun({ settlementRunId: progress.settlementRunId, status: 'failed', error: message.slice(0, 1000) });
    }
    throw err;
  }
}

export interface ScheduledSettlementResult { month: string; outcome: 'completed' | 'already_running' }

export async function scheduledSettlement(input: ScheduledSettlementInput & { scheduledAt?: string }): Promise<ScheduledSettlementResult> {
  const scheduled = input.scheduledAt ?? workflowInfo().typedSearchAttributes.get(SCHEDULED_START_TIME)?.toISOString();
  if (!scheduled) {
    throw ApplicationFailure.nonRetryable('no scheduled time: start this workflow from its Schedule, or pass scheduledAt', 'NoScheduledTime');
  }
  const month = await acts.settlementMonthFor({ institutionId: input.institutionId, scheduledAt: scheduled });
  try {
    await executeChild(settlement, {
      workflowId: monthWorkflowId(input.institutionId, month),
      args: [{ institutionId: input.institutionId, month, trigger: 'schedule' }],
      typedSearchAttributes: [{ key: INSTITUTION_ID, value: String(input.institutionId) }],
      // The month's run finishes even if this short parent is terminated.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { month, outcome: 'already_running' };
    throw err;
  }
  return { month, outcome: 'completed' };
}

const mail = proxyActivities<Pick<SettlementActivities, 'deliverEmail'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function settlementIssued(input: SettlementIssuedInput): Promise<number> {
  for (const key of input.messageKeys) await mail.deliverEmail(key);
  return input.messageKeys.length;
}
