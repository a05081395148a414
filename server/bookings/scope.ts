/**
 * Who may book where. A booker's scope at an institution is its organisation's ACTIVE partnership there: only the
 * locations granted to the partnership and only the services ticked in the partnership's traffic-channel column. An
 * institution member's scope is its own institution (every location and service). Every booking operation and the
 * calendars resolve the caller's scope here, with a constant number of queries however many partnerships there are.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import {
  channelServices, locations, organisations, partnershipLocations, partnerships, physicianLocations, physicianQualifications,
  physicians, qualifications, services,
} from '../../db/schema';
import type { SessionUser } from '../auth/session';
import { AccessDenied } from '../authz';

export type Partnership = typeof partnerships.$inferSelect;
export type Service = typeof services.$inferSelect;
export interface LocationRow { id: number; name: string; timeZone: string; organisationId: number }

/** What one institution lets the caller book: its partnership (null for the institution's own staff). */
export interface Scope {
  institutionId: number;
  institutionName: string;
  institutionCountry: string;
  partnership: Partnership | null;
  locations: LocationRow[];
  services: Service[];
}

/** The booker's scopes: one per institution where its organisation is an active partner (optionally one institution). */
export async function bookerScopes(db: Executor, user: Pick<SessionUser, 'organisationId'>, institutionId?: number): Promise<Scope[]> {
  const rows = await db.select({ p: partnerships, name: organisations.name, country: organisations.country })
    .from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.institutionId))
    .where(and(eq(partnerships.partnerOrganisationId, user.organisationId), eq(partnerships.status, 'active'),
      institutionId ? eq(partnerships.institutionId, institutionId) : undefined))
    .orderBy(asc(organisations.name));
  // Asked for one institution: not an active partner there is "not found", not an empty scope.
  if (institutionId !== undefined && rows.length === 0) throw new AccessDenied('bookings.no_partnership', 'institutionId');
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.p.id);
  const locs = await db.select({ partnershipId: partnershipLocations.partnershipId, id: locations.id, name: locations.name, timeZone: locations.timeZone, organisationId: locations.organisationId })
    .from(partnershipLocations).innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .where(inArray(partnershipLocations.partnershipId, ids)).orderBy(asc(locations.name));
  const svcs = await db.select({ partnershipId: channelServices.partnershipId, s: services })
    .from(channelServices).innerJoin(services, eq(services.id, channelServices.serviceId))
    .where(inArray(channelServices.partnershipId, ids)).orderBy(asc(services.name));
  return rows.map((r) => ({
    institutionId: r.p.institutionId, institutionName: r.name, institutionCountry: r.country, partnership: r.p,
    // A location or service of another institution can never be in scope, whatever the link tables say.
    locations: locs.filter((l) => l.partnershipId === r.p.id && l.organisationId === r.p.institutionId)
      .map(({ partnershipId: _p, ...l }) => l),
    services: svcs.filter((s) => s.partnershipId === r.p.id && s.s.organisationId === r.p.institutionId).map((s) => s.s),
  }));
}

/** The booker's scope at one institution, or "not found" when its organisation is not an active partner there. */
export async function bookerScope(db: Executor, user: Pick<SessionUser, 'organisationId'>, institutionId: number): Promise<Scope> {
  const [scope] = await bookerScopes(db, user, institutionId);
  if (!scope) throw new AccessDenied('bookings.no_partnership', 'institutionId');
  return scope;
}

/**
 * The booker's scope at one institution narrowed to one location and one service (booking create: one statement
 * instead of three). `locations` holds the location only when it is the institution's and granted to the
 * partnership, `services` the service only when it is the institution's and ticked in the partnership's column — what
 * `bookerScope` would list for those ids. "Not found" when the organisation is not an active partner there.
 */
export async function bookerScopeAt(db: Db, user: Pick<SessionUser, 'organisationId'>, institutionId: number,
  want: { locationId: number; serviceId: number }): Promise<Scope> {
  let q = scopeAtQueries.get(db);
  if (!q) { q = buildScopeAtQuery(db); scopeAtQueries.set(db, q); }
  const [row] = await q.execute({ organisationId: user.organisationId, institutionId, locationId: want.locationId, serviceId: want.serviceId });
  if (!row) throw new AccessDenied('bookings.no_partnership', 'institutionId');
  return {
    institutionId: row.p.institutionId, institutionName: row.name, institutionCountry: row.country, partnership: row.p,
    locations: row.location ? [row.location] : [], services: row.service ? [row.service] : [],
  };
}

