/**
 * Erasure of a patient (a data-subject request) by an administrator of the patient's institution. Personal fields are
 * anonymised — the name becomes "Erased patient #<id>", birth date, national ID, phone and email are emptied — and the
 * patient records when and by whom. Bookings stay (with their events, statuses, prices and commissions), so calendars,
 * statistics, CSVs and settlement statements keep their figures and show the anonymised name.
 *
 * Copies of personal data elsewhere go too, in the same transaction:
 * - free-text cancellation reasons of the patient's bookings (on the booking and in its events): they may say anything
 *   about the patient, so they are emptied;
 * - the patient's emails in email_outbox: the address is blanked, and a queued one is marked `skipped` and never sent
 *   (deliverEmail skips it; a render that finds the patient erased skips it too);
 * - logged patient searches whose query could have been about the patient (rules.ts): the query is blanked.
 * Workflows carry IDs only, so nothing is stored in Temporal; the booking search never finds an erased patient and
 * no one can book one again (server/bookings/patients.ts).
 *
 * Refused while the patient has an active booking that is not over yet (booked or arrived, ending in the future): that
 * appointment still needs the patient's contact details, and erasure cancels nothing by itself. Cancel or finish those
 * bookings first. Idempotent: erasing an erased patient changes nothing and answers `alreadyErased`.
 */
import { and, eq, gt, inArray, like, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { auditLog, bookingEvents, bookings, emailOutbox, patients } from '../../db/schema';
import { withRetry } from '../../db/retry';
import { writeAudit } from '../audit';
import { DomainError } from '../errors';
import { institutionPatient, type Actor } from './access';
import { erasedName, searchQueryConcerns, type PatientPersonalData } from './rules';
import type { ErasePatientInput } from './schemas';

export interface EraseResult {
  patientId: number;
  name: string;
  erasedAt: string;
  alreadyErased: boolean;
  /** Bookings kept (anonymised through the patient), with their statistics. */
  bookingsKept: number;
  /** Queued emails to the patient that will never be sent. */
  emailsStopped: number;
  cancellationReasonsEmptied: number;
  searchEntriesBlanked: number;
}

/** Active bookings of the patient that are not over yet: they block the erasure. */
export async function activeUpcomingBookings(db: Executor, patientId: number, now: Date) {
  return db.select({ id: bookings.id, startsAt: bookings.startsAt }).from(bookings)
    .where(and(eq(bookings.patientId, patientId), inArray(bookings.status, ['booked', 'arrived']), gt(bookings.endsAt, now)))
    .orderBy(bookings.startsAt);
}

/** The patient's own emails in the outbox: message keys `booking:<bookingId>:<stage>:v<version>:patient`. */
export function patientEmailsWhere(bookingIds: number[]) {
  return and(or(...bookingIds.map((id) => like(emailOutbox.messageKey, `booking:${id}:%`))), like(emailOutbox.messageKey, '%:patient'));
}

/** Logged searches of the institution's patients (in its own log and in its partners' logs) that concern the patient. */
export async function searchesConcerning(db: Executor, institutionId: number, person: PatientPersonalData) {
  const rows = await db.select({ id: auditLog.id, after: auditLog.after }).from(auditLog).where(and(
    eq(auditLog.action, 'patients.search'), eq(auditLog.objectType, 'institution'), eq(auditLog.objectId, String(institutionId))));
  return rows.filter((r) => {
    const query = (r.after as { query?: unknown } | null)?.query;
    return typeof query === 'string' && searchQueryConcerns(query, person);
  });
}

export async function erasePatient(db: Db, actor: Actor, input: ErasePatientInput, now = new Date()): Promise<EraseResult> {
  if (input.confirm !== true) throw new DomainError('BAD_REQUEST', 'patients.erase_confirm_required', 'confirm');
  return withRetry(() => db.transaction(async (tx) => {
    const p = await institutionPatient(tx, actor.user, input.patientId, true);
    const owned = await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.patientId, p.id));
    const bookingIds = owned.map((b) => b.id);
    if (p.erasedAt) {
      return {
        patientId: p.id, name: p.name, erasedAt: p.erasedAt.toISOString(), alreadyErased: true, bookingsKept: bookingIds.length,
        emailsStopped: 0, cancellationReasonsEmptied: 0, searchEntriesBlanked: 0,
      };
    }
    const upcoming = await activeUpcomingBookings(tx, p.id, now);
    if (upcoming.length > 0) {
      throw new DomainError('CONFLICT', 'patients.erase_active_bookings', 'patientId', { count: upcoming.length });
    }

    // Searches first, while the personal data is still there to compare with.
    const searches = await searchesConcerning(tx, p.institutionId, p);
    for (const s of searches) {
      const after = { ...(s.after as Record<string, unknown>), query: null, queryErased: true };
      await tx.update(auditLog).set({ after }).where(eq(auditLog.id, s.id));
    }

    const name = erasedName(p.id);
    await tx.update(patients).set({
      name, birthDate: null, nationalId: null, phone: null, email: null, erasedAt: now, erasedByUserId: actor.user.id,
    }).where(eq(patients.id, p.id));

    let emailsStopped = 0;
    let cancellationReasonsEmptied = 0;
    if (bookingIds.length > 0) {
      const [stopped] = await tx.update(emailOutbox).set({ status: 'skipped', toAddress: '' })
        .where(and(patientEmailsWhere(bookingIds), eq(emailOutbox.status, 'pending')));
      emailsStopped = stopped.affectedRows;
      await tx.update(emailOutbox).set({ toAddress: '' }).where(patientEmailsWhere(bookingIds));
      const [reasons] = await tx.update(bookings).set({ cancellationReason: null })
        .where(and(inArray(bookings.id, bookingIds), sql`${bookings.cancellationReason} is not null`));
      cancellationReasonsEmptied = reasons.affectedRows;
      await tx.update(bookingEvents).set({ after: sql`JSON_SET(${bookingEvents.after}, '$.reason', NULL)` })
        .where(and(inArray(bookingEvents.bookingId, bookingIds), sql`JSON_CONTAINS_PATH(${bookingEvents.after}, 'one', '$.reason')`));
    }

    const result: EraseResult = {
      patientId: p.id, name, erasedAt: now.toISOString(), alreadyErased: false, bookingsKept: bookingIds.length,
      emailsStopped, cancellationReasonsEmptied, searchEntriesBlanked: searches.length,
    };
    // Counts only: nothing personal in the audit log (the patient is named by ID).
    await writeAudit(tx, {
      organisationId: p.institutionId, actorUserId: actor.user.id, action: 'patient.erase', objectType: 'patient', objectId: p.id,
      after: {
        bookingsKept: result.bookingsKept, emailsStopped, cancellationReasonsEmptied, searchEntriesBlanked: result.searchEntriesBlanked,
      },
      ip: actor.ip,
    });
    return result;
  }), ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
}
