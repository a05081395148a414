/**
 * The partner form shared by "Add New Partner" and "Edit partner": company (country, tax number, registration number,
 * name, headquarters address), contact person, the locations the partner may book, commission settlement, payment
 * location and access to patient data.
 *
 * The form only collects text; the server parses and validates it (tax number check digit, percentage, amount) and
 * answers with field errors keyed by input path ('taxNumber', 'commission.percent', 'company.companyName', …), which
 * appear next to their fields. Nothing typed is lost on an error: the values live in this component's store, and the
 * percentage and amount texts are both kept while the user switches the commission type.
 */
import { createEffect, createMemo, For, on, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { A } from '@solidjs/router';
import { intlLocale, t } from '../../i18n';
import { formMessage, toUiError } from '../../trpc';
import { Field, fieldAria, focusFirstInvalid } from '../../ui/field';
import { LeaveGuardDialog, sameValues, useLeaveGuard } from '../../ui/leave-guard';
import { Notice } from '../../ui/states';
import { countryName, type CommissionType, type PaymentLocation } from './partner-format';
import { InvitationPathPreview } from './invitation-path-preview';
import type { FormOptions } from './partners-data';

export interface PartnerFormValues {
  country: string;
  taxNumber: string;
  registrationNumber: string;
  companyName: string;
  address: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  locationIds: number[];
  commissionType: CommissionType;
  percent: string;
  amount: string;
  paymentLocation: PaymentLocation;
  patientDataAccess: boolean;
}

/** The commission as the API takes it: only the text of the chosen type is sent. */
export function commissionInput(values: PartnerFormValues) {
  if (values.commissionType === 'percent') return { type: 'percent' as const, percent: values.percent };
  if (values.commissionType === 'fixed') return { type: 'fixed' as const, amount: values.amount };
  return { type: 'none' as const };
}

/** The partner settings of both create and update (everything except company data and the partnership id). */
export function settingsInput(values: PartnerFormValues) {
  return {
    contactName: values.contactName,
    contactEmail: values.contactEmail,
    contactPhone: values.contactPhone,
    locationIds: values.locationIds,
    commission: commissionInput(values),
    paymentLocation: values.paymentLocation,
    patientDataAccess: values.patientDataAccess,
  };
}

/** Empty values for "Add New Partner": the institution's country; its only location when it has just one. */
export function emptyPartnerValues(options: FormOptions): PartnerFormValues {
  return {
    country: options.defaultCountry ?? options.countries[0] ?? '',
    taxNumber: '', registrationNumber: '', companyName: '', address: '',
    contactName: '', contactEmail: '', contactPhone: '',
    locationIds: options.locations.length === 1 ? [options.locations[0].id] : [],
    commissionType: 'none', percent: '', amount: '',
    paymentLocation: 'institution', patientDataAccess: false,
  };
}

/** Every field name the server may key an error with for this form (anything else is shown above the form). */
const FORM_FIELDS = [
  'country', 'taxNumber', 'registrationNumber', 'companyName', 'address',
  'company.registrationNumber', 'company.companyName', 'company.address',
  'contactName', 'contactEmail', 'contactPhone', 'locationIds',
  'commission', 'commission.type', 'commission.percent', 'commission.amount',
  'paymentLocation', 'patientDataAccess',
] as const;

export interface PartnerFormProps {
  mode: 'create' | 'edit';
  options: FormOptions;
  /** Read once when the form is created; later changes do not overwrite what the user typed. */
  initial: PartnerFormValues;
  /** Whether company name, registration number and address can be changed (not once the partner has users). */
  companyEditable: boolean;
  pending: boolean;
  /** The error of the last save attempt (an API error), or null. */
  error: unknown;
  onSubmit: (values: PartnerFormValues) => void;
  cancelHref: string;
}

export function PartnerForm(props: PartnerFormProps) {
  const initial = comparable(props.initial);
  const [values, setValues] = createStore<PartnerFormValues>({ ...props.initial, locationIds: [...props.initial.locationIds] });
  // Leaving with typed input asks first (the page a successful save opens passes: leaveSaved).
  const guard = useLeaveGuard(() => !sameValues(comparable(values), initial));
  let form!: HTMLFormElement;
  let errorBox!: HTMLDivElement;

  const uiError = createMemo(() => (props.error ? toUiError(props.error) : null));
  /** A field's error; company fields of an update arrive as 'company.<field>'. */
  const fe = (field: string) => {
    const errors = uiError()?.fieldErrors;
    return errors ? errors[field] ?? errors[`company.${field}`] : undefined;
  };
  const commissionTypeError = () => fe('commission') ?? fe('commission.type');

  // After a failed save, take the user to the first field to correct, else to the message above the form.
  createEffect(on(() => props.error, (err) => { if (err) focusFirstInvalid(form, errorBox); }, { defer: true }));

  const countries = createMemo(() => {
    intlLocale(); // re-sort when the language changes
    return [...props.options.countries]
      .map((code) => ({ code, name: countryName(code) }))
      .sort((a, b) => a.name.localeCompare(b.name, intlLocale()));
  });

  const toggleLocation = (id: number, checked: boolean) => {
    setValues('locationIds', (ids) => (checked ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id)));
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (props.pending) return;
    props.onSubmit({ ...values, locationIds: [...values.locationIds] });
  };

  const creating = () => props.mode === 'create';
  const companyHint = () => (props.companyEditable ? undefined : t('partners.form.managedByPartner'));
  const currency = () => props.options.currency;

  return (
    <form ref={form} class="form partner-form" onSubmit={submit} noValidate aria-busy={props.pending}>
      <div ref={errorBox} tabindex="-1" class="form-error-box">
        <Show when={uiError()}>
          {(e) => <Notice tone="error">{formMessage(e(), FORM_FIELDS)}</Notice>}
        </Show>
      </div>

      <section class="form-section" aria-labelledby="partner-company-heading">
        <h2 id="partner-company-heading">{t('partners.form.company')}</h2>
        <p class="muted">{t('partners.form.companyIntro')}</p>
        <div class="field-row">
          <Show
            when={creating()}
            fallback={
              <Field id="partner-country" label={t('partners.form.country')} hint={t('partners.form.fixedAfterCreate')}>
                <input {...fieldAria('partner-country', t('partners.form.fixedAfterCreate'))}
                  type="text" name="country" readOnly value={countryName(values.country)} />
              </Field>
            }
          >
            <Field id="partner-country" label={t('partners.form.country')} error={fe('country')}>
              <select {...fieldAria('partner-country', undefined, fe('country'))} name="country"
                value={values.country} onChange={(e) => setValues('country', e.currentTarget.value)}>
                <For each={countries()}>
                  {(c) => <option value={c.code} selected={c.code === values.country}>{c.name}</option>}
                </For>
              </select>
            </Field>
          </Show>
          <Show
            when={creating()}
            fallback={
              <Field id="partner-tax-number" label={t('partners.form.taxNumber')} hint={t('partners.form.fixedAfterCreate')}>
                <input {...fieldAria('partner-tax-number', t('partners.form.fixedAfterCreate'))}
                  type="text" name="taxNumber" readOnly value={values.taxNumber} />
              </Field>
            }
          >
            <Field id="partner-tax-number" label={t('partners.form.taxNumber')} hint={t('partners.form.taxNumberHint')} error={fe('taxNumber')}>
              <input {...fieldAria('partner-tax-number', t('partners.form.taxNumberHint'), fe('taxNumber'))}
                type="text" name="taxNumber" autocomplete="off" required maxLength={40} spellcheck={false}
                value={values.taxNumber} onInput={(e) => setValues('taxNumber', e.currentTarget.value)} />
            </Field>
          </Show>
        </div>
        <Show when={creating()}>
          <InvitationPathPreview country={values.country} taxNumber={values.taxNumber}
            company={{ companyName: values.companyName, registrationNumber: values.registrationNumber, address: values.address }}
            onUseCompany={(c) => setValues({ companyName: c.name, registrationNumber: c.registrationNumber, address: c.address })} />
        </Show>
        <div class="field-row">
          <Field id="partner-company-name" label={t('partners.form.companyName')} hint={companyHint()} error={fe('companyName')}>
            <input {...fieldAria('partner-company-name', companyHint(), fe('companyName'))}
              type="text" name="companyName" autocomplete="off" required maxLength={200} readOnly={!props.companyEditable}
              value={values.companyName} onInput={(e) => setValues('companyName', e.currentTarget.value)} />
          </Field>
          <Field id="partner-registration-number" label={t('partners.form.registrationNumber')} hint={companyHint()} error={fe('registrationNumber')}>
            <input {...fieldAria('partner-registration-number', companyHint(), fe('registrationNumber'))}
              type="text" name="registrationNumber" autocomplete="off" required maxLength={64} readOnly={!props.companyEditable}
              value={values.registrationNumber} onInput={(e) => setValues('registrationNumber', e.currentTarget.value)} />
          </Field>
        </div>
        <Field id="partner-address" label={t('partners.form.address')} hint={companyHint()} error={fe('address')}>
          <input {...fieldAria('partner-address', companyHint(), fe('address'))}
            type="text" name="address" autocomplete="off" required maxLength={300} readOnly={!props.companyEditable}
            value={values.address} onInput={(e) => setValues('address', e.currentTarget.value)} />
        </Field>
      </section>

      <section class="form-section" aria-labelledby="partner-contact-heading">
        <h2 id="partner-contact-heading">{t('partners.form.contact')}</h2>
        <p class="muted">{t('partners.form.contactIntro')}</p>
        <Field id="partner-contact-name" label={t('partners.form.contactName')} error={fe('contactName')}>
          <input {...fieldAria('partner-contact-name', undefined, fe('contactName'))}
            type="text" name="contactName" autocomplete="off" required maxLength={200}
            value={values.contactName} onInput={(e) => setValues('contactName', e.currentTarget.value)} />
        </Field>
        <div class="field-row">
          <Field id="partner-contact-email" label={t('partners.form.contactEmail')} error={fe('contactEmail')}>
            <input {...fieldAria('partner-contact-email', undefined, fe('contactEmail'))}
              type="email" name="contactEmail" autocomplete="off" required maxLength={254} spellcheck={false}
              value={values.contactEmail} onInput={(e) => setValues('contactEmail', e.currentTarget.value)} />
          </Field>
          <Field id="partner-contact-phone" label={t('partners.form.contactPhone')} error={fe('contactPhone')}>
            <input {...fieldAria('partner-contact-phone', undefined, fe('contactPhone'))}
              type="tel" name="contactPhone" autocomplete="off" required maxLength={32}
              value={values.contactPhone} onInput={(e) => setValues('contactPhone', e.currentTarget.value)} />
          </Field>
        </div>
      </section>

      <section class="form-section" aria-labelledby="partner-settings-heading">
        <h2 id="partner-settings-heading">{t('partners.detail.settings')}</h2>

        <fieldset class="fieldset" classList={{ 'field-invalid': !!fe('locationIds') }}
          aria-describedby={['partner-locations-hint', fe('locationIds') ? 'partner-locations-error' : ''].filter(Boolean).join(' ')}>
          <legend>{t('partners.form.locations')}</legend>
          <p id="partner-locations-hint" class="field-hint">{t('partners.form.locationsHint')}</p>
          <Show when={props.options.locations.length > 0} fallback={<p>{t('partners.form.noLocations')}</p>}>
            <ul class="choice-list">
              <For each={props.options.locations}>
                {(location) => {
                  const id = `partner-location-${location.id}`;
                  return (
                    <li class="choice">
                      <input id={id} type="checkbox" name="locationIds" value={location.id}
                        aria-describedby={`${id}-address`} aria-invalid={fe('locationIds') ? 'true' : undefined}
                        checked={values.locationIds.includes(location.id)}
                        onChange={(e) => toggleLocation(location.id, e.currentTarget.checked)} />
                      <label for={id}>{location.name}</label>
                      <span id={`${id}-address`} class="choice-note">{location.address}</span>
                    </li>
                  );
                }}
              </For>
            </ul>
          </Show>
          <Show when={fe('locationIds')}>
            <p id="partner-locations-error" class="field-error">{fe('locationIds')}</p>
          </Show>
        </fieldset>

        <fieldset class="fieldset" classList={{ 'field-invalid': !!commissionTypeError() }}
          aria-describedby={['partner-commission-hint', commissionTypeError() ? 'partner-commission-error' : ''].filter(Boolean).join(' ')}>
          <legend>{t('partners.form.commission')}</legend>
          <p id="partner-commission-hint" class="field-hint">{t('partners.form.commissionHint')}</p>
          <ul class="choice-list">
            <For each={[
              { value: 'none' as const, label: () => t('partners.form.commissionNone') },
              { value: 'percent' as const, label: () => t('partners.form.commissionPercent') },
              { value: 'fixed' as const, label: () => t('partners.form.commissionFixed') },
            ]}>
              {(option) => (
                <li class="choice">
                  <input id={`partner-commission-type-${option.value}`} type="radio" name="commissionType" value={option.value}
                    aria-invalid={commissionTypeError() ? 'true' : undefined}
                    checked={values.commissionType === option.value}
                    onChange={() => setValues('commissionType', option.value)} />
                  <label for={`partner-commission-type-${option.value}`}>{option.label()}</label>
                </li>
              )}
            </For>
          </ul>
          <Show when={commissionTypeError()}>
            <p id="partner-commission-error" class="field-error">{commissionTypeError()}</p>
          </Show>
          <Show when={values.commissionType === 'percent'}>
            <Field id="partner-commission-percent" label={t('partners.form.commissionPercentInput')}
              hint={t('partners.form.percentExample')} error={fe('commission.percent')}>
              <div class="input-suffix">
                <input {...withSuffix(fieldAria('partner-commission-percent', t('partners.form.percentExample'), fe('commission.percent')))}
                  type="text" inputmode="decimal" name="percent" autocomplete="off" required maxLength={12}
                  value={values.percent} onInput={(e) => setValues('percent', e.currentTarget.value)} />
                <span id="partner-commission-percent-suffix" class="suffix">%</span>
              </div>
            </Field>
          </Show>
          <Show when={values.commissionType === 'fixed'}>
            <Field id="partner-commission-amount" label={t('partners.form.commissionAmountInput')}
              hint={t('partners.form.amountExample')} error={fe('commission.amount')}>
              <div class="input-suffix">
                <input {...withSuffix(fieldAria('partner-commission-amount', t('partners.form.amountExample'), fe('commission.amount')))}
                  type="text" inputmode="decimal" name="amount" autocomplete="off" required maxLength={16}
                  value={values.amount} onInput={(e) => setValues('amount', e.currentTarget.value)} />
                <span id="partner-commission-amount-suffix" class="suffix">{currency()}</span>
              </div>
            </Field>
          </Show>
        </fieldset>

        <fieldset class="fieldset" classList={{ 'field-invalid': !!fe('paymentLocation') }}
          aria-describedby={['partner-payment-hint', fe('paymentLocation') ? 'partner-payment-error' : ''].filter(Boolean).join(' ')}>
          <legend>{t('partners.form.paymentLocation')}</legend>
          <ul class="choice-list">
            <For each={['partner', 'institution'] as const}>
              {(location) => (
                <li class="choice">
                  <input id={`partner-payment-${location}`} type="radio" name="paymentLocation" value={location}
                    aria-invalid={fe('paymentLocation') ? 'true' : undefined}
                    checked={values.paymentLocation === location}
                    onChange={() => setValues('paymentLocation', location)} />
                  <label for={`partner-payment-${location}`}>
                    {location === 'partner' ? t('partners.payment.partner') : t('partners.payment.institution')}
                  </label>
                </li>
              )}
            </For>
          </ul>
          <p id="partner-payment-hint" class="field-hint">{t('partners.form.paymentHint')}</p>
          <Show when={fe('paymentLocation')}>
            <p id="partner-payment-error" class="field-error">{fe('paymentLocation')}</p>
          </Show>
        </fieldset>

        <fieldset class="fieldset" classList={{ 'field-invalid': !!fe('patientDataAccess') }}
          aria-describedby={fe('patientDataAccess') ? 'partner-access-error' : undefined}>
          <legend>{t('partners.form.access')}</legend>
          <ul class="choice-list">
            <For each={[true, false]}>
              {(access) => {
                const id = `partner-access-${access ? 'yes' : 'no'}`;
                return (
                  <li class="choice">
                    <input id={id} type="radio" name="patientDataAccess" value={access ? 'yes' : 'no'}
                      aria-describedby={`${id}-note`} aria-invalid={fe('patientDataAccess') ? 'true' : undefined}
                      checked={values.patientDataAccess === access}
                      onChange={() => setValues('patientDataAccess', access)} />
                    <label for={id}>{access ? t('common.yes') : t('common.no')}</label>
                    <span id={`${id}-note`} class="choice-note">
                      {access ? t('partners.form.accessYesHint') : t('partners.form.accessNoHint')}
                    </span>
                  </li>
                );
              }}
            </For>
          </ul>
          <Show when={fe('patientDataAccess')}>
            <p id="partner-access-error" class="field-error">{fe('patientDataAccess')}</p>
          </Show>
        </fieldset>
      </section>

      <div class="form-footer">
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={props.pending} aria-busy={props.pending}
            aria-describedby="partner-form-note">
            {props.pending ? t('common.saving') : t('common.save')}
          </button>
          <A href={props.cancelHref} class="button">{t('common.cancel')}</A>
        </div>
        <p id="partner-form-note" class="muted">
          {creating() ? t('partners.form.createNote') : t('partners.form.editNote')}
        </p>
      </div>
      <LeaveGuardDialog guard={guard} id="partner-leave" />
    </form>
  );
}

/** The values as the user means them: the order in which locations were ticked does not matter. */
function comparable(values: PartnerFormValues): PartnerFormValues {
  return { ...values, locationIds: [...values.locationIds].sort((a, b) => a - b) };
}

/** Adds the visible unit after a number input (%, RON) to what describes it, so screen readers hear it too. */
function withSuffix<T extends { id: string; 'aria-describedby'?: string }>(aria: T): T {
  const suffix = `${aria.id}-suffix`;
  return { ...aria, 'aria-describedby': [suffix, aria['aria-describedby']].filter(Boolean).join(' ') };
}
