/**
 * Which invitation path a partnership takes (decision 004), shared by the API and the invitation activities. An
 * organisation is claimed by registering only while it has no members (active or invited users) and no other
 * registration is under way; otherwise its administrators answer in the app. Counts are locking reads, so they see
 * the latest commit even inside a transaction that already read something (FOR UPDATE: MariaDB has no FOR SHARE).
 */
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organisations, partnerInvitations, partnerships, users } from '../../db/schema';
import { enqueuePartnerInvitation } from '../workflow-outbox';
import { writeAudit } from '../audit';

export interface InvitationTimings { reminderOffsetsMs: number[]; expiresAfterMs: number }

/** The invitation timings from the configuration (PARTNER_REMINDER_DAYS, PARTNER_INVITATION_EXPIRY_DAYS). */
export function invitationTimings(config: { partnerReminderOffsetsMs: number[]; partnerInvitationExpiryMs: number }): InvitationTimings {
  return { reminderOffsetsMs: config.partnerReminderOffsetsMs, expiresAfterMs: config.partnerInvitationExpiryMs };
}

export async function lockOrganisation(tx: Executor, organisationId: number) {
  const [org] = await tx.select().from(organisations).where(eq(organisations.id, organisationId)).for('update');
  return org;
}

/**
 * Reads that decide are locking (the default); a read-only preview ("Add New Partner" says which path the invitation
 * will take) applies the same rule with plain reads and takes no locks.
 */
export interface PathReadOptions { lock?: boolean }

/** Active or invited users: people who can (or soon can) answer for the organisation. */
export async function memberCount(tx: Executor, organisationId: number, { lock = true }: PathReadOptions = {}): Promise<number> {
  const query = tx.select({ n: count() }).from(users)
    .where(and(eq(users.organisationId, organisationId), inArray(users.status, ['active', 'invited'])));
  const [{ n }] = lock ? await query.for('update') : await query;
  return n;
}

export async function invitationPath(tx: Executor, organisationId: number, exceptPartnershipId?: number, options: PathReadOptions = {}): Promise<'pending_approval' | 'pending_registration'> {
  if ((await memberCount(tx, organisationId, options)) > 0) return 'pending_approval';
  const query = tx.select({ id: partnerships.id }).from(partnerships)
    .where(and(eq(partnerships.partnerOrganisationId, organisationId), eq(partnerships.status, 'pending_registration')));
  const registering = options.lock ?? true ? await query.for('update') : await query;
  return registering.some((r) => r.id !== exceptPartnershipId) ? 'pending_approval' : 'pending_registration';
}

/** Revokes a partnership's open invitation links at once (by primary key: no gap locks). */
export async function revokeOpenRounds(tx: Executor, partnershipId: number, now = new Date()) {
  const open = await tx.select({ id: partnerInvitations.id }).from(partnerInvitations)
    .where(and(eq(partnerInvitations.partnershipId, partnershipId), isNull(partnerInvitations.usedAt), isNull(partnerInvitations.revokedAt)));
  if (open.length) await tx.update(partnerInvitations).set({ revokedAt: now }).where(inArray(partnerInvitations.id, open.map((o) => o.id)));
}

/**
 * After a registration ended without a registrant (withdrawn or expired), the oldest invitation that waited for the
 * organisation's first administrator becomes the registration, and its contact person gets the link.
 */
export async function promoteWaitingPartnership(tx: Executor, organisationId: number, timings: InvitationTimings, actorUserId: number | null) {
  if ((await invitationPath(tx, organisationId)) !== 'pending_registration') return null;
  const [next] = await tx.select().from(partnerships)
    .where(and(eq(partnerships.partnerOrganisationId, organisationId), eq(partnerships.status, 'pending_approval')))
    .orderBy(asc(partnerships.invitedAt), asc(partnerships.id)).limit(1).for('update');
  if (!next) return null;
  await tx.update(partnerships).set({ status: 'pending_registration', updatedAt: new Date() }).where(eq(partnerships.id, next.id));
  await writeAudit(tx, { organisationId: next.institutionId, actorUserId, action: 'partnership.path_change', objectType: 'partnership', objectId: next.id, before: { status: next.status }, after: { status: 'pending_registration' } });
  await enqueuePartnerInvitation(tx, { partnershipId: next.id, institutionId: next.institutionId, ...timings }, 'restart');
  return next.id;
}
