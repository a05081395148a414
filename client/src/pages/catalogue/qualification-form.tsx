/** Add / edit a qualification (e.g. Cardiology): physicians have qualifications, and each service needs one. */
import { createSignal } from 'solid-js';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import type { CatalogueQualification } from './catalogue-data';
import { FormDialog, useSaveForm, type SaveFormProps } from './form-dialog';

const FIELDS = ['name', 'id'] as const;

export function QualificationForm(props: SaveFormProps & { qualification?: CatalogueQualification }) {
  const editing = props.qualification;
  const [name, setName] = createSignal(editing?.name ?? '');

  const { fieldError: fe, dialog } = useSaveForm(props,
    () => trpc.catalogue.saveQualification.mutate({ id: editing?.id, name: name() }),
    () => name().trim());

  return (
    <FormDialog {...dialog} id="qualification-form" fields={FIELDS}
      title={editing ? t('catalogue.qualification.editTitle') : t('catalogue.qualification.addTitle')}>
      <Field id="qualification-name" label={t('catalogue.qualification.name')} error={fe('name')}>
        <input {...fieldAria('qualification-name', undefined, fe('name'))} type="text" name="name" autocomplete="off"
          required maxLength={120} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
    </FormDialog>
  );
}
