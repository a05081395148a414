/**
 * Administration / Partner Module (/partners): one row per partner organisation with its current partnership (the
 * open one, else the latest; see server/partners/list.ts) — a company deleted and invited again is one row, its
 * earlier partnerships counted under its name and listed on its page. A search (company, tax number or contact;
 * debounced), a filter — current partners by default, ended and closed invitations, all, or one status — and sortable
 * columns. Search, filter and sort live in the address (?q=&status=&sort=&dir=), so Back from a partner's page returns
 * to the same list.
 *
 * The table fits a 1366 px screen: fixed column widths, the commercial terms in one column, dates as day over time,
 * names on at most two lines (the full name stays the link's text and its tooltip).
 *
 * "No partners at all", "no current partners" and "nothing matches this search" are different states with different
 * advice.
 */
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useQuery } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatDateTime, intlLocale, t, tCount, timeZone } from '../../i18n';
import { trpc } from '../../trpc';
import { PageHeader, usePageTitle } from '../../ui/page';
import { QueryView } from '../../ui/query-view';
import { EmptyState, Loading } from '../../ui/states';
import {
  formatCommission, paymentLocationLabel, PARTNERSHIP_STATUSES, statusLabel, yesNo,
} from './partner-format';
import { PartnersAccess } from './partners-access';
import { PARTNERS_QUERY_KEY, usePartnerList, type PartnerSort } from './partners-data';
import { listInputFor, shownFrom, type Shown } from './partners-list-filter';
import { StatusBadge } from './status-badge';

type Direction = 'asc' | 'desc';
type ListQuery = { q?: string; status?: string; sort?: string; dir?: string };

const SORTS: readonly PartnerSort[] = ['company', 'status', 'invitedAt', 'acceptedAt'];
/** Names and statuses read best A→Z; dates newest first. */
const DEFAULT_DIRECTION: Record<PartnerSort, Direction> = { company: 'asc', status: 'asc', invitedAt: 'desc', acceptedAt: 'desc' };
const SEARCH_DELAY_MS = 300;

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function PartnersPage() {
  const title = () => t('nav.partners');
  return (
    <PartnersAccess title={title}>
      <PartnerList title={title} />
    </PartnersAccess>
  );
}

