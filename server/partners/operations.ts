/**
 * Partnership operations as plain functions (database, actor, input), called by the thin partner routers and by the
 * invitation activities alike: add a partner, edit its settings, resend, withdraw, end (institution side); approve,
 * decline, register (partner side); expire (the invitation workflow). Each runs in one transaction that locks, checks
 * the move against the life cycle (canMove), writes, audits and queues its workflow work in the outbox.
 *
 * Lock order everywhere: partner organisation, then partnership, then invitation.
 */
import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { gtcAcceptances, organisations, partnerInvitations, partnershipLocations, partnerships, users } from '../../db/schema';
import { CURRENT_GTC_VERSION } from '../../db/gtc';
import { mysqlErrorCode, withRetry } from '../../db/retry';
import { DomainError } from '../errors';
import { writeAudit } from '../audit';
import { institutionLocationIds, institutionPartnership, partnerSidePartnership } from '../authz';
import type { SessionUser } from '../auth/session';
import { hashPassword, PasswordServiceBusy } from '../auth/password';
import { canMove, isPending, OPEN_STATUSES, type PartnershipStatus } from '../domain/partnership-status';
import { contactLocale } from '../domain/contact-locale';
import { enqueuePartnerInvitation, enqueueSignal, partnerInvitationWorkflowId } from '../workflow-outbox';
import { invitationPath, lockOrganisation, memberCount, promoteWaitingPartnership, revokeOpenRounds, type InvitationTimings } from './paths';
import { companyEditable, currentGtc, findRegistration, futureBookingCount, hasAcceptedCurrentGtc, locationIdsOf, registrationState, settingsView } from './queries';
import type { CreatePartnerInput, RegisterPartnerInput, UpdatePartnerInput } from './schemas';
import { changedTerms, recordNotice, termsOf } from './notices';

export interface Actor { user: SessionUser; ip: string }

/** Refuses a move the partnership life cycle does not allow, with the error the caller names. */
function assertMove(from: PartnershipStatus, to: PartnershipStatus, error: () => DomainError) {
  if (!canMove(from, to)) throw error();
}

/** Locks the partner organisation of an institution's partnership, then the partnership (the one lock order). */
async function lockInstitutionPartnership(tx: Executor, user: SessionUser, partnershipId: number) {
  const [seen] = await tx.select({ organisationId: partnerships.partnerOrganisationId }).from(partnerships)
    .where(and(eq(partnerships.id, partnershipId), eq(partnerships.institutionId, user.organisationId)));
  if (seen) await lockOrganisation(tx, seen.organisationId);
  return institutionPartnership(tx, user, partnershipId);
}

// ---------------------------------------------------------------------------------------------------------------
// Institution side

/**
 * "Add New Partner". An organisation with active administrators can approve in the app; otherwise its contact person
 * registers. A deadlock with a concurrent call, or a company created by one, is retried (and then found as existing).
 */
export function createPartnership(db: Db, actor: Actor, input: CreatePartnerInput, timings: InvitationTimings) {
  return withRetry(() => createOnce(db, actor, input, timings), ['ER_LOCK_DEADLOCK', 'ER_DUP_ENTRY']);
}

