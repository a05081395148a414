/**
 * Two mirrored tenants for the isolation tests (server/authz.matrix.test.ts, server/hostile-input.test.ts).
 *
 * Each tenant is an institution with the same shape as its mirror: a location, a qualification, a physician with a
 * weekly rule and an absence, a service ticked for online, phone and its partner; an admin, a staff member without
 * "Can book", a staff booker and a deactivated admin; a partner organisation (GTC accepted) with an admin and a booker
 * and an active partnership; patients (entered by the institution and by the partner), a partner booking and a phone
 * booking with their events, an issued settlement statement with a line, and audit rows. The demo seed's tenants
 * (Someș, Napoca, MedPlus) stay in the database around them.
 *
 * Every table's IDs are moved to a range of their own, far above anything else in a test (≥ 1.1e9, one block of
 * 100,000 per table, the block picked at random per test file), so that an ID of one table never equals an ID of
 * another table or a count, price or duration: any number in an answer that equals one of the other tenant's row IDs
 * is that row leaking. `tenantIds` reads a tenant's rows from the database at the time of the call, so rows written
 * through the API (a new user, a booking) count as the tenant's too.
 */
import { createHash } from 'node:crypto';
import type { RowDataPacket } from 'mysql2';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  auditLog, bookingEvents, bookings, channelServices, gtcAcceptances, gtcVersions, locations, organisations, partnershipLocations, partnerships,
  patients, physicianLocations, physicianQualifications, physicians, qualifications, scheduleExceptions, schedules, services,
  settlementLines, settlementStatements, users,
} from '../db/schema';

/** Tables with an auto-increment ID, each given its own range of IDs. */
export const ID_TABLES = [
  'organisations', 'locations', 'qualifications', 'physicians', 'services', 'schedules', 'schedule_exceptions', 'users',
  'user_invitations', 'audit_log', 'email_outbox', 'workflow_outbox', 'partnerships', 'partner_invitations', 'gtc_acceptances',
  'patients', 'bookings', 'booking_events', 'settlement_statements', 'settlement_lines', 'settlement_runs',
] as const;

/** Lowest ID a tenant row can have: numbers below it in an answer are never taken for row IDs. */
export const MIN_TENANT_ID = 1_100_000_000;

/**
 * Moves every ID table's counter into its own block: 1.1e9 + slot × 4e6 + table × 1e5 (slot random per file, so two
 * files running at once rarely share Temporal workflow IDs derived from row IDs, as test/harness.ts intends).
 */
export async function spreadIds(database: Database): Promise<void> {
  const slot = Math.floor(Math.random() * 250);
  for (const [i, table] of ID_TABLES.entries()) {
    await database.pool.query(`ALTER TABLE \`${table}\` AUTO_INCREMENT = ${MIN_TENANT_ID + slot * 4_000_000 + i * 100_000}`);
  }
}

export interface TenantUsers {
  admin: number; staff: number; booker: number; deactivated: number; partnerAdmin: number; partnerBooker: number;
}

export interface Tenant {
  tag: 'A' | 'B';
  institutionId: number;
  partnerOrganisationId: number;
  locationId: number;
  qualificationId: number;
  physicianId: number;
  serviceId: number;
  activePartnershipId: number;
  /** A future partner booking, its patient, the issued statement, a weekly rule and the absence. */
  bookingId: number;
  patientId: number;
  statementId: number;
  scheduleId: number;
  exceptionId: number;
  users: TenantUsers;
  /** Searchable patient name prefix, the same in both tenants (so that the mirror's search has something to find). */
  patientName: string;
}

let sequence = 0;

