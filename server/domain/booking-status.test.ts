/** Booking status transitions, slot occupation, partner/staff/patient guards and payment statuses. */
import { describe, expect, it } from 'vitest';
import {
  canPartnerCancel, canPartnerModify, canPatientCancel, canStaffCancel, canStaffMark, canStaffModify, canStaffSetPayment,
  canTransition, checkStaffMark, DEFAULT_FULFILMENT_GRACE_MS, fulfilmentDueAt, initialPaymentStatus, isFinal, occupiesSlot,
  patientCancellableUntil, shouldFulfil, SLOT_OCCUPYING_STATUSES, staffPaymentStatuses, type BookingStatus,
} from './booking-status';

const START = new Date('2026-12-01T08:00:00Z');
const END = new Date('2026-12-01T08:30:00Z');
const at = (iso: string) => new Date(iso);
const booking = (status: BookingStatus) => ({ status, startsAt: START, endsAt: END });
const ALL: BookingStatus[] = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'];

describe('transitions', () => {
  it('lets staff mark arrived / no-show, undo them and cancel', () => {
    expect(canTransition('staff', 'booked', 'arrived')).toBe(true);
    expect(canTransition('staff', 'booked', 'noshow')).toBe(true);
    expect(canTransition('staff', 'arrived', 'booked')).toBe(true);
    expect(canTransition('staff', 'noshow', 'booked')).toBe(true);
    expect(canTransition('staff', 'booked', 'cancelled')).toBe(true);
    expect(canTransition('staff', 'arrived', 'noshow')).toBe(false);
    expect(canTransition('staff', 'booked', 'fulfilled')).toBe(false);
    for (const to of ALL) {
      expect(canTransition('staff', 'fulfilled', to)).toBe(false);
      expect(canTransition('staff', 'cancelled', to)).toBe(false);
    }
  });
  it('lets partners and patients only cancel a booked booking, and only the system fulfil', () => {
    for (const actor of ['partner', 'patient'] as const) {
      for (const from of ALL) for (const to of ALL) expect(canTransition(actor, from, to)).toBe(from === 'booked' && to === 'cancelled');
    }
    expect(canTransition('system', 'booked', 'fulfilled')).toBe(true);
    expect(canTransition('system', 'arrived', 'fulfilled')).toBe(true);
    expect(canTransition('system', 'noshow', 'fulfilled')).toBe(false);
    expect(canTransition('system', 'cancelled', 'fulfilled')).toBe(false);
  });
  it('knows the final statuses and which statuses occupy a slot', () => {
    expect(ALL.filter(isFinal)).toEqual(['fulfilled', 'cancelled']);
    expect(ALL.filter(occupiesSlot)).toEqual(['booked', 'arrived', 'fulfilled', 'noshow']);
    expect([...SLOT_OCCUPYING_STATUSES].sort()).toEqual(ALL.filter(occupiesSlot).sort());
  });
});

