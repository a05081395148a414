/**
 * Activities of the BookingLifecycle workflow (`booking:<id>`). Their inputs and results carry IDs, statuses, versions
 * and times only — never a patient's name, phone, email or national ID — because they are written into the workflow
 * history, which operators read in the Temporal UI. Each is idempotent: emails are keyed by a unique message key
 * (`booking:<id>:<stage>:v<version>:<recipient>`), fulfilment is a conditional update.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { bookings, emailOutbox, locations, organisations, partnerships, patients, physicians, services, users } from '../db/schema';
import { fulfilBooking, loadBookingSchedule, type BookingSchedule, type FulfilResult } from '../server/bookings/lifecycle';
import { selectFromBookings } from '../server/bookings/joins';
import { bookingCancelToken } from '../server/domain/invitation-token';
import { DEFAULT_FULFILMENT_GRACE_MS, canPatientCancel, patientCancellableUntil } from '../server/domain/booking-status';
import { contactLocale } from '../server/domain/contact-locale';
import type { ActivityDeps, EmailActivities } from './email-activities';
import {
  renderBookingPartnerEmail, renderBookingPatientEmail, type BookingEmailStage, type RenderedEmail,
} from './mail/templates';


export const BOOKING_EMAIL_TEMPLATES = ['booking-confirmation', 'booking-reminder', 'booking-rescheduled', 'booking-cancelled'] as const;
export type BookingEmailTemplate = (typeof BOOKING_EMAIL_TEMPLATES)[number];

/** A patient's email whose patient was erased after it was queued: never sent (deliverEmail marks the row skipped). */
export class RecipientErased extends Error {
  constructor() { super('the patient was erased'); this.name = 'RecipientErased'; }
}

export function isBookingEmailTemplate(template: string): template is BookingEmailTemplate {
  return (BOOKING_EMAIL_TEMPLATES as readonly string[]).includes(template);
}

/** What the workflow reads: the schedule plus the grace period after the end before the booking is fulfilled. */
export interface BookingLifecycleSchedule extends BookingSchedule {
  fulfilGraceMs: number;
  /** How long before the start the patient is reminded (BOOKING_REMINDER_HOURS); absent in older histories: 24 h. */
  reminderBeforeMs?: number;
}

export interface QueueBookingEmailsInput {
  bookingId: number;
  stage: BookingEmailStage;
  /** The booking version the workflow acted on: each reschedule (a new version) sends its emails once. */
  version: number;
}

export type BookingLifecycleActivities = ReturnType<typeof createBookingLifecycleActivities> & Pick<EmailActivities, 'deliverEmail'>;

/**
 * The partner organisation's recipient of a partner booking's emails: the user who made the booking when that user
 * belongs to the partner organisation and is still active (the person who acts on it in the app, in their own
 * language); otherwise — a booking institution staff recorded for a partner that phoned it in, or a booker who left —
 * the partnership's contact email. One recipient, so the partner does not get every email twice.
 */
async function partnerRecipient(db: Db, partnershipId: number, bookedByUserId: number | null) {
  const [p] = await db.select({ partnerOrganisationId: partnerships.partnerOrganisationId, contactEmail: partnerships.contactEmail })
    .from(partnerships).where(eq(partnerships.id, partnershipId)).limit(1);
  if (!p) return null;
  if (bookedByUserId !== null) {
    const [u] = await db.select({ id: users.id, email: users.email, organisationId: users.organisationId, status: users.status })
      .from(users).where(eq(users.id, bookedByUserId)).limit(1);
    if (u && u.organisationId === p.partnerOrganisationId && u.status === 'active') return { kind: 'user' as const, userId: u.id, email: u.email };
  }
  return { kind: 'contact' as const, email: p.contactEmail };
}

export function createBookingLifecycleActivities(deps: ActivityDeps) {
  const { db } = deps;
  const graceMs = () => deps.bookingFulfilGraceMs ?? DEFAULT_FULFILMENT_GRACE_MS;

  return {
    /** The booking's status, times (epoch ms) and version, or null when it does not exist. */
    async loadBookingSchedule(bookingId: number): Promise<BookingLifecycleSchedule | null> {
      const schedule = await loadBookingSchedule(db, bookingId);
      return schedule && {
        ...schedule, fulfilGraceMs: graceMs(),
        ...(deps.bookingReminderBeforeMs ? { reminderBeforeMs: deps.bookingReminderBeforeMs } : {}),
      };
    },

    /**
     * Queues the stage's emails — the patient's (when the patient gave an email) and, for partner bookings, the
     * partner organisation's (not for the reminder) — and returns their message keys. Rows hold IDs only; the body is
     * rendered at send time. A stage that no longer fits the booking (a reminder for a booking that is no longer
     * `booked` or has started, a cancellation email for one that is not cancelled) queues nothing.
     */
    async queueBookingEmails(input: QueueBookingEmailsInput): Promise<string[]> {
      const [b] = await db.select({
        id: bookings.id, status: bookings.status, startsAt: bookings.startsAt, patientId: bookings.patientId,
        partnershipId: bookings.partnershipId, bookedByUserId: bookings.bookedByUserId,
      }).from(bookings).where(eq(bookings.id, input.bookingId)).limit(1);
      if (!b) return [];
      const fits = input.stage === 'reminder' ? b.status === 'booked' && b.startsAt.getTime() > Date.now()
        : input.stage === 'cancelled' ? b.status === 'cancelled' : b.status !== 'cancelled';
      if (!fits) return [];
      const prefix = `booking:${b.id}:${input.stage}:v${input.version}`;
      const template: BookingEmailTemplate = `booking-${input.stage}`;
      const keys: string[] = [];
      if (b.patientId !== null) {
        const [patient] = await db.select({ email: patients.email, erasedAt: patients.erasedAt }).from(patients).where(eq(patients.id, b.patientId)).limit(1);
        // An erased patient (server/patients/) has no email left, and is never written to again.
        if (patient?.email && !patient.erasedAt) {
          const key = `${prefix}:patient`;
          await db.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: patient.email, template, params: { bookingId: b.id, version: input.version, audience: 'patient' } });
          keys.push(key);
        }
      }
      if (b.partnershipId !== null && input.stage !== 'reminder') {
        const to = await partnerRecipient(db, b.partnershipId, b.bookedByUserId);
        if (to) {
          const key = to.kind === 'user' ? `${prefix}:partner-user-${to.userId}` : `${prefix}:partner-contact`;
          const params: Record<string, string | number> = to.kind === 'user'
            ? { bookingId: b.id, version: input.version, audience: 'partner', userId: to.userId }
            : { bookingId: b.id, version: input.version, audience: 'partner' };
          await db.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: to.email, template, params });
          keys.push(key);
        }
      }
      return keys;
    },

    /** After the end plus the grace period: `fulfilled`, unless cancelled or marked no-show (see server/bookings/lifecycle.ts). */
    async fulfilBooking(bookingId: number): Promise<FulfilResult> {
      return fulfilBooking(db, bookingId, new Date(), graceMs());
    },
  };
}