async function createOnce(db: Db, { user, ip }: Actor, input: CreatePartnerInput, timings: InvitationTimings) {
  const [institution] = await db.select().from(organisations).where(eq(organisations.id, user.organisationId));
  return db.transaction(async (tx) => {
    const locationIds = await institutionLocationIds(tx, user, input.locationIds);
    let [org] = await tx.select().from(organisations)
      .where(and(eq(organisations.country, input.country), eq(organisations.taxNumber, input.taxNumber))).for('update');
    if (org?.id === user.organisationId) throw new DomainError('BAD_REQUEST', 'partners.self', 'taxNumber');
    if (org) {
      const open = await tx.select({ id: partnerships.id }).from(partnerships)
        .where(and(eq(partnerships.institutionId, user.organisationId), eq(partnerships.partnerOrganisationId, org.id),
          inArray(partnerships.status, [...OPEN_STATUSES]))).for('update');
      if (open.length) throw new DomainError('CONFLICT', 'partners.duplicate', 'taxNumber');
    } else {
      const [created] = await tx.insert(organisations).values({
        name: input.companyName, country: input.country, taxNumber: input.taxNumber, registrationNumber: input.registrationNumber,
        address: input.address, timeZone: institution.timeZone,
      }).$returningId();
      [org] = await tx.select().from(organisations).where(eq(organisations.id, created.id));
    }
    const status = await invitationPath(tx, org.id);
    const existingOrganisation = status === 'pending_approval';
    const now = new Date();
    const [created] = await tx.insert(partnerships).values({
      institutionId: user.organisationId, partnerOrganisationId: org.id, status,
      contactName: input.contactName, contactEmail: input.contactEmail, contactPhone: input.contactPhone,
      commissionType: input.commission.type, commissionValue: input.commission.value,
      commissionCurrency: input.commission.type === 'fixed' ? institution.currency : null,
      paymentLocation: input.paymentLocation, patientDataAccess: input.patientDataAccess,
      invitedByUserId: user.id, invitedAt: now, updatedAt: now,
    }).$returningId();
    await tx.insert(partnershipLocations).values(locationIds.map((locationId) => ({ partnershipId: created.id, locationId })));
    await writeAudit(tx, {
      organisationId: user.organisationId, actorUserId: user.id, action: 'partnership.create', objectType: 'partnership', objectId: created.id,
      after: { partnerOrganisationId: org.id, companyName: org.name, status, locationIds, commission: input.commission, paymentLocation: input.paymentLocation, patientDataAccess: input.patientDataAccess, contactEmail: input.contactEmail },
      ip,
    });
    await enqueuePartnerInvitation(tx, { partnershipId: created.id, institutionId: user.organisationId, ...timings }, 'start');
    return { partnershipId: created.id, status, existingOrganisation };
  });
}

/**
 * "Edit partner": every setting is editable; the audit log keeps before and after. Past bookings keep their own
 * snapshot. A change of an active partnership's commercial terms is emailed to the partner (one notice per save).
 * Returns whether workflow work was queued (a new invitation round, a notice). A lost deadlock is retried (bounded).
 */
export async function updatePartnership(db: Db, { user, ip }: Actor, input: UpdatePartnerInput, timings: InvitationTimings): Promise<{ queued: boolean }> {
  return withRetry(() => db.transaction(async (tx) => {
    let queued = false;
    const p = await lockInstitutionPartnership(tx, user, input.partnershipId);
    if (p.status !== 'active' && !isPending(p.status)) throw new DomainError('BAD_REQUEST', 'partners.closed', 'partnershipId');
    const locationIds = await institutionLocationIds(tx, user, input.locationIds);
    const locationIdsBefore = await locationIdsOf(tx, p.id);
    const before = settingsView(p, locationIdsBefore);
    const [institution] = await tx.select({ currency: organisations.currency }).from(organisations).where(eq(organisations.id, user.organisationId));
    const now = new Date();
    await tx.update(partnerships).set({
      contactName: input.contactName, contactEmail: input.contactEmail, contactPhone: input.contactPhone,
      commissionType: input.commission.type, commissionValue: input.commission.value,
      commissionCurrency: input.commission.type === 'fixed' ? institution.currency : null,
      paymentLocation: input.paymentLocation, patientDataAccess: input.patientDataAccess, updatedAt: now,
    }).where(eq(partnerships.id, p.id));
    await tx.delete(partnershipLocations).where(eq(partnershipLocations.partnershipId, p.id));
    await tx.insert(partnershipLocations).values(locationIds.map((locationId) => ({ partnershipId: p.id, locationId })));
    const [after] = await tx.select().from(partnerships).where(eq(partnerships.id, p.id));
    let companyBefore: object | undefined;
    if (input.company) {
      const [org] = await tx.select().from(organisations).where(eq(organisations.id, p.partnerOrganisationId)).for('update');
      const changed = org.name !== input.company.companyName || org.registrationNumber !== input.company.registrationNumber || org.address !== input.company.address;
      if (changed && !(await companyEditable(tx, org.id, user.organisationId))) throw new DomainError('BAD_REQUEST', 'partners.company_managed_by_partner', 'companyName');
      if (changed) {
        companyBefore = { companyName: org.name, registrationNumber: org.registrationNumber, address: org.address };
        await tx.update(organisations).set({ name: input.company.companyName, registrationNumber: input.company.registrationNumber, address: input.company.address })
          .where(eq(organisations.id, org.id));
      }
    }
    if (p.status === 'pending_registration' && p.contactEmail !== input.contactEmail) {
      // The link went to the old address: it stops working now, and a new round goes to the new one.
      await revokeOpenRounds(tx, p.id);
      await enqueuePartnerInvitation(tx, { partnershipId: p.id, institutionId: p.institutionId, ...timings }, 'restart');
      queued = true;
    }
    const [termsBefore, termsAfter] = [termsOf(p, locationIdsBefore), termsOf(after, locationIds)];
    if (p.status === 'active' && changedTerms(termsBefore, termsAfter).length > 0) {
      await recordNotice(tx, { partnershipId: p.id, institutionId: p.institutionId, kind: 'terms', actorUserId: user.id, before: { ...termsBefore }, after: { ...termsAfter } });
      queued = true;
    }
    await writeAudit(tx, {
      organisationId: user.organisationId, actorUserId: user.id, action: 'partnership.update', objectType: 'partnership', objectId: p.id,
      before: { ...before, ...(companyBefore ?? {}) }, after: { ...settingsView(after, locationIds), ...(companyBefore ? input.company : {}) }, ip,
    });
    return { queued };
  }));
}

