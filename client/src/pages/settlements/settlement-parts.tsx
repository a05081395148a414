/**
 * Pieces shared by the settlement screens: the statement status badge, the list of statements (the institution's
 * month and the partner's statements per institution), the totals of a statement per currency with the net in one
 * direction, and the run progress bar.
 */
import { For, Show, type JSX } from 'solid-js';
import { formatCalendarDate, t } from '../../i18n';
import type { CurrencyTotals } from './settlement-api';
import { formatMoney, netText, netTextNamed, progressPercent, statementStatusLabel } from './settlement-format';

export function StatementStatusBadge(props: { status: string }) {
  return <span class={`badge badge-statement badge-statement-${props.status}`}>{statementStatusLabel(props.status)}</span>;
}

/** The net of each currency in one line of words ("Partner pays institution 1,234.00 RON"). */
export function NetList(props: { totals: CurrencyTotals[] }) {
  return (
    <Show when={props.totals.length > 0} fallback={<span class="muted">—</span>}>
      <ul class="net-list">
        <For each={props.totals}>
          {(total) => <li classList={{ 'net-none': !total.direction }}>{netText(total)}</li>}
        </For>
      </ul>
    </Show>
  );
}

/** Totals of one statement per currency: commission, what each side owes, and the net with the parties' names. */
export function StatementTotals(props: { totals: CurrencyTotals[]; institutionName: string; partnerName: string }) {
  return (
    <div class="statement-totals">
      <For each={props.totals}>
        {(total) => (
          <dl class="totals-card statement-totals-card" aria-label={t('settlements.totals.of', { currency: total.currency })}>
            <div><dt class="totals-currency">{t('settlements.totals.currency')}</dt><dd>{total.currency}</dd></div>
            <div><dt>{t('settlements.totals.commission')}</dt><dd class="cell-number">{formatMoney(total.commissionMinor, total.currency)}</dd></div>
            <div><dt>{t('settlements.totals.institutionOwes')}</dt><dd class="cell-number">{formatMoney(total.institutionOwesMinor, total.currency)}</dd></div>
            <div><dt>{t('settlements.totals.partnerOwes')}</dt><dd class="cell-number">{formatMoney(total.partnerOwesMinor, total.currency)}</dd></div>
            <div class="statement-net"><dt>{t('settlements.totals.net')}</dt>
              <dd>{netTextNamed(total, { institution: props.institutionName, partner: props.partnerName })}</dd></div>
          </dl>
        )}
      </For>
    </div>
  );
}

/** "Partnerships settled: 3 of 5" with a progress bar (indeterminate while the total is not known yet). */
export function RunProgressBar(props: { done: number; total: number; label: string }) {
  const percent = () => progressPercent(props.done, props.total);
  return (
    <div class="run-progress">
      <div class="run-progress-track" role="progressbar" aria-label={props.label}
        aria-valuemin={0} aria-valuemax={props.total || undefined} aria-valuenow={props.total ? props.done : undefined}
        aria-valuetext={props.total ? t('settlements.progress.value', { done: props.done, total: props.total }) : t('settlements.progress.planning')}>
        <div class="run-progress-fill" classList={{ 'run-progress-indeterminate': percent() === null }}
          style={{ width: percent() === null ? undefined : `${percent()}%` }} />
      </div>
      <p class="run-progress-text">
        {props.total ? t('settlements.progress.value', { done: props.done, total: props.total }) : t('settlements.progress.planning')}
      </p>
    </div>
  );
}

/** What a row of a statement list shows (the institution's statements also count their adjustment lines). */
export interface StatementListRow {
  id: number; status: string; issuedAt: string | null; paidOn: string | null; lines: number; adjustments?: number; totals: CurrencyTotals[];
}

/** Amounts per currency, one line each ("—" when the statement has none). */
function Amounts(props: { totals: CurrencyTotals[]; pick: (total: CurrencyTotals) => number }) {
  return (
    <Show when={props.totals.length > 0} fallback="—">
      <For each={props.totals}>{(x) => <span class="amount-line">{formatMoney(props.pick(x), x.currency)}</span>}</For>
    </Show>
  );
}

/**
 * A list of statements: the first column names and links each one (the partner, or the month), then status — paid on
 * its date, else issued at its time —, lines and commission; `detailed` (the institution's view) adds the adjustment
 * lines and what each side owes; last the net in words. The scrolling region is labelled by `labelledBy`.
 */
export function StatementList<R extends StatementListRow>(props: {
  statements: R[];
  labelledBy: string;
  caption?: { id: string; text: string };
  first: { header: string; cell: (statement: R) => JSX.Element };
  issuedNote: (issuedAt: string) => string;
  detailed?: boolean;
}) {
  return (
    <div class="table-wrap" role="region" aria-labelledby={props.labelledBy} tabindex="0">
      <table class="table statement-list">
        <Show when={props.caption}>{(c) => <caption id={c().id} class="visually-hidden">{c().text}</caption>}</Show>
        <thead>
          <tr>
            <th scope="col">{props.first.header}</th>
            <th scope="col">{t('settlements.col.status')}</th>
            <th scope="col" class="cell-number">{t('settlements.col.lines')}</th>
            <Show when={props.detailed}><th scope="col" class="cell-number">{t('settlements.col.adjustments')}</th></Show>
            <th scope="col" class="cell-number">{t('settlements.col.commission')}</th>
            <Show when={props.detailed}>
              <th scope="col" class="cell-number">{t('settlements.col.institutionOwes')}</th>
              <th scope="col" class="cell-number">{t('settlements.col.partnerOwes')}</th>
            </Show>
            <th scope="col">{t('settlements.col.net')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.statements}>
            {(s) => (
              <tr>
                <th scope="row">{props.first.cell(s)}</th>
                <td>
                  <StatementStatusBadge status={s.status} />
                  <Show when={s.status === 'paid' && s.paidOn}
                    fallback={<Show when={s.status !== 'draft' && s.issuedAt}>{(at) => <span class="cell-note">{props.issuedNote(at())}</span>}</Show>}>
                    {(on) => <span class="cell-note">{t('settlements.paidOnShort', { date: formatCalendarDate(on()) })}</span>}
                  </Show>
                </td>
                <td class="cell-number">{s.lines}</td>
                <Show when={props.detailed}><td class="cell-number">{s.adjustments}</td></Show>
                <td class="cell-number"><Amounts totals={s.totals} pick={(x) => x.commissionMinor} /></td>
                <Show when={props.detailed}>
                  <td class="cell-number"><Amounts totals={s.totals} pick={(x) => x.institutionOwesMinor} /></td>
                  <td class="cell-number"><Amounts totals={s.totals} pick={(x) => x.partnerOwesMinor} /></td>
                </Show>
                <td><NetList totals={s.totals} /></td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
