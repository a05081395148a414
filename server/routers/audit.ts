/**
 * The audit log page for institution admins: who did what to which object and when, filtered by user, action and
 * period. Entries of the institution's own users, and entries about it made by others (partner users approving an
 * invitation, a partner reading patient data), are both listed.
 */
import { z } from 'zod';
import { and, desc, eq, gte, like, lt, sql } from 'drizzle-orm';
import { router, institutionAdminProcedure } from '../trpc';
import { auditLog, organisations, users } from '../../db/schema';
import { idField } from '../validation';

const PAGE_SIZE = 50;
const dateTime = z.string().datetime({ offset: true, error: 'audit.period_invalid' });

export const auditRouter = router({
  list: institutionAdminProcedure.input(z.object({
    userId: idField.optional(),
    action: z.string().trim().max(64, 'validation.too_long').regex(/^[a-z_.]*$/, 'validation.invalid').optional(),
    from: dateTime.optional(),
    to: dateTime.optional(),
    beforeId: idField.optional(),
  }).refine((v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to), { path: ['to'], message: 'audit.period_invalid' })).query(async ({ ctx, input }) => {
    const conditions = [eq(auditLog.organisationId, ctx.user.organisationId)];
    if (input.userId) conditions.push(eq(auditLog.actorUserId, input.userId));
    if (input.action) conditions.push(like(auditLog.action, `${input.action}%`));
    if (input.from) conditions.push(gte(auditLog.at, new Date(input.from)));
    if (input.to) conditions.push(lt(auditLog.at, new Date(input.to)));
    if (input.beforeId) conditions.push(lt(auditLog.id, input.beforeId));
    const rows = await ctx.db.select({
      id: auditLog.id, at: auditLog.at, action: auditLog.action, objectType: auditLog.objectType, objectId: auditLog.objectId,
      before: auditLog.before, after: auditLog.after, ip: auditLog.ip,
      actorUserId: auditLog.actorUserId, actorName: users.name, actorEmail: users.email, actorOrganisation: organisations.name,
    }).from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .leftJoin(organisations, eq(organisations.id, users.organisationId))
      .where(and(...conditions)).orderBy(desc(auditLog.id)).limit(PAGE_SIZE + 1);
    return {
      entries: rows.slice(0, PAGE_SIZE).map((r) => ({ ...r, at: r.at.toISOString() })),
      nextBeforeId: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
    };
  }),

  /** The choices of the filters: users who appear in this institution's log, and its actions. */
  filters: institutionAdminProcedure.query(async ({ ctx }) => {
    const actors = await ctx.db.selectDistinct({ id: users.id, name: users.name, organisation: organisations.name }).from(auditLog)
      .innerJoin(users, eq(users.id, auditLog.actorUserId)).innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(auditLog.organisationId, ctx.user.organisationId)).orderBy(users.name);
    const actions = await ctx.db.selectDistinct({ action: auditLog.action }).from(auditLog)
      .where(eq(auditLog.organisationId, ctx.user.organisationId)).orderBy(sql`1`);
    return { users: actors, actions: actions.map((a) => a.action) };
  }),
});
