/**
 * Drizzle schema: the single source of truth for table shapes. Migrations in db/migrations are generated from this
 * file by drizzle-kit and committed. Use the core query builder only (MariaDB rejects LATERAL joins).
 */
import {
  mysqlTable, int, varchar, char, boolean, datetime, date, time, mysqlEnum, json, uniqueIndex, index, primaryKey,
  bigint, text, smallint,
} from 'drizzle-orm/mysql-core';
import { sql } from 'drizzle-orm';

const createdAt = () => datetime('created_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`);

/** A legal entity. It may be an institution (has locations, physicians, services) and/or a partner of others. */
export const organisations = mysqlTable('organisations', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  country: char('country', { length: 2 }).notNull(),
  taxNumber: varchar('tax_number', { length: 32 }).notNull(),
  registrationNumber: varchar('registration_number', { length: 64 }).notNull(),
  address: varchar('address', { length: 300 }).notNull(),
  isInstitution: boolean('is_institution').notNull().default(false),
  currency: char('currency', { length: 3 }),
  timeZone: varchar('time_zone', { length: 64 }).notNull().default('Europe/Bucharest'),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('organisations_country_tax_uq').on(t.country, t.taxNumber)]);

export const locations = mysqlTable('locations', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  name: varchar('name', { length: 200 }).notNull(),
  address: varchar('address', { length: 300 }).notNull(),
  timeZone: varchar('time_zone', { length: 64 }).notNull(),
}, (t) => [uniqueIndex('locations_org_name_uq').on(t.organisationId, t.name)]);

export const qualifications = mysqlTable('qualifications', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  name: varchar('name', { length: 120 }).notNull(),
}, (t) => [uniqueIndex('qualifications_org_name_uq').on(t.organisationId, t.name)]);

export const physicians = mysqlTable('physicians', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  name: varchar('name', { length: 200 }).notNull(),
});

export const physicianQualifications = mysqlTable('physician_qualifications', {
  physicianId: int('physician_id').notNull().references(() => physicians.id),
  qualificationId: int('qualification_id').notNull().references(() => qualifications.id),
}, (t) => [primaryKey({ columns: [t.physicianId, t.qualificationId] })]);

export const physicianLocations = mysqlTable('physician_locations', {
  physicianId: int('physician_id').notNull().references(() => physicians.id),
  locationId: int('location_id').notNull().references(() => locations.id),
}, (t) => [primaryKey({ columns: [t.physicianId, t.locationId] })]);

export const services = mysqlTable('services', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  qualificationId: int('qualification_id').notNull().references(() => qualifications.id),
  name: varchar('name', { length: 200 }).notNull(),
  durationMinutes: smallint('duration_minutes').notNull(),
  /** Money is an integer number of minor units plus an ISO currency. */
  priceMinor: int('price_minor').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  cancellationWindowHours: smallint('cancellation_window_hours').notNull().default(24),
}, (t) => [uniqueIndex('services_org_name_uq').on(t.organisationId, t.name)]);

/** Weekly working hours of a physician at a location, in the location's local time. */
export const schedules = mysqlTable('schedules', {
  id: int('id').autoincrement().primaryKey(),
  physicianId: int('physician_id').notNull().references(() => physicians.id),
  locationId: int('location_id').notNull().references(() => locations.id),
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: smallint('weekday').notNull(),
  startTime: time('start_time').notNull(),
  endTime: time('end_time').notNull(),
  weekParity: mysqlEnum('week_parity', ['every', 'odd', 'even']).notNull().default('every'),
  validFrom: date('valid_from', { mode: 'string' }).notNull(),
  validTo: date('valid_to', { mode: 'string' }),
}, (t) => [index('schedules_physician_idx').on(t.physicianId, t.weekday)]);

export const scheduleExceptions = mysqlTable('schedule_exceptions', {
  id: int('id').autoincrement().primaryKey(),
  physicianId: int('physician_id').notNull().references(() => physicians.id),
  locationId: int('location_id').references(() => locations.id),
  date: date('date', { mode: 'string' }).notNull(),
  kind: mysqlEnum('kind', ['absence', 'extra_hours']).notNull(),
  startTime: time('start_time'),
  endTime: time('end_time'),
});

