/**
 * Settlement runs (settlement_runs): one row per run of an institution's month, scheduled or started by an admin, with
 * its progress. The workflow keeps the row up to date through its activities (absolute values, so a retried activity
 * writes the same), and the page reads it.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { settlementRuns, users } from '../../db/schema';
import { settlementWorkflowId } from '../workflow-outbox';

export type SettlementRun = typeof settlementRuns.$inferSelect;

/** A manual run's row, written with its outbox row (status queued until the workflow begins). */
export async function createManualRun(tx: Executor, input: { institutionId: number; month: string; userId: number | null }): Promise<number> {
  const [row] = await tx.insert(settlementRuns).values({
    institutionId: input.institutionId, month: input.month, trigger: 'manual', startedByUserId: input.userId,
    workflowId: settlementWorkflowId(input.institutionId, input.month), status: 'queued',
  }).$returningId();
  return row.id;
}

/**
 * Marks the run as running with its plan's size; creates the row of a scheduled run (keyed by the Temporal run, so a
 * retried activity finds the same row). Returns the row's ID.
 */
export async function beginRun(db: Executor, input: {
  institutionId: number; month: string; trigger: 'schedule' | 'manual'; settlementRunId?: number; runKey: string;
  startedByUserId?: number | null; partnershipsTotal: number;
}): Promise<number> {
  if (input.settlementRunId) {
    await db.update(settlementRuns).set({ status: 'running', partnershipsTotal: input.partnershipsTotal, runKey: input.runKey })
      .where(and(eq(settlementRuns.id, input.settlementRunId), inArray(settlementRuns.status, ['queued', 'running', 'failed'])));
    return input.settlementRunId;
  }
  await db.insert(settlementRuns).values({
    institutionId: input.institutionId, month: input.month, trigger: input.trigger, startedByUserId: input.startedByUserId ?? null,
    workflowId: settlementWorkflowId(input.institutionId, input.month), status: 'running', partnershipsTotal: input.partnershipsTotal,
    runKey: input.runKey,
  }).onDuplicateKeyUpdate({ set: { partnershipsTotal: input.partnershipsTotal } });
  const [row] = await db.select({ id: settlementRuns.id }).from(settlementRuns).where(eq(settlementRuns.runKey, input.runKey));
  return row.id;
}

export async function recordProgress(db: Executor, runId: number, p: { partnershipsDone: number; statements: number; lines: number }) {
  await db.update(settlementRuns).set({
    partnershipsDone: sql`GREATEST(${settlementRuns.partnershipsDone}, ${p.partnershipsDone})`, statements: p.statements, lines: p.lines,
  }).where(eq(settlementRuns.id, runId));
}

export async function finishRun(db: Executor, runId: number, outcome: { status: 'completed' | 'failed'; error?: string | null }) {
  await db.update(settlementRuns).set({ status: outcome.status, finishedAt: new Date(), lastError: outcome.error ?? null })
    .where(eq(settlementRuns.id, runId));
}

/** Runs of the month that are queued or running (at most one normally; stale ones are closed by the caller). */
export async function unfinishedRuns(db: Executor, institutionId: number, month: string) {
  return db.select().from(settlementRuns)
    .where(and(eq(settlementRuns.institutionId, institutionId), eq(settlementRuns.month, month), inArray(settlementRuns.status, ['queued', 'running'])))
    .for('update');
}

export function runView(r: SettlementRun & { startedByName?: string | null }) {
  return {
    id: r.id, month: r.month, trigger: r.trigger, status: r.status, workflowId: r.workflowId,
    startedByName: r.startedByName ?? null, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
    partnershipsTotal: r.partnershipsTotal, partnershipsDone: r.partnershipsDone, statements: r.statements, lines: r.lines,
    error: r.lastError,
  };
}

export type SettlementRunView = ReturnType<typeof runView>;

/** The institution's latest runs (of one month, or of all), newest first. */
export async function listRuns(db: Executor, institutionId: number, month?: string, limit = 20): Promise<SettlementRunView[]> {
  const rows = await db.select({ run: settlementRuns, startedByName: users.name }).from(settlementRuns)
    .leftJoin(users, eq(users.id, settlementRuns.startedByUserId))
    .where(and(eq(settlementRuns.institutionId, institutionId), month ? eq(settlementRuns.month, month) : undefined))
    .orderBy(desc(settlementRuns.id)).limit(limit);
  return rows.map((r) => runView({ ...r.run, startedByName: r.startedByName }));
}
