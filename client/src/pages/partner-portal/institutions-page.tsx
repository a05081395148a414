/**
 * My institutions (/institutions): the institutions this organisation is an active partner of, each with what it
 * granted (locations with addresses, commission, payment location, access to patient data), since when, and the
 * services the partner may book there (ticked in the institution's Traffic Channels and offered at a granted
 * location: name, duration, price, locations). Read-only: only the institution changes these settings.
 * Below them, the partnerships an institution ended, as ended, with the date (in the institution's time zone) and
 * the terms they had; they cannot be booked.
 */
import { For, Match, Show, Switch } from 'solid-js';
import { formatDateTime, t } from '../../i18n';

import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, QueryErrorState } from '../../ui/states';
import { formatMoney } from '../partners/partner-format';
import { StatusBadge } from '../partners/status-badge';
import { PartnershipTerms } from './partnership-terms';
import { useEndedPartnerships, useInstitutions, type EndedPartnership, type PartnerInstitution } from './portal-data';

export function InstitutionsPage() {
  const title = () => t('nav.institutions');
  usePageTitle(title);
  const institutions = useInstitutions();
  const ended = useEndedPartnerships();
  const endedRows = () => ended.data ?? [];

  return (
    <section aria-labelledby="page-title" class="portal-page">
      <PageHeader title={title()} />
      <p class="lead">{t('portal.institutions.intro')}</p>
      <Switch>
        <Match when={institutions.isPending || ended.isPending}>
          <Loading />
        </Match>
        <Match when={institutions.isError && !institutions.data}>
          <QueryErrorState message={t('portal.institutions.loadError')} query={institutions} />
        </Match>
        <Match when={(institutions.data ?? []).length === 0 && endedRows().length === 0}>
          <EmptyState>{t('portal.institutions.empty')}</EmptyState>
        </Match>
        <Match when={(institutions.data ?? []).length === 0}>
          <EmptyState>{t('portal.institutions.noneActive')}</EmptyState>
        </Match>
        <Match when={true}>
          <ul class="card-list">
            <For each={institutions.data}>
              {(institution) => (
                <li>
                  <article class="card institution-card" aria-labelledby={`institution-${institution.id}-title`}>
                    <h2 id={`institution-${institution.id}-title`}>{institution.institutionName}</h2>
                    <dl class="detail-list">
                      <PartnershipTerms terms={institution} />
                      <div>
                        <dt>{t('portal.acceptedAt')}</dt>
                        <dd>{institution.acceptedAt ? formatDateTime(institution.acceptedAt) : t('partners.notYet')}</dd>
                      </div>
                    </dl>
                    <AuthorisedServices institution={institution} />
                  </article>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
      <Show when={ended.isError && !ended.data}>
        <QueryErrorState message={t('portal.ended.loadError')} query={ended} />
      </Show>
      <Show when={!institutions.isPending && endedRows().length > 0}>
        <section class="ended-partnerships" aria-labelledby="ended-partnerships-title">
          <h2 id="ended-partnerships-title">{t('portal.ended.title')}</h2>
          <p class="muted">{t('portal.ended.intro')}</p>
          <ul class="card-list">
            <For each={endedRows()}>{(partnership) => <EndedCard partnership={partnership} />}</For>
          </ul>
        </section>
      </Show>
    </section>
  );
}

/** An ended partnership: the institution, "Ended" with the date in the institution's time zone, and its last terms. */
function EndedCard(props: { partnership: EndedPartnership }) {
  const id = () => `ended-${props.partnership.id}-title`;
  return (
    <li>
      <article class="card institution-card institution-card-ended" aria-labelledby={id()} data-partnership-id={props.partnership.id}>
        <div class="institution-card-head">
          <h3 id={id()}>{props.partnership.institutionName}</h3>
          <StatusBadge status="ended" />
        </div>
        <dl class="detail-list">
          <div>
            <dt>{t('portal.ended.endedAt')}</dt>
            <dd>{formatDateTime(props.partnership.endedAt, props.partnership.institutionTimeZone)}</dd>
          </div>
          <div>
            <dt>{t('portal.acceptedAt')}</dt>
            <dd>{props.partnership.acceptedAt ? formatDateTime(props.partnership.acceptedAt, props.partnership.institutionTimeZone) : t('partners.notYet')}</dd>
          </div>
          <PartnershipTerms terms={props.partnership} ended />
        </dl>
      </article>
    </li>
  );
}

/** The services the partner may book at this institution, or why there are none yet. */
function AuthorisedServices(props: { institution: PartnerInstitution }) {
  const headingId = () => `institution-${props.institution.id}-services`;
  return (
    <section class="authorised-services" aria-labelledby={headingId()}>
      <h3 id={headingId()}>{t('portal.services.title')}</h3>
      <Show when={props.institution.services.length > 0} fallback={<p class="muted">{t('portal.services.empty')}</p>}>
        <div class="table-wrap">
          <table class="table" aria-labelledby={headingId()}>
            <thead>
              <tr>
                <th scope="col">{t('portal.services.service')}</th>
                <th scope="col">{t('portal.services.duration')}</th>
                <th scope="col">{t('portal.services.price')}</th>
                <th scope="col">{t('portal.services.locations')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.institution.services}>
                {(service) => (
                  <tr data-service-id={service.serviceId}>
                    <th scope="row">{service.name}</th>
                    <td class="cell-number">{t('catalogue.minutes', { n: service.durationMinutes })}</td>
                    <td class="cell-number">{formatMoney(service.priceMinor, service.currency)}</td>
                    <td>
                      <ul class="plain-list">
                        <For each={service.locations}>{(name) => <li>{name}</li>}</For>
                      </ul>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
