/**
 * The booking lifecycle activities against real MariaDB and a real SMTP server: fulfilment is idempotent and never
 * touches a cancelled or no-show booking; emails are queued once per message key with IDs only; the confirmation shows
 * the start in the LOCATION's time zone and carries a working cancel link. Fixture rows are inserted directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import { startHarness, type Harness } from '../test/harness';
import { createActivities } from './activities';
import { createMailer } from './mail/mailer';
import {
  bookingEvents, bookings, emailOutbox, locations, organisations, partnerships, patients, physicians, services, users, BOOKING_STATUSES,
} from '../db/schema';
import { verifyBookingCancelToken } from '../server/domain/invitation-token';
import { bookingWorkflowId, enqueueBookingChanged, enqueueBookingLifecycle } from '../server/workflow-outbox';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A zone that differs from both UTC and the institution's (Europe/Bucharest): the email must use this one. */
const LOCATION_ZONE = 'Europe/Istanbul';
const PATIENT = { name: 'Zenobia Integration-Patient', email: 'zenobia.integration@patient.example', phone: '+40799314159', nationalId: '2850101314159' };
const BOOKER = { email: 'booker@lifecycle-partner.example', name: 'Bianca Booker' };

let h: Harness;
let acts: ReturnType<typeof createActivities>;
let mailer: ReturnType<typeof createMailer>;
let fx: { institutionId: number; locationId: number; physicianId: number; serviceId: number; cancellationWindowHours: number; patientId: number; partnershipId: number; bookerId: number; partnerOrgId: number };

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  mailer = createMailer(h.smtp.url, h.config.mailFrom);
  acts = createActivities({ db, mailer, appUrl: h.baseUrl, appSecret: h.config.appSecret, bookingFulfilGraceMs: DAY });

  const [institution] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.isInstitution, true)).orderBy(asc(organisations.id)).limit(1);
  const [physician] = await db.select({ id: physicians.id }).from(physicians).where(eq(physicians.organisationId, institution.id)).orderBy(asc(physicians.id)).limit(1);
  const [service] = await db.select({ id: services.id }).from(services).where(eq(services.organisationId, institution.id)).orderBy(asc(services.id)).limit(1);
  await db.update(services).set({ cancellationWindowHours: 24 }).where(eq(services.id, service.id));
  const [location] = await db.insert(locations).values({ organisationId: institution.id, name: 'Lifecycle Test Location', address: 'Str. Test 1, Cluj-Napoca', timeZone: LOCATION_ZONE }).$returningId();
  const [partnerOrg] = await db.insert(organisations).values({ name: 'Lifecycle Partner SRL', country: 'RO', taxNumber: 'RO99887766', registrationNumber: 'J12/1/2026', address: 'Str. Partener 2, Cluj-Napoca' }).$returningId();
  const [booker] = await db.insert(users).values({ organisationId: partnerOrg.id, email: BOOKER.email, name: BOOKER.name, role: 'staff', canBookPartner: true, status: 'active', locale: 'en' }).$returningId();
  const [partnership] = await db.insert(partnerships).values({
    institutionId: institution.id, partnerOrganisationId: partnerOrg.id, status: 'active', contactName: 'Carmen Contact',
    contactEmail: 'contact@lifecycle-partner.example', contactPhone: '+40700000001', paymentLocation: 'institution', invitedAt: new Date(),
  }).$returningId();
  const [patient] = await db.insert(patients).values({ institutionId: institution.id, name: PATIENT.name, birthDate: '1985-01-01', nationalId: PATIENT.nationalId, phone: PATIENT.phone, email: PATIENT.email, createdByOrganisationId: partnerOrg.id }).$returningId();
  fx = {
    institutionId: institution.id, locationId: location.id, physicianId: physician.id, serviceId: service.id,
    cancellationWindowHours: 24, patientId: patient.id, partnershipId: partnership.id, bookerId: booker.id, partnerOrgId: partnerOrg.id,
  };
});
afterAll(async () => { mailer?.close(); await h?.close(); });

