/**
 * How audit log entries read on screen: a friendly label for each action code the server writes, a label for the
 * families of codes this client does not know yet (partnership.*, user.*, schedule*, …), labels for object types and
 * fields, and the changed values formatted as on the forms (12.5 %, 25.00 RON, location names, Yes/No, status labels,
 * bookings as "Booking #id, <date/time in the location's zone>"). The server (server/audit-view.ts) sends typed values
 * with names resolved; an unknown field still reads as words ("Contact email"), never as JSON.
 */
import { formatCalendarDate, formatDateTime, hasMessage, intlLocale, t, type MessageKey } from '../../i18n';
import type { RouterOutputs } from '../../trpc';
import { formatCommission, formatMoney, paymentLocationLabel, statusLabel, yesNo } from '../partners/partner-format';

export type AuditEntry = RouterOutputs['audit']['list']['entries'][number];
export type AuditChange = AuditEntry['changes'][number];
export type AuditValue = NonNullable<AuditChange['after']>;

/** Families of action codes, longest prefix first: a code the client does not know still gets its family's label. */
const ACTION_FAMILIES: readonly [prefix: string, key: MessageKey][] = [
  ['schedule_exception.', 'audit.family.schedule_exception'],
  ['schedule', 'audit.family.schedule'],
  ['partnership.', 'audit.family.partnership'],
  ['user.', 'audit.family.user'],
  ['auth.', 'audit.family.auth'],
  ['authz.', 'audit.family.authz'],
  ['traffic_channels.', 'audit.family.traffic_channels'],
  ['location.', 'audit.family.location'],
  ['qualification.', 'audit.family.qualification'],
  ['physician.', 'audit.family.physician'],
  ['service.', 'audit.family.service'],
  ['booking.', 'audit.family.booking'],
  ['patient.', 'audit.family.patient'],
  ['settlement.', 'audit.family.settlement'],
];

/** "partnership.approve" → "Invitation approved"; an unknown code of a known family → the family ("Partners"). */
export function actionLabel(code: string): string | null {
  const key = `audit.action.${code}`;
  if (hasMessage(key)) return t(key);
  const family = ACTION_FAMILIES.find(([prefix]) => code.startsWith(prefix));
  return family ? t(family[1]) : null;
}

/** An action as the filter lists it: its label, or its family's with the rest of the code in words; never a raw code. */
export function actionOptionLabel(code: string): string {
  if (hasMessage(`audit.action.${code}`)) return t(`audit.action.${code}` as MessageKey);
  const family = ACTION_FAMILIES.find(([prefix]) => code.startsWith(prefix));
  const rest = readableKey(family ? code.slice(family[0].length).replace(/^[._]+/, '') : code);
  return family ? `${t(family[1])}: ${rest}` : rest;
}

/** "partnership" → "Partner"; unknown types as words. */
export function objectTypeLabel(type: string): string {
  const key = `audit.object.${type}`;
  return hasMessage(key) ? t(key) : readableKey(type);
}

/** "contactEmail" / "bookings_left" → "Contact email" / "Bookings left": the label of a field this client does not know. */
export function readableKey(key: string): string {
  const words = key.replace(/[_.-]+/g, ' ').replace(/([a-z\d])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

/** A field's label in the user's language ("commission" → "Commission" / "Comision"); unknown fields as words. */
export function fieldLabel(field: string): string {
  const key = `audit.field.${field}`;
  return hasMessage(key) ? t(key) : readableKey(field);
}

function enumLabel(domain: string, code: string): string {
  switch (domain) {
    case 'partnershipStatus': return statusLabel(code);
    case 'paymentLocation': return paymentLocationLabel(code);
    case 'userStatus': return labelOr(`users.status.${code}`, code);
    case 'role': return labelOr(`users.role.${code}`, code);
    case 'settlementStatus': return labelOr(`settlements.status.${code}`, code);
    case 'locale': return labelOr(`language.${code}`, code);
    case 'weekParity': return labelOr(`schedule.parity.${code}`, code);
    case 'exceptionKind': return labelOr(`schedule.kind.${code}`, code);
    case 'channel': return labelOr(`traffic.channel.${code}`, code);
    default: return readableKey(code);
  }
}

function labelOr(key: string, code: string): string {
  return hasMessage(key) ? t(key) : readableKey(code);
}

/** ISO weekday 1–7 → "Monday" / "luni". */
function weekdayName(weekday: number): string {
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) return String(weekday);
  return new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

/** "2026-03" → "March 2026" / "martie 2026". */
function monthName(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/** An object named by the server, or "Location #3" when it is gone (or not the caller's to name). */
function refName(type: string, id: number, name: string | null): string {
  return name ?? t('audit.unnamed', { object: objectTypeLabel(type === 'organisation' ? 'institution' : type), id });
}

/** "Booking #812, 3 Mar 2031, 10:00 EET": its start in the location's time zone. */
export function bookingName(id: number, startsAt: string | null, zone: string | null): string {
  return startsAt ? t('audit.booking', { id, when: formatDateTime(startsAt, zone ?? undefined) }) : t('audit.bookingId', { id });
}

/** One value as the forms show it. */
export function formatAuditValue(v: AuditValue): string {
  switch (v.kind) {
    case 'text': return v.text;
    case 'number': return new Intl.NumberFormat(intlLocale()).format(v.value);
    case 'bool': return yesNo(v.value);
    case 'enum': return enumLabel(v.domain, v.code);
    case 'commission': return formatCommission(v.type, v.value, v.currency);
    case 'money': return formatMoney(v.minor, v.currency);
    case 'minutes': return t('catalogue.minutes', { n: v.value });
    case 'hours': return t('catalogue.hours', { n: v.value });
    case 'date': return formatCalendarDate(v.date);
    case 'time': return v.time;
    case 'month': return monthName(v.month);
    case 'weekday': return weekdayName(v.weekday);
    case 'ref': return refName(v.type, v.id, v.name);
    case 'booking': return bookingName(v.id, v.startsAt, v.timeZone);
    case 'channelChange':
      return t(v.enabled ? 'audit.channelOn' : 'audit.channelOff', { service: formatAuditValue(v.service), channel: formatAuditValue(v.channel) });
    case 'list': return v.items.length ? v.items.map(formatAuditValue).join(', ') : t('audit.none');
    case 'empty': return t('audit.none');
  }
}

/** Lists of channel changes read better one per line. */
export function auditValueLines(v: AuditValue): string[] {
  if (v.kind === 'list' && v.items.some((i) => i.kind === 'channelChange')) return v.items.map(formatAuditValue);
  return [formatAuditValue(v)];
}

/** The object an entry is about: "Partner MedPlus Diagnostic SRL"-style parts, the type label and its name. */
export function objectName(entry: Pick<AuditEntry, 'object'>): string | null {
  const name = entry.object.name;
  return name ? formatAuditValue(name) : null;
}
