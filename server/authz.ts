/**
 * The one authorisation module. Every tRPC procedure declares a policy (who may call it at all) in its meta, enforced
 * by one middleware in trpc.ts; object-level checks (which institution, organisation or partnership an object belongs
 * to) are the scoped loaders below, which treat another tenant's object as "not found". Every denial of a signed-in
 * caller is written to the audit log. server/authz.matrix.test.ts checks every procedure × role × tenant.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { locations, partnerships, users } from '../db/schema';
import { DomainError } from './errors';
import type { SessionUser } from './auth/session';

export type Policy =
  /** Anyone, signed in or not (sign-in, invitation links). */
  | 'public'
  /** Any signed-in, active user. */
  | 'signedIn'
  /** An administrator of the caller's own organisation (institution admin or partner admin). */
  | 'orgAdmin'
  /** An administrator of an institution. */
  | 'institutionAdmin'
  /** A user holding "Can book to partner institution". */
  | 'booker'
  /** Any user of an institution (admin or staff): its own bookings calendar. */
  | 'institutionMember';

export interface Meta { policy: Policy }

export type PolicyDecision = 'allow' | 'unauthenticated' | 'forbidden';

export function decide(policy: Policy, user: SessionUser | null): PolicyDecision {
  if (policy === 'public') return 'allow';
  if (!user) return 'unauthenticated';
  switch (policy) {
    case 'signedIn': return 'allow';
    case 'orgAdmin': return user.role === 'admin' ? 'allow' : 'forbidden';
    case 'institutionAdmin': return user.role === 'admin' && user.isInstitution ? 'allow' : 'forbidden';
    case 'booker': return user.canBookPartner ? 'allow' : 'forbidden';
    case 'institutionMember': return user.isInstitution ? 'allow' : 'forbidden';
  }
}

/** An object outside the caller's tenant: reported as "not found" so that its existence does not leak. */
export class AccessDenied extends DomainError {
  constructor(key: string, field?: string) {
    super('NOT_FOUND', key, field);
    this.name = 'AccessDenied';
  }
}

type Caller = Pick<SessionUser, 'id' | 'organisationId'>;

/** A user of the caller's organisation, locked for update. */
export async function ownOrganisationUser(tx: Executor, caller: Caller, userId: number) {
  const [user] = await tx.select().from(users)
    .where(and(eq(users.id, userId), eq(users.organisationId, caller.organisationId))).for('update');
  if (!user) throw new AccessDenied('users.not_found', 'userId');
  return user;
}

/** A partnership of the caller's institution, locked for update. */
export async function institutionPartnership(tx: Executor, caller: Caller, partnershipId: number) {
  const [p] = await tx.select().from(partnerships)
    .where(and(eq(partnerships.id, partnershipId), eq(partnerships.institutionId, caller.organisationId))).for('update');
  if (!p) throw new AccessDenied('partners.not_found', 'partnershipId');
  return p;
}

/** A partnership in which the caller's organisation is the partner, locked for update. */
export async function partnerSidePartnership(tx: Executor, caller: Caller, partnershipId: number) {
  const [p] = await tx.select().from(partnerships)
    .where(and(eq(partnerships.id, partnershipId), eq(partnerships.partnerOrganisationId, caller.organisationId))).for('update');
  if (!p) throw new AccessDenied('partners.not_found', 'partnershipId');
  return p;
}

/** Checks that every location belongs to the caller's institution; returns them de-duplicated. */
export async function institutionLocationIds(db: Executor, caller: Caller, locationIds: number[], field = 'locationIds') {
  const unique = [...new Set(locationIds)];
  if (unique.length === 0) return unique;
  const own = await db.select({ id: locations.id }).from(locations)
    .where(and(eq(locations.organisationId, caller.organisationId), inArray(locations.id, unique)));
  if (own.length !== unique.length) throw new AccessDenied('partners.location_foreign', field);
  return unique;
}
