/**
 * Confirmation before deactivating a user: names the user and says that their open sessions end at once. The safe
 * choice (Cancel) has the focus; the action shows "Saving…" while it runs, and its error stays in the dialog.
 */
import { Show } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { queryClient, toUiError, trpc } from '../../trpc';
import { Modal } from '../../ui/modal';
import { Notice } from '../../ui/states';
import { USERS_QUERY_KEY, type UserRow } from './users-data';

export function DeactivateDialog(props: {
  user: UserRow;
  onClose: () => void;
  onDone: (notice: () => string) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}) {
  let cancelButton!: HTMLButtonElement;
  const name = props.user.name;

  const deactivate = useMutation(() => ({
    mutationFn: () => trpc.users.deactivate.mutate({ userId: props.user.id }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
      props.onDone(() => t('users.notice.deactivated', { name }));
      props.onClose();
    },
  }));

  return (
    <Modal role="alertdialog" labelledBy="deactivate-title" describedBy="deactivate-text"
      onClose={props.onClose} initialFocus={() => cancelButton} returnFocus={props.returnFocus}>
      <div class="dialog-form">
        <h2 id="deactivate-title">{t('users.confirm.title')}</h2>
        <p id="deactivate-text">{t('users.confirm.text', { name })}</p>
        <Show when={deactivate.error}>
          {(err) => <Notice tone="error">{toUiError(err()).message}</Notice>}
        </Show>
        <div class="form-actions">
          <button type="button" class="button button-danger" disabled={deactivate.isPending}
            onClick={() => deactivate.mutate()}>
            {deactivate.isPending ? t('common.saving') : t('users.action.deactivate')}
          </button>
          <button type="button" class="button" ref={cancelButton} onClick={() => props.onClose()}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
