/**
 * Slot computation: a physician's working time at a location on a local date as real (UTC) intervals, the free slots
 * of a service's length within it, and whether one proposed slot may be booked. Pure functions, no I/O.
 *
 * Working hours are wall-clock times of the location's zone. Every boundary goes through `wallClockBoundary` (via the
 * memoised `dayClock`), so on daylight-saving days a period lasts exactly what a wall clock shows (Europe/Bucharest
 * 02:00–05:00: 2 real hours on 29 March 2026, 4 on 25 October 2026), and slots are laid out in real minutes from the
 * start of each period.
 */
import type { ScheduleException, ScheduleRule } from './schedule';
import { dayClock, instantToLocal, isoWeekNumber, isoWeekday } from './zoned-time';

/** A half-open interval of real time [startsAt, endsAt). */
export interface Interval { startsAt: Date; endsAt: Date }

export type SlotVerdict = 'ok' | 'in_past' | 'outside_hours' | 'taken';

/** Half-open: intervals that merely touch (one ends when the other starts) do not overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** Whether `inner` lies entirely within one of `intervals`. */
export function isWithinIntervals(inner: Interval, intervals: Interval[]): boolean {
  return intervals.some((i) => i.startsAt.getTime() <= inner.startsAt.getTime() && inner.endsAt.getTime() <= i.endsAt.getTime());
}

/** Sorted, with overlapping or touching intervals merged; empty intervals dropped. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.startsAt.getTime() < i.endsAt.getTime())
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.startsAt.getTime() <= last.endsAt.getTime()) {
      if (i.endsAt.getTime() > last.endsAt.getTime()) last.endsAt = i.endsAt;
    } else out.push({ startsAt: i.startsAt, endsAt: i.endsAt });
  }
  return out;
}

/** `from` minus every interval of `cut`. */
export function subtractIntervals(from: Interval[], cut: Interval[]): Interval[] {
  let rest = mergeIntervals(from);
  for (const c of mergeIntervals(cut)) {
    rest = rest.flatMap((r) => {
      if (!overlaps(r, c)) return [r];
      const parts: Interval[] = [];
      if (r.startsAt.getTime() < c.startsAt.getTime()) parts.push({ startsAt: r.startsAt, endsAt: c.startsAt });
      if (c.endsAt.getTime() < r.endsAt.getTime()) parts.push({ startsAt: c.endsAt, endsAt: r.endsAt });
      return parts;
    });
  }
  return rest;
}

/** Whether a weekly rule applies on a local date (weekday, validity period, ISO-week parity). */
export function ruleAppliesOn(rule: ScheduleRule, date: string, weekday = isoWeekday(date), week = isoWeekNumber(date)): boolean {
  return rule.weekday === weekday && rule.validFrom <= date && (rule.validTo === null || date <= rule.validTo)
    && (rule.weekParity === 'every' || (week % 2 === 1) === (rule.weekParity === 'odd'));
}

/**
 * The physician's working time at a location on a local date: the weekly rules that apply that day plus extra hours at
 * that location, minus absences (without times: the whole day; with times: that part; without a location: at every
 * location). Merged and sorted real intervals.
 */
export function workingIntervals(
  date: string, locationId: number, timeZone: string, rules: ScheduleRule[], exceptions: ScheduleException[],
): Interval[] {
  const onDay = exceptions.filter((e) => e.date === date);
  const absences = onDay.filter((e) => e.kind === 'absence' && (e.locationId === null || e.locationId === locationId));
  if (absences.some((e) => e.startTime === null || e.endTime === null)) return [];
  const weekday = isoWeekday(date);
  const week = isoWeekNumber(date);
  const applying = rules.filter((r) => r.locationId === locationId && ruleAppliesOn(r, date, weekday, week));
  const extras = onDay.filter((e) => e.kind === 'extra_hours' && e.locationId === locationId && e.startTime !== null && e.endTime !== null);
  if (applying.length === 0 && extras.length === 0) return [];
  const clock = dayClock(date, timeZone);
  const period = (from: string, to: string): Interval => ({ startsAt: clock(from), endsAt: clock(to) });
  const working = [
    ...applying.map((r) => period(r.startTime, r.endTime)),
    ...extras.map((e) => period(e.startTime as string, e.endTime as string)),
  ];
  return subtractIntervals(working, absences.map((e) => period(e.startTime as string, e.endTime as string)));
}

