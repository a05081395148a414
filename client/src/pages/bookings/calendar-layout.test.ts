import { describe, expect, it } from 'vitest';
import { hasFreeSlot, layoutWeek } from './calendar-layout';
import { weekDates } from './booking-time';

describe('calendar layout', () => {
  const dates = weekDates('2026-10-19');
  type Booked = { startsAt: string; endsAt: string; bookingId: number | null; details: null };
  const days: { date: string; free: { startsAt: string; endsAt: string }[]; booked: Booked[] }[] = [
    {
      date: '2026-10-25', // the autumn clock change in Bucharest: 03:30 happens twice
      free: [{ startsAt: '2026-10-25T01:30:00Z', endsAt: '2026-10-25T01:50:00Z' }],
      booked: [{ startsAt: '2026-10-25T00:30:00Z', endsAt: '2026-10-25T00:50:00Z', bookingId: 7, details: null }],
    },
    {
      date: '2026-10-19',
      free: [
        { startsAt: '2026-10-19T06:20:00Z', endsAt: '2026-10-19T06:40:00Z' },
        { startsAt: '2026-10-19T06:00:00Z', endsAt: '2026-10-19T06:20:00Z' },
      ],
      booked: [{ startsAt: '2026-10-19T06:40:00Z', endsAt: '2026-10-19T07:00:00Z', bookingId: null, details: null }],
    },
  ];

  it('puts every slot under its local day, in time order, with local wall-clock times', () => {
    const week = layoutWeek(dates, days, 'Europe/Bucharest');
    expect(week.map((d) => d.date)).toEqual(dates);
    expect(week[0]!.items.map((i) => [i.kind, i.start, i.end])).toEqual([
      ['free', '09:00', '09:20'], ['free', '09:20', '09:40'], ['booked', '09:40', '10:00'],
    ]);
    expect(week[0]!.freeCount).toBe(2);
    expect(week[1]!.items).toEqual([]);
  });

  it('orders the two 03:30s of the autumn change by instant', () => {
    const sunday = layoutWeek(dates, days, 'Europe/Bucharest')[6]!;
    expect(sunday.items.map((i) => [i.kind, i.start])).toEqual([['booked', '03:30'], ['free', '03:30']]);
  });

  it('knows when a week has no free slot', () => {
    expect(hasFreeSlot([{ days }])).toBe(true);
    expect(hasFreeSlot([{ days: days.map((d) => ({ ...d, free: [] })) }])).toBe(false);
  });
});
