/**
 * The booking dialog opened from a free slot: where and when (the location's clock), the service (those bookable in
 * this column; the slot's length follows the service), its price and where the patient pays, and the patient — found
 * among the institution's patients (only with access to patient data; a search, never a list) or entered as a new
 * patient. One idempotency key per opened dialog makes a retried or double-clicked Confirm create one booking only.
 * Institution staff record the booking as a Phone booking or as phoned in by one of their partners.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { errorKey, formMessage, queryClient, toUiError, trpc } from '../../trpc';
import { Field, fieldAria, focusFirstInvalid } from '../../ui/field';
import { Modal } from '../../ui/modal';
import { Notice } from '../../ui/states';
import { createPatientQuery, MIN_QUERY_LENGTH, PatientSearchResults } from '../patients/patient-search';
import { BOOKINGS_QUERY_KEY, type CalendarColumn, type FreeSlot, type PatientHit, type PatientInput } from './booking-api';
import { formatAppointment, formatPrice, paymentLocationText, zoneName } from './booking-format';
import { differsFromBrowser, minutesBetween } from './booking-time';

export interface ServiceChoice { id: number; name: string; durationMinutes: number; priceMinor?: number; currency?: string }

export interface BookingDialogProps {
  side: 'partner' | 'institution';
  column: CalendarColumn;
  slot: FreeSlot;
  /** The services of the column's serviceIds, with their details. */
  services: ServiceChoice[];
  preferredServiceId: number | null;
  /** Partner side: the partnership's terms. */
  patientDataAccess: boolean;
  paymentLocation: 'partner' | 'institution' | null;
  /** Institution side: the partners a booking can be attributed to. */
  partners?: { partnershipId: number; name: string; paymentLocation?: 'partner' | 'institution' }[];
  onClose: () => void;
  onBooked: (bookingId: number, summary: string) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

const PATIENT_FIELDS = ['patient.name', 'patient.birthDate', 'patient.phone', 'patient.email', 'patient.nationalId'] as const;
const FORM_FIELDS = [...PATIENT_FIELDS, 'serviceId', 'source'] as const;

function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

