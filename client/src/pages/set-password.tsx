/**
 * Set-password page (/set-password?token=...), opened from an invitation email. A valid link shows who the account is
 * for and asks for the new password twice; on success the user goes to the sign-in page with the email prefilled.
 * A link that is expired, used, replaced or unknown gets a full page explaining what to do instead.
 */
import { createEffect, createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { adoptUserLocale, formatDateTime, t, type MessageKey } from '../i18n';
import { errorKey, formMessage, toUiError, trpc, type RouterOutputs } from '../trpc';
import { Field, fieldAria } from '../ui/field';
import { LanguageSelect } from '../ui/language-select';
import { ErrorState, Loading, Notice } from '../ui/states';
import { usePageTitle } from '../ui/page';

type Inspection = RouterOutputs['auth']['inspectInvitation'];
type LinkState = 'valid' | 'invalid' | 'expired' | 'used' | 'revoked';
interface ValidInvitation { name: string; email: string; organisationName: string; locale: string; expiresAt: string }

const UNUSABLE: Record<Exclude<LinkState, 'valid'>, { title: MessageKey; text: MessageKey }> = {
  invalid: { title: 'invitation.title.invalid', text: 'invitation.invalid' },
  expired: { title: 'invitation.title.expired', text: 'invitation.expired' },
  used: { title: 'invitation.title.used', text: 'invitation.used' },
  revoked: { title: 'invitation.title.revoked', text: 'invitation.revoked' },
};

function asValid(data: Inspection | undefined): ValidInvitation | null {
  if (!data || data.state !== 'valid' || data.email === undefined) return null;
  return { name: data.name, email: data.email, organisationName: data.organisationName, locale: data.locale, expiresAt: data.expiresAt };
}

const FORM_FIELDS = ['password', 'passwordConfirm'] as const;

export function SetPasswordPage() {
  const [search] = useSearchParams<{ token?: string }>();
  const token = () => (Array.isArray(search.token) ? search.token[0] : search.token) ?? '';

  const inspection = useQuery(() => ({
    queryKey: ['auth', 'invitation', token()],
    queryFn: () => trpc.auth.inspectInvitation.query({ token: token() }),
    enabled: token() !== '',
    retry: false,
    staleTime: Infinity,
  }));

  // A link can stop working between opening the page and submitting it; the server then says why.
  const [lateState, setLateState] = createSignal<LinkState | null>(null);

  const state = (): LinkState | 'loading' | 'error' => {
    if (lateState()) return lateState()!;
    if (token() === '') return 'invalid';
    if (inspection.isPending) return 'loading';
    if (inspection.isError) return errorKey(inspection.error) === 'invitation.invalid' ? 'invalid' : 'error';
    return inspection.data?.state ?? 'invalid';
  };

  createEffect(() => {
    const valid = asValid(inspection.data);
    if (valid) adoptUserLocale(valid.locale);
  });

  usePageTitle(() => {
    const s = state();
    return s === 'valid' || s === 'loading' || s === 'error' ? t('setPassword.title') : t(UNUSABLE[s].title);
  });

  return (
    <div class="public-page">
      <div class="public-top">
        <span class="brand">{t('app.name')}</span>
        <LanguageSelect />
      </div>
      <main id="main" class="card public-card" tabindex="-1">
        <Switch>
          <Match when={state() === 'loading'}>
            <Loading label={t('setPassword.checking')} />
          </Match>
          <Match when={state() === 'error'}>
            <h1>{t('setPassword.title')}</h1>
            <ErrorState message={t('error.load_failed')} detail={toUiError(inspection.error).message}
              onRetry={() => void inspection.refetch()} retrying={inspection.isFetching} />
          </Match>
          <Match when={state() === 'valid' && asValid(inspection.data)}>
            {(invitation) => <SetPasswordForm token={token()} invitation={invitation()} onUnusable={setLateState} />}
          </Match>
          <Match when={state() !== 'valid'}>
            <UnusableLink state={state() as Exclude<LinkState, 'valid'>} />
          </Match>
        </Switch>
      </main>
    </div>
  );
}

function UnusableLink(props: { state: Exclude<LinkState, 'valid'> }) {
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  return (
    <div class="unusable-link">
      <h1 ref={heading} tabindex="-1">{t(UNUSABLE[props.state].title)}</h1>
      <p>{t(UNUSABLE[props.state].text)}</p>
      <p><A href="/sign-in" class="button button-primary">{t('setPassword.goToSignIn')}</A></p>
    </div>
  );
}

function SetPasswordForm(props: { token: string; invitation: ValidInvitation; onUnusable: (state: LinkState) => void }) {
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
      if (key?.startsWith('invitation.')) props.onUnusable(key.slice('invitation.'.length) as LinkState);
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
        <Field id="new-password" label={t('setPassword.new')} hint={t('setPassword.hint')} error={fieldError('password')}>
          <input
            ref={firstInput}
            {...fieldAria('new-password', t('setPassword.hint'), fieldError('password'))}
            type="password" name="password" autocomplete="new-password" required
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Field id="repeat-password" label={t('setPassword.repeat')} error={fieldError('passwordConfirm')}>
          <input
            {...fieldAria('repeat-password', undefined, fieldError('passwordConfirm'))}
            type="password" name="passwordConfirm" autocomplete="new-password" required
            value={passwordConfirm()} onInput={(e) => setPasswordConfirm(e.currentTarget.value)}
          />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={accept.isPending} aria-busy={accept.isPending}>
            {accept.isPending ? t('common.saving') : t('setPassword.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