/** bookerScopeAt's statement, built once per database (a prepared drizzle query: no SQL building per booking). */
function buildScopeAtQuery(db: Db) {
  const p = (name: string) => sql.placeholder(name);
  return db.select({
    p: partnerships, name: organisations.name, country: organisations.country,
    location: { id: locations.id, name: locations.name, timeZone: locations.timeZone, organisationId: locations.organisationId },
    service: services,
  }).from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.institutionId))
    .leftJoin(partnershipLocations, and(eq(partnershipLocations.partnershipId, partnerships.id), eq(partnershipLocations.locationId, p('locationId'))))
    .leftJoin(locations, and(eq(locations.id, partnershipLocations.locationId), eq(locations.organisationId, partnerships.institutionId)))
    .leftJoin(channelServices, and(eq(channelServices.partnershipId, partnerships.id), eq(channelServices.serviceId, p('serviceId'))))
    .leftJoin(services, and(eq(services.id, channelServices.serviceId), eq(services.organisationId, partnerships.institutionId)))
    .where(and(eq(partnerships.partnerOrganisationId, p('organisationId')), eq(partnerships.status, 'active'), eq(partnerships.institutionId, p('institutionId'))))
    .orderBy(asc(partnerships.id)).limit(1).prepare();
}
const scopeAtQueries = new WeakMap<Db, ReturnType<typeof buildScopeAtQuery>>();

/**
 * The institution's own scope. `channel` narrows services to a traffic channel ('phone', or a partnership's column for
 * a booking a partner phoned in); without it every service is in scope.
 */
export async function institutionScope(db: Executor, institutionId: number, channel?: { key: string }): Promise<Scope> {
  const [org] = await db.select({ name: organisations.name, country: organisations.country }).from(organisations).where(eq(organisations.id, institutionId));
  const locs = await db.select({ id: locations.id, name: locations.name, timeZone: locations.timeZone, organisationId: locations.organisationId })
    .from(locations).where(eq(locations.organisationId, institutionId)).orderBy(asc(locations.name));
  const svcs = channel
    ? (await db.select({ s: services }).from(channelServices).innerJoin(services, eq(services.id, channelServices.serviceId))
        .where(and(eq(channelServices.institutionId, institutionId), eq(channelServices.channelKey, channel.key))).orderBy(asc(services.name))).map((r) => r.s)
    : await db.select().from(services).where(eq(services.organisationId, institutionId)).orderBy(asc(services.name));
  return { institutionId, institutionName: org?.name ?? '', institutionCountry: org?.country ?? 'RO', partnership: null, locations: locs, services: svcs };
}

export interface PhysicianRow { id: number; name: string; organisationId: number; qualificationIds: number[]; locationIds: number[] }

/**
 * Physicians of the given institutions with their qualifications and locations: three queries, sent together (the
 * links are selected by the physicians' institution, not by a list of their IDs).
 */
export async function physiciansOf(db: Executor, institutionIds: number[]): Promise<PhysicianRow[]> {
  if (institutionIds.length === 0) return [];
  const ofInstitutions = inArray(physicians.organisationId, institutionIds);
  const [docs, quals, locs] = await Promise.all([
    db.select({ id: physicians.id, name: physicians.name, organisationId: physicians.organisationId }).from(physicians)
      .where(ofInstitutions).orderBy(asc(physicians.name)),
    db.select({ physicianId: physicianQualifications.physicianId, qualificationId: physicianQualifications.qualificationId })
      .from(physicianQualifications).innerJoin(physicians, eq(physicians.id, physicianQualifications.physicianId)).where(ofInstitutions)
      .orderBy(asc(physicianQualifications.physicianId), asc(physicianQualifications.qualificationId)),
    db.select({ physicianId: physicianLocations.physicianId, locationId: physicianLocations.locationId })
      .from(physicianLocations).innerJoin(physicians, eq(physicians.id, physicianLocations.physicianId)).where(ofInstitutions)
      .orderBy(asc(physicianLocations.physicianId), asc(physicianLocations.locationId)),
  ]);
  const qualificationIds = new Map<number, number[]>();
  for (const q of quals) (qualificationIds.get(q.physicianId) ?? qualificationIds.set(q.physicianId, []).get(q.physicianId)!).push(q.qualificationId);
  const locationIds = new Map<number, number[]>();
  for (const l of locs) (locationIds.get(l.physicianId) ?? locationIds.set(l.physicianId, []).get(l.physicianId)!).push(l.locationId);
  return docs.map((d) => ({
    id: d.id, name: d.name, organisationId: d.organisationId,
    qualificationIds: qualificationIds.get(d.id) ?? [], locationIds: locationIds.get(d.id) ?? [],
  }));
}

export async function qualificationsOf(db: Executor, institutionIds: number[]) {
  if (institutionIds.length === 0) return [];
  return db.select({ id: qualifications.id, name: qualifications.name, organisationId: qualifications.organisationId })
    .from(qualifications).where(inArray(qualifications.organisationId, institutionIds)).orderBy(asc(qualifications.name));
}

/** The services of a scope that a physician can perform (by qualification) at a location the scope includes. */
export function servicesFor(scope: Scope, physician: PhysicianRow, locationId: number): Service[] {
  if (physician.organisationId !== scope.institutionId) return [];
  if (!physician.locationIds.includes(locationId) || !scope.locations.some((l) => l.id === locationId)) return [];
  return scope.services.filter((s) => physician.qualificationIds.includes(s.qualificationId));
}
