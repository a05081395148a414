/**
 * The week calendars shared by "Book to partner", the institution's Bookings and moving a booking: one card per
 * physician × location, seven day columns of slots in the location's time zone (named when it differs from the
 * browser's). Free slots are green buttons; booked slots are red — with patient and service when the caller may see
 * them (its own organisation's bookings, or every booking of its own institution), else only "Booked". WeekNav moves
 * between weeks (previous, today, next, a chosen date).
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { t } from '../../i18n';
import { addDays, browserTimeZone, differsFromBrowser, isYmd, mondayOf, todayIn } from './booking-time';
import { bookingStatusLabel, formatDayHeading, formatLongDate, paymentStatusLabel, sourceLabel, zoneName } from './booking-format';
import { layoutWeek } from './calendar-layout';
import type { BookedSlot, CalendarColumn, CalendarWeek, FreeSlot } from './booking-api';

export interface CalendarHandlers {
  onFree?: (column: CalendarColumn, slot: FreeSlot) => void;
  onBooked?: (column: CalendarColumn, slot: BookedSlot) => void;
  /** A slot to highlight (e.g. the booking being moved), by its start instant. */
  currentStartsAt?: string;
}

export function WeekNav(props: { weekStart: string; dates?: string[]; onChange: (weekStart: string) => void; idPrefix: string }) {
  const [jump, setJump] = createSignal('');
  const range = () => {
    const dates = props.dates ?? [props.weekStart, addDays(props.weekStart, 6)];
    return t('booking.week.range', { from: formatDayHeading(dates[0]!), to: formatDayHeading(dates[dates.length - 1]!) });
  };
  const go = (event: SubmitEvent) => {
    event.preventDefault();
    if (isYmd(jump())) props.onChange(mondayOf(jump()));
  };
  return (
    <div class="week-nav" role="group" aria-label={t('booking.week.nav')}>
      <div class="week-nav-buttons">
        <button type="button" class="button button-small" onClick={() => props.onChange(addDays(props.weekStart, -7))}>
          <span aria-hidden="true">← </span>{t('booking.week.previous')}
        </button>
        <button type="button" class="button button-small" onClick={() => props.onChange(mondayOf(todayIn(browserTimeZone())))}>
          {t('booking.week.today')}
        </button>
        <button type="button" class="button button-small" onClick={() => props.onChange(addDays(props.weekStart, 7))}>
          {t('booking.week.next')}<span aria-hidden="true"> →</span>
        </button>
      </div>
      <p class="week-range" aria-live="polite">{range()}</p>
      <form class="week-jump" onSubmit={go}>
        <label for={`${props.idPrefix}-jump`}>{t('booking.week.jump')}</label>
        <input id={`${props.idPrefix}-jump`} type="date" value={jump()} onInput={(e) => setJump(e.currentTarget.value)} />
        <button type="submit" class="button button-small" disabled={!isYmd(jump())}>{t('booking.week.go')}</button>
      </form>
    </div>
  );
}

export function CalendarWeekView(props: { week: CalendarWeek; handlers: CalendarHandlers; busy?: boolean }) {
  return (
    <div class="calendars" aria-busy={props.busy ? 'true' : undefined}>
      <Show when={props.week.calendars.length > 1}>
        <nav class="calendar-index" aria-label={t('booking.calendar.index')}>
          <ul>
            <For each={props.week.calendars}>
              {(c) => (
                <li><a href={`#cal-${c.physicianId}-${c.locationId}`}>{c.physicianName} · {c.locationName}</a></li>
              )}
            </For>
          </ul>
        </nav>
      </Show>
      <For each={props.week.calendars}>
        {(column) => <PhysicianCalendar column={column} dates={props.week.dates} handlers={props.handlers} />}
      </For>
    </div>
  );
}

