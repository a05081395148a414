/** Sign-in, sign-out, the signed-in user, setting a password from an invitation link, and resetting a forgotten one. */
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { router, publicProcedure, authedProcedure } from '../trpc';
import { DomainError } from '../errors';
import { emailField, newPasswordField, localeField, whenFieldsValid } from '../validation';
import { hashPassword, PasswordServiceBusy, verifyPassword } from '../auth/password';
import { consume, giveBack, limitAnonymous, limitKey, limitsFor } from '../auth/limits';
import { blankSessionCookie, createSession, invalidateSession, sessionCookie } from '../auth/session';
import { userInvitations, users } from '../../db/schema';
import { writeAudit } from '../audit';
import type { Executor } from '../../db/client';
import { inspectPasswordReset, requestPasswordReset, resetPassword } from '../auth/password-reset';
import { findTokenLink } from '../auth/token-link';

type InvitationState = 'valid' | 'invalid' | 'expired' | 'used' | 'revoked';

async function findInvitation(db: Executor, token: string) {
  const row = await findTokenLink(db, userInvitations, token);
  if (!row) return { state: 'invalid' as InvitationState, row: null };
  const state: InvitationState = row.link.usedAt ? 'used'
    : row.link.revokedAt || row.user.status === 'deactivated' ? 'revoked'
    : row.link.expiresAt <= new Date() ? 'expired'
    : row.user.status !== 'invited' ? 'used' : 'valid';
  return { state, row };
}

const tokenField = z.string({ error: 'invitation.invalid' }).min(1, 'invitation.invalid').max(200, 'invitation.invalid');
const resetTokenField = z.string({ error: 'passwordReset.invalid' }).min(1, 'passwordReset.invalid').max(200, 'passwordReset.invalid');