describe('fulfilment', () => {
  it('is due at the end plus the grace period (24 h by default)', () => {
    expect(fulfilmentDueAt(END).toISOString()).toBe('2026-12-02T08:30:00.000Z');
    expect(fulfilmentDueAt(END, 3_600_000).toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(DEFAULT_FULFILMENT_GRACE_MS).toBe(86_400_000);
  });
  it('fulfils booked and arrived bookings once due, never no-shows or cancelled ones', () => {
    expect(shouldFulfil(booking('booked'), at('2026-12-02T08:29:59Z'))).toBe(false);
    expect(shouldFulfil(booking('booked'), at('2026-12-02T08:30:00Z'))).toBe(true);
    expect(shouldFulfil(booking('arrived'), at('2026-12-02T08:30:00Z'))).toBe(true);
    expect(shouldFulfil(booking('noshow'), at('2027-01-01T00:00:00Z'))).toBe(false);
    expect(shouldFulfil(booking('cancelled'), at('2027-01-01T00:00:00Z'))).toBe(false);
    expect(shouldFulfil(booking('fulfilled'), at('2027-01-01T00:00:00Z'))).toBe(false);
    expect(shouldFulfil(booking('booked'), at('2026-12-01T09:30:00Z'), 3_600_000)).toBe(true);
  });
});

describe('staff marks', () => {
  it('allows arrived from 24 h before the start, no-show from the start', () => {
    expect(checkStaffMark(booking('booked'), 'arrived', at('2026-11-30T07:59:59Z'))).toBe('too_early');
    expect(checkStaffMark(booking('booked'), 'arrived', at('2026-11-30T08:00:00Z'))).toBe('ok');
    expect(checkStaffMark(booking('booked'), 'arrived', at('2026-12-01T09:00:00Z'))).toBe('ok');
    expect(checkStaffMark(booking('booked'), 'noshow', at('2026-12-01T07:59:59Z'))).toBe('too_early');
    expect(checkStaffMark(booking('booked'), 'noshow', at('2026-12-01T08:00:00Z'))).toBe('ok');
  });
  it('allows undoing a mark until the fulfilment time', () => {
    expect(checkStaffMark(booking('arrived'), 'booked', at('2026-12-02T08:29:59Z'))).toBe('ok');
    expect(checkStaffMark(booking('noshow'), 'booked', at('2026-12-02T08:29:59Z'))).toBe('ok');
    expect(checkStaffMark(booking('noshow'), 'booked', at('2026-12-02T08:30:00Z'))).toBe('too_late');
    expect(checkStaffMark(booking('arrived'), 'booked', at('2026-12-01T09:30:00Z'), 3_600_000)).toBe('too_late');
  });
  it('refuses marks that are no transition', () => {
    const later = at('2026-12-01T09:00:00Z');
    expect(checkStaffMark(booking('arrived'), 'noshow', later)).toBe('not_allowed');
    expect(checkStaffMark(booking('arrived'), 'arrived', later)).toBe('not_allowed');
    expect(checkStaffMark(booking('booked'), 'booked', later)).toBe('not_allowed');
    expect(checkStaffMark(booking('fulfilled'), 'booked', later)).toBe('not_allowed');
    expect(checkStaffMark(booking('cancelled'), 'arrived', later)).toBe('not_allowed');
    expect(canStaffMark(booking('booked'), 'arrived', later)).toBe(true);
    expect(canStaffMark(booking('cancelled'), 'arrived', later)).toBe(false);
  });
});

describe('modify and cancel', () => {
  const before = at('2026-12-01T07:59:59Z');
  const started = at('2026-12-01T08:00:00Z');
  it('lets a partner modify or cancel a booked booking that has not started', () => {
    expect(canPartnerModify(booking('booked'), before)).toBe(true);
    expect(canPartnerCancel(booking('booked'), before)).toBe(true);
    expect(canPartnerModify(booking('booked'), started)).toBe(false);
    expect(canPartnerCancel(booking('booked'), started)).toBe(false);
    for (const s of ['arrived', 'fulfilled', 'cancelled', 'noshow'] as const) {
      expect(canPartnerModify(booking(s), before)).toBe(false);
      expect(canPartnerCancel(booking(s), before)).toBe(false);
    }
  });
  it('lets staff move a future booked booking and cancel any booked one', () => {
    expect(canStaffModify(booking('booked'), before)).toBe(true);
    expect(canStaffModify(booking('booked'), started)).toBe(false);
    expect(canStaffCancel(booking('booked'))).toBe(true);
    expect(canStaffCancel(booking('arrived'))).toBe(false);
    expect(canStaffCancel(booking('cancelled'))).toBe(false);
  });
  it('lets the patient cancel through the link until the cancellation window', () => {
    expect(patientCancellableUntil(START, 24).toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(canPatientCancel(booking('booked'), 24, at('2026-11-30T08:00:00Z'))).toBe(true);
    expect(canPatientCancel(booking('booked'), 24, at('2026-11-30T08:00:01Z'))).toBe(false);
    expect(canPatientCancel(booking('booked'), 0, before)).toBe(true);
    expect(canPatientCancel(booking('cancelled'), 24, at('2026-11-01T00:00:00Z'))).toBe(false);
  });
});

describe('payment status', () => {
  it('starts as "Paid at partner" when the partner collects, else upon examination', () => {
    expect(initialPaymentStatus('partner')).toBe('paid_at_partner');
    expect(initialPaymentStatus('institution')).toBe('payment_upon_examination');
    expect(initialPaymentStatus(null)).toBe('payment_upon_examination');
  });
  it('lets staff set the institution’s statuses, never "Paid at partner"', () => {
    const own = { status: 'arrived' as const, paymentLocation: 'institution' as const };
    expect(staffPaymentStatuses(own)).toEqual(['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'not_paid']);
    expect(canStaffSetPayment(own, 'paid_on_site')).toBe(true);
    expect(canStaffSetPayment(own, 'paid_at_partner')).toBe(false);
    expect(canStaffSetPayment({ status: 'noshow', paymentLocation: null }, 'not_paid')).toBe(true);
  });
  it('freezes the payment status of partner-paid and cancelled bookings', () => {
    expect(staffPaymentStatuses({ status: 'booked', paymentLocation: 'partner' })).toEqual([]);
    expect(canStaffSetPayment({ status: 'booked', paymentLocation: 'partner' }, 'paid_on_site')).toBe(false);
    expect(canStaffSetPayment({ status: 'cancelled', paymentLocation: 'institution' }, 'paid_on_site')).toBe(false);
  });
});
