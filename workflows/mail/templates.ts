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

export type BookingEmailStage = 'confirmation' | 'reminder' | 'rescheduled' | 'cancelled';

/** What a booking email shows. Times are shown in the LOCATION's time zone (where the patient goes). */
export interface BookingEmailData {
  locale: Locale;
  stage: BookingEmailStage;
  recipientName: string;
  institutionName: string;
  locationName: string;
  locationAddress: string;
  physicianName: string;
  serviceName: string;
  startsAt: Date;
  timeZone: string;
}

export interface BookingPatientEmailData extends BookingEmailData {
  /** The cancel link while the cancellation window is open, else null (then the email says to contact the clinic). */
  cancelLink: string | null;
  cancellableUntil: Date;
}

export interface BookingPartnerEmailData extends BookingEmailData {
  /** The partner booked this patient, so the name is fine here; never the national ID or contact details. */
  /** Null when the partner did not enter this patient itself: the email does not name them. */
  patientName: string | null;
  partnerName: string;
  cancellationReason: string | null;
  /** The partner's bookings in the app (for recipients who are users), else null. */
  appLink: string | null;
}

function bookingSummary(d: BookingEmailData): string[] {
  const when = formatTime(d.startsAt, d.locale, d.timeZone);
  return d.locale === 'ro' ? [
    `Data și ora: ${when}`,
    `Serviciu: ${d.serviceName}`,
    `Medic: ${d.physicianName}`,
    `Locație: ${d.institutionName}, ${d.locationName}, ${d.locationAddress}`,
  ] : [
    `Date and time: ${when}`,
    `Service: ${d.serviceName}`,
    `Physician: ${d.physicianName}`,
    `Location: ${d.institutionName}, ${d.locationName}, ${d.locationAddress}`,
  ];
}

