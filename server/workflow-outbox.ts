/**
 * The server's side of the workflows: workflow IDs and inputs, writing workflow starts and signals into the outbox
 * inside the business transaction, and the dispatcher that starts them after commit (the API in the background, the
 * worker's sweeper every few seconds). Dependencies run workflows/ → server/ → db/: the workflow code takes its input
 * and state types from here (types only, so nothing of this module reaches the workflow bundle).
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { workflowOutbox } from '../db/schema';
import { writeAudit } from './audit';
import { describeError } from './log-safety';
import { componentLogger } from './logger';
import type { TemporalTls } from './config';
import { temporalConnectOptions } from './temporal-connection';

export interface TemporalSettings {
  address: string; namespace: string; taskQueue: string;
  /** TLS and API key of a Temporal cluster or Temporal Cloud (server/temporal-connection.ts); absent: plain connection. */
  tls?: TemporalTls | false; apiKey?: string | null;
}

/** Custom search attributes registered on the Temporal server (see scripts/stack.ts and test/global-setup.ts). */
export const SEARCH_ATTRIBUTES = ['OrganisationId', 'InstitutionId', 'PartnershipId', 'BookingId'] as const;
export type SearchAttributeName = (typeof SEARCH_ATTRIBUTES)[number];

/**
 * The search attributes every workflow type carries (README "Temporal UI"; operators find a tenant's workflows by
 * them). The dispatcher refuses to start a row of a listed type without them (a programming error: the row is retried,
 * then parked with the reason), and workflows/search-attributes.integration.test.ts fails when a workflow type exported by
 * workflows/index.ts is not listed here. Signals carry none.
 */
export const WORKFLOW_SEARCH_ATTRIBUTES: Record<string, readonly SearchAttributeName[]> = {
  userInvitation: ['OrganisationId'],
  passwordReset: ['OrganisationId'],
  partnerInvitation: ['InstitutionId', 'PartnershipId'],
  partnershipNotice: ['InstitutionId', 'PartnershipId'],
  bookingLifecycle: ['InstitutionId', 'BookingId'],
  settlement: ['InstitutionId'],
  scheduledSettlement: ['InstitutionId'],
  settlementIssued: ['InstitutionId', 'PartnershipId'],
};

/** The search attributes a start of this workflow type lacks (none for an unlisted type). */
export function missingSearchAttributes(workflowType: string, attributes: Record<string, string> | null | undefined): SearchAttributeName[] {
  return (WORKFLOW_SEARCH_ATTRIBUTES[workflowType] ?? []).filter((name) => !attributes?.[name]);
}

/** The outbox row behind a round key ("outbox:<id>"), or null for rounds keyed otherwise. */
export function outboxSequence(roundKey: string): number | null {
  const m = /^outbox:(\d+)$/.exec(roundKey);
  return m ? Number(m[1]) : null;
}

/**
 * A round is stale when a newer outbox row already issued one: its workflow run was replaced (resend, or a path
 * change), but its activity may still be running. A stale round must neither revoke the newer link nor send.
 */
export function isStaleRound(roundKey: string, existingRoundKeys: string[]): boolean {
  const mine = outboxSequence(roundKey);
  return mine !== null && existingRoundKeys.some((k) => (outboxSequence(k) ?? -1) > mine);
}

// ---------------------------------------------------------------------------------------------------------------
// Workflow IDs, inputs and query states (the contract between the server and the workflow code)

export const userInvitationWorkflowId = (userId: number) => `user-invitation:${userId}`;
export const partnerInvitationWorkflowId = (partnershipId: number) => `partner-invitation:${partnershipId}`;
export const bookingWorkflowId = (bookingId: number) => `booking:${bookingId}`;

export interface UserInvitationInput {
  userId: number;
  /** Identifies the invitation round (set by the outbox dispatcher); defaults to this run's ID. */
  roundKey?: string;
  reminderAfterMs: number;
  expiresAfterMs: number;
}

export type UserInvitationPhase = 'sending' | 'waiting_for_password' | 'accepted' | 'expired' | 'cancelled';

