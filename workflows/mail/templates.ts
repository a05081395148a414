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

export interface PartnerEmailData {
  locale: Locale;
  institutionName: string;
  companyName: string;
  recipientName: string;
  link: string;
  expiresAt?: Date;
  timeZone: string;
  locationNames: string[];
  reminder: boolean;
}

function paragraphs(lines: (string | null)[], link: string): RenderedEmail['html'] {
  return lines.filter((l): l is string => l !== null).map((l) => (l === link
    ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(l)}</p>`)).join('');
}

/** "Partner registration": a new organisation's contact person is asked to register and accept the GTC. */
export function renderPartnerRegistrationEmail(d: PartnerEmailData): RenderedEmail {
  const until = d.expiresAt ? formatTime(d.expiresAt, d.locale, d.timeZone) : '';
  const ro = d.locale === 'ro';
  const subject = (d.reminder ? (ro ? 'Memento: ' : 'Reminder: ') : '') + (ro
    ? `Înregistrarea partenerului — ${d.institutionName} vă invită ca partener`
    : `Partner registration — ${d.institutionName} invites you as a partner`);
  const lines = ro ? [
    `Bună ziua, ${d.recipientName},`,
    `${d.institutionName} a adăugat ${d.companyName} ca partener în Modul Partener. Ca partener, puteți face rezervări în numele pacienților dumneavoastră pentru serviciile autorizate, la locațiile: ${d.locationNames.join(', ')}.`,
    'Pentru acces este necesară înregistrarea și acceptarea Termenilor și Condițiilor Generale (TCG):',
    d.link,
    `Linkul este valabil până la ${until}.`,
  ] : [
    `Hello ${d.recipientName},`,
    `${d.institutionName} has added ${d.companyName} as a partner in the Partner Module. As a partner you can book appointments for your patients for the authorised services at: ${d.locationNames.join(', ')}.`,
    'To get access, register and accept the General Terms and Conditions (GTC):',
    d.link,
    `The link is valid until ${until}.`,
  ];
  return { subject, text: lines.join('\n\n'), html: paragraphs(lines, d.link) };
}

/** "Partner notification": an organisation that already has a contract is asked to approve the invitation. */
export function renderPartnerNotificationEmail(d: PartnerEmailData): RenderedEmail {
  const until = d.expiresAt ? formatTime(d.expiresAt, d.locale, d.timeZone) : '';
  const ro = d.locale === 'ro';
  const subject = (d.reminder ? (ro ? 'Memento: ' : 'Reminder: ') : '') + (ro
    ? `Notificare partener — ${d.institutionName} v-a adăugat ca partener`
    : `Partner notification — ${d.institutionName} added you as a partner`);
  const lines = ro ? [
    `Bună ziua, ${d.recipientName},`,
    `${d.institutionName} a adăugat ${d.companyName} ca partener (locații: ${d.locationNames.join(', ')}). Aprobați sau refuzați invitația în aplicație:`,
    d.link,
    `Invitația este valabilă până la ${until}.`,
  ] : [
    `Hello ${d.recipientName},`,
    `${d.institutionName} has added ${d.companyName} as a partner (locations: ${d.locationNames.join(', ')}). Approve or decline the invitation in the app:`,
    d.link,
    `The invitation is valid until ${until}.`,
  ];
  return { subject, text: lines.join('\n\n'), html: paragraphs(lines, d.link) };
}

/** Tells the institution's admins how the invitation ended (accepted or declined). */
export function renderPartnerOutcomeEmail(d: PartnerEmailData & { outcome: 'accepted' | 'declined' }): RenderedEmail {
  const ro = d.locale === 'ro';
  const accepted = d.outcome === 'accepted';
  const subject = ro
    ? (accepted ? `${d.companyName} a acceptat invitația de partener` : `${d.companyName} a refuzat invitația de partener`)
    : (accepted ? `${d.companyName} accepted your partner invitation` : `${d.companyName} declined your partner invitation`);
  const lines = ro ? [
    `Bună ziua, ${d.recipientName},`,
    accepted
      ? `${d.companyName} a acceptat invitația ${d.institutionName}. Parteneriatul este activ: bifați în "Canale de trafic" serviciile pe care partenerul le poate rezerva.`
      : `${d.companyName} a refuzat invitația ${d.institutionName}.`,
    d.link,
  ] : [
    `Hello ${d.recipientName},`,
    accepted
      ? `${d.companyName} accepted the invitation of ${d.institutionName}. The partnership is active: tick the services the partner may book under "Traffic Channels".`
      : `${d.companyName} declined the invitation of ${d.institutionName}.`,
    d.link,
  ];
  return { subject, text: lines.join('\n\n'), html: paragraphs(lines, d.link) };
}
