/**
 * Add / edit a weekly working-hours rule of a physician: location (only the physician's locations), weekday, start and
 * end (local time of the location, HH:MM), repeat (every week, odd or even ISO weeks) and the validity period (the
 * end is optional). When the server says the change would leave future bookings outside working hours, a
 * confirmation lists them over the form; "Apply anyway" sends the rule again with `confirm: true`.
 */
import { createSignal, For } from 'solid-js';
import { t, timeZone } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { todayInZone } from '../../zoned-time';
import type { CatalogueLocation, ScheduleRuleRow } from './catalogue-data';
import { FormDialog } from './form-dialog';
import { useScheduleSave, type ScheduleFormProps } from './outside-hours';
import { parityLabel, shortTime, weekdayName, WEEK_PARITIES, WEEKDAYS, type WeekParity } from './schedule-format';

const FIELDS = ['locationId', 'weekday', 'startTime', 'endTime', 'weekParity', 'validFrom', 'validTo', 'id', 'physicianId'] as const;

export function RuleForm(props: ScheduleFormProps & {
  physicianId: number;
  rule?: ScheduleRuleRow;
  /** The physician's locations. */
  locations: readonly CatalogueLocation[];
}) {
  const editing = props.rule;
  const firstLocation = props.locations[0];
  const [locationId, setLocationId] = createSignal<number>(editing?.locationId ?? firstLocation?.id ?? 0);
  const [weekday, setWeekday] = createSignal<number>(editing?.weekday ?? 1);
  const [startTime, setStartTime] = createSignal(shortTime(editing?.startTime));
  const [endTime, setEndTime] = createSignal(shortTime(editing?.endTime));
  const [parity, setParity] = createSignal<WeekParity>((editing?.weekParity as WeekParity | undefined) ?? 'every');
  const [validFrom, setValidFrom] = createSignal(editing?.validFrom ?? todayInZone(firstLocation?.timeZone ?? timeZone()));
  const [validTo, setValidTo] = createSignal(editing?.validTo ?? '');

  const { fieldError: fe, dialog, outsideDialog } = useScheduleSave(props, (confirm) => trpc.catalogue.saveRule.mutate({
    id: editing?.id, physicianId: props.physicianId, locationId: locationId(), weekday: weekday(),
    startTime: startTime(), endTime: endTime(), weekParity: parity(),
    validFrom: validFrom(), validTo: validTo() === '' ? null : validTo(), confirm,
  }));
  const location = () => props.locations.find((l) => l.id === locationId());
  const zoneHint = () => t('schedule.form.timesHint', { timeZone: location()?.timeZone ?? timeZone() });

  return (
    <>
      <FormDialog {...dialog} id="rule-form" fields={FIELDS}
        title={editing ? t('schedule.rule.editTitle') : t('schedule.rule.addTitle')}>
        <Field id="rule-location" label={t('schedule.form.location')} error={fe('locationId')}>
          <select {...fieldAria('rule-location', undefined, fe('locationId'))} name="locationId"
            value={String(locationId())} onChange={(e) => setLocationId(Number(e.currentTarget.value))}>
            <For each={props.locations}>
              {(l) => <option value={String(l.id)} selected={l.id === locationId()}>{l.name}</option>}
            </For>
          </select>
        </Field>
        <div class="field-row">
          <Field id="rule-weekday" label={t('schedule.form.weekday')} error={fe('weekday')}>
            <select {...fieldAria('rule-weekday', undefined, fe('weekday'))} name="weekday"
              value={String(weekday())} onChange={(e) => setWeekday(Number(e.currentTarget.value))}>
              <For each={WEEKDAYS}>
                {(d) => <option value={String(d)} selected={d === weekday()}>{weekdayName(d)}</option>}
              </For>
            </select>
          </Field>
          <Field id="rule-parity" label={t('schedule.form.repeat')} hint={t('schedule.form.repeatHint')} error={fe('weekParity')}>
            <select {...fieldAria('rule-parity', t('schedule.form.repeatHint'), fe('weekParity'))} name="weekParity"
              value={parity()} onChange={(e) => setParity(e.currentTarget.value as WeekParity)}>
              <For each={WEEK_PARITIES}>
                {(p) => <option value={p} selected={p === parity()}>{parityLabel(p)}</option>}
              </For>
            </select>
          </Field>
        </div>
        <p id="rule-times-hint" class="field-hint">{zoneHint()}</p>
        <div class="field-row">
          <Field id="rule-start" label={t('schedule.form.start')} error={fe('startTime')}>
            <input {...fieldAria('rule-start', undefined, fe('startTime'))} type="time" name="startTime" required
              aria-describedby={['rule-times-hint', fe('startTime') ? 'rule-start-error' : ''].filter(Boolean).join(' ')}
              value={startTime()} onInput={(e) => setStartTime(e.currentTarget.value)} />
          </Field>
          <Field id="rule-end" label={t('schedule.form.end')} error={fe('endTime')}>
            <input {...fieldAria('rule-end', undefined, fe('endTime'))} type="time" name="endTime" required
              aria-describedby={['rule-times-hint', fe('endTime') ? 'rule-end-error' : ''].filter(Boolean).join(' ')}
              value={endTime()} onInput={(e) => setEndTime(e.currentTarget.value)} />
          </Field>
        </div>
        <div class="field-row">
          <Field id="rule-valid-from" label={t('schedule.form.validFrom')} error={fe('validFrom')}>
            <input {...fieldAria('rule-valid-from', undefined, fe('validFrom'))} type="date" name="validFrom" required
              value={validFrom()} onInput={(e) => setValidFrom(e.currentTarget.value)} />
          </Field>
          <Field id="rule-valid-to" label={t('schedule.form.validTo')} hint={t('schedule.form.validToHint')} error={fe('validTo')}>
            <input {...fieldAria('rule-valid-to', t('schedule.form.validToHint'), fe('validTo'))} type="date" name="validTo"
              value={validTo()} onInput={(e) => setValidTo(e.currentTarget.value)} />
          </Field>
        </div>
      </FormDialog>
      {outsideDialog('rule-outside')}
    </>
  );
}
