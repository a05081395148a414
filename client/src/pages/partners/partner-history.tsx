/**
 * A partner's change history on its detail page: the audit entries about this partnership (invited, settings changed,
 * answered, ended, …) and the traffic-channel saves touching its services, read as on the audit log (labelled fields,
 * before → after). Newest first, 50 at a time. Refreshed with the partner's own queries.
 */
import { createMemo, For, Match, Show, Switch } from 'solid-js';
import { useInfiniteQuery } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { trpc, type RouterOutputs } from '../../trpc';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { AuditEntriesTable, AuditEntryRow, LoadMoreButton } from '../audit/audit-entries';
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
          <AuditEntriesTable caption={t('audit.history.title')} view="partner">
            <For each={entries()}>{(e) => <AuditEntryRow entry={e} view="partner" />}</For>
          </AuditEntriesTable>
          <Show when={history.hasNextPage}>
            <div class="load-more">
              <LoadMoreButton loading={history.isFetchingNextPage} onMore={() => void history.fetchNextPage()} />
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
