/**
 * Lays one calendar column (a physician at a location, one week) out as seven day lists: free and booked slots in
 * time order, each with its wall-clock start and end in the location's zone. Pure; the calendar component renders it.
 */
import { localTime, minutesBetween } from './booking-time';

export interface LayoutFree { startsAt: string; endsAt: string }
export interface LayoutBooked { startsAt: string; endsAt: string; bookingId: number | null; details: unknown }
export interface LayoutDay<F extends LayoutFree, B extends LayoutBooked> { date: string; free: F[]; booked: B[] }

export type SlotItem<F, B> =
  | { kind: 'free'; key: string; start: string; end: string; minutes: number; slot: F }
  | { kind: 'booked'; key: string; start: string; end: string; minutes: number; slot: B };

export interface DayColumn<F, B> { date: string; items: SlotItem<F, B>[]; freeCount: number }

/** The seven days of `dates` (the week's dates as the server sent them), each with its slots in time order. */
export function layoutWeek<F extends LayoutFree, B extends LayoutBooked>(
  dates: string[], days: LayoutDay<F, B>[], timeZone: string,
): DayColumn<F, B>[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  return dates.map((date) => {
    const day = byDate.get(date);
    if (!day) return { date, items: [], freeCount: 0 };
    const items: SlotItem<F, B>[] = [
      ...day.free.map((slot) => ({
        kind: 'free' as const, key: `f${slot.startsAt}`, slot,
        start: localTime(slot.startsAt, timeZone), end: localTime(slot.endsAt, timeZone),
        minutes: minutesBetween(slot.startsAt, slot.endsAt),
      })),
      ...day.booked.map((slot) => ({
        kind: 'booked' as const, key: `b${slot.bookingId ?? ''}${slot.startsAt}`, slot,
        start: localTime(slot.startsAt, timeZone), end: localTime(slot.endsAt, timeZone),
        minutes: minutesBetween(slot.startsAt, slot.endsAt),
      })),
    ];
    // Instants sort correctly as numbers; wall-clock text would not across the autumn clock change.
    items.sort((a, b) => Date.parse(a.slot.startsAt) - Date.parse(b.slot.startsAt) || (a.kind === 'booked' ? -1 : 1));
    return { date, items, freeCount: day.free.length };
  });
}

/** Whether a week of columns has any free slot at all (else the page offers the next week). */
export function hasFreeSlot(columns: { days: { free: unknown[] }[] }[]): boolean {
  return columns.some((c) => c.days.some((d) => d.free.length > 0));
}
