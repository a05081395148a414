/**
 * The client's one i18n layer: English and Romanian dictionaries, a reactive `locale` signal, `t(key, params)` and the
 * date/time formatting helpers. Every user-visible string of the client goes through t().
 *
 * Which language is shown: the user's explicit choice (the language switch; kept in localStorage 'pm_locale'), else
 * the signed-in user's own locale (adoptUserLocale, called by the app shell and the invitation page), else the
 * browser's language. The language switch also saves the choice on the server when a user is signed in (see
 * ui/language-select.tsx), so emails follow it too.
 */
import { createEffect, createRoot, createSignal } from 'solid-js';
import { en, type Dictionary, type MessageKey } from './locales/en';
import { ro } from './locales/ro';

export type { MessageKey };
export type Locale = 'en' | 'ro';
export const LOCALES: readonly Locale[] = ['en', 'ro'];
export type Params = Record<string, string | number>;

const dictionaries: Record<Locale, Dictionary> = { en, ro };
const STORAGE_KEY = 'pm_locale';

/** The time zone the UI shows times in until the organisation's own time zone is known. */
export const DEFAULT_TIME_ZONE = 'Europe/Bucharest';

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'ro';
}

function storedChoice(): Locale | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage disabled: fall back to the defaults
  }
}

function browserLocale(): Locale {
  const language = globalThis.navigator?.language?.toLowerCase() ?? '';
  return language.startsWith('ro') ? 'ro' : 'en';
}

const [locale, setLocaleSignal] = createSignal<Locale>(storedChoice() ?? browserLocale());
const [timeZone, setTimeZoneSignal] = createSignal<string>(DEFAULT_TIME_ZONE);

/** The current UI language (reactive). */
export { locale };

/** Sets the language as the user's explicit choice and remembers it in this browser. */
export function setLocale(next: Locale): void {
  setLocaleSignal(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

/** Shows a language for now without remembering it as the user's choice (a page opened from an email in that language). */
export function showLocale(next: Locale): void {
  setLocaleSignal(next);
}

/** Shows the user's own language unless the user has chosen one explicitly in this browser. */
export function adoptUserLocale(userLocale: string | null | undefined): void {
  if (storedChoice() === null && isLocale(userLocale)) setLocaleSignal(userLocale);
}

/** The organisation's IANA time zone, in which every time is shown (reactive). */
export { timeZone };

export function setTimeZone(zone: string | null | undefined): void {
  setTimeZoneSignal(zone || DEFAULT_TIME_ZONE);
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The text of `key` in the current language, with {placeholders} filled from `params`. Reactive on locale(). */
export function t(key: MessageKey, params?: Params): string {
  const text = dictionaries[locale()][key] ?? en[key] ?? key;
  return interpolate(text, params);
}

/** Like t(), for keys that come from outside (the server): unknown keys give `fallback`. */
export function tKey(key: string, params: Params | undefined, fallback: string): string {
  return hasMessage(key) ? t(key, params) : fallback;
}

/** The BCP 47 tag used with Intl for the current language. */
export function intlLocale(): string {
  return locale() === 'ro' ? 'ro-RO' : 'en-GB';
}

/**
 * A date and time such as "15 Jan 2025, 12:00 EET" / "15 ian. 2025, 12:00 EET", in the given IANA time zone (default:
 * the organisation's time zone) with the zone's abbreviation, so nobody has to guess which clock is meant.
 */
export function formatDateTime(iso: string | Date, zone: string = timeZone()): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(intlLocale(), {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZone: zone, timeZoneName: 'short',
  }).format(date);
}

/** Keys that come in plural forms: `<base>.one`, `<base>.few` and `<base>.other` (Romanian needs all three). */
export type PluralBase = { [K in MessageKey]: K extends `${infer B}.other` ? B : never }[MessageKey];

/**
 * A sentence with a count, in the form the language's plural rules ask for ("1 unsaved change", "3 unsaved changes";
 * "1 modificare", "3 modificări", "20 de modificări"). `{count}` is filled with the number.
 */
export function tCount(base: PluralBase, count: number, params?: Params): string {
  const category = new Intl.PluralRules(intlLocale()).select(count);
  const key = `${base}.${category}`;
  const all = { ...params, count };
  return hasMessage(key) ? t(key, all) : t(`${base}.other` as MessageKey, all);
}

/** A calendar date given as YYYY-MM-DD, e.g. "15 Jan 2025" / "15 ian. 2025" (no time zone shift: it is a day). */
export function formatCalendarDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Keeps <html lang> in step with the UI language (screen readers and hyphenation depend on it). */
createRoot(() => {
  createEffect(() => {
    if (typeof document !== 'undefined') document.documentElement.lang = locale();
  });
});
