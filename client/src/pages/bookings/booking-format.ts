/**
 * How bookings read on screen: status, payment status and booking source labels, days and times on the location's
 * clock, and the before → after of a history event. Values come from the API; words come from the dictionaries.
 */
import { formatDateTime, intlLocale, t, type MessageKey } from '../../i18n';
import { formatMoney } from '../partners/partner-format';

export const BOOKING_STATUSES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;
export const PAYMENT_STATUSES = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'paid_at_partner', 'not_paid'] as const;
/** The payment statuses institution staff may set (paid at partner follows from the partnership). */
export const STAFF_PAYMENT_STATUSES = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'not_paid'] as const;

export function bookingStatusLabel(status: string): string {
  return (BOOKING_STATUSES as readonly string[]).includes(status) ? t(`booking.status.${status}` as MessageKey) : status;
}

export function paymentStatusLabel(status: string): string {
  return (PAYMENT_STATUSES as readonly string[]).includes(status) ? t(`booking.payment.${status}` as MessageKey) : status;
}

export function sourceLabel(source: { kind: string; partnerName: string | null }): string {
  switch (source.kind) {
    case 'online': return t('booking.source.online');
    case 'phone': return t('booking.source.phone');
    case 'staff': return t('booking.source.staff');
    case 'partner': return source.partnerName ? t('booking.source.partnerNamed', { partner: source.partnerName }) : t('booking.source.partner');
    default: return source.kind;
  }
}

/** What a patient pays where, from the partnership's payment location. */
export function paymentLocationText(paymentLocation: string | null): string {
  return paymentLocation === 'partner' ? t('booking.payment.paid_at_partner') : t('booking.payment.payment_upon_examination');
}

/** "Mon 30 Nov" for a column heading (a calendar day: no zone shift). */
export function formatDayHeading(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(intlLocale(), { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** "Monday, 30 November 2026" for labels read out by screen readers. */
export function formatLongDate(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** "Mon 30 Nov 2026, 09:00" on the location's clock (with the zone's abbreviation). */
export function formatAppointment(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(intlLocale(), {
    weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
    timeZone, timeZoneName: 'short',
  }).format(new Date(iso));
}

/** A zone's long name in the current language, e.g. "Eastern European Standard Time", with its IANA id. */
export function zoneName(timeZone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat(intlLocale(), { timeZone, timeZoneName: 'long' })
      .formatToParts(at).find((p) => p.type === 'timeZoneName');
    return part ? `${part.value} (${timeZone})` : timeZone;
  } catch {
    return timeZone;
  }
}

export function formatPrice(minor: number, currency: string): string {
  return formatMoney(minor, currency);
}

const EVENT_TYPES = ['created', 'moved', 'service_changed', 'cancelled', 'status_changed', 'payment_changed'] as const;

export function eventTypeLabel(type: string): string {
  return (EVENT_TYPES as readonly string[]).includes(type) ? t(`booking.event.${type}` as MessageKey) : type;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  startsAt: 'booking.field.when',
  serviceId: 'booking.field.service',
  serviceName: 'booking.field.service',
  priceMinor: 'booking.field.price',
  source: 'booking.field.source',
  status: 'booking.field.status',
  paymentStatus: 'booking.field.paymentStatus',
  reason: 'booking.field.reason',
};

/** Fields of an event's before/after worth showing (an id is hidden when a name says the same). */
function shownFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => k in FIELD_LABELS && !(k === 'serviceId' && keys.includes('serviceName')));
}

export interface EventContext {
  timeZone: string;
  /** The name of a service id, when known. */
  serviceName?: (id: number) => string | undefined;
}

function formatValue(field: string, value: unknown, all: Record<string, unknown>, ctx: EventContext): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'startsAt' && typeof value === 'string') return formatAppointment(value, ctx.timeZone);
  if (field === 'status' && typeof value === 'string') return bookingStatusLabel(value);
  if (field === 'paymentStatus' && typeof value === 'string') return paymentStatusLabel(value);
  if (field === 'source' && typeof value === 'string') return sourceLabel({ kind: value, partnerName: null });
  if (field === 'serviceId' && typeof value === 'number') return ctx.serviceName?.(value) ?? `#${value}`;
  if (field === 'priceMinor' && typeof value === 'number' && typeof all.currency === 'string') return formatMoney(value, all.currency);
  return String(value);
}

export interface EventChange { label: string; before: string | null; after: string }

/** The readable changes of an event: "Status: Booked → Arrived". */
export function eventChanges(event: { before: unknown; after: unknown }, ctx: EventContext): EventChange[] {
  const before = (event.before && typeof event.before === 'object' ? event.before : {}) as Record<string, unknown>;
  const after = (event.after && typeof event.after === 'object' ? event.after : {}) as Record<string, unknown>;
  return shownFields(before, after).map((field) => ({
    label: t(FIELD_LABELS[field]!),
    before: field in before ? formatValue(field, before[field], before, ctx) : null,
    after: formatValue(field, after[field], after, ctx),
  }));
}

export function formatWhen(iso: string): string {
  return formatDateTime(iso);
}
