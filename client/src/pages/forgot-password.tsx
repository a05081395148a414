/**
 * "Forgot password?" (/forgot-password, linked from the sign-in page, which passes the email typed there): the email
 * address, then the same "Check your email" answer whether or not the address has an account (the server answers
 * before it looks the address up). Limits (per address, per IP) are shown with the time they end.
 */
import { createEffect, createSignal, on, onMount, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { t } from '../i18n';
import { formMessage, toUiError, trpc } from '../trpc';
import { Field, fieldAria } from '../ui/field';
import { usePageTitle } from '../ui/page';
import { PublicPage } from '../ui/public-page';
import { Notice } from '../ui/states';

export function ForgotPasswordPage() {
  const [search] = useSearchParams<{ email?: string }>();
  const initial = Array.isArray(search.email) ? search.email[0] : search.email;
  const [email, setEmail] = createSignal(initial ?? '');
  const [sentTo, setSentTo] = createSignal<string | null>(null);
  usePageTitle(() => (sentTo() ? t('forgotPassword.sentTitle') : t('forgotPassword.title')));

  const request = useMutation(() => ({
    mutationFn: (address: string) => trpc.auth.requestPasswordReset.mutate({ email: address }),
    onSuccess: (_result, address) => setSentTo(address),
  }));

  const error = () => (request.error ? toUiError(request.error) : null);
  const fieldError = () => {
    const e = error();
    return e && !e.key ? e.fieldErrors.email : undefined;
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!request.isPending) request.mutate(email().trim());
  };

  const another = () => {
    request.reset();
    setSentTo(null);
  };

  return (
    <PublicPage>
      <Show when={sentTo()} fallback={
        <RequestForm email={email()} onEmail={setEmail} onSubmit={submit} pending={request.isPending}
          error={error() ? formMessage(error()!, ['email']) : undefined} fieldError={fieldError()} />
      }>
        {(address) => <Sent email={address()} onAnother={another} />}
      </Show>
    </PublicPage>
  );
}

function RequestForm(props: {
  email: string; onEmail: (v: string) => void; onSubmit: (e: SubmitEvent) => void; pending: boolean; error?: string; fieldError?: string;
}) {
  let input!: HTMLInputElement;
  onMount(() => input.focus());
  // After a refused request, back to the address (to correct it, or to try again later).
  createEffect(on(() => props.error, (error) => { if (error) input.focus(); }, { defer: true }));
  return (
    <>
      <h1>{t('forgotPassword.title')}</h1>
      <p class="lead">{t('forgotPassword.intro')}</p>
      <Show when={props.error}>
        {(message) => <Notice tone="error">{message()}</Notice>}
      </Show>
      <form class="form" onSubmit={(e) => props.onSubmit(e)} noValidate>
        <Field id="forgot-email" label={t('forgotPassword.email')} error={props.fieldError}>
          <input ref={input} {...fieldAria('forgot-email', undefined, props.fieldError)}
            type="email" name="email" autocomplete="username" required
            value={props.email} onInput={(e) => props.onEmail(e.currentTarget.value)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={props.pending} aria-busy={props.pending}>
            {props.pending ? t('forgotPassword.submitting') : t('forgotPassword.submit')}
          </button>
          <A href="/sign-in" class="button button-quiet">{t('forgotPassword.back')}</A>
        </div>
      </form>
    </>
  );
}

function Sent(props: { email: string; onAnother: () => void }) {
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  return (
    <>
      <h1 ref={heading} tabindex="-1">{t('forgotPassword.sentTitle')}</h1>
      <Notice tone="success">{t('forgotPassword.sent', { email: props.email })}</Notice>
      <p class="muted">{t('forgotPassword.noEmail')}</p>
      <div class="form-actions">
        <A href={`/sign-in?${new URLSearchParams({ email: props.email })}`} class="button button-primary">{t('forgotPassword.back')}</A>
        <button type="button" class="button" onClick={() => props.onAnother()}>{t('forgotPassword.again')}</button>
      </div>
    </>
  );
}