export const USER_ROLES = ['admin', 'staff'] as const;
export const USER_STATUSES = ['invited', 'active', 'deactivated'] as const;
export const LOCALES = ['en', 'ro'] as const;

export const users = mysqlTable('users', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  email: varchar('email', { length: 254 }).notNull(),
  name: varchar('name', { length: 200 }).notNull(),
  role: mysqlEnum('role', USER_ROLES).notNull(),
  /** "Can book to partner institution". */
  canBookPartner: boolean('can_book_partner').notNull().default(false),
  status: mysqlEnum('status', USER_STATUSES).notNull().default('invited'),
  passwordHash: varchar('password_hash', { length: 255 }),
  locale: mysqlEnum('locale', LOCALES).notNull().default('ro'),
  createdAt: createdAt(),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
}, (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_org_idx').on(t.organisationId)]);

/** Sessions: only the SHA-256 of the secret part of the token is stored (Lucia's session recipe). */
export const sessions = mysqlTable('sessions', {
  id: varchar('id', { length: 32 }).primaryKey(),
  secretHash: char('secret_hash', { length: 64 }).notNull(),
  userId: int('user_id').notNull().references(() => users.id),
  createdAt: createdAt(),
  /** Sliding idle expiry, never later than absoluteExpiresAt. */
  expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
  absoluteExpiresAt: datetime('absolute_expires_at', { mode: 'date', fsp: 3 }).notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

/**
 * One row per invitation email round. The link token is derived (HMAC of the id with the app secret), so it is never
 * stored: only its SHA-256 is, for lookup.
 */
export const userInvitations = mysqlTable('user_invitations', {
  id: int('id').autoincrement().primaryKey(),
  userId: int('user_id').notNull().references(() => users.id),
  /** The workflow run that issued it: makes the issuing activity idempotent. */
  runKey: varchar('run_key', { length: 100 }).notNull(),
  tokenHash: char('token_hash', { length: 64 }),
  createdAt: createdAt(),
  expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
  remindedAt: datetime('reminded_at', { mode: 'date', fsp: 3 }),
  usedAt: datetime('used_at', { mode: 'date', fsp: 3 }),
  revokedAt: datetime('revoked_at', { mode: 'date', fsp: 3 }),
}, (t) => [uniqueIndex('user_invitations_run_uq').on(t.runKey), uniqueIndex('user_invitations_token_uq').on(t.tokenHash),
  index('user_invitations_user_idx').on(t.userId)]);

/**
 * One row per "Forgot password?" request of an active user. The token is random and made when the email is sent; only
 * its SHA-256 is stored (set then), never the token. Single use, expires after an hour, a newer request revokes it.
 */
export const passwordResets = mysqlTable('password_resets', {
  id: int('id').autoincrement().primaryKey(),
  userId: int('user_id').notNull().references(() => users.id),
  tokenHash: char('token_hash', { length: 64 }),
  createdAt: createdAt(),
  expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
  sentAt: datetime('sent_at', { mode: 'date', fsp: 3 }),
  usedAt: datetime('used_at', { mode: 'date', fsp: 3 }),
  revokedAt: datetime('revoked_at', { mode: 'date', fsp: 3 }),
}, (t) => [uniqueIndex('password_resets_token_uq').on(t.tokenHash), index('password_resets_user_idx').on(t.userId)]);

export const auditLog = mysqlTable('audit_log', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  organisationId: int('organisation_id'),
  actorUserId: int('actor_user_id'),
  action: varchar('action', { length: 64 }).notNull(),
  objectType: varchar('object_type', { length: 40 }).notNull(),
  objectId: varchar('object_id', { length: 64 }),
  before: json('before'),
  after: json('after'),
  ip: varchar('ip', { length: 64 }),
  at: createdAt(),
}, (t) => [index('audit_log_org_at_idx').on(t.organisationId, t.at)]);

/**
 * Emails to send, keyed by a unique message key so that a retried activity sends a message once. Rows hold only
 * the template and IDs: the body is rendered at send time, so secrets and personal data are not copied here.
 */
export const emailOutbox = mysqlTable('email_outbox', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  messageKey: varchar('message_key', { length: 190 }).notNull(),
  toAddress: varchar('to_address', { length: 254 }).notNull(),
  template: varchar('template', { length: 64 }).notNull(),
  params: json('params').$type<Record<string, string | number>>().notNull(),
  /** 'skipped': never to be sent (its recipient, a patient, was erased; the address is blanked too). */
  status: mysqlEnum('status', ['pending', 'sent', 'skipped']).notNull().default('pending'),
  attempts: int('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
  sentAt: datetime('sent_at', { mode: 'date', fsp: 3 }),
}, (t) => [uniqueIndex('email_outbox_key_uq').on(t.messageKey)]);

/**
 * Workflow starts written in the same transaction as the business change; a dispatcher starts them. A user request
 * therefore never waits for Temporal, and nothing is lost if Temporal is briefly unreachable.
 */
export const workflowOutbox = mysqlTable('workflow_outbox', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  workflowType: varchar('workflow_type', { length: 64 }).notNull(),
  workflowId: varchar('workflow_id', { length: 190 }).notNull(),
  args: json('args').notNull(),
  /** 'restart' terminates a running execution with the same ID (used by "resend"). */
  mode: mysqlEnum('mode', ['start', 'restart', 'signal']).notNull().default('start'),
  /** For mode 'signal': the signal to send to the running workflow. */
  signalName: varchar('signal_name', { length: 64 }),
  searchAttributes: json('search_attributes').$type<Record<string, string>>(),
  createdAt: createdAt(),
  claimedAt: datetime('claimed_at', { mode: 'date', fsp: 3 }),
  dispatchedAt: datetime('dispatched_at', { mode: 'date', fsp: 3 }),
  attempts: int('attempts').notNull().default(0),
  lastError: text('last_error'),
  /** Earliest time of the next start attempt after a failure (exponential backoff per row). */
  nextAttemptAt: datetime('next_attempt_at', { mode: 'date', fsp: 3 }),
  /** Set when the row failed its capped number of attempts: parked for an operator, never retried automatically. */
  failedAt: datetime('failed_at', { mode: 'date', fsp: 3 }),
}, (t) => [index('workflow_outbox_pending_idx').on(t.dispatchedAt, t.id), index('workflow_outbox_failed_idx').on(t.failedAt),
  index('workflow_outbox_workflow_idx').on(t.workflowId, t.id)]);

export const PARTNERSHIP_STATUSES = [
  'pending_approval', 'pending_registration', 'active', 'declined', 'expired', 'withdrawn', 'ended',
] as const;
export const COMMISSION_TYPES = ['none', 'percent', 'fixed'] as const;
export const PAYMENT_LOCATIONS = ['partner', 'institution'] as const;

/**
 * A partnership between an institution and a partner organisation, with the settings that bookings snapshot when they
 * are made (commission rule, payment location). Editing these never rewrites past bookings.
 */
export const partnerships = mysqlTable('partnerships', {
  id: int('id').autoincrement().primaryKey(),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  partnerOrganisationId: int('partner_organisation_id').notNull().references(() => organisations.id),
  status: mysqlEnum('status', PARTNERSHIP_STATUSES).notNull(),
  contactName: varchar('contact_name', { length: 200 }).notNull(),
  contactEmail: varchar('contact_email', { length: 254 }).notNull(),
  contactPhone: varchar('contact_phone', { length: 32 }).notNull(),
  commissionType: mysqlEnum('commission_type', COMMISSION_TYPES).notNull().default('none'),
  /** Basis points for 'percent' (1250 = 12.5 %), minor units of commissionCurrency for 'fixed', 0 for 'none'. */
  commissionValue: int('commission_value').notNull().default(0),
  commissionCurrency: char('commission_currency', { length: 3 }),
  paymentLocation: mysqlEnum('payment_location', PAYMENT_LOCATIONS).notNull(),
  patientDataAccess: boolean('patient_data_access').notNull().default(false),
  invitedByUserId: int('invited_by_user_id').references(() => users.id),
  invitedAt: datetime('invited_at', { mode: 'date', fsp: 3 }).notNull(),
  acceptedAt: datetime('accepted_at', { mode: 'date', fsp: 3 }),
  closedAt: datetime('closed_at', { mode: 'date', fsp: 3 }),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
}, (t) => [index('partnerships_pair_idx').on(t.institutionId, t.partnerOrganisationId, t.status),
  index('partnerships_partner_idx').on(t.partnerOrganisationId, t.status)]);

/**
 * What the partner is told about a change the institution made to its partnership (issue 10, item 3): the partnership
 * ended, its invitation was withdrawn, its commercial terms or its authorised services changed. One row per change
 * (one save): its ID names the partnershipNotice workflow, whose activity emails the partner's admins from it. Before
 * and after hold codes and IDs only (commission, payment location, patient-data access, location and service IDs);
 * names are read when the email is written, in the recipient's language.
 */
export const partnershipNotices = mysqlTable('partnership_notices', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  partnershipId: int('partnership_id').notNull().references(() => partnerships.id),
  kind: mysqlEnum('kind', ['ended', 'withdrawn', 'terms', 'services']).notNull(),
  before: json('before').$type<Record<string, unknown>>(),
  after: json('after').$type<Record<string, unknown>>(),
  actorUserId: int('actor_user_id').references(() => users.id),
  createdAt: createdAt(),
}, (t) => [index('partnership_notices_partnership_idx').on(t.partnershipId)]);