/**
 * Free slots of `durationMinutes` per local date. Candidates start at each working interval's start; a candidate that
 * overlaps a busy interval moves the next candidate to that busy interval's end (the latest end among those it
 * overlaps), otherwise the next candidate follows after `durationMinutes`. A slot lies entirely within its working
 * interval; slots starting before `now` are left out (the grid itself does not move with `now`).
 */
export function computeFreeSlots(q: {
  dates: string[]; locationId: number; timeZone: string; durationMinutes: number;
  rules: ScheduleRule[]; exceptions: ScheduleException[]; busy: Interval[]; now: Date;
}): { date: string; free: Interval[] }[] {
  const step = q.durationMinutes * 60_000;
  if (!(step > 0)) throw new RangeError('durationMinutes must be positive');
  const now = q.now.getTime();
  return q.dates.map((date) => {
    const free: Interval[] = [];
    for (const work of workingIntervals(date, q.locationId, q.timeZone, q.rules, q.exceptions)) {
      let start = work.startsAt.getTime();
      const end = work.endsAt.getTime();
      // The busy intervals touching this working interval, as numbers: the loop below runs once per candidate slot.
      const busyStarts: number[] = [];
      const busyEnds: number[] = [];
      for (const b of q.busy) {
        const bs = b.startsAt.getTime();
        const be = b.endsAt.getTime();
        if (bs < end && start < be) { busyStarts.push(bs); busyEnds.push(be); }
      }
      while (start + step <= end) {
        const slotEnd = start + step;
        let blockedUntil = -Infinity;
        for (let i = 0; i < busyStarts.length; i++) {
          if (busyStarts[i] < slotEnd && start < busyEnds[i] && busyEnds[i] > blockedUntil) blockedUntil = busyEnds[i];
        }
        if (blockedUntil !== -Infinity) {
          start = blockedUntil;
          continue;
        }
        if (start >= now) free.push({ startsAt: new Date(start), endsAt: new Date(slotEnd) });
        start = slotEnd;
      }
    }
    return { date, free };
  });
}

/** Whether a slot lies within the physician's working time at the location (on the local date it starts). */
export function isWithinWorkingTime(
  slot: Interval & { locationId: number }, timeZone: string, rules: ScheduleRule[], exceptions: ScheduleException[],
): boolean {
  if (!(slot.startsAt.getTime() < slot.endsAt.getTime())) return false;
  const { date } = instantToLocal(slot.startsAt, timeZone);
  return isWithinIntervals(slot, workingIntervals(date, slot.locationId, timeZone, rules, exceptions));
}

/**
 * The same rules for one proposed slot, checked in this order: not in the past ('in_past'), within working hours
 * ('outside_hours'; an empty or reversed interval is outside too), no overlap with a busy interval ('taken'). The slot
 * need not sit on the free-slot grid.
 */
export function isSlotBookable(q: {
  slot: Interval; locationId: number; timeZone: string;
  rules: ScheduleRule[]; exceptions: ScheduleException[]; busy: Interval[]; now: Date;
}): SlotVerdict {
  if (q.slot.startsAt.getTime() < q.now.getTime()) return 'in_past';
  if (!isWithinWorkingTime({ ...q.slot, locationId: q.locationId }, q.timeZone, q.rules, q.exceptions)) return 'outside_hours';
  if (q.busy.some((b) => overlaps(b, q.slot))) return 'taken';
  return 'ok';
}
