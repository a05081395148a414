/**
 * The authorisation matrix and the proof that tenants are apart, derived from the router: every procedure is called
 * over HTTP by every role of two mirrored tenants (test/tenants.ts: institutions A and B of the same shape, each with
 * its partner, users, patients, bookings, statements and audit rows), first on A's objects, then on B's.
 * A call is "denied" when it answers UNAUTHORIZED, FORBIDDEN or NOT_FOUND and "allowed" on success or a business
 * error (e.g. BAD_REQUEST); a 5xx is a verdict of its own that no row allows. Every successful answer is scanned for
 * the row IDs of the tenant the caller does not belong to (any one found fails), every person of the other tenant
 * tries the same input too, and a mutation by an outsider must leave the tenant's rows unchanged.
 * The test fails when a procedure has no entry here, so a new procedure cannot ship without its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { TRPCClientError } from '@trpc/client';
import { startHarness, DEMO, type Harness } from '../test/harness';
import { appRouter } from './router';
import { createSession } from './auth/session';
import {
  auditLog, bookings, gtcAcceptances, gtcVersions, organisations, partnershipLocations, partnerships, patients,
  scheduleExceptions, schedules, settlementStatements, users,
} from '../db/schema';
import { buildMirroredTenants, foreignIdsIn, tenantDigest, tenantIds, type Tenant } from '../test/tenants';
import { bookingCancelToken } from './domain/invitation-token';

const ROLES = [
  'anonymous', 'institutionAdmin', 'institutionStaff', 'institutionBooker', 'partnerAdmin', 'partnerBooker',
  'otherInstitutionAdmin', 'unrelatedPartnerAdmin', 'deactivated',
] as const;
type Role = (typeof ROLES)[number];

const EVERYONE: Role[] = [...ROLES];
const SIGNED_IN: Role[] = ROLES.filter((r) => r !== 'anonymous' && r !== 'deactivated');
const ORG_ADMINS: Role[] = ['institutionAdmin', 'partnerAdmin', 'otherInstitutionAdmin', 'unrelatedPartnerAdmin'];
const INSTITUTION_ADMINS: Role[] = ['institutionAdmin', 'otherInstitutionAdmin'];
const OUR_ADMIN: Role[] = ['institutionAdmin'];
const OUR_PARTNER_ADMIN: Role[] = ['partnerAdmin'];
/**
 * Users holding "Can book to partner institution": the target institution's admin and booker, its partner's admin and
 * booker, and the mirror institution's admin (who holds it too, and books only where its own organisation is a partner).
 */
const BOOKERS: Role[] = ['institutionAdmin', 'institutionBooker', 'partnerAdmin', 'partnerBooker', 'otherInstitutionAdmin'];
const OUR_PARTNER_BOOKERS: Role[] = ['partnerAdmin', 'partnerBooker'];
const OUR_MEMBERS: Role[] = ['institutionAdmin', 'institutionStaff', 'institutionBooker'];
const INSTITUTION_MEMBERS: Role[] = [...OUR_MEMBERS, 'otherInstitutionAdmin'];
/** A MedPlus booking at Someș: Someș's members and MedPlus's bookers. */
const BOOKING_VIEWERS: Role[] = [...OUR_MEMBERS, ...OUR_PARTNER_BOOKERS];

interface Fixtures {
  /** The target tenant's institution (A or its mirror B; the name is historical), its first location, qualification, physician and service. */
  someș: { id: number; locationId: number; qualificationId: number; physicianId: number; serviceId: number };
  activePartnershipId: number;
  newUser(status: 'active' | 'invited' | 'deactivated'): Promise<number>;
  newPartnership(status: 'pending_approval' | 'active'): Promise<number>;
  newRule(): Promise<number>;
  newException(): Promise<number>;
  /** A future MedPlus booking at Someș, through the active partnership. */
  newBooking(): Promise<number>;
  /** A slot input (location, physician, service, start, new patient, idempotency key) at Someș. */
  slot(): Record<string, unknown>;
  cancelToken(bookingId: number): string;
  unique(): string;
}

