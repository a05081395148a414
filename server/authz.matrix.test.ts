/**
 * The authorisation matrix, derived from the router: every procedure × every role, called over HTTP against objects of
 * the demo institution (Clinica Someș) and its partner (MedPlus). A call is "denied" when it answers UNAUTHORIZED,
 * FORBIDDEN or NOT_FOUND; anything else (success, or a business error such as BAD_REQUEST) means the caller got in.
 * The test fails when a procedure has no entry here, so a new procedure cannot ship without its row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { TRPCClientError } from '@trpc/client';
import { startHarness, DEMO, type Harness } from '../test/harness';
import { appRouter } from './router';
import { createSession } from './auth/session';
import {
  auditLog, bookings, gtcAcceptances, gtcVersions, locations, organisations, partnershipLocations, partnerships, patients, physicians, qualifications,
  scheduleExceptions, schedules, services, settlementStatements, users,
} from '../db/schema';
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
/** Users holding "Can book to partner institution" (the demo institution's admin and booker, MedPlus's admin and booker). */
const BOOKERS: Role[] = ['institutionAdmin', 'institutionBooker', 'partnerAdmin', 'partnerBooker'];
const OUR_PARTNER_BOOKERS: Role[] = ['partnerAdmin', 'partnerBooker'];
const OUR_MEMBERS: Role[] = ['institutionAdmin', 'institutionStaff', 'institutionBooker'];
const INSTITUTION_MEMBERS: Role[] = [...OUR_MEMBERS, 'otherInstitutionAdmin'];
/** A MedPlus booking at Someș: Someș's members and MedPlus's bookers. */
const BOOKING_VIEWERS: Role[] = [...OUR_MEMBERS, ...OUR_PARTNER_BOOKERS];

interface Fixtures {
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
};

/** A settlement statement of Someș with MedPlus (the active partnership), each in a month of its own. */
let statementMonths = 0;
let startMonths = 0;
async function newStatement(fx: Fixtures, status: 'draft' | 'issued'): Promise<number> {
  const month = `19${String(10 + statementMonths++).padStart(2, '0')}-01`;
  const [s] = await h.database.db.insert(settlementStatements).values({
    institutionId: fx.someș.id, partnershipId: fx.activePartnershipId, month, status, issuedAt: status === 'issued' ? new Date(Date.now() - 60_000) : null,
  }).$returningId();
  return s.id;
}

