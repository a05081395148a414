/**
 * Set-password page (/set-password?token=...), opened from an invitation email. A valid link shows who the account is
 * for and asks for the new password twice; on success the user goes to the sign-in page with the email prefilled.
 * A link that is expired, used, replaced or unknown gets a full page explaining what to do instead.
 */
import { createEffect, createSignal, onMount, Show } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { adoptUserLocale, formatDateTime, t } from '../i18n';
import { errorKey, formMessage, toUiError, trpc, type RouterOutputs } from '../trpc';
import { INVITATION_UNUSABLE, LinkStatePage, useLinkInspection, type UnusableState } from '../ui/link-state-page';
import { NewPasswordFields } from '../ui/password-fields';
import { Notice } from '../ui/states';

type Inspection = RouterOutputs['auth']['inspectInvitation'];
type Unusable = UnusableState<Inspection>;
interface ValidInvitation { name: string; email: string; organisationName: string; locale: string; expiresAt: string }

function asValid(data: Inspection | undefined): ValidInvitation | null {
  if (!data || data.state !== 'valid' || data.email === undefined) return null;
  return { name: data.name, email: data.email, organisationName: data.organisationName, locale: data.locale, expiresAt: data.expiresAt };
}

const FORM_FIELDS = ['password', 'passwordConfirm'] as const;

export function SetPasswordPage() {
  const link = useLinkInspection(['auth', 'invitation'], (token) => trpc.auth.inspectInvitation.query({ token }));

  createEffect(() => {
    const valid = asValid(link.inspection.data);
    if (valid) adoptUserLocale(valid.locale);
  });

  return (
    <LinkStatePage link={link} title={t('setPassword.title')} checkingLabel={t('setPassword.checking')}
      unusable={INVITATION_UNUSABLE}>
      <Show when={asValid(link.inspection.data)}>
        {(invitation) => <SetPasswordForm token={link.token()} invitation={invitation()} onUnusable={link.setLateState} />}
      </Show>
    </LinkStatePage>
  );
}

function SetPasswordForm(props: { token: string; invitation: ValidInvitation; onUnusable: (state: Unusable) => void }) {
  const navigate = useNavigate();
  const [password, setPassword] = createSignal('');
  const [passwordConfirm, setPasswordConfirm] = createSignal('');
  let firstInput!: HTMLInputElement;
  onMount(() => firstInput.focus());

  const accept = useMutation(() => ({
    mutationFn: () => trpc.auth.acceptInvitation.mutate({ token: props.token, password: password(), passwordConfirm: passwordConfirm() }),
    onSuccess: (result) => {
      navigate(`/sign-in?${new URLSearchParams({ email: result.email, passwordSet: '1' })}`, { replace: true });
    },
    onError: (err) => {
      const key = errorKey(err);
      if (key?.startsWith('invitation.')) props.onUnusable(key.slice('invitation.'.length) as Unusable);
    },
  }));

  const error = () => (accept.error ? toUiError(accept.error) : null);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) => error()?.fieldErrors[field];

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!accept.isPending) accept.mutate();
  };

  return (
    <>
      <h1>{t('setPassword.title')}</h1>
      <p class="lead">{t('setPassword.intro', { organisation: props.invitation.organisationName })}</p>
      <dl class="summary">
        <div><dt>{t('setPassword.name')}</dt><dd>{props.invitation.name}</dd></div>
        <div><dt>{t('setPassword.email')}</dt><dd>{props.invitation.email}</dd></div>
        <div><dt>{t('setPassword.organisation')}</dt><dd>{props.invitation.organisationName}</dd></div>
      </dl>
      <p class="muted">{t('setPassword.validUntil', { date: formatDateTime(props.invitation.expiresAt) })}</p>

      <Show when={error()}>
        {(e) => <Notice tone="error">{formMessage(e(), FORM_FIELDS)}</Notice>}
      </Show>

      <form class="form" onSubmit={submit} noValidate>
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autocomplete="username" value={props.invitation.email} hidden readOnly />
        <NewPasswordFields id="new-password" repeatId="repeat-password" ref={(el) => (firstInput = el)}
          password={password()} onPassword={setPassword} error={fieldError('password')}
          passwordConfirm={passwordConfirm()} onPasswordConfirm={setPasswordConfirm} repeatError={fieldError('passwordConfirm')} />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={accept.isPending} aria-busy={accept.isPending}>
            {accept.isPending ? t('common.saving') : t('setPassword.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
