/**
 * Administration / Partner Module (institution side): list, add, view, edit, resend, withdraw and delete (end)
 * partnerships. Only an institution's administrators may call these, and only on their own institution's partnerships.
 */
import { z } from 'zod';
import { and, asc, count, desc, eq, gt, inArray, like, ne, or, sql } from 'drizzle-orm';
import { router, institutionAdminProcedure, type Context } from '../trpc';
import { DomainError } from '../errors';
import { idField } from '../validation';
import { writeAudit } from '../audit';
import { AccessDenied, institutionLocationIds, institutionPartnership } from '../authz';
import type { Executor } from '../../db/client';
import {
  bookings, gtcAcceptances, gtcVersions, locations, organisations, partnerInvitations, partnershipLocations, partnerships, users,
  PARTNERSHIP_STATUSES,
} from '../../db/schema';
import { createPartnerInput, updatePartnerInput, type CreatePartnerInput } from '../partners/schemas';
import { canMove, isPending, OPEN_STATUSES, type PartnershipStatus } from '../domain/partnership-status';
import { COUNTRIES } from '../domain/countries';
import { withRetry } from '../../db/retry';
import { invitationPath, lockOrganisation, memberCount, promoteWaitingPartnership, revokeOpenRounds } from '../partners/paths';
import { previewInvitation } from '../partners/preview';
import { listPartners, partnerListInput } from '../partners/list';
import { enqueuePartnerInvitation, enqueueSignal, partnerInvitationWorkflowId } from '../workflow-outbox';

type User = NonNullable<Context['session']>['user'];

function invitationTimings(config: Context['config']) {
  return { reminderOffsetsMs: config.partnerReminderOffsetsMs, expiresAfterMs: config.partnerInvitationExpiryMs };
}

function settingsView(p: typeof partnerships.$inferSelect, locationIds: number[]) {
  return {
    contactName: p.contactName, contactEmail: p.contactEmail, contactPhone: p.contactPhone, locationIds,
    commissionType: p.commissionType, commissionValue: p.commissionValue, commissionCurrency: p.commissionCurrency,
    paymentLocation: p.paymentLocation, patientDataAccess: p.patientDataAccess,
  };
}

async function locationIdsOf(db: Executor, partnershipId: number) {
  const rows = await db.select({ id: partnershipLocations.locationId }).from(partnershipLocations)
    .where(eq(partnershipLocations.partnershipId, partnershipId)).orderBy(asc(partnershipLocations.locationId));
  return rows.map((r) => r.id);
}

async function futureBookingCount(db: Executor, partnershipId: number) {
  const [{ n }] = await db.select({ n: count() }).from(bookings)
    .where(and(eq(bookings.partnershipId, partnershipId), gt(bookings.startsAt, new Date()), eq(bookings.status, 'booked')));
  return n;
}

/** An organisation with active administrators can approve in the app; otherwise its contact person registers. */
async function createPartnership(ctx: Context & { user: User }, input: CreatePartnerInput) {
  const { db, user } = ctx;
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
      ip: ctx.ip,
    });
    await enqueuePartnerInvitation(tx, { partnershipId: created.id, institutionId: user.organisationId, ...invitationTimings(ctx.config) }, 'start');
    return { partnershipId: created.id, status, existingOrganisation };
  });
}

/** An institution may correct a partner's company data only while no one else relies on it. */
async function companyEditable(db: Executor, organisationId: number, institutionId: number): Promise<boolean> {
  const [org] = await db.select({ isInstitution: organisations.isInstitution }).from(organisations).where(eq(organisations.id, organisationId));
  if (!org || org.isInstitution) return false;
  const members = await memberCount(db, organisationId);
  const [{ n: others }] = await db.select({ n: count() }).from(partnerships)
    .where(and(eq(partnerships.partnerOrganisationId, organisationId), ne(partnerships.institutionId, institutionId)));
  return members === 0 && others === 0;
}

