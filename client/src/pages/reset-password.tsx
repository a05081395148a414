/**
 * Reset-password page (/reset-password?token=…&lang=en|ro), opened from the "Reset your password" email. It opens in
 * the email's language (the user's; the switch above still changes it), shows the account's address and until when
 * the link works, and asks for the new password twice (same fields and policy as the invitation's set-password page).
 * On success every session of the user has ended and the user goes to the sign-in page with the address filled in.
 * A link that is expired, used, replaced or unknown gets a full page saying so.
 */
import { createSignal, onMount, Show } from 'solid-js';
import { useNavigate, useSearchParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { formatDateTime, isLocale, showLocale, t } from '../i18n';
import { errorKey, formMessage, toUiError, trpc, type RouterOutputs } from '../trpc';
import { LinkStatePage, useLinkInspection, type UnusableLinkText, type UnusableState } from '../ui/link-state-page';
import { NewPasswordFields } from '../ui/password-fields';
import { focusFirstInvalid } from '../ui/field';
import { Notice } from '../ui/states';

type Inspection = RouterOutputs['auth']['inspectPasswordReset'];
type Unusable = UnusableState<Inspection>;
interface ValidReset { email: string; expiresAt: string; timeZone: string }

const RESET_UNUSABLE = {
  invalid: { title: 'invitation.title.invalid', text: 'passwordReset.invalid' },
  expired: { title: 'invitation.title.expired', text: 'passwordReset.expired' },
  used: { title: 'invitation.title.used', text: 'passwordReset.used' },
  revoked: { title: 'invitation.title.revoked', text: 'passwordReset.revoked' },
} as const satisfies Record<Unusable, UnusableLinkText>;

const FORM_FIELDS = ['password', 'passwordConfirm'] as const;

export function ResetPasswordPage() {
  const [search] = useSearchParams<{ lang?: string }>();
  // The page opens in the email's language, for now only: the switch still changes it.
  const lang = Array.isArray(search.lang) ? search.lang[0] : search.lang;
  if (isLocale(lang)) showLocale(lang);

  const link = useLinkInspection(['auth', 'passwordReset'], (token) => trpc.auth.inspectPasswordReset.query({ token }));
  const valid = (): ValidReset | null => {
    const data = link.inspection.data;
    return data && data.state === 'valid' ? { email: data.email, expiresAt: data.expiresAt, timeZone: data.timeZone } : null;
  };

  return (
    <LinkStatePage link={link} title={t('resetPassword.title')} checkingLabel={t('resetPassword.checking')} unusable={RESET_UNUSABLE}>
      <Show when={valid()}>
        {(reset) => <ResetPasswordForm token={link.token()} reset={reset()} onUnusable={link.setLateState} />}
      </Show>
    </LinkStatePage>
  );
}

function ResetPasswordForm(props: { token: string; reset: ValidReset; onUnusable: (state: Unusable) => void }) {
  const navigate = useNavigate();
  const [password, setPassword] = createSignal('');
  const [passwordConfirm, setPasswordConfirm] = createSignal('');
  let firstInput!: HTMLInputElement;
  let form!: HTMLFormElement;
  onMount(() => firstInput.focus());

  const reset = useMutation(() => ({
    mutationFn: () => trpc.auth.resetPassword.mutate({ token: props.token, password: password(), passwordConfirm: passwordConfirm() }),
    onSuccess: (result) => {
      navigate(`/sign-in?${new URLSearchParams({ email: result.email, passwordReset: '1' })}`, { replace: true });
    },
    onError: (err) => {
      const key = errorKey(err);
      if (key?.startsWith('passwordReset.') && key !== 'passwordReset.rate_limited') props.onUnusable(key.slice('passwordReset.'.length) as Unusable);
      else focusFirstInvalid(form, firstInput);
    },
  }));

  const error = () => (reset.error ? toUiError(reset.error) : null);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) => error()?.fieldErrors[field];

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!reset.isPending) reset.mutate();
  };

  return (
    <>
      <h1>{t('resetPassword.title')}</h1>
      <p class="lead">{t('resetPassword.intro', { email: props.reset.email })}</p>
      <p class="muted">{t('resetPassword.validUntil', { date: formatDateTime(props.reset.expiresAt, props.reset.timeZone) })}</p>

      <Show when={error()}>
        {(e) => <Notice tone="error">{formMessage(e(), FORM_FIELDS)}</Notice>}
      </Show>

      <form ref={form} class="form" onSubmit={submit} noValidate>
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autocomplete="username" value={props.reset.email} hidden readOnly />
        <NewPasswordFields id="new-password" repeatId="repeat-password" ref={(el) => (firstInput = el)}
          password={password()} onPassword={setPassword} error={fieldError('password')}
          passwordConfirm={passwordConfirm()} onPasswordConfirm={setPasswordConfirm} repeatError={fieldError('passwordConfirm')} />
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={reset.isPending} aria-busy={reset.isPending}>
            {reset.isPending ? t('common.saving') : t('resetPassword.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
