/**
 * The partner's side of "Reports / Partner-submitted statistics": its own organisation's bookings at the institutions
 * where it is (or was) a partner, per institution and period — each institution's period read in that institution's
 * time zone —, the commission per month and currency, totals per currency, the cancel action for its own upcoming
 * bookings (when the server says the user may) and the CSV of the partner route (no patient beyond those it entered).
 * For an organisation's administrators and its "Can book to partner institution" users.
 */
import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { intlLocale, t } from '../../i18n';
import type { Me } from '../../trpc';
import type { DataColumn } from '../../ui/data-table';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { bookingStatusLabel, formatAppointment, formatPrice, paymentStatusLabel, zoneName } from '../bookings/booking-format';
import {
  BOOKING_STATUS_VALUES, csvUrl, nextSort, parsePartnerFilters, partnerExportInput, partnerParams, periodProblem,
  type PartnerFilters, type QueryParams,
} from './report-filters';
import { AppointmentCell, CsvExportButton, csvLang, formatCount, MultiSelect, PeriodFields, TotalsList } from './report-parts';
import { PAGE_SIZE, usePartnerInstitutions, usePartnerStatistics, type PartnerResult, type PartnerRow } from './reports-api';
import { createReportCancel, ReportBookings } from './shared';

/** The server's rule for the partner side (server/statistics/csv.ts mayReadPartnerStatistics). */
export function mayReadPartnerReports(me: Pick<Me, 'role' | 'canBookPartner'>): boolean {
  return me.role === 'admin' || me.canBookPartner;
}

