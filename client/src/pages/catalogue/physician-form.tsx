/**
 * Add / edit a physician: name, qualifications and the locations where the physician works (working hours can only
 * be set at these locations). Each group is a fieldset of checkboxes with its own error.
 */
import { createSignal } from 'solid-js';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import type { CatalogueOverview, CataloguePhysician } from './catalogue-data';
import { CheckGroup, FormDialog, useSaveForm, type SaveFormProps } from './form-dialog';

const FIELDS = ['name', 'qualificationIds', 'locationIds', 'id'] as const;

export function PhysicianForm(props: SaveFormProps & { physician?: CataloguePhysician; overview: CatalogueOverview }) {
  const editing = props.physician;
  const only = <T extends { id: number }>(list: readonly T[]) => (list.length === 1 ? [list[0].id] : []);
  const [name, setName] = createSignal(editing?.name ?? '');
  const [qualificationIds, setQualificationIds] = createSignal<number[]>(editing ? [...editing.qualificationIds] : only(props.overview.qualifications));
  const [locationIds, setLocationIds] = createSignal<number[]>(editing ? [...editing.locationIds] : only(props.overview.locations));

  const { fieldError: fe, dialog } = useSaveForm(props,
    () => trpc.catalogue.savePhysician.mutate({
      id: editing?.id, name: name(), qualificationIds: qualificationIds(), locationIds: locationIds(),
    }),
    () => name().trim());

  return (
    <FormDialog {...dialog} id="physician-form" fields={FIELDS}
      title={editing ? t('catalogue.physician.editTitle') : t('catalogue.physician.addTitle')}>
      <Field id="physician-name" label={t('catalogue.physician.name')} error={fe('name')}>
        <input {...fieldAria('physician-name', undefined, fe('name'))} type="text" name="name" autocomplete="off"
          required maxLength={200} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <CheckGroup id="physician-qualifications" legend={t('catalogue.physician.qualifications')}
        error={fe('qualificationIds')} selected={qualificationIds()} onChange={setQualificationIds}
        options={props.overview.qualifications.map((q) => ({ id: q.id, label: q.name }))}
        emptyText={t('catalogue.physician.noQualifications')} />
      <CheckGroup id="physician-locations" legend={t('catalogue.physician.locations')}
        hint={t('catalogue.physician.locationsHint')} error={fe('locationIds')} selected={locationIds()} onChange={setLocationIds}
        options={props.overview.locations.map((l) => ({ id: l.id, label: l.name, note: l.address }))}
        emptyText={t('catalogue.physician.noLocations')} />
    </FormDialog>
  );
}
