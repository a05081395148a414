/**
 * Commission settlement (/settlements), for an institution's administrators: pick a month that is over (in the
 * institution's time zone; last month by default, kept in the address as ?month=YYYY-MM), run the settlement for it
 * and watch its progress (the `progress` query is polled while the run is queued or running), then the month's
 * statements — one per partner, draft → issued → paid — with their totals per currency and the net in one direction.
 * The monthly schedule runs the same settlement on the 2nd at 02:00 by itself; the run history shows both kinds.
 */
import { createEffect, createMemo, For, Match, on, Show, Switch } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useMutation, useQueryClient } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatDateTime, t } from '../../i18n';
import { toUiError, trpc } from '../../trpc';
import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, Notice, QueryErrorState } from '../../ui/states';
import {
  SETTLEMENTS_QUERY_KEY, useMonthStatements, useProgress, useRuns, type SettlementRunView, type StatementSummary,
} from './settlement-api';
import { formatMonth, isRunActive, lastMonthIn, pastMonths, runStatusLabel } from './settlement-format';
import { RunProgressBar, StatementList } from './settlement-parts';

export function SettlementsPage() {
  const title = () => t('nav.settlements');
  return (
    <InstitutionAdminOnly title={title}>
      <Settlements title={title} />
    </InstitutionAdminOnly>
  );
}

function Settlements(props: { title: () => string }) {
  usePageTitle(props.title);
  const me = useCurrentUser();
  const zone = () => me().organisation.timeZone;
  const [params, setParams] = useSearchParams<{ month?: string }>();
  const months = createMemo(() => pastMonths(zone(), 36));
  const month = createMemo(() => (params.month && months().includes(params.month) ? params.month : lastMonthIn(zone())));
  const client = useQueryClient();

  const progress = useProgress(month);
  const run = () => progress.data?.run ?? null;
  const running = () => isRunActive(run()?.status);
  const statements = useMonthStatements(month);
  const runs = useRuns();

  const start = useMutation(() => ({
    mutationFn: (m: string) => trpc.settlements.start.mutate({ month: m }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...SETTLEMENTS_QUERY_KEY, 'progress'] }).then(() => runs.refetch()),
  }));

  // When the month's run finishes, its statements and the history are new.
  createEffect(on(() => `${run()?.id ?? ''}:${run()?.status ?? ''}`, (now, before) => {
    if (before === undefined) return;
    void statements.refetch();
    void runs.refetch();
  }));

  const pickMonth = (value: string) => {
    start.reset();
    setParams({ month: value }, { replace: true });
  };

  return (
    <section aria-labelledby="page-title" class="settlement-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('settlements.intro')}</p>

      <div class="card settlement-run">
        <div class="settlement-run-controls">
          <div class="field">
            <label for="settlement-month">{t('settlements.month')}</label>
            <select id="settlement-month" value={month()} onChange={(e) => pickMonth(e.currentTarget.value)} aria-describedby="settlement-month-hint">
              <For each={months()}>{(m) => <option value={m}>{formatMonth(m)}</option>}</For>
            </select>
          </div>
          <button type="button" class="button button-primary" disabled={running() || start.isPending}
            aria-describedby="settlement-schedule-hint" onClick={() => start.mutate(month())}>
            {start.isPending ? t('settlements.run.starting') : t('settlements.run.button', { month: formatMonth(month()) })}
          </button>
        </div>
        <p id="settlement-month-hint" class="field-hint">{t('settlements.month.hint')}</p>
        <p id="settlement-schedule-hint" class="field-hint">{t('settlements.run.scheduleHint')}</p>
        <Show when={start.error}>{(err) => <Notice tone="error">{toUiError(err()).message}</Notice>}</Show>
        <RunState run={run()} live={progress.data?.live ?? null} />
      </div>

      <h2 class="report-heading">{t('settlements.statements.heading', { month: formatMonth(month()) })}</h2>
      <Switch>
        <Match when={statements.isPending}><Loading /></Match>
        <Match when={statements.isError && !statements.data}><QueryErrorState message={t('error.load_failed')} query={statements} /></Match>
        <Match when={statements.data && statements.data.length === 0}>
          <EmptyState>{running() ? t('settlements.statements.emptyRunning', { month: formatMonth(month()) }) : t('settlements.statements.empty', { month: formatMonth(month()) })}</EmptyState>
        </Match>
        <Match when={statements.data}>{(list) => <StatementsTable statements={list()} month={month()} />}</Match>
      </Switch>

      <h2 class="report-heading">{t('settlements.runs.heading')}</h2>
      <Switch>
        <Match when={runs.isPending}><Loading /></Match>
        <Match when={runs.isError && !runs.data}><QueryErrorState message={t('error.load_failed')} query={runs} /></Match>
        <Match when={runs.data && runs.data.length === 0}><EmptyState>{t('settlements.runs.empty')}</EmptyState></Match>
        <Match when={runs.data}>{(list) => <RunsTable runs={list()} />}</Match>
      </Switch>
    </section>
  );
}