export const partnersRouter = router({
  /** What the "Add New Partner" form needs: the institution's locations, currency and the supported countries. */
  formOptions: institutionAdminProcedure.query(async ({ ctx }) => {
    const [institution] = await ctx.db.select({ currency: organisations.currency, country: organisations.country })
      .from(organisations).where(eq(organisations.id, ctx.user.organisationId));
    const locs = await ctx.db.select({ id: locations.id, name: locations.name, address: locations.address, timeZone: locations.timeZone })
      .from(locations).where(eq(locations.organisationId, ctx.user.organisationId)).orderBy(asc(locations.name));
    return { currency: institution.currency ?? 'RON', defaultCountry: institution.country, countries: COUNTRIES, locations: locs };
  }),

  /**
   * "Which invitation path?" while Add New Partner is filled in: approval in the app or a registration email, by the
   * rule the save applies, with the found company's registry data (never its users). Read-only, no locks.
   */
  invitationPreview: institutionAdminProcedure.input(z.object({
    country: z.enum(COUNTRIES, { error: 'validation.country_invalid' }),
    taxNumber: z.string({ error: 'validation.required' }).max(40, 'validation.too_long'),
  })).query(({ ctx, input }) => previewInvitation(ctx.db, ctx.user.organisationId, input.country, input.taxNumber)),

  list: institutionAdminProcedure.input(partnerListInput).query(({ ctx, input }) => listPartners(ctx.db, ctx.user.organisationId, input)),

  get: institutionAdminProcedure.input(z.object({ partnershipId: idField })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select({ p: partnerships, org: organisations }).from(partnerships)
      .innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
      .where(and(eq(partnerships.id, input.partnershipId), eq(partnerships.institutionId, ctx.user.organisationId)));
    if (!row) throw new AccessDenied('partners.not_found', 'partnershipId');
    const { p, org } = row;
    const locationIds = await locationIdsOf(ctx.db, p.id);
    const [invitation] = await ctx.db.select().from(partnerInvitations).where(eq(partnerInvitations.partnershipId, p.id))
      .orderBy(desc(partnerInvitations.id)).limit(1);
    const [gtc] = await ctx.db.select({ version: gtcVersions.version, acceptedAt: gtcAcceptances.acceptedAt }).from(gtcAcceptances)
      .innerJoin(gtcVersions, eq(gtcVersions.id, gtcAcceptances.gtcVersionId))
      .where(eq(gtcAcceptances.organisationId, org.id)).orderBy(desc(gtcAcceptances.id)).limit(1);
    return {
      id: p.id, status: p.status,
      company: { name: org.name, country: org.country, taxNumber: org.taxNumber, registrationNumber: org.registrationNumber, address: org.address },
      /** Company data of an organisation with its own users is managed by that organisation. */
      companyEditable: await companyEditable(ctx.db, org.id, ctx.user.organisationId),
      settings: settingsView(p, locationIds),
      invitedAt: p.invitedAt.toISOString(), acceptedAt: p.acceptedAt?.toISOString() ?? null, closedAt: p.closedAt?.toISOString() ?? null,
      invitation: invitation ? {
        kind: invitation.kind, sentAt: invitation.createdAt.toISOString(), expiresAt: invitation.expiresAt.toISOString(),
        remindersSent: invitation.remindersSent, usedAt: invitation.usedAt?.toISOString() ?? null,
      } : null,
      gtc: gtc ? { version: gtc.version, acceptedAt: gtc.acceptedAt.toISOString() } : null,
      workflow: { id: partnerInvitationWorkflowId(p.id), state: isPending(p.status) ? await ctx.workflows.partnerInvitationState(p.id) : null },
      futureBookings: await futureBookingCount(ctx.db, p.id),
    };
  }),

  create: institutionAdminProcedure.input(createPartnerInput).mutation(async ({ ctx, input }) => {
    // A deadlock with a concurrent call, or a company created by one, is retried (and then found as existing).
    const result = await withRetry(() => createPartnership(ctx, input), ['ER_LOCK_DEADLOCK', 'ER_DUP_ENTRY']);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  /** Every setting is editable; the audit log keeps before and after. Past bookings keep their own snapshot. */
  update: institutionAdminProcedure.input(updatePartnerInput).mutation(async ({ ctx, input }) => {
    const { user } = ctx;
    let restarted = false;
    // A lost deadlock is retried (bounded): the user never sees one.
    await withRetry(() => ctx.db.transaction(async (tx) => {
      restarted = false;
      // Lock order: organisation, then partnership — as in resend, registration and "Add partner".
      const [seen] = await tx.select({ organisationId: partnerships.partnerOrganisationId }).from(partnerships)
        .where(and(eq(partnerships.id, input.partnershipId), eq(partnerships.institutionId, user.organisationId)));
      if (seen) await lockOrganisation(tx, seen.organisationId);
      const p = await institutionPartnership(tx, user, input.partnershipId);
      if (p.status !== 'active' && !isPending(p.status)) throw new DomainError('BAD_REQUEST', 'partners.closed', 'partnershipId');
      const locationIds = await institutionLocationIds(tx, user, input.locationIds);
      const before = settingsView(p, await locationIdsOf(tx, p.id));
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
        await enqueuePartnerInvitation(tx, { partnershipId: p.id, institutionId: p.institutionId, ...invitationTimings(ctx.config) }, 'restart');
        restarted = true;
      }
      await writeAudit(tx, {
        organisationId: user.organisationId, actorUserId: user.id, action: 'partnership.update', objectType: 'partnership', objectId: p.id,
        before: { ...before, ...(companyBefore ?? {}) }, after: { ...settingsView(after, locationIds), ...(companyBefore ? input.company : {}) }, ip: ctx.ip,
      });
    }));
    if (restarted) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** A new invitation round: new email and link, the previous link stops working, reminders and expiry restart. */
  resend: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    await withRetry(() => ctx.db.transaction(async (tx) => {
      // Lock order: organisation, then partnership — as in registration and "Add partner".
      const [seen] = await tx.select({ organisationId: partnerships.partnerOrganisationId }).from(partnerships)
        .where(and(eq(partnerships.id, input.partnershipId), eq(partnerships.institutionId, ctx.user.organisationId)));
      if (seen) await lockOrganisation(tx, seen.organisationId);
      const p = await institutionPartnership(tx, ctx.user, input.partnershipId);
      if (!isPending(p.status)) throw new DomainError('BAD_REQUEST', 'partners.not_pending', 'partnershipId');
      // The organisation may have gained users, or lost the registration it waited for, since the last round.
      const path = await invitationPath(tx, p.partnerOrganisationId, p.id);
      if (path !== p.status && canMove(p.status, path)) {
        await tx.update(partnerships).set({ status: path, updatedAt: new Date() }).where(eq(partnerships.id, p.id));
        await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.path_change', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: path }, ip: ctx.ip });
      }
      await enqueuePartnerInvitation(tx, { partnershipId: p.id, institutionId: p.institutionId, ...invitationTimings(ctx.config) }, 'restart');
      await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.resend', objectType: 'partnership', objectId: p.id, ip: ctx.ip });
    }));
    ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  withdraw: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    const changed = await ctx.db.transaction(async (tx) => {
      const p = await institutionPartnership(tx, ctx.user, input.partnershipId);
      if (p.status === 'withdrawn') return false; // a repeated click changes nothing
      if (!canMove(p.status, 'withdrawn')) throw new DomainError('BAD_REQUEST', 'partners.not_pending', 'partnershipId');
      const now = new Date();
      await tx.update(partnerships).set({ status: 'withdrawn', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
      await revokeOpenRounds(tx, p.id, now);
      await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.withdraw', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'withdrawn' }, ip: ctx.ip });
      await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
      if (p.status === 'pending_registration') await promoteWaitingPartnership(tx, p.partnerOrganisationId, invitationTimings(ctx.config), ctx.user.id);
      return true;
    });
    if (changed) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** What the delete confirmation names: the partner and how many future bookings it has. */
  deleteImpact: institutionAdminProcedure.input(z.object({ partnershipId: idField })).query(async ({ ctx, input }) => {
    const [row] = await ctx.db.select({ status: partnerships.status, companyName: organisations.name }).from(partnerships)
      .innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
      .where(and(eq(partnerships.id, input.partnershipId), eq(partnerships.institutionId, ctx.user.organisationId)));
    if (!row) throw new AccessDenied('partners.not_found', 'partnershipId');
    return { companyName: row.companyName, status: row.status, futureBookings: await futureBookingCount(ctx.db, input.partnershipId) };
  }),

  /** "Delete partner": the partnership ends (no new bookings, its users lose access); bookings and statistics stay. */
  delete: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    await ctx.db.transaction(async (tx) => {
      const p = await institutionPartnership(tx, ctx.user, input.partnershipId);
      if (p.status === 'ended') return;
      if (!canMove(p.status, 'ended')) throw new DomainError('BAD_REQUEST', isPending(p.status) ? 'partners.delete_pending' : 'partners.closed', 'partnershipId');
      const now = new Date();
      await tx.update(partnerships).set({ status: 'ended', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
      await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.end', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'ended', futureBookings: await futureBookingCount(tx, p.id) }, ip: ctx.ip });
    });
    return { ok: true as const };
  }),
});