type Entry = { allow: Role[]; input: (fx: Fixtures) => unknown | Promise<unknown> };

/** Expected access for every procedure of the router, against the demo institution's and its partner's objects. */
const MATRIX: Record<string, Entry> = {
  'auth.signIn': { allow: EVERYONE, input: () => ({ email: DEMO.staff.email, password: DEMO.staff.password }) },
  'auth.signOut': { allow: EVERYONE, input: () => undefined },
  'auth.me': { allow: EVERYONE, input: () => undefined },
  'auth.setLocale': { allow: SIGNED_IN, input: () => ({ locale: 'en' }) },
  'auth.inspectInvitation': { allow: EVERYONE, input: () => ({ token: 'not-a-token' }) },
  'auth.acceptInvitation': { allow: EVERYONE, input: () => ({ token: 'not-a-token', password: 'long-enough-password', passwordConfirm: 'long-enough-password' }) },
  'auth.requestPasswordReset': { allow: EVERYONE, input: () => ({ email: 'nobody-in-the-matrix@example.com' }) },
  'auth.inspectPasswordReset': { allow: EVERYONE, input: () => ({ token: 'not-a-token' }) },
  'auth.resetPassword': { allow: EVERYONE, input: () => ({ token: 'not-a-token', password: 'long-enough-password', passwordConfirm: 'long-enough-password' }) },

  'users.list': { allow: ORG_ADMINS, input: () => undefined },
  'users.create': { allow: ORG_ADMINS, input: (fx) => ({ name: 'New User', email: `${fx.unique()}@example.com`, role: 'staff', canBookPartner: false, locale: 'en' }) },
  'users.update': { allow: OUR_ADMIN, input: async (fx) => ({ userId: await fx.newUser('active'), name: 'Renamed', role: 'staff', canBookPartner: true, locale: 'ro' }) },
  'users.deactivate': { allow: OUR_ADMIN, input: async (fx) => ({ userId: await fx.newUser('active') }) },
  'users.reactivate': { allow: OUR_ADMIN, input: async (fx) => ({ userId: await fx.newUser('deactivated') }) },
  'users.resendInvitation': { allow: OUR_ADMIN, input: async (fx) => ({ userId: await fx.newUser('invited') }) },

  'partners.formOptions': { allow: INSTITUTION_ADMINS, input: () => undefined },
  'partners.list': { allow: INSTITUTION_ADMINS, input: () => ({}) },
  'partners.invitationPreview': { allow: INSTITUTION_ADMINS, input: () => ({ country: 'RO', taxNumber: 'RO31275800' }) },
  'partners.get': { allow: OUR_ADMIN, input: (fx) => ({ partnershipId: fx.activePartnershipId }) },
  'partners.create': {
    allow: OUR_ADMIN,
    input: (fx) => ({
      country: 'DE', taxNumber: `DE${fx.unique().replace(/\D/g, '').slice(-9).padStart(9, '1')}`, registrationNumber: 'HRB 1', companyName: 'Neue Praxis GmbH',
      address: 'Berlin', contactName: 'A B', contactEmail: 'a@b.de', contactPhone: '+49 30 1234567', locationIds: [fx.someș.locationId],
      commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
    }),
  },
  'partners.update': {
    allow: OUR_ADMIN,
    input: (fx) => ({
      partnershipId: fx.activePartnershipId, contactName: 'Bogdan Marin', contactEmail: DEMO.partnerAdmin.email, contactPhone: '0722000000',
      locationIds: [fx.someș.locationId], commission: { type: 'percent', percent: '10' }, paymentLocation: 'partner', patientDataAccess: true,
    }),
  },
  'partners.resend': { allow: OUR_ADMIN, input: async (fx) => ({ partnershipId: await fx.newPartnership('pending_approval') }) },
  'partners.withdraw': { allow: OUR_ADMIN, input: async (fx) => ({ partnershipId: await fx.newPartnership('pending_approval') }) },
  'partners.deleteImpact': { allow: OUR_ADMIN, input: (fx) => ({ partnershipId: fx.activePartnershipId }) },
  'partners.delete': { allow: OUR_ADMIN, input: async (fx) => ({ partnershipId: await fx.newPartnership('active') }) },

  'partnerPortal.invitations': { allow: ORG_ADMINS, input: () => undefined },
  'partnerPortal.institutions': { allow: SIGNED_IN, input: () => undefined },
  'partnerPortal.endedPartnerships': { allow: SIGNED_IN, input: () => undefined },
  'partnerPortal.approve': { allow: OUR_PARTNER_ADMIN, input: async (fx) => ({ partnershipId: await fx.newPartnership('pending_approval') }) },
  'partnerPortal.decline': { allow: OUR_PARTNER_ADMIN, input: async (fx) => ({ partnershipId: await fx.newPartnership('pending_approval') }) },
  'partnerPortal.inspectRegistration': { allow: EVERYONE, input: () => ({ token: 'not-a-token' }) },
  'partnerPortal.register': { allow: EVERYONE, input: () => ({ token: 'not-a-token', name: 'X', password: 'long-enough-password', passwordConfirm: 'long-enough-password', gtcVersion: '2026-01', acceptGtc: true }) },

  'catalogue.overview': { allow: INSTITUTION_ADMINS, input: () => undefined },
  'catalogue.saveLocation': { allow: OUR_ADMIN, input: (fx) => ({ id: fx.someș.locationId, name: 'Someș Central', address: 'Str. Memorandumului 12, Cluj-Napoca', timeZone: 'Europe/Bucharest' }) },
  'catalogue.saveQualification': { allow: INSTITUTION_ADMINS, input: (fx) => ({ name: `Q ${fx.unique()}` }) },
  'catalogue.savePhysician': { allow: OUR_ADMIN, input: (fx) => ({ name: `Dr. ${fx.unique()}`, qualificationIds: [fx.someș.qualificationId], locationIds: [fx.someș.locationId] }) },
  'catalogue.saveService': { allow: OUR_ADMIN, input: (fx) => ({ qualificationId: fx.someș.qualificationId, name: `S ${fx.unique()}`, durationMinutes: 30, price: '100', currency: 'RON', cancellationWindowHours: 24 }) },
  'catalogue.schedule': { allow: OUR_ADMIN, input: (fx) => ({ physicianId: fx.someș.physicianId }) },
  'catalogue.saveRule': { allow: OUR_ADMIN, input: async (fx) => ({ id: await fx.newRule(), physicianId: fx.someș.physicianId, locationId: fx.someș.locationId, weekday: 7, startTime: '06:00', endTime: '07:00', weekParity: 'every', validFrom: '2031-01-01', validTo: null }) },
  'catalogue.deleteRule': { allow: OUR_ADMIN, input: async (fx) => ({ id: await fx.newRule() }) },
  'catalogue.saveException': { allow: OUR_ADMIN, input: (fx) => ({ physicianId: fx.someș.physicianId, locationId: fx.someș.locationId, date: '2031-05-01', kind: 'extra_hours', startTime: '20:00', endTime: '21:00' }) },
  'catalogue.deleteException': { allow: OUR_ADMIN, input: async (fx) => ({ id: await fx.newException() }) },

  'trafficChannels.matrix': { allow: INSTITUTION_ADMINS, input: () => undefined },
  'trafficChannels.save': { allow: OUR_ADMIN, input: (fx) => ({ changes: [{ serviceId: fx.someș.serviceId, channelKey: `partnership:${fx.activePartnershipId}`, enabled: true }] }) },

  'audit.list': { allow: INSTITUTION_ADMINS, input: () => ({}) },
  'audit.filters': { allow: INSTITUTION_ADMINS, input: () => undefined },
  'audit.forPartnership': { allow: OUR_ADMIN, input: (fx) => ({ partnershipId: fx.activePartnershipId }) },

  // Booking: "Can book to partner institution" holders book where their organisation is an active partner (MedPlus at
  // Someș here); a booking is visible to the institution's members and to the organisation that booked it.
  'bookings.bookingOptions': { allow: BOOKERS, input: () => undefined },
  'bookings.calendars': { allow: BOOKERS, input: () => ({ weekStart: '2031-03-03' }) },
  'bookings.myBookings': { allow: BOOKERS, input: () => ({ scope: 'upcoming' }) },
  'bookings.create': { allow: OUR_PARTNER_BOOKERS, input: (fx) => ({ ...fx.slot(), institutionId: fx.someș.id }) },
  'bookings.searchPatients': { allow: OUR_MEMBERS, input: (fx) => ({ institutionId: fx.someș.id, query: 'Pop' }) },
  'bookings.get': { allow: BOOKING_VIEWERS, input: async (fx) => ({ bookingId: await fx.newBooking() }) },
  'bookings.workflowStep': { allow: BOOKING_VIEWERS, input: async (fx) => ({ bookingId: await fx.newBooking() }) },
  'bookings.move': { allow: BOOKING_VIEWERS, input: async (fx) => ({ bookingId: await fx.newBooking(), version: 99, startsAt: '2031-03-03T08:00:00Z' }) },
  'bookings.cancel': { allow: BOOKING_VIEWERS, input: async (fx) => ({ bookingId: await fx.newBooking(), reason: 'Matrix' }) },
  'bookings.institutionOptions': { allow: INSTITUTION_MEMBERS, input: () => undefined },
  'bookings.institutionCalendar': { allow: INSTITUTION_MEMBERS, input: () => ({ weekStart: '2031-03-03' }) },
  'bookings.createForInstitution': { allow: OUR_MEMBERS, input: (fx) => ({ ...fx.slot(), source: { kind: 'phone' } }) },
  'bookings.setStatus': { allow: OUR_MEMBERS, input: async (fx) => ({ bookingId: await fx.newBooking(), version: 1, status: 'noshow' }) },
  'bookings.setPaymentStatus': { allow: OUR_MEMBERS, input: async (fx) => ({ bookingId: await fx.newBooking(), version: 1, paymentStatus: 'paid_on_site' }) },
  'bookings.cancelLinkInfo': { allow: EVERYONE, input: async (fx) => ({ token: fx.cancelToken(await fx.newBooking()) }) },
  'bookings.cancelByLink': { allow: EVERYONE, input: async (fx) => ({ token: fx.cancelToken(await fx.newBooking()) }) },

  // Statistics: the institution's members read their own institution's (a filter with another tenant's ID is NOT_FOUND,
  // hence only our members with a Someș location); the partner side is for partner admins and "Can book" holders, and
  // only at institutions where their organisation is or was a partner (MedPlus at Someș here).
  'statistics.filterOptions': { allow: INSTITUTION_MEMBERS, input: () => undefined },
  'statistics.institution': { allow: OUR_MEMBERS, input: (fx) => ({ period: { kind: 'thisMonth' }, locationIds: [fx.someș.locationId] }) },
  'statistics.partnerSubmitted': { allow: INSTITUTION_MEMBERS, input: () => ({ period: { kind: 'lastMonth' } }) },
  'statistics.partnerInstitutions': { allow: [...BOOKERS, 'otherInstitutionAdmin', 'unrelatedPartnerAdmin'], input: () => undefined },
  'statistics.partner': { allow: OUR_PARTNER_BOOKERS, input: (fx) => ({ institutionId: fx.someș.id, period: { kind: 'thisMonth' } }) },

  // Settlement: the institution side is for institution admins, on their own institution's statements; the partner
  // side for the partner organisation's admins, on issued statements of partnerships where it is the partner.
  'settlements.statements': { allow: INSTITUTION_ADMINS, input: () => ({ month: '2025-03' }) },
  'settlements.statement': { allow: OUR_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'draft') }) },
  'settlements.statementCsv': { allow: OUR_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'draft') }) },
  'settlements.start': { allow: INSTITUTION_ADMINS, input: () => ({ month: `2010-${String(1 + (startMonths++ % 12)).padStart(2, '0')}` }) },
  'settlements.runs': { allow: INSTITUTION_ADMINS, input: () => ({}) },
  'settlements.progress': { allow: INSTITUTION_ADMINS, input: () => ({ month: '2025-03' }) },
  'settlements.issue': { allow: OUR_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'draft') }) },
  'settlements.markPaid': { allow: OUR_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'issued'), paidOn: new Date().toISOString().slice(0, 10) }) },
  'settlements.partnerStatements': { allow: ORG_ADMINS, input: () => ({}) },
  'settlements.partnerStatement': { allow: OUR_PARTNER_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'issued') }) },
  'settlements.partnerStatementCsv': { allow: OUR_PARTNER_ADMIN, input: async (fx) => ({ statementId: await newStatement(fx, 'issued') }) },

  // Patient data rights: a new patient of the target institution (no bookings, so erasure is allowed) each time.
  'patients.get': { allow: OUR_ADMIN, input: async (fx) => ({ patientId: (await h.database.db.insert(patients).values({ institutionId: fx.someș.id, name: 'Matrix Rights', birthDate: '1980-01-01', phone: '0722000001', createdByOrganisationId: fx.someș.id }).$returningId())[0].id }) },
  'patients.export': { allow: OUR_ADMIN, input: async (fx) => ({ patientId: (await h.database.db.insert(patients).values({ institutionId: fx.someș.id, name: 'Matrix Rights', birthDate: '1980-01-01', phone: '0722000001', createdByOrganisationId: fx.someș.id }).$returningId())[0].id }) },
  'patients.erase': { allow: OUR_ADMIN, input: async (fx) => ({ patientId: (await h.database.db.insert(patients).values({ institutionId: fx.someș.id, name: 'Matrix Rights', birthDate: '1980-01-01', phone: '0722000001', createdByOrganisationId: fx.someș.id }).$returningId())[0].id, confirm: true }) },
};