/** A new invitation round: new email and link, the previous link stops working, reminders and expiry restart. */
export async function resendInvitation(db: Db, { user, ip }: Actor, partnershipId: number, timings: InvitationTimings) {
  await withRetry(() => db.transaction(async (tx) => {
    const p = await lockInstitutionPartnership(tx, user, partnershipId);
    if (!isPending(p.status)) throw new DomainError('BAD_REQUEST', 'partners.not_pending', 'partnershipId');
    // The organisation may have gained users, or lost the registration it waited for, since the last round.
    const path = await invitationPath(tx, p.partnerOrganisationId, p.id);
    if (path !== p.status && canMove(p.status, path)) {
      await tx.update(partnerships).set({ status: path, updatedAt: new Date() }).where(eq(partnerships.id, p.id));
      await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.path_change', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: path }, ip });
    }
    await enqueuePartnerInvitation(tx, { partnershipId: p.id, institutionId: p.institutionId, ...timings }, 'restart');
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.resend', objectType: 'partnership', objectId: p.id, ip });
  }));
}

/**
 * Withdraws a pending invitation and tells the partner; returns false when it was already withdrawn (a repeated click
 * changes nothing).
 */
export async function withdrawPartnership(db: Db, { user, ip }: Actor, partnershipId: number, timings: InvitationTimings): Promise<boolean> {
  return db.transaction(async (tx) => {
    const p = await institutionPartnership(tx, user, partnershipId);
    if (p.status === 'withdrawn') return false;
    assertMove(p.status, 'withdrawn', () => new DomainError('BAD_REQUEST', 'partners.not_pending', 'partnershipId'));
    const now = new Date();
    await tx.update(partnerships).set({ status: 'withdrawn', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    await revokeOpenRounds(tx, p.id, now);
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.withdraw', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'withdrawn' }, ip });
    await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
    await recordNotice(tx, { partnershipId: p.id, institutionId: p.institutionId, kind: 'withdrawn', actorUserId: user.id, before: { status: p.status }, after: { status: 'withdrawn' } });
    if (p.status === 'pending_registration') await promoteWaitingPartnership(tx, p.partnerOrganisationId, timings, user.id);
    return true;
  });
}

/**
 * "Delete partner": the partnership ends (no new bookings, its users lose access); bookings and statistics stay, and
 * the partner is told. Returns false when it had ended already.
 */
export async function endPartnership(db: Db, { user, ip }: Actor, partnershipId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const p = await institutionPartnership(tx, user, partnershipId);
    if (p.status === 'ended') return false;
    assertMove(p.status, 'ended', () => new DomainError('BAD_REQUEST', isPending(p.status) ? 'partners.delete_pending' : 'partners.closed', 'partnershipId'));
    const now = new Date();
    await tx.update(partnerships).set({ status: 'ended', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.end', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'ended', futureBookings: await futureBookingCount(tx, p.id) }, ip });
    await recordNotice(tx, { partnershipId: p.id, institutionId: p.institutionId, kind: 'ended', actorUserId: user.id, before: { status: p.status }, after: { status: 'ended', endedAt: now.toISOString() } });
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Partner side

/**
 * An answer in the app is to an invitation on the approval path (decision 004): the move must be legal from
 * `pending_approval`. Anything else is refused with what happened to the invitation.
 */
function assertAnswerable(status: PartnershipStatus, to: 'active' | 'declined') {
  if (status === 'pending_approval' && canMove(status, to)) return;
  // Approving a declined invitation says so, declining an accepted one too; anything else is closed.
  const key = to === 'active' ? (status === 'declined' ? 'declined' : 'closed') : (status === 'active' ? 'accepted' : 'closed');
  throw new DomainError('CONFLICT', `partners.answer_${key}`, 'partnershipId');
}

/** Approves an invitation (accepting the current GTC first if needed); false when it was approved already. */
export async function approvePartnership(db: Db, { user, ip }: Actor, input: { partnershipId: number; acceptGtcVersion?: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const p = await partnerSidePartnership(tx, user, input.partnershipId);
    if (p.status === 'active') return false; // a double click or a retried request changes nothing
    assertAnswerable(p.status, 'active');
    const [open] = await tx.select().from(partnerInvitations)
      .where(and(eq(partnerInvitations.partnershipId, p.id), isNull(partnerInvitations.revokedAt), isNull(partnerInvitations.usedAt)))
      .orderBy(desc(partnerInvitations.id)).limit(1);
    // The round may not be issued yet (the workflow starts after the commit): the pending status is what counts.
    if (open && open.expiresAt <= new Date()) throw new DomainError('BAD_REQUEST', 'partners.invitation_expired', 'partnershipId');
    const now = new Date();
    if (!(await hasAcceptedCurrentGtc(tx, user.organisationId))) {
      if (input.acceptGtcVersion !== CURRENT_GTC_VERSION) throw new DomainError('BAD_REQUEST', 'gtc.must_accept', 'acceptGtc');
      const gtc = await currentGtc(tx);
      await tx.insert(gtcAcceptances).values({ organisationId: user.organisationId, userId: user.id, gtcVersionId: gtc.id, partnershipId: p.id, acceptedAt: now, ip });
    }
    await tx.update(partnerships).set({ status: 'active', acceptedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    if (open) await tx.update(partnerInvitations).set({ usedAt: now }).where(eq(partnerInvitations.id, open.id));
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.approve', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'active' }, ip });
    await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
    return true;
  });
}

/** Declines an invitation; false when it was declined already. */
export async function declinePartnership(db: Db, { user, ip }: Actor, partnershipId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const p = await partnerSidePartnership(tx, user, partnershipId);
    if (p.status === 'declined') return false;
    assertAnswerable(p.status, 'declined');
    const now = new Date();
    await tx.update(partnerships).set({ status: 'declined', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    await tx.update(partnerInvitations).set({ revokedAt: now })
      .where(and(eq(partnerInvitations.partnershipId, p.id), isNull(partnerInvitations.revokedAt), isNull(partnerInvitations.usedAt)));
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: user.id, action: 'partnership.decline', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'declined' }, ip });
    await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
    return true;
  });
}

function registrationError(state: string): DomainError {
  return new DomainError('BAD_REQUEST', state === 'withdrawn' ? 'partners.invitation_withdrawn' : `invitation.${state}`, 'token');
}

/**
 * Registers the new partner's first administrator through the emailed link and records the GTC acceptance (version,
 * time, user, IP). The link is checked before hashing (an invalid one costs no argon2 work, decision 010) and again
 * under locks, so a double submit registers once.
 */
export async function registerPartner(db: Db, ip: string, input: RegisterPartnerInput, timings: InvitationTimings): Promise<{ email: string }> {
  const seen = await findRegistration(db, input.token);
  if (!seen.row || seen.state !== 'valid') throw registrationError(seen.state);
  if (input.gtcVersion !== CURRENT_GTC_VERSION) throw new DomainError('BAD_REQUEST', 'gtc.version_outdated', 'acceptGtc');
  const passwordHash = await hashPassword(input.password, 'anonymous').catch((err) => {
    if (err instanceof PasswordServiceBusy) throw new DomainError('TOO_MANY_REQUESTS', 'request.busy');
    throw err;
  });
  const register = () => db.transaction(async (tx) => {
    const found = await findRegistration(tx, input.token);
    if (!found.row) return { state: found.state, email: null };
    // Lock order: organisation, partnership, invitation. Then decide from locked rows only (locking reads see the
    // latest commit).
    const company = await lockOrganisation(tx, found.row.p.partnerOrganisationId);
    const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, found.row.p.id)).for('update');
    const [inv] = await tx.select().from(partnerInvitations).where(eq(partnerInvitations.id, found.row.inv.id)).for('update');
    const state = registrationState(inv, p);
    if (state !== 'valid') return { state, email: null };
    assertMove(p.status, 'active', () => registrationError('revoked'));
    // Only an organisation without members can be claimed by registering; one with members answers in the app.
    if ((await memberCount(tx, company.id)) > 0) throw new DomainError('CONFLICT', 'partners.organisation_has_users', 'token');
    const now = new Date();
    let userId: number;
    try {
      [{ id: userId }] = await tx.insert(users).values({
        organisationId: company.id, email: p.contactEmail, name: input.name, role: 'admin', canBookPartner: true,
        status: 'active', passwordHash, locale: input.locale ?? contactLocale(company.country), createdAt: now, updatedAt: now,
      }).$returningId();
    } catch (err) {
      if (mysqlErrorCode(err) === 'ER_DUP_ENTRY') throw new DomainError('CONFLICT', 'partners.contact_has_account', 'token');
      throw err;
    }
    const gtc = await currentGtc(tx);
    await tx.insert(gtcAcceptances).values({ organisationId: company.id, userId, gtcVersionId: gtc.id, partnershipId: p.id, acceptedAt: now, ip });
    await tx.update(partnerships).set({ status: 'active', acceptedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    await tx.update(partnerInvitations).set({ usedAt: now }).where(eq(partnerInvitations.id, inv.id));
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: userId, action: 'partnership.register', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'active', gtcVersion: gtc.version }, ip });
    await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
    // Every other open invitation to this organisation is now answered in the app by its new administrator.
    const others = await tx.select().from(partnerships)
      .where(and(eq(partnerships.partnerOrganisationId, company.id), inArray(partnerships.status, ['pending_approval', 'pending_registration']), ne(partnerships.id, p.id))).for('update');
    for (const o of others) {
      if (o.status === 'pending_registration' && canMove(o.status, 'pending_approval')) {
        await tx.update(partnerships).set({ status: 'pending_approval', updatedAt: now }).where(eq(partnerships.id, o.id));
        await revokeOpenRounds(tx, o.id, now);
        await writeAudit(tx, { organisationId: o.institutionId, actorUserId: userId, action: 'partnership.path_change', objectType: 'partnership', objectId: o.id, before: { status: o.status }, after: { status: 'pending_approval' }, ip });
      }
      await enqueuePartnerInvitation(tx, { partnershipId: o.id, institutionId: o.institutionId, ...timings }, 'restart');
    }
    return { state: 'valid' as const, email: p.contactEmail };
  });
  const result = await withRetry(register);
  if (result.state !== 'valid' || !result.email) throw registrationError(result.state);
  return { email: result.email };
}