/** What the user invitation workflow answers to its `state` query. */
export interface UserInvitationState {
  phase: UserInvitationPhase;
  invitationId: number | null;
  nextReminderAt: string | null;
  expiresAt: string | null;
}

export interface PartnerInvitationInput {
  partnershipId: number;
  /** Identifies the invitation round (set by the outbox dispatcher); defaults to this run's ID. */
  roundKey?: string;
  /** Offsets from the invitation at which to remind, in ms (days 3 and 7 by default). */
  reminderOffsetsMs: number[];
  expiresAfterMs: number;
}

export type PartnerInvitationPhase = 'sending' | 'waiting' | 'active' | 'declined' | 'expired' | 'withdrawn' | 'ended';

/** What the partner invitation workflow answers to its `state` query. */
export interface PartnerInvitationState {
  phase: PartnerInvitationPhase;
  /** Whom the invitation waits for. */
  waitingFor: 'partner_admins' | 'contact_person' | null;
  invitationId: number | null;
  remindersSent: number;
  nextReminderAt: string | null;
  expiresAt: string | null;
}

/** Input of the BookingLifecycle workflow: IDs only, never patient data. */
export interface BookingLifecycleInput {
  bookingId: number;
  /** Set by the outbox dispatcher (`outbox:<rowId>`). */
  roundKey?: string;
}

/** What the booking lifecycle workflow answers to its `state` query (shown on the booking details as the next step). */
export interface BookingLifecycleState {
  phase: 'confirming' | 'waiting' | 'reminded' | 'finished';
  nextStep: { kind: 'reminder' | 'fulfilment'; at: string } | null;
}

/** The monthly settlement of an institution: one workflow ID per (institution, month in its time zone). */
export const settlementWorkflowId = (institutionId: number, month: string) => `settlement:${institutionId}:${month}`;
/** The Temporal Schedule that starts an institution's settlement on the 2nd of each month, 02:00 local time. */
export const settlementScheduleId = (institutionId: number) => `schedule:settlement:${institutionId}`;
/** Delivers the "statement issued" emails of one statement. */
export const settlementIssuedWorkflowId = (statementId: number) => `settlement-issued:${statementId}`;

/** Input of the Settlement workflow (`settlement:<institutionId>:<YYYY-MM>`). */
export interface SettlementInput {
  institutionId: number;
  /** 'YYYY-MM' in the institution's time zone. */
  month: string;
  trigger: 'schedule' | 'manual';
  /** The settlement_runs row written with the request (manual runs); scheduled runs create theirs. */
  settlementRunId?: number;
  startedByUserId?: number | null;
  /** Set by the outbox dispatcher (`outbox:<rowId>`). */
  roundKey?: string;
}

/** Input of the ScheduledSettlement workflow the Schedule starts: the month comes from the scheduled time. */
export interface ScheduledSettlementInput { institutionId: number }

/** What the settlement workflow answers to its `progress` query (also kept in its settlement_runs row). */
export interface SettlementProgress {
  phase: 'planning' | 'settling' | 'completed' | 'failed';
  month: string;
  settlementRunId: number | null;
  partnershipsTotal: number;
  partnershipsDone: number;
  statements: number;
  lines: number;
}

export interface SettlementIssuedInput { statementId: number; messageKeys: string[]; roundKey?: string }

// ---------------------------------------------------------------------------------------------------------------
// Enqueueing: called inside the business transaction

type Tx = Pick<Db, 'insert'>;

export async function enqueueUserInvitation(tx: Tx, input: UserInvitationInput & { organisationId: number }, mode: 'start' | 'restart') {
  const { organisationId, ...args } = input;
  const [row] = await tx.insert(workflowOutbox).values({
    workflowType: 'userInvitation', workflowId: userInvitationWorkflowId(input.userId), args, mode,
    searchAttributes: { OrganisationId: String(organisationId) },
  }).$returningId();
  return row.id;
}