/** Builds one tenant; `tag` keeps unique columns (tax numbers, emails, names) apart between the two. */
export async function buildTenant(database: Database, tag: 'A' | 'B', passwordHash: string): Promise<Tenant> {
  const { db } = database;
  const n = `${tag}${Date.now().toString(36)}${sequence++}`;
  const digits = String(Date.now() % 1e8).padStart(8, '0');
  const [inst] = await db.insert(organisations).values({
    name: `Mirror Clinic ${n} SRL`, country: 'RO', taxNumber: `${tag === 'A' ? 7 : 8}${digits}`, registrationNumber: `J12/${n}`,
    address: `Str. Oglinzii ${tag}, Cluj-Napoca`, isInstitution: true, currency: 'RON', timeZone: 'Europe/Bucharest',
  }).$returningId();
  const [partner] = await db.insert(organisations).values({
    name: `Mirror Partner ${n} SRL`, country: 'RO', taxNumber: `${tag === 'A' ? 5 : 6}${digits}`, registrationNumber: `J13/${n}`,
    address: `Str. Partenerului ${tag}, Cluj-Napoca`, timeZone: 'Europe/Bucharest',
  }).$returningId();
  const [location] = await db.insert(locations).values({ organisationId: inst.id, name: `Mirror ${tag} Central`, address: 'Str. Oglinzii 1', timeZone: 'Europe/Bucharest' }).$returningId();
  const [qualification] = await db.insert(qualifications).values({ organisationId: inst.id, name: 'Cardiologie' }).$returningId();
  const [physician] = await db.insert(physicians).values({ organisationId: inst.id, name: `Dr. Mirror ${tag}` }).$returningId();
  await db.insert(physicianQualifications).values({ physicianId: physician.id, qualificationId: qualification.id });
  await db.insert(physicianLocations).values({ physicianId: physician.id, locationId: location.id });
  const [schedule] = await db.insert(schedules).values([1, 2, 3, 4, 5].map((weekday) => ({
    physicianId: physician.id, locationId: location.id, weekday, startTime: '08:00:00', endTime: '16:00:00', weekParity: 'every' as const, validFrom: '2025-01-01',
  }))).$returningId();
  const [exception] = await db.insert(scheduleExceptions).values({ physicianId: physician.id, locationId: location.id, date: '2033-02-01', kind: 'absence' }).$returningId();
  const [service] = await db.insert(services).values({
    organisationId: inst.id, qualificationId: qualification.id, name: 'Consultație cardiologie', durationMinutes: 30, priceMinor: 25_000, currency: 'RON', cancellationWindowHours: 24,
  }).$returningId();

  const person = (organisationId: number, who: string, extra: Partial<typeof users.$inferInsert>) => ({
    organisationId, email: `${who}.${n.toLowerCase()}@mirror-${tag.toLowerCase()}.example`, name: `${who} ${tag}`, role: 'staff' as const,
    status: 'active' as const, passwordHash, locale: 'en' as const, ...extra,
  });
  const ids = async (row: typeof users.$inferInsert) => (await db.insert(users).values(row).$returningId())[0].id;
  const u: TenantUsers = {
    admin: await ids(person(inst.id, 'admin', { role: 'admin', canBookPartner: true })),
    staff: await ids(person(inst.id, 'staff', { canBookPartner: false })),
    booker: await ids(person(inst.id, 'booker', { canBookPartner: true })),
    deactivated: await ids(person(inst.id, 'former', { role: 'admin', status: 'deactivated' })),
    partnerAdmin: await ids(person(partner.id, 'partneradmin', { role: 'admin', canBookPartner: true })),
    partnerBooker: await ids(person(partner.id, 'partnerbooker', { canBookPartner: true })),
  };
  const [gtc] = await db.select().from(gtcVersions).limit(1);
  await db.insert(gtcAcceptances).values({ organisationId: partner.id, userId: u.partnerAdmin, gtcVersionId: gtc.id, acceptedAt: new Date('2026-01-05T10:00:00Z') });

  const invitedAt = new Date('2026-01-02T10:00:00Z');
  const [partnership] = await db.insert(partnerships).values({
    institutionId: inst.id, partnerOrganisationId: partner.id, status: 'active', contactName: `Partner Contact ${tag}`,
    contactEmail: `contact.${n.toLowerCase()}@mirror-${tag.toLowerCase()}.example`, contactPhone: '0722000000',
    commissionType: 'percent', commissionValue: 1000, paymentLocation: 'institution', patientDataAccess: false,
    invitedByUserId: u.admin, invitedAt, acceptedAt: new Date(invitedAt.getTime() + 3_600_000),
  }).$returningId();
  await db.insert(partnershipLocations).values({ partnershipId: partnership.id, locationId: location.id });
  await db.insert(channelServices).values(['online', 'phone', `partnership:${partnership.id}`].map((channelKey) => ({
    institutionId: inst.id, serviceId: service.id, channelKey, partnershipId: channelKey.startsWith('partnership:') ? partnership.id : null,
  })));

  // Patients and bookings: one entered by the partner (booked through the partnership), one by phone; past and future.
  const patientName = 'Popescu Mirror';
  const [byPartner] = await db.insert(patients).values({
    institutionId: inst.id, name: `${patientName} Partner`, birthDate: '1980-01-01', phone: '0722111111', email: `patient1.${n.toLowerCase()}@mirror.example`,
    createdByOrganisationId: partner.id, createdByUserId: u.partnerBooker,
  }).$returningId();
  const [byPhone] = await db.insert(patients).values({
    institutionId: inst.id, name: `${patientName} Phone`, birthDate: '1975-06-15', phone: '0722222222', nationalId: '1750615120011',
    createdByOrganisationId: inst.id, createdByUserId: u.booker,
  }).$returningId();
  const booking = async (startsAt: Date, byPartnerBooking: boolean, status: 'booked' | 'fulfilled') => {
    const [b] = await db.insert(bookings).values({
      institutionId: inst.id, locationId: location.id, physicianId: physician.id, serviceId: service.id,
      patientId: byPartnerBooking ? byPartner.id : byPhone.id, startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), status,
      sourceChannel: byPartnerBooking ? 'partner' : 'phone', partnershipId: byPartnerBooking ? partnership.id : null,
      bookedByUserId: byPartnerBooking ? u.partnerBooker : u.booker, bookedByOrganisationId: byPartnerBooking ? partner.id : inst.id,
      priceMinor: 25_000, currency: 'RON', commissionType: byPartnerBooking ? 'percent' : 'none', commissionValue: byPartnerBooking ? 1000 : 0,
      paymentLocation: byPartnerBooking ? 'institution' : null,
    }).$returningId();
    await db.insert(bookingEvents).values({ bookingId: b.id, institutionId: inst.id, type: 'created', actorKind: 'user', actorUserId: byPartnerBooking ? u.partnerBooker : u.booker, after: { status } });
    return b.id;
  };
  const soon = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
  const past = new Date(Date.UTC(2026, 0, 14, 9, 0));
  const futurePartnerBooking = await booking(soon, true, 'booked');
  await booking(new Date(soon.getTime() + 3_600_000), false, 'booked');
  const pastPartnerBooking = await booking(past, true, 'fulfilled');
  await booking(new Date(past.getTime() + 3_600_000), false, 'fulfilled');

  const [statement] = await db.insert(settlementStatements).values({
    institutionId: inst.id, partnershipId: partnership.id, month: '2026-01', status: 'issued', issuedAt: new Date('2026-02-02T08:00:00Z'), issuedByUserId: u.admin,
  }).$returningId();
  await db.insert(settlementLines).values({
    statementId: statement.id, bookingId: pastPartnerBooking, kind: 'booking', startsAt: past, serviceId: service.id, priceMinor: 25_000, currency: 'RON',
    paymentLocation: 'institution', commissionType: 'percent', commissionValue: 1000, commissionMinor: 2_500, commissionCurrency: 'RON',
    institutionOwesMinor: 2_500, partnerOwesMinor: 0,
  });
  await db.insert(auditLog).values([
    { organisationId: inst.id, actorUserId: u.admin, action: 'partnership.updated', objectType: 'partnership', objectId: String(partnership.id), before: { contactName: 'Old' }, after: { contactName: `Partner Contact ${tag}` } },
    { organisationId: inst.id, actorUserId: u.admin, action: 'user.created', objectType: 'user', objectId: String(u.staff), after: { role: 'staff' } },
  ]);

  return {
    tag, institutionId: inst.id, partnerOrganisationId: partner.id, locationId: location.id, qualificationId: qualification.id,
    physicianId: physician.id, serviceId: service.id, activePartnershipId: partnership.id, users: u, patientName,
    bookingId: futurePartnerBooking, patientId: byPartner.id, statementId: statement.id, scheduleId: schedule.id, exceptionId: exception.id,
  };
}

