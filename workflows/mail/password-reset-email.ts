/**
 * The "Reset your password" email in English and Romanian (same structure as templates.ts): whom it is for, the link,
 * until when it works (in the organisation's time zone), and what to do when the person did not ask for it.
 */
import type { Locale, RenderedEmail } from './templates';

export interface PasswordResetEmailData {
  locale: Locale;
  name: string;
  organisationName: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}

function formatTime(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  }).format(date);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export function renderPasswordResetEmail(d: PasswordResetEmailData): RenderedEmail {
  const until = formatTime(d.expiresAt, d.locale, d.timeZone);
  const t = d.locale === 'ro'
    ? {
        subject: 'Resetarea parolei — Modul Partener',
        hello: `Bună ziua, ${d.name},`,
        body: `Am primit o cerere de resetare a parolei contului dumneavoastră (${d.organisationName}) din Modul Partener.`,
        action: 'Alegeți o parolă nouă folosind linkul de mai jos. Linkul poate fi folosit o singură dată:',
        until: `Linkul este valabil până la ${until}. După schimbarea parolei veți fi deconectat(ă) de pe toate dispozitivele.`,
        ignore: 'Dacă nu ați cerut resetarea parolei, ignorați acest e-mail: parola rămâne neschimbată.',
      }
    : {
        subject: 'Reset your password — Partner Module',
        hello: `Hello ${d.name},`,
        body: `We received a request to reset the password of your Partner Module account (${d.organisationName}).`,
        action: 'Choose a new password using the link below. The link can be used once:',
        until: `The link is valid until ${until}. Changing the password signs you out on every device.`,
        ignore: 'If you did not ask to reset your password, ignore this email: your password stays as it is.',
      };
  const text = [t.hello, '', t.body, t.action, d.link, '', t.until, t.ignore].join('\n');
  const html = `<p>${escapeHtml(t.hello)}</p><p>${escapeHtml(t.body)}</p><p>${escapeHtml(t.action)}<br>` +
    `<a href="${escapeHtml(d.link)}">${escapeHtml(d.link)}</a></p><p>${escapeHtml(t.until)}</p><p>${escapeHtml(t.ignore)}</p>`;
  return { subject: t.subject, text, html };
}
