/**
 * The language switch ("Language" / "Limba"; options English / Română). The choice applies at once, is remembered in
 * this browser, and, when a user is signed in, is saved as the user's language on the server (emails follow it).
 */
import { For } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { LOCALES, isLocale, locale, setLocale, t, type Locale } from '../i18n';
import { trpc } from '../trpc';
import { modalOpen } from './modal';

export function LanguageSelect(props: { signedIn?: boolean; id?: string }) {
  const save = useMutation(() => ({
    mutationFn: (next: Locale) => trpc.auth.setLocale.mutate({ locale: next }),
  }));

  const choose = (value: string) => {
    if (!isLocale(value) || value === locale()) return;
    setLocale(value);
    if (props.signedIn) save.mutate(value);
  };

  return (
    <select
      id={props.id}
      class="language-select"
      // While a modal dialog is open the page behind it is hidden from assistive technology; the switch then has no
      // name, so that the dialog's own "Language" field is the only control with that name.
      aria-label={modalOpen() ? undefined : t('language.label')}
      value={locale()}
      onChange={(event) => choose(event.currentTarget.value)}
    >
      <For each={LOCALES}>
        {(code) => <option value={code} lang={code} selected={code === locale()}>{t(code === 'en' ? 'language.en' : 'language.ro')}</option>}
      </For>
    </select>
  );
}
