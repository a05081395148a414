/**
 * Activities: every side effect of the workflows (database, email). Each one is idempotent because Temporal may run it
 * more than once: invitations are keyed by the workflow run, emails by a unique message key in email_outbox.
 */
import { Context } from '@temporalio/activity';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { emailOutbox, userInvitations, users } from '../db/schema';
import { hashToken, invitationToken } from '../server/domain/invitation-token';
import { createEmailActivities, type ActivityDeps, type EmailActivities } from './email-activities';
import { createPartnerInvitationActivities } from './partner-activities';
import { createBookingLifecycleActivities } from './booking-activities';
import { createSettlementActivities } from './settlement-activities';
import { createPasswordResetActivities } from './password-reset-activities';
import { describeError } from '../server/log-safety';
import { isStaleRound } from '../server/workflow-outbox';
import { HEARTBEAT_EVERY_MS } from './activity-timeouts';

export type { ActivityDeps };

export type IssueResult =
  | { status: 'issued'; invitationId: number; issuedAt: number; expiresAt: number; messageKey: string }
  | { status: 'not_invitable' };

export type RemindResult = { status: 'sent'; messageKey: string } | { status: 'used' } | { status: 'gone' };
export type ExpireResult = 'expired' | 'used' | 'gone';

export type InvitationActivities = ReturnType<typeof createUserInvitationActivities> & Pick<EmailActivities, 'deliverEmail'>;

/** Every activity the worker registers. */
export function createActivities(deps: ActivityDeps) {
  return withSafeErrors({
    ...createUserInvitationActivities(deps),
    ...createPartnerInvitationActivities(deps),
    ...createBookingLifecycleActivities(deps),
    ...createSettlementActivities(deps),
    ...createPasswordResetActivities(deps),
    ...createEmailActivities(deps),
  });
}


/**
 * Heartbeats every HEARTBEAT_EVERY_MS while the activity runs, when it runs inside Temporal (not when a test calls it
 * directly); the workflows' heartbeat timeout (workflows/activity-timeouts.ts) relies on it.
 */
function keepAlive(): () => void {
  let context: Context;
  try { context = Context.current(); } catch { return () => undefined; }
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Activity failures are recorded in the workflow history, which operators read in the Temporal UI: rethrow them with
 * a description that carries no query parameters or personal data. Every activity heartbeats while it runs, so that
 * one cut off by a killed worker is retried after the workflows' heartbeat timeout (workflows/activity-timeouts.ts) rather
 * than its whole start-to-close timeout.
 */
function withSafeErrors<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      const stop = keepAlive();
      try {
        return await fn(...args);
      } catch (err) {
        throw new Error(describeError(err));
      } finally {
        stop();
      }
    };
  }
  return wrapped as T;
}

export function createUserInvitationActivities(deps: ActivityDeps) {
  const { db } = deps;

  async function loadInvitation(invitationId: number) {
    const [row] = await db.select({ invitation: userInvitations, userStatus: users.status })
      .from(userInvitations).innerJoin(users, eq(users.id, userInvitations.userId))
      .where(eq(userInvitations.id, invitationId)).limit(1);
    return row ?? null;
  }

  return {
    /** Issues this run's invitation (revoking older links) and queues its email. Returns the same on a retry. */
    async issueInvitation(input: { userId: number; runKey: string; expiresAfterMs: number }): Promise<IssueResult> {
      return db.transaction(async (tx) => {
        const [user] = await tx.select({ id: users.id, status: users.status, email: users.email })
          .from(users).where(eq(users.id, input.userId)).for('update');
        if (!user) return { status: 'not_invitable' as const };
        const [existing] = await tx.select().from(userInvitations).where(eq(userInvitations.runKey, input.runKey));
        if (existing) {
          return { status: 'issued' as const, invitationId: existing.id, issuedAt: existing.createdAt.getTime(), expiresAt: existing.expiresAt.getTime(), messageKey: `user-invitation:${existing.id}:invite` };
        }
        if (user.status !== 'invited') return { status: 'not_invitable' as const };
        const rounds = await tx.select({ runKey: userInvitations.runKey }).from(userInvitations).where(eq(userInvitations.userId, user.id));
        if (isStaleRound(input.runKey, rounds.map((r) => r.runKey))) return { status: 'not_invitable' as const };
        const now = new Date();
        // Revoke older links by primary key: a range update on user_id would take gap locks that deadlock with
        // other users' inserts. The user row is locked, so nobody issues for this user meanwhile.
        const open = await tx.select({ id: userInvitations.id }).from(userInvitations)
          .where(and(eq(userInvitations.userId, user.id), isNull(userInvitations.usedAt), isNull(userInvitations.revokedAt)));
        if (open.length) await tx.update(userInvitations).set({ revokedAt: now }).where(inArray(userInvitations.id, open.map((o) => o.id)));
        const expiresAt = new Date(now.getTime() + input.expiresAfterMs);
        const [inserted] = await tx.insert(userInvitations).values({ userId: user.id, runKey: input.runKey, createdAt: now, expiresAt }).$returningId();
        await tx.update(userInvitations).set({ tokenHash: hashToken(invitationToken(deps.appSecret, inserted.id)) })
          .where(eq(userInvitations.id, inserted.id));
        const messageKey = `user-invitation:${inserted.id}:invite`;
        await tx.insert(emailOutbox).values({
          messageKey, toAddress: user.email, template: 'user-invitation', params: { invitationId: inserted.id },
        });
        return { status: 'issued' as const, invitationId: inserted.id, issuedAt: now.getTime(), expiresAt: expiresAt.getTime(), messageKey };
      });
    },

    async remindInvitation(invitationId: number): Promise<RemindResult> {
      const row = await loadInvitation(invitationId);
      if (!row) return { status: 'gone' };
      if (row.invitation.usedAt) return { status: 'used' };
      if (row.invitation.revokedAt || row.userStatus !== 'invited') return { status: 'gone' };
      const messageKey = `user-invitation:${invitationId}:reminder`;
      const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.invitation.userId));
      await db.insert(emailOutbox).ignore().values({
        messageKey, toAddress: user.email, template: 'user-invitation-reminder', params: { invitationId },
      });
      await db.update(userInvitations).set({ remindedAt: new Date() })
        .where(and(eq(userInvitations.id, invitationId), isNull(userInvitations.remindedAt)));
      return { status: 'sent', messageKey };
    },

    /** The link's expiry is enforced by its timestamp; this records the outcome for the workflow. */
    async expireInvitation(invitationId: number): Promise<ExpireResult> {
      const row = await loadInvitation(invitationId);
      if (!row) return 'gone';
      if (row.invitation.usedAt) return 'used';
      if (row.invitation.revokedAt || row.userStatus !== 'invited') return 'gone';
      return 'expired';
    },
  };
}
