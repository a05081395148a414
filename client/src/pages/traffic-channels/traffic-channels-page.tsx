/**
 * Traffic Channels (/traffic-channels): the institution's services (rows, grouped by qualification) × booking channels
 * (columns: Online, Phone, then one per pending or active partner, headed by the partner's company name and
 * highlighted). Ticking a cell in a partner's column authorises that service for that partner; a partner can book
 * nothing else. Institution administrators only.
 *
 * Ticks are edited locally and saved together: changed cells are marked, a counter says how many changes are
 * unsaved, "Save" sends only the changes (one transaction on the server), "Discard changes" drops them. The edits
 * survive switching the Location and Qualification filters; "Toggle row" and "Toggle column" apply to the rows shown.
 * Leaving the page with unsaved changes asks first (ui/leave-guard.tsx: in-app navigation) or lets the browser warn (reload, close).
 *
 * Rows and columns are keyed by id, so a cell keeps the keyboard focus while the matrix is refreshed. The matrix
 * scrolls inside the viewport with its header row (partner names, column toggles) and service column kept in view,
 * so it stays workable with dozens of partner columns (matrix-viewport.ts).
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { t, tCount } from '../../i18n';
import { queryClient, toUiError, trpc, type RouterOutputs } from '../../trpc';
import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { LeaveGuardDialog, useLeaveGuard } from '../../ui/leave-guard';
import { PageHeader, usePageTitle } from '../../ui/page';
import { Loading, Notice, type NoticeTone, QueryErrorState } from '../../ui/states';
import { TRAFFIC_QUERY_KEY, useCatalogueOverview } from '../catalogue/catalogue-data';
import { formatMoney, isPendingStatus, statusLabel } from '../partners/partner-format';
import {
  applyChanges, cellKey, changesOf, groupByQualification, isChanged, isTicked, pruneEdits, setCells, toggleCells,
  visibleServices, type Change, type Edits,
} from './traffic-matrix';
import { fitMatrixToViewport } from './matrix-viewport';

type Matrix = RouterOutputs['trafficChannels']['matrix'];
type Channel = Matrix['channels'][number];
type PageNotice = { tone: NoticeTone; text: () => string };

const MATRIX_QUERY_KEY = [...TRAFFIC_QUERY_KEY, 'matrix'] as const;

export function TrafficChannelsPage() {
  const title = () => t('nav.trafficChannels');
  return (
    <InstitutionAdminOnly title={title}>
      <TrafficChannels title={title} />
    </InstitutionAdminOnly>
  );
}

/** The column's label: "Online", "Phone" or the partner's company name (also the end of each cell's name). */
function channelLabel(channel: Channel): string {
  if (channel.kind === 'online') return t('traffic.channel.online');
  if (channel.kind === 'phone') return t('traffic.channel.phone');
  return channel.companyName;
}

const isPartner = (channel: Channel) => channel.kind === 'partnership';

function parseFilter(value: string): number | null {
  return /^\d+$/.test(value) ? Number(value) : null;
}

