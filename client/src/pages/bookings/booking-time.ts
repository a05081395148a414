/**
 * Times of bookings as a location's wall clock (never the organisation's or the browser's zone): the local date and
 * time of an instant in a location's IANA zone, weeks as Monday + 7 dates, and whether a zone differs from the
 * browser's. Built on temporal-polyfill, the same library the server computes slots with. Pure, no UI imports.
 */
import { Temporal } from 'temporal-polyfill';

const YMD = /^\d{4}-\d{2}-\d{2}$/;

export function isYmd(value: string | undefined | null): value is string {
  if (!value || !YMD.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

function zoned(iso: string, zone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.from(iso).toZonedDateTimeISO(zone);
}

/** The calendar date (YYYY-MM-DD) of an instant on the wall clock of `zone`. */
export function localDate(iso: string, zone: string): string {
  return zoned(iso, zone).toPlainDate().toString();
}

/** The wall-clock time (HH:MM) of an instant in `zone`. */
export function localTime(iso: string, zone: string): string {
  return zoned(iso, zone).toPlainTime().toString({ smallestUnit: 'minute' });
}

/** The Monday of the week that contains `date` (YYYY-MM-DD). */
export function mondayOf(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

/** The seven dates Monday..Sunday of the week starting at `weekStart`. */
export function weekDates(weekStart: string): string[] {
  const monday = Temporal.PlainDate.from(weekStart);
  return Array.from({ length: 7 }, (_, i) => monday.add({ days: i }).toString());
}

/** Today's date on the wall clock of `zone`. */
export function todayIn(zone: string, now: Date = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** The browser's own IANA time zone. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True when `zone` shows other wall-clock times than the browser's zone (so the screen must name it). */
export function differsFromBrowser(zone: string, browserZone: string = browserTimeZone()): boolean {
  return zone !== browserZone;
}

/** Minutes between two instants. */
export function minutesBetween(startIso: string, endIso: string): number {
  return Math.round((Date.parse(endIso) - Date.parse(startIso)) / 60_000);
}

const ARRIVAL_LEAD_MS = 24 * 3600_000;

/**
 * Which staff marks to offer now (the server decides; this only avoids offering what it refuses): arrival from
 * 24 hours before the start, no-show once the appointment has started.
 */
export function markAvailability(startsAt: string, now: number = Date.now()): { arrived: boolean; noshow: boolean } {
  const start = Date.parse(startsAt);
  return { arrived: now >= start - ARRIVAL_LEAD_MS, noshow: now >= start };
}
