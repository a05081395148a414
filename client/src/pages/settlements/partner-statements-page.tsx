/**
 * Commission statements (/settlement-statements), the partner's side: for the administrators of an organisation that
 * is (or was) an institution's partner, the statements those institutions issued to it — issued and paid ones only,
 * never drafts — grouped per institution, newest month first, each opening the printable statement page.
 */
import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useCurrentUser } from '../../auth';
import { formatCalendarDate, formatDateTime, t } from '../../i18n';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { usePartnerStatements } from './settlement-api';
import { formatMoney, formatMonth, groupByInstitution } from './settlement-format';
import { NetList, StatementStatusBadge } from './settlement-parts';

export function PartnerStatementsPage() {
  const me = useCurrentUser();
  const title = () => t('nav.settlementStatements');
  return (
    <Show when={me().role === 'admin'} fallback={<ForbiddenPage title={title} />}>
      <PartnerStatements title={title} />
    </Show>
  );
}

function PartnerStatements(props: { title: () => string }) {
  usePageTitle(props.title);
  const statements = usePartnerStatements();
  const groups = createMemo(() => groupByInstitution(statements.data ?? []));
  return (
    <section aria-labelledby="page-title" class="settlement-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('settlements.partner.intro')}</p>
      <Switch>
        <Match when={statements.isPending}><Loading /></Match>
        <Match when={statements.isError && !statements.data}><QueryErrorState message={t('error.load_failed')} query={statements} /></Match>
        <Match when={groups().length === 0}><EmptyState>{t('settlements.partner.empty')}</EmptyState></Match>
        <Match when={true}>
          <For each={groups()}>
            {(g) => (
              <section aria-labelledby={`institution-${g.institutionId}`} class="partner-statement-group">
                <h2 id={`institution-${g.institutionId}`} class="report-heading">{g.institutionName}</h2>
                <div class="table-wrap" role="region" aria-labelledby={`institution-${g.institutionId}`} tabindex="0">
                  <table class="table statement-list">
                    <thead>
                      <tr>
                        <th scope="col">{t('settlements.statement.month')}</th>
                        <th scope="col">{t('settlements.col.status')}</th>
                        <th scope="col" class="cell-number">{t('settlements.col.lines')}</th>
                        <th scope="col" class="cell-number">{t('settlements.col.commission')}</th>
                        <th scope="col">{t('settlements.col.net')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={g.statements}>
                        {(s) => (
                          <tr>
                            <th scope="row"><A href={`/settlement-statements/${s.id}`}>{formatMonth(s.month)}</A></th>
                            <td>
                              <StatementStatusBadge status={s.status} />
                              <Show when={s.status === 'paid' && s.paidOn} fallback={<Show when={s.issuedAt}>{(at) => <span class="cell-note">{t('settlements.issuedOnShort', { when: formatDateTime(at()) })}</span>}</Show>}>
                                {(on) => <span class="cell-note">{t('settlements.paidOnShort', { date: formatCalendarDate(on()) })}</span>}
                              </Show>
                            </td>
                            <td class="cell-number">{s.lines}</td>
                            <td class="cell-number">
                              <Show when={s.totals.length > 0} fallback="—">
                                <For each={s.totals}>{(x) => <span class="amount-line">{formatMoney(x.commissionMinor, x.currency)}</span>}</For>
                              </Show>
                            </td>
                            <td><NetList totals={s.totals} /></td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </section>
            )}
          </For>
        </Match>
      </Switch>
    </section>
  );
}
