/**
 * The add/edit user dialog of Administration / Admin users. Adding invites the user (the server emails a link to set
 * a password); editing changes name, role, language and "Can book to partner institution" (the email is fixed).
 * Server field errors appear next to their fields, anything else above the form.
 */
import { createSignal, Show } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { locale, t, type Locale } from '../../i18n';
import { formMessage, queryClient, toUiError, trpc } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { LeaveGuardDialog, sameValues, useLeaveGuard } from '../../ui/leave-guard';
import { Modal } from '../../ui/modal';
import { Notice } from '../../ui/states';
import { USERS_QUERY_KEY, type UserRow } from './users-data';

type Role = 'admin' | 'staff';

export interface UserFormProps {
  /** The user to edit; absent when adding a new one. */
  user?: UserRow;
  onClose: () => void;
  /** Called after the list shows the change, with the confirmation to show on the page. */
  onSaved: (notice: () => string) => void;
  /** Called with the new user's id as soon as it is invited, before the list is read again. */
  onInvited?: (userId: number) => void;
  returnFocus?: () => HTMLElement | null | undefined;
}

const FORM_FIELDS = ['name', 'email', 'role', 'locale', 'canBookPartner'] as const;

export function UserForm(props: UserFormProps) {
  const editing = props.user;
  const [name, setName] = createSignal(editing?.name ?? '');
  const [email, setEmail] = createSignal(editing?.email ?? '');
  const [role, setRole] = createSignal<Role>(editing?.role ?? 'staff');
  const [userLocale, setUserLocale] = createSignal<Locale>(editing?.locale ?? locale());
  const [canBook, setCanBook] = createSignal(editing?.canBookPartner ?? false);
  const current = () => ({ name: name(), email: email(), role: role(), locale: userLocale(), canBook: canBook() });
  const initial = current();
  // Closing the dialog or leaving the page with typed input asks first.
  const guard = useLeaveGuard(() => !sameValues(current(), initial));
  const cancel = () => guard.confirmDiscard(() => props.onClose());

  const save = useMutation(() => ({
    mutationFn: async () => {
      const fields = { name: name(), role: role(), locale: userLocale(), canBookPartner: canBook() };
      if (editing) {
        await trpc.users.update.mutate({ userId: editing.id, ...fields });
        return null;
      }
      return (await trpc.users.create.mutate({ email: email(), ...fields })).id;
    },
    onSuccess: async (createdId) => {
      if (createdId !== null) props.onInvited?.(createdId);
      await queryClient.invalidateQueries({ queryKey: USERS_QUERY_KEY });
      const savedName = name().trim();
      const savedEmail = email().trim().toLowerCase();
      props.onSaved(editing
        ? () => t('users.notice.updated', { name: savedName })
        : () => t('users.notice.invited', { email: savedEmail }));
      props.onClose();
    },
  }));

  const error = () => (save.error ? toUiError(save.error) : null);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) => error()?.fieldErrors[field];

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!save.isPending) save.mutate();
  };

  return (
    <Modal labelledBy="user-form-title" onClose={cancel} returnFocus={props.returnFocus}>
      <form class="form dialog-form" onSubmit={submit} noValidate aria-busy={save.isPending}>
        <h2 id="user-form-title">{editing ? t('users.form.editTitle') : t('users.form.addTitle')}</h2>

        <Show when={error()}>
          {(e) => <Notice tone="error">{formMessage(e(), FORM_FIELDS)}</Notice>}
        </Show>

        <Field id="user-name" label={t('users.form.name')} error={fieldError('name')}>
          <input {...fieldAria('user-name', undefined, fieldError('name'))}
            type="text" name="name" autocomplete="off" required maxLength={200}
            value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>

        <Show
          when={!editing}
          fallback={
            <Field id="user-email" label={t('users.form.email')} hint={t('users.form.emailReadOnly')}>
              <input {...fieldAria('user-email', t('users.form.emailReadOnly'))}
                type="email" name="email" readOnly value={email()} />
            </Field>
          }
        >
          <Field id="user-email" label={t('users.form.email')} hint={t('users.form.emailHint')} error={fieldError('email')}>
            <input {...fieldAria('user-email', t('users.form.emailHint'), fieldError('email'))}
              type="email" name="email" autocomplete="off" required maxLength={254}
              value={email()} onInput={(e) => setEmail(e.currentTarget.value)} />
          </Field>
        </Show>

        <div class="field-row">
          <Field id="user-role" label={t('users.form.role')} error={fieldError('role')}>
            <select {...fieldAria('user-role', undefined, fieldError('role'))} name="role"
              value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="admin" selected={role() === 'admin'}>{t('users.role.admin')}</option>
              <option value="staff" selected={role() === 'staff'}>{t('users.role.staff')}</option>
            </select>
          </Field>
          <Field id="user-locale" label={t('users.form.language')} hint={t('users.form.languageHint')} error={fieldError('locale')}>
            <select {...fieldAria('user-locale', t('users.form.languageHint'), fieldError('locale'))} name="locale"
              value={userLocale()} onChange={(e) => setUserLocale(e.currentTarget.value as Locale)}>
              <option value="en" lang="en" selected={userLocale() === 'en'}>{t('language.en')}</option>
              <option value="ro" lang="ro" selected={userLocale() === 'ro'}>{t('language.ro')}</option>
            </select>
          </Field>
        </div>

        <div class="field field-checkbox" classList={{ 'field-invalid': !!fieldError('canBookPartner') }}>
          <input {...fieldAria('user-can-book', undefined, fieldError('canBookPartner'))}
            type="checkbox" name="canBookPartner"
            checked={canBook()} onChange={(e) => setCanBook(e.currentTarget.checked)} />
          <label for="user-can-book">{t('users.form.canBook')}</label>
          <Show when={fieldError('canBookPartner')}>
            <p id="user-can-book-error" class="field-error">{fieldError('canBookPartner')}</p>
          </Show>
        </div>

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" class="button" onClick={cancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      <LeaveGuardDialog guard={guard} id="user-leave" />
    </Modal>
  );
}
