/**
 * Administration / Admin users: an organisation's administrators manage the users of their own organisation only
 * (an institution admin its institution's users, a partner admin its partner organisation's users).
 */
import { z } from 'zod';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { router, adminProcedure } from '../trpc';
import { DomainError } from '../errors';
import { emailField, idField, localeField, requiredText, roleField } from '../validation';
import { userInvitations, users } from '../../db/schema';
import { writeAudit } from '../audit';
import { mysqlErrorCode } from '../../db/retry';
import { ownOrganisationUser } from '../authz';
import { invalidateUserSessions } from '../auth/session';
import { enqueueSignal, enqueueUserInvitation, userInvitationWorkflowId } from '../workflow-outbox';
import type { Context } from '../trpc';
import { hasAcceptedCurrentGtc } from './partner-portal';

const userFields = {
  name: requiredText(200),
  role: roleField,
  canBookPartner: z.boolean({ error: 'validation.invalid' }),
  locale: localeField,
};

const publicView = (u: typeof users.$inferSelect) =>
  ({ name: u.name, email: u.email, role: u.role, canBookPartner: u.canBookPartner, locale: u.locale, status: u.status });

function invitationTimings(config: Context['config']) {
  return { reminderAfterMs: config.invitationReminderMs, expiresAfterMs: config.invitationExpiryMs };
}

