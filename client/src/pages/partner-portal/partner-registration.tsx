/**
 * Partner registration (/partner-registration?token=…), the public page behind the "partner registration" email to a
 * new partner's contact person: who invites which company, the account's email, the contact's name and a new password
 * for the partner's first administrator, and the full General Terms and Conditions with the acceptance checkbox.
 * Registering creates the administrator, records the GTC acceptance and activates the partnership; the user then
 * signs in. A link that is expired, used, replaced, withdrawn or unknown gets a full page saying so.
 *
 * The page has its own language switch: the contact person has no user (and no language) in the system yet. It opens
 * in the language of the email (`&lang=ro|en` in the link), the switch changes it (and the address, so a reload keeps
 * it), and the new account keeps the language the person registered in.
 */
import { createEffect, createSignal, on, onMount, Show } from 'solid-js';
import { useNavigate, useSearchParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { formatDateTime, isLocale, locale, showLocale, t } from '../../i18n';
import { errorKey, formMessage, toUiError, trpc, type RouterOutputs } from '../../trpc';
import { Field, fieldAria, focusFirstInvalid } from '../../ui/field';
import {
  INVITATION_UNUSABLE, LinkStatePage, useLinkInspection, type UnusableLinkText, type UnusableState,
} from '../../ui/link-state-page';
import { NewPasswordFields } from '../../ui/password-fields';
import { Notice } from '../../ui/states';
import { GtcCheckbox, GtcText } from './gtc';

type Inspection = RouterOutputs['partnerPortal']['inspectRegistration'];
type ValidRegistration = Extract<Inspection, { state: 'valid' }>;
type Unusable = UnusableState<Inspection>;

const UNUSABLE: Record<Unusable, UnusableLinkText> = {
  ...INVITATION_UNUSABLE,
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
  const [search, setSearch] = useSearchParams<{ lang?: string }>();
  const linkLang = search.lang;
  if (isLocale(linkLang)) showLocale(linkLang);
  // The address follows the language shown, so a reload keeps what the person chose.
  createEffect(on(locale, (shown) => { if (search.lang !== shown) setSearch({ lang: shown }, { replace: true }); }, { defer: true }));
  const link = useLinkInspection(['partnerPortal', 'registration'], (token) => trpc.partnerPortal.inspectRegistration.query({ token }));
  return (
    <LinkStatePage link={link} wide title={t('registration.title')} checkingLabel={t('registration.checking')} unusable={UNUSABLE}>
      <Show when={asValid(link.inspection.data)}>
        {(registration) => (
          <RegistrationForm token={link.token()} registration={registration()} onUnusable={link.setLateState} />
        )}
      </Show>
    </LinkStatePage>
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
      // The language the page is shown in: the email's, or what the person switched to.
      locale: locale(),
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
      focusFirstInvalid(form, errorBox);
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
        <NewPasswordFields id="registration-password" repeatId="registration-password-repeat"
          password={password()} onPassword={setPassword} error={fieldError('password')}
          passwordConfirm={passwordConfirm()} onPasswordConfirm={setPasswordConfirm} repeatError={fieldError('passwordConfirm')} />

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
