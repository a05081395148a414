/** Wall-clock conversions in IANA time zones, including both daylight-saving changes of Europe/Bucharest. */
import { describe, expect, it } from 'vitest';
import { addDays, formatInZone, localDate, localTime, mondayOf, todayInZone, weekDates, zonedLocalToIso, zoneOffsetMs } from './zoned-time';

describe('zonedLocalToIso', () => {
  it('reads the input in the given time zone, winter and summer', () => {
    expect(zonedLocalToIso('2025-01-15T10:00', 'Europe/Bucharest')).toBe('2025-01-15T08:00:00.000Z');
    expect(zonedLocalToIso('2025-07-15T10:00', 'Europe/Bucharest')).toBe('2025-07-15T07:00:00.000Z');
    expect(zonedLocalToIso('2025-07-15T10:00', 'America/New_York')).toBe('2025-07-15T14:00:00.000Z');
    expect(zonedLocalToIso('2025-07-15T10:00', 'UTC')).toBe('2025-07-15T10:00:00.000Z');
  });

  it('handles the daylight-saving changes', () => {
    // 30 March 2025: 03:00 EET becomes 04:00 EEST. 03:30 does not exist; 04:30 is EEST.
    expect(zonedLocalToIso('2025-03-30T04:30', 'Europe/Bucharest')).toBe('2025-03-30T01:30:00.000Z');
    expect(zonedLocalToIso('2025-03-30T02:30', 'Europe/Bucharest')).toBe('2025-03-30T00:30:00.000Z');
    // 26 October 2025: 04:00 EEST becomes 03:00 EET.
    expect(zonedLocalToIso('2025-10-26T05:00', 'Europe/Bucharest')).toBe('2025-10-26T03:00:00.000Z');
  });

  it('refuses incomplete values', () => {
    expect(zonedLocalToIso('', 'Europe/Bucharest')).toBeNull();
    expect(zonedLocalToIso('2025-01-15', 'Europe/Bucharest')).toBeNull();
  });
});

describe('todayInZone', () => {
  it('gives the calendar day in the zone', () => {
    const instant = new Date('2025-01-15T23:30:00Z');
    expect(todayInZone('Europe/Bucharest', instant)).toBe('2025-01-16');
    expect(todayInZone('UTC', instant)).toBe('2025-01-15');
  });
});

describe('zonedLocalToIso on the 2026 changes and impossible values', () => {
  it('reads skipped and repeated times like the server does', () => {
    expect(zonedLocalToIso('2026-03-29T03:30', 'Europe/Bucharest')).toBe('2026-03-29T01:30:00.000Z'); // = 04:30 EEST
    expect(zonedLocalToIso('2026-10-25T03:30', 'Europe/Bucharest')).toBe('2026-10-25T00:30:00.000Z'); // first 03:30
    expect(zonedLocalToIso('2026-02-30T10:00', 'Europe/Bucharest')).toBeNull();
    expect(zonedLocalToIso('2026-01-15T24:00', 'Europe/Bucharest')).toBeNull();
  });
  it('gives the zone offset', () => {
    expect(zoneOffsetMs(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Bucharest')).toBe(3 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Bucharest')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
  });
});

describe('a location’s wall clock', () => {
  it('gives the local date and time of an instant', () => {
    expect(localDate('2026-11-22T22:30:00Z', 'Europe/Bucharest')).toBe('2026-11-23');
    expect(localDate('2026-11-22T22:30:00Z', 'UTC')).toBe('2026-11-22');
    expect(localTime('2026-11-23T06:30:45Z', 'Europe/Bucharest')).toBe('08:30');
    expect(localTime(new Date('2026-03-29T01:00:00Z'), 'Europe/Bucharest')).toBe('04:00');
    expect(localTime('2026-10-25T00:30:00Z', 'Europe/Bucharest')).toBe('03:30');
    expect(localTime('2026-10-25T01:30:00Z', 'Europe/Bucharest')).toBe('03:30');
  });
  it('gives weeks from Monday', () => {
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(weekDates('2026-11-23')).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    expect(weekDates('2026-12-30')[6]).toBe('2027-01-03');
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
  });
  it('formats in the given zone, not the browser’s', () => {
    expect(formatInZone('2026-11-23T06:30:00Z', 'Europe/Bucharest', 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).toBe('08:30');
    expect(formatInZone('2026-11-23T06:30:00Z', 'America/New_York', 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).toBe('01:30');
    expect(formatInZone('2026-11-23T06:30:00Z', 'Europe/Bucharest', 'en-GB', { dateStyle: 'medium' })).toBe('23 Nov 2026');
    expect(formatInZone('nonsense', 'Europe/Bucharest', 'en-GB')).toBe('nonsense');
  });
});