/** The month's latest run: its live progress while it runs, or how it ended. */
function RunState(props: { run: SettlementRunView | null; live: { partnershipsDone: number; partnershipsTotal: number; phase: string } | null }) {
  return (
    <Show when={props.run}>
      {(run) => (
        <div class="settlement-run-state">
          <Switch>
            <Match when={isRunActive(run().status)}>
              {/* Announced when the status changes, not at every polled figure. */}
              <p class="run-line" role="status"><span class={`badge badge-run badge-run-${run().status}`}>{runStatusLabel(run().status)}</span>
                {' '}{t('settlements.run.startedBy', { when: formatDateTime(run().startedAt), who: run().startedByName ?? t('settlements.run.schedule') })}</p>
              <RunProgressBar label={t('settlements.progress.label')}
                done={props.live?.partnershipsDone ?? run().partnershipsDone ?? 0}
                total={props.live?.partnershipsTotal ?? run().partnershipsTotal ?? 0} />
            </Match>
            <Match when={run().status === 'completed'}>
              <Notice tone="success">
                {t('settlements.run.completed', {
                  when: formatDateTime(run().finishedAt ?? run().startedAt), statements: run().statements ?? 0, lines: run().lines ?? 0,
                })}
              </Notice>
            </Match>
            <Match when={run().status === 'failed'}>
              <Notice tone="error">{t('settlements.run.failed', { when: formatDateTime(run().finishedAt ?? run().startedAt) })}</Notice>
            </Match>
          </Switch>
        </div>
      )}
    </Show>
  );
}

function StatementsTable(props: { statements: StatementSummary[]; month: string }) {
  return (
    <StatementList statements={props.statements} labelledBy="statements-caption" detailed
      caption={{ id: 'statements-caption', text: t('settlements.statements.heading', { month: formatMonth(props.month) }) }}
      first={{ header: t('settlements.col.partner'), cell: (s) => <A href={`/settlements/statements/${s.id}`}>{s.partnerName}</A> }}
      issuedNote={(at) => formatDateTime(at)} />
  );
}

function RunsTable(props: { runs: SettlementRunView[] }) {
  return (
    <div class="table-wrap" role="region" aria-labelledby="runs-caption" tabindex="0">
      <table class="table table-compact run-list">
        <caption id="runs-caption" class="visually-hidden">{t('settlements.runs.heading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settlements.runs.month')}</th>
            <th scope="col">{t('settlements.runs.trigger')}</th>
            <th scope="col">{t('settlements.runs.status')}</th>
            <th scope="col">{t('settlements.runs.started')}</th>
            <th scope="col">{t('settlements.runs.finished')}</th>
            <th scope="col" class="cell-number">{t('settlements.runs.partnerships')}</th>
            <th scope="col" class="cell-number">{t('settlements.runs.statements')}</th>
            <th scope="col" class="cell-number">{t('settlements.runs.lines')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.runs}>
            {(r) => (
              <tr>
                <th scope="row">{formatMonth(r.month)}</th>
                <td>{r.trigger === 'schedule' ? t('settlements.run.schedule') : t('settlements.runs.manual', { who: r.startedByName ?? '—' })}</td>
                <td>
                  <span class={`badge badge-run badge-run-${r.status}`}>{runStatusLabel(r.status)}</span>
                  <Show when={r.status === 'failed' && r.error}>{(e) => <span class="cell-note">{e()}</span>}</Show>
                </td>
                <td class="cell-time">{formatDateTime(r.startedAt)}</td>
                <td class="cell-time">{r.finishedAt ? formatDateTime(r.finishedAt) : '—'}</td>
                <td class="cell-number">{!r.partnershipsTotal && isRunActive(r.status) ? '—' : `${r.partnershipsDone ?? 0} / ${r.partnershipsTotal ?? 0}`}</td>
                <td class="cell-number">{r.statements ?? '—'}</td>
                <td class="cell-number">{r.lines ?? '—'}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