function PhysicianCalendar(props: { column: CalendarColumn; dates: string[]; handlers: CalendarHandlers }) {
  const c = () => props.column;
  const days = createMemo(() => layoutWeek(props.dates, c().days, c().timeZone));
  const headingId = () => `cal-${c().physicianId}-${c().locationId}`;
  const today = () => todayIn(c().timeZone);

  return (
    <section class="card calendar" id={headingId()} aria-labelledby={`${headingId()}-title`} tabindex="-1">
      <header class="calendar-header">
        <h2 id={`${headingId()}-title`}>{c().physicianName}</h2>
        <p class="calendar-where">
          {c().locationName} · {c().institutionName}
          <Show when={differsFromBrowser(c().timeZone)}>
            <span class="calendar-zone">{t('booking.calendar.zone', { zone: zoneName(c().timeZone) })}</span>
          </Show>
        </p>
      </header>
      <div class="calendar-days">
        <For each={days()}>
          {(day) => (
            <div class="calendar-day" classList={{ 'calendar-today': day.date === today() }}>
              <h3 class="calendar-day-title">
                <abbr title={formatLongDate(day.date)}>{formatDayHeading(day.date)}</abbr>
              </h3>
              <Show when={day.items.length > 0} fallback={<p class="calendar-none">{t('booking.calendar.noHours')}</p>}>
                <ul class="slot-list">
                  <For each={day.items}>
                    {(item) => (
                      <li>
                        <Show when={item.kind === 'free' ? item : null} fallback={
                          <BookedButton column={c()} slot={item.slot as BookedSlot} date={day.date} start={item.start} end={item.end}
                            handlers={props.handlers} />
                        }>
                          {(free) => (
                            <button type="button" class="slot slot-free"
                              classList={{ 'slot-current': free().slot.startsAt === props.handlers.currentStartsAt }}
                              disabled={!props.handlers.onFree}
                              aria-label={t('booking.slot.freeLabel', {
                                date: formatLongDate(day.date), start: free().start, end: free().end,
                                physician: c().physicianName, location: c().locationName,
                              })}
                              onClick={() => props.handlers.onFree?.(c(), free().slot)}>
                              {free().start}
                            </button>
                          )}
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </div>
          )}
        </For>
      </div>
    </section>
  );
}

function BookedButton(props: { column: CalendarColumn; slot: BookedSlot; date: string; start: string; end: string; handlers: CalendarHandlers }) {
  const details = () => props.slot.details;
  const current = () => props.slot.startsAt === props.handlers.currentStartsAt;
  const label = () => {
    const d = details();
    const base = { date: formatLongDate(props.date), start: props.start, end: props.end, physician: props.column.physicianName };
    return d
      ? t('booking.slot.ownLabel', { ...base, patient: d.patientName ?? '—', service: d.serviceName, status: bookingStatusLabel(d.status) })
      : t('booking.slot.bookedLabel', base);
  };
  return (
    <Show when={details() && props.slot.bookingId !== null && props.handlers.onBooked} fallback={
      <span class="slot slot-booked slot-other" classList={{ 'slot-current': current() }} role="img" aria-label={label()}>
        <span class="slot-time">{props.start}</span> <span class="slot-text">{t('booking.slot.booked')}</span>
      </span>
    }>
      <button type="button" class={`slot slot-booked slot-status-${details()!.status}`} classList={{ 'slot-current': current() }}
        aria-label={label()} onClick={() => props.handlers.onBooked?.(props.column, props.slot)}
        title={`${details()!.serviceName} · ${sourceLabel(details()!.source)} · ${paymentStatusLabel(details()!.paymentStatus)}`}>
        <span class="slot-time">{props.start}–{props.end}</span>
        <span class="slot-text">{details()!.patientName ?? '—'}</span>
        <span class="slot-text slot-service">{details()!.serviceName}</span>
        <Show when={details()!.status !== 'booked'}>
          <span class="slot-status">{bookingStatusLabel(details()!.status)}</span>
        </Show>
      </button>
    </Show>
  );
}
