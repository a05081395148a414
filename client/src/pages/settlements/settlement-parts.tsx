/**
 * Pieces shared by the settlement screens: the statement status badge, the totals of a statement per currency with
 * the net in one direction, and the run progress bar.
 */
import { For, Show } from 'solid-js';
import { t } from '../../i18n';
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
