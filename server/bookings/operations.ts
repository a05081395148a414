/**
 * Booking operations as plain functions (executor, actor, input), called by the thin bookings router and by the
 * lifecycle activities alike: create, move, cancel, mark arrived / no-show, set the payment status, cancel through the
 * patient's emailed link.
 *
 * No double booking, guaranteed by the transaction: every write that occupies a physician's time locks the physician's
 * row first (so writers for one physician queue up), then checks overlap through the (physician_id, starts_at) index
 * and inserts. The transaction runs at READ COMMITTED so that the overlap check sees what the previous lock holder
 * committed (under REPEATABLE READ a snapshot taken before the lock could miss it), and takes no gap locks — so it
 * behaves the same on MySQL 8 and MariaDB. Lock order is always physician → booking.
 */
import { and, eq, gt, gte, lt, lte, ne, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import {
  bookingEvents, bookings, locations, partnershipLocations, partnerships, physicianLocations, physicianQualifications, physicians, scheduleExceptions,
  schedules, services,
} from '../../db/schema';
import { addDays } from '../domain/zoned-time';
import { mysqlErrorCode, withRetry } from '../../db/retry';
import { DomainError } from '../errors';
import { AccessDenied } from '../authz';
import type { SessionUser } from '../auth/session';
import { isSlotBookable } from '../domain/slots';
import {
  canPartnerCancel, canPartnerModify, canPatientCancel, canStaffCancel, canStaffMark, canStaffSetPayment, initialPaymentStatus,
  patientCancellableUntil,
} from '../domain/booking-status';
import { enqueueBookingChanged, enqueueBookingLifecycle } from '../workflow-outbox';
import { MAX_DURATION_MINUTES } from './calendar';
import { resolvePatient } from './patients';
import { bookerScope, bookerScopeAt, institutionScope, type Scope } from './scope';
import type { CreateBookingInput, CreateForInstitutionInput, MoveBookingInput } from './schemas';

export type Booking = typeof bookings.$inferSelect;
type Actor = { user: SessionUser; ip: string };

const TX = { isolationLevel: 'read committed' } as const;

/** Retries a transaction that lost a deadlock; never seen in practice with the lock order above, but cheap insurance. */
function inTransaction<T>(db: Db, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return withRetry(() => db.transaction(fn, TX), ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
}

export type SlotProblem = 'in_past' | 'outside_hours' | 'taken';

/**
 * Checks a proposed slot for a physician whose row the caller has locked: not in the past, within working hours at the
 * location, and overlapping no active booking (any location; `exceptBookingId` is the booking being moved).
 */
export async function checkSlot(tx: Executor, slot: { physicianId: number; locationId: number; startsAt: Date; endsAt: Date; timeZone: string },
  now: Date, exceptBookingId?: number): Promise<SlotProblem | null> {
  const rules = await tx.select().from(schedules).where(eq(schedules.physicianId, slot.physicianId));
  // Exceptions are by local date: the slot's UTC date ± 1 day covers every zone.
  const day = slot.startsAt.toISOString().slice(0, 10);
  const exceptions = await tx.select().from(scheduleExceptions).where(and(eq(scheduleExceptions.physicianId, slot.physicianId),
    gte(scheduleExceptions.date, addDays(day, -1)), lte(scheduleExceptions.date, addDays(day, 1))));
  const earliest = new Date(slot.startsAt.getTime() - MAX_DURATION_MINUTES * 60_000);
  const busy = await tx.select({ startsAt: bookings.startsAt, endsAt: bookings.endsAt }).from(bookings).where(and(
    eq(bookings.physicianId, slot.physicianId), gt(bookings.startsAt, earliest), lt(bookings.startsAt, slot.endsAt),
    gt(bookings.endsAt, slot.startsAt), ne(bookings.status, 'cancelled'),
    exceptBookingId ? ne(bookings.id, exceptBookingId) : undefined,
  )).limit(1);
  // The rule itself is the pure one the calendars use (server/domain/slots.ts); this function only supplies the data.
  const verdict = isSlotBookable({ slot, locationId: slot.locationId, timeZone: slot.timeZone, rules, exceptions, busy, now });
  return verdict === 'ok' ? null : verdict;
}

function slotError(problem: SlotProblem): DomainError {
  if (problem === 'taken') return new DomainError('CONFLICT', 'bookings.slot_taken', 'startsAt');
  return new DomainError('BAD_REQUEST', problem === 'in_past' ? 'bookings.in_past' : 'bookings.outside_hours', 'startsAt');
}

async function lockPhysician(tx: Executor, physicianId: number) {
  await tx.select({ id: physicians.id }).from(physicians).where(eq(physicians.id, physicianId)).for('update');
}

/**
 * Locks the institution's physician's row and, in the same statement, tells whether the physician works at the location
 * and has the qualification; null when the physician is not the institution's. The link-table subqueries are
 * correlated with the locked row, so they are evaluated after the lock is granted (and see what a concurrent catalogue
 * edit, which locks the physician first, committed); they take no locks themselves.
 */
async function lockPhysicianOf(tx: Executor, institutionId: number, physicianId: number, at: { locationId: number; qualificationId: number }) {
  const [d] = await tx.select({
    id: physicians.id,
    here: sql<number>`exists (select 1 from ${physicianLocations} where ${physicianLocations.physicianId} = ${physicians.id} and ${physicianLocations.locationId} = ${at.locationId})`,
    qualified: sql<number>`exists (select 1 from ${physicianQualifications} where ${physicianQualifications.physicianId} = ${physicians.id} and ${physicianQualifications.qualificationId} = ${at.qualificationId})`,
  }).from(physicians).where(and(eq(physicians.id, physicianId), eq(physicians.organisationId, institutionId))).for('update');
  return d ? { id: d.id, worksHere: Number(d.here) === 1 && Number(d.qualified) === 1 } : null;
}

async function addEvent(tx: Executor, booking: Pick<Booking, 'id' | 'institutionId'>, type: typeof bookingEvents.$inferInsert['type'],
  actor: { kind: 'user' | 'patient' | 'system'; userId?: number | null }, before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  await tx.insert(bookingEvents).values({
    bookingId: booking.id, institutionId: booking.institutionId, type, actorKind: actor.kind, actorUserId: actor.userId ?? null, before, after,
  });
}

/** The validated parts of a new booking: location, physician and service within the caller's scope. */
async function placeInScope(tx: Executor, scope: Scope, input: { locationId: number; physicianId: number; serviceId: number }) {
  const location = scope.locations.find((l) => l.id === input.locationId);
  if (!location) {
    // Another institution's location, or one of this institution not granted to the partnership.
    const [own] = await tx.select({ id: locations.id }).from(locations).where(and(eq(locations.id, input.locationId), eq(locations.organisationId, scope.institutionId)));
    if (own && scope.partnership) throw new DomainError('BAD_REQUEST', 'bookings.location_not_granted', 'locationId');
    throw new AccessDenied('catalogue.location_not_found', 'locationId');
  }
  const service = scope.services.find((s) => s.id === input.serviceId);
  if (!service) {
    const [own] = await tx.select({ id: services.id }).from(services).where(and(eq(services.id, input.serviceId), eq(services.organisationId, scope.institutionId)));
    if (own) throw new DomainError('BAD_REQUEST', 'bookings.service_not_authorised', 'serviceId');
    throw new AccessDenied('catalogue.service_not_found', 'serviceId');
  }
  // Locks the physician's row: from here on, writers for this physician queue behind this transaction. The service is
  // in scope and the location too (both checked above): the physician must work at the location and be qualified.
  const physician = await lockPhysicianOf(tx, scope.institutionId, input.physicianId, { locationId: location.id, qualificationId: service.qualificationId });
  if (!physician) throw new AccessDenied('catalogue.physician_not_found', 'physicianId');
  if (!physician.worksHere) throw new DomainError('BAD_REQUEST', 'bookings.physician_not_here', 'physicianId');
  return { location, service, physician };
}

/** A retried or double-clicked "Confirm": the booking its key already made, or an error when the key was reused for another. */
async function existingForKey(db: Executor, userId: number,
  input: { idempotencyKey: string; locationId: number; physicianId: number; serviceId: number; startsAt: Date }) {
  const [b] = await db.select({
    id: bookings.id, locationId: bookings.locationId, physicianId: bookings.physicianId, serviceId: bookings.serviceId, startsAt: bookings.startsAt,
  }).from(bookings).where(and(eq(bookings.bookedByUserId, userId), eq(bookings.idempotencyKey, input.idempotencyKey)));
  if (!b) return null;
  if (b.locationId !== input.locationId || b.physicianId !== input.physicianId || b.serviceId !== input.serviceId
    || b.startsAt.getTime() !== input.startsAt.getTime()) {
    throw new DomainError('CONFLICT', 'bookings.idempotency_mismatch', 'idempotencyKey');
  }
  return b.id;
}

interface NewBooking {
  scope: Scope;
  input: Omit<CreateBookingInput, 'institutionId'>;
  sourceChannel: 'partner' | 'phone';
  mayUseExistingPatient: boolean;
  /** Set for partners: an existing patient only through a handle from their own search (patients.ts). */
  patientRefSecret?: string;
}

/** How far ahead anyone may book: a year (the calendars and the lifecycle timers are not meant for more). */
export const MAX_BOOKING_AHEAD_MS = 366 * 86_400_000;

function assertNotTooFarAhead(startsAt: Date, now: Date) {
  if (startsAt.getTime() > now.getTime() + MAX_BOOKING_AHEAD_MS) throw new DomainError('BAD_REQUEST', 'bookings.too_far_ahead', 'startsAt');
}

async function insertBooking(db: Db, actor: Actor, nb: NewBooking, now: Date): Promise<{ bookingId: number }> {
  const { user } = actor;
  const { input, scope } = nb;
  assertNotTooFarAhead(input.startsAt, now);
  try {
    return await inTransaction(db, async (tx) => {
      const { location, service } = await placeInScope(tx, scope, input);
      const startsAt = input.startsAt;
      const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
      // A retried Confirm, or a double-click that waited for the physician lock behind its twin: answer with the
      // booking the key already made (read after the lock, so a twin's commit is seen).
      const twin = await existingForKey(tx, user.id, input);
      if (twin) return { bookingId: twin };
      const problem = await checkSlot(tx, { physicianId: input.physicianId, locationId: location.id, startsAt, endsAt, timeZone: location.timeZone }, now);
      if (problem) throw slotError(problem);
      const patientId = await resolvePatient(tx, input.patient, {
        institutionId: scope.institutionId, user, mayUseExisting: nb.mayUseExistingPatient,
        requireRef: nb.patientRefSecret ? { secret: nb.patientRefSecret } : undefined,
      });
      const p = scope.partnership;
      const commissionCurrency = !p || p.commissionType === 'none' ? null : p.commissionType === 'fixed' ? p.commissionCurrency : service.currency;
      const [row] = await tx.insert(bookings).values({
        institutionId: scope.institutionId, locationId: location.id, physicianId: input.physicianId, serviceId: service.id, patientId,
        startsAt, endsAt, status: 'booked',
        paymentStatus: initialPaymentStatus(p?.paymentLocation ?? null),
        sourceChannel: nb.sourceChannel, partnershipId: p?.id ?? null, bookedByUserId: user.id, bookedByOrganisationId: user.organisationId,
        priceMinor: service.priceMinor, currency: service.currency,
        commissionType: p?.commissionType ?? 'none', commissionValue: p?.commissionValue ?? 0, commissionCurrency,
        paymentLocation: p?.paymentLocation ?? null, idempotencyKey: input.idempotencyKey,
      }).$returningId();
      const booking = { id: row.id, institutionId: scope.institutionId, partnershipId: p?.id ?? null };
      await addEvent(tx, booking, 'created', { kind: 'user', userId: user.id }, null, {
        startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), locationId: location.id, physicianId: input.physicianId,
        serviceId: service.id, priceMinor: service.priceMinor, currency: service.currency, status: 'booked', source: nb.sourceChannel,
        partnershipId: p?.id ?? null,
      });
      // The booking's own history (booking_events) is its audit trail: who, when, what.
      await enqueueBookingLifecycle(tx, booking);
      return { bookingId: row.id };
    });
  } catch (err) {
    // Two identical confirms raced past the first check: the unique key let one in; answer the other with it.
    if (mysqlErrorCode(err) === 'ER_DUP_ENTRY') {
      const again = await existingForKey(db, user.id, input);
      if (again) return { bookingId: again };
    }
    throw err;
  }
}

/** A partner's booking (Book to partner): source = the partnership, snapshot of its commission and payment location. */
export async function createPartnerBooking(db: Db, actor: Actor, input: CreateBookingInput, secret: string, now = new Date()) {
  // Only the booked location and service are needed: one statement instead of the full scope's three.
  const scope = await bookerScopeAt(db, actor.user, input.institutionId, input);
  return insertBooking(db, actor, {
    scope, input, sourceChannel: 'partner', mayUseExistingPatient: scope.partnership!.patientDataAccess, patientRefSecret: secret,
  }, now);
}

/**
 * A booking entered by the institution's staff: a Phone booking (services ticked for the phone channel), or one a
 * partner phoned in, which counts as that partner's booking with its snapshot (services ticked for that partner).
 */
export async function createInstitutionBooking(db: Db, actor: Actor, input: CreateForInstitutionInput, now = new Date()) {
  const institutionId = actor.user.organisationId;
  let scope: Scope;
  if (input.source.kind === 'partner') {
    const partnershipId = input.source.partnershipId;
    const [p] = await db.select().from(partnerships)
      .where(and(eq(partnerships.id, partnershipId), eq(partnerships.institutionId, institutionId)));
    if (!p) throw new AccessDenied('partners.not_found', 'source.partnershipId');
    if (p.status !== 'active') throw new DomainError('BAD_REQUEST', 'bookings.partner_not_active', 'source.partnershipId');
    scope = await partnershipScopeForStaff(db, p);
  } else {
    scope = await institutionScope(db, institutionId, { key: 'phone' });
  }
  const { source, ...rest } = input;
  return insertBooking(db, actor, { scope, input: rest, sourceChannel: source.kind === 'partner' ? 'partner' : 'phone', mayUseExistingPatient: true }, now);
}

/**
 * What staff may book or move for a partner (a booking the partner phoned in): the services ticked for the partnership
 * at the locations granted to it — the same scope the partner itself has — so its commission snapshot always fits.
 */
async function partnershipScopeForStaff(db: Executor, p: typeof partnerships.$inferSelect): Promise<Scope> {
  const base = await institutionScope(db, p.institutionId, { key: `partnership:${p.id}` });
  const granted = new Set((await db.select({ id: partnershipLocations.locationId }).from(partnershipLocations)
    .where(eq(partnershipLocations.partnershipId, p.id))).map((r) => r.id));
  return { ...base, partnership: p, locations: base.locations.filter((l) => granted.has(l.id)) };
}

/** The booking as its caller may act on it: its own organisation's booking (booker) or its institution's (member). */
export async function visibleBooking(db: Executor, user: SessionUser, bookingId: number, lock = false): Promise<{ booking: Booking; asInstitution: boolean; asBooker: boolean }> {
  const q = db.select().from(bookings).where(eq(bookings.id, bookingId));
  const [booking] = lock ? await q.for('update') : await q;
  if (!booking) throw new AccessDenied('bookings.not_found', 'bookingId');
  const asInstitution = user.isInstitution && booking.institutionId === user.organisationId;
  const asBooker = user.canBookPartner && booking.bookedByOrganisationId === user.organisationId && booking.institutionId !== user.organisationId;
  if (!asInstitution && !asBooker) throw new AccessDenied('bookings.not_found', 'bookingId');
  return { booking, asInstitution, asBooker };
}

/** Upcoming booked appointments can be moved or cancelled (by a partner, only its own and while its partnership is active). */
export const isModifiable = canPartnerModify;

function assertVersion(b: Booking, version: number) {
  if (b.version !== version) throw new DomainError('CONFLICT', 'bookings.stale', 'version');
}

/** Moves a booking to another free slot of the same physician and location, and/or another service the caller may book. */
export async function moveBooking(db: Db, actor: Actor, input: MoveBookingInput, now = new Date()) {
  const { user } = actor;
  const first = await visibleBooking(db, user, input.bookingId);
  assertNotTooFarAhead(input.startsAt, now);
  // Staff moving a partner's booking stay within what the partnership may book (its snapshot must keep fitting).
  const partnership = first.booking.partnershipId === null ? null
    : (await db.select().from(partnerships).where(eq(partnerships.id, first.booking.partnershipId)))[0] ?? null;
  const scope = !first.asInstitution ? await bookerScope(db, user, first.booking.institutionId)
    : partnership ? await partnershipScopeForStaff(db, partnership)
      : await institutionScope(db, first.booking.institutionId);
  return inTransaction(db, async (tx) => {
    await lockPhysician(tx, first.booking.physicianId);
    const { booking } = await visibleBooking(tx, user, input.bookingId, true);
    assertVersion(booking, input.version);
    if (!isModifiable(booking, now)) throw new DomainError('CONFLICT', 'bookings.not_modifiable', 'bookingId');
    const serviceId = input.serviceId ?? booking.serviceId;
    const { location, service } = await placeInScope(tx, scope, { locationId: booking.locationId, physicianId: booking.physicianId, serviceId });
    const startsAt = input.startsAt;
    const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
    const problem = await checkSlot(tx, { physicianId: booking.physicianId, locationId: location.id, startsAt, endsAt, timeZone: location.timeZone }, now, booking.id);
    if (problem) throw slotError(problem);
    const moved = startsAt.getTime() !== booking.startsAt.getTime() || endsAt.getTime() !== booking.endsAt.getTime();
    const serviceChanged = service.id !== booking.serviceId;
    if (!moved && !serviceChanged) return { bookingId: booking.id, version: booking.version };
    const version = booking.version + 1;
    await tx.update(bookings).set({
      startsAt, endsAt, serviceId: service.id, priceMinor: service.priceMinor, currency: service.currency,
      // A percent commission follows the new price's currency; a fixed one keeps its own currency.
      commissionCurrency: booking.commissionType === 'percent' ? service.currency : booking.commissionCurrency,
      version, updatedAt: now,
    }).where(eq(bookings.id, booking.id));
    const by = { kind: 'user' as const, userId: user.id };
    if (serviceChanged) {
      await addEvent(tx, booking, 'service_changed', by, { serviceId: booking.serviceId, priceMinor: booking.priceMinor, currency: booking.currency },
        { serviceId: service.id, priceMinor: service.priceMinor, currency: service.currency });
    }
    if (moved) {
      await addEvent(tx, booking, 'moved', by, { startsAt: booking.startsAt.toISOString(), endsAt: booking.endsAt.toISOString() },
        { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() });
    }
    await enqueueBookingChanged(tx, booking.id);
    return { bookingId: booking.id, version };
  });
}

async function cancelLocked(tx: Executor, booking: Booking, reason: string, actor: { kind: 'user' | 'patient'; userId?: number }, now: Date) {
  await tx.update(bookings).set({ status: 'cancelled', cancellationReason: reason, cancelledAt: now, version: booking.version + 1, updatedAt: now })
    .where(eq(bookings.id, booking.id));
  await addEvent(tx, booking, 'cancelled', actor, { status: booking.status }, { status: 'cancelled', reason });
  await enqueueBookingChanged(tx, booking.id);
}

/** Cancels a booking with a reason: the slot is freed; the booking stays, as cancelled, in history and statistics. */
export async function cancelBooking(db: Db, actor: Actor, input: { bookingId: number; reason: string }, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const { booking, asInstitution } = await visibleBooking(tx, actor.user, input.bookingId, true);
    if (booking.status === 'cancelled') throw new DomainError('CONFLICT', 'bookings.already_cancelled', 'bookingId');
    // The institution may cancel any booking that has not happened yet (also a past one still "booked"); a partner only
    // its own upcoming ones, and only while its partnership is active.
    if (asInstitution ? !canStaffCancel(booking) : !canPartnerCancel(booking, now)) {
      throw new DomainError('CONFLICT', 'bookings.not_modifiable', 'bookingId');
    }
    if (!asInstitution) await bookerScope(tx, actor.user, booking.institutionId);
    await cancelLocked(tx, booking, input.reason, { kind: 'user', userId: actor.user.id }, now);
    return { bookingId: booking.id };
  });
}

