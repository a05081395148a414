/**
 * Reports / Statistics (/statistics), for the institution's members: the bookings of a period (this month, last month
 * or custom dates, read in the institution's time zone) with their Booking source — Online, Phone, Reception, or the
 * partner's company name —, "All bookings" or only those "Sent by partners", filters by location, partner, physician,
 * service, status and payment status; a sortable, paged table; totals per currency (never added across currencies);
 * charts (bookings per day by source, bookings and commission per partner, no-show rate per source), each with its
 * figures as a table; and the CSV of exactly the filtered rows, streamed with progress.
 *
 * Every filter, the sort and the page live in the address, so a view can be shared and reloaded.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import type { ChartOptions } from 'chart.js';
import { useCurrentUser } from '../../auth';
import { intlLocale, t } from '../../i18n';
import { toUiError } from '../../trpc';
import { BarChart } from '../../ui/chart';
import type { DataColumn } from '../../ui/data-table';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { Loading, QueryErrorState } from '../../ui/states';
import { BookingDetailsDialog } from '../bookings/booking-details';
import { bookingStatusLabel, formatAppointment, formatLongDate, formatPrice, paymentStatusLabel, sourceLabel } from '../bookings/booking-format';
import { dailyBySource, dailySummary, hasData, noShowRates, perPartner, SOURCE_KINDS, type SourceKind } from './chart-data';
import {
  BOOKING_STATUS_VALUES, csvUrl, hasNarrowingFilters, nextSort, parseStatisticsFilters, PAYMENT_STATUS_VALUES, periodProblem,
  statisticsExportInput, statisticsParams, type StatisticsFilters, type QueryParams,
} from './report-filters';
import { AppointmentCell, CsvExportButton, csvLang, formatCount, MultiSelect, PeriodFields, TotalsList } from './report-parts';
import { PAGE_SIZE, refreshReports, useFilterOptions, useStatistics, type Charts, type FilterOptions, type StatisticsRow } from './reports-api';
import { FiguresTable, ReportBookings } from './shared';

export function StatisticsPage() {
  const me = useCurrentUser();
  const title = () => t('nav.statistics');
  return (
    <Show when={me().organisation.isInstitution} fallback={<ForbiddenPage title={title} />}>
      <Statistics title={title} />
    </Show>
  );
}

/** The booking source as the table shows it: the partner's company name for a partner's booking. */
export function sourceText(source: { kind: string; partnerName: string | null }): string {
  return source.kind === 'partner' && source.partnerName ? source.partnerName : sourceLabel({ kind: source.kind, partnerName: null });
}

const FILTER_FIELDS = ['locationIds', 'partnershipIds', 'physicianIds', 'serviceIds'];

const sourceKindLabel = (s: SourceKind) => sourceLabel({ kind: s, partnerName: null });