export const partnershipLocations = mysqlTable('partnership_locations', {
  partnershipId: int('partnership_id').notNull().references(() => partnerships.id),
  locationId: int('location_id').notNull().references(() => locations.id),
}, (t) => [primaryKey({ columns: [t.partnershipId, t.locationId] })]);

/**
 * One row per invitation round of a partnership (a resend starts a new round and revokes the previous one).
 * 'registration' rounds have a link token (only its SHA-256 stored); 'approval' rounds are answered in the app.
 */
export const partnerInvitations = mysqlTable('partner_invitations', {
  id: int('id').autoincrement().primaryKey(),
  partnershipId: int('partnership_id').notNull().references(() => partnerships.id),
  kind: mysqlEnum('kind', ['registration', 'approval']).notNull(),
  runKey: varchar('run_key', { length: 100 }).notNull(),
  tokenHash: char('token_hash', { length: 64 }),
  createdAt: createdAt(),
  expiresAt: datetime('expires_at', { mode: 'date', fsp: 3 }).notNull(),
  remindersSent: smallint('reminders_sent').notNull().default(0),
  usedAt: datetime('used_at', { mode: 'date', fsp: 3 }),
  revokedAt: datetime('revoked_at', { mode: 'date', fsp: 3 }),
}, (t) => [uniqueIndex('partner_invitations_run_uq').on(t.runKey), uniqueIndex('partner_invitations_token_uq').on(t.tokenHash),
  index('partner_invitations_partnership_idx').on(t.partnershipId)]);

