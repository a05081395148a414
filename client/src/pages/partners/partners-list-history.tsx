/**
 * "Earlier partnerships" on a partner's page: the partnerships the institution had with the same company before (a
 * company deleted and invited again is one row in the partners list; its earlier partnerships are listed here). On the
 * page of an earlier partnership it says so and links the current one. Nothing is shown for a company with only one
 * partnership. Read from partners.list for the company of this partnership (server/partners/list.ts).
 */
import { For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useQuery } from '@tanstack/solid-query';
import { formatDateTime, t } from '../../i18n';
import { trpc } from '../../trpc';
import { QueryErrorState } from '../../ui/states';
import { PARTNERS_QUERY_KEY, type PartnerRow } from './partners-data';
import { StatusBadge } from './status-badge';

type Partnership = Pick<PartnerRow, 'id' | 'status' | 'invitedAt' | 'closedAt'>;

export function EarlierPartnerships(props: { partnershipId: number }) {
  const input = () => ({ filter: 'all' as const, partnershipId: props.partnershipId });
  const company = useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'list', input()],
    queryFn: () => trpc.partners.list.query(input()),
    staleTime: 0,
  }));
  const row = () => company.data?.[0];
  const isCurrent = () => row()?.id === props.partnershipId;
  const earlier = (): Partnership[] => (row()?.earlier ?? []).filter((p) => p.id !== props.partnershipId);

  return (
    <Switch>
      <Match when={company.isError && !company.data}>
        <section class="card detail-card earlier-partnerships" aria-labelledby="partner-earlier-heading">
          <h2 id="partner-earlier-heading">{t('partners.earlier.title')}</h2>
          <QueryErrorState message={t('partners.earlier.loadError')} query={company} />
        </section>
      </Match>
      <Match when={row() && (!isCurrent() || earlier().length > 0)}>
        <section class="card detail-card earlier-partnerships" aria-labelledby="partner-earlier-heading">
          <h2 id="partner-earlier-heading">{t('partners.earlier.title')}</h2>
          <Show when={!isCurrent() && row()}>
            {(current) => (
              <p class="earlier-current">
                {t('partners.earlier.later')}{' '}
                <PartnershipLink partnership={current()} />
              </p>
            )}
          </Show>
          <Show when={earlier().length > 0}>
            <p class="muted">{t('partners.earlier.intro')}</p>
            <ul class="plain-list earlier-list">
              <For each={earlier()}>{(p) => <li><PartnershipLink partnership={p} /></li>}</For>
            </ul>
          </Show>
        </section>
      </Match>
    </Switch>
  );
}

function PartnershipLink(props: { partnership: Partnership }) {
  const p = () => props.partnership;
  return (
    <span class="earlier-item" data-partnership-id={p().id}>
      <StatusBadge status={p().status} />{' '}
      <A href={`/partners/${p().id}`}>
        {t('partners.earlier.invited', { date: formatDateTime(p().invitedAt) })}
      </A>
      <Show when={p().closedAt}>{(closed) => <span class="muted">{' · '}{t('partners.earlier.closed', { date: formatDateTime(closed()) })}</span>}</Show>
    </span>
  );
}