function Statistics(props: { title: () => string }) {
  usePageTitle(props.title);
  const [params, setParams] = useSearchParams<QueryParams & Record<string, string>>();
  const filters = createMemo(() => parseStatisticsFilters(params as QueryParams));
  const options = useFilterOptions();

  /** Any filter change starts again at page 1; only the pager keeps the page. */
  const update = (patch: Partial<StatisticsFilters>) =>
    setParams(statisticsParams({ ...filters(), page: 1, ...patch }), { replace: true });

  const input = () => (periodProblem(filters().period) ? null : { ...statisticsExportInput(filters()), page: filters().page, pageSize: PAGE_SIZE });
  const stats = useStatistics(input);
  const exportUrl = () => csvUrl('/exports/statistics.csv', statisticsExportInput(filters()), csvLang());

  const [details, setDetails] = createSignal<number | null>(null);
  let tableBox!: HTMLDivElement;
  const columns = statisticsColumns(setDetails);

  const clearFilters = () => update({
    scope: 'all', locationIds: [], partnershipIds: [], physicianIds: [], serviceIds: [], statuses: [], paymentStatuses: [],
  });

  return (
    <section aria-labelledby="page-title" class="report-page">
      <PageHeader title={props.title()} actions={
        <CsvExportButton url={exportUrl} fallbackName="statistics.csv"
          disabled={!input() || stats.data?.total === 0} />
      } />
      <p class="lead">{t('reports.statistics.intro')}</p>

      <div class="scope-switch" role="radiogroup" aria-label={t('reports.scope')}>
        <For each={['all', 'partners'] as const}>
          {(s) => (
            <label class="scope-option" classList={{ 'scope-option-on': filters().scope === s }}>
              <input type="radio" name="stats-scope" value={s} checked={filters().scope === s} onChange={() => update({ scope: s })} />
              {t(s === 'all' ? 'reports.scope.all' : 'reports.scope.partners')}
            </label>
          )}
        </For>
      </div>

      <Switch>
        <Match when={options.isPending}><Loading /></Match>
        <Match when={options.isError && !options.data}><QueryErrorState message={t('error.load_failed')} query={options} /></Match>
        <Match when={options.data}>
          {(o) => <StatisticsFiltersForm options={o()} filters={filters()} update={update} resolved={stats.data?.period ?? null} />}
        </Match>
      </Switch>

      <Switch>
        <Match when={!input()}><p class="muted">{t('reports.period.fix')}</p></Match>
        <Match when={stats.isPending}><Loading label={t('reports.loading')} /></Match>
        <Match when={stats.isError && !stats.data}>
          {/* A filter id from an old or foreign address (NOT_FOUND on that field): trying again cannot help, clearing can. */}
          <Show when={FILTER_FIELDS.some((f) => f in toUiError(stats.error).fieldErrors)} fallback={<QueryErrorState message={t('reports.loadError')} query={stats} />}>
            <div class="state state-error" role="alert">
              <p class="state-title">{t('reports.loadError')}</p>
              <p>{toUiError(stats.error).message}</p>
              <button type="button" class="button" onClick={clearFilters}>{t('reports.filter.clearAll')}</button>
            </div>
          </Show>
        </Match>
        <Match when={stats.data && stats.data.total === 0}>
          <div class="state state-empty" role="status">
            <p>{t('reports.empty')}</p>
            <Show when={hasNarrowingFilters(filters())}>
              <p><button type="button" class="button" onClick={clearFilters}>{t('reports.filter.clearAll')}</button></p>
            </Show>
          </div>
        </Match>
        <Match when={stats.data}>
          {(data) => (
            <>
              <TotalsList totals={data().totals} />
              <h2 class="report-heading" ref={tableBox} tabindex="-1">{t('reports.bookings')}</h2>
              <ReportBookings caption={t('reports.statistics.caption')} rows={data().rows} total={data().total} columns={columns}
                rowId={(r) => String(r.id)} sort={filters().sort} busy={stats.isPlaceholderData || stats.isFetching}
                onSort={(by) => update({ sort: nextSort(filters().sort, by) })}
                pagerId="stats-pager" page={filters().page} onPage={(page) => setParams(statisticsParams({ ...filters(), page }), { replace: true })} />
              <ChartsSection charts={data().charts} scope={filters().scope} />
            </>
          )}
        </Match>
      </Switch>
      <Show when={details()}>
        {(id) => <BookingDetailsDialog bookingId={id()} onClose={() => { setDetails(null); refreshReports(); }} returnFocus={() => tableBox} />}
      </Show>
    </section>
  );
}

function StatisticsFiltersForm(props: { options: FilterOptions; filters: StatisticsFilters; update: (p: Partial<StatisticsFilters>) => void; resolved: { from: string; to: string } | null }) {
  const f = () => props.filters;
  const ids = (list: number[]) => list.map(String);
  const toIds = (values: string[]) => values.map(Number);
  return (
    <form class="filters report-filters" role="search" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
      <PeriodFields idPrefix="stats" period={f().period} timeZone={props.options.timeZone} resolved={props.resolved}
        onChange={(period) => props.update({ period })} />
      <div class="report-filter-grid">
        <MultiSelect id="stats-location" label={t('booking.field.location')} selected={ids(f().locationIds)}
          options={props.options.locations.map((l) => ({ value: String(l.id), label: l.name }))}
          onChange={(v) => props.update({ locationIds: toIds(v) })} />
        <MultiSelect id="stats-partner" label={t('reports.filter.partner')} selected={ids(f().partnershipIds)}
          options={props.options.partners.map((p) => ({ value: String(p.partnershipId), label: p.name }))}
          onChange={(v) => props.update({ partnershipIds: toIds(v) })} />
        <MultiSelect id="stats-physician" label={t('booking.field.physician')} selected={ids(f().physicianIds)}
          options={props.options.physicians.map((p) => ({ value: String(p.id), label: p.name }))}
          onChange={(v) => props.update({ physicianIds: toIds(v) })} />
        <MultiSelect id="stats-service" label={t('booking.field.service')} selected={ids(f().serviceIds)}
          options={props.options.services.map((s) => ({ value: String(s.id), label: s.name }))}
          onChange={(v) => props.update({ serviceIds: toIds(v) })} />
        <MultiSelect id="stats-status" label={t('booking.field.status')} selected={f().statuses}
          options={BOOKING_STATUS_VALUES.map((s) => ({ value: s, label: bookingStatusLabel(s) }))}
          onChange={(v) => props.update({ statuses: v as StatisticsFilters['statuses'] })} />
        <MultiSelect id="stats-payment" label={t('booking.field.paymentStatus')} selected={f().paymentStatuses}
          options={PAYMENT_STATUS_VALUES.map((s) => ({ value: s, label: paymentStatusLabel(s) }))}
          onChange={(v) => props.update({ paymentStatuses: v as StatisticsFilters['paymentStatuses'] })} />
      </div>
    </form>
  );
}

