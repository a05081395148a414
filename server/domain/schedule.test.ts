import { describe, expect, it } from 'vitest';
import { isoWeek, isWithinWorkingHours, localParts, rulesOverlap, type ScheduleRule } from './schedule';

const rule = (o: Partial<ScheduleRule> = {}): ScheduleRule => ({
  locationId: 1, weekday: 1, startTime: '08:00', endTime: '14:00', weekParity: 'every', validFrom: '2026-01-01', validTo: null, ...o,
});

describe('rule overlap', () => {
  it('detects the same physician working at two locations at the same time', () => {
    expect(rulesOverlap(rule(), rule({ locationId: 2, startTime: '13:00', endTime: '18:00' }))).toBe(true);
  });
  it('allows back-to-back hours, other weekdays, disjoint periods and opposite week parities', () => {
    expect(rulesOverlap(rule(), rule({ locationId: 2, startTime: '14:00', endTime: '18:00' }))).toBe(false);
    expect(rulesOverlap(rule(), rule({ weekday: 2 }))).toBe(false);
    expect(rulesOverlap(rule({ validTo: '2026-06-30' }), rule({ validFrom: '2026-07-01' }))).toBe(false);
    expect(rulesOverlap(rule({ weekParity: 'odd' }), rule({ weekParity: 'even' }))).toBe(false);
    expect(rulesOverlap(rule({ weekParity: 'odd' }), rule({ weekParity: 'every' }))).toBe(true);
  });
});

describe('working hours', () => {
  // 2026-11-23 is a Monday (ISO week 48). Bucharest is UTC+2 in November.
  const at = (iso: string) => new Date(iso);
  const booking = (start: string, end: string, locationId = 1) => ({ locationId, startsAt: at(start), endsAt: at(end) });

  it('uses the location’s local time', () => {
    expect(localParts(at('2026-11-23T06:30:00Z'), 'Europe/Bucharest')).toEqual({ date: '2026-11-23', minutes: 8 * 60 + 30 });
    expect(isWithinWorkingHours(booking('2026-11-23T06:00:00Z', '2026-11-23T06:30:00Z'), 'Europe/Bucharest', [rule()], [])).toBe(true);
    expect(isWithinWorkingHours(booking('2026-11-23T11:45:00Z', '2026-11-23T12:15:00Z'), 'Europe/Bucharest', [rule()], [])).toBe(false);
  });
  it('honours week parity, location, absences and extra hours', () => {
    expect(isoWeek('2026-11-23')).toBe(48);
    const b = booking('2026-11-23T07:00:00Z', '2026-11-23T07:30:00Z');
    expect(isWithinWorkingHours(b, 'Europe/Bucharest', [rule({ weekParity: 'odd' })], [])).toBe(false);
    expect(isWithinWorkingHours(b, 'Europe/Bucharest', [rule({ weekParity: 'even' })], [])).toBe(true);
    expect(isWithinWorkingHours({ ...b, locationId: 2 }, 'Europe/Bucharest', [rule()], [])).toBe(false);
    expect(isWithinWorkingHours(b, 'Europe/Bucharest', [rule()], [{ locationId: null, date: '2026-11-23', kind: 'absence', startTime: null, endTime: null }])).toBe(false);
    const evening = booking('2026-11-23T16:00:00Z', '2026-11-23T16:30:00Z');
    expect(isWithinWorkingHours(evening, 'Europe/Bucharest', [rule()], [{ locationId: 1, date: '2026-11-23', kind: 'extra_hours', startTime: '17:00', endTime: '20:00' }])).toBe(true);
  });
});
