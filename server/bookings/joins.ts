/**
 * The one place that says how a booking reaches its names: its institution, location, physician and service (inner
 * joins — a booking always has them), its partnership and that partnership's partner organisation, the user who
 * booked it, and its patient (left joins — a booking may have none). The booking pages, the patient export, the
 * statistics, the calendar and the booking emails select from `bookings` through `selectFromBookings`, each naming
 * the joins it needs; what they select is theirs (a partner's statistics never select a patient's data beyond what
 * partnerRowFields allows).
 *
 * The joins are added in one fixed order — institution, location, physician, service, partnership and partner,
 * booked by, patient — so the SQL reads the same wherever it is built; a caller adds any further join after it.
 */
import { eq, type Column } from 'drizzle-orm';
import type { MySqlSelectBase, MySqlTable, SelectedFields } from 'drizzle-orm/mysql-core';
import type { MySql2PreparedQueryHKT } from 'drizzle-orm/mysql2';
import type { Executor } from '../../db/client';
import { bookings, locations, partnerships, patients, physicians, services } from '../../db/schema';

/** `organisations` or an alias of it; `users` or an alias of it. */
type TableWithId = MySqlTable & { id: Column };

export interface BookingJoins {
  /** Inner join of the booking's institution (pass `organisations` or an alias of it). */
  institution?: TableWithId;
  /** Inner joins of the booking's location, physician and service. */
  catalogue?: boolean;
  /** Inner join of the booking's service alone (when the catalogue is not joined). */
  service?: boolean;
  /** Left joins of `partnerships` and of its partner organisation (`organisations` or an alias of it). */
  partner?: TableWithId;
  /** Left join of the user who booked (`users` or an alias of it). */
  bookedBy?: TableWithId;
  /** Left join of `patients`. */
  patient?: boolean;
}

type NameOf<T> = T extends MySqlTable ? T['_']['name'] : never;
type Joined<J extends BookingJoins> =
  & { bookings: 'not-null' }
  & { [K in NameOf<J['institution']>]: 'not-null' }
  & (J['catalogue'] extends true ? { locations: 'not-null'; physicians: 'not-null'; services: 'not-null' } : unknown)
  & (J['service'] extends true ? { services: 'not-null' } : unknown)
  & (J['partner'] extends MySqlTable ? { partnerships: 'nullable' } : unknown)
  & { [K in NameOf<J['partner']>]: 'nullable' }
  & { [K in NameOf<J['bookedBy']>]: 'nullable' }
  & (J['patient'] extends true ? { patients: 'nullable' } : unknown);

/**
 * `SELECT fields FROM bookings` with the named joins, as drizzle's own builder (go on with where, orderBy, limit or
 * more joins). Typed as drizzle types the same chain written out: columns of the left-joined tables may be null.
 */
export function selectFromBookings<T extends SelectedFields, const J extends BookingJoins>(db: Executor, fields: T, joins: J):
  MySqlSelectBase<'bookings', T, 'partial', MySql2PreparedQueryHKT, Joined<J>> {
  let q = db.select(fields as SelectedFields).from(bookings).$dynamic();
  if (joins.institution) q = q.innerJoin(joins.institution, eq(joins.institution.id, bookings.institutionId));
  if (joins.catalogue) {
    q = q.innerJoin(locations, eq(locations.id, bookings.locationId))
      .innerJoin(physicians, eq(physicians.id, bookings.physicianId));
  }
  if (joins.catalogue || joins.service) q = q.innerJoin(services, eq(services.id, bookings.serviceId));
  if (joins.partner) {
    q = q.leftJoin(partnerships, eq(partnerships.id, bookings.partnershipId))
      .leftJoin(joins.partner, eq(joins.partner.id, partnerships.partnerOrganisationId));
  }
  if (joins.bookedBy) q = q.leftJoin(joins.bookedBy, eq(joins.bookedBy.id, bookings.bookedByUserId));
  if (joins.patient) q = q.leftJoin(patients, eq(patients.id, bookings.patientId));
  // The chain above, typed once here: drizzle cannot type joins on a selection that is still generic.
  return q as unknown as MySqlSelectBase<'bookings', T, 'partial', MySql2PreparedQueryHKT, Joined<J>>;
}