/** A tenant and its mirror, built in the same order with the same shape, after `spreadIds`. */
export async function buildMirroredTenants(database: Database): Promise<{ a: Tenant; b: Tenant }> {
  await spreadIds(database);
  const [hashSource] = await database.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.email, 'admin@clinica-somes.ro'));
  const a = await buildTenant(database, 'A', hashSource.passwordHash!);
  const b = await buildTenant(database, 'B', hashSource.passwordHash!);
  return { a, b };
}

/**
 * Which rows belong to a tenant: (table, SQL predicate over that table). `?o` stands for the tenant's organisations —
 * the institution and every organisation that is or was its partner — and `?i` for the institution.
 */
const OWNERSHIP: [table: string, predicate: string][] = [
  ['organisations', 'id IN (?o)'],
  ['locations', 'organisation_id IN (?o)'],
  ['qualifications', 'organisation_id IN (?o)'],
  ['physicians', 'organisation_id IN (?o)'],
  ['services', 'organisation_id IN (?o)'],
  ['schedules', 'physician_id IN (SELECT id FROM physicians WHERE organisation_id = ?i)'],
  ['schedule_exceptions', 'physician_id IN (SELECT id FROM physicians WHERE organisation_id = ?i)'],
  ['users', 'organisation_id IN (?o)'],
  ['user_invitations', 'user_id IN (SELECT id FROM users WHERE organisation_id IN (?o))'],
  ['audit_log', 'organisation_id IN (?o)'],
  ['partnerships', 'institution_id = ?i'],
  ['partner_invitations', 'partnership_id IN (SELECT id FROM partnerships WHERE institution_id = ?i)'],
  ['gtc_acceptances', 'organisation_id IN (?o)'],
  ['patients', 'institution_id = ?i'],
  ['bookings', 'institution_id = ?i'],
  ['booking_events', 'institution_id = ?i'],
  ['settlement_statements', 'institution_id = ?i'],
  ['settlement_lines', 'statement_id IN (SELECT id FROM settlement_statements WHERE institution_id = ?i)'],
  ['settlement_runs', 'institution_id = ?i'],
];