// ---------------------------------------------------------------------------------------------------------------
// The invitation workflow

/** Day 14: a still-pending partnership whose current round is unanswered becomes `expired`. */
export async function expirePartnership(db: Db, invitationId: number, timings: InvitationTimings): Promise<PartnershipStatus> {
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(partnerInvitations).where(eq(partnerInvitations.id, invitationId));
    const [seen] = await tx.select({ organisationId: partnerships.partnerOrganisationId }).from(partnerships).where(eq(partnerships.id, inv.partnershipId));
    await lockOrganisation(tx, seen.organisationId); // lock order: organisation, then partnership
    const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, inv.partnershipId)).for('update');
    if (!isPending(p.status) || inv.usedAt || inv.revokedAt || !canMove(p.status, 'expired')) return p.status;
    const now = new Date();
    await tx.update(partnerships).set({ status: 'expired', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
    await tx.update(partnerInvitations).set({ revokedAt: now }).where(eq(partnerInvitations.id, invitationId));
    await writeAudit(tx, { organisationId: p.institutionId, actorUserId: null, action: 'partnership.expire', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'expired' } });
    if (p.status === 'pending_registration') {
      // Another institution's invitation may have waited for this registration: it becomes the registration now.
      await promoteWaitingPartnership(tx, p.partnerOrganisationId, timings, null);
    }
    return 'expired' as const;
  });
}
