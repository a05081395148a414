/**
 * How commission settlement reads on screen: money in the currency's own minor digits (integer arithmetic, never
 * minor / 100 through floats), settlement months in the institution's time zone (past months only), the net of a
 * statement in one direction in words, statement statuses, the commission rule of a line and the reason of an
 * adjustment line. Pure functions over API values; words come from the dictionaries.
 *
 * The minor-digit table is the client's copy of server/domain/commission.ts (the client never imports server code at
 * run time); a test keeps the two in step.
 */
import { Temporal } from 'temporal-polyfill';
import { intlLocale, t, type MessageKey } from '../../i18n';

/** Number of minor digits per ISO currency (ISO 4217); 2 unless listed. Same table as the server's. */
export const MINOR_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/**
 * Minor units as an amount with the currency code: 123400 RON → "1,234.00 RON" (en) / "1.234,00 RON" (ro),
 * 1500 JPY → "1,500 JPY", -250 RON → "-2.50 RON". Grouping and separators follow the UI language (Intl), the digits
 * come from integers, so no amount is ever off by a rounding error.
 */
export function formatMoney(minor: number, currency: string, locale: string = intlLocale()): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = BigInt(Math.round(Math.abs(minor)));
  const unit = 10n ** BigInt(digits);
  const parts = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, useGrouping: true }).formatToParts(1234.5);
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const frac = digits ? `${decimal}${(abs % unit).toString().padStart(digits, '0')}` : '';
  return `${negative ? '-' : ''}${whole}${frac} ${currency}`;
}

export type NetDirection = 'partner_pays_institution' | 'institution_pays_partner' | null;

export interface NetTotal { currency: string; netAbsMinor: number; direction: NetDirection }

/** "Partner pays institution 1,234.00 RON" / "Institution pays partner …" / "Nothing to pay (RON)". */
export function netText(total: NetTotal, locale: string = intlLocale()): string {
  const amount = formatMoney(total.netAbsMinor, total.currency, locale);
  if (total.direction === 'partner_pays_institution') return t('settlements.net.partnerPays', { amount });
  if (total.direction === 'institution_pays_partner') return t('settlements.net.institutionPays', { amount });
  return t('settlements.net.none', { currency: total.currency });
}

/** The same net with the parties' names: "MedPlus Diagnostic SRL pays Centrul Medical Napoca SRL 1,234.00 RON". */
export function netTextNamed(total: NetTotal, names: { institution: string; partner: string }, locale: string = intlLocale()): string {
  const amount = formatMoney(total.netAbsMinor, total.currency, locale);
  if (total.direction === 'partner_pays_institution') return t('settlements.net.pays', { payer: names.partner, payee: names.institution, amount });
  if (total.direction === 'institution_pays_partner') return t('settlements.net.pays', { payer: names.institution, payee: names.partner, amount });
  return t('settlements.net.none', { currency: total.currency });
}

// ---------------------------------------------------------------------------------------------------------------
// Months

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string | undefined | null): value is string {
  return !!value && MONTH.test(value) && Number(value.slice(0, 4)) >= 2000;
}

/** The current month ('YYYY-MM') on the wall clock of `zone`. */
export function currentMonthIn(zone: string, now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString().slice(0, 7);
}

export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month a settlement page opens on: last month in the institution's zone. */
export function lastMonthIn(zone: string, now: Date = new Date()): string {
  return previousMonth(currentMonthIn(zone, now));
}

/** Whether a month is over in the zone (the only months that can be settled). */
export function isPastMonthIn(month: string, zone: string, now: Date = new Date()): boolean {
  return isMonth(month) && month < currentMonthIn(zone, now);
}

/** The past months a settlement can be run for, newest first: last month and the `count` − 1 before it. */
export function pastMonths(zone: string, count = 24, now: Date = new Date()): string[] {
  const out: string[] = [];
  let m = currentMonthIn(zone, now);
  for (let i = 0; i < count; i++) {
    m = previousMonth(m);
    if (Number(m.slice(0, 4)) < 2000) break;
    out.push(m);
  }
  return out;
}

/** "November 2026" / "noiembrie 2026". */
export function formatMonth(ym: string, locale: string = intlLocale()): string {
  if (!MONTH.test(ym)) return ym;
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** Today's date ('YYYY-MM-DD') in a zone: the latest payment date a statement can have. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** The local date of an instant in a zone (a statement's issue day: the earliest payment date). */
export function localDateIn(iso: string, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(Date.parse(iso)).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** Why a payment date cannot be saved (the server's rule, checked before asking it), or null. */
export function paidOnProblem(paidOn: string, bounds: { today: string; issuedOn: string | null }): MessageKey | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOn)) return 'settlement.paid_on_invalid';
  try {
    Temporal.PlainDate.from(paidOn, { overflow: 'reject' });
  } catch {
    return 'settlement.paid_on_invalid';
  }
  if (paidOn > bounds.today) return 'settlement.paid_on_future';
  if (bounds.issuedOn && paidOn < bounds.issuedOn) return 'settlement.paid_before_issue';
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Labels

export const STATEMENT_STATUSES = ['draft', 'issued', 'paid'] as const;

export function statementStatusLabel(status: string): string {
  return (STATEMENT_STATUSES as readonly string[]).includes(status) ? t(`settlements.status.${status}` as MessageKey) : status;
}

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

export function runStatusLabel(status: string): string {
  return (RUN_STATUSES as readonly string[]).includes(status) ? t(`settlements.run.status.${status}` as MessageKey) : status;
}

export function isRunActive(status: string | undefined | null): boolean {
  return status === 'queued' || status === 'running';
}

export const ADJUSTMENT_NOTES = ['cancelled', 'noshow', 'fulfilled', 'corrected', 'moved', 'status_changed'] as const;

/** Why an adjustment line is there, in words ("Cancelled after the statement was issued"). */
export function adjustmentNoteText(note: string | null): string {
  if (note && (ADJUSTMENT_NOTES as readonly string[]).includes(note)) return t(`settlements.note.${note}` as MessageKey);
  return t('settlements.note.other');
}

/** 1250 basis points → "12.5 %"; fixed 2500 RON → "25.00 RON per booking"; none → "No commission". */
export function commissionRuleText(type: string, value: number, currency: string, locale: string = intlLocale()): string {
  if (type === 'percent') {
    return t('settlements.rule.percent', { percent: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value / 100) });
  }
  if (type === 'fixed') return t('settlements.rule.fixed', { amount: formatMoney(value, currency, locale) });
  return t('settlements.rule.none');
}

/** A progress share 0…100 of partnerships done, or null when the total is not known yet. */
export function progressPercent(done: number, total: number): number | null {
  if (!total || total < 0) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** Statements grouped per institution (institutions by name; within one, the given order: newest month first). */
export function groupByInstitution<S extends { institutionId: number; institutionName: string }>(list: S[]): { institutionId: number; institutionName: string; statements: S[] }[] {
  const groups = new Map<number, { institutionId: number; institutionName: string; statements: S[] }>();
  for (const s of list) {
    let g = groups.get(s.institutionId);
    if (!g) groups.set(s.institutionId, g = { institutionId: s.institutionId, institutionName: s.institutionName, statements: [] });
    g.statements.push(s);
  }
  return [...groups.values()].sort((a, b) => a.institutionName.localeCompare(b.institutionName));
}
