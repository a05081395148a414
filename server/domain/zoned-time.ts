/**
 * Calendar dates, wall-clock times and instants in IANA time zones, built on Temporal (`temporal-polyfill`, the one
 * time-zone library of the server and the client; decision 006). Pure functions: a date is 'YYYY-MM-DD', a time is
 * 'HH:MM' or 'HH:MM:SS' (a location's wall clock), an instant is a JavaScript Date (UTC, as stored in the database).
 */
import { Temporal } from 'temporal-polyfill';

/** How a wall-clock time that a daylight-saving change skips (spring) or repeats (autumn) becomes an instant. */
export type Disambiguation = 'compatible' | 'earlier' | 'later' | 'reject';

/** A local calendar day, time of day and ISO weekday of an instant in a time zone. */
export interface LocalParts {
  date: string;
  time: string; // HH:MM (seconds dropped)
  minutes: number; // minutes after local midnight, 0..1439
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A 'YYYY-MM-DD' calendar date; RangeError when malformed or not a real date (2026-02-30). */
export function parseDate(date: string): Temporal.PlainDate {
  if (!DATE.test(date)) throw new RangeError(`Invalid date: ${date}`);
  return Temporal.PlainDate.from(date, { overflow: 'reject' });
}

export function isValidDate(date: string): boolean {
  try { parseDate(date); return true; } catch { return false; }
}

/** Whether `timeZone` is an IANA zone (or offset) that Temporal knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try { Temporal.Now.zonedDateTimeISO(timeZone); return true; } catch { return false; }
}

/** 'HH:MM[:SS]' → time of day; '24:00' is reported as `endOfDay` (midnight at the end of the date). */
function parseTime(time: string): { time: Temporal.PlainTime; endOfDay: boolean } {
  const m = TIME.exec(time);
  if (!m) throw new RangeError(`Invalid time: ${time}`);
  if (m[1] === '24' && m[2] === '00' && (m[3] ?? '00') === '00') return { time: Temporal.PlainTime.from('00:00'), endOfDay: true };
  return { time: Temporal.PlainTime.from(time, { overflow: 'reject' }), endOfDay: false };
}

function plainDateTime(date: string, time: string): Temporal.PlainDateTime {
  const t = parseTime(time);
  const d = t.endOfDay ? parseDate(date).add({ days: 1 }) : parseDate(date);
  return d.toPlainDateTime(t.time);
}

const toDate = (zdt: Temporal.ZonedDateTime | Temporal.Instant) => new Date(zdt.epochMilliseconds);
const toInstant = (instant: Date) => Temporal.Instant.fromEpochMilliseconds(instant.getTime());

/**
 * The instant of a wall-clock time in a zone. 'compatible' (the default, as java.time, Python and RFC 5545 do): a
 * skipped time counts as the same clock time after the change (03:30 on 29 March 2026 in Bucharest → 04:30 EEST), a
 * repeated time as its first occurrence. 'reject' throws a RangeError for both.
 */
export function localDateTimeToInstant(date: string, time: string, timeZone: string, disambiguation: Disambiguation = 'compatible'): Date {
  return toDate(plainDateTime(date, time).toZonedDateTime(timeZone, { disambiguation }));
}

/**
 * The boundary of a working period: the first instant at which the location's wall clock shows `time` on `date`, or,
 * when a daylight-saving change skips that time, the instant the clock jumps over it. Monotone in `time`, so a
 * period [from, to) of wall-clock times becomes exactly the real time a wall clock shows between them: in
 * Europe/Bucharest 02:00–05:00 lasts 2 hours on 29 March 2026 and 4 hours on 25 October 2026.
 */
export function wallClockBoundary(date: string, time: string, timeZone: string): Date {
  const wall = plainDateTime(date, time);
  const first = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  if (Temporal.PlainDateTime.compare(first.toPlainDateTime(), wall) === 0) return toDate(first);
  // Skipped: `first` lies before the gap; the next transition is the jump over it.
  const jump = first.getTimeZoneTransition('next');
  return toDate(jump ?? wall.toZonedDateTime(timeZone, { disambiguation: 'later' }));
}

/** A wall clock of one local date: `time` → `wallClockBoundary(date, time, timeZone)`. */
export type DayClock = (time: string) => Date;

const clocks = new Map<string, DayClock>();

/**
 * `wallClockBoundary` for many times of one date, fast: on a day without a daylight-saving change (all but two a
 * year) the offset is fixed and a boundary is plain arithmetic; on the others every time goes through Temporal.
 * Clocks are memoised per zone and date (pure; the memo is bounded).
 */
export function dayClock(date: string, timeZone: string): DayClock {
  const key = `${timeZone}|${date}`;
  let clock = clocks.get(key);
  if (clock) return clock;
  const day = parseDate(date);
  const start = day.toZonedDateTime({ timeZone });
  const nextStart = day.add({ days: 1 }).toZonedDateTime({ timeZone });
  const transition = start.getTimeZoneTransition('next');
  const fixed = start.hour === 0 && start.minute === 0 && start.second === 0
    && (transition === null || transition.epochMilliseconds >= nextStart.epochMilliseconds);
  const slow: DayClock = (time) => wallClockBoundary(date, time, timeZone);
  if (fixed) {
    const midnight = start.epochMilliseconds;
    clock = (time) => {
      const m = TIME.exec(time);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return slow(time); // 24:00, or the RangeError
      return new Date(midnight + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000);
    };
  } else clock = slow;
  if (clocks.size >= 5000) clocks.clear();
  clocks.set(key, clock);
  return clock;
}

/** Whether the wall clock of `timeZone` shows `time` on `date` at least once (false inside a spring-forward gap). */
export function wallClockExists(date: string, time: string, timeZone: string): boolean {
  const wall = plainDateTime(date, time);
  const first = wall.toZonedDateTime(timeZone, { disambiguation: 'earlier' });
  return Temporal.PlainDateTime.compare(first.toPlainDateTime(), wall) === 0;
}

/** The first instant of a local calendar day (usually 00:00; later where a daylight-saving change skips midnight). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  return toDate(parseDate(date).toZonedDateTime({ timeZone }));
}

const pad = (n: number) => String(n).padStart(2, '0');

export function instantToLocal(instant: Date, timeZone: string): LocalParts {
  const z = toInstant(instant).toZonedDateTimeISO(timeZone);
  return {
    date: z.toPlainDate().toString(),
    time: `${pad(z.hour)}:${pad(z.minute)}`,
    minutes: z.hour * 60 + z.minute,
    weekday: z.dayOfWeek,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in minutes (negative west of Greenwich). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  return Math.round(toInstant(instant).toZonedDateTimeISO(timeZone).offsetNanoseconds / 60e9);
}

export function addDays(date: string, days: number): string {
  return parseDate(date).add({ days }).toString();
}

/** The Monday of the ISO week containing `date`. */
export function mondayOf(date: string): string {
  const d = parseDate(date);
  return d.subtract({ days: d.dayOfWeek - 1 }).toString();
}

/** The seven dates Monday … Sunday of the week that starts on (or contains) `date`. */
export function weekDates(date: string): string[] {
  const monday = parseDate(mondayOf(date));
  return Array.from({ length: 7 }, (_, i) => monday.add({ days: i }).toString());
}

/** Today's calendar date in a zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return toInstant(now).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** ISO 8601 week number (1..53) of a calendar date. */
export function isoWeekNumber(date: string): number {
  return parseDate(date).weekOfYear as number; // always defined in the ISO calendar
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return parseDate(date).dayOfWeek;
}

/** The dates from `from` to `to` inclusive (empty when `to` is before `from`). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const last = parseDate(to);
  for (let d = parseDate(from); Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) out.push(d.toString());
  return out;
}
