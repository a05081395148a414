/**
 * A modal dialog on the native <dialog> element: focus moves into it (the first field, or `initialFocus`), Tab stays
 * inside, Escape closes it, and focus returns to the control that opened it (or to `returnFocus` when that control
 * is gone, e.g. its table row was re-rendered). While a modal is open the rest of the page is inert and hidden from
 * assistive technology (`modalOpen()`; the app shell applies it).
 */
import { createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { Portal } from 'solid-js/web';

const [openCount, setOpenCount] = createSignal(0);

/** True while any modal dialog is open. */
export const modalOpen = () => openCount() > 0;

export interface ModalProps {
  /** id of the element that names the dialog (its heading). */
  labelledBy: string;
  /** id of the element that describes it (for confirmations). */
  describedBy?: string;
  role?: 'dialog' | 'alertdialog';
  class?: string;
  onClose: () => void;
  initialFocus?: () => HTMLElement | null | undefined;
  returnFocus?: () => HTMLElement | null | undefined;
  children: JSX.Element;
}

const FOCUSABLE = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href]';

export function Modal(props: ModalProps) {
  let dialog!: HTMLDialogElement;
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  // Read now: the parent's props may no longer be readable once the dialog is being removed.
  const returnFocus = props.returnFocus;
  let closed = false;

  const close = () => {
    if (closed) return;
    props.onClose();
  };

  onMount(() => {
    dialog.showModal();
    // Only after focus has moved into the dialog may the page behind it be hidden from assistive technology.
    const first = props.initialFocus?.() ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    setOpenCount((n) => n + 1);
  });

  onCleanup(() => {
    closed = true;
    setOpenCount((n) => n - 1);
    if (dialog.open) dialog.close();
    setTimeout(() => {
      const target = opener?.isConnected ? opener : returnFocus?.() ?? document.getElementById('main');
      target?.focus();
    }, 0);
  });

  return (
    <Portal>
      <dialog
        ref={dialog}
        class={props.class ? `modal ${props.class}` : 'modal'}
        role={props.role}
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        aria-describedby={props.describedBy}
        onCancel={(event) => { event.preventDefault(); close(); }}
        onClose={close}
      >
        {props.children}
      </dialog>
    </Portal>
  );
}