function TrafficChannels(props: { title: () => string }) {
  usePageTitle(props.title);
  const matrix = useQuery(() => ({
    queryKey: MATRIX_QUERY_KEY,
    queryFn: () => trpc.trafficChannels.matrix.query(),
    // Partners are invited and services added at any time: refresh whenever the page is opened.
    staleTime: 0,
  }));
  const overview = useCatalogueOverview();

  const [edits, setEdits] = createSignal<Edits>({});
  const [locationId, setLocationId] = createSignal<number | null>(null);
  const [qualificationId, setQualificationId] = createSignal<number | null>(null);
  const [notice, setNotice] = createSignal<PageNotice | null>(null);

  const services = () => matrix.data?.services ?? [];
  const channels = () => matrix.data?.channels ?? [];
  const saved = createMemo(() => new Set(matrix.data?.enabled ?? []));
  const serviceById = createMemo(() => new Map(services().map((s) => [s.id, s])));
  const channelByKey = createMemo(() => new Map(channels().map((c) => [c.key, c])));
  const channelKeys = createMemo(() => channels().map((c) => c.key));
  const hasPartners = () => channels().some(isPartner);

  /** Only changes of rows and columns that still exist (a partnership may have ended meanwhile). */
  const changes = createMemo(() => changesOf(saved(), edits())
    .filter((c) => serviceById().has(c.serviceId) && channelByKey().has(c.channelKey)));
  const dirty = () => changes().length > 0;

  const shown = createMemo(() => visibleServices(services(), { locationId: locationId(), qualificationId: qualificationId() }));
  const groups = createMemo(() => groupByQualification(shown())
    .map((g) => ({ id: g.qualificationId, name: g.qualificationName, serviceIds: g.services.map((s) => s.id) })));
  const groupIds = createMemo(() => groups().map((g) => g.id));
  const groupById = createMemo(() => new Map(groups().map((g) => [g.id, g])));
  const qualifications = createMemo(() => groupByQualification(services())
    .map((g) => ({ id: g.qualificationId, name: g.qualificationName })));
  const filtered = () => locationId() !== null || qualificationId() !== null;

  const edit = (next: Edits) => {
    setNotice(null);
    setEdits(next);
  };
  const setCell = (key: string, value: boolean) => edit(setCells([key], value, saved(), edits()));
  const toggleRow = (serviceId: number) => edit(toggleCells(channelKeys().map((k) => cellKey(serviceId, k)), saved(), edits()));
  const toggleColumn = (channelKey: string) => edit(toggleCells(shown().map((s) => cellKey(s.id, channelKey)), saved(), edits()));

  const save = useMutation(() => ({
    mutationFn: (list: Change[]) => trpc.trafficChannels.save.mutate({ changes: list }),
    onMutate: () => setNotice(null),
    onSuccess: (_result, list) => {
      // Show the saved state at once (the refresh below confirms it), keeping edits made while saving.
      queryClient.setQueryData<Matrix>(MATRIX_QUERY_KEY, (old) => old && { ...old, enabled: applyChanges(old.enabled, list) });
      setEdits((current) => pruneEdits(new Set(queryClient.getQueryData<Matrix>(MATRIX_QUERY_KEY)?.enabled ?? []), current));
      setNotice({ tone: 'success', text: () => t('traffic.saved') });
      void queryClient.invalidateQueries({ queryKey: TRAFFIC_QUERY_KEY });
    },
    onError: (err) => {
      // Nothing was saved; the edits stay. The matrix may be out of date (e.g. a partnership ended meanwhile).
      setNotice({ tone: 'error', text: () => toUiError(err).message });
      void queryClient.invalidateQueries({ queryKey: TRAFFIC_QUERY_KEY });
    },
  }));

  const busy = () => save.isPending;
  const submit = () => {
    if (busy() || !dirty()) return;
    save.mutate(changes());
  };
  const discard = () => {
    if (busy() || !dirty()) return;
    setEdits({});
    setNotice({ tone: 'info', text: () => t('traffic.discarded') });
  };

  // Unsaved changes: leaving for another page asks in our own dialog, reloading or closing the tab makes the browser ask.
  const leaveGuard = useLeaveGuard(dirty);

  let saveBar: HTMLDivElement | undefined;

  const clearFilters = () => {
    setLocationId(null);
    setQualificationId(null);
    document.getElementById('traffic-location')?.focus();
  };

  return (
    <section aria-labelledby="page-title" class="traffic-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('traffic.intro')}</p>

      <Switch>
        <Match when={matrix.isPending}>
          <Loading />
        </Match>
        <Match when={matrix.isError && !matrix.data}>
          <QueryErrorState message={t('traffic.loadError')} query={matrix} />
        </Match>
        <Match when={services().length === 0}>
          <div class="state state-empty">
            <p>{t('traffic.noServices')}</p>
            <p><A href="/catalogue">{t('traffic.toCatalogue')}</A></p>
          </div>
        </Match>
        <Match when={true}>
          <form class="filters" role="search" aria-label={t('traffic.filters')} onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="traffic-location">{t('traffic.filter.location')}</label>
              <select id="traffic-location" name="location" aria-describedby="traffic-location-hint"
                value={locationId() === null ? '' : String(locationId())}
                onChange={(e) => setLocationId(parseFilter(e.currentTarget.value))}>
                <option value="" selected={locationId() === null}>{t('traffic.filter.allLocations')}</option>
                <For each={overview.data?.locations ?? []}>
                  {(l) => <option value={String(l.id)} selected={locationId() === l.id}>{l.name}</option>}
                </For>
              </select>
              <p id="traffic-location-hint" class="field-hint">
                {overview.isError && !overview.data ? t('traffic.filter.locationsUnavailable') : t('traffic.filter.locationHint')}
              </p>
            </div>
            <div class="field">
              <label for="traffic-qualification">{t('traffic.filter.qualification')}</label>
              <select id="traffic-qualification" name="qualification"
                value={qualificationId() === null ? '' : String(qualificationId())}
                onChange={(e) => setQualificationId(parseFilter(e.currentTarget.value))}>
                <option value="" selected={qualificationId() === null}>{t('traffic.filter.allQualifications')}</option>
                <For each={qualifications()}>
                  {(q) => <option value={String(q.id)} selected={qualificationId() === q.id}>{q.name}</option>}
                </For>
              </select>
            </div>
          </form>

          <Show when={!hasPartners()}>
            <Notice tone="info">
              {t('traffic.noPartners')} <A href="/partners">{t('traffic.toPartners')}</A>
            </Notice>
          </Show>

          <Show when={notice()}>
            {(n) => <Notice tone={n().tone} onDismiss={() => setNotice(null)}>{n().text()}</Notice>}
          </Show>

          <div ref={saveBar} class="save-bar" classList={{ 'save-bar-dirty': dirty() }}>
            <p class="save-bar-status" role="status">
              {dirty() ? tCount('traffic.unsaved', changes().length) : t('traffic.noUnsaved')}
            </p>
            <div class="form-actions">
              <button type="button" class="button button-primary" onClick={submit}
                aria-disabled={!dirty() || busy() ? 'true' : undefined} aria-busy={busy()}>
                {busy() ? t('common.saving') : t('common.save')}
              </button>
              <button type="button" class="button" onClick={discard}
                aria-disabled={!dirty() || busy() ? 'true' : undefined}>
                {t('traffic.discard')}
              </button>
            </div>
          </div>

          <p id="traffic-hint" class="muted traffic-hint">{t('traffic.toggleHint')}</p>
          <span id="traffic-unsaved-mark" class="visually-hidden">{t('traffic.unsavedCell')}</span>

          <Show
            when={shown().length > 0}
            fallback={
              <div class="state state-empty" role="status">
                <p>{filtered() ? t('traffic.noMatch') : t('traffic.noServices')}</p>
                <Show when={filtered()}>
                  <p><button type="button" class="button" onClick={clearFilters}>{t('traffic.clearFilters')}</button></p>
                </Show>
              </div>
            }
          >
            <div ref={(el) => fitMatrixToViewport(el, () => saveBar)} class="table-wrap traffic-wrap" role="region"
              aria-labelledby="traffic-caption" tabindex="0">
              <table class="table traffic-table" aria-describedby="traffic-hint" aria-busy={busy()}>
                <caption id="traffic-caption" class="visually-hidden">{t('traffic.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="col-service">{t('traffic.col.service')}</th>
                    <For each={channelKeys()}>
                      {(key) => (
                        <Show when={channelByKey().get(key)}>
                          {(channel) => (
                            <th scope="col" class="col-channel" classList={{ 'col-partner': isPartner(channel()) }}>
                              <span class="channel-name" title={channelLabel(channel())}>{channelLabel(channel())}</span>
                              <Show when={(() => { const c = channel(); return 'status' in c && isPendingStatus(c.status) ? c.status : null; })()}>
                                {(status) => <span class="cell-note channel-status" title={statusLabel(status())}>{statusLabel(status())}</span>}
                              </Show>
                            </th>
                          )}
                        </Show>
                      )}
                    </For>
                  </tr>
                  <tr class="toggle-row">
                    <td class="col-service"><span class="cell-note">{t('traffic.columnToggles')}</span></td>
                    <For each={channelKeys()}>
                      {(key) => (
                        <Show when={channelByKey().get(key)}>
                          {(channel) => (
                            <td class="col-channel" classList={{ 'col-partner': isPartner(channel()) }}>
                              <button type="button" class="button button-small toggle-button" disabled={busy()}
                                aria-label={t('traffic.toggleColumnNamed', { name: channelLabel(channel()) })}
                                onClick={() => toggleColumn(key)}>
                                {t('traffic.toggleColumn')}
                              </button>
                            </td>
                          )}
                        </Show>
                      )}
                    </For>
                  </tr>
                </thead>
                <For each={groupIds()}>
                  {(groupId) => (
                    <Show when={groupById().get(groupId)}>
                      {(group) => (
                        <tbody>
                          <tr class="group-row">
                            <th scope="rowgroup" colspan={channelKeys().length + 1}>
                              <span class="group-name">{group().name}</span>
                            </th>
                          </tr>
                          <For each={group().serviceIds}>
                            {(serviceId) => (
                              <Show when={serviceById().get(serviceId)}>
                                {(service) => (
                                  <tr data-service-id={serviceId}>
                                    <th scope="row" class="col-service">
                                      <div class="service-head">
                                        <div>
                                          <span class="service-name">{service().name}</span>
                                          <span class="cell-note">
                                            {t('traffic.serviceInfo', {
                                              duration: service().durationMinutes,
                                              price: formatMoney(service().priceMinor, service().currency),
                                            })}
                                          </span>
                                          <Show when={service().locationIds.length === 0}>
                                            <span class="cell-note">{t('traffic.notOffered')}</span>
                                          </Show>
                                        </div>
                                        <button type="button" class="button button-small toggle-button" disabled={busy()}
                                          aria-label={t('traffic.toggleRowNamed', { name: service().name })}
                                          onClick={() => toggleRow(serviceId)}>
                                          {t('traffic.toggleRow')}
                                        </button>
                                      </div>
                                    </th>
                                    <For each={channelKeys()}>
                                      {(key) => (
                                        <Show when={channelByKey().get(key)}>
                                          {(channel) => {
                                            const cell = cellKey(serviceId, key);
                                            const changed = () => isChanged(cell, saved(), edits());
                                            return (
                                              <td class="cell-check" classList={{ 'col-partner': isPartner(channel()), 'cell-changed': changed() }}>
                                                <input type="checkbox" name={cell}
                                                  aria-label={`${service().name} — ${channelLabel(channel())}`}
                                                  aria-describedby={changed() ? 'traffic-unsaved-mark' : undefined}
                                                  checked={isTicked(cell, saved(), edits())} disabled={busy()}
                                                  onChange={(e) => setCell(cell, e.currentTarget.checked)} />
                                              </td>
                                            );
                                          }}
                                        </Show>
                                      )}
                                    </For>
                                  </tr>
                                )}
                              </Show>
                            )}
                          </For>
                        </tbody>
                      )}
                    </Show>
                  )}
                </For>
              </table>
            </div>
          </Show>
        </Match>
      </Switch>

      <LeaveGuardDialog guard={leaveGuard} id="traffic-leave" title={t('traffic.leave.title')} confirmLabel={t('traffic.leave.confirm')}
        text={tCount('traffic.leave.text', changes().length)} />
    </section>
  );
}