function PartnerList(props: { title: () => string }) {
  usePageTitle(props.title);
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams<ListQuery>();

  const search = () => one(params.q)?.trim() ?? '';
  const shown = () => shownFrom(one(params.status));
  const sort = (): PartnerSort => {
    const value = one(params.sort) as PartnerSort | undefined;
    return value && SORTS.includes(value) ? value : 'invitedAt';
  };
  const direction = (): Direction => {
    const value = one(params.dir);
    return value === 'asc' || value === 'desc' ? value : DEFAULT_DIRECTION[sort()];
  };

  // What the user types is applied after a short pause, so that not every keystroke is a request.
  const [searchText, setSearchText] = createSignal(search());
  createEffect(on(searchText, (text) => {
    const timer = setTimeout(() => setParams({ q: text.trim() || undefined }, { replace: true }), SEARCH_DELAY_MS);
    onCleanup(() => clearTimeout(timer));
  }, { defer: true }));

  const list = usePartnerList(() => ({
    search: search() || undefined,
    ...listInputFor(shown()),
    sort: sort(),
    direction: direction(),
  }));

  const rows = () => list.data ?? [];
  const searching = () => search() !== '';
  const noCurrent = () => !searching() && shown() === 'current' && list.isSuccess && rows().length === 0;
  // Only when no partner is current: are there ended ones (then the advice is "show all"), or none at all?
  const anyPartner = useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'list', { filter: 'all' }],
    queryFn: () => trpc.partners.list.query({ filter: 'all' }),
    enabled: noCurrent(),
    staleTime: 0,
  }));

  const setShown = (value: Shown) => setParams({ status: value === 'current' ? undefined : value }, { replace: true });
  const toggleSort = (column: PartnerSort) => {
    const dir = sort() === column ? (direction() === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[column];
    setParams({ sort: column, dir }, { replace: true });
  };
  const clearFilters = () => {
    setSearchText('');
    setParams({ q: undefined, status: undefined }, { replace: true });
    document.getElementById('partners-search')?.focus();
  };

  const SortHeader = (p: { column: PartnerSort; label: string; class?: string }) => {
    const active = () => sort() === p.column;
    return (
      <th scope="col" class={p.class} aria-sort={active() ? (direction() === 'asc' ? 'ascending' : 'descending') : 'none'}>
        <button type="button" class="sort-button" onClick={() => toggleSort(p.column)}>
          {p.label}
          <span class="sort-indicator" aria-hidden="true">{active() ? (direction() === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <section aria-labelledby="page-title" class="partners-page">
      <PageHeader
        title={props.title()}
        actions={<A href="/partners/new" class="button button-primary">{t('partners.add')}</A>}
      />

      <form class="filters" role="search"
        onSubmit={(e) => { e.preventDefault(); setParams({ q: searchText().trim() || undefined }, { replace: true }); }}>
        <div class="field">
          <label for="partners-search">{t('partners.search')}</label>
          <input id="partners-search" type="search" name="q" autocomplete="off" aria-describedby="partners-search-hint"
            value={searchText()} onInput={(e) => setSearchText(e.currentTarget.value)} />
          <p id="partners-search-hint" class="field-hint">{t('partners.searchHint')}</p>
        </div>
        <div class="field">
          <label for="partners-status">{t('partners.filter.status')}</label>
          <select id="partners-status" name="status" value={shown()} onChange={(e) => setShown(shownFrom(e.currentTarget.value))}>
            <option value="current" selected={shown() === 'current'}>{t('partners.filter.current')}</option>
            <option value="ended" selected={shown() === 'ended'}>{t('partners.filter.ended')}</option>
            <option value="all" selected={shown() === 'all'}>{t('partners.filter.all')}</option>
            <optgroup label={t('partners.filter.oneStatus')}>
              <For each={PARTNERSHIP_STATUSES}>
                {(s) => <option value={s} selected={shown() === s}>{statusLabel(s)}</option>}
              </For>
            </optgroup>
          </select>
        </div>
      </form>

      <QueryView query={list} loadError={t('partners.loadError')}>
        <Switch>
          <Match when={noCurrent() && anyPartner.isPending}>
            <Loading />
          </Match>
          <Match when={noCurrent() && (anyPartner.data?.length ?? 0) === 0}>
            <EmptyState>{t('partners.empty')}</EmptyState>
          </Match>
          <Match when={noCurrent()}>
            <div class="state state-empty" role="status">
              <p>{t('partners.noCurrent')}</p>
              <p>
                <button type="button" class="button" onClick={() => { setShown('all'); document.getElementById('partners-status')?.focus(); }}>
                  {t('partners.showAll')}
                </button>
              </p>
            </div>
          </Match>
          <Match when={rows().length === 0}>
            <div class="state state-empty" role="status">
              <p>{t('partners.noResults')}</p>
              <p>
                <button type="button" class="button" onClick={clearFilters}>{t('partners.clearFilters')}</button>
              </p>
            </div>
          </Match>
          <Match when={true}>
            <p class="result-count muted" role="status">{t('partners.resultCount', { count: rows().length })}</p>
            <div class="table-wrap" aria-busy={list.isPlaceholderData}>
              <table class="table partners-table">
                <caption class="visually-hidden">{t('partners.caption', { organisation: me().organisation.name })}</caption>
                <colgroup>
                  <col class="col-company" />
                  <col class="col-contact" />
                  <col class="col-status" />
                  <col class="col-locations" />
                  <col class="col-terms" />
                  <col class="col-date" />
                  <col class="col-date" />
                </colgroup>
                <thead>
                  <tr>
                    <SortHeader column="company" label={t('partners.col.company')} />
                    <th scope="col">{t('partners.col.contact')}</th>
                    <SortHeader column="status" label={t('partners.col.status')} />
                    <th scope="col">{t('partners.col.locations')}</th>
                    <th scope="col">{t('partners.col.terms')}</th>
                    <SortHeader column="invitedAt" label={t('partners.col.invitedAt')} />
                    <SortHeader column="acceptedAt" label={t('partners.col.acceptedAt')} />
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(row) => (
                      <tr data-partnership-id={row.id}>
                        <th scope="row">
                          <A href={`/partners/${row.id}`} class="two-lines" title={row.companyName}>{row.companyName}</A>
                          <span class="cell-note">{t('partners.taxNumberValue', { taxNumber: row.taxNumber })}</span>
                          <Show when={row.earlier.length > 0}>
                            <span class="cell-note">{tCount('partners.list.earlier', row.earlier.length)}</span>
                          </Show>
                        </th>
                        <td>
                          <span class="two-lines" title={row.contactName}>{row.contactName}</span>
                          <span class="cell-note cell-email">{row.contactEmail}</span>
                          <span class="cell-note">{row.contactPhone}</span>
                        </td>
                        <td>
                          <StatusBadge status={row.status} />
                          <Show when={row.closedAt}>
                            {(closed) => <span class="cell-note">{t('partners.list.closedOn', { date: formatDay(closed()) })}</span>}
                          </Show>
                        </td>
                        <td>
                          <ul class="plain-list">
                            <For each={row.locations}>{(name) => <li>{name}</li>}</For>
                          </ul>
                        </td>
                        <td>
                          <dl class="terms-list">
                            <div class="terms-commission"><dt class="visually-hidden">{t('partners.col.commission')}</dt><dd>{formatCommission(row.commissionType, row.commissionValue, row.commissionCurrency)}</dd></div>
                            <div><dt>{t('partners.list.payment')}</dt><dd>{paymentLocationLabel(row.paymentLocation)}</dd></div>
                            <div><dt>{t('partners.list.patientData')}</dt><dd>{yesNo(row.patientDataAccess)}</dd></div>
                          </dl>
                        </td>
                        <td class="cell-date"><DateTime iso={row.invitedAt} /></td>
                        <td class="cell-date">
                          <Show when={row.acceptedAt} fallback={<span class="muted">{t('partners.notYet')}</span>}>
                            {(accepted) => <DateTime iso={accepted()} />}
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Match>
        </Switch>
      </QueryView>
    </section>
  );
}

/** "30 Nov 2026" / "30 nov. 2026" in the institution's time zone. */
function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: timeZone() }).format(new Date(iso));
}

/** A date and time in a narrow column: the day, then the time with its zone below; the whole as a tooltip. */
function DateTime(props: { iso: string }) {
  const time = () => new Intl.DateTimeFormat(intlLocale(), {
    hour: '2-digit', minute: '2-digit', timeZone: timeZone(), timeZoneName: 'short',
  }).format(new Date(props.iso));
  return (
    <time datetime={props.iso} title={formatDateTime(props.iso)}>
      {formatDay(props.iso)}
      <span class="cell-note">{time()}</span>
    </time>
  );
}
