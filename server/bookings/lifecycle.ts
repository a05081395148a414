/**
 * What the booking lifecycle workflow reads and writes in the database, as plain functions: the booking's schedule
 * (IDs, status and times only — never patient data, because it ends up in the workflow history) and the automatic
 * fulfilment after the appointment. The server may call them too (e.g. to fulfil at once).
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { bookingEvents, bookings } from '../../db/schema';
import { DEFAULT_FULFILMENT_GRACE_MS, shouldFulfil, type BookingStatus } from '../domain/booking-status';

export type { BookingStatus };

/** The part of a booking the lifecycle workflow needs: times as epoch ms, no personal data. */
export interface BookingSchedule {
  bookingId: number;
  status: BookingStatus;
  serviceId: number;
  startsAt: number;
  endsAt: number;
  version: number;
  /** When the booking was made: whether it wants a reminder is decided against this, not the workflow's clock. */
  createdAt?: number;
}

export async function loadBookingSchedule(db: Executor, bookingId: number): Promise<BookingSchedule | null> {
  const [row] = await db.select({
    bookingId: bookings.id, status: bookings.status, serviceId: bookings.serviceId,
    startsAt: bookings.startsAt, endsAt: bookings.endsAt, version: bookings.version, createdAt: bookings.createdAt,
  }).from(bookings).where(eq(bookings.id, bookingId)).limit(1);
  if (!row) return null;
  return { ...row, startsAt: row.startsAt.getTime(), endsAt: row.endsAt.getTime(), createdAt: row.createdAt.getTime() };
}

/** Statuses from which the system may make a booking `fulfilled` (see server/domain/booking-status.ts). */
const FULFILLABLE_STATUSES = ['booked', 'arrived'] as const satisfies readonly BookingStatus[];

export type FulfilResult =
  /** This call (or an earlier one) made the booking fulfilled. */
  | { result: 'fulfilled'; version: number }
  /** Cancelled or no-show: never fulfilled. */
  | { result: 'not_fulfillable'; status: BookingStatus; version: number }
  /** Still booked/arrived but not over yet (ends_at + grace is later than now), e.g. it was moved meanwhile. */
  | { result: 'not_due'; status: BookingStatus; version: number }
  | { result: 'missing' };

/**
 * Sets `fulfilled` once the booking ended at least `graceMs` before `now`, unless it was cancelled or marked no-show:
 * a conditional UPDATE on the status (and end time), plus a `status_changed` booking event by the system, and a version
 * bump, in one transaction. Idempotent: a second call finds it fulfilled and changes nothing.
 */
export async function fulfilBooking(db: Db, bookingId: number, now: Date, graceMs: number = DEFAULT_FULFILMENT_GRACE_MS): Promise<FulfilResult> {
  return db.transaction(async (tx) => {
    const [b] = await tx.select({
      id: bookings.id, institutionId: bookings.institutionId, status: bookings.status, endsAt: bookings.endsAt, version: bookings.version,
    }).from(bookings).where(eq(bookings.id, bookingId)).for('update');
    if (!b) return { result: 'missing' as const };
    if (b.status === 'fulfilled') return { result: 'fulfilled' as const, version: b.version };
    if (b.status === 'cancelled' || b.status === 'noshow') return { result: 'not_fulfillable' as const, status: b.status, version: b.version };
    if (!shouldFulfil(b, now, graceMs)) return { result: 'not_due' as const, status: b.status, version: b.version };
    const dueBy = new Date(now.getTime() - graceMs);
    const [res] = await tx.update(bookings).set({ status: 'fulfilled', version: b.version + 1, updatedAt: now })
      .where(and(eq(bookings.id, b.id), inArray(bookings.status, [...FULFILLABLE_STATUSES]), lte(bookings.endsAt, dueBy)));
    if (res.affectedRows !== 1) throw new Error(`booking ${bookingId} changed while being fulfilled`);
    await tx.insert(bookingEvents).values({
      bookingId: b.id, institutionId: b.institutionId, type: 'status_changed', actorKind: 'system', actorUserId: null,
      before: { status: b.status }, after: { status: 'fulfilled' }, at: now,
    });
    return { result: 'fulfilled' as const, version: b.version + 1 };
  });
}
