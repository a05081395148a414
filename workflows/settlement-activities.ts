/**
 * Activities of the settlement workflows. Each is idempotent: a chunk deletes and re-inserts its drafts' lines in one
 * transaction (unique keys rule out duplicates), progress is written as absolute values, the run row of a scheduled
 * run is keyed by its Temporal run.
 */
import { settlementScope, planSettlement, settleChunk, chunks, SETTLEMENT_CHUNK_SIZE, institutionTimeZone, type ChunkResult } from '../server/settlement/settle';
import { beginRun, finishRun, recordProgress } from '../server/settlement/runs';
import { monthBeforeScheduledTime } from '../server/settlement/months';
import type { SettlementInput } from '../server/workflow-outbox';
import type { ActivityDeps, EmailActivities } from './email-activities';

export interface BeginSettlementResult { settlementRunId: number; partnershipsTotal: number; chunks: number[][] }

export type SettlementActivities = ReturnType<typeof createSettlementActivities> & Pick<EmailActivities, 'deliverEmail'>;

export function createSettlementActivities(deps: ActivityDeps & { settlementChunkSize?: number }) {
  const { db } = deps;
  return {
    /** The month a scheduled run settles: the month before the scheduled time, in the institution's time zone. */
    async settlementMonthFor(input: { institutionId: number; scheduledAt: string }): Promise<string> {
      const timeZone = await institutionTimeZone(db, input.institutionId);
      if (!timeZone) throw new Error(`institution ${input.institutionId} not found`);
      return monthBeforeScheduledTime(new Date(input.scheduledAt), timeZone);
    },

    /** Plans the run (the partnerships to settle, in chunks) and marks its row running. */
    async beginSettlementRun(input: SettlementInput & { runKey: string }): Promise<BeginSettlementResult> {
      const plan = await planSettlement(db, input.institutionId, input.month);
      const settlementRunId = await beginRun(db, {
        institutionId: input.institutionId, month: input.month, trigger: input.trigger, settlementRunId: input.settlementRunId,
        runKey: input.runKey, startedByUserId: input.startedByUserId, partnershipsTotal: plan.partnershipIds.length,
      });
      return { settlementRunId, partnershipsTotal: plan.partnershipIds.length, chunks: chunks(plan.partnershipIds, deps.settlementChunkSize ?? SETTLEMENT_CHUNK_SIZE) };
    },

    /** Settles one chunk of partnerships (one transaction) and records the run's progress after it. */
    async settleSettlementChunk(input: {
      settlementRunId: number; institutionId: number; month: string; partnershipIds: number[];
      /** Totals before this chunk (from the workflow), so the progress written is the same on a retry. */
      before: { partnershipsDone: number; statements: number; lines: number };
    }): Promise<ChunkResult> {
      const scope = await settlementScope(db, input.institutionId, input.month);
      const result = await settleChunk(db, scope, input.partnershipIds, input.settlementRunId);
      await recordProgress(db, input.settlementRunId, {
        partnershipsDone: input.before.partnershipsDone + input.partnershipIds.length,
        statements: input.before.statements + result.statements, lines: input.before.lines + result.lines,
      });
      return result;
    },

    async finishSettlementRun(input: { settlementRunId: number; status: 'completed' | 'failed'; error?: string }): Promise<void> {
      await finishRun(db, input.settlementRunId, { status: input.status, error: input.error ?? null });
    },
  };
}
