/**
 * The confirmation a schedule change needs when it would leave future bookings outside working hours: the server
 * answers saveRule / deleteRule / saveException / deleteException with `{ saved: false, bookingsOutsideHours }`, the
 * user sees those bookings (location and start, in the location's time zone) and either applies the change anyway
 * (the request is sent again with `confirm: true`) or cancels. Bookings are never moved or deleted by the change.
 *
 * OutsideHoursDialog opens over a form; DeleteScheduleItemDialog is the "Delete …?" confirmation that turns into the
 * same question when the server asks for it.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { formatDateTime, t, tCount } from '../../i18n';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import type { BookingOutsideHours } from './catalogue-data';

/** What the schedule mutations answer. */
export interface ScheduleChangeResult { saved: boolean; bookingsOutsideHours: BookingOutsideHours[] }

export function OutsideHoursList(props: { bookings: readonly BookingOutsideHours[] }) {
  return (
    <>
      <p>{t('schedule.outside.text')}</p>
      <p class="muted">{tCount('schedule.outside.count', props.bookings.length)}</p>
      <ul class="outside-list">
        <For each={props.bookings}>
          {(b) => (
            <li>
              <span class="location-name">{b.locationName}</span>
              <span>{formatDateTime(b.startsAt, b.timeZone)}</span>
              <span class="cell-note">{t('schedule.outside.booking', { id: b.bookingId })}</span>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}

export function OutsideHoursDialog(props: {
  id: string;
  bookings: readonly BookingOutsideHours[];
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog id={props.id} title={t('schedule.outside.title')} confirmLabel={t('schedule.outside.apply')}
      pending={props.pending} error={props.error} onConfirm={props.onConfirm} onClose={props.onClose}>
      <OutsideHoursList bookings={props.bookings} />
    </ConfirmDialog>
  );
}

/**
 * "Delete …?" for a weekly rule or a date exception. If the server says bookings would be left outside working
 * hours, the same dialog lists them and asks again ("Apply anyway"); the focus then moves to Cancel.
 */
export function DeleteScheduleItemDialog(props: {
  id: string;
  title: string;
  children: JSX.Element;
  run: (confirm: boolean) => Promise<ScheduleChangeResult>;
  onDone: (result: ScheduleChangeResult) => void;
  onClose: () => void;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  const [outside, setOutside] = createSignal<BookingOutsideHours[] | null>(null);
  const remove = useMutation(() => ({
    mutationFn: (confirm: boolean) => props.run(confirm),
    onSuccess: (result) => {
      if (!result.saved) {
        setOutside(result.bookingsOutsideHours);
        setTimeout(() => document.getElementById(`${props.id}-cancel`)?.focus(), 0);
        return;
      }
      props.onDone(result);
      props.onClose();
    },
  }));

  return (
    <ConfirmDialog id={props.id} danger
      title={outside() ? t('schedule.outside.title') : props.title}
      confirmLabel={outside() ? t('schedule.outside.apply') : t('schedule.delete')}
      pendingLabel={t('common.saving')}
      pending={remove.isPending} error={remove.error}
      onConfirm={() => remove.mutate(outside() !== null)}
      onClose={props.onClose} returnFocus={props.returnFocus}>
      <Show when={outside()} fallback={props.children}>
        {(bookings) => <OutsideHoursList bookings={bookings()} />}
      </Show>
    </ConfirmDialog>
  );
}
