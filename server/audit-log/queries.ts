/**
 * The audit log as institution admins read it: who did what to which object and when, filtered by user, action and
 * period. Entries of the institution's own users, and entries about it made by others (partner users approving an
 * invitation, a partner reading patient data), are both listed. Entries read as labelled changes with named objects
 * (server/audit-view.ts); each partner's page lists its own entries (`partnershipHistory`). Newest first, 50 a page.
 */
import { and, desc, eq, exists, gte, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { auditLog, organisations, users } from '../../db/schema';
import type { SessionUser } from '../auth/session';
import { AccessDenied, institutionPartnership } from '../authz';
import { readableEntries, type ShapeOptions } from '../audit-view';
import type { AuditListInput, PartnershipHistoryInput } from './schemas';

const PAGE_SIZE = 50;

/** A page of the institution's log, newest first, as it reads: two queries, the rows and their names. */
async function readablePage(db: Executor, institutionId: number, where: SQL, options: ShapeOptions = {}) {
  const rows = await db.select({
    id: auditLog.id, at: auditLog.at, action: auditLog.action, objectType: auditLog.objectType, objectId: auditLog.objectId,
    before: auditLog.before, after: auditLog.after, ip: auditLog.ip,
    actorUserId: auditLog.actorUserId, actorName: users.name, actorOrganisation: organisations.name,
  }).from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(organisations, eq(organisations.id, users.organisationId))
    .where(where).orderBy(desc(auditLog.id)).limit(PAGE_SIZE + 1);
  return {
    entries: await readableEntries(db, institutionId, rows.slice(0, PAGE_SIZE), options),
    nextBeforeId: rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1].id : null,
  };
}

/** The audit log page: the institution's entries, filtered. A user filter must name someone of its log. */
export async function auditPage(db: Executor, user: SessionUser, input: AuditListInput) {
  const conditions = [eq(auditLog.organisationId, user.organisationId)];
  if (input.userId) {
    // A user of this organisation, or one who appears in its log (a partner's user): anyone else is not found.
    const [known] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, input.userId), or(
      eq(users.organisationId, user.organisationId),
      exists(db.select({ one: sql`1` }).from(auditLog).where(and(eq(auditLog.organisationId, user.organisationId), eq(auditLog.actorUserId, input.userId)))),
    )));
    if (!known) throw new AccessDenied('users.not_found', 'userId');
    conditions.push(eq(auditLog.actorUserId, input.userId));
  }
  if (input.action) conditions.push(like(auditLog.action, `${input.action}%`));
  if (input.from) conditions.push(gte(auditLog.at, new Date(input.from)));
  if (input.to) conditions.push(lt(auditLog.at, new Date(input.to)));
  if (input.beforeId) conditions.push(lt(auditLog.id, input.beforeId));
  return readablePage(db, user.organisationId, and(...conditions)!);
}

/**
 * A partner's history on its detail page: the entries about this partnership (invited, settings changed, approved,
 * ended, …) and the traffic-channel saves that ticked or unticked its services — only its own channel shown.
 */
export async function partnershipHistory(db: Db, user: SessionUser, input: PartnershipHistoryInput) {
  const p = await db.transaction(async (tx) => institutionPartnership(tx, user, input.partnershipId));
  const about = or(
    and(eq(auditLog.objectType, 'partnership'), eq(auditLog.objectId, String(p.id))),
    and(eq(auditLog.action, 'traffic_channels.save'), like(sql`CAST(${auditLog.after} AS CHAR)`, `%"partnership:${p.id}"%`)),
  )!;
  const conditions = [eq(auditLog.organisationId, user.organisationId), about];
  if (input.beforeId) conditions.push(lt(auditLog.id, input.beforeId));
  return readablePage(db, user.organisationId, and(...conditions)!, { onlyPartnershipId: p.id });
}

/** The choices of the filters: users who appear in this institution's log, and its actions. */
export async function auditFilters(db: Executor, user: SessionUser) {
  const actors = await db.selectDistinct({ id: users.id, name: users.name, organisation: organisations.name }).from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId)).innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(auditLog.organisationId, user.organisationId)).orderBy(users.name);
  const actions = await db.selectDistinct({ action: auditLog.action }).from(auditLog)
    .where(eq(auditLog.organisationId, user.organisationId)).orderBy(sql`1`);
  return { users: actors, actions: actions.map((a) => a.action) };
}
