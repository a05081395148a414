/**
 * Partner registration (/partner-registration?token=…), the public page behind the "partner registration" email to a
 * new partner's contact person: who invites which company, the account's email, the contact's name and a new password
 * for the partner's first administrator, and the full General Terms and Conditions with the acceptance checkbox.
 * Registering creates the administrator, records the GTC acceptance and activates the partnership; the user then
 * signs in. A link that is expired, used, replaced, withdrawn or unknown gets a full page saying so.
 *
 * The page has its own language switch: the contact person has no user (and no language) in the system yet.
 */
import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { A, useNavigate, useSearchParams } from '@solidjs/router';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { formatDateTime, t, type MessageKey } from '../../i18n';
import { errorKey, formMessage, toUiError, trpc, type RouterOutputs } from '../../trpc';
import { Field, fieldAria } from '../../ui/field';
import { LanguageSelect } from '../../ui/language-select';
import { usePageTitle } from '../../ui/page';
import { ErrorState, Loading, Notice } from '../../ui/states';
import { GtcCheckbox, GtcText } from './gtc';

type Inspection = RouterOutputs['partnerPortal']['inspectRegistration'];
type ValidRegistration = Extract<Inspection, { state: 'valid' }>;
type LinkState = Inspection['state'];
type Unusable = Exclude<LinkState, 'valid'>;

const UNUSABLE: Record<Unusable, { title: MessageKey; text: MessageKey }> = {
  invalid: { title: 'invitation.title.invalid', text: 'invitation.invalid' },
  expired: { title: 'invitation.title.expired', text: 'invitation.expired' },
  used: { title: 'invitation.title.used', text: 'invitation.used' },
  revoked: { title: 'invitation.title.revoked', text: 'invitation.revoked' },
  withdrawn: { title: 'registration.title.withdrawn', text: 'partners.invitation_withdrawn' },
};

/** The link state an error of `register` stands for, if it says the link can no longer be used. */
function unusableFromError(err: unknown): Unusable | null {
  const key = errorKey(err);
  if (key === 'partners.invitation_withdrawn') return 'withdrawn';
  if (key === 'invitation.invalid' || key === 'invitation.expired' || key === 'invitation.used' || key === 'invitation.revoked') {
    return key.slice('invitation.'.length) as Unusable;
  }
  return null;
}

function asValid(data: Inspection | undefined): ValidRegistration | null {
  return data && data.state === 'valid' ? (data as ValidRegistration) : null;
}

const FORM_FIELDS = ['name', 'password', 'passwordConfirm', 'acceptGtc', 'gtcVersion'] as const;

export function PartnerRegistrationPage() {
  const [search] = useSearchParams<{ token?: string }>();
  const token = () => (Array.isArray(search.token) ? search.token[0] : search.token) ?? '';

  const inspection = useQuery(() => ({
    queryKey: ['partnerPortal', 'registration', token()],
    queryFn: () => trpc.partnerPortal.inspectRegistration.query({ token: token() }),
    enabled: token() !== '',
    retry: false,
    staleTime: Infinity,
  }));

  // A link can stop working between opening the page and submitting it; the server then says why.
  const [lateState, setLateState] = createSignal<Unusable | null>(null);

  const state = (): LinkState | 'loading' | 'error' => {
    if (lateState()) return lateState()!;
    if (token() === '') return 'invalid';
    if (inspection.isPending) return 'loading';
    if (inspection.isError) return errorKey(inspection.error) === 'invitation.invalid' ? 'invalid' : 'error';
    return inspection.data?.state ?? 'invalid';
  };

  usePageTitle(() => {
    const s = state();
    return s === 'valid' || s === 'loading' || s === 'error' ? t('registration.title') : t(UNUSABLE[s].title);
  });

  return (
    <div class="public-page">
      <div class="public-top public-top-wide">
        <span class="brand">{t('app.name')}</span>
        <LanguageSelect />
      </div>
      <main id="main" class="card public-card public-card-wide" tabindex="-1">
        <Switch>
          <Match when={state() === 'loading'}>
            <Loading label={t('registration.checking')} />
          </Match>
          <Match when={state() === 'error'}>
            <h1>{t('registration.title')}</h1>
            <ErrorState message={t('error.load_failed')} detail={toUiError(inspection.error).message}
              onRetry={() => void inspection.refetch()} retrying={inspection.isFetching} />
          </Match>
          <Match when={state() === 'valid' && asValid(inspection.data)}>
            {(registration) => (
              <RegistrationForm token={token()} registration={registration()} onUnusable={setLateState} />
            )}
          </Match>
          <Match when={state() !== 'valid'}>
            <UnusableLink state={state() as Unusable} />
          </Match>
        </Switch>
      </main>
    </div>
  );
}

