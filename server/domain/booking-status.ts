/**
 * Booking status and payment-status rules. Pure and deterministic (no clock: `now` is passed in), so the lifecycle
 * workflow may use them as well as the server.
 *
 * Status (FHIR Appointment words):
 *   booked ──staff──▶ arrived ──system──▶ fulfilled
 *     │  ╲──staff──▶ noshow                (final)
 *     │                 ▲ staff undo: arrived / noshow ──▶ booked, until the fulfilment time (end + grace)
 *     ├──system (end + grace)──▶ fulfilled
 *     └──partner / staff / patient──▶ cancelled (final)
 *
 * - `fulfilled` is set only by the system (the booking's lifecycle workflow), at the end of the appointment plus a
 *   grace period (default 24 h), for bookings still `booked` or `arrived`. Staff never set it: "arrived" is their
 *   word for "the patient came", and the grace period leaves time to correct a mark before commission depends on it.
 * - Staff marks: `arrived` from 24 h before the start (patients come early; nobody arrives days ahead), `noshow` from
 *   the start on. Undo (back to `booked`) until the fulfilment time; after it the mark is final, because the month's
 *   settlement is computed from it.
 * - Every status except `cancelled` occupies the physician's time (a no-show still took the slot).
 */
import type { BOOKING_STATUSES, PAYMENT_LOCATIONS, PAYMENT_STATUSES } from '../../db/schema';

export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type PaymentLocation = (typeof PAYMENT_LOCATIONS)[number];
export type StaffMark = 'arrived' | 'noshow' | 'booked';
export type StatusActor = 'staff' | 'partner' | 'patient' | 'system';

const HOUR = 3_600_000;
/** Default grace period after a booking's end before it becomes `fulfilled`. */
export const DEFAULT_FULFILMENT_GRACE_MS = 24 * HOUR;
/** How long before the start staff may mark a patient arrived. */
export const ARRIVAL_MARK_LEAD_MS = 24 * HOUR;

/** Which actor may move a booking from which status to which. */
const MOVES: Record<StatusActor, Partial<Record<BookingStatus, readonly BookingStatus[]>>> = {
  staff: { booked: ['arrived', 'noshow', 'cancelled'], arrived: ['booked'], noshow: ['booked'] },
  partner: { booked: ['cancelled'] },
  patient: { booked: ['cancelled'] },
  system: { booked: ['fulfilled'], arrived: ['fulfilled'] },
};

/** The transition table only (no timing): may `actor` move a booking from `from` to `to`? */
export function canTransition(actor: StatusActor, from: BookingStatus, to: BookingStatus): boolean {
  return MOVES[actor][from]?.includes(to) ?? false;
}

/** Statuses in which a booking holds the physician's time: every one except `cancelled`. */
export const SLOT_OCCUPYING_STATUSES: readonly BookingStatus[] = ['booked', 'arrived', 'fulfilled', 'noshow'];

export function occupiesSlot(status: BookingStatus): boolean {
  return status !== 'cancelled';
}

/** A booking in one of these never changes status again. */
export function isFinal(status: BookingStatus): boolean {
  return status === 'fulfilled' || status === 'cancelled';
}

/** When the system fulfils a booking: its end plus the grace period. */
export function fulfilmentDueAt(endsAt: Date, graceMs: number = DEFAULT_FULFILMENT_GRACE_MS): Date {
  return new Date(endsAt.getTime() + graceMs);
}

/** Whether the system should mark the booking `fulfilled` now (`booked` or `arrived`, end + grace reached). */
export function shouldFulfil(b: { status: BookingStatus; endsAt: Date }, now: Date, graceMs: number = DEFAULT_FULFILMENT_GRACE_MS): boolean {
  return canTransition('system', b.status, 'fulfilled') && now.getTime() >= fulfilmentDueAt(b.endsAt, graceMs).getTime();
}

export type StaffMarkVerdict = 'ok' | 'not_allowed' | 'too_early' | 'too_late';

