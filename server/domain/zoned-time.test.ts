/** Dates, wall-clock times and instants in IANA zones, including both 2026 daylight-saving changes of Europe/Bucharest. */
import { describe, expect, it } from 'vitest';
import {
  addDays, datesBetween, dayClock, instantToLocal, isoWeekday, isoWeekNumber, isValidDate, isValidTimeZone, localDateTimeToInstant,
  mondayOf, offsetMinutes, parseDate, startOfLocalDay, todayIn, wallClockBoundary, wallClockExists, weekDates,
} from './zoned-time';

const TZ = 'Europe/Bucharest';
const iso = (d: Date) => d.toISOString();

describe('localDateTimeToInstant', () => {
  it('reads a wall-clock time in the zone, winter and summer, with or without seconds', () => {
    expect(iso(localDateTimeToInstant('2026-01-15', '10:00', TZ))).toBe('2026-01-15T08:00:00.000Z');
    expect(iso(localDateTimeToInstant('2026-07-15', '10:00:30', TZ))).toBe('2026-07-15T07:00:30.000Z');
    expect(iso(localDateTimeToInstant('2026-07-15', '10:00', 'America/New_York'))).toBe('2026-07-15T14:00:00.000Z');
    expect(iso(localDateTimeToInstant('2026-07-15', '10:00', 'UTC'))).toBe('2026-07-15T10:00:00.000Z');
    expect(iso(localDateTimeToInstant('2026-07-15', '24:00', 'UTC'))).toBe('2026-07-16T00:00:00.000Z');
  });
  it('resolves skipped and repeated times as asked (29 March and 25 October 2026)', () => {
    // Skipped: 03:30 does not exist on 29 March.
    expect(iso(localDateTimeToInstant('2026-03-29', '03:30', TZ))).toBe('2026-03-29T01:30:00.000Z'); // = 04:30 EEST
    expect(iso(localDateTimeToInstant('2026-03-29', '03:30', TZ, 'earlier'))).toBe('2026-03-29T00:30:00.000Z');
    expect(() => localDateTimeToInstant('2026-03-29', '03:30', TZ, 'reject')).toThrow(RangeError);
    // Repeated: 03:30 happens twice on 25 October.
    expect(iso(localDateTimeToInstant('2026-10-25', '03:30', TZ))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(localDateTimeToInstant('2026-10-25', '03:30', TZ, 'later'))).toBe('2026-10-25T01:30:00.000Z');
    expect(() => localDateTimeToInstant('2026-10-25', '03:30', TZ, 'reject')).toThrow(RangeError);
  });
  it('refuses malformed dates, times and zones', () => {
    expect(() => localDateTimeToInstant('2026-02-30', '10:00', TZ)).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-2-3', '10:00', TZ)).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '25:00', TZ)).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '9:00', TZ)).toThrow(RangeError);
    expect(() => localDateTimeToInstant('2026-02-03', '09:00', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('wall-clock boundaries', () => {
  it('maps a skipped time to the jump and a repeated time to its first occurrence', () => {
    expect(iso(wallClockBoundary('2026-03-29', '03:00', TZ))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(wallClockBoundary('2026-03-29', '03:59', TZ))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(wallClockBoundary('2026-03-29', '04:00', TZ))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(wallClockBoundary('2026-03-29', '02:59', TZ))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(wallClockBoundary('2026-10-25', '03:00', TZ))).toBe('2026-10-25T00:00:00.000Z');
    expect(iso(wallClockBoundary('2026-10-25', '04:00', TZ))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(wallClockBoundary('2026-11-23', '08:00:00', TZ))).toBe('2026-11-23T06:00:00.000Z');
  });
  it('tells whether a wall-clock time exists', () => {
    expect(wallClockExists('2026-03-29', '03:30', TZ)).toBe(false);
    expect(wallClockExists('2026-03-29', '04:00', TZ)).toBe(true);
    expect(wallClockExists('2026-10-25', '03:30', TZ)).toBe(true);
  });
  it('finds the first instant of a local day', () => {
    expect(iso(startOfLocalDay('2026-11-23', TZ))).toBe('2026-11-22T22:00:00.000Z');
    expect(iso(startOfLocalDay('2026-07-01', TZ))).toBe('2026-06-30T21:00:00.000Z');
    // Santiago skips midnight in September: the day starts at 01:00.
    expect(instantToLocal(startOfLocalDay('2026-09-06', 'America/Santiago'), 'America/Santiago').time).toBe('01:00');
  });
});

describe('instantToLocal', () => {
  it('gives date, HH:MM, minutes after midnight and ISO weekday in the zone', () => {
    expect(instantToLocal(new Date('2026-11-23T06:30:45Z'), TZ)).toEqual({ date: '2026-11-23', time: '08:30', minutes: 510, weekday: 1 });
    expect(instantToLocal(new Date('2026-11-28T22:30:00Z'), TZ)).toEqual({ date: '2026-11-29', time: '00:30', minutes: 30, weekday: 7 });
    expect(instantToLocal(new Date('2026-11-28T22:30:00Z'), 'UTC')).toEqual({ date: '2026-11-28', time: '22:30', minutes: 1350, weekday: 6 });
  });
  it('shows the wall clock around both changes', () => {
    expect(instantToLocal(new Date('2026-03-29T00:59:00Z'), TZ).time).toBe('02:59');
    expect(instantToLocal(new Date('2026-03-29T01:00:00Z'), TZ).time).toBe('04:00');
    expect(instantToLocal(new Date('2026-10-25T00:30:00Z'), TZ).time).toBe('03:30');
    expect(instantToLocal(new Date('2026-10-25T01:30:00Z'), TZ).time).toBe('03:30');
    expect(offsetMinutes(new Date('2026-10-25T00:30:00Z'), TZ)).toBe(180);
    expect(offsetMinutes(new Date('2026-10-25T01:30:00Z'), TZ)).toBe(120);
  });
});

describe('calendar dates', () => {
  it('adds days across months, years and daylight-saving changes', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-11-23', -7)).toBe('2026-11-16');
  });
  it('finds the Monday of a week and its seven dates', () => {
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(weekDates('2026-11-25')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(datesBetween('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(datesBetween('2026-12-30', '2026-12-29')).toEqual([]);
  });
  it('numbers ISO weeks and weekdays', () => {
    expect(isoWeekNumber('2026-11-23')).toBe(48);
    expect(isoWeekNumber('2026-01-01')).toBe(1); // a Thursday
    expect(isoWeekNumber('2027-01-01')).toBe(53); // a Friday: still week 53 of 2026
    expect(isoWeekNumber('2021-01-03')).toBe(53);
    expect(isoWeekNumber('2024-12-30')).toBe(1);
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });
  it('gives today in a zone', () => {
    const now = new Date('2026-01-15T23:30:00Z');
    expect(todayIn(TZ, now)).toBe('2026-01-16');
    expect(todayIn('UTC', now)).toBe('2026-01-15');
    expect(todayIn('America/New_York', now)).toBe('2026-01-15');
  });
  it('validates dates and zones', () => {
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2026-13-01')).toBe(false);
    expect(isValidDate('20260101')).toBe(false);
    expect(() => parseDate('2026-04-31')).toThrow(RangeError);
    expect(isValidTimeZone(TZ)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('dayClock', () => {
  it('agrees with wallClockBoundary on ordinary and daylight-saving days, in several zones', () => {
    const times = ['00:00', '01:30', '02:00', '02:59', '03:00', '03:30', '04:00', '04:30', '08:15:30', '12:00', '23:59', '24:00'];
    const cases: [string, string][] = [
      ['2026-03-29', TZ], ['2026-10-25', TZ], ['2026-11-23', TZ], ['2026-03-28', TZ], ['2026-10-26', TZ],
      ['2026-03-08', 'America/New_York'], ['2026-11-01', 'America/New_York'], ['2026-09-06', 'America/Santiago'],
      ['2026-04-05', 'America/Santiago'], ['2026-10-04', 'Australia/Lord_Howe'], ['2026-06-01', 'UTC'], ['2026-06-01', 'Asia/Kolkata'],
    ];
    for (const [date, zone] of cases) {
      const clock = dayClock(date, zone);
      for (const time of times) expect(iso(clock(time)), `${date} ${time} ${zone}`).toBe(iso(wallClockBoundary(date, time, zone)));
    }
  });
  it('refuses malformed times', () => {
    expect(() => dayClock('2026-11-23', TZ)('25:00')).toThrow(RangeError);
    expect(() => dayClock('2026-11-23', TZ)('8:00')).toThrow(RangeError);
  });
});
