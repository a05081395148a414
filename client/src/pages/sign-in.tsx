/**
 * Sign-in page (/sign-in): email and password, and "Forgot password?". Shows why the user is here (session ended,
 * password just set or reset, partner registration complete), the server's generic error for wrong credentials, or the
 * lock-out message with the time it ends. After signing in it goes to `next` when that is a path on this site, else to
 * the start page.
 */
import { createSignal, onMount, Show } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { safeNext } from '../auth';
import { t } from '../i18n';
import { queryClient, toUiError, trpc } from '../trpc';
import { Field, fieldAria } from '../ui/field';
import { usePageTitle } from '../ui/page';
import { PublicPage } from '../ui/public-page';
import { Notice } from '../ui/states';

type SignInQuery = { email?: string; next?: string; passwordSet?: string; passwordReset?: string; registered?: string; reason?: string };

function param(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function SignInPage() {
  const [search] = useSearchParams<SignInQuery>();
  const navigate = useNavigate();
  usePageTitle(() => t('signIn.title'));

  const [email, setEmail] = createSignal(param(search.email) ?? '');
  const [password, setPassword] = createSignal('');
  let emailInput!: HTMLInputElement;
  let passwordInput!: HTMLInputElement;
  // The first empty field gets the focus (the email is prefilled when coming from the set-password page).
  onMount(() => (email() ? passwordInput : emailInput).focus());

  const signIn = useMutation(() => ({
    mutationFn: (input: { email: string; password: string }) => trpc.auth.signIn.mutate(input),
    onSuccess: () => {
      // A different user may have been signed in before: start from a clean cache.
      queryClient.clear();
      navigate(safeNext(param(search.next)) ?? '/', { replace: true });
    },
    onError: () => {
      setPassword('');
      passwordInput?.focus();
    },
  }));

  const error = () => (signIn.error ? toUiError(signIn.error) : null);
  // Field errors of the form's own fields are shown next to them; credentials and lock-out errors above the form.
  const fieldError = (field: 'email' | 'password') => {
    const e = error();
    return e && !e.key ? e.fieldErrors[field] : undefined;
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    signIn.mutate({ email: email().trim(), password: password() });
  };

  return (
    <PublicPage>
      <h1>{t('signIn.title')}</h1>
      <p class="lead">{t('signIn.intro')}</p>

      <Show when={param(search.reason) === 'signed_out' && !signIn.error}>
        <Notice tone="info">{t('auth.signed_out')}</Notice>
      </Show>
      <Show when={param(search.passwordSet) === '1' && !signIn.error}>
        <Notice tone="success">{t('signIn.passwordSet')}</Notice>
      </Show>
      <Show when={param(search.passwordReset) === '1' && !signIn.error}>
        <Notice tone="success">{t('signIn.passwordReset')}</Notice>
      </Show>
      <Show when={param(search.registered) === '1' && !signIn.error}>
        <Notice tone="success">{t('signIn.registered')}</Notice>
      </Show>
      <Show when={error()}>
        {(e) => <Notice tone="error">{e().key ? e().message : t('error.check_fields')}</Notice>}
      </Show>

      <form class="form" onSubmit={submit} noValidate>
        <Field id="sign-in-email" label={t('signIn.email')} error={fieldError('email')}>
          <input
            ref={emailInput}
            {...fieldAria('sign-in-email', undefined, fieldError('email'))}
            type="email" name="email" autocomplete="username" required
            value={email()} onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="sign-in-password" label={t('signIn.password')} error={fieldError('password')}>
          <input
            ref={passwordInput}
            {...fieldAria('sign-in-password', undefined, fieldError('password'))}
            type="password" name="password" autocomplete="current-password" required
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={signIn.isPending} aria-busy={signIn.isPending}>
            {signIn.isPending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
          {/* Carries the address typed so far, so it need not be typed again. */}
          <A href={email().trim() ? `/forgot-password?${new URLSearchParams({ email: email().trim() })}` : '/forgot-password'} class="button button-quiet">
            {t('signIn.forgot')}
          </A>
        </div>
      </form>
    </PublicPage>
  );
}