/**
 * Whether staff may mark a booking `arrived` / `noshow`, or undo such a mark (`booked`). 'not_allowed': the
 * transition does not exist (e.g. from `fulfilled` or `cancelled`, or arrived → noshow without undoing first);
 * 'too_early': arrived more than 24 h before the start, or no-show before the start; 'too_late': an undo after the
 * fulfilment time.
 */
export function checkStaffMark(
  b: { status: BookingStatus; startsAt: Date; endsAt: Date }, to: StaffMark, now: Date, graceMs: number = DEFAULT_FULFILMENT_GRACE_MS,
): StaffMarkVerdict {
  if (!canTransition('staff', b.status, to)) return 'not_allowed';
  const t = now.getTime();
  if (to === 'booked') return t < fulfilmentDueAt(b.endsAt, graceMs).getTime() ? 'ok' : 'too_late';
  if (to === 'noshow') return t >= b.startsAt.getTime() ? 'ok' : 'too_early';
  return t >= b.startsAt.getTime() - ARRIVAL_MARK_LEAD_MS ? 'ok' : 'too_early';
}

export function canStaffMark(b: { status: BookingStatus; startsAt: Date; endsAt: Date }, to: StaffMark, now: Date, graceMs?: number): boolean {
  return checkStaffMark(b, to, now, graceMs) === 'ok';
}

/** A partner (booker) may move or cancel its own booking while it is `booked` and has not started. */
export function canPartnerModify(b: { status: BookingStatus; startsAt: Date }, now: Date): boolean {
  return b.status === 'booked' && b.startsAt.getTime() > now.getTime();
}

export function canPartnerCancel(b: { status: BookingStatus; startsAt: Date }, now: Date): boolean {
  return canPartnerModify(b, now);
}

/** Staff may move a booking that is `booked` and has not started (a missed one is marked no-show instead). */
export function canStaffModify(b: { status: BookingStatus; startsAt: Date }, now: Date): boolean {
  return canPartnerModify(b, now);
}

/** Staff may cancel any booking that is still `booked`, also after its start (e.g. entered by mistake). */
export function canStaffCancel(b: { status: BookingStatus }): boolean {
  return b.status === 'booked';
}

/** The last moment a patient may cancel through the emailed link: the start minus the service's cancellation window. */
export function patientCancellableUntil(startsAt: Date, cancellationWindowHours: number): Date {
  return new Date(startsAt.getTime() - cancellationWindowHours * HOUR);
}

export function canPatientCancel(b: { status: BookingStatus; startsAt: Date }, cancellationWindowHours: number, now: Date): boolean {
  return b.status === 'booked' && now.getTime() <= patientCancellableUntil(b.startsAt, cancellationWindowHours).getTime();
}

/** The payment status a new booking starts with: "Paid at partner" when the partner collects, else upon examination. */
export function initialPaymentStatus(paymentLocation: PaymentLocation | null): PaymentStatus {
  return paymentLocation === 'partner' ? 'paid_at_partner' : 'payment_upon_examination';
}

/** The payment statuses staff may choose; `paid_at_partner` is only ever set when a partner-paid booking is made. */
export const STAFF_PAYMENT_STATUSES: readonly PaymentStatus[] = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'not_paid'];

/**
 * The payment statuses staff may set on a booking: none on a partner-paid booking (the partner collected the price and
 * the settlement relies on "Paid at partner") or a cancelled one; otherwise the institution's usual statuses.
 */
export function staffPaymentStatuses(b: { status: BookingStatus; paymentLocation: PaymentLocation | null }): readonly PaymentStatus[] {
  if (b.paymentLocation === 'partner' || b.status === 'cancelled') return [];
  return STAFF_PAYMENT_STATUSES;
}

export function canStaffSetPayment(b: { status: BookingStatus; paymentLocation: PaymentLocation | null }, to: PaymentStatus): boolean {
  return staffPaymentStatuses(b).includes(to);
}