async function tenantOrganisations(database: Database, tenant: Tenant): Promise<number[]> {
  const [rows] = await database.pool.query<RowDataPacket[]>(
    'SELECT DISTINCT partner_organisation_id AS id FROM partnerships WHERE institution_id = ?', [tenant.institutionId]);
  return [...new Set([tenant.institutionId, tenant.partnerOrganisationId, ...rows.map((r) => Number(r.id))])];
}

function sqlFor(predicate: string, orgs: number[], institutionId: number) {
  return predicate.replaceAll('?o', orgs.map(Number).join(',')).replaceAll('?i', String(Number(institutionId)));
}

/** Every row ID the tenant owns, read now (rows written through the API included). */
export async function tenantIds(database: Database, tenant: Tenant): Promise<Set<number>> {
  const orgs = await tenantOrganisations(database, tenant);
  const ids = new Set<number>();
  await Promise.all(OWNERSHIP.map(async ([table, predicate]) => {
    const [rows] = await database.pool.query<RowDataPacket[]>(`SELECT id FROM \`${table}\` WHERE ${sqlFor(predicate, orgs, tenant.institutionId)}`);
    for (const r of rows) ids.add(Number(r.id));
  }));
  return ids;
}

/** Every number of at least MIN_TENANT_ID in a JSON text (as a number or inside a string such as 'partnership:123'). */
export function idsIn(json: string): number[] {
  return [...json.matchAll(/(?<!\d)\d{10}(?!\d)/g)].map((m) => Number(m[0])).filter((v, i, all) => v >= MIN_TENANT_ID && all.indexOf(v) === i);
}

/** The IDs of `foreign` that occur in an answer. */
export function foreignIdsIn(answer: unknown, foreign: Set<number>): number[] {
  if (answer === undefined) return [];
  return idsIn(JSON.stringify(answer)).filter((id) => foreign.has(id));
}

/**
 * A digest of the rows of a tenant that no workflow of the tenant itself changes in the background (catalogue,
 * partnerships, users, patients, bookings, statements): used to prove that another tenant's call changed nothing.
 */
export async function tenantDigest(database: Database, tenant: Tenant): Promise<string> {
  const orgs = await tenantOrganisations(database, tenant);
  const hash = createHash('sha256');
  const stable = new Set(['organisations', 'locations', 'qualifications', 'physicians', 'services', 'schedules', 'schedule_exceptions',
    'users', 'partnerships', 'gtc_acceptances', 'patients', 'bookings', 'settlement_statements', 'settlement_lines']);
  const extra: [string, string][] = [
    ['channel_services', 'institution_id = ?i'],
    ['partnership_locations', 'partnership_id IN (SELECT id FROM partnerships WHERE institution_id = ?i)'],
    ['physician_qualifications', 'physician_id IN (SELECT id FROM physicians WHERE organisation_id = ?i)'],
    ['physician_locations', 'physician_id IN (SELECT id FROM physicians WHERE organisation_id = ?i)'],
  ];
  const parts = await Promise.all([...OWNERSHIP.filter(([t]) => stable.has(t)), ...extra].map(async ([table, predicate]) => {
    const [rows] = await database.pool.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE ${sqlFor(predicate, orgs, tenant.institutionId)}`);
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    return `${table}:${lines.join('\n')}`;
  }));
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}
