import { describe, expect, it } from 'vitest';
import { addDays, differsFromBrowser, isYmd, localDate, localTime, minutesBetween, mondayOf, todayIn, weekDates } from './booking-time';

describe('booking times on the location wall clock', () => {
  it('shows an instant in the location zone, across both daylight-saving changes of Europe/Bucharest', () => {
    expect(localTime('2026-01-15T06:00:00Z', 'Europe/Bucharest')).toBe('08:00');
    expect(localTime('2026-07-15T06:00:00Z', 'Europe/Bucharest')).toBe('09:00');
    // 29 March 2026: 03:00 → 04:00; 25 October 2026: 04:00 → 03:00
    expect(localTime('2026-03-29T01:30:00Z', 'Europe/Bucharest')).toBe('04:30');
    expect(localTime('2026-10-25T01:30:00Z', 'Europe/Bucharest')).toBe('03:30');
    expect(localTime('2026-10-25T00:30:00Z', 'Europe/Bucharest')).toBe('03:30');
  });

  it('takes the date from the location zone, not from UTC', () => {
    expect(localDate('2026-06-30T22:30:00Z', 'Europe/Bucharest')).toBe('2026-07-01');
    expect(localDate('2026-06-30T22:30:00Z', 'Europe/London')).toBe('2026-06-30');
  });

  it('finds the Monday of a week and its seven dates', () => {
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(weekDates('2026-12-28')).toEqual([
      '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03',
    ]);
    expect(addDays('2026-11-30', -7)).toBe('2026-11-23');
  });

  it('knows today in a zone and validates dates', () => {
    expect(todayIn('Europe/Bucharest', new Date('2026-11-29T22:30:00Z'))).toBe('2026-11-30');
    expect(isYmd('2026-02-30')).toBe(false);
    expect(isYmd('2026-02-28')).toBe(true);
    expect(isYmd('28.02.2026')).toBe(false);
  });

  it('names a zone only when it differs from the browser', () => {
    expect(differsFromBrowser('Europe/Bucharest', 'Europe/Bucharest')).toBe(false);
    expect(differsFromBrowser('Europe/Budapest', 'Europe/Bucharest')).toBe(true);
    expect(minutesBetween('2026-11-30T08:00:00Z', '2026-11-30T08:20:00Z')).toBe(20);
  });
});