export const authRouter = router({
  signIn: publicProcedure
    .input(z.object({ email: emailField, password: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(200, 'validation.too_long') }))
    .mutation(async ({ ctx, input }) => {
      const { db, config } = ctx;
      // Limits (auth/limits.ts): failures per IP (password spraying), then the email's lock-out. Both attempts are
      // counted before the slow password check, so parallel requests cannot get past them.
      const limits = await limitsFor(db, config);
      const ipKey = ctx.ip || 'unknown';
      const accountKey = limitKey(input.email);
      const byIp = await consume(limits.signInIp, ipKey);
      if (!byIp.ok) throw new DomainError('TOO_MANY_REQUESTS', 'request.rate_limited', undefined, { until: byIp.until.toISOString() });
      const byAccount = await consume(limits.signInAccount, accountKey);
      if (!byAccount.ok) throw new DomainError('TOO_MANY_REQUESTS', 'auth.locked', undefined, { until: byAccount.until.toISOString() });
      const [user] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
      const ok = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, input.password).catch(async (err) => {
        if (!(err instanceof PasswordServiceBusy)) throw err;
        // The password was never checked: do not count the attempt.
        await Promise.all([giveBack(limits.signInIp, ipKey), giveBack(limits.signInAccount, accountKey)]);
        throw new DomainError('TOO_MANY_REQUESTS', 'auth.busy');
      });
      if (!user || !ok) {
        // The failure that reaches the limit starts the block at once (the lock-out users know: "try again after").
        if (byAccount.res.remainingPoints <= 0) {
          await limits.signInAccount.block(accountKey, Math.ceil(config.loginBlockMs / 1000));
          throw new DomainError('TOO_MANY_REQUESTS', 'auth.locked', undefined, { until: new Date(Date.now() + config.loginBlockMs).toISOString() });
        }
        throw new DomainError('UNAUTHORIZED', 'auth.invalid_credentials');
      }
      await Promise.all([giveBack(limits.signInIp, ipKey), giveBack(limits.signInAccount, accountKey, true)]);
      if (ctx.session) await invalidateSession(db, ctx.session.sessionId);
      const session = await createSession(db, user.id, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs });
      ctx.res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, config.cookieSecure));
      await writeAudit(db, { organisationId: user.organisationId, actorUserId: user.id, action: 'auth.sign_in', objectType: 'user', objectId: user.id, ip: ctx.ip });
      return { ok: true as const };
    }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.session) await invalidateSession(ctx.db, ctx.session.sessionId);
    ctx.res.setHeader('Set-Cookie', blankSessionCookie(ctx.config.cookieSecure));
    return { ok: true as const };
  }),

  /** The signed-in user, or null. Used by the app shell. */
  me: publicProcedure.query(({ ctx }) => {
    if (!ctx.session) return null;
    const u = ctx.session.user;
    return {
      id: u.id, name: u.name, email: u.email, role: u.role, canBookPartner: u.canBookPartner, locale: u.locale,
      organisation: { id: u.organisationId, name: u.organisationName, isInstitution: u.isInstitution, timeZone: u.timeZone },
      sessionExpiresAt: ctx.session.expiresAt.toISOString(),
    };
  }),

  setLocale: authedProcedure.input(z.object({ locale: localeField })).mutation(async ({ ctx, input }) => {
    await ctx.db.update(users).set({ locale: input.locale }).where(eq(users.id, ctx.user.id));
    return { ok: true as const };
  }),

  /** What the set-password page shows for a link: who it is for, or why it cannot be used. */
  inspectInvitation: publicProcedure.input(z.object({ token: tokenField })).query(async ({ ctx, input }) => {
    const { state, row } = await findInvitation(ctx.db, input.token);
    if (state !== 'valid' || !row) return { state: state as Exclude<InvitationState, 'valid'> };
    return { state: 'valid' as const, name: row.user.name, email: row.user.email, organisationName: row.organisationName, locale: row.user.locale, expiresAt: row.link.expiresAt.toISOString() };
  }),

  acceptInvitation: publicProcedure
    .input(z.object({ token: tokenField, password: newPasswordField, passwordConfirm: z.string() })
      .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'validation.passwords_differ', ...whenFieldsValid('password', 'passwordConfirm') }))
    .mutation(async ({ ctx, input }) => {
      await limitAnonymous(ctx.db, ctx.config, ctx.ip, input.token);
      // The link first: an invalid one costs no argon2 work (decision 010). Checked again under locks below.
      const seen = await findInvitation(ctx.db, input.token);
      if (seen.state !== 'valid') throw new DomainError('BAD_REQUEST', `invitation.${seen.state}`, 'token');
      const passwordHash = await hashPassword(input.password, 'anonymous').catch((err) => {
        if (err instanceof PasswordServiceBusy) throw new DomainError('TOO_MANY_REQUESTS', 'request.busy');
        throw err;
      });
      const result = await ctx.db.transaction(async (tx) => {
        const { state, row } = await findInvitation(tx, input.token);
        if (state !== 'valid' || !row) return { state, user: null };
        // Lock the user row: a double submit must not set the password twice.
        const [user] = await tx.select({ status: users.status }).from(users).where(eq(users.id, row.user.id)).for('update');
        const [inv] = await tx.select({ usedAt: userInvitations.usedAt }).from(userInvitations).where(eq(userInvitations.id, row.link.id)).for('update');
        if (user.status !== 'invited' || inv.usedAt) return { state: 'used' as const, user: null };
        const now = new Date();
        await tx.update(users).set({ passwordHash, status: 'active', updatedAt: now }).where(eq(users.id, row.user.id));
        await tx.update(userInvitations).set({ usedAt: now }).where(eq(userInvitations.id, row.link.id));
        await writeAudit(tx, { organisationId: row.user.organisationId, actorUserId: row.user.id, action: 'user.password_set', objectType: 'user', objectId: row.user.id, ip: ctx.ip });
        return { state: 'valid' as const, user: row.user };
      });
      if (result.state !== 'valid' || !result.user) throw new DomainError('BAD_REQUEST', `invitation.${result.state}`, 'token');
      void ctx.workflows.signalPasswordSet(result.user.id);
      return { ok: true as const, email: result.user.email };
    }),

  /**
   * "Forgot password?": the same answer, after the same work, whether or not the address has an account; an email
   * with a one-hour, single-use link goes to active users only (server/auth/password-reset.ts, decision 012).
   */
  requestPasswordReset: publicProcedure.input(z.object({ email: emailField })).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx.db, ctx.config, { email: input.email, ip: ctx.ip }, () => ctx.workflows.dispatchSoon());
    return { ok: true as const };
  }),

  /** What the reset page shows for a link: the account's address, or why the link cannot be used. */
  inspectPasswordReset: publicProcedure.input(z.object({ token: resetTokenField })).query(({ ctx, input }) =>
    inspectPasswordReset(ctx.db, input.token)),

  /** Sets the new password from a reset link and ends every session of the user; the user then signs in. */
  resetPassword: publicProcedure
    .input(z.object({ token: resetTokenField, password: newPasswordField, passwordConfirm: z.string() })
      .refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'validation.passwords_differ', ...whenFieldsValid('password', 'passwordConfirm') }))
    .mutation(async ({ ctx, input }) => {
      const result = await resetPassword(ctx.db, ctx.config, { token: input.token, password: input.password, ip: ctx.ip });
      // This browser's own session of that user ended with the others: drop its cookie too.
      if (ctx.session?.user.id === result.userId) ctx.res.setHeader('Set-Cookie', blankSessionCookie(ctx.config.cookieSecure));
      return { ok: true as const, email: result.email };
    }),
});