/** A settlement statement of the target institution with its partner (the active partnership), each in a month of its own. */
let statementMonths = 0;
let startMonths = 0;
async function newStatement(fx: Fixtures, status: 'draft' | 'issued'): Promise<number> {
  const n = statementMonths++;
  const month = `${1900 + Math.floor(n / 12)}-${String(1 + (n % 12)).padStart(2, '0')}`;
  const [s] = await h.database.db.insert(settlementStatements).values({
    institutionId: fx.someș.id, partnershipId: fx.activePartnershipId, month, status, issuedAt: status === 'issued' ? new Date(Date.now() - 60_000) : null,
  }).$returningId();
  return s.id;
}

let h: Harness;
let tenants: { a: Tenant; b: Tenant };
/** The fixtures of each mirrored tenant: MATRIX inputs name that tenant's objects. */
const fixtures = new Map<'A' | 'B', Fixtures>();
let unrelatedAdminId: number;

function fixturesOf(t: Tenant): Fixtures {
  const { db } = h.database;
  let counter = 0;
  const unique = () => `u${Date.now().toString(36)}${t.tag}${(counter++).toString(36)}`;
  const newUser = async (status: 'active' | 'invited' | 'deactivated') => {
    const [source] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, t.users.admin));
    return (await db.insert(users).values({ organisationId: t.institutionId, email: `${unique()}@example.com`, name: 'Fixture User', role: 'staff', status, passwordHash: source.passwordHash }).$returningId())[0].id;
  };
  const newPartnership = async (status: 'pending_approval' | 'active') => {
    const [p] = await db.insert(partnerships).values({
      institutionId: t.institutionId, partnerOrganisationId: t.partnerOrganisationId, status, contactName: 'Bogdan Marin', contactEmail: DEMO.partnerAdmin.email,
      contactPhone: '0722000000', paymentLocation: 'institution', invitedAt: new Date(), acceptedAt: status === 'active' ? new Date() : null,
    }).$returningId();
    await db.insert(partnershipLocations).values({ partnershipId: p.id, locationId: t.locationId });
    return p.id;
  };
  return {
    someș: { id: t.institutionId, locationId: t.locationId, qualificationId: t.qualificationId, physicianId: t.physicianId, serviceId: t.serviceId },
    activePartnershipId: t.activePartnershipId,
    newUser,
    newPartnership,
    async newRule() {
      const year = 2040 + (ruleYears++ % 50);
      return (await db.insert(schedules).values({ physicianId: t.physicianId, locationId: t.locationId, weekday: 7, startTime: '05:00:00', endTime: '05:30:00', weekParity: 'every', validFrom: `${year}-01-01`, validTo: `${year}-12-31` }).$returningId())[0].id;
    },
    async newException() {
      return (await db.insert(scheduleExceptions).values({ physicianId: t.physicianId, locationId: t.locationId, date: '2032-01-01', kind: 'absence' }).$returningId())[0].id;
    },
    async newBooking() {
      const [patient] = await db.insert(patients).values({ institutionId: t.institutionId, name: 'Matrix Patient', birthDate: '1980-01-01', phone: '0722000000', createdByOrganisationId: t.partnerOrganisationId }).$returningId();
      const startsAt = new Date(Date.UTC(2031, 2, 3, 8, 0) + (bookingHours++) * 3_600_000);
      return (await db.insert(bookings).values({
        institutionId: t.institutionId, locationId: t.locationId, physicianId: t.physicianId, serviceId: t.serviceId, patientId: patient.id,
        startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), sourceChannel: 'partner', partnershipId: t.activePartnershipId,
        bookedByUserId: t.users.partnerAdmin, bookedByOrganisationId: t.partnerOrganisationId, priceMinor: 10_000, currency: 'RON',
      }).$returningId())[0].id;
    },
    slot: () => ({
      // Within the year ahead that bookings allow, so the call reaches the tenant checks.
      locationId: t.locationId, physicianId: t.physicianId, serviceId: t.serviceId, startsAt: new Date(Math.ceil((Date.now() + 200 * 86_400_000) / 3_600_000) * 3_600_000).toISOString(),
      patient: { kind: 'new', name: 'Matrix Patient', birthDate: '1980-01-01', phone: '0722000000' }, idempotencyKey: `matrix-${unique()}`,
    }),
    cancelToken: (bookingId) => bookingCancelToken(h.config.appSecret, bookingId),
    unique,
  };
}
let ruleYears = 0;
let bookingHours = 0;

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  tenants = await buildMirroredTenants(h.database);
  fixtures.set('A', fixturesOf(tenants.a));
  fixtures.set('B', fixturesOf(tenants.b));
  // A partner organisation of nobody (GTC accepted): the "unrelated partner".
  const [unrelated] = await db.insert(organisations).values({ name: 'Unrelated Partner SRL', country: 'HU', taxNumber: '12345678-2-42', registrationNumber: 'Cg 1', address: 'x' }).$returningId();
  const [source] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, tenants.a.users.admin));
  [{ id: unrelatedAdminId }] = await db.insert(users).values({ organisationId: unrelated.id, email: 'admin@unrelated-partner.example', name: 'Unrelated Admin', role: 'admin', status: 'active', passwordHash: source.passwordHash }).$returningId();
  const [gtc] = await db.select().from(gtcVersions).limit(1);
  await db.insert(gtcAcceptances).values({ organisationId: unrelated.id, userId: unrelatedAdminId, gtcVersionId: gtc.id, acceptedAt: new Date() });
});
afterAll(async () => { await h?.close(); });

