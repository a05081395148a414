/**
 * Administration / Partner Module list: one row per partner organisation, showing its current partnership with this
 * institution. "Delete partner" ends a partnership and inviting the same company again creates a new one, so an
 * organisation can have several partnerships over time; the current one is its open partnership (active or pending —
 * at most one exists, see createPartnership), else its latest. The others are its earlier partnerships, returned with
 * the row for the partner's page ("Earlier partnerships").
 *
 * Filters: "current" (the default: active and pending partners), "ended" (the current partnership is closed: ended,
 * withdrawn, declined or expired) and "all"; optionally one status of the current partnership. Search, sorting and
 * the 500-row cap are those of the list before.
 */
import { z } from 'zod';
import { and, asc, desc, eq, inArray, like, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { locations, organisations, partnershipLocations, partnerships, PARTNERSHIP_STATUSES } from '../../db/schema';
import { OPEN_STATUSES } from '../domain/partnership-status';
import { idField } from '../validation';
import { AccessDenied } from '../authz';

export const PARTNER_LIST_FILTERS = ['current', 'ended', 'all'] as const;
export const PARTNER_LIST_SORTS = ['company', 'status', 'invitedAt', 'acceptedAt'] as const;
export const PARTNER_LIST_LIMIT = 500;

export const partnerListInput = z.object({
  // Ill-formed text is refused for every input in trpc.ts (auth.hardening.test relies on this field having no own rule).
  search: z.string().trim().max(200, 'validation.too_long').optional(),
  filter: z.enum(PARTNER_LIST_FILTERS, { error: 'validation.invalid' }).default('current'),
  status: z.enum(PARTNERSHIP_STATUSES, { error: 'validation.invalid' }).optional(),
  /** Only the partner organisation of this partnership (its page asks for its earlier partnerships this way). */
  partnershipId: idField.optional(),
  sort: z.enum(PARTNER_LIST_SORTS, { error: 'validation.invalid' }).default('invitedAt'),
  direction: z.enum(['asc', 'desc'], { error: 'validation.invalid' }).default('desc'),
});
export type PartnerListInput = z.infer<typeof partnerListInput>;

const OPEN = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));

export async function listPartners(db: Executor, institutionId: number, input: PartnerListInput) {
  // The current partnership of each partner organisation: open first, then the latest invited.
  const ranked = db.select({
    id: partnerships.id,
    rank: sql<number>`row_number() over (partition by ${partnerships.partnerOrganisationId}
      order by case when ${partnerships.status} in (${OPEN}) then 0 else 1 end, ${partnerships.invitedAt} desc, ${partnerships.id} desc)`.as('current_rank'),
  }).from(partnerships).where(eq(partnerships.institutionId, institutionId)).as('ranked');

  const conditions: SQL[] = [eq(partnerships.institutionId, institutionId), eq(ranked.rank, 1)];
  if (input.filter === 'current') conditions.push(inArray(partnerships.status, [...OPEN_STATUSES]));
  if (input.filter === 'ended') conditions.push(notInArray(partnerships.status, [...OPEN_STATUSES]));
  if (input.status) conditions.push(eq(partnerships.status, input.status));
  if (input.partnershipId !== undefined) {
    const [own] = await db.select({ id: partnerships.id }).from(partnerships)
      .where(and(eq(partnerships.id, input.partnershipId), eq(partnerships.institutionId, institutionId)));
    if (!own) throw new AccessDenied('partners.not_found', 'partnershipId');
    conditions.push(sql`${partnerships.partnerOrganisationId} = (select p2.partner_organisation_id from partnerships p2
      where p2.id = ${input.partnershipId} and p2.institution_id = ${institutionId})`);
  }
  if (input.search) {
    const term = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(like(organisations.name, term), like(organisations.taxNumber, term), like(partnerships.contactName, term),
      like(partnerships.contactEmail, term), like(partnerships.contactPhone, term))!);
  }
  const column = { company: organisations.name, status: partnerships.status, invitedAt: partnerships.invitedAt, acceptedAt: partnerships.acceptedAt }[input.sort];
  const rows = await db.select({
    id: partnerships.id, partnerOrganisationId: partnerships.partnerOrganisationId, status: partnerships.status,
    companyName: organisations.name, taxNumber: organisations.taxNumber, country: organisations.country,
    contactName: partnerships.contactName, contactEmail: partnerships.contactEmail, contactPhone: partnerships.contactPhone,
    commissionType: partnerships.commissionType, commissionValue: partnerships.commissionValue, commissionCurrency: partnerships.commissionCurrency,
    paymentLocation: partnerships.paymentLocation, patientDataAccess: partnerships.patientDataAccess,
    invitedAt: partnerships.invitedAt, acceptedAt: partnerships.acceptedAt, closedAt: partnerships.closedAt,
  }).from(partnerships)
    .innerJoin(ranked, eq(ranked.id, partnerships.id))
    .innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(and(...conditions))
    .orderBy(input.direction === 'asc' ? asc(column) : desc(column), asc(partnerships.id)).limit(PARTNER_LIST_LIMIT);

  const ids = rows.map((r) => r.id);
  const organisationIds = rows.map((r) => r.partnerOrganisationId);
  const locs = ids.length === 0 ? [] : await db.select({ partnershipId: partnershipLocations.partnershipId, name: locations.name })
    .from(partnershipLocations).innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .where(inArray(partnershipLocations.partnershipId, ids)).orderBy(asc(locations.name));
  const earlier = ids.length === 0 ? [] : await db.select({
    id: partnerships.id, partnerOrganisationId: partnerships.partnerOrganisationId, status: partnerships.status,
    invitedAt: partnerships.invitedAt, acceptedAt: partnerships.acceptedAt, closedAt: partnerships.closedAt,
  }).from(partnerships)
    .where(and(eq(partnerships.institutionId, institutionId), inArray(partnerships.partnerOrganisationId, organisationIds), notInArray(partnerships.id, ids)))
    .orderBy(desc(partnerships.invitedAt), desc(partnerships.id));
  return rows.map(({ partnerOrganisationId, ...r }) => ({
    ...r, invitedAt: r.invitedAt.toISOString(), acceptedAt: r.acceptedAt?.toISOString() ?? null, closedAt: r.closedAt?.toISOString() ?? null,
    locations: locs.filter((l) => l.partnershipId === r.id).map((l) => l.name),
    /** The partner's earlier partnerships with this institution, newest first. */
    earlier: earlier.filter((e) => e.partnerOrganisationId === partnerOrganisationId).map((e) => ({
      id: e.id, status: e.status, invitedAt: e.invitedAt.toISOString(), acceptedAt: e.acceptedAt?.toISOString() ?? null,
      closedAt: e.closedAt?.toISOString() ?? null,
    })),
  }));
}