let slot = 0;
/** Inserts a partner booking starting `startsIn` from now (each on its own half hour so none overlap). */
async function insertBooking(startsIn: number, status: (typeof BOOKING_STATUSES)[number] = 'booked', durationMs = 30 * MINUTE) {
  const startsAt = new Date(Math.floor((Date.now() + startsIn) / (15 * MINUTE)) * 15 * MINUTE + (slot++ % 3) * MINUTE);
  const [row] = await h.database.db.insert(bookings).values({
    institutionId: fx.institutionId, locationId: fx.locationId, physicianId: fx.physicianId, serviceId: fx.serviceId, patientId: fx.patientId,
    startsAt, endsAt: new Date(startsAt.getTime() + durationMs), status, sourceChannel: 'partner', partnershipId: fx.partnershipId,
    bookedByUserId: fx.bookerId, bookedByOrganisationId: fx.partnerOrgId, priceMinor: 25_000, currency: 'RON', paymentLocation: 'institution',
  }).$returningId();
  return { id: row.id, startsAt };
}

async function booking(id: number) {
  const [b] = await h.database.db.select().from(bookings).where(eq(bookings.id, id));
  return b;
}
const events = (id: number) => h.database.db.select().from(bookingEvents).where(eq(bookingEvents.bookingId, id));

describe('fulfilBooking', () => {
  it('fulfils a booking after its end plus the grace period, once', async () => {
    const { id } = await insertBooking(-2 * DAY);
    expect(await acts.loadBookingSchedule(id)).toMatchObject({ bookingId: id, status: 'booked', version: 1, fulfilGraceMs: DAY });
    expect(await acts.fulfilBooking(id)).toEqual({ result: 'fulfilled', version: 2 });
    expect(await acts.fulfilBooking(id)).toEqual({ result: 'fulfilled', version: 2 });
    expect(await booking(id)).toMatchObject({ status: 'fulfilled', version: 2 });
    const evs = await events(id);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ type: 'status_changed', actorKind: 'system', actorUserId: null, before: { status: 'booked' }, after: { status: 'fulfilled' } });
  });

  it('fulfils an arrived booking too', async () => {
    const { id } = await insertBooking(-2 * DAY, 'arrived');
    expect(await acts.fulfilBooking(id)).toEqual({ result: 'fulfilled', version: 2 });
    expect((await events(id))[0]).toMatchObject({ before: { status: 'arrived' }, after: { status: 'fulfilled' } });
  });

  it('never fulfils a cancelled or no-show booking, nor one whose end plus grace is still ahead', async () => {
    for (const status of ['cancelled', 'noshow'] as const) {
      const { id } = await insertBooking(-3 * DAY, status);
      expect(await acts.fulfilBooking(id)).toEqual({ result: 'not_fulfillable', status, version: 1 });
      expect(await booking(id)).toMatchObject({ status, version: 1 });
      expect(await events(id)).toHaveLength(0);
    }
    const { id } = await insertBooking(-2 * HOUR); // ended 1.5 h ago: within the 24 h grace
    expect(await acts.fulfilBooking(id)).toEqual({ result: 'not_due', status: 'booked', version: 1 });
    expect(await booking(id)).toMatchObject({ status: 'booked', version: 1 });
    expect(await acts.fulfilBooking(999_999)).toEqual({ result: 'missing' });
  });
});

