/**
 * My institutions (/institutions): the institutions this organisation is an active partner of, each with what it
 * granted (locations with addresses, commission, payment location, access to patient data) and since when. Read-only:
 * only the institution changes these settings.
 */
import { For, Match, Switch } from 'solid-js';
import { formatDateTime, t } from '../../i18n';
import { toUiError } from '../../trpc';
import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, ErrorState, Loading } from '../../ui/states';
import { PartnershipTerms } from './partnership-terms';
import { useInstitutions } from './portal-data';

export function InstitutionsPage() {
  const title = () => t('nav.institutions');
  usePageTitle(title);
  const institutions = useInstitutions();

  return (
    <section aria-labelledby="page-title" class="portal-page">
      <PageHeader title={title()} />
      <p class="lead">{t('portal.institutions.intro')}</p>
      <Switch>
        <Match when={institutions.isPending}>
          <Loading />
        </Match>
        <Match when={institutions.isError && !institutions.data}>
          <ErrorState message={t('portal.institutions.loadError')} detail={toUiError(institutions.error).message}
            onRetry={() => void institutions.refetch()} retrying={institutions.isFetching} />
        </Match>
        <Match when={(institutions.data ?? []).length === 0}>
          <EmptyState>{t('portal.institutions.empty')}</EmptyState>
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
                  </article>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
