/**
 * The leave guard of every form with unsaved input: while `dirty()` holds, leaving for another page of the app (a menu
 * item, a link, Back) first asks "Leave without saving?" in the app's own dialog, and reloading or closing the tab
 * makes the browser ask. A form in a dialog also asks before its Cancel / Escape throws the input away
 * (`confirmDiscard`). Signing in again after the session ended is never held up, and neither is the page a form opens
 * after saving (`leaveSaved`).
 *
 *   const guard = useLeaveGuard(() => changed());
 *   …
 *   <LeaveGuardDialog guard={guard} />
 */
import { createEffect, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { useBeforeLeave, type BeforeLeaveEventArgs } from '@solidjs/router';
import { t } from '../i18n';
import { ConfirmDialog } from './confirm-dialog';

let passing = false;

/** Runs a navigation past every leave guard: what the form held has just been saved, nothing is lost. */
export function leaveSaved(navigate: () => void): void {
  passing = true;
  try {
    navigate();
  } finally {
    passing = false;
  }
}

/** What a form's values were when it opened, compared by value (objects and arrays included). */
export function sameValues(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * What the controls of a form hold, as one string: for forms whose values live in many places (the catalogue's
 * dialogs), compare it with the string taken when the form opened.
 */
export function formSnapshot(form: HTMLFormElement): string {
  return JSON.stringify(Array.from(form.elements).map((el) => {
    if (el instanceof HTMLInputElement) return el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value;
    if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return el.value;
    return null;
  }));
}

export interface LeaveGuard {
  /** The step the user is asked about, while the dialog is open. */
  asking: () => boolean;
  /** Runs `action` at once when nothing is unsaved, else after the user confirms losing the input. */
  confirmDiscard: (action: () => void) => void;
  /** The user confirmed: go on with what was held up. */
  proceed: () => void;
  /** The user stays: back to the form. */
  stay: () => void;
}

export function useLeaveGuard(dirty: () => boolean): LeaveGuard {
  const [held, setHeld] = createSignal<(() => void) | null>(null);

  // Reloading or closing the tab with unsaved input: the browser asks (its own words; browsers allow no others).
  createEffect(() => {
    if (!dirty()) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    onCleanup(() => window.removeEventListener('beforeunload', warn));
  });

  // Leaving for another page of the app: our own dialog asks.
  useBeforeLeave((event: BeforeLeaveEventArgs) => {
    if (passing || !dirty() || event.defaultPrevented) return;
    if (typeof event.to === 'string') {
      const target = new URL(event.to, window.location.origin).pathname;
      if (target === event.from.pathname || target === '/sign-in') return;
    }
    event.preventDefault();
    setHeld(() => () => event.retry(true));
  });

  return {
    asking: () => held() !== null,
    confirmDiscard: (action) => {
      if (dirty()) setHeld(() => action);
      else action();
    },
    proceed: () => {
      const action = held();
      setHeld(null);
      action?.();
    },
    stay: () => setHeld(null),
  };
}

/**
 * The question of a leave guard ("Discard unsaved changes?"), shown while it holds a step up. A page may say more
 * precisely what would be lost (its own title, text and button).
 */
export function LeaveGuardDialog(props: { guard: LeaveGuard; id?: string; title?: string; text?: JSX.Element; confirmLabel?: string }) {
  return (
    <Show when={props.guard.asking()}>
      <ConfirmDialog id={props.id ?? 'leave-guard'} title={props.title ?? t('leaveGuard.title')}
        confirmLabel={props.confirmLabel ?? t('leaveGuard.confirm')}
        danger pending={false} error={null} onConfirm={() => props.guard.proceed()} onClose={() => props.guard.stay()}>
        <p>{props.text ?? t('leaveGuard.text')}</p>
      </ConfirmDialog>
    </Show>
  );
}