export function BookingDialog(props: BookingDialogProps) {
  // One key for everything this dialog sends: a retry of the same booking is recognised by the server.
  const idempotencyKey = newIdempotencyKey();
  const slotMinutes = minutesBetween(props.slot.startsAt, props.slot.endsAt);
  const initialService = props.services.find((s) => s.id === props.preferredServiceId)
    ?? props.services.find((s) => s.durationMinutes === slotMinutes) ?? props.services[0];
  const [serviceId, setServiceId] = createSignal<number | null>(initialService?.id ?? null);
  const service = createMemo(() => props.services.find((s) => s.id === serviceId()) ?? null);

  const [tab, setTab] = createSignal<'search' | 'new'>(props.patientDataAccess ? 'search' : 'new');
  const [picked, setPicked] = createSignal<PatientHit | null>(null);
  const [name, setName] = createSignal('');
  const [birthDate, setBirthDate] = createSignal('');
  const [phone, setPhone] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [nationalId, setNationalId] = createSignal('');
  const [source, setSource] = createSignal<string>('phone');
  const [slotGone, setSlotGone] = createSignal(false);
  const [localError, setLocalError] = createSignal<string | null>(null);
  let form!: HTMLFormElement;
  let messageBox!: HTMLDivElement;

  const patient = (): PatientInput | null => {
    if (tab() === 'search') {
      const p = picked();
      return p ? { kind: 'existing', patientId: p.id, ref: p.ref } : null;
    }
    return {
      kind: 'new', name: name(), birthDate: birthDate(), phone: phone(),
      email: email().trim() || undefined, nationalId: nationalId().trim() || undefined,
    };
  };

  const create = useMutation(() => ({
    mutationFn: async () => {
      const p = patient()!;
      const base = {
        locationId: props.column.locationId, physicianId: props.column.physicianId, serviceId: serviceId()!,
        startsAt: props.slot.startsAt, patient: p, idempotencyKey,
      };
      if (props.side === 'partner') return trpc.bookings.create.mutate({ institutionId: props.column.institutionId, ...base });
      const s = source();
      return trpc.bookings.createForInstitution.mutate({
        ...base, source: s === 'phone' ? { kind: 'phone' } : { kind: 'partner', partnershipId: Number(s) },
      });
    },
    onSuccess: async (result) => {
      const summary = t('booking.notice.booked', {
        when: formatAppointment(props.slot.startsAt, props.column.timeZone), physician: props.column.physicianName,
      });
      await queryClient.invalidateQueries({ queryKey: BOOKINGS_QUERY_KEY });
      props.onBooked(result.bookingId, summary);
    },
    onError: (err) => {
      const key = errorKey(err);
      if (key === 'bookings.slot_taken' || key === 'bookings.not_free' || key === 'bookings.in_past') {
        setSlotGone(true);
        void queryClient.invalidateQueries({ queryKey: [...BOOKINGS_QUERY_KEY, 'calendar'] });
      }
      focusFirstInvalid(form, messageBox);
    },
  }));

  const error = () => (create.error ? toUiError(create.error) : null);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) => error()?.fieldErrors[field];

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (create.isPending || slotGone()) return;
    if (serviceId() === null) { setLocalError(t('booking.dialog.chooseService')); messageBox.focus(); return; }
    if (!patient()) { setLocalError(t('booking.dialog.choosePatient')); messageBox.focus(); return; }
    setLocalError(null);
    create.mutate();
  };

  /** Where the patient pays: the partnership's rule (a phoned-in partner booking follows that partner's). */
  const paymentLocation = () => {
    if (props.side === 'partner') return props.paymentLocation;
    const s = source();
    if (s === 'phone') return 'institution';
    return props.partners?.find((p) => String(p.partnershipId) === s)?.paymentLocation ?? 'institution';
  };

  const where = () => [props.column.institutionName, props.column.locationName].join(' · ');

  return (
    <Modal labelledBy="booking-dialog-title" onClose={props.onClose} returnFocus={props.returnFocus} class="modal-wide">
      <form ref={form} class="form dialog-form booking-dialog" onSubmit={submit} noValidate aria-busy={create.isPending}>
        <h2 id="booking-dialog-title">{t('booking.dialog.title')}</h2>

        <dl class="detail-list booking-summary">
          <div><dt>{t('booking.field.institution')}</dt><dd>{props.column.institutionName}</dd></div>
          <div><dt>{t('booking.field.location')}</dt><dd>{props.column.locationName}</dd></div>
          <div><dt>{t('booking.field.physician')}</dt><dd>{props.column.physicianName}</dd></div>
          <div>
            <dt>{t('booking.field.when')}</dt>
            <dd>
              {formatAppointment(props.slot.startsAt, props.column.timeZone)}
              <Show when={differsFromBrowser(props.column.timeZone)}>
                <span class="cell-note">{t('booking.calendar.zone', { zone: zoneName(props.column.timeZone) })}</span>
              </Show>
            </dd>
          </div>
        </dl>

        <div ref={messageBox} tabindex="-1" class="form-error-box">
          <Show when={localError()}>{(m) => <Notice tone="error">{m()}</Notice>}</Show>
          <Show when={error()}>
            {(e) => (
              <Notice tone="error">
                {formMessage(e(), FORM_FIELDS)}
                <Show when={slotGone()}> {t('booking.dialog.slotGone')}</Show>
              </Notice>
            )}
          </Show>
        </div>

        <Field id="booking-service" label={t('booking.field.service')} error={fieldError('serviceId')}>
          <select {...fieldAria('booking-service', undefined, fieldError('serviceId'))} name="serviceId"
            onChange={(e) => setServiceId(Number(e.currentTarget.value))}>
            <For each={props.services}>
              {(s) => (
                <option value={s.id} selected={s.id === serviceId()}>
                  {t('booking.dialog.serviceOption', { name: s.name, minutes: s.durationMinutes })}
                </option>
              )}
            </For>
          </select>
        </Field>
        <Show when={service()}>
          {(s) => (
            <dl class="detail-list">
              <Show when={s().priceMinor !== undefined && s().currency}>
                <div><dt>{t('booking.field.price')}</dt><dd>{formatPrice(s().priceMinor!, s().currency!)}</dd></div>
              </Show>
              <div><dt>{t('booking.field.payment')}</dt><dd>{paymentLocationText(paymentLocation())}</dd></div>
              <Show when={s().durationMinutes > slotMinutes}>
                <div><dt /><dd class="muted">{t('booking.dialog.longerThanSlot', { minutes: s().durationMinutes })}</dd></div>
              </Show>
            </dl>
          )}
        </Show>

        <Show when={props.side === 'institution'}>
          <Field id="booking-source" label={t('booking.field.source')} hint={t('booking.dialog.sourceHint')} error={fieldError('source')}>
            <select {...fieldAria('booking-source', t('booking.dialog.sourceHint'), fieldError('source'))} name="source"
              onChange={(e) => setSource(e.currentTarget.value)}>
              <option value="phone" selected={source() === 'phone'}>{t('booking.source.phone')}</option>
              <For each={props.partners ?? []}>
                {(p) => (
                  <option value={String(p.partnershipId)} selected={source() === String(p.partnershipId)}>
                    {t('booking.source.phonedInBy', { partner: p.name })}
                  </option>
                )}
              </For>
            </select>
          </Field>
        </Show>

        <fieldset class="fieldset patient-fieldset">
          <legend>{t('booking.field.patient')}</legend>
          <div class="tabs" role="tablist" aria-label={t('booking.field.patient')}>
            <Show when={props.patientDataAccess}>
              <button type="button" role="tab" class="tab" id="patient-tab-search" aria-controls="patient-panel-search"
                aria-selected={tab() === 'search' ? 'true' : 'false'} onClick={() => setTab('search')}>
                {t('booking.patient.searchTab')}
              </button>
            </Show>
            <button type="button" role="tab" class="tab" id="patient-tab-new" aria-controls="patient-panel-new"
              aria-selected={tab() === 'new' ? 'true' : 'false'} onClick={() => setTab('new')}>
              {t('booking.patient.newTab')}
            </button>
          </div>
          <Show when={!props.patientDataAccess}>
            <p class="muted">{t('booking.patient.noAccess')}</p>
          </Show>

          <Show when={tab() === 'search'}>
            <div role="tabpanel" id="patient-panel-search" aria-labelledby="patient-tab-search">
              <PatientSearch institutionId={props.column.institutionId} picked={picked()} onPick={setPicked} />
            </div>
          </Show>
          <Show when={tab() === 'new'}>
            <div role="tabpanel" id="patient-panel-new" aria-labelledby="patient-tab-new" class="form">
              <Field id="patient-name" label={t('booking.patient.name')} error={fieldError('patient.name')}>
                <input {...fieldAria('patient-name', undefined, fieldError('patient.name'))} type="text" autocomplete="off"
                  required maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
              </Field>
              <div class="field-row">
                <Field id="patient-birth-date" label={t('booking.patient.birthDate')} error={fieldError('patient.birthDate')}>
                  <input {...fieldAria('patient-birth-date', undefined, fieldError('patient.birthDate'))} type="date" required
                    value={birthDate()} onInput={(e) => setBirthDate(e.currentTarget.value)} />
                </Field>
                <Field id="patient-phone" label={t('booking.patient.phone')} error={fieldError('patient.phone')}>
                  <input {...fieldAria('patient-phone', undefined, fieldError('patient.phone'))} type="tel" autocomplete="off"
                    required maxLength={32} value={phone()} onInput={(e) => setPhone(e.currentTarget.value)} />
                </Field>
              </div>
              <div class="field-row">
                <Field id="patient-email" label={t('booking.patient.email')} hint={t('booking.patient.emailHint')} error={fieldError('patient.email')}>
                  <input {...fieldAria('patient-email', t('booking.patient.emailHint'), fieldError('patient.email'))} type="email"
                    autocomplete="off" maxLength={254} value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
                </Field>
                <Field id="patient-national-id" label={t('booking.patient.nationalId')} hint={t('booking.patient.optional')} error={fieldError('patient.nationalId')}>
                  <input {...fieldAria('patient-national-id', t('booking.patient.optional'), fieldError('patient.nationalId'))} type="text"
                    inputMode="numeric" autocomplete="off" maxLength={32} value={nationalId()} onInput={(e) => setNationalId(e.currentTarget.value)} />
                </Field>
              </div>
            </div>
          </Show>
        </fieldset>

        <div class="form-actions">
          <Show when={!slotGone()} fallback={
            <button type="button" class="button button-primary" onClick={() => props.onClose()}>{t('booking.dialog.chooseOther')}</button>
          }>
            <button type="submit" class="button button-primary" disabled={create.isPending} aria-busy={create.isPending}>
              {create.isPending ? t('booking.dialog.confirming') : t('booking.dialog.confirm')}
            </button>
            <button type="button" class="button" onClick={() => props.onClose()}>{t('common.cancel')}</button>
          </Show>
        </div>
        <p class="visually-hidden" aria-live="polite">{where()}</p>
      </form>
    </Modal>
  );
}

