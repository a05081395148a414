/**
 * What an institution grants the partner, as the partner sees it (read-only): the locations it may book (name and
 * address), commission, payment location and access to patient data. Used on the invitation cards and on
 * My institutions, inside a description list.
 */
import { For } from 'solid-js';
import { t } from '../../i18n';
import { formatCommission, paymentLocationLabel, yesNo } from '../partners/partner-format';
import type { PartnerInstitution } from './portal-data';

type Terms = Pick<PartnerInstitution, 'locations' | 'commissionType' | 'commissionValue' | 'commissionCurrency' | 'paymentLocation' | 'patientDataAccess'>;

/** `ended`: the terms an ended partnership had (its locations were granted, they can no longer be booked). */
export function PartnershipTerms(props: { terms: Terms; ended?: boolean }) {
  return (
    <>
      <div>
        <dt>{props.ended ? t('portal.ended.locations') : t('portal.locations')}</dt>
        <dd>
          <ul class="plain-list">
            <For each={props.terms.locations}>
              {(location) => (
                <li>
                  <span class="location-name">{location.name}</span>
                  <span class="cell-note">{location.address}</span>
                </li>
              )}
            </For>
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t('portal.commission')}</dt>
        <dd>{formatCommission(props.terms.commissionType, props.terms.commissionValue, props.terms.commissionCurrency)}</dd>
      </div>
      <div>
        <dt>{t('portal.paymentLocation')}</dt>
        <dd>{paymentLocationLabel(props.terms.paymentLocation)}</dd>
      </div>
      <div>
        <dt>{t('portal.patientDataAccess')}</dt>
        <dd>
          {yesNo(props.terms.patientDataAccess)}
          <span class="cell-note">
            {props.terms.patientDataAccess ? t('partners.form.accessYesHint') : t('partners.form.accessNoHint')}
          </span>
        </dd>
      </div>
    </>
  );
}