export async function enqueuePartnerInvitation(tx: Tx, input: PartnerInvitationInput & { institutionId: number }, mode: 'start' | 'restart') {
  const { institutionId, ...args } = input;
  await tx.insert(workflowOutbox).values({
    workflowType: 'partnerInvitation', workflowId: partnerInvitationWorkflowId(input.partnershipId), args, mode,
    searchAttributes: { InstitutionId: String(institutionId), PartnershipId: String(input.partnershipId) },
  });
}

export async function enqueueBookingLifecycle(tx: Tx, booking: { id: number; institutionId: number; partnershipId: number | null }) {
  const args: BookingLifecycleInput = { bookingId: booking.id };
  await tx.insert(workflowOutbox).values({
    workflowType: 'bookingLifecycle', workflowId: bookingWorkflowId(booking.id), args, mode: 'start',
    searchAttributes: {
      InstitutionId: String(booking.institutionId), BookingId: String(booking.id),
      ...(booking.partnershipId ? { PartnershipId: String(booking.partnershipId) } : {}),
    },
  });
}

/** Wakes the booking's lifecycle workflow after a change (moved, cancelled, marked): it re-reads the booking. */
export async function enqueueBookingChanged(tx: Tx, bookingId: number) {
  await tx.insert(workflowOutbox).values({ workflowType: '', workflowId: bookingWorkflowId(bookingId), args: [], mode: 'signal', signalName: 'changed' });
}

/** Queues a settlement run (the caller has checked that none of this month is running). */
export async function enqueueSettlement(tx: Tx, input: SettlementInput) {
  const args: SettlementInput = {
    institutionId: input.institutionId, month: input.month, trigger: input.trigger,
    settlementRunId: input.settlementRunId, startedByUserId: input.startedByUserId ?? null,
  };
  await tx.insert(workflowOutbox).values({
    workflowType: 'settlement', workflowId: settlementWorkflowId(input.institutionId, input.month), args, mode: 'start',
    searchAttributes: { InstitutionId: String(input.institutionId) },
  });
}

/** Queues the delivery of a statement's "issued" emails (already in email_outbox). */
export async function enqueueSettlementIssued(tx: Tx, input: SettlementIssuedInput & { institutionId: number; partnershipId: number }) {
  const args: SettlementIssuedInput = { statementId: input.statementId, messageKeys: input.messageKeys };
  await tx.insert(workflowOutbox).values({
    workflowType: 'settlementIssued', workflowId: settlementIssuedWorkflowId(input.statementId), args, mode: 'start',
    searchAttributes: { InstitutionId: String(input.institutionId), PartnershipId: String(input.partnershipId) },
  });
}

/** Queues a signal to a running workflow; delivered after commit, retried until Temporal takes it. */
export async function enqueueSignal(tx: Tx, workflowId: string, signalName: string) {
  await tx.insert(workflowOutbox).values({ workflowType: '', workflowId, args: [], mode: 'signal', signalName });
}

// ---------------------------------------------------------------------------------------------------------------
// Health of the outbox (for /readyz)

export interface OutboxHealth {
  /** Rows waiting to be started or delivered (including rows waiting for their next attempt). */
  pending: number;
  /** Rows parked after their last attempt: never retried automatically, an operator decides. */
  failed: number;
  /**
   * How long the most overdue pending row has waited for a dispatcher, in whole seconds: since it was written, or, for
   * a row being retried, since its retry became due. A row waiting out its backoff is not late (0 when none is due).
   */
  oldestPendingSeconds: number;
}

/** One query over the pending index (dispatched_at IS NULL). Ages are measured on the database's clock. */
export async function outboxHealth(db: Db): Promise<OutboxHealth> {
  const [row] = await db.select({
    pending: sql<string | null>`SUM(${workflowOutbox.failedAt} IS NULL)`,
    failed: sql<string | null>`SUM(${workflowOutbox.failedAt} IS NOT NULL)`,
    oldest: sql<string | null>`TIMESTAMPDIFF(SECOND, MIN(CASE WHEN ${workflowOutbox.failedAt} IS NULL THEN COALESCE(${workflowOutbox.nextAttemptAt}, ${workflowOutbox.createdAt}) END), CURRENT_TIMESTAMP(3))`,
  }).from(workflowOutbox).where(isNull(workflowOutbox.dispatchedAt));
  return { pending: Number(row?.pending ?? 0), failed: Number(row?.failed ?? 0), oldestPendingSeconds: Math.max(0, Number(row?.oldest ?? 0)) };
}

