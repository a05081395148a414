/**
 * "What changed in your partnership" (issue 10, item 3), in English and Romanian: the partnership ended, the
 * invitation was withdrawn, the commercial terms or the authorised services changed. Values read as on the forms:
 * commission as "12.5 %" / "25.00 RON per booking", payment location and patient-data access in words, locations and
 * services by name; only what changed, before → after. Times in the institution's time zone.
 */
import { formatMoney } from '../../server/domain/commission';
import type { Locale, RenderedEmail } from './templates';

export type NoticeTermsField = 'commission' | 'paymentLocation' | 'patientDataAccess' | 'locationIds';

export interface CommissionTerms { commissionType: 'none' | 'percent' | 'fixed'; commissionValue: number; commissionCurrency: string | null }

/** One changed term, with its values as the form shows them (the caller resolves location IDs to names). */
export type NoticeTermChange =
  | { field: 'commission'; before: CommissionTerms; after: CommissionTerms }
  | { field: 'paymentLocation'; before: 'partner' | 'institution'; after: 'partner' | 'institution' }
  | { field: 'patientDataAccess'; before: boolean; after: boolean }
  | { field: 'locationIds'; before: string[]; after: string[] };

export type PartnershipNoticeEmailData = {
  locale: Locale;
  recipientName: string;
  institutionName: string;
  companyName: string;
  timeZone: string;
  /** The partner's page in the app, or null for a recipient without an account (a registration's contact person). */
  link: string | null;
} & (
  | { kind: 'ended'; endedAt: Date }
  | { kind: 'withdrawn'; path: 'approval' | 'registration' }
  | { kind: 'terms'; changes: NoticeTermChange[] }
  | { kind: 'services'; before: string[]; after: string[] }
);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

function formatTime(date: Date, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', {
    year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
  }).format(date);
}

/** 1250 basis points → "12.5 %" (en) / "12,5 %" (ro); 2550 RON minor units → "25.50 RON per booking". */
export function formatCommission(c: CommissionTerms, locale: Locale): string {
  if (c.commissionType === 'percent') {
    return `${new Intl.NumberFormat(locale === 'ro' ? 'ro-RO' : 'en-GB', { maximumFractionDigits: 2 }).format(c.commissionValue / 100)} %`;
  }
  if (c.commissionType === 'fixed') {
    const amount = formatMoney(c.commissionValue, c.commissionCurrency ?? '', locale);
    return locale === 'ro' ? `${amount} per rezervare` : `${amount} per booking`;
  }
  return locale === 'ro' ? 'Fără' : 'None';
}

const LABELS = {
  en: {
    commission: 'Commission', paymentLocation: 'Payment location', patientDataAccess: 'Access to patient data', locationIds: 'Locations',
    services: 'Authorised services', added: 'Added', removed: 'No longer authorised', none: 'none', yes: 'Yes', no: 'No',
    partner: 'At the partner', institution: 'At the institution', hello: (n: string) => `Hello ${n},`, see: 'See your partnerships in the app:',
  },
  ro: {
    commission: 'Comision', paymentLocation: 'Locul plății', patientDataAccess: 'Acces la datele pacienților', locationIds: 'Locații',
    services: 'Servicii autorizate', added: 'Adăugate', removed: 'Nu mai sunt autorizate', none: 'niciunul', yes: 'Da', no: 'Nu',
    partner: 'La partener', institution: 'La instituție', hello: (n: string) => `Bună ziua, ${n},`, see: 'Vedeți parteneriatele dumneavoastră în aplicație:',
  },
} as const;

const list = (names: string[], none: string) => (names.length ? names.join(', ') : none);

/** "Commission: 10 % → 12.5 %" — one line per changed term. */
export function termLines(changes: NoticeTermChange[], locale: Locale): string[] {
  const l = LABELS[locale];
  return changes.map((c) => {
    const [before, after] = c.field === 'commission' ? [formatCommission(c.before, locale), formatCommission(c.after, locale)]
      : c.field === 'paymentLocation' ? [l[c.before], l[c.after]]
      : c.field === 'patientDataAccess' ? [c.before ? l.yes : l.no, c.after ? l.yes : l.no]
      : [list(c.before, l.none), list(c.after, l.none)];
    return `${l[c.field]}: ${before} → ${after}`;
  });
}

