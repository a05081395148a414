/**
 * Working-hours rules: weekly schedule rules per physician and location (in the location's local time, every week or
 * odd/even ISO weeks, within a validity period) and date exceptions (absence, extra hours). Pure functions only.
 * Time-zone arithmetic lives in zoned-time.ts (Temporal), interval arithmetic in slots.ts.
 */
import { isWithinWorkingTime } from './slots';
import { instantToLocal, isoWeekday, isoWeekNumber } from './zoned-time';

export type WeekParity = 'every' | 'odd' | 'even';

export interface ScheduleRule {
  id?: number;
  locationId: number;
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
  startTime: string; // HH:MM or HH:MM:SS, local time
  endTime: string;
  weekParity: WeekParity;
  validFrom: string; // YYYY-MM-DD
  validTo: string | null;
}

export interface ScheduleException {
  locationId: number | null;
  date: string;
  kind: 'absence' | 'extra_hours';
  startTime: string | null;
  endTime: string | null;
}

export function toMinutes(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** ISO week number of a calendar date. */
export function isoWeek(date: string): number {
  return isoWeekNumber(date);
}

export { isoWeekday };

/** Local calendar date and minutes after midnight of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): { date: string; minutes: number } {
  const { date, minutes } = instantToLocal(instant, timeZone);
  return { date, minutes };
}

/** Two rules of one physician that would have them working at the same time (at any locations). */
export function rulesOverlap(a: ScheduleRule, b: ScheduleRule): boolean {
  if (a.weekday !== b.weekday) return false;
  if (!(toMinutes(a.startTime) < toMinutes(b.endTime) && toMinutes(b.startTime) < toMinutes(a.endTime))) return false;
  const aEnd = a.validTo ?? '9999-12-31';
  const bEnd = b.validTo ?? '9999-12-31';
  if (!(a.validFrom <= bEnd && b.validFrom <= aEnd)) return false;
  return a.weekParity === 'every' || b.weekParity === 'every' || a.weekParity === b.weekParity;
}

/**
 * Whether a booking lies within the physician's working hours at its location: within one stretch of working time
 * (weekly rules and extra hours, minus absences) of the local date it starts on. The same rule as slot computation
 * (`slots.ts`), so daylight-saving days count exactly the hours a wall clock shows.
 */
export function isWithinWorkingHours(
  booking: { locationId: number; startsAt: Date; endsAt: Date },
  timeZone: string,
  rules: ScheduleRule[],
  exceptions: ScheduleException[],
): boolean {
  return isWithinWorkingTime(booking, timeZone, rules, exceptions);
}