function UnusableLink(props: { state: Unusable }) {
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

function RegistrationForm(props: { token: string; registration: ValidRegistration; onUnusable: (state: Unusable) => void }) {
  const navigate = useNavigate();
  const [name, setName] = createSignal(props.registration.contactName);
  const [password, setPassword] = createSignal('');
  const [passwordConfirm, setPasswordConfirm] = createSignal('');
  const [acceptGtc, setAcceptGtc] = createSignal(false);
  let form!: HTMLFormElement;
  let errorBox!: HTMLDivElement;
  let nameInput!: HTMLInputElement;
  onMount(() => nameInput.focus());

  const register = useMutation(() => ({
    mutationFn: () => trpc.partnerPortal.register.mutate({
      token: props.token,
      name: name(),
      password: password(),
      passwordConfirm: passwordConfirm(),
      gtcVersion: props.registration.gtc.version,
      // The server rejects false with a field error on 'acceptGtc'; sending the real value keeps one rule in one place.
      acceptGtc: acceptGtc() as true,
    }),
    onSuccess: (result) => {
      navigate(`/sign-in?${new URLSearchParams({ email: result.email, registered: '1' })}`, { replace: true });
    },
    onError: (err) => {
      const unusable = unusableFromError(err);
      if (unusable) {
        props.onUnusable(unusable);
        return;
      }
      // Take the user to the first field to correct, else to the message above the form.
      setTimeout(() => {
        const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
        (invalid ?? errorBox)?.focus();
      }, 0);
    },
  }));

  const error = () => (register.error ? toUiError(register.error) : null);
  const fieldError = (field: (typeof FORM_FIELDS)[number]) => error()?.fieldErrors[field];
  const gtcError = () => fieldError('acceptGtc') ?? fieldError('gtcVersion');

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!register.isPending) register.mutate();
  };

  return (
    <>
      <h1>{t('registration.title')}</h1>
      <p class="lead">
        {t('registration.intro', { institution: props.registration.institutionName, company: props.registration.companyName })}
      </p>
      <p>{t('registration.lead', { company: props.registration.companyName })}</p>
      <dl class="summary">
        <div><dt>{t('registration.institution')}</dt><dd>{props.registration.institutionName}</dd></div>
        <div><dt>{t('registration.company')}</dt><dd>{props.registration.companyName}</dd></div>
        <div><dt>{t('registration.email')}</dt><dd>{props.registration.contactEmail}</dd></div>
      </dl>
      <p class="muted">{t('setPassword.validUntil', { date: formatDateTime(props.registration.expiresAt) })}</p>

      <div ref={errorBox} tabindex="-1" class="form-error-box">
        <Show when={error()}>
          {(e) => <Notice tone="error">{formMessage(e(), FORM_FIELDS)}</Notice>}
        </Show>
      </div>

      <form ref={form} class="form" onSubmit={submit} noValidate aria-busy={register.isPending}>
        {/* Lets password managers store the new password under the right account. */}
        <input type="email" name="username" autocomplete="username" value={props.registration.contactEmail} hidden readOnly />
        <Field id="registration-name" label={t('registration.name')} error={fieldError('name')}>
          <input ref={nameInput} {...fieldAria('registration-name', undefined, fieldError('name'))}
            type="text" name="name" autocomplete="name" required maxLength={200}
            value={name()} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="registration-password" label={t('setPassword.new')} hint={t('setPassword.hint')} error={fieldError('password')}>
          <input {...fieldAria('registration-password', t('setPassword.hint'), fieldError('password'))}
            type="password" name="password" autocomplete="new-password" required
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <Field id="registration-password-repeat" label={t('setPassword.repeat')} error={fieldError('passwordConfirm')}>
          <input {...fieldAria('registration-password-repeat', undefined, fieldError('passwordConfirm'))}
            type="password" name="passwordConfirm" autocomplete="new-password" required
            value={passwordConfirm()} onInput={(e) => setPasswordConfirm(e.currentTarget.value)} />
        </Field>

        <section class="gtc-block" aria-labelledby="registration-gtc-heading">
          <h2 id="registration-gtc-heading">{t('portal.gtc.title')}</h2>
          <GtcText gtc={props.registration.gtc} id="registration-gtc" />
          <GtcCheckbox id="registration-accept-gtc" version={props.registration.gtc.version}
            checked={acceptGtc()} onChange={setAcceptGtc} error={gtcError()} />
        </section>

        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={register.isPending} aria-busy={register.isPending}>
            {register.isPending ? t('registration.submitting') : t('registration.submit')}
          </button>
        </div>
      </form>
    </>
  );
}
