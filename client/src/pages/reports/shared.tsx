/**
 * What the three report pages (Statistics, Partner-submitted statistics for the institution, and the partner's side)
 * share: the page of bookings — the count, the sortable table and the pager —, the cancel action — the column's button,
 * the confirmation, and the notice that takes the focus afterwards —, and the table of figures under each chart.
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { Notice } from '../../ui/states';
import { CancelFromReportDialog, formatCount, Pager, type CancellableBooking } from './report-parts';
import { PAGE_SIZE } from './reports-api';

/** One page of a report's bookings: "Bookings: N", the table the server sorts, and the pager. */
export function ReportBookings<R, S extends string>(props: {
  caption: string;
  rows: R[];
  total: number;
  columns: DataColumn<R, S>[];
  rowId: (row: R) => string;
  sort: { by: S; dir: 'asc' | 'desc' };
  busy: boolean;
  onSort: (by: S) => void;
  pagerId: string;
  page: number;
  onPage: (page: number) => void;
}) {
  return (
    <>
      <p class="result-count muted" role="status">{t('reports.count', { count: formatCount(props.total) })}</p>
      <DataTable caption={props.caption} rows={props.rows} columns={props.columns} rowId={props.rowId}
        sort={props.sort} busy={props.busy} class="report-table" onSort={props.onSort} />
      <Pager id={props.pagerId} page={props.page} total={props.total} pageSize={PAGE_SIZE} onPage={props.onPage} />
    </>
  );
}

/**
 * Cancelling a booking from a report: `column` is the table's actions column (a Cancel button where the server says
 * the user may), `Dialog` the confirmation with its required reason, and `NoticeBox` the place the focus lands after a
 * cancellation, on the notice that says what happened. `box` is that place (also where other dialogs return focus).
 */
export function createReportCancel() {
  const [cancelling, setCancelling] = createSignal<CancellableBooking | null>(null);
  const [notice, setNotice] = createSignal<(() => string) | null>(null);
  let box!: HTMLDivElement;

  const NoticeBox = () => (
    <div ref={box} tabindex="-1" class="report-notice-box">
      <Show when={notice()}>{(n) => <Notice tone="success" onDismiss={() => setNotice(null)}>{n()()}</Notice>}</Show>
    </div>
  );

  const column = <R, S extends string>(p: {
    canCancel: (row: R) => boolean;
    /** The button's accessible name: which booking it cancels. */
    label: (row: R) => string;
    booking: (row: R) => CancellableBooking;
  }): DataColumn<R, S> => ({
    id: 'actions', header: () => t('reports.actions'),
    cell: (r) => (
      <Show when={p.canCancel(r)} fallback={<span class="muted" aria-hidden="true">—</span>}>
        <button type="button" class="button button-small button-danger-quiet" aria-label={p.label(r)}
          onClick={() => setCancelling(p.booking(r))}>
          {t('reports.cancel.button')}
        </button>
      </Show>
    ),
  });

  const Dialog = () => (
    <Show when={cancelling()}>
      {(b) => (
        <CancelFromReportDialog booking={b()} onClose={() => setCancelling(null)} returnFocus={() => box}
          onCancelled={(m) => { setCancelling(null); setNotice(() => m); }} />
      )}
    </Show>
  );

  return { NoticeBox, column, Dialog, box: () => box };
}

/** The figures behind a chart, as a compact table: a header row, then one row per item with its row header. */
export function FiguresTable<R>(props: {
  caption: string;
  /** The first column's header (the row headers), then the figures' headers (right-aligned). */
  head: string;
  columns: string[];
  rows: R[];
  rowHeader: (row: R) => JSX.Element;
  cells: (row: R) => JSX.Element[];
}) {
  return (
    <div class="table-wrap">
      <table class="table table-compact">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead><tr>
          <th scope="col">{props.head}</th>
          <For each={props.columns}>{(c) => <th scope="col" class="cell-number">{c}</th>}</For>
        </tr></thead>
        <tbody>
          <For each={props.rows}>
            {(r) => <tr><th scope="row">{props.rowHeader(r)}</th><For each={props.cells(r)}>{(c) => <td class="cell-number">{c}</td>}</For></tr>}
          </For>
        </tbody>
      </table>
    </div>
  );
}