describe('queueBookingEmails', () => {
  it('queues the patient and the booking partner user once per key, with IDs only', async () => {
    const { id } = await insertBooking(3 * DAY);
    const keys = await acts.queueBookingEmails({ bookingId: id, stage: 'confirmation', version: 1 });
    expect(keys).toEqual([`booking:${id}:confirmation:v1:patient`, `booking:${id}:confirmation:v1:partner-user-${fx.bookerId}`]);
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'confirmation', version: 1 })).toEqual(keys);
    const rows = await h.database.db.select().from(emailOutbox).where(like(emailOutbox.messageKey, `booking:${id}:%`));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.toAddress).sort()).toEqual([BOOKER.email, PATIENT.email].sort());
    for (const r of rows) {
      expect(r.template).toBe('booking-confirmation');
      const params = JSON.stringify(r.params);
      for (const v of Object.values(PATIENT)) expect(params).not.toContain(v);
      expect(params).not.toMatch(/token|http/);
    }
    // A new version (a reschedule) is a new key; the reminder goes to the patient only.
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'rescheduled', version: 2 })).toHaveLength(2);
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'reminder', version: 2 })).toEqual([`booking:${id}:reminder:v2:patient`]);
    // Stages that no longer fit the booking queue nothing.
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'cancelled', version: 2 })).toEqual([]);
  });

  it('writes to the partnership contact when the booking was recorded by institution staff', async () => {
    const { id } = await insertBooking(4 * DAY);
    const [staff] = await h.database.db.select({ id: users.id }).from(users).where(eq(users.organisationId, fx.institutionId)).limit(1);
    await h.database.db.update(bookings).set({ bookedByUserId: staff.id, bookedByOrganisationId: fx.institutionId }).where(eq(bookings.id, id));
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'confirmation', version: 1 }))
      .toEqual([`booking:${id}:confirmation:v1:patient`, `booking:${id}:confirmation:v1:partner-contact`]);
  });

  it('queues no reminder for a cancelled booking and no patient email without an email address', async () => {
    const { id } = await insertBooking(3 * DAY, 'cancelled');
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'reminder', version: 1 })).toEqual([]);
    expect(await acts.queueBookingEmails({ bookingId: id, stage: 'cancelled', version: 2 })).toHaveLength(2);
    const [noEmail] = await h.database.db.insert(patients).values({ institutionId: fx.institutionId, name: 'No Email', birthDate: '1990-02-02', phone: '+40700000002', createdByOrganisationId: fx.partnerOrgId }).$returningId();
    const other = await insertBooking(5 * DAY);
    await h.database.db.update(bookings).set({ patientId: noEmail.id }).where(eq(bookings.id, other.id));
    expect(await acts.queueBookingEmails({ bookingId: other.id, stage: 'reminder', version: 1 })).toEqual([]);
  });
});

describe('booking emails through SMTP', () => {
  it('the confirmation shows the time in the location’s zone and a working cancel link; the partner’s has no national ID', async () => {
    const { id, startsAt } = await insertBooking(3 * DAY);
    const [patientKey, partnerKey] = await acts.queueBookingEmails({ bookingId: id, stage: 'confirmation', version: 1 });
    expect(await acts.deliverEmail(patientKey)).toBe('sent');
    expect(await acts.deliverEmail(patientKey)).toBe('already_sent');
    const mail = await h.smtp.waitFor(PATIENT.email, 1);
    const local = (zone: string, locale = 'ro-RO') => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(startsAt);
    expect(local(LOCATION_ZONE)).not.toBe(local('Europe/Bucharest'));
    // Romanian institution → Romanian email; the start in the location's zone, not the organisation's or UTC.
    expect(mail.subject).toContain('Confirmare programare');
    expect(mail.text).toContain(local(LOCATION_ZONE));
    expect(mail.text).not.toContain(local('Europe/Bucharest'));
    expect(mail.text).toContain(PATIENT.name);
    const link = /https?:\/\/\S+\/cancel-booking\?token=[A-Za-z0-9_.%-]+/.exec(mail.text)?.[0];
    expect(link, mail.text).toBeDefined();
    expect(link!.startsWith(`${h.baseUrl}/cancel-booking?token=`)).toBe(true);
    const token = decodeURIComponent(new URL(link!).searchParams.get('token')!);
    expect(verifyBookingCancelToken(h.config.appSecret, token)).toBe(id);
    // Valid until the start minus the service's cancellation window, shown in the location's zone.
    const until = new Date(startsAt.getTime() - fx.cancellationWindowHours * HOUR);
    expect(mail.text).toContain(new Intl.DateTimeFormat('ro-RO', { hour: '2-digit', minute: '2-digit', timeZone: LOCATION_ZONE }).format(until));

    await acts.deliverEmail(partnerKey);
    const partnerMail = await h.smtp.waitFor(BOOKER.email, 1);
    expect(partnerMail.subject).toContain('New booking'); // the booker's own language (en)
    expect(partnerMail.text).toContain(PATIENT.name);
    expect(partnerMail.subject).not.toContain(PATIENT.name); // subjects show up in previews and mail logs
    expect(partnerMail.text).toContain(local(LOCATION_ZONE, 'en-GB'));
    expect(partnerMail.text).not.toContain(PATIENT.nationalId);
    expect(partnerMail.text).not.toContain(PATIENT.phone);
    expect(partnerMail.text).not.toContain(PATIENT.email);
    expect(partnerMail.text).not.toContain('cancel-booking');
    const [row] = await h.database.db.select().from(emailOutbox).where(and(eq(emailOutbox.messageKey, patientKey)));
    expect(row.status).toBe('sent');
  });

  it('a booking inside the cancellation window gets no cancel link; a cancellation email has none either', async () => {
    const { id } = await insertBooking((fx.cancellationWindowHours - 2) * HOUR);
    const [key] = await acts.queueBookingEmails({ bookingId: id, stage: 'confirmation', version: 1 });
    await acts.deliverEmail(key);
    const mail = (await h.smtp.waitFor(PATIENT.email, 2));
    expect(mail.text).not.toContain('cancel-booking');
    expect(mail.text).toContain('contactați');

    await h.database.db.update(bookings).set({ status: 'cancelled', cancellationReason: 'Physician unavailable', cancelledAt: new Date(), version: 2 }).where(eq(bookings.id, id));
    const [patientKey, partnerKey] = await acts.queueBookingEmails({ bookingId: id, stage: 'cancelled', version: 2 });
    await acts.deliverEmail(patientKey);
    await acts.deliverEmail(partnerKey);
    const cancelled = await h.smtp.waitFor(PATIENT.email, 3);
    expect(cancelled.subject).toContain('Programare anulată');
    expect(cancelled.text).not.toContain('cancel-booking');
    const partnerMail = await h.smtp.waitFor(BOOKER.email, 2); // after the confirmation of the test before
    expect(partnerMail.subject).toContain('Booking cancelled');
    expect(partnerMail.text).toContain('Physician unavailable');
  });
});

