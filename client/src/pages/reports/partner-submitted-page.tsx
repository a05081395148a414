/**
 * Reports / Partner-submitted statistics (/partner-statistics). One route, two audiences:
 * - an institution's members see the bookings partners made in the institution (also those its staff entered for a
 *   partner on the phone): partner, booked by, when it was booked, its changes; they can cancel a booking that is
 *   still booked (a reason is required; the booking lifecycle workflow then emails the patient and the partner);
 * - a partner organisation's administrators and bookers see their own organisation's bookings per institution
 *   (partner-side-page.tsx). An institution that is itself another institution's partner sees both, as two tabs.
 * Filters, sort and page live in the address.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { useCurrentUser } from '../../auth';
import { t, tCount } from '../../i18n';
import type { DataColumn } from '../../ui/data-table';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { BookingDetailsDialog } from '../bookings/booking-details';
import { bookingStatusLabel, eventTypeLabel, formatAppointment, formatPrice } from '../bookings/booking-format';
import {
  BOOKING_STATUS_VALUES, csvUrl, nextSort, parseSubmittedFilters, periodProblem, submittedExportInput, submittedInput,
  submittedParams, type QueryParams, type SubmittedFilters,
} from './report-filters';
import { AppointmentCell, shortDateTime, CsvExportButton, csvLang, MultiSelect, PeriodFields, TotalsList } from './report-parts';
import { PAGE_SIZE, refreshReports, useFilterOptions, usePartnerInstitutions, useSubmitted, type SubmittedRow } from './reports-api';
import { PartnerSideReport, mayReadPartnerReports } from './partner-side-page';
import { createReportCancel, ReportBookings } from './shared';

export function PartnerStatisticsPage() {
  const me = useCurrentUser();
  const title = () => t('nav.partnerStatistics');
  usePageTitle(title);
  const [params, setParams] = useSearchParams<Record<string, string>>();
  const isInstitution = () => me().organisation.isInstitution;
  // An institution may itself be another institution's partner: then it also has the partner's view.
  const asPartner = usePartnerInstitutions(() => mayReadPartnerReports(me()) && isInstitution());
  const hasPartnerSide = () => isInstitution() && (asPartner.data?.length ?? 0) > 0;
  const side = () => (!isInstitution() ? 'partner' : hasPartnerSide() && params.side === 'partner' ? 'partner' : 'institution');

  /** The two sides have different filters and sorts: a switch keeps the period only. */
  const switchTo = (next: 'institution' | 'partner') => setParams({
    side: next === 'partner' ? 'partner' : undefined, sort: undefined, dir: undefined, page: undefined, partner: undefined,
    institution: undefined, status: undefined,
  } as Record<string, string | undefined>, { replace: true });

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = side() === 'institution' ? 'partner' : 'institution';
    switchTo(next);
    document.getElementById(`report-tab-${next}`)?.focus();
  };

  return (
    <Show when={isInstitution() || mayReadPartnerReports(me())} fallback={<ForbiddenPage title={title} />}>
      <section aria-labelledby="page-title" class="report-page">
        <PageHeader title={title()} />
        <Show when={hasPartnerSide()}>
          <div class="tabs" role="tablist" aria-label={t('reports.side.tabs')}>
            <For each={['institution', 'partner'] as const}>
              {(s) => (
                <button type="button" role="tab" class="tab" id={`report-tab-${s}`} aria-controls="report-panel"
                  aria-selected={side() === s ? 'true' : 'false'} tabindex={side() === s ? 0 : -1} onKeyDown={onTabKey}
                  onClick={() => switchTo(s)}>
                  {t(s === 'institution' ? 'reports.side.institution' : 'reports.side.partner')}
                </button>
              )}
            </For>
          </div>
        </Show>
        <div id="report-panel" role={hasPartnerSide() ? 'tabpanel' : undefined} aria-labelledby={hasPartnerSide() ? `report-tab-${side()}` : undefined}>
          <Switch>
            <Match when={side() === 'institution'}><InstitutionSubmitted /></Match>
            <Match when={side() === 'partner'}><PartnerSideReport /></Match>
          </Switch>
        </div>
      </section>
    </Show>
  );
}

