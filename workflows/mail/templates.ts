/** Email texts in English and Romanian. Times are shown in the organisation's time zone. */
export type Locale = 'en' | 'ro';

export interface RenderedEmail { subject: string; text: string; html: string }

function formatTime(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  }).format(date);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

export interface InvitationEmailData {
  locale: Locale;
  name: string;
  organisationName: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
  reminder: boolean;
}

export function renderInvitationEmail(d: InvitationEmailData): RenderedEmail {
  const until = formatTime(d.expiresAt, d.locale, d.timeZone);
  const t = d.locale === 'ro'
    ? {
        subject: d.reminder ? `Memento: setați parola pentru ${d.organisationName}` : `Invitație în Modul Partener — ${d.organisationName}`,
        hello: `Bună ziua, ${d.name},`,
        body: d.reminder
          ? `Vă reamintim că ați fost invitat(ă) ca utilizator al ${d.organisationName}, dar nu v-ați setat încă parola.`
          : `Ați fost adăugat(ă) ca utilizator al ${d.organisationName} în Modul Partener.`,
        action: 'Setați-vă parola folosind linkul de mai jos:',
        until: `Linkul este valabil până la ${until}.`,
        ignore: 'Dacă nu vă așteptați la acest e-mail, îl puteți ignora.',
      }
    : {
        subject: d.reminder ? `Reminder: set your password for ${d.organisationName}` : `Invitation to the Partner Module — ${d.organisationName}`,
        hello: `Hello ${d.name},`,
        body: d.reminder
          ? `This is a reminder that you were invited as a user of ${d.organisationName} but have not set your password yet.`
          : `You have been added as a user of ${d.organisationName} in the Partner Module.`,
        action: 'Set your password using the link below:',
        until: `The link is valid until ${until}.`,
        ignore: 'If you did not expect this email, you can ignore it.',
      };
  const text = [t.hello, '', t.body, t.action, d.link, '', t.until, t.ignore].join('\n');
  const html = `<p>${escapeHtml(t.hello)}</p><p>${escapeHtml(t.body)}</p><p>${escapeHtml(t.action)}<br>` +
    `<a href="${escapeHtml(d.link)}">${escapeHtml(d.link)}</a></p><p>${escapeHtml(t.until)}</p><p>${escapeHtml(t.ignore)}</p>`;
  return { subject: t.subject, text, html };
}
