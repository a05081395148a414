/**
 * What the Patients page shows about one patient of the caller's institution (administrators only): the personal
 * fields, who entered them, the booking count and the active bookings not over yet (which block erasure), and the
 * erasure if it happened.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import type { Executor } from '../../db/client';
import { bookings, locations, organisations, services, users } from '../../db/schema';
import type { SessionUser } from '../auth/session';
import { institutionPatient } from './access';
import { activeUpcomingBookings } from './erase';

export async function patientDetails(db: Executor, user: SessionUser, patientId: number, now = new Date()) {
  const p = await institutionPatient(db, user, patientId);
  const enteredBy = alias(users, 'entered_by');
  const erasedBy = alias(users, 'erased_by');
  const [who] = await db.select({ organisationName: organisations.name, userName: enteredBy.name, erasedByName: erasedBy.name })
    .from(organisations)
    .leftJoin(enteredBy, eq(enteredBy.id, p.createdByUserId ?? 0))
    .leftJoin(erasedBy, eq(erasedBy.id, p.erasedByUserId ?? 0))
    .where(eq(organisations.id, p.createdByOrganisationId));
  const [{ total }] = await db.select({ total: count() }).from(bookings).where(eq(bookings.patientId, p.id));
  const upcomingIds = (await activeUpcomingBookings(db, p.id, now)).map((b) => b.id);
  const upcoming = upcomingIds.length === 0 ? [] : await db.select({
    id: bookings.id, startsAt: bookings.startsAt, status: bookings.status, timeZone: locations.timeZone, locationName: locations.name,
    serviceName: services.name,
  }).from(bookings).innerJoin(locations, eq(locations.id, bookings.locationId)).innerJoin(services, eq(services.id, bookings.serviceId))
    .where(and(inArray(bookings.id, upcomingIds))).orderBy(bookings.startsAt);
  return {
    id: p.id, name: p.name, birthDate: p.birthDate, nationalId: p.nationalId, phone: p.phone, email: p.email,
    enteredAt: p.createdAt.toISOString(), enteredByOrganisation: who?.organisationName ?? null, enteredByUser: who?.userName ?? null,
    enteredByPartner: p.createdByOrganisationId !== p.institutionId,
    erasedAt: p.erasedAt?.toISOString() ?? null, erasedByName: who?.erasedByName ?? null,
    bookingsTotal: total,
    activeUpcoming: upcoming.map((b) => ({ ...b, startsAt: b.startsAt.toISOString() })),
  };
}
