/**
 * Add a date exception to a physician's working hours: an absence (the whole day, or only the given times; at one
 * location or all) or extra hours (at one location, start and end required). Like rule changes, an absence that would
 * leave future bookings outside working hours is applied only after the user confirms the listed bookings.
 */
import { createSignal, For, Show } from 'solid-js';
import { t, timeZone } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { todayInZone } from '../../zoned-time';
import type { CatalogueLocation } from './catalogue-data';
import { FormDialog } from './form-dialog';
import { useScheduleSave, type ScheduleFormProps } from './outside-hours';

type Kind = 'absence' | 'extra_hours';
const FIELDS = ['date', 'kind', 'locationId', 'startTime', 'endTime', 'physicianId'] as const;

export function ExceptionForm(props: ScheduleFormProps & {
  physicianId: number;
  /** The physician's locations. */
  locations: readonly CatalogueLocation[];
}) {
  const [date, setDate] = createSignal(todayInZone(props.locations[0]?.timeZone ?? timeZone()));
  const [kind, setKind] = createSignal<Kind>('absence');
  /** '' = all locations (absences only). */
  const [locationId, setLocationId] = createSignal<string>('');
  const [startTime, setStartTime] = createSignal('');
  const [endTime, setEndTime] = createSignal('');

  const chooseKind = (next: Kind) => {
    setKind(next);
    // Extra hours are always at one location.
    if (next === 'extra_hours' && locationId() === '' && props.locations[0]) setLocationId(String(props.locations[0].id));
  };

  const { fieldError: fe, dialog, outsideDialog } = useScheduleSave(props, (confirm) => trpc.catalogue.saveException.mutate({
    physicianId: props.physicianId, date: date(), kind: kind(),
    locationId: locationId() === '' ? null : Number(locationId()),
    startTime: startTime() === '' ? null : startTime(), endTime: endTime() === '' ? null : endTime(), confirm,
  }));
  const timesHint = () => (kind() === 'absence' ? t('schedule.exception.absenceTimesHint') : t('schedule.exception.extraTimesHint'));

  return (
    <>
      <FormDialog {...dialog} id="exception-form" title={t('schedule.exception.addTitle')} fields={FIELDS}>
        <Field id="exception-date" label={t('schedule.exception.date')} error={fe('date')}>
          <input {...fieldAria('exception-date', undefined, fe('date'))} type="date" name="date" required
            value={date()} onInput={(e) => setDate(e.currentTarget.value)} />
        </Field>
        <fieldset class="fieldset" classList={{ 'field-invalid': !!fe('kind') }}
          aria-describedby={fe('kind') ? 'exception-kind-error' : undefined}>
          <legend>{t('schedule.exception.kind')}</legend>
          <ul class="choice-list">
            <For each={['absence', 'extra_hours'] as const}>
              {(k) => (
                <li class="choice">
                  <input id={`exception-kind-${k}`} type="radio" name="kind" value={k}
                    aria-describedby={`exception-kind-${k}-note`} checked={kind() === k} onChange={() => chooseKind(k)} />
                  <label for={`exception-kind-${k}`}>{k === 'absence' ? t('schedule.kind.absence') : t('schedule.kind.extra_hours')}</label>
                  <span id={`exception-kind-${k}-note`} class="choice-note">
                    {k === 'absence' ? t('schedule.exception.absenceNote') : t('schedule.exception.extraNote')}
                  </span>
                </li>
              )}
            </For>
          </ul>
          <Show when={fe('kind')}><p id="exception-kind-error" class="field-error">{fe('kind')}</p></Show>
        </fieldset>
        <Field id="exception-location" label={t('schedule.form.location')} error={fe('locationId')}>
          <select {...fieldAria('exception-location', undefined, fe('locationId'))} name="locationId"
            value={locationId()} onChange={(e) => setLocationId(e.currentTarget.value)}>
            <Show when={kind() === 'absence'}>
              <option value="" selected={locationId() === ''}>{t('schedule.allLocations')}</option>
            </Show>
            <For each={props.locations}>
              {(l) => <option value={String(l.id)} selected={String(l.id) === locationId()}>{l.name}</option>}
            </For>
          </select>
        </Field>
        <p id="exception-times-hint" class="field-hint">{timesHint()}</p>
        <div class="field-row">
          <Field id="exception-start" label={t('schedule.form.start')} error={fe('startTime')}>
            <input {...fieldAria('exception-start', undefined, fe('startTime'))} type="time" name="startTime"
              aria-describedby={['exception-times-hint', fe('startTime') ? 'exception-start-error' : ''].filter(Boolean).join(' ')}
              value={startTime()} onInput={(e) => setStartTime(e.currentTarget.value)} />
          </Field>
          <Field id="exception-end" label={t('schedule.form.end')} error={fe('endTime')}>
            <input {...fieldAria('exception-end', undefined, fe('endTime'))} type="time" name="endTime"
              aria-describedby={['exception-times-hint', fe('endTime') ? 'exception-end-error' : ''].filter(Boolean).join(' ')}
              value={endTime()} onInput={(e) => setEndTime(e.currentTarget.value)} />
          </Field>
        </div>
      </FormDialog>
      {outsideDialog('exception-outside')}
    </>
  );
}
