/**
 * Catalogue and schedules (/catalogue): what partners and patients book into — the institution's locations (with
 * their time zones), qualifications, physicians (with a link to each physician's working hours) and services.
 * Institution administrators only.
 *
 * The four lists are tabs (ARIA tabs: arrow keys, Home and End move between them); the open tab is kept in the
 * address (?tab=physicians), so Back from a physician's schedule returns to the same list. Every list has "Add …" and
 * "Edit" opening a form dialog; a success notice names what was saved.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useCurrentUser } from '../../auth';
import { t, type MessageKey } from '../../i18n';

import { InstitutionAdminOnly } from '../../ui/institution-admin';
import { PageHeader, usePageTitle } from '../../ui/page';
import { Loading, Notice, QueryErrorState } from '../../ui/states';
import { formatMoney } from '../partners/partner-format';
import {
  useCatalogueOverview, type CatalogueLocation, type CatalogueOverview, type CataloguePhysician, type CatalogueQualification,
  type CatalogueService,
} from './catalogue-data';
import { EditButton, ListPanel } from './list-panel';
import { LocationForm } from './location-form';
import { PhysicianForm } from './physician-form';
import { QualificationForm } from './qualification-form';
import { ServiceForm } from './service-form';

export const CATALOGUE_TABS = ['locations', 'qualifications', 'physicians', 'services'] as const;
export type CatalogueTab = (typeof CATALOGUE_TABS)[number];

const TAB_LABEL: Record<CatalogueTab, MessageKey> = {
  locations: 'catalogue.tab.locations',
  qualifications: 'catalogue.tab.qualifications',
  physicians: 'catalogue.tab.physicians',
  services: 'catalogue.tab.services',
};

type Dialog =
  | { kind: 'location'; item?: CatalogueLocation }
  | { kind: 'qualification'; item?: CatalogueQualification }
  | { kind: 'physician'; item?: CataloguePhysician }
  | { kind: 'service'; item?: CatalogueService };

export function CataloguePage() {
  const title = () => t('nav.catalogue');
  return (
    <InstitutionAdminOnly title={title}>
      <Catalogue title={title} />
    </InstitutionAdminOnly>
  );
}

function Catalogue(props: { title: () => string }) {
  usePageTitle(props.title);
  const me = useCurrentUser();
  const overview = useCatalogueOverview();
  const [params, setParams] = useSearchParams<{ tab?: string }>();
  const tab = (): CatalogueTab => {
    const value = Array.isArray(params.tab) ? params.tab[0] : params.tab;
    return (CATALOGUE_TABS as readonly string[]).includes(value ?? '') ? (value as CatalogueTab) : 'locations';
  };

  const [dialog, setDialog] = createSignal<Dialog | null>(null);
  const [notice, setNotice] = createSignal<(() => string) | null>(null);

  const selectTab = (next: CatalogueTab, focus = false) => {
    setNotice(null);
    setParams({ tab: next === 'locations' ? undefined : next }, { replace: true });
    if (focus) setTimeout(() => document.getElementById(`catalogue-tab-${next}`)?.focus(), 0);
  };
  const onTabKey = (event: KeyboardEvent) => {
    const index = CATALOGUE_TABS.indexOf(tab());
    const last = CATALOGUE_TABS.length - 1;
    const target = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1)
      : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : null;
    if (target === null) return;
    event.preventDefault();
    selectTab(CATALOGUE_TABS[target], true);
  };

  const open = (next: Dialog) => {
    setNotice(null);
    setDialog(next);
  };
  const close = () => setDialog(null);
  const saved = (name: string) => setNotice(() => () => t('catalogue.notice.saved', { name }));
  const headingFocus = () => document.getElementById(`catalogue-panel-${tab()}-title`);

  return (
    <section aria-labelledby="page-title" class="catalogue-page">
      <PageHeader title={props.title()} />
      <p class="lead">{t('catalogue.intro')}</p>

      <Show when={notice()}>
        {(text) => <Notice tone="success" onDismiss={() => setNotice(null)}>{text()()}</Notice>}
      </Show>

      <div class="tabs" role="tablist" aria-label={t('catalogue.sections')}>
        <For each={CATALOGUE_TABS}>
          {(name) => (
            <button type="button" role="tab" class="tab" id={`catalogue-tab-${name}`}
              aria-controls={`catalogue-panel-${name}`} aria-selected={tab() === name ? 'true' : 'false'}
              tabindex={tab() === name ? 0 : -1} onClick={() => selectTab(name)} onKeyDown={onTabKey}>
              {t(TAB_LABEL[name])}
              <Show when={overview.data}>
                {(data) => <span class="tab-count" aria-hidden="true">{countOf(data(), name)}</span>}
              </Show>
            </button>
          )}
        </For>
      </div>

      <For each={CATALOGUE_TABS}>
        {(name) => (
          <div role="tabpanel" id={`catalogue-panel-${name}`} aria-labelledby={`catalogue-tab-${name}`}
            class="tab-panel" hidden={tab() !== name}>
            <Show when={tab() === name}>
              <Switch>
                <Match when={overview.isPending}>
                  <Loading />
                </Match>
                <Match when={overview.isError && !overview.data}>
                  <QueryErrorState message={t('catalogue.loadError')} query={overview} />
                </Match>
                <Match when={overview.data}>
                  {(data) => (
                    <Switch>
                      <Match when={name === 'locations'}>
                        <LocationsPanel data={data()} onAdd={() => open({ kind: 'location' })}
                          onEdit={(item) => open({ kind: 'location', item })} />
                      </Match>
                      <Match when={name === 'qualifications'}>
                        <QualificationsPanel data={data()} onAdd={() => open({ kind: 'qualification' })}
                          onEdit={(item) => open({ kind: 'qualification', item })} />
                      </Match>
                      <Match when={name === 'physicians'}>
                        <PhysiciansPanel data={data()} onAdd={() => open({ kind: 'physician' })}
                          onEdit={(item) => open({ kind: 'physician', item })} />
                      </Match>
                      <Match when={name === 'services'}>
                        <ServicesPanel data={data()} onAdd={() => open({ kind: 'service' })}
                          onEdit={(item) => open({ kind: 'service', item })} />
                      </Match>
                    </Switch>
                  )}
                </Match>
              </Switch>
            </Show>
          </div>
        )}
      </For>

      <Show when={overview.data ? dialog() : null} keyed>
        {(current) => {
          const data = overview.data!;
          const focusAfter = () => (current.item
            ? document.querySelector<HTMLElement>(`tr[data-${current.kind}-id="${current.item.id}"] button`)
            : null) ?? headingFocus();
          switch (current.kind) {
            case 'location':
              return <LocationForm location={current.item} timeZones={data.timeZones}
                defaultTimeZone={me().organisation.timeZone || 'Europe/Bucharest'}
                onClose={close} onSaved={saved} returnFocus={focusAfter} />;
            case 'qualification':
              return <QualificationForm qualification={current.item} onClose={close} onSaved={saved} returnFocus={focusAfter} />;
            case 'physician':
              return <PhysicianForm physician={current.item} overview={data} onClose={close} onSaved={saved} returnFocus={focusAfter} />;
            case 'service':
              return <ServiceForm service={current.item} overview={data} onClose={close} onSaved={saved} returnFocus={focusAfter} />;
          }
        }}
      </Show>
    </section>
  );
}

function countOf(data: CatalogueOverview, tab: CatalogueTab): number {
  return data[tab].length;
}

function namesOf(ids: readonly number[], list: readonly { id: number; name: string }[]): string[] {
  return ids.map((id) => list.find((x) => x.id === id)?.name ?? `#${id}`);
}

interface PanelProps<T> { data: CatalogueOverview; onAdd: () => void; onEdit: (item: T) => void }

function LocationsPanel(props: PanelProps<CatalogueLocation>) {
  return (
    <ListPanel titleId="catalogue-panel-locations-title" title={t('catalogue.tab.locations')}
      addLabel={t('catalogue.location.add')} onAdd={props.onAdd}
      intro={<p class="muted">{t('catalogue.location.intro')}</p>}
      columns={['catalogue.location.name', 'catalogue.location.address', 'catalogue.location.timeZone']}
      rows={props.data.locations} empty={t('catalogue.location.empty')}>
      {(l) => (
        <tr data-location-id={l.id}>
          <th scope="row">{l.name}</th>
          <td>{l.address}</td>
          <td>{l.timeZone}</td>
          <td><EditButton name={l.name} onClick={() => props.onEdit(l)} /></td>
        </tr>
      )}
    </ListPanel>
  );
}

function QualificationsPanel(props: PanelProps<CatalogueQualification>) {
  const physiciansWith = (id: number) => props.data.physicians.filter((p) => p.qualificationIds.includes(id)).length;
  const servicesWith = (id: number) => props.data.services.filter((s) => s.qualificationId === id).length;
  return (
    <ListPanel titleId="catalogue-panel-qualifications-title" title={t('catalogue.tab.qualifications')}
      addLabel={t('catalogue.qualification.add')} onAdd={props.onAdd}
      intro={<p class="muted">{t('catalogue.qualification.intro')}</p>}
      columns={['catalogue.qualification.name', 'catalogue.tab.physicians', 'catalogue.tab.services']}
      rows={props.data.qualifications} empty={t('catalogue.qualification.empty')}>
      {(q) => (
        <tr data-qualification-id={q.id}>
          <th scope="row">{q.name}</th>
          <td>{physiciansWith(q.id)}</td>
          <td>{servicesWith(q.id)}</td>
          <td><EditButton name={q.name} onClick={() => props.onEdit(q)} /></td>
        </tr>
      )}
    </ListPanel>
  );
}

function PhysiciansPanel(props: PanelProps<CataloguePhysician>) {
  const missing = createMemo(() => props.data.locations.length === 0 || props.data.qualifications.length === 0);
  return (
    <ListPanel titleId="catalogue-panel-physicians-title" title={t('catalogue.tab.physicians')}
      addLabel={t('catalogue.physician.add')} onAdd={props.onAdd} addDisabled={missing()}
      intro={<p class="muted">{missing() ? t('catalogue.physician.needsFirst') : t('catalogue.physician.intro')}</p>}
      columns={['catalogue.physician.name', 'catalogue.physician.qualifications', 'catalogue.physician.locations']}
      rows={props.data.physicians} empty={t('catalogue.physician.empty')}>
      {(p) => (
        <tr data-physician-id={p.id}>
          <th scope="row">{p.name}</th>
          <td>
            <ul class="plain-list">
              <For each={namesOf(p.qualificationIds, props.data.qualifications)}>{(n) => <li>{n}</li>}</For>
            </ul>
          </td>
          <td>
            <ul class="plain-list">
              <For each={namesOf(p.locationIds, props.data.locations)}>{(n) => <li>{n}</li>}</For>
            </ul>
          </td>
          <td>
            <div class="row-actions">
              <EditButton name={p.name} onClick={() => props.onEdit(p)} />
              <A href={`/catalogue/physicians/${p.id}/schedule`} class="button button-small"
                aria-label={t('catalogue.physician.scheduleNamed', { name: p.name })}>
                {t('catalogue.physician.schedule')}
              </A>
            </div>
          </td>
        </tr>
      )}
    </ListPanel>
  );
}

function ServicesPanel(props: PanelProps<CatalogueService>) {
  const qualificationName = (id: number) => props.data.qualifications.find((q) => q.id === id)?.name ?? `#${id}`;
  const missing = () => props.data.qualifications.length === 0;
  return (
    <ListPanel titleId="catalogue-panel-services-title" title={t('catalogue.tab.services')}
      addLabel={t('catalogue.service.add')} onAdd={props.onAdd} addDisabled={missing()}
      intro={
        <p class="muted">
          {missing() ? t('catalogue.service.needsFirst') : t('catalogue.service.listIntro')}{' '}
          <Show when={!missing()}><A href="/traffic-channels">{t('nav.trafficChannels')}</A></Show>
        </p>
      }
      columns={['catalogue.service.name', 'catalogue.service.qualification', 'catalogue.service.durationShort',
        'catalogue.service.price', 'catalogue.service.cancellationShort']}
      rows={props.data.services} empty={t('catalogue.service.empty')}>
      {(s) => (
        <tr data-service-id={s.id}>
          <th scope="row">{s.name}</th>
          <td>{qualificationName(s.qualificationId)}</td>
          <td class="cell-number">{t('catalogue.minutes', { n: s.durationMinutes })}</td>
          <td class="cell-number">{formatMoney(s.priceMinor, s.currency)}</td>
          <td class="cell-number">{t('catalogue.hours', { n: s.cancellationWindowHours })}</td>
          <td><EditButton name={s.name} onClick={() => props.onEdit(s)} /></td>
        </tr>
      )}
    </ListPanel>
  );
}
