/**
 * The partner's side of the Partner Module: pending invitations (approve / decline), the institutions it works with
 * (read-only settings), and the public registration of a new partner with acceptance of the GTC. A partner sees only
 * partnerships of its own organisation.
 */
import { z } from 'zod';
import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { router, publicProcedure, adminProcedure, authedProcedure, type Context } from '../trpc';
import { DomainError } from '../errors';
import { idField, localeField, newPasswordField, requiredText, whenFieldsValid } from '../validation';
import { writeAudit } from '../audit';
import { partnerSidePartnership } from '../authz';
import { hashPassword, PasswordServiceBusy } from '../auth/password';
import { limitAnonymous } from '../auth/limits';
import { hashToken } from '../domain/invitation-token';
import type { Executor } from '../../db/client';
import {
  channelServices, gtcAcceptances, gtcVersions, locations, organisations, partnerInvitations, partnershipLocations, partnerships,
  physicianLocations, physicianQualifications, services, users,
} from '../../db/schema';
import { CURRENT_GTC_VERSION } from '../../db/gtc';
import { enqueuePartnerInvitation, enqueueSignal, partnerInvitationWorkflowId } from '../workflow-outbox';
import { contactLocale } from '../domain/contact-locale';
import { mysqlErrorCode, withRetry } from '../../db/retry';
import { lockOrganisation, memberCount, revokeOpenRounds } from '../partners/paths';

type User = NonNullable<Context['session']>['user'];

async function currentGtc(db: Executor) {
  const [gtc] = await db.select().from(gtcVersions).where(eq(gtcVersions.version, CURRENT_GTC_VERSION));
  if (!gtc) throw new Error(`GTC version ${CURRENT_GTC_VERSION} is missing: run the migrations`);
  return gtc;
}

export async function hasAcceptedCurrentGtc(db: Executor, organisationId: number): Promise<boolean> {
  const rows = await db.select({ id: gtcAcceptances.id }).from(gtcAcceptances)
    .innerJoin(gtcVersions, eq(gtcVersions.id, gtcAcceptances.gtcVersionId))
    .where(and(eq(gtcAcceptances.organisationId, organisationId), eq(gtcVersions.version, CURRENT_GTC_VERSION))).limit(1);
  return rows.length > 0;
}

/** Partnerships of the caller's organisation as a partner, with the institution's name and granted locations. */
async function partnershipsOfPartner(db: Executor, user: User, statuses: ('pending_approval' | 'active')[]) {
  const rows = await db.select({
    id: partnerships.id, status: partnerships.status, institutionName: organisations.name, institutionTimeZone: organisations.timeZone,
    commissionType: partnerships.commissionType, commissionValue: partnerships.commissionValue, commissionCurrency: partnerships.commissionCurrency,
    paymentLocation: partnerships.paymentLocation, patientDataAccess: partnerships.patientDataAccess,
    invitedAt: partnerships.invitedAt, acceptedAt: partnerships.acceptedAt,
  }).from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.institutionId))
    .where(and(eq(partnerships.partnerOrganisationId, user.organisationId), inArray(partnerships.status, statuses)))
    .orderBy(asc(organisations.name));
  const ids = rows.map((r) => r.id);
  const locs = ids.length === 0 ? [] : await db.select({ partnershipId: partnershipLocations.partnershipId, name: locations.name, address: locations.address })
    .from(partnershipLocations).innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .where(inArray(partnershipLocations.partnershipId, ids)).orderBy(asc(locations.name));
  const invitations = ids.length === 0 ? [] : await db.select({ partnershipId: partnerInvitations.partnershipId, expiresAt: partnerInvitations.expiresAt })
    .from(partnerInvitations)
    .where(and(inArray(partnerInvitations.partnershipId, ids), isNull(partnerInvitations.revokedAt), isNull(partnerInvitations.usedAt)))
    .orderBy(desc(partnerInvitations.id));
  const authorised = await authorisedServices(db, ids);
  return rows.map((r) => ({
    ...r, invitedAt: r.invitedAt.toISOString(), acceptedAt: r.acceptedAt?.toISOString() ?? null,
    locations: locs.filter((l) => l.partnershipId === r.id).map(({ name, address }) => ({ name, address })),
    expiresAt: invitations.find((i) => i.partnershipId === r.id)?.expiresAt.toISOString() ?? null,
    services: authorised.filter((a) => a.partnershipId === r.id).map(({ partnershipId: _p, ...svc }) => svc),
  }));
}

