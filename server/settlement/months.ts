/**
 * Settlement months: 'YYYY-MM' in the institution's time zone, their UTC bounds, and the month a scheduled run settles
 * (the month before the scheduled time, in the institution's zone — never "now").
 */
import { addDays, instantToLocal, startOfLocalDay } from '../domain/zoned-time';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month the API accepts: 'YYYY-MM', from the year 2000. */
export function isValidMonth(month: string): boolean {
  return MONTH.test(month) && Number(month.slice(0, 4)) >= 2000;
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** [from, to) in UTC of a month in a time zone: local midnight of its 1st day to local midnight of the next month's. */
export function monthBounds(month: string, timeZone: string): { from: Date; to: Date } {
  if (!MONTH.test(month)) throw new RangeError(`Invalid month: ${month}`);
  return { from: startOfLocalDay(`${month}-01`, timeZone), to: startOfLocalDay(`${nextMonth(month)}-01`, timeZone) };
}

/** The month containing an instant, in a time zone. */
export function monthOf(instant: Date, timeZone: string): string {
  return instantToLocal(instant, timeZone).date.slice(0, 7);
}

/**
 * The month a scheduled run settles: the month before the local date of the scheduled time. The schedule fires on the
 * 2nd at 02:00 local time; taking the local date one hour earlier would also be the previous month, but a run delayed
 * by catch-up (hours later the same day) must still settle the previous month, so the local date of the scheduled time
 * itself decides.
 */
export function monthBeforeScheduledTime(scheduledAt: Date, timeZone: string): string {
  return previousMonth(monthOf(scheduledAt, timeZone));
}

/** Whether the month is over in the zone (strictly before the current local month). */
export function isPastMonth(month: string, timeZone: string, now: Date = new Date()): boolean {
  return month < monthOf(now, timeZone);
}

/** The last local date of a month ('YYYY-MM-DD'). */
export function lastDayOf(month: string): string {
  return addDays(`${nextMonth(month)}-01`, -1);
}