/** Versions of the General Terms and Conditions, shown in full before acceptance. Published versions never change. */
export const gtcVersions = mysqlTable('gtc_versions', {
  id: int('id').autoincrement().primaryKey(),
  version: varchar('version', { length: 32 }).notNull(),
  bodyEn: text('body_en').notNull(),
  bodyRo: text('body_ro').notNull(),
  publishedAt: datetime('published_at', { mode: 'date', fsp: 3 }).notNull(),
}, (t) => [uniqueIndex('gtc_versions_version_uq').on(t.version)]);

export const gtcAcceptances = mysqlTable('gtc_acceptances', {
  id: int('id').autoincrement().primaryKey(),
  organisationId: int('organisation_id').notNull().references(() => organisations.id),
  userId: int('user_id').references(() => users.id),
  gtcVersionId: int('gtc_version_id').notNull().references(() => gtcVersions.id),
  partnershipId: int('partnership_id').references(() => partnerships.id),
  acceptedAt: datetime('accepted_at', { mode: 'date', fsp: 3 }).notNull(),
  ip: varchar('ip', { length: 64 }),
}, (t) => [index('gtc_acceptances_org_idx').on(t.organisationId)]);

export const BOOKING_STATUSES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;
export const PAYMENT_STATUSES = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'paid_at_partner', 'not_paid'] as const;
export const BOOKING_SOURCES = ['online', 'phone', 'partner', 'staff'] as const;

