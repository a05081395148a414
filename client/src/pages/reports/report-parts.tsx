/**
 * Building blocks shared by the report pages: the period fields (in the institution's time zone, which they name),
 * a multiple-choice filter, totals per currency, the pager, the streamed CSV export with progress, and the cancel
 * dialog (reason required; bookings.cancel, whose lifecycle workflow then emails the patient and the partner).
 */
import { createSignal, For, onCleanup, Show } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { formatCalendarDate, intlLocale, locale, t, tKey } from '../../i18n';
import { queryClient, toUiError, trpc } from '../../trpc';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Field, fieldAria } from '../../ui/field';
import { Notice } from '../../ui/states';
import { todayInZone } from '../../zoned-time';
import { BOOKINGS_QUERY_KEY } from '../bookings/booking-api';
import { formatAppointment, formatPrice, zoneName } from '../bookings/booking-format';
import { CsvExportError, downloadCsv, progressShare, saveBlob, type CsvProgress } from './csv-download';
import { periodProblem, type PeriodFilter } from './report-filters';
import { REPORTS_QUERY_KEY } from './reports-api';

// ---------------------------------------------------------------------------------------------------------------
// Period

export function PeriodFields(props: {
  idPrefix: string;
  period: PeriodFilter;
  /** The zone the period's dates are read in (the institution's); null when each institution has its own. */
  timeZone: string | null;
  /** The dates the server resolved the period to, once known. */
  resolved?: { from: string; to: string } | null;
  onChange: (p: PeriodFilter) => void;
}) {
  const id = (s: string) => `${props.idPrefix}-${s}`;
  const problem = () => periodProblem(props.period);
  const custom = () => (props.period.kind === 'custom' ? props.period : null);
  const choose = (kind: PeriodFilter['kind']) => {
    if (kind !== 'custom') { props.onChange({ kind }); return; }
    const today = todayInZone(props.timeZone ?? 'Europe/Bucharest');
    props.onChange({ kind: 'custom', from: `${today.slice(0, 8)}01`, to: today });
  };
  const setDate = (which: 'from' | 'to', value: string) => {
    const c = custom();
    if (c) props.onChange({ ...c, [which]: value });
  };
  const errorOf = (field: 'from' | 'to') => (problem()?.field === field ? t(problem()!.key) : undefined);

  return (
    <fieldset class="fieldset period-fieldset">
      <legend>{t('reports.period')}</legend>
      <div class="period-choices" role="radiogroup" aria-label={t('reports.period')}>
        <For each={['thisMonth', 'lastMonth', 'custom'] as const}>
          {(kind) => (
            <label class="period-choice">
              <input type="radio" name={id('period')} value={kind} checked={props.period.kind === kind} onChange={() => choose(kind)} />
              {t(`reports.period.${kind}`)}
            </label>
          )}
        </For>
      </div>
      <Show when={custom()}>
        {(c) => (
          <div class="period-dates">
            <Field id={id('from')} label={t('reports.period.from')} error={errorOf('from')}>
              <input {...fieldAria(id('from'), undefined, errorOf('from'))} type="date" value={c().from}
                onChange={(e) => setDate('from', e.currentTarget.value)} />
            </Field>
            <Field id={id('to')} label={t('reports.period.to')} error={errorOf('to')}>
              <input {...fieldAria(id('to'), undefined, errorOf('to'))} type="date" value={c().to}
                onChange={(e) => setDate('to', e.currentTarget.value)} />
            </Field>
          </div>
        )}
      </Show>
      <p class="field-hint period-zone">
        {/* Only for a valid period: the last report's dates next to an invalid one would name a period no longer asked for. */}
        <Show when={!problem() && props.resolved}>
          {(r) => <span class="period-range">{t('reports.period.range', { from: formatCalendarDate(r().from), to: formatCalendarDate(r().to) })} · </span>}
        </Show>
        {props.timeZone ? t('reports.period.zone', { zone: zoneName(props.timeZone) }) : t('reports.period.zoneEach')}
      </p>
    </fieldset>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A filter with several choices (a disclosure of checkboxes; none ticked means "all")

export function MultiSelect(props: {
  id: string;
  label: string;
  options: { value: string; label: string }[];
  selected: string[];
  onChange: (values: string[]) => void;
}) {
  const summary = () => {
    const chosen = props.options.filter((o) => props.selected.includes(o.value));
    if (chosen.length === 0) return t('reports.filter.all');
    if (chosen.length === 1) return chosen[0].label;
    return t('reports.filter.selected', { count: chosen.length });
  };
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...props.selected, value] : props.selected.filter((v) => v !== value);
    props.onChange(props.options.map((o) => o.value).filter((v) => next.includes(v)));
  };
  // A disclosure closes like a menu: Escape (back to its button), a click elsewhere, or focus moving away.
  let box!: HTMLDetailsElement;
  const close = (refocus: boolean) => {
    if (!box.open) return;
    box.open = false;
    if (refocus) box.querySelector('summary')?.focus();
  };
  const onOutside = (e: PointerEvent) => { if (!box.contains(e.target as Node)) close(false); };
  document.addEventListener('pointerdown', onOutside);
  onCleanup(() => document.removeEventListener('pointerdown', onOutside));
  return (
    <div class="field multi-select">
      <span class="field-label" id={`${props.id}-label`}>{props.label}</span>
      <details class="multi-select-box" ref={box}
        onKeyDown={(e) => { if (e.key === 'Escape' && box.open) { e.preventDefault(); e.stopPropagation(); close(true); } }}
        onFocusOut={(e) => { if (!box.contains(e.relatedTarget as Node | null)) close(false); }}>
        <summary aria-describedby={`${props.id}-label`}>{summary()}</summary>
        <fieldset class="multi-select-list" aria-labelledby={`${props.id}-label`}>
          <Show when={props.options.length > 0} fallback={<p class="muted">{t('reports.filter.none')}</p>}>
            <For each={props.options}>
              {(o, i) => (
                <label class="multi-select-option" for={`${props.id}-${i()}`}>
                  <input type="checkbox" id={`${props.id}-${i()}`} checked={props.selected.includes(o.value)}
                    onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
                  {o.label}
                </label>
              )}
            </For>
          </Show>
          <Show when={props.selected.length > 0}>
            <button type="button" class="button button-small button-quiet" onClick={() => props.onChange([])}>{t('reports.filter.clear')}</button>
          </Show>
        </fieldset>
      </details>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Totals per currency (never added across currencies)

export function TotalsList(props: { totals: { currency: string; bookings: number; priceMinor: number; fulfilledBookings: number; fulfilledPriceMinor: number; commissionMinor: number }[] }) {
  return (
    <Show when={props.totals.length > 0}>
      <div class="report-totals" role="group" aria-label={t('reports.totals')}>
        <For each={props.totals}>
          {(x) => (
            <dl class="totals-card">
              <div class="totals-currency">{t('reports.totals.in', { currency: x.currency })}</div>
              <div><dt>{t('reports.totals.bookings')}</dt><dd class="cell-number">{formatCount(x.bookings)}</dd></div>
              <div><dt>{t('reports.totals.price')}</dt><dd class="cell-number">{formatPrice(x.priceMinor, x.currency)}</dd></div>
              <div><dt>{t('reports.totals.fulfilled')}</dt>
                <dd class="cell-number">{t('reports.totals.fulfilledValue', { count: formatCount(x.fulfilledBookings), amount: formatPrice(x.fulfilledPriceMinor, x.currency) })}</dd></div>
              <div><dt>{t('reports.totals.commission')}</dt><dd class="cell-number">{formatPrice(x.commissionMinor, x.currency)}</dd></div>
            </dl>
          )}
        </For>
      </div>
    </Show>
  );
}

/** A booking's start on its location's clock in two lines: "2 Nov 2026" and "08:00 EET" (the zone's abbreviation). */
export function AppointmentCell(props: { startsAt: string; timeZone: string }) {
  const date = () => new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: props.timeZone }).format(new Date(props.startsAt));
  const time = () => new Intl.DateTimeFormat(intlLocale(), { hour: '2-digit', minute: '2-digit', timeZone: props.timeZone, timeZoneName: 'short' }).format(new Date(props.startsAt));
  return <>{date()}<span class="cell-note">{time()}</span></>;
}

