/**
 * Add / edit a service (examination): qualification, name, duration in minutes, price (typed as text, e.g. "250.00";
 * the server parses it into minor units), currency (the institution's by default) and the cancellation window in
 * hours. Numbers the user leaves empty or mistypes reach the server as invalid and come back as field errors.
 */
import { createSignal, For } from 'solid-js';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { minorToInput } from '../partners/partner-format';
import type { CatalogueOverview, CatalogueService } from './catalogue-data';
import { FormDialog, useSaveForm, type SaveFormProps } from './form-dialog';

const FIELDS = ['qualificationId', 'name', 'durationMinutes', 'price', 'currency', 'cancellationWindowHours', 'id'] as const;
const DEFAULT_CANCELLATION_HOURS = 24;

/** A whole number typed by the user; anything else is sent as NaN (null on the wire), which the server refuses. */
function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function ServiceForm(props: SaveFormProps & { service?: CatalogueService; overview: CatalogueOverview }) {
  const editing = props.service;
  const [qualificationId, setQualificationId] = createSignal<number>(editing?.qualificationId ?? props.overview.qualifications[0]?.id ?? 0);
  const [name, setName] = createSignal(editing?.name ?? '');
  const [duration, setDuration] = createSignal(editing ? String(editing.durationMinutes) : '');
  const [price, setPrice] = createSignal(editing ? minorToInput(editing.priceMinor) : '');
  const [currency, setCurrency] = createSignal(editing?.currency ?? props.overview.currency);
  const [cancellation, setCancellation] = createSignal(String(editing?.cancellationWindowHours ?? DEFAULT_CANCELLATION_HOURS));

  const { fieldError: fe, dialog } = useSaveForm(props,
    () => trpc.catalogue.saveService.mutate({
      id: editing?.id,
      qualificationId: qualificationId(),
      name: name(),
      durationMinutes: wholeNumber(duration()),
      price: price(),
      currency: currency().trim().toUpperCase(),
      cancellationWindowHours: wholeNumber(cancellation()),
    }),
    () => name().trim());

  return (
    <FormDialog {...dialog} id="service-form" fields={FIELDS}
      title={editing ? t('catalogue.service.editTitle') : t('catalogue.service.addTitle')} intro={t('catalogue.service.intro')}>
      <Field id="service-qualification" label={t('catalogue.service.qualification')} error={fe('qualificationId')}>
        <select {...fieldAria('service-qualification', undefined, fe('qualificationId'))} name="qualificationId"
          value={String(qualificationId())} onChange={(e) => setQualificationId(Number(e.currentTarget.value))}>
          <For each={props.overview.qualifications}>
            {(q) => <option value={String(q.id)} selected={q.id === qualificationId()}>{q.name}</option>}
          </For>
        </select>
      </Field>
      <Field id="service-name" label={t('catalogue.service.name')} error={fe('name')}>
        <input {...fieldAria('service-name', undefined, fe('name'))} type="text" name="name" autocomplete="off"
          required maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <div class="field-row">
        <Field id="service-duration" label={t('catalogue.service.duration')} hint={t('catalogue.service.durationHint')} error={fe('durationMinutes')}>
          <input {...fieldAria('service-duration', t('catalogue.service.durationHint'), fe('durationMinutes'))}
            type="number" inputmode="numeric" name="durationMinutes" min="5" max="600" step="1" required
            value={duration()} onInput={(e) => setDuration(e.currentTarget.value)} />
        </Field>
        <Field id="service-cancellation" label={t('catalogue.service.cancellation')} hint={t('catalogue.service.cancellationHint')} error={fe('cancellationWindowHours')}>
          <input {...fieldAria('service-cancellation', t('catalogue.service.cancellationHint'), fe('cancellationWindowHours'))}
            type="number" inputmode="numeric" name="cancellationWindowHours" min="0" max="720" step="1" required
            value={cancellation()} onInput={(e) => setCancellation(e.currentTarget.value)} />
        </Field>
      </div>
      <div class="field-row">
        <Field id="service-price" label={t('catalogue.service.price')} hint={t('catalogue.service.priceHint')} error={fe('price')}>
          <input {...fieldAria('service-price', t('catalogue.service.priceHint'), fe('price'))}
            type="text" inputmode="decimal" name="price" autocomplete="off" required maxLength={16}
            value={price()} onInput={(e) => setPrice(e.currentTarget.value)} />
        </Field>
        <Field id="service-currency" label={t('catalogue.service.currency')} hint={t('catalogue.service.currencyHint')} error={fe('currency')}>
          <input {...fieldAria('service-currency', t('catalogue.service.currencyHint'), fe('currency'))}
            type="text" name="currency" autocomplete="off" required maxLength={3} spellcheck={false}
            value={currency()} onInput={(e) => setCurrency(e.currentTarget.value)} />
        </Field>
      </div>
    </FormDialog>
  );
}