/**
 * Patients belong to an institution. Partners with "access to patient data" may search them (never list or export);
 * createdByOrganisationId records who entered the patient, so a partner's exports only carry what it entered itself.
 */
export const patients = mysqlTable('patients', {
  id: int('id').autoincrement().primaryKey(),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  name: varchar('name', { length: 200 }).notNull(),
  /** Null only once the patient was erased (as are national ID, phone and email). */
  birthDate: date('birth_date', { mode: 'string' }),
  nationalId: varchar('national_id', { length: 32 }),
  phone: varchar('phone', { length: 32 }),
  email: varchar('email', { length: 254 }),
  createdByOrganisationId: int('created_by_organisation_id').notNull().references(() => organisations.id),
  createdByUserId: int('created_by_user_id').references(() => users.id),
  createdAt: createdAt(),
  /**
   * Erasure (a data-subject request, server/patients/): the personal fields are anonymised (name 'Erased patient #id',
   * the others null) and the patient is never found, booked or emailed again; bookings and statistics stay.
   */
  erasedAt: datetime('erased_at', { mode: 'date', fsp: 3 }),
  erasedByUserId: int('erased_by_user_id').references(() => users.id),
}, (t) => [index('patients_institution_name_idx').on(t.institutionId, t.name),
  index('patients_institution_national_id_idx').on(t.institutionId, t.nationalId),
  index('patients_institution_phone_idx').on(t.institutionId, t.phone),
  index('patients_institution_birth_idx').on(t.institutionId, t.birthDate)]);

/**
 * Bookings. Partner bookings copy the partnership's commission rule (with its currency) and payment location when
 * made, so later changes to the partnership never rewrite them. Active bookings (not cancelled) of one physician never
 * overlap: every write locks the physician's row and checks overlap through (physician_id, starts_at).
 */
