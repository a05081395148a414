/**
 * Working-hours rules: weekly schedule rules per physician and location (in the location's local time, every week or
 * odd/even ISO weeks, within a validity period) and date exceptions (absence, extra hours). Pure functions only.
 */
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
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

export function isoWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

function parityMatches(parity: WeekParity, date: string): boolean {
  if (parity === 'every') return true;
  return (isoWeek(date) % 2 === 1) === (parity === 'odd');
}

/** Local calendar date and minutes after midnight of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): { date: string; minutes: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

function validOn(rule: ScheduleRule, date: string): boolean {
  return rule.validFrom <= date && (rule.validTo === null || date <= rule.validTo);
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

/** Whether a booking lies within the physician's working hours at its location. */
export function isWithinWorkingHours(
  booking: { locationId: number; startsAt: Date; endsAt: Date },
  timeZone: string,
  rules: ScheduleRule[],
  exceptions: ScheduleException[],
): boolean {
  const start = localParts(booking.startsAt, timeZone);
  const end = localParts(booking.endsAt, timeZone);
  const endMinutes = end.date === start.date ? end.minutes : 24 * 60;
  if (end.date !== start.date && end.minutes !== 0) return false;
  const onDay = exceptions.filter((e) => e.date === start.date && (e.locationId === null || e.locationId === booking.locationId));
  const covers = (from: string | null, to: string | null) =>
    from === null || to === null || (toMinutes(from) <= start.minutes && endMinutes <= toMinutes(to));
  const overlaps = (from: string | null, to: string | null) =>
    from === null || to === null || (toMinutes(from) < endMinutes && start.minutes < toMinutes(to));
  if (onDay.some((e) => e.kind === 'absence' && overlaps(e.startTime, e.endTime))) return false;
  if (onDay.some((e) => e.kind === 'extra_hours' && e.locationId === booking.locationId && e.startTime && e.endTime && covers(e.startTime, e.endTime))) return true;
  const weekday = isoWeekday(start.date);
  return rules.some((r) => r.locationId === booking.locationId && r.weekday === weekday && validOn(r, start.date)
    && parityMatches(r.weekParity, start.date) && toMinutes(r.startTime) <= start.minutes && endMinutes <= toMinutes(r.endTime));
}