function InstitutionSubmitted() {
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams<QueryParams & Record<string, string>>();
  const filters = createMemo(() => parseSubmittedFilters(params as QueryParams));
  const update = (patch: Partial<SubmittedFilters>) => setParams(submittedParams({ ...filters(), page: 1, ...patch }), { replace: true });
  const options = useFilterOptions();
  const input = () => (periodProblem(filters().period) ? null : submittedInput(filters(), PAGE_SIZE));
  const list = useSubmitted(input);
  const [details, setDetails] = createSignal<number | null>(null);
  const cancel = createReportCancel();

  const exportUrl = () => csvUrl('/exports/statistics.csv', submittedExportInput(filters()), csvLang());

  const columns: DataColumn<SubmittedRow, SubmittedFilters['sort']['by']>[] = [
    {
      id: 'date', sortKey: 'date', rowHeader: true, class: 'cell-date', header: () => t('booking.field.when'),
      cell: (r) => (
        <button type="button" class="link-button" onClick={() => setDetails(r.id)}
          aria-label={t('reports.submitted.openDetails', { when: formatAppointment(r.startsAt, r.timeZone) })}>
          <AppointmentCell startsAt={r.startsAt} timeZone={r.timeZone} />
        </button>
      ),
    },
    { id: 'partner', sortKey: 'partner', header: () => t('reports.filter.partner'), cell: (r) => <span class="source-partner">{r.partner.name}</span> },
    {
      id: 'bookedBy', header: () => t('booking.field.bookedBy'),
      cell: (r) => (
        <>
          {r.bookedBy.name ?? '—'}
          <Show when={r.bookedBy.by === 'institution'}><span class="cell-note">{t('reports.source.phonedIn')}</span></Show>
        </>
      ),
    },
    { id: 'bookedAt', sortKey: 'bookedAt', class: 'cell-date', header: () => t('reports.submitted.bookedAt'), cell: (r) => <AppointmentCell startsAt={r.bookedAt} timeZone={me().organisation.timeZone} /> },
    {
      id: 'service', sortKey: 'service', header: () => t('booking.field.service'),
      cell: (r) => <>{r.service.name}<span class="cell-note">{r.physician.name} · {r.location.name}</span></>,
    },
    { id: 'patient', sortKey: 'patient', header: () => t('booking.field.patient'), cell: (r) => r.patientName ?? '—' },
    {
      id: 'status', sortKey: 'status', header: () => t('booking.field.status'),
      cell: (r) => (
        <>
          <span class={`badge badge-booking-${r.status}`}>{bookingStatusLabel(r.status)}</span>
          <Show when={r.cancellationReason}><span class="cell-note">{t('reports.submitted.reason', { reason: r.cancellationReason! })}</span></Show>
        </>
      ),
    },
    {
      id: 'changes', header: () => t('reports.submitted.changes'),
      cell: (r) => (
        <Show when={r.changes.last} fallback={<span class="muted">{t('reports.submitted.noChanges')}</span>}>
          {(last) => (
            <>
              {tCount('reports.submitted.changeCount', r.changes.count)}
              <span class="cell-note">{t('reports.submitted.lastChange', { what: eventTypeLabel(last().type) })}</span>
              <span class="cell-note">{shortDateTime(last().at, me().organisation.timeZone)}</span>
            </>
          )}
        </Show>
      ),
    },
    {
      id: 'commission', sortKey: 'commission', class: 'cell-number', header: () => t('booking.field.commission'),
      cell: (r) => <>{r.commission ? formatPrice(r.commission.amountMinor, r.commission.currency) : '—'}
        <span class="cell-note">{t('reports.submitted.ofPrice', { price: formatPrice(r.price.amountMinor, r.price.currency) })}</span></>,
    },
    cancel.column({
      canCancel: (r) => r.canCancel,
      label: (r) => t('reports.cancel.label', { when: formatAppointment(r.startsAt, r.timeZone), partner: r.partner.name }),
      booking: (r) => ({ id: r.id, serviceName: r.service.name, startsAt: r.startsAt, timeZone: r.timeZone, patientName: r.patientName }),
    }),
  ];

  return (
    <>
      <p class="lead">{t('reports.submitted.intro')}</p>
      <cancel.NoticeBox />
      <form class="filters report-filters" role="search" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
        <PeriodFields idPrefix="submitted" period={filters().period} timeZone={list.data?.period.timeZone ?? me().organisation.timeZone}
          resolved={list.data?.period ?? null} onChange={(period) => update({ period })} />
        <div class="report-filter-grid">
          <MultiSelect id="submitted-partner" label={t('reports.filter.partner')} selected={filters().partnershipIds.map(String)}
            options={(options.data?.partners ?? []).map((p) => ({ value: String(p.partnershipId), label: p.name }))}
            onChange={(v) => update({ partnershipIds: v.map(Number) })} />
          <MultiSelect id="submitted-status" label={t('booking.field.status')} selected={filters().statuses}
            options={BOOKING_STATUS_VALUES.map((s) => ({ value: s, label: bookingStatusLabel(s) }))}
            onChange={(v) => update({ statuses: v as SubmittedFilters['statuses'] })} />
          <div class="field report-export">
            <span class="field-label">{t('reports.csv.label')}</span>
            <CsvExportButton url={exportUrl} fallbackName="partner-submitted.csv" disabled={!input() || list.data?.total === 0} />
          </div>
        </div>
      </form>

      <Switch>
        <Match when={!input()}><p class="muted">{t('reports.period.fix')}</p></Match>
        <Match when={list.isPending}><Loading label={t('reports.loading')} /></Match>
        <Match when={list.isError && !list.data}><QueryErrorState message={t('reports.loadError')} query={list} /></Match>
        <Match when={list.data && list.data.total === 0}><EmptyState>{t('reports.submitted.empty')}</EmptyState></Match>
        <Match when={list.data}>
          {(data) => (
            <>
              <TotalsList totals={data().totals} />
              <ReportBookings caption={t('reports.submitted.caption')} rows={data().rows} total={data().total} columns={columns}
                rowId={(r) => String(r.id)} sort={filters().sort} busy={list.isPlaceholderData || list.isFetching}
                onSort={(by) => update({ sort: nextSort(filters().sort, by) })}
                pagerId="submitted-pager" page={filters().page} onPage={(page) => setParams(submittedParams({ ...filters(), page }), { replace: true })} />
            </>
          )}
        </Match>
      </Switch>

      <cancel.Dialog />
      <Show when={details()}>
        {(id) => <BookingDetailsDialog bookingId={id()} onClose={() => { setDetails(null); refreshReports(); }} returnFocus={cancel.box} />}
      </Show>
    </>
  );
}