describe('the lifecycle workflow on the real Temporal server', () => {
  it('starts from the outbox, confirms, answers `state` with the next reminder, and sends the cancellation on `changed`', async () => {
    const { id, startsAt } = await insertBooking(3 * DAY + 7 * MINUTE);
    const { db } = h.database;
    await db.transaction((tx) => enqueueBookingLifecycle(tx, { id, institutionId: fx.institutionId, partnershipId: fx.partnershipId }));
    await h.workflows.dispatchPending();
    const subjectsTo = (to: string) => h.smtp.messages.filter((m) => m.to.includes(to)).map((m) => m.subject);
    const before = subjectsTo(PATIENT.email).length;
    await h.smtp.waitFor(PATIENT.email, before + 1);
    let state = await h.workflows.bookingState(id);
    for (let i = 0; i < 50 && state?.phase !== 'waiting'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await h.workflows.bookingState(id);
    }
    expect(state).toEqual({ phase: 'waiting', nextStep: { kind: 'reminder', at: new Date(startsAt.getTime() - DAY).toISOString() } });
    const description = await (await h.workflows.client()).workflow.getHandle(bookingWorkflowId(id)).describe();
    expect(description.searchAttributes).toMatchObject({ BookingId: [String(id)], InstitutionId: [String(fx.institutionId)], PartnershipId: [String(fx.partnershipId)] });

    await db.transaction(async (tx) => {
      await tx.update(bookings).set({ status: 'cancelled', cancelledAt: new Date(), cancellationReason: 'Test', version: 2 }).where(eq(bookings.id, id));
      await enqueueBookingChanged(tx, id);
    });
    await h.workflows.dispatchPending();
    const handle = (await h.workflows.client()).workflow.getHandle(bookingWorkflowId(id));
    expect(await handle.result()).toBe('cancelled');
    expect(subjectsTo(PATIENT.email).slice(before)).toEqual([
      expect.stringContaining('Confirmare programare'), expect.stringContaining('Programare anulată'),
    ]);
    const keys = (await db.select({ key: emailOutbox.messageKey, status: emailOutbox.status }).from(emailOutbox).where(like(emailOutbox.messageKey, `booking:${id}:%`)))
      .map((r) => `${r.key} ${r.status}`).sort();
    expect(keys).toEqual([
      `booking:${id}:cancelled:v2:partner-user-${fx.bookerId} sent`, `booking:${id}:cancelled:v2:patient sent`,
      `booking:${id}:confirmation:v1:partner-user-${fx.bookerId} sent`, `booking:${id}:confirmation:v1:patient sent`,
    ]);
  });
});
