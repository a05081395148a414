/**
 * The confirmation a schedule change needs when it would leave future bookings outside working hours: the server
 * answers saveRule / deleteRule / saveException / deleteException with `{ saved: false, bookingsOutsideHours }`, the
 * user sees those bookings (location and start, in the location's time zone) and either applies the change anyway
 * (the request is sent again with `confirm: true`) or cancels. Bookings are never moved or deleted by the change.
 *
 * OutsideHoursDialog opens over a form (useScheduleSave, the save plumbing of the rule and exception forms, shows it);
 * DeleteScheduleItemDialog is the "Delete …?" confirmation that turns into the same question when the server asks for it.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { formatDateTime, t, tCount } from '../../i18n';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { refreshCatalogue, type BookingOutsideHours } from './catalogue-data';
import { fieldErrorOf, type FormDialogProps } from './form-dialog';

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

/** What the schedule page gives the rule and exception forms. */
export interface ScheduleFormProps {
  onClose: () => void;
  onSaved: (result: ScheduleChangeResult) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

/**
 * Saving a weekly rule or a date exception: `save(confirm)` sends the form. When the server answers that bookings
 * would be left outside working hours, they are listed in an OutsideHoursDialog over the form (`outsideDialog(id)`),
 * whose "Apply anyway" sends the form again with `confirm: true`; meanwhile the form shows neither progress nor errors.
 * Once saved, the catalogue is refreshed, the page is told the result and the form closes. Returns the field errors
 * of the last attempt and the props of FormDialog that follow from the save (spread them into FormDialog).
 */
export function useScheduleSave(props: ScheduleFormProps, save: (confirm: boolean) => Promise<ScheduleChangeResult>) {
  const [outside, setOutside] = createSignal<BookingOutsideHours[] | null>(null);
  const mutation = useMutation(() => ({
    mutationFn: save,
    onSuccess: async (result: ScheduleChangeResult) => {
      if (!result.saved) {
        setOutside(result.bookingsOutsideHours);
        return;
      }
      await refreshCatalogue();
      setOutside(null);
      props.onSaved(result);
      props.onClose();
    },
  }));
  return {
    fieldError: (field: string) => (outside() ? undefined : fieldErrorOf(mutation.error, field)),
    dialog: {
      get pending() { return mutation.isPending && !outside(); },
      get error() { return outside() ? null : mutation.error; },
      onSubmit: () => mutation.mutate(false),
      get onClose() { return props.onClose; },
      get returnFocus() { return props.returnFocus; },
    } satisfies Partial<FormDialogProps>,
    outsideDialog: (id: string) => (
      <Show when={outside()}>
        {(bookings) => (
          <OutsideHoursDialog id={id} bookings={bookings()} pending={mutation.isPending} error={mutation.error}
            onConfirm={() => mutation.mutate(true)} onClose={() => { mutation.reset(); setOutside(null); }} />
        )}
      </Show>
    ),
  };
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