/** Searches the institution's patients (at least 3 characters, at most 10 results); it never lists them. */
function PatientSearch(props: { institutionId: number; picked: PatientHit | null; onPick: (p: PatientHit | null) => void }) {
  const { text, setText, query, searchable } = createPatientQuery();
  const search = useQuery(() => ({
    queryKey: [...BOOKINGS_QUERY_KEY, 'patients', props.institutionId, query()],
    queryFn: () => trpc.bookings.searchPatients.query({ institutionId: props.institutionId, query: query() }),
    enabled: searchable(),
    staleTime: 30_000,
    retry: false,
  }));
  const typed = () => text().trim().length;

  return (
    <div class="patient-search">
      <Field id="patient-query" label={t('booking.patient.search')} hint={t('booking.patient.searchHint')}>
        <input {...fieldAria('patient-query', t('booking.patient.searchHint'))} type="search" autocomplete="off" maxLength={100}
          value={text()} onInput={(e) => setText(e.currentTarget.value)} />
      </Field>
      <PatientSearchResults query={query()} search={search}
        idle={<Show when={typed() > 0 && typed() < MIN_QUERY_LENGTH}><p class="muted">{t('bookings.search_too_short')}</p></Show>}
        noResults={t('booking.patient.noResults')} resultCount={(count) => t('booking.patient.resultCount', { count })}
        list={{ class: 'choice-list', role: 'radiogroup', label: t('booking.patient.results') }}>
        {(p) => (
          <li class="choice">
            <input type="radio" name="patient-hit" id={`patient-hit-${p.id}`} checked={props.picked?.id === p.id}
              onChange={() => props.onPick(p)} />
            <label for={`patient-hit-${p.id}`}>
              {p.name} · {t('booking.patient.born', { year: p.birthYear })}
              <Show when={p.nationalIdMasked}> · {p.nationalIdMasked}</Show>
            </label>
          </li>
        )}
      </PatientSearchResults>
    </div>
  );
}