/**
 * The services each partnership may book: ticked in its traffic-channel column and offered (a physician with the
 * service's qualification works there) at one of its granted locations.
 */
export async function authorisedServices(db: Executor, partnershipIds: number[]) {
  if (partnershipIds.length === 0) return [];
  const ticked = await db.select({
    partnershipId: channelServices.partnershipId, serviceId: services.id, name: services.name, qualificationId: services.qualificationId,
    durationMinutes: services.durationMinutes, priceMinor: services.priceMinor, currency: services.currency,
  }).from(channelServices).innerJoin(services, eq(services.id, channelServices.serviceId))
    .where(inArray(channelServices.partnershipId, partnershipIds)).orderBy(asc(services.name));
  if (ticked.length === 0) return [];
  const offered = await db.selectDistinct({ partnershipId: partnershipLocations.partnershipId, qualificationId: physicianQualifications.qualificationId, locationName: locations.name })
    .from(partnershipLocations)
    .innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .innerJoin(physicianLocations, eq(physicianLocations.locationId, partnershipLocations.locationId))
    .innerJoin(physicianQualifications, eq(physicianQualifications.physicianId, physicianLocations.physicianId))
    .where(inArray(partnershipLocations.partnershipId, partnershipIds));
  return ticked.map((t) => ({
    ...t,
    partnershipId: t.partnershipId!,
    locations: [...new Set(offered.filter((o) => o.partnershipId === t.partnershipId && o.qualificationId === t.qualificationId).map((o) => o.locationName))].sort(),
  })).filter((t) => t.locations.length > 0);
}

const tokenField = z.string({ error: 'invitation.invalid' }).min(1, 'invitation.invalid').max(200, 'invitation.invalid');

type RegistrationState = 'valid' | 'invalid' | 'expired' | 'used' | 'revoked' | 'withdrawn';

function registrationState(inv: typeof partnerInvitations.$inferSelect, p: typeof partnerships.$inferSelect): RegistrationState {
  return inv.usedAt || p.status === 'active' || p.status === 'ended' ? 'used'
    : p.status === 'withdrawn' ? 'withdrawn'
    : p.status === 'expired' || inv.expiresAt <= new Date() ? 'expired'
    : inv.revokedAt || p.status !== 'pending_registration' ? 'revoked'
    : 'valid';
}

async function findRegistration(db: Executor, token: string) {
  const [row] = await db.select({ inv: partnerInvitations, p: partnerships }).from(partnerInvitations)
    .innerJoin(partnerships, eq(partnerships.id, partnerInvitations.partnershipId))
    .where(and(eq(partnerInvitations.tokenHash, hashToken(token)), eq(partnerInvitations.kind, 'registration'))).limit(1);
  if (!row) return { state: 'invalid' as RegistrationState, row: null };
  return { state: registrationState(row.inv, row.p), row };
}

