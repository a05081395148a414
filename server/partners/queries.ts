/**
 * What the partner pages read: the "Add New Partner" form options, a partnership's detail page and delete impact
 * (institution side), the partner's own invitations and institutions with their authorised services (partner side),
 * the GTC, and a registration link's state. Plain functions over an executor; no writes.
 */
import { and, asc, count, desc, eq, gt, inArray, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import {
  bookings, channelServices, gtcAcceptances, gtcVersions, locations, organisations, partnerInvitations, partnershipLocations, partnerships,
  physicianLocations, physicianQualifications, services,
} from '../../db/schema';
import { CURRENT_GTC_VERSION } from '../../db/gtc';
import { AccessDenied } from '../authz';
import type { SessionUser } from '../auth/session';
import { COUNTRIES } from '../domain/countries';
import { hashToken } from '../domain/invitation-token';
import { isPending, type PartnershipStatus } from '../domain/partnership-status';
import { memberCount } from './paths';

export type Partnership = typeof partnerships.$inferSelect;

/** The settings an institution grants a partner, as the forms show them (and the audit log keeps them). */
export function settingsView(p: Partnership, locationIds: number[]) {
  return {
    contactName: p.contactName, contactEmail: p.contactEmail, contactPhone: p.contactPhone, locationIds,
    commissionType: p.commissionType, commissionValue: p.commissionValue, commissionCurrency: p.commissionCurrency,
    paymentLocation: p.paymentLocation, patientDataAccess: p.patientDataAccess,
  };
}

export async function locationIdsOf(db: Executor, partnershipId: number) {
  const rows = await db.select({ id: partnershipLocations.locationId }).from(partnershipLocations)
    .where(eq(partnershipLocations.partnershipId, partnershipId)).orderBy(asc(partnershipLocations.locationId));
  return rows.map((r) => r.id);
}

export async function futureBookingCount(db: Executor, partnershipId: number) {
  const [{ n }] = await db.select({ n: count() }).from(bookings)
    .where(and(eq(bookings.partnershipId, partnershipId), gt(bookings.startsAt, new Date()), eq(bookings.status, 'booked')));
  return n;
}

/** An institution may correct a partner's company data only while no one else relies on it. */
export async function companyEditable(db: Executor, organisationId: number, institutionId: number): Promise<boolean> {
  const [org] = await db.select({ isInstitution: organisations.isInstitution }).from(organisations).where(eq(organisations.id, organisationId));
  if (!org || org.isInstitution) return false;
  const members = await memberCount(db, organisationId);
  const [{ n: others }] = await db.select({ n: count() }).from(partnerships)
    .where(and(eq(partnerships.partnerOrganisationId, organisationId), ne(partnerships.institutionId, institutionId)));
  return members === 0 && others === 0;
}

/** What the "Add New Partner" form needs: the institution's locations, currency and the supported countries. */
export async function partnerFormOptions(db: Executor, institutionId: number) {
  const [institution] = await db.select({ currency: organisations.currency, country: organisations.country })
    .from(organisations).where(eq(organisations.id, institutionId));
  const locs = await db.select({ id: locations.id, name: locations.name, address: locations.address, timeZone: locations.timeZone })
    .from(locations).where(eq(locations.organisationId, institutionId)).orderBy(asc(locations.name));
  return { currency: institution.currency ?? 'RON', defaultCountry: institution.country, countries: COUNTRIES, locations: locs };
}

/** A partnership's detail page (institution side); `invitationState` asks the running invitation workflow. */
export async function partnershipDetail<S>(db: Executor, user: SessionUser, partnershipId: number,
  invitationState: (partnershipId: number) => Promise<S | null>, workflowId: (partnershipId: number) => string) {
  const [row] = await db.select({ p: partnerships, org: organisations }).from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(and(eq(partnerships.id, partnershipId), eq(partnerships.institutionId, user.organisationId)));
  if (!row) throw new AccessDenied('partners.not_found', 'partnershipId');
  const { p, org } = row;
  const locationIds = await locationIdsOf(db, p.id);
  const [invitation] = await db.select().from(partnerInvitations).where(eq(partnerInvitations.partnershipId, p.id))
    .orderBy(desc(partnerInvitations.id)).limit(1);
  const [gtc] = await db.select({ version: gtcVersions.version, acceptedAt: gtcAcceptances.acceptedAt }).from(gtcAcceptances)
    .innerJoin(gtcVersions, eq(gtcVersions.id, gtcAcceptances.gtcVersionId))
    .where(eq(gtcAcceptances.organisationId, org.id)).orderBy(desc(gtcAcceptances.id)).limit(1);
  return {
    id: p.id, status: p.status,
    company: { name: org.name, country: org.country, taxNumber: org.taxNumber, registrationNumber: org.registrationNumber, address: org.address },
    /** Company data of an organisation with its own users is managed by that organisation. */
    companyEditable: await companyEditable(db, org.id, user.organisationId),
    settings: settingsView(p, locationIds),
    invitedAt: p.invitedAt.toISOString(), acceptedAt: p.acceptedAt?.toISOString() ?? null, closedAt: p.closedAt?.toISOString() ?? null,
    invitation: invitation ? {
      kind: invitation.kind, sentAt: invitation.createdAt.toISOString(), expiresAt: invitation.expiresAt.toISOString(),
      remindersSent: invitation.remindersSent, usedAt: invitation.usedAt?.toISOString() ?? null,
    } : null,
    gtc: gtc ? { version: gtc.version, acceptedAt: gtc.acceptedAt.toISOString() } : null,
    workflow: { id: workflowId(p.id), state: isPending(p.status) ? await invitationState(p.id) : null },
    futureBookings: await futureBookingCount(db, p.id),
  };
}

/** What the delete confirmation names: the partner and how many future bookings it has. */
export async function deleteImpact(db: Executor, user: SessionUser, partnershipId: number) {
  const [row] = await db.select({ status: partnerships.status, companyName: organisations.name }).from(partnerships)
    .innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(and(eq(partnerships.id, partnershipId), eq(partnerships.institutionId, user.organisationId)));
  if (!row) throw new AccessDenied('partners.not_found', 'partnershipId');
  return { companyName: row.companyName, status: row.status, futureBookings: await futureBookingCount(db, partnershipId) };
}

// ---------------------------------------------------------------------------------------------------------------
// Partner side

export async function currentGtc(db: Executor) {
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
export async function partnershipsOfPartner(db: Executor, user: SessionUser, statuses: PartnershipStatus[]) {
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

/** The invitations waiting for the caller's organisation's answer, with the GTC when it has not accepted the current one. */
export async function pendingInvitationsOfPartner(db: Executor, user: SessionUser) {
  const rows = await partnershipsOfPartner(db, user, ['pending_approval']);
  const gtcRequired = !(await hasAcceptedCurrentGtc(db, user.organisationId));
  const gtc = gtcRequired ? await currentGtc(db) : null;
  return { invitations: rows, gtc: gtc ? { version: gtc.version, bodyEn: gtc.bodyEn, bodyRo: gtc.bodyRo } : null };
}

/**
 * Partnerships of the caller's organisation that the institution ended, as the partner's "My institutions" lists them:
 * the latest per institution, and none for an institution it is an active partner of again (that one is listed as
 * active). With the end date and the terms it had; never bookable (booking scope stays on active partnerships).
 */
export async function endedPartnershipsOfPartner(db: Executor, user: SessionUser) {
  const rows = await db.select({
    id: partnerships.id, institutionId: partnerships.institutionId, institutionName: organisations.name, institutionTimeZone: organisations.timeZone,
    commissionType: partnerships.commissionType, commissionValue: partnerships.commissionValue, commissionCurrency: partnerships.commissionCurrency,
    paymentLocation: partnerships.paymentLocation, patientDataAccess: partnerships.patientDataAccess,
    acceptedAt: partnerships.acceptedAt, closedAt: partnerships.closedAt,
  }).from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.institutionId))
    .where(and(eq(partnerships.partnerOrganisationId, user.organisationId), eq(partnerships.status, 'ended')))
    .orderBy(desc(partnerships.closedAt), desc(partnerships.id));
  const current = await db.select({ institutionId: partnerships.institutionId }).from(partnerships)
    .where(and(eq(partnerships.partnerOrganisationId, user.organisationId), eq(partnerships.status, 'active')));
  const seen = new Set(current.map((c) => c.institutionId));
  const latest = rows.filter((r) => !seen.has(r.institutionId) && (seen.add(r.institutionId), true));
  const ids = latest.map((r) => r.id);
  const locs = ids.length === 0 ? [] : await db.select({ partnershipId: partnershipLocations.partnershipId, name: locations.name, address: locations.address })
    .from(partnershipLocations).innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .where(inArray(partnershipLocations.partnershipId, ids)).orderBy(asc(locations.name));
  return latest.map(({ institutionId: _i, closedAt, ...r }) => ({
    ...r, status: 'ended' as const, acceptedAt: r.acceptedAt?.toISOString() ?? null, endedAt: (closedAt ?? new Date(0)).toISOString(),
    locations: locs.filter((l) => l.partnershipId === r.id).map(({ name, address }) => ({ name, address })),
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

// ---------------------------------------------------------------------------------------------------------------
// Registration links

export type RegistrationState = 'valid' | 'invalid' | 'expired' | 'used' | 'revoked' | 'withdrawn';

export function registrationState(inv: typeof partnerInvitations.$inferSelect, p: Partnership): RegistrationState {
  return inv.usedAt || p.status === 'active' || p.status === 'ended' ? 'used'
    : p.status === 'withdrawn' ? 'withdrawn'
    : p.status === 'expired' || inv.expiresAt <= new Date() ? 'expired'
    : inv.revokedAt || p.status !== 'pending_registration' ? 'revoked'
    : 'valid';
}

export async function findRegistration(db: Executor, token: string) {
  const [row] = await db.select({ inv: partnerInvitations, p: partnerships }).from(partnerInvitations)
    .innerJoin(partnerships, eq(partnerships.id, partnerInvitations.partnershipId))
    .where(and(eq(partnerInvitations.tokenHash, hashToken(token)), eq(partnerInvitations.kind, 'registration'))).limit(1);
  if (!row) return { state: 'invalid' as RegistrationState, row: null };
  return { state: registrationState(row.inv, row.p), row };
}

/** What the registration page shows for a link: the invitation and the full GTC, or why the link cannot be used. */
export async function inspectRegistration(db: Executor, token: string) {
  const { state, row } = await findRegistration(db, token);
  if (state !== 'valid' || !row) return { state: state as Exclude<RegistrationState, 'valid'> };
  const [institution] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, row.p.institutionId));
  const [company] = await db.select().from(organisations).where(eq(organisations.id, row.p.partnerOrganisationId));
  const gtc = await currentGtc(db);
  return {
    state: 'valid' as const, institutionName: institution.name, companyName: company.name, contactName: row.p.contactName,
    contactEmail: row.p.contactEmail, expiresAt: row.inv.expiresAt.toISOString(),
    gtc: { version: gtc.version, bodyEn: gtc.bodyEn, bodyRo: gtc.bodyRo },
  };
}