export const usersRouter = router({
  list: adminProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.select({
      id: users.id, name: users.name, email: users.email, role: users.role, canBookPartner: users.canBookPartner,
      status: users.status, locale: users.locale, createdAt: users.createdAt,
    }).from(users).where(eq(users.organisationId, ctx.user.organisationId)).orderBy(asc(users.name));
    const invitedIds = rows.filter((r) => r.status === 'invited').map((r) => r.id);
    const invitations = invitedIds.length === 0 ? [] : await ctx.db.select({
      userId: userInvitations.userId, createdAt: userInvitations.createdAt, expiresAt: userInvitations.expiresAt,
    }).from(userInvitations)
      .where(and(inArray(userInvitations.userId, invitedIds), isNull(userInvitations.revokedAt), isNull(userInvitations.usedAt)))
      .orderBy(desc(userInvitations.id));
    const latest = new Map<number, { sentAt: string; expiresAt: string }>();
    for (const inv of invitations) {
      if (!latest.has(inv.userId)) latest.set(inv.userId, { sentAt: inv.createdAt.toISOString(), expiresAt: inv.expiresAt.toISOString() });
    }
    return rows.map((r) => ({
      ...r, createdAt: r.createdAt.toISOString(), isSelf: r.id === ctx.user.id,
      invitation: r.status === 'invited' ? latest.get(r.id) ?? null : null,
    }));
  }),

  create: adminProcedure.input(z.object({ email: emailField, ...userFields })).mutation(async ({ ctx, input }) => {
    const { user } = ctx;
    // A partner organisation adds its own users only after accepting the GTC.
    if (!user.isInstitution && !(await hasAcceptedCurrentGtc(ctx.db, user.organisationId))) {
      throw new DomainError('FORBIDDEN', 'users.gtc_required');
    }
    let id: number;
    try {
      id = await ctx.db.transaction(async (tx) => {
        const [created] = await tx.insert(users).values({ ...input, organisationId: user.organisationId, status: 'invited' }).$returningId();
        await writeAudit(tx, { organisationId: user.organisationId, actorUserId: user.id, action: 'user.create', objectType: 'user', objectId: created.id, after: { ...input, status: 'invited' }, ip: ctx.ip });
        await enqueueUserInvitation(tx, { userId: created.id, organisationId: user.organisationId, ...invitationTimings(ctx.config) }, 'start');
        return created.id;
      });
    } catch (err) {
      if (mysqlErrorCode(err) !== 'ER_DUP_ENTRY') throw err;
      // Email addresses are unique across tenants. Only the admin's own users are named as such; an address used in
      // another organisation gets a neutral answer that does not say it has an account, nothing is sent to it, and
      // the refusal is audited (decision 010).
      const [own] = await ctx.db.select({ id: users.id }).from(users)
        .where(and(eq(users.email, input.email), eq(users.organisationId, user.organisationId))).limit(1);
      if (own) throw new DomainError('CONFLICT', 'users.email_taken', 'email');
      await writeAudit(ctx.db, { organisationId: user.organisationId, actorUserId: user.id, action: 'user.create_refused', objectType: 'user', objectId: null, after: { email: input.email, reason: 'users.email_unavailable' }, ip: ctx.ip });
      throw new DomainError('BAD_REQUEST', 'users.email_unavailable', 'email');
    }
    ctx.workflows.dispatchSoon();
    return { id };
  }),

  update: adminProcedure.input(z.object({ userId: idField, ...userFields })).mutation(async ({ ctx, input }) => {
    const { userId, ...changes } = input;
    await ctx.db.transaction(async (tx) => {
      const before = await ownOrganisationUser(tx, ctx.user, userId);
      if (before.id === ctx.user.id && changes.role !== 'admin') throw new DomainError('BAD_REQUEST', 'users.cannot_demote_self', 'role');
      await tx.update(users).set({ ...changes, updatedAt: new Date() }).where(eq(users.id, userId));
      await writeAudit(tx, { organisationId: ctx.user.organisationId, actorUserId: ctx.user.id, action: 'user.update', objectType: 'user', objectId: userId, before: publicView(before), after: { ...publicView(before), ...changes }, ip: ctx.ip });
    });
    return { ok: true as const };
  }),

  /** Ends every open session of the user at once and invalidates any unused invitation link. */
  deactivate: adminProcedure.input(z.object({ userId: idField })).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id) throw new DomainError('BAD_REQUEST', 'users.cannot_deactivate_self', 'userId');
    await ctx.db.transaction(async (tx) => {
      const before = await ownOrganisationUser(tx, ctx.user, input.userId);
      if (before.status === 'deactivated') return;
      const now = new Date();
      await tx.update(users).set({ status: 'deactivated', updatedAt: now }).where(eq(users.id, input.userId));
      await tx.update(userInvitations).set({ revokedAt: now })
        .where(and(eq(userInvitations.userId, input.userId), isNull(userInvitations.usedAt), isNull(userInvitations.revokedAt)));
      await invalidateUserSessions(tx, input.userId);
      if (before.status === 'invited') await enqueueSignal(tx, userInvitationWorkflowId(input.userId), 'invitationClosed');
      await writeAudit(tx, { organisationId: ctx.user.organisationId, actorUserId: ctx.user.id, action: 'user.deactivate', objectType: 'user', objectId: input.userId, before: { status: before.status }, after: { status: 'deactivated' }, ip: ctx.ip });
    });
    ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  reactivate: adminProcedure.input(z.object({ userId: idField })).mutation(async ({ ctx, input }) => {
    const status = await ctx.db.transaction(async (tx) => {
      const before = await ownOrganisationUser(tx, ctx.user, input.userId);
      if (before.status !== 'deactivated') throw new DomainError('BAD_REQUEST', 'users.not_deactivated', 'userId');
      const next = before.passwordHash ? 'active' as const : 'invited' as const;
      await tx.update(users).set({ status: next, updatedAt: new Date() }).where(eq(users.id, input.userId));
      if (next === 'invited') {
        await enqueueUserInvitation(tx, { userId: input.userId, organisationId: ctx.user.organisationId, ...invitationTimings(ctx.config) }, 'restart');
      }
      await writeAudit(tx, { organisationId: ctx.user.organisationId, actorUserId: ctx.user.id, action: 'user.reactivate', objectType: 'user', objectId: input.userId, before: { status: before.status }, after: { status: next }, ip: ctx.ip });
      return next;
    });
    if (status === 'invited') ctx.workflows.dispatchSoon();
    return { ok: true as const, status };
  }),

  /** Restarts the invitation workflow: a new link is emailed and the previous link stops working. */
  resendInvitation: adminProcedure.input(z.object({ userId: idField })).mutation(async ({ ctx, input }) => {
    await ctx.db.transaction(async (tx) => {
      const user = await ownOrganisationUser(tx, ctx.user, input.userId);
      if (user.status === 'deactivated') throw new DomainError('BAD_REQUEST', 'users.deactivated', 'userId');
      if (user.status !== 'invited') throw new DomainError('BAD_REQUEST', 'users.not_invited', 'userId');
      await enqueueUserInvitation(tx, { userId: user.id, organisationId: ctx.user.organisationId, ...invitationTimings(ctx.config) }, 'restart');
      await writeAudit(tx, { organisationId: ctx.user.organisationId, actorUserId: ctx.user.id, action: 'user.resend_invitation', objectType: 'user', objectId: user.id, ip: ctx.ip });
    });
    ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),
});