export function renderPartnershipNoticeEmail(d: PartnershipNoticeEmailData): RenderedEmail {
  const ro = d.locale === 'ro';
  const l = LABELS[d.locale];
  let subject: string;
  let body: string[];
  const details: string[] = [];
  switch (d.kind) {
    case 'ended': {
      const when = formatTime(d.endedAt, d.locale, d.timeZone);
      subject = ro ? `Parteneriat încheiat — ${d.institutionName}` : `Partnership ended — ${d.institutionName}`;
      body = ro ? [
        `${d.institutionName} a încheiat parteneriatul cu ${d.companyName} la ${when}.`,
        `De acum nu mai puteți face rezervări noi la ${d.institutionName}. Rezervările făcute deja și deconturile de comision rămân neschimbate.`,
      ] : [
        `${d.institutionName} ended its partnership with ${d.companyName} on ${when}.`,
        `From now on you can no longer make new bookings at ${d.institutionName}. Bookings already made and commission statements stay as they are.`,
      ];
      break;
    }
    case 'withdrawn': {
      subject = ro ? `Invitație retrasă — ${d.institutionName}` : `Invitation withdrawn — ${d.institutionName}`;
      body = ro ? [
        `${d.institutionName} și-a retras invitația adresată ${d.companyName} de a deveni partener.`,
        d.path === 'registration' ? 'Linkul de înregistrare din e-mailul anterior nu mai funcționează. Nu este nevoie să faceți nimic.'
          : 'Invitația nu mai poate fi aprobată în aplicație. Nu este nevoie să faceți nimic.',
      ] : [
        `${d.institutionName} withdrew its invitation to ${d.companyName} to become a partner.`,
        d.path === 'registration' ? 'The registration link in the earlier email no longer works. There is nothing you need to do.'
          : 'The invitation can no longer be approved in the app. There is nothing you need to do.',
      ];
      break;
    }
    case 'terms': {
      subject = ro ? `Condițiile parteneriatului s-au schimbat — ${d.institutionName}` : `Partnership terms changed — ${d.institutionName}`;
      body = [ro ? `${d.institutionName} a modificat condițiile parteneriatului cu ${d.companyName}:` : `${d.institutionName} changed the terms of its partnership with ${d.companyName}:`];
      details.push(...termLines(d.changes, d.locale));
      break;
    }
    case 'services': {
      subject = ro ? `Serviciile autorizate s-au schimbat — ${d.institutionName}` : `Authorised services changed — ${d.institutionName}`;
      body = [ro ? `${d.institutionName} a modificat serviciile pe care ${d.companyName} le poate rezerva:` : `${d.institutionName} changed the services ${d.companyName} may book:`];
      const added = d.after.filter((s) => !d.before.includes(s));
      const removed = d.before.filter((s) => !d.after.includes(s));
      details.push(`${l.services}: ${list(d.before, l.none)} → ${list(d.after, l.none)}`);
      if (added.length) details.push(`${l.added}: ${added.join(', ')}`);
      if (removed.length) details.push(`${l.removed}: ${removed.join(', ')}`);
      break;
    }
  }
  const intro = [l.hello(d.recipientName), ...body];
  const outro = d.link ? [l.see, d.link] : [];
  const text = [...intro, ...(details.length ? [details.map((x) => `- ${x}`).join('\n')] : []), ...outro].join('\n\n');
  const p = (x: string) => (x === d.link ? `<p><a href="${escapeHtml(x)}">${escapeHtml(x)}</a></p>` : `<p>${escapeHtml(x)}</p>`);
  const html = intro.map(p).join('') + (details.length ? `<ul>${details.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '') + outro.map(p).join('');
  return { subject, text, html };
}