const money = (m: { amountMinor: number; currency: string } | null) => (m ? formatPrice(m.amountMinor, m.currency) : '—');

/** The table's columns; the date opens the booking's details (with its history and the staff's actions). */
const statisticsColumns = (openDetails: (id: number) => void): DataColumn<StatisticsRow, StatisticsFilters['sort']['by']>[] => [
  {
    id: 'date', sortKey: 'date', rowHeader: true, class: 'cell-date', header: () => t('booking.field.when'),
    cell: (r) => (
      <button type="button" class="link-button" onClick={() => openDetails(r.id)}
        aria-label={t('reports.submitted.openDetails', { when: formatAppointment(r.startsAt, r.timeZone) })}>
        <AppointmentCell startsAt={r.startsAt} timeZone={r.timeZone} />
      </button>
    ),
  },
  { id: 'location', sortKey: 'location', header: () => t('booking.field.location'), cell: (r) => r.location.name },
  { id: 'physician', sortKey: 'physician', header: () => t('booking.field.physician'), cell: (r) => r.physician.name },
  { id: 'service', sortKey: 'service', header: () => t('booking.field.service'), cell: (r) => r.service.name },
  { id: 'patient', sortKey: 'patient', header: () => t('booking.field.patient'), cell: (r) => r.patientName ?? '—' },
  { id: 'status', sortKey: 'status', header: () => t('booking.field.status'), cell: (r) => <span class={`badge badge-booking-${r.status}`}>{bookingStatusLabel(r.status)}</span> },
  { id: 'paymentStatus', sortKey: 'paymentStatus', header: () => t('booking.field.paymentStatus'), cell: (r) => paymentStatusLabel(r.paymentStatus) },
  {
    id: 'source', sortKey: 'source', header: () => t('booking.field.source'),
    cell: (r) => (
      <>
        <span classList={{ 'source-partner': r.source.kind === 'partner' }}>{sourceText(r.source)}</span>
        <Show when={r.source.phonedIn}><span class="cell-note">{t('reports.source.phonedIn')}</span></Show>
      </>
    ),
  },
  { id: 'price', sortKey: 'price', class: 'cell-number', header: () => t('booking.field.price'), cell: (r) => money(r.price) },
  { id: 'commission', sortKey: 'commission', class: 'cell-number', header: () => t('booking.field.commission'), cell: (r) => money(r.commission) },
];

// ---------------------------------------------------------------------------------------------------------------
// Charts

const shortDay = (ymd: string) => new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' })
  .format(new Date(`${ymd}T00:00:00Z`));
const percent = (rate: number | null) => (rate === null ? '—' : new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(rate));

