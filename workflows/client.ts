/**
 * The small client side of the workflows that the server (and the worker's outbox sweeper) use: write a workflow start
 * into the outbox inside the business transaction, dispatch pending starts to Temporal, and signal running workflows.
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { and, asc, eq, gt, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { describeError } from '../server/log-safety';
import { workflowOutbox } from '../db/schema';
import type { UserInvitationInput } from './user-invitation';
import type { PartnerInvitationInput, PartnerInvitationState } from './partner-invitation';

export interface TemporalSettings { address: string; namespace: string; taskQueue: string }

/** Custom search attributes registered on the Temporal server (see scripts/stack.ts). */
export const SEARCH_ATTRIBUTES = ['OrganisationId', 'InstitutionId', 'PartnershipId', 'BookingId'] as const;
export type SearchAttributeName = (typeof SEARCH_ATTRIBUTES)[number];

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

export const userInvitationWorkflowId = (userId: number) => `user-invitation:${userId}`;
export const partnerInvitationWorkflowId = (partnershipId: number) => `partner-invitation:${partnershipId}`;

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

/** Queues a signal to a running workflow; delivered after commit, retried until Temporal takes it. */
export async function enqueueSignal(tx: Tx, workflowId: string, signalName: string) {
  await tx.insert(workflowOutbox).values({ workflowType: '', workflowId, args: [], mode: 'signal', signalName });
}

export interface WorkflowGateway {
  /** Starts pending outbox rows in the background; the caller does not wait. */
  dispatchSoon(): void;
  /** Starts pending outbox rows now; returns how many were started. */
  dispatchPending(): Promise<number>;
  /** Wakes the invitation workflow after the password was set (best effort: the workflow also checks the database). */
  signalPasswordSet(userId: number): Promise<void>;
  /** The running partner invitation's state, or null when it is not running or Temporal does not answer in time. */
  partnerInvitationState(partnershipId: number): Promise<PartnerInvitationState | null>;
  client(): Promise<Client>;
  close(): Promise<void>;
}

const CLAIM_TIMEOUT_MS = 60_000;

export function createWorkflowGateway(db: Db, settings: TemporalSettings, log: (msg: string) => void = console.warn): WorkflowGateway {
  let connection: Promise<Connection> | null = null;
  let running: Promise<number> | null = null;
  let again = false;

  async function client(): Promise<Client> {
    connection ??= Connection.connect({ address: settings.address }).catch((err) => { connection = null; throw err; });
    return new Client({ connection: await connection, namespace: settings.namespace });
  }

  async function dispatchOnce(): Promise<number> {
    const staleClaim = new Date(Date.now() - CLAIM_TIMEOUT_MS);
    const claimable = and(isNull(workflowOutbox.dispatchedAt), or(isNull(workflowOutbox.claimedAt), lt(workflowOutbox.claimedAt, staleClaim)));
    const rows = await db.select().from(workflowOutbox).where(claimable).orderBy(asc(workflowOutbox.id)).limit(50);
    let started = 0;
    for (const row of rows) {
      // Claim the row so that the API and the worker's sweeper never start the same row twice.
      const [claim] = await db.update(workflowOutbox).set({ claimedAt: new Date(), attempts: sql`${workflowOutbox.attempts} + 1` })
        .where(and(eq(workflowOutbox.id, row.id), claimable));
      if (claim.affectedRows !== 1) continue;
      try {
        const c = await client();
        if (row.mode === 'signal') {
          try {
            await c.workflow.getHandle(row.workflowId).signal(row.signalName ?? '');
          } catch (err) {
            // The workflow already finished (or never ran): nothing is waiting for this signal.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
          await db.update(workflowOutbox).set({ dispatchedAt: new Date(), lastError: null }).where(eq(workflowOutbox.id, row.id));
          continue;
        }
        // A newer round of the same workflow already started (this row's claim went stale): starting this one now
        // would replace the newer round with an older, revoked one.
        const [newer] = await db.select({ id: workflowOutbox.id }).from(workflowOutbox)
          .where(and(eq(workflowOutbox.workflowId, row.workflowId), gt(workflowOutbox.id, row.id), ne(workflowOutbox.mode, 'signal'), isNotNull(workflowOutbox.dispatchedAt)))
          .limit(1);
        if (newer) {
          await db.update(workflowOutbox).set({ dispatchedAt: new Date(), lastError: 'superseded by a newer round' }).where(eq(workflowOutbox.id, row.id));
          continue;
        }
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
        await db.update(workflowOutbox).set({ dispatchedAt: new Date(), lastError: null }).where(eq(workflowOutbox.id, row.id));
        started++;
      } catch (err) {
        log(`[workflow-outbox] start of ${row.workflowId} failed, will retry: ${describeError(err)}`);
        await db.update(workflowOutbox).set({ claimedAt: null, lastError: describeError(err) }).where(eq(workflowOutbox.id, row.id));
        break; // Temporal is probably unreachable: keep order, retry on the next sweep.
      }
    }
    return started;
  }

  async function dispatchPending(): Promise<number> {
    if (running) { again = true; return running; }
    running = (async () => {
      let total = 0;
      do { again = false; total += await dispatchOnce(); } while (again);
      return total;
    })().finally(() => { running = null; });
    return running;
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
    async partnerInvitationState(partnershipId) {
      // The page must not hang when Temporal is away: connecting and querying share one 3-second budget.
      const timeout = new Promise<null>((r) => setTimeout(() => r(null), 3_000).unref());
      const query = client().then((c) => c.workflow.getHandle(partnerInvitationWorkflowId(partnershipId)).query<PartnerInvitationState>('state'));
      return Promise.race([query, timeout]).catch(() => null);
    },
    async close() {
      if (running) await running.catch(() => undefined);
      if (connection) await (await connection.catch(() => null))?.close();
    },
  };
}
