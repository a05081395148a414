/**
 * Commission statements (/settlement-statements), the partner's side: for the administrators of an organisation that
 * is (or was) an institution's partner, the statements those institutions issued to it — issued and paid ones only,
 * never drafts — grouped per institution, newest month first, each opening the printable statement page.
 */
import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useCurrentUser } from '../../auth';
import { formatDateTime, t } from '../../i18n';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { usePartnerStatements } from './settlement-api';
import { formatMonth, groupByInstitution } from './settlement-format';
import { StatementList } from './settlement-parts';

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
                <StatementList statements={g.statements} labelledBy={`institution-${g.institutionId}`}
                  first={{ header: t('settlements.statement.month'), cell: (s) => <A href={`/settlement-statements/${s.id}`}>{formatMonth(s.month)}</A> }}
                  issuedNote={(at) => t('settlements.issuedOnShort', { when: formatDateTime(at) })} />
              </section>
            )}
          </For>
        </Match>
      </Switch>
    </section>
  );
}
