/**
 * A partner's change history on its detail page: the audit entries about this partnership (invited, settings changed,
 * answered, ended, …) and the traffic-channel saves touching its services, read as on the audit log (labelled fields,
 * before → after). Newest first, 50 at a time. Refreshed with the partner's own queries.
 */
import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { useInfiniteQuery } from '@tanstack/solid-query';
import { formatDateTime, t } from '../../i18n';
import { trpc, type RouterOutputs } from '../../trpc';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { AuditChanges } from '../audit/audit-changes';
import { actionLabel, actionOptionLabel } from '../audit/audit-format';
import { PARTNERS_QUERY_KEY } from './partners-data';

type Page = RouterOutputs['audit']['forPartnership'];

export function PartnerHistory(props: { partnershipId: number }) {
  const history = useInfiniteQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'history', props.partnershipId],
    queryFn: ({ pageParam }: { pageParam: number | undefined }) =>
      trpc.audit.forPartnership.query({ partnershipId: props.partnershipId, beforeId: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last: Page) => last.nextBeforeId ?? undefined,
    staleTime: 0,
  }));
  const entries = createMemo(() => (history.data?.pages ?? []).flatMap((p) => p.entries));

  return (
    <section class="card detail-card partner-history" id="partner-changes" aria-labelledby="partner-changes-heading">
      <h2 id="partner-changes-heading">{t('audit.history.title')}</h2>
      <p class="muted">{t('audit.history.intro')}</p>
      <Switch>
        <Match when={history.isPending}><Loading /></Match>
        <Match when={history.isError && !history.data}>
          <QueryErrorState message={t('audit.history.loadError')} query={history} />
        </Match>
        <Match when={entries().length === 0}><EmptyState>{t('audit.history.empty')}</EmptyState></Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="table audit-table">
              <caption class="visually-hidden">{t('audit.history.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.col.time')}</th>
                  <th scope="col">{t('audit.col.user')}</th>
                  <th scope="col">{t('audit.col.action')}</th>
                  <th scope="col">{t('audit.col.details')}</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(e) => (
                    <tr data-audit-id={e.id} data-action={e.action}>
                      <td class="cell-date">{formatDateTime(e.at)}</td>
                      <td>
                        <Show when={e.actorUserId !== null} fallback={<span class="muted">{t('audit.system')}</span>}>
                          <span>{e.actorName ?? `#${e.actorUserId}`}</span>
                          <Show when={e.actorOrganisation}><span class="cell-note">{e.actorOrganisation}</span></Show>
                        </Show>
                      </td>
                      <td>{actionLabel(e.action) ?? actionOptionLabel(e.action)}</td>
                      <td><AuditChanges changes={e.changes} /></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <Show when={history.hasNextPage}>
            <div class="load-more">
              <button type="button" class="button" onClick={() => void history.fetchNextPage()}
                disabled={history.isFetchingNextPage} aria-busy={history.isFetchingNextPage}>
                {history.isFetchingNextPage ? t('common.loading') : t('audit.loadMore')}
              </button>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
