/**
 * Add / edit a location of the institution: name, address and IANA time zone (every time at the location — working
 * hours, bookings, emails — is shown in it). Server field errors appear next to their fields. Working hours are local
 * times, so a new time zone can leave future bookings outside them: the server lists those and the change is applied
 * only after "Apply anyway" (the same confirmation as for schedule changes).
 */
import { createMemo, createSignal, For } from 'solid-js';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import type { CatalogueLocation } from './catalogue-data';
import { FormDialog, type SaveFormProps } from './form-dialog';
import { useScheduleSave } from './outside-hours';

const FIELDS = ['name', 'address', 'timeZone', 'id'] as const;

export function LocationForm(props: SaveFormProps & {
  location?: CatalogueLocation;
  timeZones: readonly string[];
  defaultTimeZone: string;
}) {
  const editing = props.location;
  const [name, setName] = createSignal(editing?.name ?? '');
  const [address, setAddress] = createSignal(editing?.address ?? '');
  const [timeZone, setTimeZone] = createSignal(editing?.timeZone ?? props.defaultTimeZone);

  const zones = createMemo(() => {
    const list = [...props.timeZones];
    if (timeZone() && !list.includes(timeZone())) list.push(timeZone());
    return list.sort();
  });

  const { fieldError: fe, dialog, outsideDialog } = useScheduleSave(
    { onClose: props.onClose, onSaved: () => props.onSaved(name().trim()), returnFocus: props.returnFocus },
    (confirm) => trpc.catalogue.saveLocation.mutate({ id: editing?.id, name: name(), address: address(), timeZone: timeZone(), confirm }));

  return (
    <FormDialog {...dialog} id="location-form" fields={FIELDS}
      title={editing ? t('catalogue.location.editTitle') : t('catalogue.location.addTitle')}>
      <Field id="location-name" label={t('catalogue.location.name')} error={fe('name')}>
        <input {...fieldAria('location-name', undefined, fe('name'))} type="text" name="name" autocomplete="off"
          required maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id="location-address" label={t('catalogue.location.address')} error={fe('address')}>
        <input {...fieldAria('location-address', undefined, fe('address'))} type="text" name="address" autocomplete="off"
          required maxLength={300} value={address()} onInput={(e) => setAddress(e.currentTarget.value)} />
      </Field>
      <Field id="location-time-zone" label={t('catalogue.location.timeZone')} hint={t('catalogue.location.timeZoneHint')} error={fe('timeZone')}>
        <select {...fieldAria('location-time-zone', t('catalogue.location.timeZoneHint'), fe('timeZone'))} name="timeZone"
          value={timeZone()} onChange={(e) => setTimeZone(e.currentTarget.value)}>
          <For each={zones()}>{(zone) => <option value={zone} selected={zone === timeZone()}>{zone}</option>}</For>
        </select>
      </Field>
      {outsideDialog('location-outside-hours')}
    </FormDialog>
  );
}
