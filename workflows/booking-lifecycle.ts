/**
 * BookingLifecycle workflow (`booking:<id>`), started from an outbox row committed with the booking. It sends the
 * confirmation (patient, and the partner organisation for partner bookings), reminds the patient 24 h before the start,
 * and makes the booking `fulfilled` after its end plus a grace period unless it was cancelled or marked no-show.
 *
 * The database decides: the API commits every change (move, cancel, status, payment) and signals `changed`; the
 * workflow then re-reads the booking through an activity. A new start/end/service means it was moved: the
 * "rescheduled" emails go out once per booking version and the reminder is re-armed for the new time. Cancelled: the
 * cancellation emails, then the end. Only IDs, statuses, versions and times ever appear in this workflow's input,
 * activity inputs/results, signals and queries — never patient data, as the history is shown in the Temporal UI.
 */
import { condition, defineQuery, defineSignal, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BookingLifecycleInput, BookingLifecycleState } from '../server/workflow-outbox';
import type { BookingLifecycleActivities, BookingLifecycleSchedule } from './booking-activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { BookingEmailStage } from './mail/templates';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * The patient's reminder goes out this long before the start (not at all for a booking made closer than that), unless
 * the worker's BOOKING_REMINDER_HOURS says otherwise (carried in the schedule the workflow reads).
 */
export const REMINDER_BEFORE_MS = 24 * HOUR;
/** When the fulfilment finds the booking not over yet although its timer fired (clock skew), it tries again after this. */
const FULFIL_RETRY_MS = 5 * MINUTE;

export type BookingLifecycleOutcome = 'fulfilled' | 'cancelled' | 'noshow' | 'missing';

export const bookingChangedSignal = defineSignal('changed');
export const bookingStateQuery = defineQuery<BookingLifecycleState>('state');

const acts = proxyActivities<BookingLifecycleActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function bookingLifecycle(input: BookingLifecycleInput): Promise<BookingLifecycleOutcome> {
  const { bookingId } = input;
  const state: BookingLifecycleState = { phase: 'confirming', nextStep: null };
  let changed = false;
  setHandler(bookingChangedSignal, () => { changed = true; });
  setHandler(bookingStateQuery, () => state);

  const finish = (outcome: BookingLifecycleOutcome) => { state.phase = 'finished'; state.nextStep = null; return outcome; };
  const ahead = (s: BookingLifecycleSchedule) => s.startsAt > Date.now();
  const reminderAt = (s: BookingLifecycleSchedule) => s.startsAt - (s.reminderBeforeMs ?? REMINDER_BEFORE_MS);
  const reminderWanted = (s: BookingLifecycleSchedule) => s.status === 'booked' && reminderAt(s) > Date.now();
  async function send(stage: BookingEmailStage, version: number) {
    for (const key of await acts.queueBookingEmails({ bookingId, stage, version })) await acts.deliverEmail(key);
  }

  const first = await acts.loadBookingSchedule(bookingId);
  if (!first) return finish('missing');
  let b: BookingLifecycleSchedule = first;
  // Announce only a booking that is still ahead (the start may come late, e.g. after Temporal was unreachable).
  let announced = false;
  if (b.status === 'booked' && ahead(b)) {
    await send('confirmation', b.version);
    announced = true;
  }
  // Whether the patient wants a reminder is decided against the time the booking was made: a confirmation delayed past
  // the reminder's time (a worker down, Temporal away) must not lose the reminder, which then goes out late while the
  // booking is still ahead. Histories recorded before this decided against the clock after the confirmation.
  let reminderArmed = patched('reminder-from-booking-time') && b.createdAt !== undefined
    ? b.status === 'booked' && reminderAt(b) > b.createdAt
    : reminderWanted(b);
  let reminded = false;
  let fulfilNotBefore = 0;

  /** Re-reads the booking. Moved: the rescheduled emails (once per version) and the reminder re-armed for the new time. */
  async function reread(): Promise<'same' | 'moved' | 'missing'> {
    const next = await acts.loadBookingSchedule(bookingId);
    if (!next) return 'missing';
    const moved = next.startsAt !== b.startsAt || next.endsAt !== b.endsAt || next.serviceId !== b.serviceId;
    b = next;
    if (!moved || b.status === 'cancelled') return 'same';
    if ((b.status === 'booked' || b.status === 'arrived') && ahead(b)) {
      await send('rescheduled', b.version);
      announced = true;
    }
    reminderArmed = reminderWanted(b);
    fulfilNotBefore = 0;
    return 'moved';
  }

  for (;;) {
    if (b.status === 'cancelled') {
      if (announced && ahead(b)) await send('cancelled', b.version);
      return finish('cancelled');
    }
    if (b.status === 'fulfilled') return finish('fulfilled');

    const remind = reminderArmed && b.status === 'booked';
    const at = remind ? reminderAt(b) : Math.max(b.endsAt + b.fulfilGraceMs, fulfilNotBefore);
    state.phase = reminded ? 'reminded' : 'waiting';
    // A no-show is not fulfilled: nothing to show, but keep waiting in case the mark is undone before the end + grace.
    state.nextStep = b.status === 'noshow' ? null : { kind: remind ? 'reminder' : 'fulfilment', at: new Date(at).toISOString() };
    const woke = at > Date.now() ? await condition(() => changed, at - Date.now()) : changed;
    if (woke) {
      changed = false;
      if (await reread() === 'missing') return finish('missing');
      continue;
    }

    if (remind) {
      // Re-read first, so that a change whose signal is still on its way is not missed.
      const seen = await reread();
      if (seen === 'missing') return finish('missing');
      if (seen === 'moved') continue;
      if (b.status === 'booked' && ahead(b)) {
        await send('reminder', b.version);
        reminded = true;
      }
      reminderArmed = false;
      continue;
    }

    const result = await acts.fulfilBooking(bookingId);
    if (result.result === 'fulfilled') return finish('fulfilled');
    if (result.result === 'missing') return finish('missing');
    if (result.result === 'not_fulfillable' && result.status === 'noshow') return finish('noshow');
    // Cancelled or moved later while its signal is on its way: re-read and go on. Not over by the activity's clock:
    // try again a little later rather than at once.
    const seen = await reread();
    if (seen === 'missing') return finish('missing');
    if (seen === 'same' && result.result === 'not_due') fulfilNotBefore = Date.now() + FULFIL_RETRY_MS;
  }
}
