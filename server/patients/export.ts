/**
 * The data-subject export: one JSON document with everything the Partner Module stores about one patient of the
 * caller's institution — the personal fields, who entered them and when, every booking with its history (events with
 * who acted), the emails sent or queued to the patient, the audit entries about the patient, the logged searches that
 * could have been about the patient, and consents (none are recorded by this product: an empty list, said so).
 * Times are ISO 8601 in UTC, each booking with its location's time zone. The export itself is audited (counts only).
 * It is also what an erased patient still has: the anonymised record and the kept bookings.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import type { Executor } from '../../db/client';
import {
  auditLog, bookingEvents, bookings, emailOutbox, locations, organisations, physicians, services, users,
} from '../../db/schema';
import { writeAudit } from '../audit';
import { selectFromBookings } from '../bookings/joins';
import { institutionPatient, type Actor } from './access';
import { patientEmailsWhere, searchesConcerning } from './erase';

export const EXPORT_FORMAT = 'partner-module/patient-data-export';
export const EXPORT_VERSION = 1;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function exportPatient(db: Executor, actor: Actor, input: { patientId: number }, now = new Date()) {
  const p = await institutionPatient(db, actor.user, input.patientId);
  const [institution] = await db.select({ id: organisations.id, name: organisations.name, timeZone: organisations.timeZone })
    .from(organisations).where(eq(organisations.id, p.institutionId));
  const [enteredByOrg] = await db.select({ id: organisations.id, name: organisations.name }).from(organisations)
    .where(eq(organisations.id, p.createdByOrganisationId));
  const person = async (id: number | null) => {
    if (id === null) return null;
    const [u] = await db.select({ id: users.id, name: users.name, organisationName: organisations.name }).from(users)
      .innerJoin(organisations, eq(organisations.id, users.organisationId)).where(eq(users.id, id));
    return u ?? { id, name: null, organisationName: null };
  };

  const partnerOrg = alias(organisations, 'partner_org');
  const bookedByOrg = alias(organisations, 'booked_by_org');
  const rows = await selectFromBookings(db, {
    b: bookings, locationName: locations.name, timeZone: locations.timeZone, physicianName: physicians.name, serviceName: services.name,
    partnerName: partnerOrg.name, bookedByName: users.name, bookedByOrganisationName: bookedByOrg.name,
  }, { catalogue: true, partner: partnerOrg, bookedBy: users })
    .leftJoin(bookedByOrg, eq(bookedByOrg.id, bookings.bookedByOrganisationId))
    .where(and(eq(bookings.patientId, p.id), eq(bookings.institutionId, p.institutionId)))
    .orderBy(asc(bookings.startsAt), asc(bookings.id));
  const bookingIds = rows.map((r) => r.b.id);

  const actorUser = alias(users, 'actor');
  const events = bookingIds.length === 0 ? [] : await db.select({
    e: bookingEvents, actorName: actorUser.name,
  }).from(bookingEvents).leftJoin(actorUser, eq(actorUser.id, bookingEvents.actorUserId))
    .where(inArray(bookingEvents.bookingId, bookingIds)).orderBy(asc(bookingEvents.id));

  const emails = bookingIds.length === 0 ? [] : await db.select({
    messageKey: emailOutbox.messageKey, template: emailOutbox.template, to: emailOutbox.toAddress, status: emailOutbox.status,
    createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt,
  }).from(emailOutbox).where(patientEmailsWhere(bookingIds)).orderBy(asc(emailOutbox.id));

  const auditRows = await db.select({
    id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, actorName: users.name,
    before: auditLog.before, after: auditLog.after,
  }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.organisationId, p.institutionId), eq(auditLog.objectType, 'patient'), eq(auditLog.objectId, String(p.id))))
    .orderBy(asc(auditLog.id));

  // An erased patient's name is not personal any more: nothing to compare the logged queries with.
  const searchIds = p.erasedAt ? [] : (await searchesConcerning(db, p.institutionId, p)).map((s) => s.id);
  const searchRows = searchIds.length === 0 ? [] : (await db.select({
    at: auditLog.at, after: auditLog.after, actorName: users.name, organisationName: organisations.name,
  }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorUserId)).leftJoin(organisations, eq(organisations.id, auditLog.organisationId))
    .where(inArray(auditLog.id, searchIds)).orderBy(asc(auditLog.id))).map((s) => {
    const after = (s.after ?? {}) as { query?: string; resultCount?: number };
    return { at: s.at.toISOString(), by: s.actorName, inLogOf: s.organisationName, query: after.query ?? null, resultCount: after.resultCount ?? null };
  });

  const document = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    exportedBy: { userId: actor.user.id, name: actor.user.name },
    institution: institution,
    patient: {
      id: p.id, name: p.name, birthDate: p.birthDate, nationalId: p.nationalId, phone: p.phone, email: p.email,
      enteredAt: p.createdAt.toISOString(),
      enteredBy: { organisation: enteredByOrg ?? null, user: await person(p.createdByUserId) },
      erasedAt: iso(p.erasedAt),
      erasedBy: await person(p.erasedByUserId),
    },
    bookings: rows.map(({ b, ...r }) => ({
      id: b.id, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), timeZone: r.timeZone,
      location: { id: b.locationId, name: r.locationName }, physician: { id: b.physicianId, name: r.physicianName },
      service: { id: b.serviceId, name: r.serviceName }, status: b.status, paymentStatus: b.paymentStatus, source: b.sourceChannel,
      partner: b.partnershipId === null ? null : { partnershipId: b.partnershipId, name: r.partnerName },
      bookedBy: { userId: b.bookedByUserId, name: r.bookedByName, organisation: r.bookedByOrganisationName },
      price: { minor: b.priceMinor, currency: b.currency },
      commission: { type: b.commissionType, value: b.commissionValue, currency: b.commissionCurrency }, paymentLocation: b.paymentLocation,
      cancellationReason: b.cancellationReason, cancelledAt: iso(b.cancelledAt), createdAt: b.createdAt.toISOString(), updatedAt: b.updatedAt.toISOString(),
      events: events.filter((x) => x.e.bookingId === b.id).map(({ e, actorName }) => ({
        id: e.id, type: e.type, at: e.at.toISOString(), actor: { kind: e.actorKind, userId: e.actorUserId, name: actorName }, before: e.before, after: e.after,
      })),
    })),
    emails: emails.map((m) => ({
      template: m.template, to: m.to || null, status: m.status, queuedAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt),
      bookingId: Number(m.messageKey.split(':')[1]),
    })),
    auditEntries: auditRows.map((a) => ({
      id: a.id, at: a.at.toISOString(), action: a.action, by: { userId: a.actorUserId, name: a.actorName }, before: a.before, after: a.after,
    })),
    searchesThatMayConcernThePatient: searchRows,
    consents: [] as never[],
    notes: [
      'Consents: the Partner Module records no consents; none are stored about this patient.',
      'Times are UTC (ISO 8601); each booking names the time zone of its location.',
    ],
  };

  await writeAudit(db, {
    organisationId: p.institutionId, actorUserId: actor.user.id, action: 'patient.export', objectType: 'patient', objectId: p.id,
    after: { bookings: document.bookings.length, emails: document.emails.length }, ip: actor.ip,
  });
  const fileName = `patient-${p.id}-data-${now.toISOString().slice(0, 10)}.json`;
  return { fileName, document };
}
