/**
 * A labelled form field: <label for> bound to the control's id, an optional hint and the field's error message, both
 * linked to the control with aria-describedby. The control itself is passed as a child and gets its ARIA attributes
 * from fieldAria().
 */
import { Show, type JSX } from 'solid-js';

export function fieldAria(id: string, hint?: string, error?: string) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
  };
}

export function Field(props: { id: string; label: string; hint?: string; error?: string; children: JSX.Element }) {
  return (
    <div class="field" classList={{ 'field-invalid': !!props.error }}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint}><p id={`${props.id}-hint`} class="field-hint">{props.hint}</p></Show>
      <Show when={props.error}><p id={`${props.id}-error`} class="field-error">{props.error}</p></Show>
    </div>
  );
}

/**
 * After a failed submit, takes the user to the first field to correct, else to the message above the form (run it
 * after the error has rendered, hence the timeout).
 */
export function focusFirstInvalid(form: HTMLElement | undefined, fallback: HTMLElement | undefined): void {
  setTimeout(() => {
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? fallback)?.focus();
  }, 0);
}