export const bookings = mysqlTable('bookings', {
  id: int('id').autoincrement().primaryKey(),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  locationId: int('location_id').notNull().references(() => locations.id),
  physicianId: int('physician_id').notNull().references(() => physicians.id),
  serviceId: int('service_id').notNull().references(() => services.id),
  patientId: int('patient_id').references(() => patients.id),
  startsAt: datetime('starts_at', { mode: 'date', fsp: 3 }).notNull(),
  endsAt: datetime('ends_at', { mode: 'date', fsp: 3 }).notNull(),
  status: mysqlEnum('status', BOOKING_STATUSES).notNull().default('booked'),
  paymentStatus: mysqlEnum('payment_status', PAYMENT_STATUSES).notNull().default('payment_upon_examination'),
  sourceChannel: mysqlEnum('source_channel', BOOKING_SOURCES).notNull(),
  partnershipId: int('partnership_id').references(() => partnerships.id),
  bookedByUserId: int('booked_by_user_id').references(() => users.id),
  /** The organisation whose user made the booking (the partner, or the institution for Phone/staff bookings). */
  bookedByOrganisationId: int('booked_by_organisation_id').references(() => organisations.id),
  priceMinor: int('price_minor').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  commissionType: mysqlEnum('commission_type', COMMISSION_TYPES).notNull().default('none'),
  commissionValue: int('commission_value').notNull().default(0),
  /** Currency of a fixed commission (null for none/percent: a percent applies to the booking's own currency). */
  commissionCurrency: char('commission_currency', { length: 3 }),
  paymentLocation: mysqlEnum('payment_location', PAYMENT_LOCATIONS),
  cancellationReason: varchar('cancellation_reason', { length: 500 }),
  cancelledAt: datetime('cancelled_at', { mode: 'date', fsp: 3 }),
  /** Client-generated key of the "Confirm" request: a retried or double-clicked confirm never books twice. */
  idempotencyKey: varchar('idempotency_key', { length: 64 }),
  version: int('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
}, (t) => [index('bookings_partnership_start_idx').on(t.partnershipId, t.startsAt),
  index('bookings_physician_start_idx').on(t.physicianId, t.startsAt),
  index('bookings_institution_start_idx').on(t.institutionId, t.startsAt),
  /**
   * Statistics: covers every column the statistics filter, group and sort on (decision 009), so that a month of an
   * institution is one index range scan without a row lookup per booking.
   */
  index('bookings_statistics_idx').on(t.institutionId, t.startsAt, t.sourceChannel, t.partnershipId, t.status, t.paymentStatus, t.currency,
    t.priceMinor, t.commissionType, t.commissionValue, t.commissionCurrency, t.locationId, t.physicianId, t.serviceId, t.patientId),
  index('bookings_patient_idx').on(t.patientId),
  /** "My bookings" of a partner organisation: upcoming / past by start, and their counts, from the index alone. */
  index('bookings_booked_by_org_start_idx').on(t.bookedByOrganisationId, t.startsAt, t.endsAt, t.institutionId),
  uniqueIndex('bookings_idempotency_uq').on(t.bookedByUserId, t.idempotencyKey)]);

export const BOOKING_EVENT_TYPES = ['created', 'moved', 'service_changed', 'cancelled', 'status_changed', 'payment_changed'] as const;

/**
 * Every change of a booking: who (a user, the patient through the emailed link, or the system), when, what before and
 * after. Shown on the booking details; settlement adjustments are computed from it.
 */
export const bookingEvents = mysqlTable('booking_events', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  bookingId: int('booking_id').notNull().references(() => bookings.id),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  type: mysqlEnum('type', BOOKING_EVENT_TYPES).notNull(),
  actorKind: mysqlEnum('actor_kind', ['user', 'patient', 'system']).notNull(),
  actorUserId: int('actor_user_id').references(() => users.id),
  before: json('before').$type<Record<string, unknown>>(),
  after: json('after').$type<Record<string, unknown>>(),
  at: createdAt(),
}, (t) => [index('booking_events_booking_idx').on(t.bookingId, t.id), index('booking_events_institution_at_idx').on(t.institutionId, t.at)]);

/**
 * Traffic channels: which services may be booked through which channel. A channel is 'online', 'phone' or one
 * partnership ('partnership:<id>'); a partner can book only the services ticked in its own column.
 */
export const channelServices = mysqlTable('channel_services', {
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  serviceId: int('service_id').notNull().references(() => services.id),
  channelKey: varchar('channel_key', { length: 40 }).notNull(),
  partnershipId: int('partnership_id').references(() => partnerships.id),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.serviceId, t.channelKey] }), index('channel_services_institution_idx').on(t.institutionId, t.channelKey)]);

export const SETTLEMENT_STATUSES = ['draft', 'issued', 'paid'] as const;

/**
 * One commission statement per (institution, partnership, month in the institution's time zone). A draft is rebuilt
 * by every settlement run; once issued it never changes (its lines are frozen), and later changes to its bookings
 * become adjustment lines of the next statement.
 */
