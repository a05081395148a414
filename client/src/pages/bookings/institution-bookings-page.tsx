/**
 * The institution's own Bookings calendar (/bookings), for every member of an institution: all bookings of every
 * source with their details, coloured by status; filters by location, qualification, physician and service. A free
 * slot takes a Phone booking — or one a partner phoned in, which then counts as that partner's booking.
 */
import { createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { useCurrentUser } from '../../auth';
import { t } from '../../i18n';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { Loading, Notice, QueryErrorState } from '../../ui/states';
import { useCalendarWeek, useInstitutionOptions, type CalendarColumn, type FreeSlot, type InstitutionOptions } from './booking-api';
import { BookingDetailsDialog } from './booking-details';
import { BookingDialog } from './booking-dialog';
import { effectiveChoice, flattenOptions } from './booking-filters';
import { CalendarFilters, useCalendarParams } from './calendar-filters';
import { CalendarPanel } from './calendar-panel';

export function InstitutionBookingsPage() {
  const me = useCurrentUser();
  const title = () => t('nav.bookings');
  return (
    <Show when={me().organisation.isInstitution} fallback={<ForbiddenPage title={title} />}>
      <InstitutionBookings title={title} />
    </Show>
  );
}

function InstitutionBookings(props: { title: () => string }) {
  usePageTitle(props.title);
  const options = useInstitutionOptions();
  return (
    <section aria-labelledby="page-title" class="book-page">
      <PageHeader title={props.title()} />
      <Switch>
        <Match when={options.isPending}><Loading /></Match>
        <Match when={options.isError && !options.data}><QueryErrorState message={t('error.load_failed')} query={options} /></Match>
        <Match when={options.data}>{(data) => <OwnCalendar options={data()} />}</Match>
      </Switch>
    </section>
  );
}

function OwnCalendar(props: { options: InstitutionOptions }) {
  const params = useCalendarParams();
  const filterOptions = createMemo(() => flattenOptions([props.options]));
  const [slot, setSlot] = createSignal<{ column: CalendarColumn; slot: FreeSlot } | null>(null);
  const [details, setDetails] = createSignal<number | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  const applied = () => effectiveChoice(filterOptions(), params.choice());
  const calendar = useCalendarWeek(() => 'institution', () => {
    const c = applied();
    return {
      locationId: c.locationId ?? undefined, qualificationId: c.qualificationId ?? undefined,
      physicianId: c.physicianId ?? undefined, serviceId: c.serviceId ?? undefined, weekStart: params.weekStart(),
    };
  });

  return (
    <>
      <p class="lead">{t('booking.institution.intro')}</p>
      <CalendarFilters options={filterOptions()} choice={params.choice()} onChange={(c) => params.setChoice(c)} idPrefix="own" />
      <Show when={notice()}>{(n) => <Notice tone="success" onDismiss={() => setNotice(null)}>{n()}</Notice>}</Show>
      <ul class="status-legend" aria-label={t('booking.legend')}>
        <li><span class="slot slot-free legend-swatch" aria-hidden="true" />{t('booking.legend.free')}</li>
        <li><span class="slot slot-booked slot-status-booked legend-swatch" aria-hidden="true" />{t('booking.status.booked')}</li>
        <li><span class="slot slot-booked slot-status-arrived legend-swatch" aria-hidden="true" />{t('booking.status.arrived')}</li>
        <li><span class="slot slot-booked slot-status-fulfilled legend-swatch" aria-hidden="true" />{t('booking.status.fulfilled')}</li>
        <li><span class="slot slot-booked slot-status-noshow legend-swatch" aria-hidden="true" />{t('booking.status.noshow')}</li>
      </ul>
      <CalendarPanel calendar={calendar} weekStart={params.weekStart()} onWeek={params.setWeek} offersBooking
        handlers={{
          onFree: (column, s) => setSlot({ column, slot: s }),
          onBooked: (_column, b) => { if (b.bookingId !== null) setDetails(b.bookingId); },
        }} />

      <Show when={slot()}>
        {(s) => (
          <BookingDialog side="institution" column={s().column} slot={s().slot}
            services={props.options.services.filter((v) => s().column.serviceIds.includes(v.id))}
            preferredServiceId={applied().serviceId} patientDataAccess paymentLocation={null}
            partners={props.options.partners}
            onClose={() => setSlot(null)}
            onBooked={(_id, summary) => { setSlot(null); setNotice(summary); }} />
        )}
      </Show>
      <Show when={details()}>
        {(id) => <BookingDetailsDialog bookingId={id()} onClose={() => setDetails(null)} />}
      </Show>
    </>
  );
}