function ChartsSection(props: { charts: Charts; scope: 'all' | 'partners' }) {
  const daily = createMemo(() => dailyBySource(props.charts.bookingsPerDay, shortDay, sourceKindLabel));
  const summary = createMemo(() => dailySummary(props.charts.bookingsPerDay));
  const partners = createMemo(() => perPartner(props.charts.perPartner, {
    bookings: t('reports.chart.bookings'), commission: (c) => t('reports.chart.commissionIn', { currency: c }),
  }));
  const noShow = createMemo(() => noShowRates(props.charts.noShowRate, sourceKindLabel, t('reports.chart.noShowRate')));

  const maxRateAxis = () => (props.charts.noShowRate.some((r) => (r.rate ?? 0) > 0.9) ? 100 : undefined);
  const dailyOptions = createMemo((): ChartOptions<'bar'> => ({
    scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('reports.chart.bookings') } } },
    plugins: { legend: { position: 'bottom' } },
  }));
  const partnerOptions = createMemo((): ChartOptions<'bar'> => ({
    scales: {
      y: { beginAtZero: true, position: 'left', ticks: { precision: 0 }, title: { display: true, text: t('reports.chart.bookings') } },
      y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: t('booking.field.commission') } },
    },
    plugins: { legend: { position: 'bottom' } },
  }));
  const noShowOptions = createMemo((): ChartOptions<'bar'> => ({
    // Rates are usually small: the axis follows the data (at least 0–10 %, never beyond 100 %).
    scales: { y: { beginAtZero: true, suggestedMax: 10, max: maxRateAxis(), ticks: { callback: (v) => `${v} %` }, title: { display: true, text: t('reports.chart.noShowRate') } } },
    plugins: {
      legend: { display: false },
      tooltip: { callbacks: { label: (ctx) => { const r = props.charts.noShowRate[ctx.dataIndex]; return r ? t('reports.chart.noShowTip', { rate: percent(r.rate), noShows: r.noShows, decided: r.decided }) : ''; } } },
    },
  }));

  const dailyLabel = () => {
    const s = summary();
    const parts = SOURCE_KINDS.filter((k) => s.perSource[k] > 0).map((k) => `${sourceKindLabel(k)} ${formatCount(s.perSource[k])}`).join(', ');
    return t('reports.chart.dailySummary', {
      total: formatCount(s.total), parts: parts || '—',
      busiest: s.busiest ? t('reports.chart.busiest', { day: formatLongDate(s.busiest.date), count: s.busiest.count }) : '',
    });
  };
  const partnerLabel = () => (props.charts.perPartner.length === 0 ? t('reports.chart.noPartners')
    : t('reports.chart.partnerSummary', {
      list: props.charts.perPartner.slice(0, 5).map((p) => `${p.partnerName} ${formatCount(p.bookings)}`).join(', '),
    }));
  const noShowLabel = () => props.charts.noShowRate.filter((r) => r.decided > 0)
    .map((r) => `${sourceKindLabel(r.source)} ${percent(r.rate)}`).join(', ') || t('reports.chart.noDecided');

  return (
    <section class="report-charts" aria-labelledby="charts-title">
      <h2 id="charts-title" class="report-heading">{t('reports.charts')}</h2>
      <div class="chart-grid">
        <figure class="card chart-card chart-card-wide">
          <figcaption><h3>{t('reports.chart.daily')}</h3><p class="muted">{dailyLabel()}</p></figcaption>
          <BarChart label={`${t('reports.chart.daily')}. ${dailyLabel()}`} data={daily()} options={dailyOptions()} height={280}>
            <details class="chart-figures">
              <summary>{t('reports.chart.figures')}</summary>
              <FiguresTable caption={t('reports.chart.daily')} head={t('reports.chart.day')} columns={SOURCE_KINDS.map(sourceKindLabel)}
                rows={props.charts.bookingsPerDay.filter((d) => SOURCE_KINDS.some((k) => d[k] > 0))}
                rowHeader={(d) => formatLongDate(d.date)} cells={(d) => SOURCE_KINDS.map((k) => d[k])} />
            </details>
          </BarChart>
        </figure>

        <figure class="card chart-card">
          <figcaption><h3>{t('reports.chart.partners')}</h3><p class="muted">{partnerLabel()}</p></figcaption>
          <Show when={props.charts.perPartner.length > 0} fallback={<p class="chart-empty">{t('reports.chart.noPartners')}</p>}>
            <BarChart label={`${t('reports.chart.partners')}. ${partnerLabel()}`} data={partners()} options={partnerOptions()}>
              <details class="chart-figures">
                <summary>{t('reports.chart.figures')}</summary>
                <FiguresTable caption={t('reports.chart.partners')} head={t('reports.filter.partner')}
                  columns={[t('reports.chart.bookings'), t('booking.status.fulfilled'), t('booking.status.noshow'), t('booking.field.commission')]}
                  rows={props.charts.perPartner} rowHeader={(p) => p.partnerName}
                  cells={(p) => [p.bookings, p.fulfilled, p.noShows,
                    p.commission.length ? p.commission.map((m) => formatPrice(m.amountMinor, m.currency)).join(' · ') : '—']} />
              </details>
            </BarChart>
          </Show>
        </figure>

        <figure class="card chart-card">
          <figcaption><h3>{t('reports.chart.noShow')}</h3><p class="muted">{noShowLabel()}</p></figcaption>
          <Show when={hasData(noShow()) || props.charts.noShowRate.some((r) => r.decided > 0)} fallback={<p class="chart-empty">{t('reports.chart.noDecided')}</p>}>
            <BarChart label={`${t('reports.chart.noShow')}. ${noShowLabel()}`} data={noShow()} options={noShowOptions()}>
              <details class="chart-figures">
                <summary>{t('reports.chart.figures')}</summary>
                <FiguresTable caption={t('reports.chart.noShow')} head={t('booking.field.source')}
                  columns={[t('reports.chart.decided'), t('booking.status.noshow'), t('reports.chart.rate')]}
                  rows={props.charts.noShowRate} rowHeader={(r) => sourceKindLabel(r.source)} cells={(r) => [r.decided, r.noShows, percent(r.rate)]} />
              </details>
            </BarChart>
          </Show>
          <p class="field-hint">{t('reports.chart.noShowHint')}</p>
        </figure>
      </div>
      <Show when={props.scope === 'partners'}><p class="muted">{t('reports.chart.scopeNote')}</p></Show>
    </section>
  );
}