// ---------------------------------------------------------------------------------------------------------------
// The dispatcher

export interface WorkflowGateway {
  /** Starts pending outbox rows in the background; the caller does not wait. */
  dispatchSoon(): void;
  /** Starts pending outbox rows now; returns how many workflows were started. */
  dispatchPending(): Promise<number>;
  /** Wakes the invitation workflow after the password was set (best effort: the workflow also checks the database). */
  signalPasswordSet(userId: number): Promise<void>;
  /** The running partner invitation's state, or null when it is not running or Temporal does not answer in time. */
  partnerInvitationState(partnershipId: number): Promise<PartnerInvitationState | null>;
  /** The booking lifecycle's state, or null when it is not running or Temporal does not answer within `budgetMs` (default 3 s). */
  bookingState(bookingId: number, budgetMs?: number): Promise<BookingLifecycleState | null>;
  /** Whether Temporal answers within the budget (readiness check). */
  temporalReachable(timeoutMs?: number): Promise<boolean>;
  client(): Promise<Client>;
  close(): Promise<void>;
}

export interface DispatcherOptions {
  /** Attempts of one row before it is parked (failed_at set, audited, never retried automatically). Default 10. */
  maxAttempts?: number;
  /** Delay after the first failed attempt; doubled after every further one. Default 2 s. */
  baseDelayMs?: number;
  /** Cap of the delay between two attempts of a row. Default 5 min. */
  maxDelayMs?: number;
  /** Rows claimed per query. Default 50. */
  batchSize?: number;
  /** Rows started at once (rows of one workflow ID always go one after the other, in order). Default 8. */
  concurrency?: number;
  /** Deadline of one start or signal call, retries included: a hung Temporal never holds a claim for long. Default 10 s. */
  rpcTimeoutMs?: number;
}

const CLAIM_TIMEOUT_MS = 60_000;
const QUERY_BUDGET_MS = 3_000;
const PROBE_BUDGET_MS = 2_000;

/** `WORKFLOW_OUTBOX_MAX_ATTEMPTS` (default 10). */
export function maxAttemptsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKFLOW_OUTBOX_MAX_ATTEMPTS;
  if (raw === undefined || raw === '') return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`WORKFLOW_OUTBOX_MAX_ATTEMPTS must be a positive integer, got "${raw}"`);
  return n;
}

/** The delay before the next attempt of a row that failed `attempts` times: base · 2^(attempts−1), capped. */
export function retryDelayMs(attempts: number, baseDelayMs = 2_000, maxDelayMs = 300_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED anywhere in the cause chain, or a socket-level failure: maybe Temporal is away. */
export function looksLikeConnectionError(err: unknown): boolean {
  for (let e = err as { name?: string; code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 14 || e.code === 4 || e.name === 'TransportError') return true;
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|EPIPE)$/.test(e.code)) return true;
    if (typeof e.message === 'string' && /ECONNREFUSED|UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect/i.test(e.message)) return true;
  }
  return false;
}