/**
 * Renders a booking email at send time from the current booking: times in the location's time zone; the patient's in
 * the institution country's language ('ro' for Romanian institutions — patients have no language of their own yet),
 * with the cancel link while the service's cancellation window is open; the partner's in the recipient user's
 * language (or the partner country's for the contact email), with the patient's name but never the national ID.
 */
export async function renderBookingEmail(deps: Pick<ActivityDeps, 'db' | 'appUrl' | 'appSecret'>, template: BookingEmailTemplate, params: Record<string, string | number>): Promise<RenderedEmail> {
  const { db } = deps;
  const stage = template.slice('booking-'.length) as BookingEmailStage;
  const bookingId = Number(params.bookingId);
  const [row] = await selectFromBookings(db, {
    status: bookings.status, startsAt: bookings.startsAt, patientId: bookings.patientId, partnershipId: bookings.partnershipId,
    cancellationReason: bookings.cancellationReason,
    institutionName: organisations.name, institutionCountry: organisations.country,
    locationName: locations.name, locationAddress: locations.address, timeZone: locations.timeZone,
    physicianName: physicians.name, serviceName: services.name, cancellationWindowHours: services.cancellationWindowHours,
  }, { institution: organisations, catalogue: true })
    .where(eq(bookings.id, bookingId)).limit(1);
  if (!row) throw new Error(`booking ${bookingId} not found`);
  const [patient] = row.patientId === null ? [] : await db.select({ name: patients.name, createdBy: patients.createdByOrganisationId, erasedAt: patients.erasedAt })
    .from(patients).where(eq(patients.id, row.patientId)).limit(1);
  const base = {
    stage, institutionName: row.institutionName, locationName: row.locationName, locationAddress: row.locationAddress,
    physicianName: row.physicianName, serviceName: row.serviceName, startsAt: row.startsAt, timeZone: row.timeZone,
  };

  if (params.audience === 'patient') {
    if (!patient) throw new Error(`booking ${bookingId} has no patient`);
    if (patient.erasedAt) throw new RecipientErased();
    const cancellableUntil = patientCancellableUntil(row.startsAt, row.cancellationWindowHours);
    const open = canPatientCancel(row, row.cancellationWindowHours, new Date());
    const cancelLink = open ? `${deps.appUrl}/cancel-booking?token=${encodeURIComponent(bookingCancelToken(deps.appSecret, bookingId))}` : null;
    return renderBookingPatientEmail({ ...base, locale: contactLocale(row.institutionCountry), recipientName: patient.name, cancelLink, cancellableUntil });
  }

  if (row.partnershipId === null) throw new Error(`booking ${bookingId} is not a partner booking`);
  const [p] = await db.select({
    contactName: partnerships.contactName, partnerName: organisations.name, partnerCountry: organisations.country, partnerId: organisations.id,
  })
    .from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(eq(partnerships.id, row.partnershipId)).limit(1);
  if (!p) throw new Error(`partnership ${row.partnershipId} not found`);
  // The partner learns the name only of a patient it entered itself (not of the institution's own patients, e.g. a
  // booking staff attributed to it), as in its statistics.
  const patientName = patient && patient.createdBy === p.partnerId ? patient.name : null;
  const common = { ...base, patientName, partnerName: p.partnerName, cancellationReason: row.cancellationReason };
  if (params.userId !== undefined) {
    const [u] = await db.select({ name: users.name, locale: users.locale }).from(users).where(eq(users.id, Number(params.userId))).limit(1);
    if (!u) throw new Error(`user ${params.userId} not found`);
    return renderBookingPartnerEmail({ ...common, locale: u.locale, recipientName: u.name, appLink: `${deps.appUrl}/my-bookings` });
  }
  return renderBookingPartnerEmail({ ...common, locale: contactLocale(p.partnerCountry), recipientName: p.contactName, appLink: null });
}