function bookingHtml(intro: string[], summary: string[], outro: string[], link: string | null): string {
  const p = (l: string) => (link !== null && l === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(l)}</p>`);
  return intro.map(p).join('') + `<ul>${summary.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` + outro.map(p).join('');
}

/** The patient's confirmation, reminder, rescheduling and cancellation emails (with the cancel link while valid). */
export function renderBookingPatientEmail(d: BookingPatientEmailData): RenderedEmail {
  const ro = d.locale === 'ro';
  const when = formatTime(d.startsAt, d.locale, d.timeZone);
  const until = formatTime(d.cancellableUntil, d.locale, d.timeZone);
  const subject = ro ? {
    confirmation: `Confirmare programare — ${d.institutionName}, ${when}`,
    reminder: `Memento: programarea dumneavoastră — ${d.institutionName}, ${when}`,
    rescheduled: `Programare modificată — ${d.institutionName}, ${when}`,
    cancelled: `Programare anulată — ${d.institutionName}`,
  }[d.stage] : {
    confirmation: `Appointment confirmed — ${d.institutionName}, ${when}`,
    reminder: `Reminder: your appointment — ${d.institutionName}, ${when}`,
    rescheduled: `Appointment changed — ${d.institutionName}, ${when}`,
    cancelled: `Appointment cancelled — ${d.institutionName}`,
  }[d.stage];
  const body = ro ? {
    confirmation: `Programarea dumneavoastră la ${d.institutionName} este confirmată:`,
    reminder: 'Vă reamintim de programarea dumneavoastră:',
    rescheduled: 'Programarea dumneavoastră a fost modificată. Noua programare:',
    cancelled: 'Programarea dumneavoastră a fost anulată:',
  }[d.stage] : {
    confirmation: `Your appointment at ${d.institutionName} is confirmed:`,
    reminder: 'This is a reminder of your appointment:',
    rescheduled: 'Your appointment has been changed. The new appointment:',
    cancelled: 'Your appointment has been cancelled:',
  }[d.stage];
  const outro: string[] = [];
  if (d.stage !== 'cancelled') {
    if (d.cancelLink) {
      outro.push(ro ? `Dacă nu puteți veni, anulați programarea până la ${until} folosind linkul de mai jos (fără autentificare):`
        : `If you cannot come, cancel the appointment until ${until} using the link below (no sign-in needed):`, d.cancelLink);
    } else {
      outro.push(ro ? `Dacă nu puteți veni, vă rugăm să contactați ${d.institutionName}.` : `If you cannot come, please contact ${d.institutionName}.`);
    }
  } else {
    outro.push(ro ? `Pentru o nouă programare, vă rugăm să contactați ${d.institutionName}.` : `To book a new appointment, please contact ${d.institutionName}.`);
  }
  const intro = [ro ? `Bună ziua, ${d.recipientName},` : `Hello ${d.recipientName},`, body];
  const summary = bookingSummary(d);
  const text = [...intro, summary.map((l) => `- ${l}`).join('\n'), ...outro].join('\n\n');
  return { subject, text, html: bookingHtml(intro, summary, outro, d.cancelLink) };
}

/**
 * The partner's notification of its booking being made, changed or cancelled. The patient's name is in the body only
 * (subjects show up in previews and mail logs); never the national ID or the patient's contact details.
 */
export function renderBookingPartnerEmail(d: BookingPartnerEmailData): RenderedEmail {
  const ro = d.locale === 'ro';
  const when = formatTime(d.startsAt, d.locale, d.timeZone);
  const subject = ro ? {
    confirmation: `Programare nouă — ${d.institutionName}, ${when}`,
    reminder: `Memento programare — ${d.institutionName}, ${when}`,
    rescheduled: `Programare modificată — ${d.institutionName}, ${when}`,
    cancelled: `Programare anulată — ${d.institutionName}, ${when}`,
  }[d.stage] : {
    confirmation: `New booking — ${d.institutionName}, ${when}`,
    reminder: `Booking reminder — ${d.institutionName}, ${when}`,
    rescheduled: `Booking changed — ${d.institutionName}, ${when}`,
    cancelled: `Booking cancelled — ${d.institutionName}, ${when}`,
  }[d.stage];
  const patientName = d.patientName ?? (ro ? 'un pacient al instituției' : 'a patient of the institution');
  const body = ro ? {
    confirmation: `Programarea făcută de ${d.partnerName} pentru ${patientName} la ${d.institutionName} este înregistrată:`,
    reminder: `Programarea făcută de ${d.partnerName} pentru ${patientName} are loc în curând:`,
    rescheduled: `Programarea făcută de ${d.partnerName} pentru ${patientName} a fost modificată. Noua programare:`,
    cancelled: `Programarea făcută de ${d.partnerName} pentru ${patientName} a fost anulată:`,
  }[d.stage] : {
    confirmation: `The booking ${d.partnerName} made for ${patientName} at ${d.institutionName} is registered:`,
    reminder: `The booking ${d.partnerName} made for ${patientName} is coming up:`,
    rescheduled: `The booking ${d.partnerName} made for ${patientName} has been changed. The new appointment:`,
    cancelled: `The booking ${d.partnerName} made for ${patientName} has been cancelled:`,
  }[d.stage];
  const outro: string[] = [];
  if (d.stage === 'cancelled' && d.cancellationReason) outro.push(ro ? `Motivul anulării: ${d.cancellationReason}` : `Reason: ${d.cancellationReason}`);
  if (d.appLink) outro.push(ro ? 'Programările dumneavoastră în aplicație:' : 'Your bookings in the app:', d.appLink);
  const intro = [ro ? `Bună ziua, ${d.recipientName},` : `Hello ${d.recipientName},`, body];
  const summary = bookingSummary(d);
  const text = [...intro, summary.map((l) => `- ${l}`).join('\n'), ...outro].join('\n\n');
  return { subject, text, html: bookingHtml(intro, summary, outro, d.appLink) };
}

export interface SettlementIssuedEmailData {
  locale: Locale;
  recipientName: string;
  institutionName: string;
  companyName: string;
  /** 'YYYY-MM'. */
  month: string;
  /** One line per currency, already formatted by the caller ("1,234.50 RON"), with the direction of the net amount. */
  nets: { amount: string; direction: 'partner_pays_institution' | 'institution_pays_partner' | null }[];
  link: string;
}

function monthName(month: string, locale: Locale): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, 1)));
}

/** "Commission statement issued": tells the partner's admins (or contact person) that a month's statement is issued. */
export function renderSettlementIssuedEmail(d: SettlementIssuedEmailData): RenderedEmail {
  const ro = d.locale === 'ro';
  const month = monthName(d.month, d.locale);
  const subject = ro
    ? `Decont de comision emis — ${d.institutionName}, ${month}`
    : `Commission statement issued — ${d.institutionName}, ${month}`;
  const netLines = d.nets.map((n) => (ro
    ? (n.direction === 'partner_pays_institution' ? `${d.companyName} datorează ${d.institutionName}: ${n.amount}`
      : n.direction === 'institution_pays_partner' ? `${d.institutionName} datorează ${d.companyName}: ${n.amount}` : `Sold: ${n.amount}`)
    : (n.direction === 'partner_pays_institution' ? `${d.companyName} owes ${d.institutionName}: ${n.amount}`
      : n.direction === 'institution_pays_partner' ? `${d.institutionName} owes ${d.companyName}: ${n.amount}` : `Net: ${n.amount}`)));
  const lines = ro ? [
    `Bună ziua, ${d.recipientName},`,
    `${d.institutionName} a emis decontul de comision al ${d.companyName} pentru ${month}.`,
    ...netLines,
    'Vedeți decontul cu toate programările și descărcați-l în format CSV:',
    d.link,
  ] : [
    `Hello ${d.recipientName},`,
    `${d.institutionName} has issued the commission statement of ${d.companyName} for ${month}.`,
    ...netLines,
    'See the statement with every booking and download it as CSV:',
    d.link,
  ];
  return { subject, text: lines.join('\n\n'), html: paragraphs(lines, d.link) };
}
