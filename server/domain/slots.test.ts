/** Slot computation: weekly rules, parity, validity, exceptions, both 2026 DST changes of Europe/Bucharest, the past, busy time. */
import { describe, expect, it } from 'vitest';
import type { ScheduleException, ScheduleRule } from './schedule';
import { computeFreeSlots, isSlotBookable, mergeIntervals, overlaps, subtractIntervals, workingIntervals, type Interval } from './slots';
import { instantToLocal, weekDates } from './zoned-time';

const TZ = 'Europe/Bucharest';
// 2026-11-23 is a Monday of ISO week 48 (even); 2026-11-30 a Monday of week 49 (odd). Bucharest is UTC+2 in winter.
const MON = '2026-11-23';
const NEXT_MON = '2026-11-30';
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

const rule = (o: Partial<ScheduleRule> = {}): ScheduleRule => ({
  locationId: 1, weekday: 1, startTime: '08:00:00', endTime: '12:00:00', weekParity: 'every', validFrom: '2026-01-01', validTo: null, ...o,
});
const absence = (o: Partial<ScheduleException> = {}): ScheduleException => ({ locationId: 1, date: MON, kind: 'absence', startTime: null, endTime: null, ...o });
const extra = (o: Partial<ScheduleException> = {}): ScheduleException => ({ locationId: 1, date: MON, kind: 'extra_hours', startTime: '17:00', endTime: '19:00', ...o });
const iv = (from: string, to: string): Interval => ({ startsAt: new Date(from), endsAt: new Date(to) });

/** The local wall-clock start times of the free slots on one date. */
function slotTimes(o: {
  date?: string; rules?: ScheduleRule[]; exceptions?: ScheduleException[]; duration?: number; busy?: Interval[]; now?: Date;
  locationId?: number;
}): string[] {
  const [day] = computeFreeSlots({
    dates: [o.date ?? MON], locationId: o.locationId ?? 1, timeZone: TZ, durationMinutes: o.duration ?? 30,
    rules: o.rules ?? [rule()], exceptions: o.exceptions ?? [], busy: o.busy ?? [], now: o.now ?? LONG_AGO,
  });
  return day.free.map((s) => instantToLocal(s.startsAt, TZ).time);
}

const hours = (i: Interval) => (i.endsAt.getTime() - i.startsAt.getTime()) / 3_600_000;