/** Staff marks: booked → arrived | noshow, and back to booked to undo a mistaken mark before the booking is fulfilled. */
export async function setBookingStatus(db: Db, actor: Actor, input: { bookingId: number; version: number; status: 'arrived' | 'noshow' | 'booked' },
  now = new Date(), fulfilGraceMs?: number) {
  return inTransaction(db, async (tx) => {
    const { booking, asInstitution } = await visibleBooking(tx, actor.user, input.bookingId, true);
    if (!asInstitution) throw new AccessDenied('bookings.not_found', 'bookingId');
    assertVersion(booking, input.version);
    if (!canStaffMark(booking, input.status, now, fulfilGraceMs)) {
      throw new DomainError('BAD_REQUEST', 'bookings.status_transition', 'status');
    }
    const version = booking.version + 1;
    await tx.update(bookings).set({ status: input.status, version, updatedAt: now }).where(eq(bookings.id, booking.id));
    await addEvent(tx, booking, 'status_changed', { kind: 'user', userId: actor.user.id }, { status: booking.status }, { status: input.status });
    await enqueueBookingChanged(tx, booking.id);
    return { version };
  });
}

export async function setPaymentStatus(db: Db, actor: Actor, input: { bookingId: number; version: number; paymentStatus: Booking['paymentStatus'] }, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const { booking, asInstitution } = await visibleBooking(tx, actor.user, input.bookingId, true);
    if (!asInstitution) throw new AccessDenied('bookings.not_found', 'bookingId');
    assertVersion(booking, input.version);
    // "Paid at partner": the partner collected the price; the institution does not record its own payment for it.
    if (!canStaffSetPayment(booking, input.paymentStatus)) {
      throw new DomainError('BAD_REQUEST', 'bookings.payment_status_invalid', 'paymentStatus');
    }
    if (booking.paymentStatus === input.paymentStatus) return { version: booking.version };
    const version = booking.version + 1;
    await tx.update(bookings).set({ paymentStatus: input.paymentStatus, version, updatedAt: now }).where(eq(bookings.id, booking.id));
    await addEvent(tx, booking, 'payment_changed', { kind: 'user', userId: actor.user.id }, { paymentStatus: booking.paymentStatus }, { paymentStatus: input.paymentStatus });
    return { version };
  });
}

export const cancellableUntil = patientCancellableUntil;

/** The patient cancels through the emailed link (no sign-in). The booking itself decides whether it is still possible. */
export async function cancelByPatientLink(db: Db, bookingId: number, reason: string | undefined, now = new Date()) {
  return inTransaction(db, async (tx) => {
    // Lock the booking only (an anonymous request must not lock catalogue rows).
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!b) throw new DomainError('NOT_FOUND', 'bookings.link_invalid', 'token');
    const [svc] = await tx.select({ window: services.cancellationWindowHours }).from(services).where(eq(services.id, b.serviceId));
    const row = { b, window: svc.window };
    if (row.b.status === 'cancelled') throw new DomainError('CONFLICT', 'bookings.already_cancelled', 'token');
    if (!canPatientCancel(row.b, row.window, now)) {
      throw new DomainError('CONFLICT', 'bookings.link_window_passed', 'token');
    }
    await cancelLocked(tx, row.b, reason?.trim() || 'Cancelled by the patient', { kind: 'patient' }, now);
    return { status: 'cancelled' as const };
  });
}
