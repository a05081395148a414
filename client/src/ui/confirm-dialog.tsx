/**
 * A confirmation in the app's own alertdialog (never window.confirm): a title, a text that names what is affected,
 * the action and Cancel. Cancel, the safe choice, has the focus; the action shows its progress label while it runs and
 * its error stays inside the dialog. The caller owns the mutation and closes the dialog when it succeeds.
 */
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import { toUiError } from '../trpc';
import { Modal } from './modal';
import { Notice } from './states';

export interface ConfirmDialogProps {
  /** Prefix of the dialog's element ids (unique on the page). */
  id: string;
  title: string;
  /** What the action does, naming the object (read out as the dialog's description). */
  children: JSX.Element;
  confirmLabel: string;
  pendingLabel?: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  /** The action cannot run yet (e.g. its details are still loading). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  let cancelButton!: HTMLButtonElement;
  return (
    <Modal role="alertdialog" labelledBy={`${props.id}-title`} describedBy={`${props.id}-text`}
      onClose={props.onClose} initialFocus={() => cancelButton} returnFocus={props.returnFocus}>
      <div class="dialog-form">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <div id={`${props.id}-text`} class="dialog-text">{props.children}</div>
        <Show when={props.error}>
          {(err) => <Notice tone="error">{toUiError(err()).message}</Notice>}
        </Show>
        <div class="form-actions">
          <button type="button" class={props.danger ? 'button button-danger' : 'button button-primary'}
            disabled={props.pending || props.confirmDisabled} aria-busy={props.pending}
            onClick={() => props.onConfirm()}>
            {props.pending ? props.pendingLabel ?? t('common.saving') : props.confirmLabel}
          </button>
          <button type="button" class="button" id={`${props.id}-cancel`} ref={cancelButton} onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