describe('overlaps (half-open intervals)', () => {
  it('treats touching intervals as free of each other', () => {
    expect(overlaps(iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T09:00Z', '2026-11-23T10:00Z'))).toBe(false);
    expect(overlaps(iv('2026-11-23T09:00Z', '2026-11-23T10:00Z'), iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'))).toBe(false);
  });
  it('detects partial, containing and identical intervals', () => {
    expect(overlaps(iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T08:59Z', '2026-11-23T10:00Z'))).toBe(true);
    expect(overlaps(iv('2026-11-23T08:00Z', '2026-11-23T12:00Z'), iv('2026-11-23T09:00Z', '2026-11-23T09:15Z'))).toBe(true);
    expect(overlaps(iv('2026-11-23T09:00Z', '2026-11-23T09:15Z'), iv('2026-11-23T08:00Z', '2026-11-23T12:00Z'))).toBe(true);
    expect(overlaps(iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'))).toBe(true);
    expect(overlaps(iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T10:00Z', '2026-11-23T11:00Z'))).toBe(false);
  });
  it('merges and subtracts intervals', () => {
    expect(mergeIntervals([iv('2026-11-23T10:00Z', '2026-11-23T11:00Z'), iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T09:00Z', '2026-11-23T09:30Z')]))
      .toEqual([iv('2026-11-23T08:00Z', '2026-11-23T09:30Z'), iv('2026-11-23T10:00Z', '2026-11-23T11:00Z')]);
    expect(subtractIntervals([iv('2026-11-23T08:00Z', '2026-11-23T12:00Z')], [iv('2026-11-23T09:00Z', '2026-11-23T10:00Z')]))
      .toEqual([iv('2026-11-23T08:00Z', '2026-11-23T09:00Z'), iv('2026-11-23T10:00Z', '2026-11-23T12:00Z')]);
  });
});

describe('working intervals', () => {
  it('converts a weekly rule’s local times with the location’s zone', () => {
    expect(workingIntervals(MON, 1, TZ, [rule()], [])).toEqual([iv('2026-11-23T06:00:00Z', '2026-11-23T10:00:00Z')]);
    expect(workingIntervals('2026-07-13', 1, TZ, [rule()], [])).toEqual([iv('2026-07-13T05:00:00Z', '2026-07-13T09:00:00Z')]);
    expect(workingIntervals(MON, 1, 'America/New_York', [rule()], [])).toEqual([iv('2026-11-23T13:00:00Z', '2026-11-23T17:00:00Z')]);
  });
  it('applies only on the rule’s weekday and location', () => {
    expect(workingIntervals('2026-11-24', 1, TZ, [rule()], [])).toEqual([]);
    expect(workingIntervals(MON, 2, TZ, [rule()], [])).toEqual([]);
  });
  it('merges touching rules and extra hours, sorted', () => {
    const got = workingIntervals(MON, 1, TZ, [rule({ startTime: '14:00', endTime: '16:00' }), rule()], [extra({ startTime: '12:00', endTime: '13:00' })]);
    expect(got).toEqual([iv('2026-11-23T06:00:00Z', '2026-11-23T11:00:00Z'), iv('2026-11-23T12:00:00Z', '2026-11-23T14:00:00Z')]);
  });
  it('lasts exactly what a wall clock shows on both daylight-saving days of 2026', () => {
    // 29 March 2026 (Sunday): 03:00 EET jumps to 04:00 EEST. 25 October 2026 (Sunday): 04:00 EEST falls back to 03:00 EET.
    const spring = workingIntervals('2026-03-29', 1, TZ, [rule({ weekday: 7, startTime: '02:00', endTime: '05:00' })], []);
    expect(spring).toEqual([iv('2026-03-29T00:00:00Z', '2026-03-29T02:00:00Z')]);
    expect(hours(spring[0])).toBe(2);
    const autumn = workingIntervals('2026-10-25', 1, TZ, [rule({ weekday: 7, startTime: '02:00', endTime: '05:00' })], []);
    expect(autumn).toEqual([iv('2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z')]);
    expect(hours(autumn[0])).toBe(4);
  });
  it('starts or ends a period that touches the skipped hour when the clock jumps', () => {
    const start = workingIntervals('2026-03-29', 1, TZ, [rule({ weekday: 7, startTime: '03:30', endTime: '06:00' })], []);
    expect(start).toEqual([iv('2026-03-29T01:00:00Z', '2026-03-29T03:00:00Z')]); // 04:00–06:00 EEST
    const end = workingIntervals('2026-03-29', 1, TZ, [rule({ weekday: 7, startTime: '01:00', endTime: '03:30' })], []);
    expect(end).toEqual([iv('2026-03-28T23:00:00Z', '2026-03-29T01:00:00Z')]); // 01:00 EET until the jump
  });
});

describe('free slots', () => {
  it('lays slots of the service’s length over a weekly rule', () => {
    expect(slotTimes({})).toEqual(['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slotTimes({ duration: 45 })).toEqual(['08:00', '08:45', '09:30', '10:15', '11:00']); // 11:45 would end after 12:00
    expect(slotTimes({ date: '2026-11-24' })).toEqual([]);
  });
  it('returns one entry per requested date, in order', () => {
    const days = computeFreeSlots({ dates: weekDates(MON), locationId: 1, timeZone: TZ, durationMinutes: 60, rules: [rule(), rule({ weekday: 3 })], exceptions: [], busy: [], now: LONG_AGO });
    expect(days.map((d) => [d.date, d.free.length])).toEqual([
      ['2026-11-23', 4], ['2026-11-24', 0], ['2026-11-25', 4], ['2026-11-26', 0], ['2026-11-27', 0], ['2026-11-28', 0], ['2026-11-29', 0],
    ]);
  });
  it('honours odd and even ISO weeks', () => {
    expect(slotTimes({ rules: [rule({ weekParity: 'odd' })] })).toEqual([]);
    expect(slotTimes({ rules: [rule({ weekParity: 'even' })] })).toHaveLength(8);
    expect(slotTimes({ date: NEXT_MON, rules: [rule({ weekParity: 'odd' })] })).toHaveLength(8);
    expect(slotTimes({ date: NEXT_MON, rules: [rule({ weekParity: 'even' })] })).toEqual([]);
    // Alternating rules: mornings in even weeks, afternoons in odd weeks.
    const alternating = [rule({ weekParity: 'even' }), rule({ weekParity: 'odd', startTime: '14:00', endTime: '15:00' })];
    expect(slotTimes({ rules: alternating, duration: 240 })).toEqual(['08:00']);
    expect(slotTimes({ date: NEXT_MON, rules: alternating, duration: 60 })).toEqual(['14:00']);
  });
  it('honours the validity period (both ends inclusive)', () => {
    expect(slotTimes({ rules: [rule({ validFrom: '2026-11-24' })] })).toEqual([]);
    expect(slotTimes({ rules: [rule({ validFrom: MON })] })).toHaveLength(8);
    expect(slotTimes({ rules: [rule({ validTo: MON })] })).toHaveLength(8);
    expect(slotTimes({ rules: [rule({ validTo: '2026-11-22' })] })).toEqual([]);
  });
  it('leaves out absences: whole day, part of the day, at every location', () => {
    expect(slotTimes({ exceptions: [absence()] })).toEqual([]);
    expect(slotTimes({ exceptions: [absence({ locationId: null })] })).toEqual([]);
    expect(slotTimes({ exceptions: [absence({ locationId: 2 })] })).toHaveLength(8);
    expect(slotTimes({ exceptions: [absence({ date: '2026-11-24' })] })).toHaveLength(8);
    expect(slotTimes({ exceptions: [absence({ startTime: '10:00', endTime: '11:00' })] }))
      .toEqual(['08:00', '08:30', '09:00', '09:30', '11:00', '11:30']);
    expect(slotTimes({ exceptions: [absence({ locationId: null, startTime: '09:15', endTime: '10:00' })] }))
      .toEqual(['08:00', '08:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slotTimes({ exceptions: [absence({ locationId: 2, startTime: '09:00', endTime: '12:00' })] })).toHaveLength(8);
  });
  it('adds extra hours at that location only, also on days without a rule', () => {
    expect(slotTimes({ exceptions: [extra()], duration: 60 })).toEqual(['08:00', '09:00', '10:00', '11:00', '17:00', '18:00']);
    expect(slotTimes({ exceptions: [extra({ locationId: 2 })], duration: 60 })).toEqual(['08:00', '09:00', '10:00', '11:00']);
    expect(slotTimes({ date: '2026-11-28', exceptions: [extra({ date: '2026-11-28' })], duration: 60 })).toEqual(['17:00', '18:00']);
    // Extra hours right after the rule make one stretch: a 90-minute service may span both.
    expect(slotTimes({ exceptions: [extra({ startTime: '12:00', endTime: '13:00' })], duration: 90 })).toEqual(['08:00', '09:30', '11:00']);
    // An absence wins over extra hours.
    expect(slotTimes({ exceptions: [extra(), absence({ startTime: '17:30', endTime: '19:00' })], duration: 30, rules: [] })).toEqual(['17:00']);
  });
  it('shows the slots a wall clock allows on 29 March 2026 (spring forward)', () => {
    const sunday = (o: Partial<ScheduleRule>) => rule({ weekday: 7, ...o });
    expect(slotTimes({ date: '2026-03-29', rules: [sunday({ startTime: '02:00', endTime: '05:00' })] })).toEqual(['02:00', '02:30', '04:00', '04:30']);
    expect(slotTimes({ date: '2026-03-29', rules: [sunday({ startTime: '02:00', endTime: '05:00' })], duration: 60 })).toEqual(['02:00', '04:00']);
    expect(slotTimes({ date: '2026-03-29', rules: [sunday({ startTime: '08:00', endTime: '10:00' })] })).toEqual(['08:00', '08:30', '09:00', '09:30']);
    const [day] = computeFreeSlots({ dates: ['2026-03-29'], locationId: 1, timeZone: TZ, durationMinutes: 60, rules: [sunday({ startTime: '08:00', endTime: '10:00' })], exceptions: [], busy: [], now: LONG_AGO });
    expect(day.free.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-29T05:00:00.000Z', '2026-03-29T06:00:00.000Z']); // EEST, UTC+3
    // The day before is still winter time.
    const [sat] = computeFreeSlots({ dates: ['2026-03-28'], locationId: 1, timeZone: TZ, durationMinutes: 60, rules: [rule({ weekday: 6, startTime: '08:00', endTime: '09:00' })], exceptions: [], busy: [], now: LONG_AGO });
    expect(sat.free.map((s) => s.startsAt.toISOString())).toEqual(['2026-03-28T06:00:00.000Z']);
  });
  it('shows the slots a wall clock allows on 25 October 2026 (fall back)', () => {
    const sunday = (o: Partial<ScheduleRule>) => rule({ weekday: 7, ...o });
    const [day] = computeFreeSlots({ dates: ['2026-10-25'], locationId: 1, timeZone: TZ, durationMinutes: 60, rules: [sunday({ startTime: '02:00', endTime: '05:00' })], exceptions: [], busy: [], now: LONG_AGO });
    expect(day.free.map((s) => instantToLocal(s.startsAt, TZ).time)).toEqual(['02:00', '03:00', '03:00', '04:00']);
    expect(day.free.map((s) => s.startsAt.toISOString())).toEqual([
      '2026-10-24T23:00:00.000Z', '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z',
    ]);
    expect(slotTimes({ date: '2026-10-25', rules: [sunday({ startTime: '08:00', endTime: '10:00' })], duration: 60 })).toEqual(['08:00', '09:00']);
    const [later] = computeFreeSlots({ dates: ['2026-10-25'], locationId: 1, timeZone: TZ, durationMinutes: 60, rules: [sunday({ startTime: '08:00', endTime: '09:00' })], exceptions: [], busy: [], now: LONG_AGO });
    expect(later.free[0].startsAt.toISOString()).toBe('2026-10-25T06:00:00.000Z'); // EET, UTC+2
  });
  it('leaves out slots that start before now, keeping the grid', () => {
    // 08:10 local = 06:10Z
    expect(slotTimes({ now: new Date('2026-11-23T06:10:00Z') })).toEqual(['08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slotTimes({ now: new Date('2026-11-23T07:00:00Z') })).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slotTimes({ now: new Date('2026-11-23T10:00:00Z') })).toEqual([]);
    expect(slotTimes({ now: new Date('2026-11-23T09:45:00Z'), duration: 45 })).toEqual([]); // 11:00 started already
  });
  it('moves the next candidate to the end of a busy interval of another length', () => {
    // Busy 08:15–09:05 local (50 minutes).
    const busy = [iv('2026-11-23T06:15:00Z', '2026-11-23T07:05:00Z')];
    expect(slotTimes({ busy })).toEqual(['09:05', '09:35', '10:05', '10:35', '11:05']); // 11:35 would end after 12:00
    // A 20-minute booking (09:10–09:30 local) inside a 60-minute grid: the grid resumes at 09:30; 11:30 would end too late.
    expect(slotTimes({ busy: [iv('2026-11-23T07:10:00Z', '2026-11-23T07:30:00Z')], duration: 60 })).toEqual(['08:00', '09:30', '10:30']);
    // With several overlapped at once, the next candidate starts after the latest of them.
    const two = [iv('2026-11-23T06:00:00Z', '2026-11-23T06:10:00Z'), iv('2026-11-23T06:20:00Z', '2026-11-23T06:50:00Z')];
    expect(slotTimes({ busy: two })).toEqual(['08:50', '09:20', '09:50', '10:20', '10:50', '11:20']);
  });
  it('offers slots that touch busy intervals', () => {
    const busy = [iv('2026-11-23T07:00:00Z', '2026-11-23T07:30:00Z')]; // 09:00–09:30 local
    expect(slotTimes({ busy })).toEqual(['08:00', '08:30', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(slotTimes({ busy: [iv('2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z'), iv('2026-11-23T10:00:00Z', '2026-11-23T11:00:00Z')] })).toHaveLength(8);
  });
  it('refuses a non-positive duration', () => {
    expect(() => slotTimes({ duration: 0 })).toThrow(RangeError);
  });
});

describe('one proposed slot', () => {
  const base = { locationId: 1, timeZone: TZ, rules: [rule()], exceptions: [] as ScheduleException[], busy: [] as Interval[], now: LONG_AGO };
  const at = (from: string, to: string) => iv(`${MON}T${from}:00Z`, `${MON}T${to}:00Z`); // UTC; local = UTC + 2

  it('accepts a free slot within working hours, also off the grid', () => {
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30') })).toBe('ok');
    expect(isSlotBookable({ ...base, slot: at('06:10', '06:40') })).toBe('ok');
    expect(isSlotBookable({ ...base, slot: at('09:30', '10:00') })).toBe('ok'); // ends exactly at 12:00 local
  });
  it('refuses the past first', () => {
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), now: new Date(`${MON}T06:01:00Z`), busy: [at('06:00', '06:30')] })).toBe('in_past');
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), now: new Date(`${MON}T06:00:00Z`) })).toBe('ok');
  });
  it('refuses slots outside working hours', () => {
    expect(isSlotBookable({ ...base, slot: at('05:30', '06:30') })).toBe('outside_hours'); // starts 07:30 local
    expect(isSlotBookable({ ...base, slot: at('09:45', '10:15') })).toBe('outside_hours'); // ends 12:15 local
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), locationId: 2 })).toBe('outside_hours');
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), exceptions: [absence({ locationId: null, startTime: '08:15', endTime: '08:45' })] })).toBe('outside_hours');
    expect(isSlotBookable({ ...base, slot: at('06:30', '06:00') })).toBe('outside_hours');
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:00') })).toBe('outside_hours');
  });
  it('accepts a slot spanning two touching stretches of working time', () => {
    const rules = [rule({ endTime: '10:00' }), rule({ startTime: '10:00', endTime: '12:00' })];
    expect(isSlotBookable({ ...base, rules, slot: at('07:30', '08:30') })).toBe('ok');
  });
  it('refuses a slot that overlaps a busy interval, not one that touches it', () => {
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), busy: [at('06:20', '07:20')] })).toBe('taken');
    expect(isSlotBookable({ ...base, slot: at('06:00', '06:30'), busy: [at('06:30', '07:00'), at('05:00', '06:00')] })).toBe('ok');
  });
  it('uses the wall clock on daylight-saving days', () => {
    const sunday = [rule({ weekday: 7, startTime: '02:00', endTime: '05:00' })];
    // 29 March: 04:30 EEST = 01:30Z, ends at 05:00 EEST
    expect(isSlotBookable({ ...base, rules: sunday, slot: iv('2026-03-29T01:30:00Z', '2026-03-29T02:00:00Z') })).toBe('ok');
    expect(isSlotBookable({ ...base, rules: sunday, slot: iv('2026-03-29T01:30:00Z', '2026-03-29T02:30:00Z') })).toBe('outside_hours');
    // 25 October: the second 03:00 (EET, 01:00Z) is working time
    expect(isSlotBookable({ ...base, rules: sunday, slot: iv('2026-10-25T01:00:00Z', '2026-10-25T03:00:00Z') })).toBe('ok');
  });
});
