/**
 * Wall-clock times in IANA time zones, on temporal-polyfill (the same library the server computes slots with; decision
 * 006): what instant "2025-03-30 10:00 in Europe/Bucharest" is (the audit log's period filter, whose inputs are in the
 * organisation's zone), which calendar day it is in a zone, and the local date/time of an instant in a LOCATION's zone
 * for calendars and booking details. Pure functions, no UI imports.
 */
import { Temporal } from 'temporal-polyfill';

const toZoned = (instant: number | string | Date, zone: string): Temporal.ZonedDateTime => {
  const ms = typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
};

/** How far `zone`'s wall clock is ahead of UTC at `instant` (milliseconds; negative west of Greenwich). */
export function zoneOffsetMs(instant: number, zone: string): number {
  return toZoned(instant, zone).offsetNanoseconds / 1e6;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The value of a datetime-local input ("2025-01-15T10:00"), read as a wall-clock time in `zone`, as an ISO instant
 * ("2025-01-15T08:00:00.000Z" for Europe/Bucharest in winter). Null when the value is not a complete, real date and
 * time. A time skipped by a daylight-saving change counts as the same clock time after the change; a repeated time as
 * its first occurrence (Temporal's 'compatible' disambiguation).
 */
export function zonedLocalToIso(value: string, zone: string): string | null {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return null;
  try {
    const wall = Temporal.PlainDateTime.from({
      year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0),
    }, { overflow: 'reject' });
    return new Date(wall.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds).toISOString();
  } catch {
    return null;
  }
}

/** Today's calendar date in `zone`, as YYYY-MM-DD. */
export function todayInZone(zone: string, now: Date = new Date()): string {
  return toZoned(now, zone).toPlainDate().toString();
}

/** The calendar date (YYYY-MM-DD) of an instant on the wall clock of `zone`. */
export function localDate(iso: string | Date, zone: string): string {
  return toZoned(iso, zone).toPlainDate().toString();
}

/** The wall-clock time (HH:MM) of an instant in `zone`. */
export function localTime(iso: string | Date, zone: string): string {
  return toZoned(iso, zone).toPlainTime().toString({ smallestUnit: 'minute' });
}

/** The Monday of the ISO week that contains `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The seven dates Monday … Sunday of the week that starts on (or contains) `weekStart`. */
export function weekDates(weekStart: string): string[] {
  const monday = Temporal.PlainDate.from(mondayOf(weekStart));
  return Array.from({ length: 7 }, (_, i) => monday.add({ days: i }).toString());
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant formatted on the wall clock of `zone` (a location's zone for anything that happens at a location), e.g.
 * formatInZone(iso, 'Europe/Bucharest', 'ro-RO', { dateStyle: 'medium', timeStyle: 'short' }). Formatters are cached,
 * calendars format hundreds of slots. An invalid instant is returned as given.
 */
export function formatInZone(iso: string | Date, zone: string, locale: string, opts: Intl.DateTimeFormatOptions = {}): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const key = `${locale}|${zone}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: zone });
    formatters.set(key, f);
  }
  return f.format(date);
}
