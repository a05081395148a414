/**
 * "Book to partner" (/book): a user with "Can book to partner institution" whose organisation is an active partner
 * of one or more institutions. Everything bookable is offered by default; the filters narrow it; "Show calendars"
 * shows one week per matching physician × location. A green slot opens the booking dialog; an own red slot opens the
 * booking's details (modify, cancel). Other organisations' bookings read only "Booked".
 */
import { createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { useCurrentUser } from '../../auth';
import { t } from '../../i18n';
import { PageHeader, usePageTitle } from '../../ui/page';
import { Loading, Notice, QueryErrorState } from '../../ui/states';
import { useBookingOptions, useCalendarWeek, type BookingOptions, type CalendarColumn, type FreeSlot } from './booking-api';
import { BookingDetailsDialog } from './booking-details';
import { BookingDialog } from './booking-dialog';
import { effectiveChoice, flattenOptions, type FilterChoice } from './booking-filters';
import { CalendarFilters, useCalendarParams } from './calendar-filters';
import { CalendarPanel } from './calendar-panel';

export function BookPage() {
  usePageTitle(() => t('nav.book'));
  const me = useCurrentUser();
  const options = useBookingOptions(() => me().canBookPartner);

  return (
    <section aria-labelledby="page-title" class="book-page">
      <PageHeader title={t('nav.book')} />
      <Switch>
        <Match when={!me().canBookPartner}>
          <div class="state state-forbidden">
            <p class="state-title">{t('booking.empty.noPermissionTitle')}</p>
            <p>{t('booking.empty.noPermission')}</p>
          </div>
        </Match>
        <Match when={options.isPending}><Loading /></Match>
        <Match when={options.isError && !options.data}>
          <QueryErrorState message={t('error.load_failed')} query={options} />
        </Match>
        <Match when={options.data && options.data.institutions.length === 0}>
          <div class="state state-empty">
            <p class="state-title">{t('booking.empty.noInstitutionTitle')}</p>
            <p>{t('booking.empty.noInstitution')}</p>
          </div>
        </Match>
        <Match when={options.data}>{(data) => <Booker options={data()} />}</Match>
      </Switch>
    </section>
  );
}

function Booker(props: { options: BookingOptions }) {
  const params = useCalendarParams();
  const filterOptions = createMemo(() => flattenOptions(props.options.institutions));
  const [draft, setDraft] = createSignal<FilterChoice>(params.choice());
  const [slot, setSlot] = createSignal<{ column: CalendarColumn; slot: FreeSlot; button: HTMLElement | null } | null>(null);
  const [details, setDetails] = createSignal<{ id: number; button: HTMLElement | null } | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const applied = () => effectiveChoice(filterOptions(), params.choice());
  const input = () => {
    if (!params.shown()) return null;
    const c = applied();
    return {
      institutionId: c.institutionId ?? undefined, locationId: c.locationId ?? undefined, qualificationId: c.qualificationId ?? undefined,
      physicianId: c.physicianId ?? undefined, serviceId: c.serviceId ?? undefined, weekStart: params.weekStart(),
    };
  };
  const calendar = useCalendarWeek(() => 'partner', input);
  const institution = (id: number) => props.options.institutions.find((i) => i.institutionId === id);

  const show = () => {
    setNotice(null);
    params.setChoice(effectiveChoice(filterOptions(), draft()), { show: '1' });
  };

  return (
    <>
      <p class="lead">{t('booking.book.intro')}</p>
      <CalendarFilters options={filterOptions()} choice={draft()} onChange={setDraft} onShow={show} idPrefix="book" />
      <Show when={notice()}>{(n) => <Notice tone="success" onDismiss={() => setNotice(null)}>{n()}</Notice>}</Show>
      <Show when={params.shown()} fallback={<p class="muted">{t('booking.book.pressShow')}</p>}>
        <CalendarPanel calendar={calendar} weekStart={params.weekStart()} onWeek={params.setWeek} offersBooking
          handlers={{
            onFree: (column, s) => setSlot({ column, slot: s, button: document.activeElement as HTMLElement | null }),
            onBooked: (_column, b) => { if (b.bookingId !== null) setDetails({ id: b.bookingId, button: document.activeElement as HTMLElement | null }); },
          }} />
      </Show>

      <Show when={slot()}>
        {(s) => {
          const inst = institution(s().column.institutionId);
          return (
            <BookingDialog side="partner" column={s().column} slot={s().slot}
              services={(inst?.services ?? []).filter((v) => s().column.serviceIds.includes(v.id))}
              preferredServiceId={applied().serviceId}
              patientDataAccess={inst?.patientDataAccess ?? false} paymentLocation={inst?.paymentLocation ?? null}
              onClose={() => setSlot(null)}
              onBooked={(_id, summary) => { setSlot(null); setNotice(summary); }} />
          );
        }}
      </Show>
      <Show when={details()}>
        {(d) => <BookingDetailsDialog bookingId={d().id} onClose={() => setDetails(null)} />}
      </Show>
    </>
  );
}
