/**
 * Administration / Partner Module (/partners): the institution's partners with their status and settings, a search
 * (company, tax number or contact; debounced), a status filter and sortable columns. Search, filter and sort live in
 * the address (?q=&status=&sort=&dir=), so Back from a partner's page returns to the same list.
 *
 * "No partners at all" and "nothing matches this search" are different states with different advice.
 */
import { createEffect, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useCurrentUser } from '../../auth';
import { formatDateTime, t } from '../../i18n';

import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import {
  formatCommission, paymentLocationLabel, PARTNERSHIP_STATUSES, statusLabel, yesNo, type PartnershipStatus,
} from './partner-format';
import { PartnersAccess } from './partners-access';
import { usePartnerList, type PartnerSort } from './partners-data';
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
  const status = (): PartnershipStatus | '' => {
    const value = one(params.status) ?? '';
    return (PARTNERSHIP_STATUSES as readonly string[]).includes(value) ? (value as PartnershipStatus) : '';
  };
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
    status: status() || undefined,
    sort: sort(),
    direction: direction(),
  }));

  const rows = () => list.data ?? [];
  const filtered = () => search() !== '' || status() !== '';

  const toggleSort = (column: PartnerSort) => {
    const dir = sort() === column ? (direction() === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[column];
    setParams({ sort: column, dir }, { replace: true });
  };
  const clearFilters = () => {
    setSearchText('');
    setParams({ q: undefined, status: undefined }, { replace: true });
    document.getElementById('partners-search')?.focus();
  };

  const SortHeader = (p: { column: PartnerSort; label: string }) => {
    const active = () => sort() === p.column;
    return (
      <th scope="col" aria-sort={active() ? (direction() === 'asc' ? 'ascending' : 'descending') : 'none'}>
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
          <select id="partners-status" name="status" value={status()}
            onChange={(e) => setParams({ status: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="" selected={status() === ''}>{t('partners.filter.all')}</option>
            <For each={PARTNERSHIP_STATUSES}>
              {(s) => <option value={s} selected={status() === s}>{statusLabel(s)}</option>}
            </For>
          </select>
        </div>
      </form>

      <Switch>
        <Match when={list.isPending}>
          <Loading />
        </Match>
        <Match when={list.isError && !list.data}>
          <QueryErrorState message={t('partners.loadError')} query={list} />
        </Match>
        <Match when={rows().length === 0 && !filtered()}>
          <EmptyState>{t('partners.empty')}</EmptyState>
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
              <thead>
                <tr>
                  <SortHeader column="company" label={t('partners.col.company')} />
                  <th scope="col">{t('partners.col.contact')}</th>
                  <SortHeader column="status" label={t('partners.col.status')} />
                  <th scope="col">{t('partners.col.locations')}</th>
                  <th scope="col">{t('partners.col.commission')}</th>
                  <th scope="col">{t('partners.col.paymentLocation')}</th>
                  <th scope="col">{t('partners.col.patientDataAccess')}</th>
                  <SortHeader column="invitedAt" label={t('partners.col.invitedAt')} />
                  <SortHeader column="acceptedAt" label={t('partners.col.acceptedAt')} />
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => (
                    <tr data-partnership-id={row.id}>
                      <th scope="row">
                        <A href={`/partners/${row.id}`}>{row.companyName}</A>
                        <span class="cell-note">{t('partners.taxNumberValue', { taxNumber: row.taxNumber })}</span>
                      </th>
                      <td>
                        {row.contactName}
                        <span class="cell-note cell-email">{row.contactEmail}</span>
                        <span class="cell-note">{row.contactPhone}</span>
                      </td>
                      <td><StatusBadge status={row.status} /></td>
                      <td>
                        <ul class="plain-list">
                          <For each={row.locations}>{(name) => <li>{name}</li>}</For>
                        </ul>
                      </td>
                      <td>{formatCommission(row.commissionType, row.commissionValue, row.commissionCurrency)}</td>
                      <td>{paymentLocationLabel(row.paymentLocation)}</td>
                      <td>{yesNo(row.patientDataAccess)}</td>
                      <td class="cell-date">{formatDateTime(row.invitedAt)}</td>
                      <td class="cell-date">
                        {row.acceptedAt ? formatDateTime(row.acceptedAt) : <span class="muted">{t('partners.notYet')}</span>}
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