/** "2 Oct, 11:40" in the zone (the year only when it is not this year's). */
export function shortDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const thisYear = new Date().getFullYear() === d.getFullYear();
  return new Intl.DateTimeFormat(intlLocale(), {
    day: 'numeric', month: 'short', year: thisYear ? undefined : 'numeric', hour: '2-digit', minute: '2-digit', timeZone,
  }).format(d);
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(intlLocale()).format(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Pager

/** Rows the server pages through (server/statistics/schemas.ts MAX_PAGED_ROWS). */
const MAX_PAGED_ROWS = 10_000;

export function Pager(props: { id: string; page: number; total: number; pageSize: number; onPage: (page: number) => void }) {
  const pages = () => Math.max(1, Math.ceil(props.total / props.pageSize));
  // The server pages through the first 10,000 rows only (MAX_PAGED_ROWS): beyond, narrow the filters or use the CSV.
  const deepest = () => Math.ceil(MAX_PAGED_ROWS / props.pageSize);
  const first = () => (props.total === 0 ? 0 : (props.page - 1) * props.pageSize + 1);
  const last = () => Math.min(props.total, props.page * props.pageSize);
  return (
    <nav class="pager" aria-label={t('reports.pages')}>
      <button type="button" class="button button-small" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        {t('myBookings.previous')}
      </button>
      <span>{t('reports.pageOf', { page: props.page, pages: pages(), first: formatCount(first()), last: formatCount(last()), total: formatCount(props.total) })}</span>
      <button type="button" class="button button-small" disabled={props.page >= Math.min(pages(), deepest())} onClick={() => props.onPage(props.page + 1)}>
        {t('myBookings.next')}
      </button>
      <Show when={props.page >= deepest() && pages() > deepest()}><span class="muted">{t('statistics.page_too_deep')}</span></Show>
    </nav>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// CSV export

export function csvErrorMessage(err: unknown): string {
  if (err instanceof CsvExportError) {
    if (err.reason === 'truncated') return t('reports.csv.truncated');
    if (err.reason === 'network') return t('reports.csv.network');
    if (err.reason === 'aborted') return t('reports.csv.aborted');
    if (err.status === 401) return t('auth.signed_out');
    if (err.key) return tKey(err.key, undefined, err.message || t('reports.csv.failed'));
    return t('reports.csv.failed');
  }
  return t('reports.csv.failed');
}

export function CsvExportButton(props: { url: () => string; fallbackName: string; disabled?: boolean; total?: number }) {
  const [progress, setProgress] = createSignal<CsvProgress | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal<number | null>(null);
  let controller: AbortController | null = null;
  let exportButton!: HTMLButtonElement;

  const run = async () => {
    setError(null); setDone(null);
    controller = new AbortController();
    setProgress({ rows: 0, total: null, bytes: 0 });
    try {
      const file = await downloadCsv(props.url(), props.fallbackName, setProgress, controller.signal);
      saveBlob(file.blob, file.name);
      setDone(file.rows);
    } catch (err) {
      setError(csvErrorMessage(err));
    } finally {
      setProgress(null);
      controller = null;
      // The Stop button that may have had the focus is gone: keep the keyboard user on the export button.
      if (!document.activeElement || document.activeElement === document.body) exportButton.focus();
    }
  };

  const share = () => { const p = progress(); return p ? progressShare(p.rows, p.total) : null; };
  const bytesText = (bytes: number) => new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 1 }).format(bytes / 1024);

  return (
    <div class="csv-export">
      <div class="csv-export-actions">
        <button type="button" class="button" ref={exportButton} onClick={() => void run()} disabled={progress() !== null || props.disabled}
          aria-describedby="csv-export-status">
          {progress() ? t('reports.csv.running') : t('reports.csv.button')}
        </button>
        <Show when={progress()}>
          <button type="button" class="button button-quiet button-small" onClick={() => controller?.abort()}>{t('reports.csv.stop')}</button>
        </Show>
      </div>
      {/* The live region announces the start and the end; the running figures are shown, not read out at every chunk. */}
      <div id="csv-export-status" class="csv-export-status">
        <span class="visually-hidden" role="status">{progress() ? t('reports.csv.running') : done() !== null ? t('reports.csv.done', { rows: formatCount(done()!) }) : ''}</span>
        <Show when={progress()}>
          {(p) => (
            <>
              {/* Indeterminate (no value) until the total is known; never value=undefined (the element rejects NaN). */}
              <Show when={share() !== null} fallback={<progress aria-label={t('reports.csv.progressLabel')} />}>
                <progress max={1} value={share() ?? 0} aria-label={t('reports.csv.progressLabel')} />
              </Show>
              <span>
                {p().total !== null
                  ? t('reports.csv.progressRows', { rows: formatCount(p().rows), total: formatCount(p().total!), percent: Math.floor((share() ?? 0) * 100) })
                  : t('reports.csv.progressBytes', { kb: bytesText(p().bytes) })}
              </span>
            </>
          )}
        </Show>
        <Show when={done() !== null}>
          <span aria-hidden="true">{t('reports.csv.done', { rows: formatCount(done()!) })}</span>
        </Show>
      </div>
      <Show when={error()}>{(e) => <Notice tone="error" onDismiss={() => setError(null)}>{e()}</Notice>}</Show>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Cancel from a report

export interface CancellableBooking { id: number; serviceName: string; startsAt: string; timeZone: string; patientName: string | null }

export function CancelFromReportDialog(props: { booking: CancellableBooking; onClose: () => void; onCancelled: (message: () => string) => void; returnFocus?: () => HTMLElement | null | undefined }) {
  const [reason, setReason] = createSignal('');
  const [missing, setMissing] = createSignal(false);
  const when = () => formatAppointment(props.booking.startsAt, props.booking.timeZone);
  const cancel = useMutation(() => ({
    mutationFn: () => trpc.bookings.cancel.mutate({ bookingId: props.booking.id, reason: reason().trim() }),
    onSuccess: async () => {
      const w = when();
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: REPORTS_QUERY_KEY }),
        queryClient.invalidateQueries({ queryKey: BOOKINGS_QUERY_KEY }),
      ]);
      props.onCancelled(() => t('reports.cancel.done', { when: w }));
    },
  }));
  const reasonError = () => (missing() ? t('bookings.reason_required') : cancel.error ? toUiError(cancel.error).fieldErrors.reason : undefined);
  return (
    <ConfirmDialog id="report-cancel" title={t('booking.cancel.title')} confirmLabel={t('booking.cancel.confirm')}
      pendingLabel={t('booking.cancel.pending')} danger pending={cancel.isPending} error={cancel.error}
      onClose={props.onClose} returnFocus={props.returnFocus}
      onConfirm={() => {
        if (reason().trim() === '') { setMissing(true); document.getElementById('report-cancel-reason')?.focus(); return; }
        setMissing(false);
        cancel.mutate();
      }}>
      <p>{t('booking.cancel.text', { service: props.booking.serviceName, when: when(), patient: props.booking.patientName ?? '—' })}</p>
      <p class="muted">{t('reports.cancel.emails')}</p>
      <Field id="report-cancel-reason" label={t('booking.field.reason')} error={reasonError()}>
        <textarea {...fieldAria('report-cancel-reason', undefined, reasonError())} rows={3} maxLength={500} required
          value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
    </ConfirmDialog>
  );
}

/** The current UI language for the CSV's header row and words. */
export const csvLang = () => locale();