/** The user behind each role when the objects are those of `target` (its mirror being `other`). */
function roleUserOf(role: Role, target: Tenant, other: Tenant): number | undefined {
  switch (role) {
    case 'anonymous': return undefined;
    case 'institutionAdmin': return target.users.admin;
    case 'institutionStaff': return target.users.staff;
    case 'institutionBooker': return target.users.booker;
    case 'partnerAdmin': return target.users.partnerAdmin;
    case 'partnerBooker': return target.users.partnerBooker;
    case 'otherInstitutionAdmin': return other.users.admin;
    case 'unrelatedPartnerAdmin': return unrelatedAdminId;
    case 'deactivated': return target.users.deactivated;
  }
}

/** The mirror's other people, who also try every procedure on the target's objects (its admin is otherInstitutionAdmin). */
const MIRROR_ROLES = ['staff', 'booker', 'partnerAdmin', 'partnerBooker', 'deactivated'] as const;

const DENIED = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND']);
/** One session per user, reused across calls. */
const sessions = new Map<number, string>();

type Outcome = { verdict: 'allowed' | 'denied' | string; answer?: unknown };

/** Calls a procedure over HTTP as a user (or anonymously). A 5xx answer is its own verdict, which no row expects. */
async function call(userId: number | undefined, path: string, input: unknown): Promise<Outcome> {
  const b = h.browser();
  if (userId) {
    let token = sessions.get(userId);
    if (!token) sessions.set(userId, token = (await createSession(h.database.db, userId, { idleMs: 600_000, absoluteMs: 3_600_000 })).token);
    b.cookies.set('pm_session', token);
    // Sign-out and password changes end sessions: the next call of that user gets a new one.
    if (path.startsWith('auth.')) sessions.delete(userId);
  }
  const [ns, name] = path.split('.');
  const proc = (b.api as unknown as Record<string, Record<string, Record<string, (i: unknown) => Promise<unknown>>>>)[ns][name];
  try {
    return { verdict: 'allowed', answer: await (typeOf(path) === 'query' ? proc.query(input) : proc.mutate(input)) };
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    const status = Number(err.data?.httpStatus ?? 0);
    if (status >= 500 || err.data?.code === 'INTERNAL_SERVER_ERROR') return { verdict: `5xx ${String(err.data?.code)}: ${err.message}` };
    return { verdict: DENIED.has(String(err.data?.code)) ? 'denied' : 'allowed' };
  }
}

