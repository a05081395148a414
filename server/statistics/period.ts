/**
 * Statistics periods in the institution's time zone, pure: "this month", "last month" or custom local dates (both
 * inclusive, at most 366 days), turned into the UTC instants [startsAt, endsBefore) that bookings.starts_at is compared
 * with, plus the zone's UTC-offset segments inside the period so that SQL can group by local day or month exactly
 * (MariaDB's CONVERT_TZ needs the server's time-zone tables, which we do not rely on).
 */
import { Temporal } from 'temporal-polyfill';
import { sql, type SQL } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';
import { instantToLocal, isValidDate, parseDate, startOfLocalDay, todayIn } from '../domain/zoned-time';

export const MAX_PERIOD_DAYS = 366;

export type PeriodInput = { kind: 'thisMonth' } | { kind: 'lastMonth' } | { kind: 'custom'; from: string; to: string };

export interface Period {
  /** First local date of the period (inclusive), 'YYYY-MM-DD'. */
  from: string;
  /** Last local date of the period (inclusive). */
  to: string;
  timeZone: string;
  /** The first instant of `from` in the zone. */
  startsAt: Date;
  /** The first instant of the day after `to`: bookings with startsAt < endsBefore are in the period. */
  endsBefore: Date;
}

/** What is wrong with a custom period, as the error key of the field it belongs to; null when it is fine. */
export function customPeriodProblem(from: string, to: string): { field: 'from' | 'to'; key: string } | null {
  if (!isValidDate(from)) return { field: 'from', key: 'statistics.date_invalid' };
  if (!isValidDate(to)) return { field: 'to', key: 'statistics.date_invalid' };
  const days = parseDate(from).until(parseDate(to), { largestUnit: 'days' }).days;
  if (days < 0) return { field: 'to', key: 'statistics.period_end_before_start' };
  if (days + 1 > MAX_PERIOD_DAYS) return { field: 'to', key: 'statistics.period_too_long' };
  return null;
}

/** The local dates of a period input, relative to today in the zone. Throws RangeError for an invalid custom period. */
export function periodDates(input: PeriodInput, timeZone: string, now: Date): { from: string; to: string } {
  if (input.kind === 'custom') {
    const problem = customPeriodProblem(input.from, input.to);
    if (problem) throw new RangeError(problem.key);
    return { from: input.from, to: input.to };
  }
  const today = parseDate(todayIn(timeZone, now));
  const first = today.with({ day: 1 });
  const month = input.kind === 'thisMonth' ? first : first.subtract({ months: 1 });
  return { from: month.toString(), to: month.add({ months: 1 }).subtract({ days: 1 }).toString() };
}

export function resolvePeriod(input: PeriodInput, timeZone: string, now: Date = new Date()): Period {
  const { from, to } = periodDates(input, timeZone, now);
  return {
    from, to, timeZone,
    startsAt: startOfLocalDay(from, timeZone),
    endsBefore: startOfLocalDay(parseDate(to).add({ days: 1 }).toString(), timeZone),
  };
}

/** A stretch of time with one UTC offset: instants before `until` (null: to the end) are `offsetMinutes` ahead of UTC. */
export interface OffsetSegment { until: Date | null; offsetMinutes: number }

/** The zone's offsets between two instants, split at its daylight-saving transitions (usually 1–3 segments a year). */
export function offsetSegments(start: Date, end: Date, timeZone: string): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let z = Temporal.Instant.fromEpochMilliseconds(start.getTime()).toZonedDateTimeISO(timeZone);
  for (;;) {
    const offsetMinutes = Math.round(z.offsetNanoseconds / 60e9);
    const next = z.getTimeZoneTransition('next');
    if (!next || next.epochMilliseconds >= end.getTime()) {
      segments.push({ until: null, offsetMinutes });
      return segments;
    }
    segments.push({ until: new Date(next.epochMilliseconds), offsetMinutes });
    z = next;
  }
}

/** SQL: the local wall-clock DATETIME of a UTC column, exact within the segments' range. */
export function localDateTimeSql(column: MySqlColumn | SQL, segments: OffsetSegment[]): SQL {
  if (segments.length === 1) return sql`(${column} + INTERVAL ${sql.raw(String(segments[0].offsetMinutes))} MINUTE)`;
  const branches = segments.map((s) => (s.until
    ? sql`WHEN ${column} < ${s.until} THEN ${sql.raw(String(s.offsetMinutes))}`
    : sql`ELSE ${sql.raw(String(s.offsetMinutes))}`));
  return sql`(${column} + INTERVAL (CASE ${sql.join(branches, sql` `)} END) MINUTE)`;
}

/** SQL: the local date 'YYYY-MM-DD' of a UTC column. */
export function localDateSql(column: MySqlColumn | SQL, segments: OffsetSegment[]): SQL<string> {
  return sql<string>`DATE_FORMAT(${localDateTimeSql(column, segments)}, '%Y-%m-%d')`;
}

/** SQL: the local month 'YYYY-MM' of a UTC column. */
export function localMonthSql(column: MySqlColumn | SQL, segments: OffsetSegment[]): SQL<string> {
  return sql<string>`DATE_FORMAT(${localDateTimeSql(column, segments)}, '%Y-%m')`;
}

/**
 * A fast instant → local date and time for many rows of one period (the CSV export): the zone's offset segments are
 * computed once per zone, then each row is arithmetic; instants outside [start, end) go through Temporal.
 */
export function localClock(start: Date, end: Date): (instant: Date, timeZone: string) => { date: string; time: string } {
  const segmentsOf = new Map<string, OffsetSegment[]>();
  return (instant, timeZone) => {
    const t = instant.getTime();
    if (t < start.getTime() || t >= end.getTime()) {
      const local = instantToLocal(instant, timeZone);
      return { date: local.date, time: local.time };
    }
    let segments = segmentsOf.get(timeZone);
    if (!segments) segmentsOf.set(timeZone, segments = offsetSegments(start, end, timeZone));
    const segment = segments.find((s) => s.until === null || t < s.until.getTime())!;
    const iso = new Date(t + segment.offsetMinutes * 60_000).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
  };
}
