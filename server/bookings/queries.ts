/**
 * Read side of bookings: what the booking pages show — the options of "Book to partner", a booking's details with its
 * history (from the database alone), the lifecycle workflow's next step (asked separately, so that a busy worker never
 * holds up the details), the partner's own bookings, and the patient's cancel-link page.
 */
import { and, asc, count, desc, eq, gt, gte, inArray, lt, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import type { Executor } from '../../db/client';
import {
  bookingEvents, bookings, locations, organisations, partnerships, patients, physicians, services, users, workflowOutbox,
} from '../../db/schema';
import type { SessionUser } from '../auth/session';
import { maskNationalId } from '../domain/cnp';
import { canStaffMark } from '../domain/booking-status';
import { bookingWorkflowId, type BookingLifecycleState } from '../workflow-outbox';
import { bookerScopes, institutionScope, physiciansOf, qualificationsOf, servicesFor, type Scope } from './scope';
import { cancellableUntil, isModifiable, visibleBooking } from './operations';
import { MAX_DURATION_MINUTES } from './calendar';
import { selectFromBookings } from './joins';

function optionsOf(scope: Scope, physicianRows: Awaited<ReturnType<typeof physiciansOf>>, quals: Awaited<ReturnType<typeof qualificationsOf>>) {
  const physiciansHere = physicianRows
    .map((p) => ({ p, locationIds: scope.locations.filter((l) => servicesFor(scope, p, l.id).length > 0).map((l) => l.id) }))
    .filter((x) => x.locationIds.length > 0)
    .map(({ p, locationIds }) => ({ id: p.id, name: p.name, qualificationIds: p.qualificationIds, locationIds }));
  const qualIds = new Set(scope.services.map((s) => s.qualificationId));
  return {
    locations: scope.locations.map(({ id, name, timeZone }) => ({ id, name, timeZone })),
    qualifications: quals.filter((q) => q.organisationId === scope.institutionId && qualIds.has(q.id)).map(({ id, name }) => ({ id, name })),
    physicians: physiciansHere,
    services: scope.services.map((s) => ({ id: s.id, name: s.name, qualificationId: s.qualificationId, durationMinutes: s.durationMinutes, priceMinor: s.priceMinor, currency: s.currency })),
  };
}

/** Every institution the booker may book at, with what it may book there. */
export async function bookingOptions(db: Executor, user: SessionUser) {
  const scopes = await bookerScopes(db, user);
  const ids = scopes.map((s) => s.institutionId);
  const [physicianRows, quals] = [await physiciansOf(db, ids), await qualificationsOf(db, ids)];
  return {
    institutions: scopes.map((scope) => ({
      institutionId: scope.institutionId, institutionName: scope.institutionName, partnershipId: scope.partnership!.id,
      patientDataAccess: scope.partnership!.patientDataAccess, paymentLocation: scope.partnership!.paymentLocation,
      ...optionsOf(scope, physicianRows, quals),
    })),
  };
}

/** The institution's own options for its Bookings calendar, and its active partners (to attribute a phoned-in booking). */
export async function institutionOptions(db: Executor, user: SessionUser) {
  const scope = await institutionScope(db, user.organisationId);
  const [physicianRows, quals] = [await physiciansOf(db, [scope.institutionId]), await qualificationsOf(db, [scope.institutionId])];
  const partners = await db.select({ partnershipId: partnerships.id, name: organisations.name, paymentLocation: partnerships.paymentLocation })
    .from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(and(eq(partnerships.institutionId, user.organisationId), eq(partnerships.status, 'active'))).orderBy(asc(organisations.name));
  return { institutionId: scope.institutionId, institutionName: scope.institutionName, ...optionsOf(scope, physicianRows, quals), partners };
}

/** The lifecycle workflow's `state` within the given budget, or null when it is not running or does not answer in time. */
export type NextStepSource = (bookingId: number, budgetMs: number) => Promise<BookingLifecycleState | null>;

/** How long the next-step query waits for Temporal and the worker before it answers "not available right now". */
export const WORKFLOW_STEP_BUDGET_MS = 1_500;

export type BookingWorkflowStep =
  | { status: 'step'; nextStep: NonNullable<BookingLifecycleState['nextStep']> }
  | { status: 'none' }
  | { status: 'unavailable' };

/**
 * The booking's next automatic step (reminder or fulfilment), for the same callers as its details. Only a booked or
 * arrived booking has one; the others answer 'none' without asking Temporal. 'unavailable' when the workflow does not
 * answer within the budget (Temporal or the worker away or busy, or the workflow not started yet) or is still sending
 * the confirmation — never an error.
 */
export async function bookingWorkflowStep(db: Executor, user: SessionUser, bookingId: number, stateOf: NextStepSource, budgetMs = WORKFLOW_STEP_BUDGET_MS): Promise<BookingWorkflowStep> {
  const { booking: b } = await visibleBooking(db, user, bookingId);
  if (b.status !== 'booked' && b.status !== 'arrived') return { status: 'none' };
  // A booking whose lifecycle was never queued (imported or demo data) has no next step to wait for: do not ask
  // Temporal, and do not say "not available right now" for ever.
  const [queued] = await db.select({ id: workflowOutbox.id }).from(workflowOutbox)
    .where(and(eq(workflowOutbox.workflowId, bookingWorkflowId(b.id)), ne(workflowOutbox.mode, 'signal'))).limit(1);
  if (!queued) return { status: 'none' };
  const state = await stateOf(b.id, budgetMs);
  // While it still confirms (sends the confirmation) the workflow has not worked out its next step yet.
  if (state === null || state.phase === 'confirming') return { status: 'unavailable' };
  return state.nextStep ? { status: 'step', nextStep: state.nextStep } : { status: 'none' };
}

/** A booking's details and history, from the database alone (the workflow's next step: bookingWorkflowStep). */
export async function bookingDetails(db: Executor, user: SessionUser, bookingId: number, now = new Date(), fulfilGraceMs?: number) {
  const { booking: b, asInstitution, asBooker } = await visibleBooking(db, user, bookingId);
  const partnerOrg = alias(organisations, 'partner_org');
  const bookedBy = alias(users, 'booked_by');
  const [row] = await selectFromBookings(db, {
    institutionName: organisations.name, locationName: locations.name, timeZone: locations.timeZone, physicianName: physicians.name,
    serviceName: services.name, durationMinutes: services.durationMinutes, partnerName: partnerOrg.name, partnershipStatus: partnerships.status,
    bookedByName: bookedBy.name,
    patientName: patients.name, patientBirthDate: patients.birthDate, patientPhone: patients.phone, patientEmail: patients.email,
    patientNationalId: patients.nationalId, patientCreatedBy: patients.createdByOrganisationId,
  }, { institution: organisations, catalogue: true, partner: partnerOrg, bookedBy, patient: true })
    .where(eq(bookings.id, b.id));
  const actor = alias(users, 'actor');
  const events = await db.select({
    id: bookingEvents.id, type: bookingEvents.type, at: bookingEvents.at, actorKind: bookingEvents.actorKind, actorName: actor.name,
    actorOrganisationId: actor.organisationId, before: bookingEvents.before, after: bookingEvents.after,
  }).from(bookingEvents).leftJoin(actor, eq(actor.id, bookingEvents.actorUserId))
    .where(eq(bookingEvents.bookingId, b.id)).orderBy(asc(bookingEvents.id));
  const upcoming = isModifiable(b, now);
  return {
    id: b.id, institutionId: b.institutionId, institutionName: row.institutionName, locationId: b.locationId, locationName: row.locationName,
    timeZone: row.timeZone, physicianId: b.physicianId, physicianName: row.physicianName, serviceId: b.serviceId, serviceName: row.serviceName,
    durationMinutes: row.durationMinutes, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), status: b.status,
    paymentStatus: b.paymentStatus, source: { kind: b.sourceChannel, partnerName: b.sourceChannel === 'partner' ? row.partnerName : null },
    partnershipId: b.partnershipId, priceMinor: b.priceMinor, currency: b.currency,
    commission: { type: b.commissionType, value: b.commissionValue, currency: b.commissionCurrency },
    paymentLocation: b.paymentLocation,
    // A partner sees the contact details only of patients it entered itself; of the institution's own patients (found
    // through the search, or booked for it by staff) it sees what the search shows: name and masked national ID.
    patient: row.patientName === null ? null : (() => {
      const restricted = !asInstitution && row.patientCreatedBy !== user.organisationId;
      return {
        name: row.patientName, restricted, birthDate: restricted ? null : row.patientBirthDate, phone: restricted ? null : row.patientPhone,
        email: restricted ? null : row.patientEmail, nationalIdMasked: row.patientNationalId ? maskNationalId(row.patientNationalId) : null,
      };
    })(),
    bookedByName: row.bookedByName, createdAt: b.createdAt.toISOString(), cancellationReason: b.cancellationReason, version: b.version,
    events: events.map((e) => ({
      id: e.id, type: e.type, at: e.at.toISOString(), actorKind: e.actorKind,
      // A partner sees the names of its own people and of the institution's staff acting on its booking.
      actorName: e.actorName, before: e.before ?? null, after: e.after ?? null,
    })),
    can: {
      modify: upcoming && (asInstitution || (asBooker && row.partnershipStatus === 'active')),
      cancel: asInstitution ? b.status === 'booked' : upcoming && asBooker && row.partnershipStatus === 'active',
      mark: asInstitution && (b.status === 'booked' || b.status === 'arrived' || b.status === 'noshow'),
      // Each staff mark as the server would take it now (arrived from 24 h before, no-show once started, undo until fulfilment).
      markArrived: asInstitution && canStaffMark(b, 'arrived', now, fulfilGraceMs),
      markNoShow: asInstitution && canStaffMark(b, 'noshow', now, fulfilGraceMs),
      undoMark: asInstitution && canStaffMark(b, 'booked', now, fulfilGraceMs),
      setPayment: asInstitution && b.paymentLocation !== 'partner' && b.status !== 'cancelled',
    },
  };
}

