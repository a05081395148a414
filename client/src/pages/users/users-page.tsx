/**
 * Administration / Admin users (/users): the organisation's administrators list its users and add, edit, deactivate
 * and reactivate them, and resend invitations. Other users see a "no permission" page.
 *
 * Rows are keyed by user id, so a row keeps its buttons (and the keyboard focus) while its data is refreshed.
 */
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatDateTime, t } from '../../i18n';
import { queryClient, toUiError, trpc } from '../../trpc';
import { usersPageTitle } from '../../shell';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { QueryView } from '../../ui/query-view';
import { EmptyState, Notice, type NoticeTone } from '../../ui/states';
import { DeactivateDialog } from './deactivate-dialog';
import { UserForm } from './user-form';
import { USERS_QUERY_KEY, useUsersList, type UserRow } from './users-data';

type Dialog = { kind: 'add' } | { kind: 'edit'; user: UserRow } | { kind: 'deactivate'; user: UserRow };
type RowAction = 'reactivate' | 'resend';

export function UsersPage() {
  const me = useCurrentUser();
  const title = () => usersPageTitle(me());
  return (
    <Show when={me().role === 'admin'} fallback={<ForbiddenPage title={title} />}>
      <UsersAdmin title={title} />
    </Show>
  );
}

function UsersAdmin(props: { title: () => string }) {
  const me = useCurrentUser();
  usePageTitle(props.title);
  const users = useUsersList();
  const list = users.query;

  const [dialog, setDialog] = createSignal<Dialog | null>(null);
  const [notice, setNotice] = createSignal<{ tone: NoticeTone; text: () => string } | null>(null);

  const byId = createMemo(() => new Map((list.data ?? []).map((u) => [u.id, u])));
  const ids = createMemo(() => (list.data ?? []).map((u) => u.id));

  const rowAction = useMutation(() => ({
    mutationFn: async ({ action, user }: { action: RowAction; user: UserRow }) => {
      if (action === 'resend') {
        await trpc.users.resendInvitation.mutate({ userId: user.id });
        users.awaitInvitation(user.id, user.invitation?.sentAt ?? null);
        return () => t('users.notice.resent', { email: user.email });
      }
      const result = await trpc.users.reactivate.mutate({ userId: user.id });
      if (result.status === 'invited') users.awaitInvitation(user.id, null);
      return result.status === 'invited'
        ? () => t('users.notice.reactivatedInvited', { name: user.name, email: user.email })
        : () => t('users.notice.reactivated', { name: user.name });
    },
    onMutate: () => setNotice(null),
    onSuccess: async (text) => {
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
      setNotice({ tone: 'success', text });
    },
    onError: (err) => {
      setNotice({ tone: 'error', text: () => toUiError(err).message });
      // The list may be out of date (e.g. another administrator changed this user).
      void queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
    },
  }));

  const pending = (user: UserRow, action: RowAction) =>
    rowAction.isPending && rowAction.variables?.user.id === user.id && rowAction.variables.action === action;

  /** Where focus goes when a dialog closes and its opener is gone: the user's row, else the page heading. */
  const focusAfterDialog = (userId?: number) => () =>
    (userId !== undefined ? document.querySelector<HTMLElement>(`tr[data-user-id="${userId}"] button`) : null)
    ?? document.getElementById('page-title');

  const openDialog = (next: Dialog) => {
    setNotice(null);
    setDialog(next);
  };
  const closeDialog = () => setDialog(null);
  const showSuccess = (text: () => string) => setNotice({ tone: 'success', text });

  return (
    <section aria-labelledby="page-title" class="users-page">
      <PageHeader
        title={props.title()}
        actions={
          <button type="button" class="button button-primary" onClick={() => openDialog({ kind: 'add' })}>
            {t('users.add')}
          </button>
        }
      />

      <Show when={notice()}>
        {(n) => <Notice tone={n().tone} onDismiss={() => setNotice(null)}>{n().text()}</Notice>}
      </Show>

      <QueryView query={list} loadError={t('users.loadError')}>
        <Switch>
          <Match when={ids().length === 0}>
            <EmptyState>{t('users.empty')}</EmptyState>
          </Match>
          <Match when={true}>
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">{t('users.caption', { organisation: me().organisation.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('users.col.name')}</th>
                    <th scope="col">{t('users.col.email')}</th>
                    <th scope="col">{t('users.col.role')}</th>
                    <th scope="col">{t('users.col.canBook')}</th>
                    <th scope="col">{t('users.col.status')}</th>
                    <th scope="col">{t('users.col.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={ids()}>
                    {(id) => (
                      <Show when={byId().get(id)}>
                        {(user) => (
                          <tr data-user-id={id}>
                            <th scope="row">
                              {user().name}
                              <Show when={user().isSelf}> <span class="muted">{t('users.you')}</span></Show>
                            </th>
                            <td class="cell-email">{user().email}</td>
                            <td>{user().role === 'admin' ? t('users.role.admin') : t('users.role.staff')}</td>
                            <td>{user().canBookPartner ? t('common.yes') : t('common.no')}</td>
                            <td>
                              <span class={`badge badge-${user().status}`}>{t(`users.status.${user().status}`)}</span>
                              <Show when={user().status === 'invited'}>
                                <Show when={!users.sending(user()) && user().invitation}
                                  fallback={
                                    <span class="cell-note" role="status">
                                      {users.sending(user()) ? t('users.invitationSending') : t('users.invitationMissing')}
                                    </span>
                                  }>
                                  {(inv) => (
                                    <span class="cell-note">
                                      {t('users.invitationInfo', { sent: formatDateTime(inv().sentAt), expires: formatDateTime(inv().expiresAt) })}
                                    </span>
                                  )}
                                </Show>
                              </Show>
                            </td>
                            <td>
                              <div class="row-actions">
                                <button type="button" class="button button-small"
                                  onClick={() => openDialog({ kind: 'edit', user: user() })}>
                                  {t('users.action.edit')}
                                </button>
                                <Show when={user().status !== 'deactivated' && !user().isSelf}>
                                  <button type="button" class="button button-small button-danger-quiet"
                                    onClick={() => openDialog({ kind: 'deactivate', user: user() })}>
                                    {t('users.action.deactivate')}
                                  </button>
                                </Show>
                                <Show when={user().status === 'deactivated'}>
                                  <button type="button" class="button button-small" disabled={rowAction.isPending}
                                    aria-busy={pending(user(), 'reactivate')}
                                    onClick={() => rowAction.mutate({ action: 'reactivate', user: user() })}>
                                    {pending(user(), 'reactivate') ? t('common.saving') : t('users.action.reactivate')}
                                  </button>
                                </Show>
                                <Show when={user().status === 'invited'}>
                                  <button type="button" class="button button-small" disabled={rowAction.isPending}
                                    aria-busy={pending(user(), 'resend')}
                                    onClick={() => rowAction.mutate({ action: 'resend', user: user() })}>
                                    {pending(user(), 'resend') ? t('common.saving') : t('users.action.resend')}
                                  </button>
                                </Show>
                              </div>
                            </td>
                          </tr>
                        )}
                      </Show>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Match>
        </Switch>
      </QueryView>

      <Switch>
        <Match when={dialog()?.kind === 'add'}>
          <UserForm onClose={closeDialog} onSaved={showSuccess} returnFocus={focusAfterDialog()}
            onInvited={(userId) => users.awaitInvitation(userId, null)} />
        </Match>
        <Match when={(() => { const d = dialog(); return d?.kind === 'edit' ? d.user : null; })()}>
          {(user) => (
            <UserForm user={user()} onClose={closeDialog} onSaved={showSuccess} returnFocus={focusAfterDialog(user().id)} />
          )}
        </Match>
        <Match when={(() => { const d = dialog(); return d?.kind === 'deactivate' ? d.user : null; })()}>
          {(user) => (
            <DeactivateDialog user={user()} onClose={closeDialog} onDone={showSuccess} returnFocus={focusAfterDialog(user().id)} />
          )}
        </Match>
      </Switch>
    </section>
  );
}
