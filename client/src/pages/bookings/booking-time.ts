/**
 * Times of bookings as a location's wall clock (never the organisation's or the browser's zone): the local date and
 * time of an instant in a location's IANA zone, weeks as Monday + 7 dates, and whether a zone differs from the
 * browser's. Built on temporal-polyfill (through client/src/zoned-time.ts), the same library the server computes slots
 * with. Pure, no UI imports.
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

// Wall-clock dates and times of a location come from the client's one time-zone module (temporal-polyfill).
export { addDays, localDate, localTime, mondayOf, todayInZone as todayIn, weekDates } from '../../zoned-time';


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