export const partnerPortalRouter = router({
  /** Pending invitations to the caller's organisation (partner admins answer them). */
  invitations: adminProcedure.query(async ({ ctx }) => {
    const rows = await partnershipsOfPartner(ctx.db, ctx.user, ['pending_approval']);
    const gtcRequired = !(await hasAcceptedCurrentGtc(ctx.db, ctx.user.organisationId));
    const gtc = gtcRequired ? await currentGtc(ctx.db) : null;
    return { invitations: rows, gtc: gtc ? { version: gtc.version, bodyEn: gtc.bodyEn, bodyRo: gtc.bodyRo } : null };
  }),

  /** The institutions the caller's organisation works with: active partnerships only, settings read-only. */
  institutions: authedProcedure.query(async ({ ctx }) => partnershipsOfPartner(ctx.db, ctx.user, ['active'])),

  approve: adminProcedure.input(z.object({ partnershipId: idField, acceptGtcVersion: z.string().max(32).optional() }))
    .mutation(async ({ ctx, input }) => {
      const changed = await ctx.db.transaction(async (tx) => {
        const p = await partnerSidePartnership(tx, ctx.user, input.partnershipId);
        if (p.status === 'active') return false; // a double click or a retried request changes nothing
        if (p.status !== 'pending_approval') throw new DomainError('CONFLICT', `partners.answer_${p.status === 'declined' ? 'declined' : 'closed'}`, 'partnershipId');
        const [inv] = await tx.select().from(partnerInvitations)
          .where(and(eq(partnerInvitations.partnershipId, p.id), isNull(partnerInvitations.revokedAt), isNull(partnerInvitations.usedAt)))
          .orderBy(desc(partnerInvitations.id)).limit(1);
        // The round may not be issued yet (the workflow starts after the commit): the pending status is what counts.
        if (inv && inv.expiresAt <= new Date()) throw new DomainError('BAD_REQUEST', 'partners.invitation_expired', 'partnershipId');
        const now = new Date();
        if (!(await hasAcceptedCurrentGtc(tx, ctx.user.organisationId))) {
          if (input.acceptGtcVersion !== CURRENT_GTC_VERSION) throw new DomainError('BAD_REQUEST', 'gtc.must_accept', 'acceptGtc');
          const gtc = await currentGtc(tx);
          await tx.insert(gtcAcceptances).values({ organisationId: ctx.user.organisationId, userId: ctx.user.id, gtcVersionId: gtc.id, partnershipId: p.id, acceptedAt: now, ip: ctx.ip });
        }
        await tx.update(partnerships).set({ status: 'active', acceptedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
        if (inv) await tx.update(partnerInvitations).set({ usedAt: now }).where(eq(partnerInvitations.id, inv.id));
        await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.approve', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'active' }, ip: ctx.ip });
        await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
        return true;
      });
      if (changed) ctx.workflows.dispatchSoon();
      return { ok: true as const };
    }),

  decline: adminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    const changed = await ctx.db.transaction(async (tx) => {
      const p = await partnerSidePartnership(tx, ctx.user, input.partnershipId);
      if (p.status === 'declined') return false;
      if (p.status !== 'pending_approval') throw new DomainError('CONFLICT', `partners.answer_${p.status === 'active' ? 'accepted' : 'closed'}`, 'partnershipId');
      const now = new Date();
      await tx.update(partnerships).set({ status: 'declined', closedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
      await tx.update(partnerInvitations).set({ revokedAt: now })
        .where(and(eq(partnerInvitations.partnershipId, p.id), isNull(partnerInvitations.revokedAt), isNull(partnerInvitations.usedAt)));
      await writeAudit(tx, { organisationId: p.institutionId, actorUserId: ctx.user.id, action: 'partnership.decline', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'declined' }, ip: ctx.ip });
      await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
      return true;
    });
    if (changed) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** What the registration page shows for a link: the invitation and the full GTC, or why the link cannot be used. */
  inspectRegistration: publicProcedure.input(z.object({ token: tokenField })).query(async ({ ctx, input }) => {
    const { state, row } = await findRegistration(ctx.db, input.token);
    if (state !== 'valid' || !row) return { state: state as Exclude<RegistrationState, 'valid'> };
    const [institution] = await ctx.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.p.institutionId));
    const [company] = await ctx.db.select().from(organisations).where(eq(organisations.id, row.p.partnerOrganisationId));
    const gtc = await currentGtc(ctx.db);
    return {
      state: 'valid' as const, institutionName: institution.name, companyName: company.name, contactName: row.p.contactName,
      contactEmail: row.p.contactEmail, expiresAt: row.inv.expiresAt.toISOString(),
      gtc: { version: gtc.version, bodyEn: gtc.bodyEn, bodyRo: gtc.bodyRo },
    };
  }),

  /** Registers the new partner's first administrator and records the GTC acceptance (version, time, user, IP). */
  register: publicProcedure.input(z.object({
    token: tokenField,
    name: requiredText(200),
    password: newPasswordField,
    passwordConfirm: z.string({ error: 'validation.required' }),
    gtcVersion: z.string({ error: 'gtc.must_accept' }).max(32),
    acceptGtc: z.literal(true, { error: 'gtc.must_accept' }),
    /** The language the person registered in (the page opens in the email's); the account keeps it. */
    locale: localeField.optional(),
  }).refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'validation.passwords_differ', ...whenFieldsValid('password', 'passwordConfirm') }))
    .mutation(async ({ ctx, input }) => {
      await limitAnonymous(ctx.db, ctx.config, ctx.ip, input.token);
      // The link first: an invalid one costs no argon2 work (decision 010). Checked again under locks below.
      const seen = await findRegistration(ctx.db, input.token);
      if (!seen.row || seen.state !== 'valid') {
        throw new DomainError('BAD_REQUEST', seen.state === 'withdrawn' ? 'partners.invitation_withdrawn' : `invitation.${seen.state}`, 'token');
      }
      if (input.gtcVersion !== CURRENT_GTC_VERSION) throw new DomainError('BAD_REQUEST', 'gtc.version_outdated', 'acceptGtc');
      const passwordHash = await hashPassword(input.password, 'anonymous').catch((err) => {
        if (err instanceof PasswordServiceBusy) throw new DomainError('TOO_MANY_REQUESTS', 'request.busy');
        throw err;
      });
      const register = () => ctx.db.transaction(async (tx) => {
        const found = await findRegistration(tx, input.token);
        if (!found.row) return { state: found.state, email: null };
        // Lock order: organisation, partnership, invitation — as in "Add partner" and resend. Then decide from locked
        // rows only (locking reads see the latest commit), so a double submit registers once.
        const company = await lockOrganisation(tx, found.row.p.partnerOrganisationId);
        const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, found.row.p.id)).for('update');
        const [inv] = await tx.select().from(partnerInvitations).where(eq(partnerInvitations.id, found.row.inv.id)).for('update');
        const state = registrationState(inv, p);
        if (state !== 'valid') return { state, email: null };
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
        await tx.insert(gtcAcceptances).values({ organisationId: company.id, userId, gtcVersionId: gtc.id, partnershipId: p.id, acceptedAt: now, ip: ctx.ip });
        await tx.update(partnerships).set({ status: 'active', acceptedAt: now, updatedAt: now }).where(eq(partnerships.id, p.id));
        await tx.update(partnerInvitations).set({ usedAt: now }).where(eq(partnerInvitations.id, inv.id));
        await writeAudit(tx, { organisationId: p.institutionId, actorUserId: userId, action: 'partnership.register', objectType: 'partnership', objectId: p.id, before: { status: p.status }, after: { status: 'active', gtcVersion: gtc.version }, ip: ctx.ip });
        await enqueueSignal(tx, partnerInvitationWorkflowId(p.id), 'decided');
        // Every other open invitation to this organisation is now answered in the app by its new administrator.
        const others = await tx.select().from(partnerships)
          .where(and(eq(partnerships.partnerOrganisationId, company.id), inArray(partnerships.status, ['pending_approval', 'pending_registration']), ne(partnerships.id, p.id))).for('update');
        for (const o of others) {
          if (o.status === 'pending_registration') {
            await tx.update(partnerships).set({ status: 'pending_approval', updatedAt: now }).where(eq(partnerships.id, o.id));
            await revokeOpenRounds(tx, o.id, now);
            await writeAudit(tx, { organisationId: o.institutionId, actorUserId: userId, action: 'partnership.path_change', objectType: 'partnership', objectId: o.id, before: { status: o.status }, after: { status: 'pending_approval' }, ip: ctx.ip });
          }
          await enqueuePartnerInvitation(tx, { partnershipId: o.id, institutionId: o.institutionId, reminderOffsetsMs: ctx.config.partnerReminderOffsetsMs, expiresAfterMs: ctx.config.partnerInvitationExpiryMs }, 'restart');
        }
        return { state: 'valid' as const, email: p.contactEmail };
      });
      const result = await withRetry(register);
      if (result.state !== 'valid' || !result.email) {
        throw new DomainError('BAD_REQUEST', result.state === 'withdrawn' ? 'partners.invitation_withdrawn' : `invitation.${result.state}`, 'token');
      }
      ctx.workflows.dispatchSoon();
      return { ok: true as const, email: result.email };
    }),
});
