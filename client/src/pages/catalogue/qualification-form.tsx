/** Add / edit a qualification (e.g. Cardiology): physicians have qualifications, and each service needs one. */
import { createSignal } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { refreshCatalogue, type CatalogueQualification } from './catalogue-data';
import { fieldErrorOf, FormDialog } from './form-dialog';

const FIELDS = ['name', 'id'] as const;

export function QualificationForm(props: {
  qualification?: CatalogueQualification;
  onClose: () => void;
  onSaved: (name: string) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  const editing = props.qualification;
  const [name, setName] = createSignal(editing?.name ?? '');

  const save = useMutation(() => ({
    mutationFn: () => trpc.catalogue.saveQualification.mutate({ id: editing?.id, name: name() }),
    onSuccess: async () => {
      await refreshCatalogue();
      props.onSaved(name().trim());
      props.onClose();
    },
  }));
  const fe = (field: string) => fieldErrorOf(save.error, field);

  return (
    <FormDialog id="qualification-form"
      title={editing ? t('catalogue.qualification.editTitle') : t('catalogue.qualification.addTitle')}
      fields={FIELDS} pending={save.isPending} error={save.error} onSubmit={() => save.mutate()}
      onClose={props.onClose} returnFocus={props.returnFocus}>
      <Field id="qualification-name" label={t('catalogue.qualification.name')} error={fe('name')}>
        <input {...fieldAria('qualification-name', undefined, fe('name'))} type="text" name="name" autocomplete="off"
          required maxLength={120} value={name()} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
    </FormDialog>
  );
}