export const settlementStatements = mysqlTable('settlement_statements', {
  id: int('id').autoincrement().primaryKey(),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  partnershipId: int('partnership_id').notNull().references(() => partnerships.id),
  /** 'YYYY-MM', the month in the institution's time zone. */
  month: char('month', { length: 7 }).notNull(),
  status: mysqlEnum('status', SETTLEMENT_STATUSES).notNull().default('draft'),
  issuedAt: datetime('issued_at', { mode: 'date', fsp: 3 }),
  issuedByUserId: int('issued_by_user_id').references(() => users.id),
  paidOn: date('paid_on', { mode: 'string' }),
  paidByUserId: int('paid_by_user_id').references(() => users.id),
  /** The settlement run that last rebuilt this draft. */
  lastRunId: int('last_run_id'),
  version: int('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: datetime('updated_at', { mode: 'date', fsp: 3 }).notNull().default(sql`CURRENT_TIMESTAMP(3)`),
}, (t) => [uniqueIndex('settlement_statements_uq').on(t.institutionId, t.partnershipId, t.month),
  index('settlement_statements_partnership_idx').on(t.partnershipId, t.status)]);

export const SETTLEMENT_LINE_KINDS = ['booking', 'adjustment'] as const;

/**
 * A line per eligible booking (kind 'booking'), or a correction of a booking settled in an earlier issued statement
 * (kind 'adjustment', signed amounts). Amounts are copied from the booking's snapshot. One line per booking per kind
 * per statement, enforced by the database.
 */
export const settlementLines = mysqlTable('settlement_lines', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  statementId: int('statement_id').notNull().references(() => settlementStatements.id),
  bookingId: int('booking_id').notNull().references(() => bookings.id),
  kind: mysqlEnum('kind', SETTLEMENT_LINE_KINDS).notNull(),
  startsAt: datetime('starts_at', { mode: 'date', fsp: 3 }).notNull(),
  serviceId: int('service_id').notNull().references(() => services.id),
  priceMinor: int('price_minor').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  paymentLocation: mysqlEnum('payment_location', PAYMENT_LOCATIONS).notNull(),
  commissionType: mysqlEnum('commission_type', COMMISSION_TYPES).notNull(),
  commissionValue: int('commission_value').notNull(),
  commissionMinor: int('commission_minor').notNull(),
  commissionCurrency: char('commission_currency', { length: 3 }).notNull(),
  /** Paid at the institution: the institution owes the partner the commission. */
  institutionOwesMinor: int('institution_owes_minor').notNull(),
  /** Paid at the partner: the partner collected the price and owes the institution price − commission. */
  partnerOwesMinor: int('partner_owes_minor').notNull(),
  /** For adjustments: why (e.g. 'cancelled after issue', 'no-show corrected', 'price corrected'). */
  note: varchar('note', { length: 200 }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('settlement_lines_uq').on(t.statementId, t.bookingId, t.kind), index('settlement_lines_booking_idx').on(t.bookingId)]);

/** Every settlement run of an institution and month (scheduled or started by an admin), with its progress. */
export const settlementRuns = mysqlTable('settlement_runs', {
  id: int('id').autoincrement().primaryKey(),
  institutionId: int('institution_id').notNull().references(() => organisations.id),
  month: char('month', { length: 7 }).notNull(),
  trigger: mysqlEnum('trigger', ['schedule', 'manual']).notNull(),
  startedByUserId: int('started_by_user_id').references(() => users.id),
  workflowId: varchar('workflow_id', { length: 190 }).notNull(),
  status: mysqlEnum('status', ['queued', 'running', 'completed', 'failed']).notNull().default('queued'),
  statements: int('statements').notNull().default(0),
  lines: int('lines').notNull().default(0),
  /** Progress: partnerships to settle in this run, and how many are done (each one in its own idempotent chunk). */
  partnershipsTotal: int('partnerships_total').notNull().default(0),
  partnershipsDone: int('partnerships_done').notNull().default(0),
  /** The Temporal run that created the row (scheduled runs): a retried "begin" activity finds its row again. */
  runKey: varchar('run_key', { length: 100 }),
  startedAt: createdAt(),
  finishedAt: datetime('finished_at', { mode: 'date', fsp: 3 }),
  lastError: text('last_error'),
}, (t) => [index('settlement_runs_institution_month_idx').on(t.institutionId, t.month), uniqueIndex('settlement_runs_run_key_uq').on(t.runKey)]);