/** "November 2026" / "noiembrie 2026" for a 'YYYY-MM' month. */
export function formatMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  if (!y || !m) return ym;
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function PartnerSideReport() {
  const [params, setParams] = useSearchParams<QueryParams & Record<string, string>>();
  const filters = createMemo(() => parsePartnerFilters(params as QueryParams));
  const update = (patch: Partial<PartnerFilters>) => setParams(partnerParams({ ...filters(), page: 1, ...patch }), { replace: true });
  const institutions = usePartnerInstitutions();
  const input = () => (periodProblem(filters().period) ? null : { ...partnerExportInput(filters()), page: filters().page, pageSize: PAGE_SIZE });
  const report = usePartnerStatistics(input);
  const cancel = createReportCancel();

  const exportUrl = () => csvUrl('/exports/partner-statistics.csv', partnerExportInput(filters()), csvLang());
  /** The zone of the period: the chosen institution's, or null when several institutions each read it in their own. */
  const zone = () => {
    const list = institutions.data ?? [];
    const chosen = list.find((i) => i.institutionId === filters().institutionId);
    if (chosen) return chosen.timeZone;
    const zones = [...new Set(list.map((i) => i.timeZone))];
    return zones.length === 1 ? zones[0] : null;
  };
  const resolved = () => {
    const list = report.data?.institutions ?? [];
    const ranges = [...new Set(list.map((i) => `${i.period.from}|${i.period.to}`))];
    return ranges.length === 1 ? list[0].period : null;
  };
  const institutionName = (id: number) => report.data?.institutions.find((i) => i.institutionId === id)?.institutionName ?? '';

  const columns: DataColumn<PartnerRow, PartnerFilters['sort']['by']>[] = [
    { id: 'date', sortKey: 'date', rowHeader: true, class: 'cell-date', header: () => t('booking.field.when'), cell: (r) => <AppointmentCell startsAt={r.startsAt} timeZone={r.timeZone} /> },
    { id: 'institution', sortKey: 'institution', header: () => t('booking.field.institution'), cell: (r) => <>{r.institution.name}<span class="cell-note">{r.locationName}</span></> },
    { id: 'service', sortKey: 'service', header: () => t('booking.field.service'), cell: (r) => <>{r.serviceName}<span class="cell-note">{r.physicianName}</span></> },
    { id: 'patient', header: () => t('booking.field.patient'), cell: (r) => r.patientName ?? <span class="muted">{t('reports.partner.patientHidden')}</span> },
    { id: 'bookedBy', header: () => t('booking.field.bookedBy'), cell: (r) => (r.bookedBy.by === 'institution' ? t('reports.partner.byInstitution') : r.bookedBy.name ?? '—') },
    { id: 'status', sortKey: 'status', header: () => t('booking.field.status'), cell: (r) => <span class={`badge badge-booking-${r.status}`}>{bookingStatusLabel(r.status)}</span> },
    { id: 'paymentStatus', sortKey: 'paymentStatus', header: () => t('booking.field.paymentStatus'), cell: (r) => paymentStatusLabel(r.paymentStatus) },
    { id: 'price', sortKey: 'price', class: 'cell-number', header: () => t('booking.field.price'), cell: (r) => formatPrice(r.price.amountMinor, r.price.currency) },
    { id: 'commission', sortKey: 'commission', class: 'cell-number', header: () => t('booking.field.commission'), cell: (r) => (r.commission ? formatPrice(r.commission.amountMinor, r.commission.currency) : '—') },
    cancel.column({
      canCancel: (r) => r.canCancel,
      label: (r) => t('reports.cancel.labelPartner', { when: formatAppointment(r.startsAt, r.timeZone), institution: r.institution.name }),
      booking: (r) => ({ id: r.id, serviceName: r.serviceName, startsAt: r.startsAt, timeZone: r.timeZone, patientName: r.patientName }),
    }),
  ];

  return (
    <>
      <p class="lead">{t('reports.partner.intro')}</p>
      <cancel.NoticeBox />
      <Switch>
        <Match when={institutions.isPending}><Loading /></Match>
        <Match when={institutions.isError && !institutions.data}><QueryErrorState message={t('error.load_failed')} query={institutions} /></Match>
        <Match when={institutions.data && institutions.data.length === 0}><EmptyState>{t('reports.partner.noInstitutions')}</EmptyState></Match>
        <Match when={institutions.data}>
          {(list) => (
            <>
              <form class="filters report-filters" role="search" aria-label={t('reports.filters')} onSubmit={(e) => e.preventDefault()}>
                <PeriodFields idPrefix="partner" period={filters().period} timeZone={zone()} resolved={resolved()} onChange={(period) => update({ period })} />
                <div class="report-filter-grid">
                  <div class="field">
                    <label for="partner-institution">{t('booking.field.institution')}</label>
                    <select id="partner-institution" onChange={(e) => update({ institutionId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
                      <option value="" selected={filters().institutionId === null}>{t('reports.partner.allInstitutions')}</option>
                      <For each={list()}>
                        {(i) => <option value={String(i.institutionId)} selected={filters().institutionId === i.institutionId}>
                          {i.active ? i.institutionName : t('reports.partner.formerInstitution', { name: i.institutionName })}</option>}
                      </For>
                    </select>
                  </div>
                  <MultiSelect id="partner-status" label={t('booking.field.status')} selected={filters().statuses}
                    options={BOOKING_STATUS_VALUES.map((s) => ({ value: s, label: bookingStatusLabel(s) }))}
                    onChange={(v) => update({ statuses: v as PartnerFilters['statuses'] })} />
                  <div class="field report-export">
                    <span class="field-label">{t('reports.csv.label')}</span>
                    <CsvExportButton url={exportUrl} fallbackName="partner-statistics.csv" disabled={!input() || report.data?.total === 0} />
                  </div>
                </div>
                <Show when={zone() === null}>
                  <ul class="plain-list field-hint zone-list">
                    <For each={list()}>{(i) => <li>{i.institutionName}: {zoneName(i.timeZone)}</li>}</For>
                  </ul>
                </Show>
              </form>

                      <Switch>
                <Match when={!input()}><p class="muted">{t('reports.period.fix')}</p></Match>
                <Match when={report.isPending}><Loading label={t('reports.loading')} /></Match>
                <Match when={report.isError && !report.data}><QueryErrorState message={t('reports.loadError')} query={report} /></Match>
                <Match when={report.data && report.data.total === 0}><EmptyState>{t('reports.empty')}</EmptyState></Match>
                <Match when={report.data}>
                  {(data) => (
                    <>
                      <TotalsList totals={data().totals} />
                      <CommissionPerMonth data={data()} institutionName={institutionName} />
                      <h2 class="report-heading">{t('reports.bookings')}</h2>
                      <ReportBookings caption={t('reports.partner.caption')} rows={data().rows} total={data().total} columns={columns}
                        rowId={(r) => String(r.id)} sort={filters().sort} busy={report.isPlaceholderData || report.isFetching}
                        onSort={(by) => update({ sort: nextSort(filters().sort, by) })}
                        pagerId="partner-pager" page={filters().page} onPage={(page) => setParams(partnerParams({ ...filters(), page }), { replace: true })} />
                    </>
                  )}
                </Match>
              </Switch>
            </>
          )}
        </Match>
      </Switch>

      <cancel.Dialog />
    </>
  );
}

function CommissionPerMonth(props: { data: PartnerResult; institutionName: (id: number) => string }) {
  return (
    <section class="report-months" aria-labelledby="months-title">
      <h2 id="months-title" class="report-heading">{t('reports.partner.perMonth')}</h2>
      <div class="table-wrap">
        <table class="table table-compact">
          <caption class="visually-hidden">{t('reports.partner.perMonth')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.partner.month')}</th>
              <th scope="col">{t('booking.field.institution')}</th>
              <th scope="col" class="cell-number">{t('reports.chart.bookings')}</th>
              <th scope="col" class="cell-number">{t('booking.status.fulfilled')}</th>
              <th scope="col" class="cell-number">{t('booking.field.commission')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.data.commissionPerMonth}>
              {(m) => (
                <tr>
                  <th scope="row">{formatMonth(m.month)}</th>
                  <td>{props.institutionName(m.institutionId)}</td>
                  <td class="cell-number">{formatCount(m.bookings)}</td>
                  <td class="cell-number">{formatCount(m.fulfilled)}</td>
                  <td class="cell-number">{m.commission.length ? m.commission.map((c) => formatPrice(c.amountMinor, c.currency)).join(' · ') : '—'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <p class="field-hint">{t('reports.partner.perMonthHint')}</p>
    </section>
  );
}

