/**
 * Activities: every side effect of the workflows (database, email). Each one is idempotent because Temporal may run it
 * more than once: invitations are keyed by the workflow run, emails by a unique message key in email_outbox.
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { emailOutbox, organisations, userInvitations, users } from '../db/schema';
import { hashToken, invitationToken } from '../server/domain/invitation-token';
import type { Mailer } from './mail/mailer';
import { renderInvitationEmail, type RenderedEmail } from './mail/templates';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  appUrl: string;
  appSecret: string;
}

export type IssueResult =
  | { status: 'issued'; invitationId: number; expiresAt: number; messageKey: string }
  | { status: 'not_invitable' };

export type RemindResult = { status: 'sent'; messageKey: string } | { status: 'used' } | { status: 'gone' };
export type ExpireResult = 'expired' | 'used' | 'gone';

export type InvitationActivities = ReturnType<typeof createActivities>;

export function createActivities(deps: ActivityDeps) {
  const { db } = deps;

  async function loadInvitation(invitationId: number) {
    const [row] = await db.select({ invitation: userInvitations, userStatus: users.status })
      .from(userInvitations).innerJoin(users, eq(users.id, userInvitations.userId))
      .where(eq(userInvitations.id, invitationId)).limit(1);
    return row ?? null;
  }

  async function renderEmail(template: string, params: Record<string, string | number>): Promise<RenderedEmail> {
    if (template === 'user-invitation' || template === 'user-invitation-reminder') {
      const invitationId = Number(params.invitationId);
      const [row] = await db.select({
        name: users.name, locale: users.locale, organisationName: organisations.name, timeZone: organisations.timeZone,
        expiresAt: userInvitations.expiresAt,
      }).from(userInvitations)
        .innerJoin(users, eq(users.id, userInvitations.userId))
        .innerJoin(organisations, eq(organisations.id, users.organisationId))
        .where(eq(userInvitations.id, invitationId)).limit(1);
      if (!row) throw new Error(`invitation ${invitationId} not found`);
      const token = invitationToken(deps.appSecret, invitationId);
      return renderInvitationEmail({
        ...row, link: `${deps.appUrl}/set-password?token=${encodeURIComponent(token)}`,
        reminder: template === 'user-invitation-reminder',
      });
    }
    throw new Error(`unknown email template ${template}`);
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
          return { status: 'issued' as const, invitationId: existing.id, expiresAt: existing.expiresAt.getTime(), messageKey: `user-invitation:${existing.id}:invite` };
        }
        if (user.status !== 'invited') return { status: 'not_invitable' as const };
        const now = new Date();
        await tx.update(userInvitations).set({ revokedAt: now })
          .where(and(eq(userInvitations.userId, user.id), isNull(userInvitations.usedAt), isNull(userInvitations.revokedAt)));
        const expiresAt = new Date(now.getTime() + input.expiresAfterMs);
        const [inserted] = await tx.insert(userInvitations).values({ userId: user.id, runKey: input.runKey, createdAt: now, expiresAt }).$returningId();
        await tx.update(userInvitations).set({ tokenHash: hashToken(invitationToken(deps.appSecret, inserted.id)) })
          .where(eq(userInvitations.id, inserted.id));
        const messageKey = `user-invitation:${inserted.id}:invite`;
        await tx.insert(emailOutbox).values({
          messageKey, toAddress: user.email, template: 'user-invitation', params: { invitationId: inserted.id },
        });
        return { status: 'issued' as const, invitationId: inserted.id, expiresAt: expiresAt.getTime(), messageKey };
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

    /** Sends one queued email once: a retry after a successful send finds the row marked sent and does nothing. */
    async deliverEmail(messageKey: string): Promise<'sent' | 'already_sent'> {
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, messageKey)).limit(1);
      if (!row) throw new Error(`email ${messageKey} is not in the outbox`);
      if (row.status === 'sent') return 'already_sent';
      try {
        const email = await renderEmail(row.template, row.params);
        await deps.mailer.send(row.toAddress, email);
      } catch (err) {
        await db.update(emailOutbox).set({ attempts: row.attempts + 1, lastError: String(err).slice(0, 2000) })
          .where(eq(emailOutbox.id, row.id));
        throw err;
      }
      await db.update(emailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
        .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, 'sent')));
      return 'sent';
    },
  };
}
