/**
 * Activities of the PasswordReset workflow. The email is sent here rather than through deliverEmail because its token
 * is made at send time (armPasswordReset): it is never stored, derived or queued, and exists only in the email. The
 * email_outbox row (queued with the request, IDs only) still makes the send happen once: a retry after a successful
 * send finds the row marked sent and does nothing.
 */
import { and, eq, ne } from 'drizzle-orm';
import { emailOutbox, passwordResets } from '../db/schema';
import {
  armPasswordReset, passwordResetMessageKey, passwordResetOutcome, type PasswordResetOutcome, type PasswordResetSendResult,
} from '../server/auth/password-reset';
import { describeError } from '../server/log-safety';
import type { ActivityDeps } from './email-activities';
import { renderPasswordResetEmail } from './mail/password-reset-email';

export type PasswordResetActivities = ReturnType<typeof createPasswordResetActivities>;

export function createPasswordResetActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    /** Sends the link once; 'gone' when the link was revoked, used or expired before it could be sent. */
    async sendPasswordResetEmail(resetId: number): Promise<PasswordResetSendResult> {
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, passwordResetMessageKey(resetId))).limit(1);
      if (!row) throw new Error(`password reset email ${resetId} is not in the outbox`);
      const [reset] = await db.select({ expiresAt: passwordResets.expiresAt }).from(passwordResets).where(eq(passwordResets.id, resetId));
      if (row.status === 'sent') return { status: 'already_sent', expiresAt: reset.expiresAt.getTime() };
      if (row.status !== 'pending') return { status: 'gone' }; // withdrawn from the queue (e.g. 'skipped')
      const armed = await armPasswordReset(db, resetId);
      if (armed.status === 'gone') return { status: 'gone' };
      try {
        const link = `${deps.appUrl}/reset-password?token=${encodeURIComponent(armed.token)}&lang=${armed.locale}`;
        await deps.mailer.send(row.toAddress, renderPasswordResetEmail({ ...armed, link }), { messageKey: row.messageKey });
      } catch (err) {
        await db.update(emailOutbox).set({ attempts: row.attempts + 1, lastError: describeError(err) }).where(eq(emailOutbox.id, row.id));
        throw err;
      }
      const now = new Date();
      await db.update(emailOutbox).set({ status: 'sent', sentAt: now, attempts: row.attempts + 1, lastError: null })
        .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, 'sent')));
      await db.update(passwordResets).set({ sentAt: now }).where(eq(passwordResets.id, resetId));
      return { status: 'sent', expiresAt: armed.expiresAt.getTime() };
    },

    /** How the link ended (used, expired or replaced), recorded as the workflow's result. */
    async closePasswordReset(resetId: number): Promise<PasswordResetOutcome> {
      return passwordResetOutcome(db, resetId);
    },
  };
}