type OutboxRow = typeof workflowOutbox.$inferSelect;
type RowOutcome = 'started' | 'delivered' | 'superseded' | 'failed' | 'released';

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((r) => { timer = setTimeout(() => r(fallback), ms); timer.unref(); });
  return Promise.race([p.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

export function createWorkflowGateway(
  db: Db, settings: TemporalSettings, log: (msg: string) => void = componentLogger('workflow-outbox').warn, options: DispatcherOptions = {},
): WorkflowGateway {
  const maxAttempts = options.maxAttempts ?? maxAttemptsFromEnv();
  const baseDelayMs = options.baseDelayMs ?? 2_000;
  const maxDelayMs = options.maxDelayMs ?? 300_000;
  const batchSize = options.batchSize ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const rpcTimeoutMs = options.rpcTimeoutMs ?? 10_000;

  let connection: Promise<Connection> | null = null;
  let running: Promise<number> | null = null;
  let again = false;

  async function client(): Promise<Client> {
    connection ??= Connection.connect(temporalConnectOptions(settings)).catch((err) => { connection = null; throw err; });
    return new Client({ connection: await connection, namespace: settings.namespace });
  }

  async function probe(timeoutMs = PROBE_BUDGET_MS): Promise<boolean> {
    const check = (async () => {
      const c = await client();
      await c.connection.withDeadline(Date.now() + timeoutMs, () => c.workflowService.getSystemInfo({}));
      return true;
    })();
    return withTimeout(check, timeoutMs, false);
  }

  /**
   * Claimable: not dispatched, not parked, due (no backoff pending) and not claimed by a live dispatcher. The API and
   * the worker's sweeper both dispatch; a claim makes sure a row is started by one of them at a time.
   */
  const claimable = (now: Date) => and(
    isNull(workflowOutbox.dispatchedAt), isNull(workflowOutbox.failedAt),
    or(isNull(workflowOutbox.nextAttemptAt), lte(workflowOutbox.nextAttemptAt, now)),
    or(isNull(workflowOutbox.claimedAt), lt(workflowOutbox.claimedAt, new Date(now.getTime() - CLAIM_TIMEOUT_MS))),
  );

  /**
   * Claims the batch in one short transaction: row locks on the candidates only (READ COMMITTED: no gap locks that
   * would hold up business transactions inserting outbox rows; SKIP LOCKED: a concurrent claimer never waits).
   */
  async function claimBatch(candidates: OutboxRow[]): Promise<OutboxRow[]> {
    const now = new Date();
    const ids = await db.transaction(async (tx) => {
      const locked = await tx.select({ id: workflowOutbox.id }).from(workflowOutbox)
        .where(and(inArray(workflowOutbox.id, candidates.map((r) => r.id)), claimable(now)))
        .for('update', { skipLocked: true });
      const lockedIds = locked.map((r) => r.id);
      if (lockedIds.length) {
        await tx.update(workflowOutbox).set({ claimedAt: now, attempts: sql`${workflowOutbox.attempts} + 1` })
          .where(inArray(workflowOutbox.id, lockedIds));
      }
      return new Set(lockedIds);
    }, { isolationLevel: 'read committed' });
    return candidates.filter((r) => ids.has(r.id)).map((r) => ({ ...r, claimedAt: now, attempts: r.attempts + 1 }));
  }

  /**
   * Rows whose round is already superseded: a newer start/restart of the same workflow was started, or is still on its
   * way (pending, not parked). Starting the older one would replace the newer round with an older, revoked one.
   */
  async function supersededIds(rows: OutboxRow[]): Promise<Set<number>> {
    const starts = rows.filter((r) => r.mode !== 'signal');
    if (!starts.length) return new Set();
    const minId = Math.min(...starts.map((r) => r.id));
    const newest = await db.select({ workflowId: workflowOutbox.workflowId, id: sql<number>`MAX(${workflowOutbox.id})` })
      .from(workflowOutbox)
      .where(and(
        gt(workflowOutbox.id, minId), inArray(workflowOutbox.workflowId, [...new Set(starts.map((r) => r.workflowId))]),
        ne(workflowOutbox.mode, 'signal'), or(isNotNull(workflowOutbox.dispatchedAt), isNull(workflowOutbox.failedAt)),
      ))
      .groupBy(workflowOutbox.workflowId);
    const newestById = new Map(newest.map((n) => [n.workflowId, Number(n.id)]));
    return new Set(starts.filter((r) => (newestById.get(r.workflowId) ?? 0) > r.id).map((r) => r.id));
  }

  async function markDispatched(id: number, note: string | null) {
    await db.update(workflowOutbox).set({ dispatchedAt: new Date(), lastError: note, nextAttemptAt: null }).where(eq(workflowOutbox.id, id));
  }

  /** Gives a claimed row back without counting the attempt (Temporal was unreachable, or the sweep ran out of time). */
  async function release(ids: number[]) {
    if (!ids.length) return;
    await db.update(workflowOutbox).set({ claimedAt: null, attempts: sql`GREATEST(${workflowOutbox.attempts} - 1, 0)` })
      .where(and(inArray(workflowOutbox.id, ids), isNull(workflowOutbox.dispatchedAt)));
  }

  /** A row-specific failure: retry later with exponential backoff, or park it after the last attempt. */
  async function recordFailure(row: OutboxRow, err: unknown) {
    const error = describeError(err);
    if (row.attempts >= maxAttempts) {
      log(`[workflow-outbox] row ${row.id} (${row.workflowId}) failed ${row.attempts} times, parked: ${error}`);
      await db.transaction(async (tx) => {
        await tx.update(workflowOutbox).set({ claimedAt: null, failedAt: new Date(), nextAttemptAt: null, lastError: error })
          .where(eq(workflowOutbox.id, row.id));
        await writeAudit(tx, {
          organisationId: null, actorUserId: null, action: 'workflow_outbox.parked', objectType: 'workflow_outbox', objectId: row.id,
          after: { workflowType: row.workflowType, workflowId: row.workflowId, mode: row.mode, attempts: row.attempts, error },
        });
      });
      return;
    }
    const delay = retryDelayMs(row.attempts, baseDelayMs, maxDelayMs);
    log(`[workflow-outbox] row ${row.id} (${row.workflowId}) failed (attempt ${row.attempts} of ${maxAttempts}), retry in ${Math.round(delay / 1000)} s: ${error}`);
    await db.update(workflowOutbox).set({ claimedAt: null, nextAttemptAt: new Date(Date.now() + delay), lastError: error })
      .where(eq(workflowOutbox.id, row.id));
  }

  function send(c: Client, row: OutboxRow): Promise<'started' | 'delivered'> {
    return c.connection.withDeadline(Date.now() + rpcTimeoutMs, () => sendNow(c, row));
  }

  async function sendNow(c: Client, row: OutboxRow): Promise<'started' | 'delivered'> {
    if (row.mode === 'signal') {
      try {
        await c.workflow.getHandle(row.workflowId).signal(row.signalName ?? '');
      } catch (err) {
        // The workflow already finished (or never ran): nothing is waiting for this signal.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      return 'delivered';
    }
    const missing = missingSearchAttributes(row.workflowType, row.searchAttributes);
    if (missing.length) throw new Error(`${row.workflowType} was enqueued without its search attributes ${missing.join(', ')}`);
    await c.workflow.start(row.workflowType, {
      taskQueue: settings.taskQueue,
      workflowId: row.workflowId,
      // The round key makes a repeated start of the same row (e.g. the process died before marking it dispatched)
      // reuse the same invitation round and message keys instead of issuing a second link.
      args: [{ ...(row.args as object), roundKey: `outbox:${row.id}` }],
      // IDs derive from new database rows, so a running execution with the same ID can only be stale (for
      // instance the database was reset while Temporal kept its history) or, for 'restart', the round being
      // replaced. The outbox claim guarantees that a row itself is started once.
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      typedSearchAttributes: Object.entries(row.searchAttributes ?? {}).map(([key, value]) => ({
        key: defineSearchAttributeKey(key, SearchAttributeType.KEYWORD), value,
      })),
    });
    return 'started';
  }

  /**
   * One sweep: claims due rows in batches (in ID order) and dispatches them, up to `concurrency` workflow IDs at a time
   * and the rows of one workflow ID in order. A failing row is retried on its own later and never holds up the others;
   * when Temporal itself is unreachable the sweep stops and gives every unfinished claim back, uncounted.
   */
  async function dispatchOnce(): Promise<{ started: number; unreachable: boolean }> {
    let c: Client;
    try {
      c = await client();
    } catch (err) {
      log(`[workflow-outbox] Temporal unreachable, will retry: ${describeError(err)}`);
      return { started: 0, unreachable: true };
    }
    let started = 0;
    let unreachable = false;
    while (!unreachable) {
      const candidates = await db.select().from(workflowOutbox).where(claimable(new Date()))
        .orderBy(asc(workflowOutbox.id)).limit(batchSize);
      if (!candidates.length) break;
      const claimedAt = Date.now();
      const rows = await claimBatch(candidates);
      if (!rows.length) break; // Another dispatcher took them: it goes on from there.
      const superseded = await supersededIds(rows);

      const groups = new Map<string, OutboxRow[]>();
      for (const row of rows) groups.set(row.workflowId, [...(groups.get(row.workflowId) ?? []), row]);
      const queue = [...groups.values()];
      const unfinished = new Set(rows.map((r) => r.id));

      const runRow = async (row: OutboxRow): Promise<RowOutcome> => {
        if (superseded.has(row.id)) { await markDispatched(row.id, 'superseded by a newer round'); return 'superseded'; }
        let outcome: 'started' | 'delivered';
        try {
          outcome = await send(c, row);
        } catch (err) {
          if (unreachable) return 'released';
          // Only a failure of Temporal itself (confirmed by a probe) stops the sweep; anything else is this row's.
          if (looksLikeConnectionError(err) && !(await probe())) {
            if (!unreachable) log(`[workflow-outbox] Temporal unreachable, will retry: ${describeError(err)}`);
            unreachable = true;
            return 'released';
          }
          await recordFailure(row, err);
          return 'failed';
        }
        // A database failure here leaves the row claimed: after the claim timeout it is started again with the same
        // round key, which the workflows treat as the same round.
        await markDispatched(row.id, null);
        return outcome;
      };
      const lane = async () => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const row of group) {
            // Stop taking rows when Temporal is away or the claims are getting old (another dispatcher may take over).
            if (unreachable || Date.now() - claimedAt > CLAIM_TIMEOUT_MS / 2) return;
            const outcome = await runRow(row);
            if (outcome === 'released') return;
            unfinished.delete(row.id);
            if (outcome === 'started') started++;
          }
        }
      };
      const lanes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
      const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
      if (failure) {
        // A database error: leave the unfinished claims to time out rather than guess what happened to them.
        throw failure.reason;
      }
      await release([...unfinished]);
      if (unfinished.size) break; // Unreachable or out of time: the next sweep continues.
      if (candidates.length < batchSize) break;
    }
    return { started, unreachable };
  }

  async function dispatchPending(): Promise<number> {
    if (running) { again = true; return running; }
    running = (async () => {
      let total = 0;
      for (;;) {
        again = false;
        const { started, unreachable } = await dispatchOnce();
        total += started;
        if (!again || unreachable) break;
      }
      return total;
    })().finally(() => { running = null; });
    return running;
  }

  async function queryState<T>(workflowId: string, budgetMs = QUERY_BUDGET_MS): Promise<T | null> {
    // A page must not hang when Temporal is away: connecting and querying share one budget (3 s unless told).
    const query = client().then((c) => c.workflow.getHandle(workflowId).query<T>('state'));
    return withTimeout<T | null>(query, budgetMs, null);
  }

  return {
    client,
    dispatchPending,
    dispatchSoon() { dispatchPending().catch((err) => log(`[workflow-outbox] dispatch failed: ${describeError(err)}`)); },
    async signalPasswordSet(userId) {
      try {
        await (await client()).workflow.getHandle(userInvitationWorkflowId(userId)).signal('passwordSet');
      } catch (err) {
        log(`[user-invitation] signal for user ${userId} not delivered (the workflow re-checks the database): ${describeError(err)}`);
      }
    },
    partnerInvitationState: (partnershipId) => queryState<PartnerInvitationState>(partnerInvitationWorkflowId(partnershipId)),
    bookingState: (bookingId, budgetMs) => queryState<BookingLifecycleState>(bookingWorkflowId(bookingId), budgetMs),
    temporalReachable: (timeoutMs) => probe(timeoutMs),
    async close() {
      if (running) await running.catch(() => undefined);
      if (connection) await (await connection.catch(() => null))?.close();
    },
  };
}