export const MY_BOOKINGS_PAGE_SIZE = 25;

/**
 * The partner's "My bookings": its organisation's bookings at other institutions, upcoming (soonest first) or past.
 * Upcoming = not ended yet; as no booking is longer than MAX_DURATION_MINUTES, such a booking starts after now minus
 * that, which keeps both queries on one range of bookings_booked_by_org_start_idx (count from the index alone). The
 * page is two steps — the page's IDs from bookings alone, then their names — so that the optimizer never drives the
 * joins from a small catalogue table and scans every booking (found by bench/load.ts).
 */
export async function myBookings(db: Executor, user: SessionUser, input: { scope: 'upcoming' | 'past'; page?: number }, now = new Date()) {
  const page = input.page ?? 1;
  const upcoming = input.scope === 'upcoming';
  const where = and(eq(bookings.bookedByOrganisationId, user.organisationId), ne(bookings.institutionId, user.organisationId),
    upcoming
      ? and(gt(bookings.startsAt, new Date(now.getTime() - MAX_DURATION_MINUTES * 60_000)), gte(bookings.endsAt, now))
      : and(lt(bookings.startsAt, now), lt(bookings.endsAt, now)));
  // By start only: the index's order (a tie-break on id would make MariaDB sort the whole range).
  const order = upcoming ? [asc(bookings.startsAt)] : [desc(bookings.startsAt)];
  const [{ total }] = await db.select({ total: count() }).from(bookings).where(where);
  const ids = (await db.select({ id: bookings.id }).from(bookings).where(where).orderBy(...order)
    .limit(MY_BOOKINGS_PAGE_SIZE).offset((page - 1) * MY_BOOKINGS_PAGE_SIZE)).map((r) => r.id);
  const rows = ids.length ? await selectFromBookings(db, {
    id: bookings.id, institutionName: organisations.name, locationName: locations.name, timeZone: locations.timeZone,
    physicianName: physicians.name, serviceName: services.name, startsAt: bookings.startsAt, endsAt: bookings.endsAt,
    status: bookings.status, paymentStatus: bookings.paymentStatus, patientName: patients.name,
  }, { institution: organisations, catalogue: true, patient: true })
    .where(inArray(bookings.id, ids))
    .orderBy(...order) : [];
  return {
    items: rows.map((r) => ({ ...r, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() })),
    total, pageSize: MY_BOOKINGS_PAGE_SIZE,
  };
}

/** What the patient's cancel page shows: the appointment, not the patient (anyone holding the link sees this). */
export async function cancelLinkInfo(db: Executor, bookingId: number, now = new Date()) {
  const [row] = await selectFromBookings(db, {
    institutionName: organisations.name, locationName: locations.name, timeZone: locations.timeZone, serviceName: services.name,
    physicianName: physicians.name, startsAt: bookings.startsAt, status: bookings.status, window: services.cancellationWindowHours,
  }, { institution: organisations, catalogue: true })
    .where(eq(bookings.id, bookingId));
  if (!row) return null;
  const until = cancellableUntil(row.startsAt, row.window);
  return {
    institutionName: row.institutionName, locationName: row.locationName, timeZone: row.timeZone, serviceName: row.serviceName,
    physicianName: row.physicianName, startsAt: row.startsAt.toISOString(), status: row.status,
    cancellable: row.status === 'booked' && now.getTime() <= until.getTime(), cancellableUntil: until.toISOString(),
  };
}

