/**
 * The calendars part of "Book to partner" and of the institution's Bookings: the week navigation, the loading, error
 * and empty states (no matching physicians; no free slot this week → next week), a notice when more calendars
 * matched than are shown, and the week itself.
 */
import { Match, Show, Switch } from 'solid-js';
import { t } from '../../i18n';
import { Loading, Notice, QueryErrorState } from '../../ui/states';
import type { useCalendarWeek } from './booking-api';
import { addDays } from './booking-time';
import { CalendarWeekView, WeekNav, type CalendarHandlers } from './calendar';
import { hasFreeSlot } from './calendar-layout';

export function CalendarPanel(props: {
  calendar: ReturnType<typeof useCalendarWeek>;
  weekStart: string;
  onWeek: (weekStart: string) => void;
  handlers: CalendarHandlers;
  /** Whether the week shows free slots the user can book (else "no free slot" is not worth saying). */
  offersBooking: boolean;
}) {
  const week = () => props.calendar.data;
  return (
    <section class="calendar-panel" aria-label={t('booking.calendar.region')}>
      <WeekNav weekStart={week()?.weekStart ?? props.weekStart} dates={week()?.dates} onChange={props.onWeek} idPrefix="calendar" />
      <Switch>
        <Match when={props.calendar.isPending}>
          <Loading label={t('booking.calendar.loading')} />
        </Match>
        <Match when={props.calendar.isError && !week()}>
          <QueryErrorState message={t('booking.calendar.loadError')} query={props.calendar} />
        </Match>
        <Match when={week()}>
          {(w) => (
            <>
              <Show when={props.calendar.isFetching}>
                <p class="visually-hidden" role="status">{t('booking.calendar.loading')}</p>
              </Show>
              <Show when={props.calendar.isError}>
                <Notice tone="error">{t('booking.calendar.refreshError')}</Notice>
              </Show>
              <Switch>
                <Match when={w().calendars.length === 0}>
                  <div class="state state-empty"><p>{t('booking.calendar.noPhysicians')}</p></div>
                </Match>
                <Match when={true}>
                  <Show when={w().truncated}>
                    <Notice tone="info">{t('booking.calendar.truncated', { count: w().calendars.length })}</Notice>
                  </Show>
                  <Show when={props.offersBooking && !hasFreeSlot(w().calendars)}>
                    <div class="state state-empty" role="status">
                      <p>{t('booking.calendar.noFree')}</p>
                      <p><button type="button" class="button" onClick={() => props.onWeek(addDays(w().weekStart, 7))}>
                        {t('booking.calendar.tryNext')}
                      </button></p>
                    </div>
                  </Show>
                  <CalendarWeekView week={w()} handlers={props.handlers} busy={props.calendar.isFetching} />
                </Match>
              </Switch>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