function typeOf(path: string): string {
  return (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]._def.type;
}

/**
 * Row IDs of each tenant, read from the database (so rows written through the API count), re-read after any write
 * that was let through.
 */
/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => { while (next < items.length) await work(items[next++]); }));
}

class TenantIdCache {
  private cached = new Map<'A' | 'B', Set<number>>();
  async of(t: Tenant) {
    let ids = this.cached.get(t.tag);
    if (!ids) this.cached.set(t.tag, ids = await tenantIds(h.database, t));
    return ids;
  }
  clear() { this.cached.clear(); }
}

describe('authorisation matrix over two mirrored tenants', () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it('has an entry for every procedure of the router, and no stale entries', () => {
    expect(procedures.filter((p) => !(p in MATRIX)), 'procedures missing from the matrix').toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !procedures.includes(p)), 'matrix entries without a procedure').toEqual([]);
  });

  /**
   * For each tenant T (A, then its mirror B, with O the other one): every role calls the procedure with the row's input
   * naming T's objects. The verdicts must match the row (a 5xx matches nothing); no successful answer holds a row ID
   * of a tenant the caller is not part of (O's for T's people and anonymous callers, T's for O's people, both for the
   * unrelated partner); then every person of O tries the same input, and no mutation by anyone outside T changes T's
   * rows.
   */
  it.each(Object.keys(MATRIX).sort())('%s', async (path) => {
    const entry = MATRIX[path];
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    const leaks: string[] = [];
    const writes: string[] = [];
    const ids = new TenantIdCache();
    for (const [target, other] of [[tenants.a, tenants.b], [tenants.b, tenants.a]] as const) {
      const fx = fixtures.get(target.tag)!;
      const callers: { label: string; userId: number | undefined; expect?: string; home: Tenant[] }[] = [
        ...ROLES.map((role) => ({
          label: `${target.tag}:${role}`, userId: roleUserOf(role, target, other), expect: entry.allow.includes(role) ? 'allowed' : 'denied',
          home: role === 'otherInstitutionAdmin' ? [other] : role === 'unrelatedPartnerAdmin' ? [] : [target],
        })),
        ...MIRROR_ROLES.map((r) => ({ label: `${target.tag}:mirror ${r}`, userId: other.users[r], home: [other] })),
      ];
      // The target's own people first, then the outsiders, whose mutations must leave the target's rows as they were.
      // An input that lets anonymous callers in (a cancel link's token) is a capability: whoever holds it may use it.
      const outsider = (c: (typeof callers)[number]) => !c.home.includes(target) && !entry.allow.includes('anonymous');
      // Inputs are made first: making them writes fixtures (a new booking, rule, partnership) into the target.
      const inputs = new Map<string, unknown>();
      for (const c of callers) inputs.set(c.label, await entry.input(fx));
      for (const group of [callers.filter((c) => !outsider(c)), callers.filter(outsider)]) {
        if (!group.length) continue;
        const before = outsider(group[0]) && typeOf(path) === 'mutation' ? await tenantDigest(h.database, target) : null;
        // A few calls at a time, as users would; the answers are scanned once the group is done, against the rows then.
        const results = new Map<string, Outcome>();
        await inParallel(group, 4, async (c) => { results.set(c.label, await call(c.userId, path, inputs.get(c.label))); });
        ids.clear();
        for (const c of group) {
          const result = results.get(c.label)!;
          outcome[c.label] = result.verdict;
          expected[c.label] = c.expect ?? (result.verdict.startsWith('5xx') ? 'allowed or denied' : result.verdict);
          if (result.verdict !== 'allowed' || result.answer === undefined) continue;
          for (const t of [tenants.a, tenants.b]) {
            if (c.home.includes(t)) continue;
            const found = foreignIdsIn(result.answer, await ids.of(t));
            if (found.length) leaks.push(`${c.label} got tenant ${t.tag}'s IDs ${found.join(', ')}`);
          }
        }
        if (before !== null && before !== (await tenantDigest(h.database, target))) {
          writes.push(`tenant ${target.tag}'s rows changed while outsiders called: ${group.map((c) => `${c.label} ${outcome[c.label]}`).join(', ')}`);
        }
      }
    }
    // One assertion, so that a failure shows the verdicts, the leaks and the writes together.
    expect({ verdicts: outcome, leaks, writesByOutsiders: writes }).toEqual({ verdicts: expected, leaks: [], writesByOutsiders: [] });
  });

  it('writes denials of signed-in callers to the audit log', async () => {
    const denials = await h.database.db.select().from(auditLog).where(eq(auditLog.action, 'authz.denied'));
    expect(denials.length).toBeGreaterThan(50);
    expect(denials.some((d) => d.objectId === 'partners.get' && d.actorUserId === tenants.b.users.admin)).toBe(true);
    expect(denials.some((d) => d.objectId === 'partners.get' && d.actorUserId === tenants.a.users.admin)).toBe(true);
    expect(denials.some((d) => d.objectId === 'users.list' && d.actorUserId === tenants.a.users.partnerBooker)).toBe(true);
  });
});
