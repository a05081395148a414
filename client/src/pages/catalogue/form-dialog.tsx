/**
 * The frame of every add/edit dialog of Catalogue and schedules: a modal with a heading, the message of a failed save
 * above the fields ("Check the highlighted fields" when every error sits next to a field), the fields, and Save
 * (showing "Saving…") / Cancel. After a failed save the first invalid field gets the focus, else the message.
 * Also the save plumbing of the catalogue's add/edit forms (useSaveForm) and the checkbox group used by these forms
 * (a fieldset with a legend, its error linked to every box).
 */
import { createEffect, createSignal, For, on, onMount, Show, type JSX } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { formMessage, toUiError, type UiError } from '../../trpc';
import { Modal } from '../../ui/modal';
import { focusFirstInvalid } from '../../ui/field';
import { formSnapshot, LeaveGuardDialog, useLeaveGuard } from '../../ui/leave-guard';
import { Notice } from '../../ui/states';
import { refreshCatalogue } from './catalogue-data';

export interface FormDialogProps {
  /** Prefix of the element ids (unique on the page). */
  id: string;
  title: string;
  /** Field names whose server errors are shown next to a field of this form. */
  fields: readonly string[];
  pending: boolean;
  /** The error of the last save attempt, or null. */
  error: unknown;
  onSubmit: () => void;
  onClose: () => void;
  returnFocus?: () => HTMLElement | null | undefined;
  /** Extra text under the heading. */
  intro?: string;
  children: JSX.Element;
}

export function FormDialog(props: FormDialogProps) {
  let form!: HTMLFormElement;
  let errorBox!: HTMLDivElement;
  const uiError = (): UiError | null => (props.error ? toUiError(props.error) : null);

  createEffect(on(() => props.error, (err) => { if (err) focusFirstInvalid(form, errorBox); }, { defer: true }));

  // Cancel, Escape or leaving the page with changed fields asks first.
  let opened = '';
  const [changed, setChanged] = createSignal(false);
  onMount(() => { opened = formSnapshot(form); });
  const recheck = () => setChanged(formSnapshot(form) !== opened);
  const guard = useLeaveGuard(changed);
  const cancel = () => guard.confirmDiscard(() => props.onClose());

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!props.pending) props.onSubmit();
  };

  return (
    <Modal labelledBy={`${props.id}-title`} onClose={cancel} returnFocus={props.returnFocus}>
      <form ref={form} class="form dialog-form" onSubmit={submit} onInput={recheck} onChange={recheck} noValidate
        aria-busy={props.pending}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <Show when={props.intro}><p class="muted">{props.intro}</p></Show>
        <div ref={errorBox} tabindex="-1" class="form-error-box">
          <Show when={uiError()}>
            {(e) => <Notice tone="error">{formMessage(e(), props.fields)}</Notice>}
          </Show>
        </div>
        {props.children}
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={props.pending} aria-busy={props.pending}>
            {props.pending ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" class="button" onClick={cancel}>{t('common.cancel')}</button>
        </div>
      </form>
      <LeaveGuardDialog guard={guard} id={`${props.id}-leave`} />
    </Modal>
  );
}

/** A field's server error of a form's last save attempt. */
export function fieldErrorOf(error: unknown, field: string): string | undefined {
  return error ? toUiError(error).fieldErrors[field] : undefined;
}

/** What the catalogue page gives each of its add/edit forms. */
export interface SaveFormProps {
  onClose: () => void;
  /** Told the name of what was saved. */
  onSaved: (name: string) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

/**
 * Saving a location, qualification, physician or service: `save` sends the form; once it succeeds the catalogue is
 * refreshed, the page is told `savedName()` and the dialog closes. Returns the field errors of the last attempt and
 * the props of FormDialog that follow from the save (spread them: `<FormDialog {...form.dialog} id=… title=…>`).
 */
export function useSaveForm(props: SaveFormProps, save: () => Promise<unknown>, savedName: () => string) {
  const mutation = useMutation(() => ({
    mutationFn: save,
    onSuccess: async () => {
      await refreshCatalogue();
      props.onSaved(savedName());
      props.onClose();
    },
  }));
  return {
    fieldError: (field: string) => fieldErrorOf(mutation.error, field),
    dialog: {
      get pending() { return mutation.isPending; },
      get error() { return mutation.error; },
      onSubmit: () => mutation.mutate(),
      get onClose() { return props.onClose; },
      get returnFocus() { return props.returnFocus; },
    } satisfies Partial<FormDialogProps>,
  };
}

export interface CheckGroupProps {
  id: string;
  legend: string;
  hint?: string;
  error?: string;
  options: readonly { id: number; label: string; note?: string }[];
  selected: readonly number[];
  onChange: (ids: number[]) => void;
  /** Shown instead of the boxes when there is nothing to choose from. */
  emptyText: string;
}

/** A group of checkboxes in a fieldset with a legend; the hint and the error describe the group. */
export function CheckGroup(props: CheckGroupProps) {
  const describedBy = () => [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const toggle = (id: number, checked: boolean) => {
    const rest = props.selected.filter((x) => x !== id);
    props.onChange(checked ? [...rest, id] : rest);
  };
  return (
    <fieldset class="fieldset" classList={{ 'field-invalid': !!props.error }} aria-describedby={describedBy()}>
      <legend>{props.legend}</legend>
      <Show when={props.hint}><p id={`${props.id}-hint`} class="field-hint">{props.hint}</p></Show>
      <Show when={props.options.length > 0} fallback={<p>{props.emptyText}</p>}>
        <ul class="choice-list">
          <For each={props.options}>
            {(option) => {
              const boxId = `${props.id}-${option.id}`;
              return (
                <li class="choice">
                  <input id={boxId} type="checkbox" value={option.id}
                    aria-invalid={props.error ? 'true' : undefined}
                    aria-describedby={option.note ? `${boxId}-note` : undefined}
                    checked={props.selected.includes(option.id)}
                    onChange={(e) => toggle(option.id, e.currentTarget.checked)} />
                  <label for={boxId}>{option.label}</label>
                  <Show when={option.note}><span id={`${boxId}-note`} class="choice-note">{option.note}</span></Show>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <Show when={props.error}><p id={`${props.id}-error`} class="field-error">{props.error}</p></Show>
    </fieldset>
  );
}
