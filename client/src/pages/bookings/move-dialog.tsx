/**
 * Modifying a booking: the same physician's week at the same location (its free slots, in the location's zone) and
 * the services the user may book there. Pick a free slot to move the appointment, and/or another service; the
 * booking's version goes along, so a booking changed in the meantime is reloaded instead of overwritten.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { errorKey, queryClient, toUiError, trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { Modal } from '../../ui/modal';
import { EmptyState, Loading, Notice, QueryErrorState } from '../../ui/states';
import {
  BOOKINGS_QUERY_KEY, useBookingOptions, useCalendarWeek, useInstitutionOptions,
  type BookingDetails, type BookingSide, type FreeSlot,
} from './booking-api';
import { formatAppointment } from './booking-format';
import { localDate, mondayOf } from './booking-time';
import { CalendarWeekView, WeekNav } from './calendar';

export function MoveDialog(props: {
  booking: BookingDetails; side: BookingSide; onClose: () => void; onMoved: (m: () => string) => void; onStale: () => void;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  const b = props.booking;
  const [weekStart, setWeekStart] = createSignal(mondayOf(localDate(b.startsAt, b.timeZone)));
  const [serviceId, setServiceId] = createSignal(b.serviceId);
  const [picked, setPicked] = createSignal<FreeSlot | null>(null);

  const calendar = useCalendarWeek(() => props.side, () => ({
    ...(props.side === 'partner' ? { institutionId: b.institutionId } : {}),
    locationId: b.locationId, physicianId: b.physicianId, serviceId: serviceId(), weekStart: weekStart(),
  }));
  const column = () => calendar.data?.calendars.find((c) => c.physicianId === b.physicianId && c.locationId === b.locationId);

  const booker = useBookingOptions(() => props.side === 'partner');
  const own = useInstitutionOptions(() => props.side === 'institution');
  const services = createMemo(() => {
    const all = props.side === 'partner'
      ? booker.data?.institutions.find((i) => i.institutionId === b.institutionId)?.services ?? []
      : own.data?.services ?? [];
    const allowed = column()?.serviceIds;
    const list = allowed ? all.filter((s) => allowed.includes(s.id)) : all;
    return list.some((s) => s.id === b.serviceId) ? list : [{ id: b.serviceId, name: b.serviceName, durationMinutes: b.durationMinutes }, ...list];
  });

  const move = useMutation(() => ({
    mutationFn: () => {
      const slot = picked();
      return trpc.bookings.move.mutate({
        // The current version: after "changed in the meantime" the details reload and a retry sends the new one.
        bookingId: b.id, version: props.booking.version, startsAt: slot ? slot.startsAt : b.startsAt,
        serviceId: serviceId() !== b.serviceId ? serviceId() : undefined,
      });
    },
    onSuccess: () => {
      const when = formatAppointment(picked()?.startsAt ?? b.startsAt, b.timeZone);
      props.onMoved(() => t('booking.notice.moved', { when }));
    },
    onError: (err) => {
      const key = errorKey(err);
      if (key === 'bookings.stale') props.onStale();
      if (key === 'bookings.slot_taken' || key === 'bookings.not_free') {
        setPicked(null);
        void queryClient.invalidateQueries({ queryKey: [...BOOKINGS_QUERY_KEY, 'calendar'] });
      }
    },
  }));
  const changed = () => picked() !== null || serviceId() !== b.serviceId;

  return (
    <Modal labelledBy="move-title" onClose={props.onClose} returnFocus={props.returnFocus} class="modal-wide modal-calendar">
      <div class="dialog-form">
        <h2 id="move-title">{t('booking.move.title')}</h2>
        <p class="muted">{t('booking.move.intro', { physician: b.physicianName, location: b.locationName, when: formatAppointment(b.startsAt, b.timeZone) })}</p>
        <Show when={move.error}>{(e) => <Notice tone="error">{toUiError(e()).message}</Notice>}</Show>

        <Field id="move-service" label={t('booking.field.service')}>
          <select {...fieldAria('move-service')} onChange={(e) => { setServiceId(Number(e.currentTarget.value)); setPicked(null); }}>
            <For each={services()}>
              {(s) => <option value={s.id} selected={s.id === serviceId()}>{t('booking.dialog.serviceOption', { name: s.name, minutes: s.durationMinutes })}</option>}
            </For>
          </select>
        </Field>

        <WeekNav weekStart={weekStart()} dates={calendar.data?.dates} onChange={(w) => { setWeekStart(w); }} idPrefix="move" />
        <Switch>
          <Match when={calendar.isPending}><Loading label={t('booking.calendar.loading')} /></Match>
          <Match when={calendar.isError && !calendar.data}><QueryErrorState message={t('booking.calendar.loadError')} query={calendar} /></Match>
          <Match when={calendar.data && calendar.data.calendars.length === 0}><EmptyState>{t('booking.move.noCalendar')}</EmptyState></Match>
          <Match when={calendar.data}>
            {(week) => (
              <CalendarWeekView week={{ ...week(), calendars: week().calendars.filter((c) => c.physicianId === b.physicianId && c.locationId === b.locationId) }}
                busy={calendar.isFetching}
                handlers={{ onFree: (_c, slot) => setPicked(slot), currentStartsAt: picked()?.startsAt ?? b.startsAt }} />
            )}
          </Match>
        </Switch>

        <p role="status" class="move-choice">
          {picked() ? t('booking.move.picked', { when: formatAppointment(picked()!.startsAt, b.timeZone) }) : t('booking.move.pickHint')}
        </p>
        <div class="form-actions">
          <button type="button" class="button button-primary" disabled={!changed() || move.isPending} aria-busy={move.isPending}
            onClick={() => move.mutate()}>
            {move.isPending ? t('common.saving') : picked() ? t('booking.move.confirm') : t('booking.move.confirmService')}
          </button>
          <button type="button" class="button" onClick={() => props.onClose()}>{t('common.cancel')}</button>
        </div>
      </div>
    </Modal>
  );
}