let h: Harness;
let fx: Fixtures;
const roleUser = new Map<Role, number>();

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  const byEmail = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0];
  const admin = await byEmail(DEMO.admin.email);
  const medplusAdmin = await byEmail(DEMO.partnerAdmin.email);
  const someșId = admin.organisationId;
  const [location] = await db.select().from(locations).where(eq(locations.organisationId, someșId)).limit(1);
  const [qualification] = await db.select().from(qualifications).where(eq(qualifications.organisationId, someșId)).limit(1);
  const [physician] = await db.select().from(physicians).where(eq(physicians.organisationId, someșId)).limit(1);
  const [service] = await db.select().from(services).where(eq(services.organisationId, someșId)).limit(1);
  let counter = 0;
  const unique = () => `u${Date.now().toString(36)}${(counter++).toString(36)}`;
  const newUser = async (organisationId: number, status: 'active' | 'invited' | 'deactivated', extra: Partial<typeof users.$inferInsert> = {}) =>
    (await db.insert(users).values({ organisationId, email: `${unique()}@example.com`, name: 'Fixture User', role: 'staff', status, passwordHash: admin.passwordHash, ...extra }).$returningId())[0].id;
  const newPartnership = async (status: 'pending_approval' | 'active') => {
    const [p] = await db.insert(partnerships).values({
      institutionId: someșId, partnerOrganisationId: medplusAdmin.organisationId, status, contactName: 'Bogdan Marin', contactEmail: DEMO.partnerAdmin.email,
      contactPhone: '0722000000', paymentLocation: 'institution', invitedAt: new Date(), acceptedAt: status === 'active' ? new Date() : null,
    }).$returningId();
    await db.insert(partnershipLocations).values({ partnershipId: p.id, locationId: location.id });
    return p.id;
  };
  const activePartnershipId = await newPartnership('active');
  fx = {
    someș: { id: someșId, locationId: location.id, qualificationId: qualification.id, physicianId: physician.id, serviceId: service.id },
    activePartnershipId,
    newUser: (status) => newUser(someșId, status),
    newPartnership,
    async newRule() {
      const year = 2040 + counter++;
      return (await db.insert(schedules).values({ physicianId: physician.id, locationId: location.id, weekday: 7, startTime: '05:00:00', endTime: '05:30:00', weekParity: 'every', validFrom: `${year}-01-01`, validTo: `${year}-12-31` }).$returningId())[0].id;
    },
    async newException() {
      return (await db.insert(scheduleExceptions).values({ physicianId: physician.id, locationId: location.id, date: '2032-01-01', kind: 'absence' }).$returningId())[0].id;
    },
    async newBooking() {
      const [patient] = await db.insert(patients).values({ institutionId: someșId, name: 'Matrix Patient', birthDate: '1980-01-01', phone: '0722000000', createdByOrganisationId: medplusAdmin.organisationId }).$returningId();
      const startsAt = new Date(Date.UTC(2031, 2, 3, 8, 0) + (counter++) * 3_600_000);
      return (await db.insert(bookings).values({
        institutionId: someșId, locationId: location.id, physicianId: physician.id, serviceId: service.id, patientId: patient.id,
        startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), sourceChannel: 'partner', partnershipId: activePartnershipId,
        bookedByUserId: medplusAdmin.id, bookedByOrganisationId: medplusAdmin.organisationId, priceMinor: 10_000, currency: 'RON',
      }).$returningId())[0].id;
    },
    slot: () => ({
      // Within the year ahead that bookings allow, so the call reaches the tenant checks.
      locationId: location.id, physicianId: physician.id, serviceId: service.id, startsAt: new Date(Math.ceil((Date.now() + 200 * 86_400_000) / 3_600_000) * 3_600_000).toISOString(),
      patient: { kind: 'new', name: 'Matrix Patient', birthDate: '1980-01-01', phone: '0722000000' }, idempotencyKey: `matrix-${unique()}`,
    }),
    cancelToken: (bookingId) => bookingCancelToken(h.config.appSecret, bookingId),
    unique,
  };

  const [other] = await db.insert(organisations).values({ name: 'Other Clinic SRL', country: 'RO', taxNumber: '14399840', registrationNumber: 'J1', address: 'x', isInstitution: true, currency: 'RON' }).$returningId();
  await db.insert(locations).values({ organisationId: other.id, name: 'Other Central', address: 'x', timeZone: 'Europe/Bucharest' });
  const [unrelated] = await db.insert(organisations).values({ name: 'Unrelated Partner SRL', country: 'HU', taxNumber: '12345678-2-42', registrationNumber: 'Cg 1', address: 'x' }).$returningId();
  const [gtc] = await db.select().from(gtcVersions).limit(1);
  const unrelatedAdmin = await newUser(unrelated.id, 'active', { role: 'admin' });
  await db.insert(gtcAcceptances).values({ organisationId: unrelated.id, userId: unrelatedAdmin, gtcVersionId: gtc.id, acceptedAt: new Date() });

  roleUser.set('institutionAdmin', admin.id);
  roleUser.set('institutionStaff', await newUser(someșId, 'active', { canBookPartner: false }));
  roleUser.set('institutionBooker', (await byEmail(DEMO.staff.email)).id);
  roleUser.set('partnerAdmin', medplusAdmin.id);
  roleUser.set('partnerBooker', (await byEmail(DEMO.partnerBooker.email)).id);
  roleUser.set('otherInstitutionAdmin', await newUser(other.id, 'active', { role: 'admin' }));
  roleUser.set('unrelatedPartnerAdmin', unrelatedAdmin);
  roleUser.set('deactivated', await newUser(someșId, 'deactivated', { role: 'admin' }));
});
afterAll(async () => { await h?.close(); });

const DENIED = new Set(['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND']);

async function call(role: Role, path: string, input: unknown): Promise<'allowed' | 'denied'> {
  const b = h.browser();
  const userId = roleUser.get(role);
  if (userId) {
    const { token } = await createSession(h.database.db, userId, { idleMs: 60_000, absoluteMs: 3_600_000 });
    b.cookies.set('pm_session', token);
  }
  const [ns, name] = path.split('.');
  const type = (appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[path]._def.type;
  const proc = (b.api as unknown as Record<string, Record<string, Record<string, (i: unknown) => Promise<unknown>>>>)[ns][name];
  try {
    await (type === 'query' ? proc.query(input) : proc.mutate(input));
    return 'allowed';
  } catch (err) {
    if (!(err instanceof TRPCClientError)) throw err;
    return DENIED.has(String(err.data?.code)) ? 'denied' : 'allowed';
  }
}

describe('authorisation matrix', () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it('has an entry for every procedure of the router, and no stale entries', () => {
    expect(procedures.filter((p) => !(p in MATRIX)), 'procedures missing from the matrix').toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !procedures.includes(p)), 'matrix entries without a procedure').toEqual([]);
  });

  it.each(Object.keys(MATRIX).sort())('%s', async (path) => {
    const entry = MATRIX[path];
    const outcome: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const role of ROLES) {
      outcome[role] = await call(role, path, await entry.input(fx));
      expected[role] = entry.allow.includes(role) ? 'allowed' : 'denied';
    }
    expect(outcome).toEqual(expected);
  });

  it('writes denials of signed-in callers to the audit log', async () => {
    const denials = await h.database.db.select().from(auditLog).where(eq(auditLog.action, 'authz.denied'));
    expect(denials.length).toBeGreaterThan(50);
    expect(denials.some((d) => d.objectId === 'partners.get' && d.actorUserId === roleUser.get('otherInstitutionAdmin'))).toBe(true);
    expect(denials.some((d) => d.objectId === 'users.list' && d.actorUserId === roleUser.get('partnerBooker'))).toBe(true);
  });
});
