/** Wall-clock conversions in IANA time zones, including both daylight-saving changes of Europe/Bucharest. */
import { describe, expect, it } from 'vitest';
import { todayInZone, zonedLocalToIso } from './zoned-time';

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
