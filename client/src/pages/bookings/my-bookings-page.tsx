/**
 * "My bookings" (/my-bookings): the bookings the user's organisation made at the institutions it is a partner of,
 * upcoming (soonest first) or past (latest first), 25 a page. A row opens the booking's details (modify, cancel).
 */
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { useQuery } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { BOOKINGS_QUERY_KEY, type MyBookingRow } from './booking-api';
import { BookingDetailsDialog } from './booking-details';
import { bookingStatusLabel, formatAppointment, paymentStatusLabel } from './booking-format';

type Scope = 'upcoming' | 'past';
const SCOPES: Scope[] = ['upcoming', 'past'];

export function MyBookingsPage() {
  const me = useCurrentUser();
  const title = () => t('nav.myBookings');
  return (
    <Show when={me().canBookPartner} fallback={<ForbiddenPage title={title} />}>
      <MyBookings title={title} />
    </Show>
  );
}

function MyBookings(props: { title: () => string }) {
  usePageTitle(props.title);
  const [params, setParams] = useSearchParams<{ scope?: string; page?: string }>();
  const scope = (): Scope => (params.scope === 'past' ? 'past' : 'upcoming');
  const page = () => {
    const p = Number(params.page);
    return Number.isInteger(p) && p >= 1 ? p : 1;
  };
  const [open, setOpen] = createSignal<number | null>(null);

  const list = useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'mine', scope(), page()],
    queryFn: () => trpc.bookings.myBookings.query({ scope: scope(), page: page() }),
    staleTime: 0,
    placeholderData: (previous: { items: MyBookingRow[]; total: number; pageSize: number } | undefined) => previous,
  }));
  const pages = () => (list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1);

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = scope() === 'upcoming' ? 'past' : 'upcoming';
    setParams({ scope: next, page: undefined }, { replace: true });
    document.getElementById(`my-tab-${next}`)?.focus();
  };

  return (
    <section aria-labelledby="page-title">
      <PageHeader title={props.title()} />
      <div class="tabs" role="tablist" aria-label={t('myBookings.tabs')}>
        <For each={SCOPES}>
          {(s) => (
            <button type="button" role="tab" class="tab" id={`my-tab-${s}`} aria-controls="my-bookings-panel"
              aria-selected={scope() === s ? 'true' : 'false'} tabindex={scope() === s ? 0 : -1} onKeyDown={onTabKey}
              onClick={() => setParams({ scope: s, page: undefined }, { replace: true })}>
              {t(s === 'upcoming' ? 'myBookings.upcoming' : 'myBookings.past')}
            </button>
          )}
        </For>
      </div>
      <div role="tabpanel" id="my-bookings-panel" aria-labelledby={`my-tab-${scope()}`}>
        <Switch>
          <Match when={list.isPending}><Loading /></Match>
          <Match when={list.isError && !list.data}><QueryErrorState message={t('error.load_failed')} query={list} /></Match>
          <Match when={list.data && list.data.items.length === 0}>
            <EmptyState>{t(scope() === 'upcoming' ? 'myBookings.emptyUpcoming' : 'myBookings.emptyPast')}</EmptyState>
          </Match>
          <Match when={list.data}>
            {(data) => (
              <>
                <p class="result-count muted" role="status">{t('myBookings.count', { count: data().total })}</p>
                <div class="table-wrap" aria-busy={list.isPlaceholderData}>
                  <table class="table my-bookings-table">
                    <caption class="visually-hidden">{props.title()}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('booking.field.when')}</th>
                        <th scope="col">{t('booking.field.patient')}</th>
                        <th scope="col">{t('booking.field.service')}</th>
                        <th scope="col">{t('booking.field.physician')}</th>
                        <th scope="col">{t('booking.field.institution')}</th>
                        <th scope="col">{t('booking.field.status')}</th>
                        <th scope="col">{t('booking.field.paymentStatus')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={data().items}>
                        {(row) => (
                          <tr class="row-clickable" onClick={() => setOpen(row.id)}>
                            <th scope="row" class="cell-date">
                              <button type="button" class="link-button" onClick={(e) => { e.stopPropagation(); setOpen(row.id); }}>
                                {formatAppointment(row.startsAt, row.timeZone)}
                              </button>
                            </th>
                            <td>{row.patientName ?? '—'}</td>
                            <td>{row.serviceName}</td>
                            <td>{row.physicianName}</td>
                            <td>{row.institutionName}<span class="cell-note">{row.locationName}</span></td>
                            <td><span class={`badge badge-booking-${row.status}`}>{bookingStatusLabel(row.status)}</span></td>
                            <td>{paymentStatusLabel(row.paymentStatus)}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
                <Show when={pages() > 1}>
                  <nav class="pager" aria-label={t('myBookings.pages')}>
                    <button type="button" class="button button-small" disabled={page() <= 1}
                      onClick={() => setParams({ page: String(page() - 1) }, { replace: true })}>{t('myBookings.previous')}</button>
                    <span>{t('myBookings.page', { page: page(), pages: pages() })}</span>
                    <button type="button" class="button button-small" disabled={page() >= pages()}
                      onClick={() => setParams({ page: String(page() + 1) }, { replace: true })}>{t('myBookings.next')}</button>
                  </nav>
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </div>
      <Show when={open()}>{(id) => <BookingDetailsDialog bookingId={id()} onClose={() => setOpen(null)} />}</Show>
    </section>
  );
}
