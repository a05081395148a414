/**
 * Catalogue and schedule operations as plain functions (database, actor, input), called by the thin catalogue router:
 * save a location, qualification, physician or service; save or delete a weekly schedule rule; add or delete a date
 * exception. Each runs in one transaction that checks the rows belong to the actor's institution (locking the row it
 * changes), writes and audits. Changes never move or delete bookings: one that would leave future bookings outside
 * working hours returns them with `saved: false` and is applied only when the input carries `confirm`.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { locations, physicianLocations, physicianQualifications, physicians, qualifications, scheduleExceptions, schedules, services } from '../../db/schema';
import { mysqlErrorCode } from '../../db/retry';
import { DomainError } from '../errors';
import { AccessDenied, institutionLocationIds } from '../authz';
import { writeAudit } from '../audit';
import type { SessionUser } from '../auth/session';
import { rulesOverlap, type ScheduleRule } from '../domain/schedule';
import { bookingsOutsideHours, own, ownPhysician, ownQualificationIds, toRule, type BookingOutsideHours } from './queries';
import type {
  DeleteScheduleEntryInput, RuleInput, SaveExceptionInput, SaveLocationInput, SavePhysicianInput, SaveQualificationInput, SaveServiceInput,
} from './schemas';

export interface Actor { user: SessionUser; ip: string }

function audit(actor: Actor, tx: Executor, action: string, objectType: string, objectId: number, before: unknown, after: unknown) {
  return writeAudit(tx, { organisationId: actor.user.organisationId, actorUserId: actor.user.id, action, objectType, objectId, before, after, ip: actor.ip });
}

/** Upsert helper: insert or update an institution-owned row, mapping a duplicate name to a field error. */
async function saveNamed<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (mysqlErrorCode(err) === 'ER_DUP_ENTRY') throw new DomainError('CONFLICT', 'catalogue.name_taken', 'name');
    throw err;
  }
}

/**
 * Adds or changes a location. Working hours are local times, so a new time zone moves them against existing bookings:
 * bookings it would leave outside working hours are listed and the change needs `confirm`.
 */
export function saveLocation(db: Db, actor: Actor, input: SaveLocationInput) {
  return saveNamed(() => db.transaction(async (tx) => {
    const { id, confirm, ...values } = input;
    if (id) {
      const before = await own(await tx.select().from(locations).where(and(eq(locations.id, id), eq(locations.organisationId, actor.user.organisationId))).for('update'), 'catalogue.location_not_found', 'id');
      let outside: BookingOutsideHours[] = [];
      if (before.timeZone !== values.timeZone) {
        // Only bookings at this location that are inside working hours now and would fall outside in the new zone.
        const working = await tx.select({ physicianId: physicianLocations.physicianId }).from(physicianLocations).where(eq(physicianLocations.locationId, id));
        for (const { physicianId } of working) {
          const rules = (await tx.select().from(schedules).where(eq(schedules.physicianId, physicianId))).map(toRule);
          const already = new Set((await bookingsOutsideHours(tx, physicianId, rules)).map((b) => b.bookingId));
          const after = await bookingsOutsideHours(tx, physicianId, rules, undefined, { locationId: id, timeZone: values.timeZone });
          outside.push(...after.filter((b) => b.locationId === id && !already.has(b.bookingId)).map((b) => ({ ...b, timeZone: values.timeZone })));
        }
        if (outside.length && !confirm) return { saved: false as const, id, bookingsOutsideHours: outside };
      }
      await tx.update(locations).set(values).where(eq(locations.id, id));
      await audit(actor, tx, 'location.update', 'location', id, before, { ...values, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
      return { saved: true as const, id, bookingsOutsideHours: outside };
    }
    const [created] = await tx.insert(locations).values({ ...values, organisationId: actor.user.organisationId }).$returningId();
    await audit(actor, tx, 'location.create', 'location', created.id, null, values);
    return { saved: true as const, id: created.id, bookingsOutsideHours: [] };
  }));
}

export function saveQualification(db: Db, actor: Actor, input: SaveQualificationInput) {
  return saveNamed(() => db.transaction(async (tx) => {
    if (input.id) {
      const before = await own(await tx.select().from(qualifications).where(and(eq(qualifications.id, input.id), eq(qualifications.organisationId, actor.user.organisationId))).for('update'), 'catalogue.qualification_not_found', 'id');
      await tx.update(qualifications).set({ name: input.name }).where(eq(qualifications.id, input.id));
      await audit(actor, tx, 'qualification.update', 'qualification', input.id, before, { name: input.name });
      return { id: input.id };
    }
    const [created] = await tx.insert(qualifications).values({ name: input.name, organisationId: actor.user.organisationId }).$returningId();
    await audit(actor, tx, 'qualification.create', 'qualification', created.id, null, { name: input.name });
    return { id: created.id };
  }));
}

export function savePhysician(db: Db, actor: Actor, input: SavePhysicianInput) {
  return db.transaction(async (tx) => {
    const qualificationIds = await ownQualificationIds(tx, actor.user, input.qualificationIds, 'qualificationIds');
    const locationIds = await institutionLocationIds(tx, actor.user, input.locationIds);
    let id = input.id;
    let before: unknown = null;
    if (id) {
      before = await ownPhysician(tx, actor.user, id);
      await tx.update(physicians).set({ name: input.name }).where(eq(physicians.id, id));
      await tx.delete(physicianQualifications).where(eq(physicianQualifications.physicianId, id));
      await tx.delete(physicianLocations).where(eq(physicianLocations.physicianId, id));
    } else {
      [{ id }] = await tx.insert(physicians).values({ name: input.name, organisationId: actor.user.organisationId }).$returningId();
    }
    await tx.insert(physicianQualifications).values(qualificationIds.map((q) => ({ physicianId: id!, qualificationId: q })));
    await tx.insert(physicianLocations).values(locationIds.map((l) => ({ physicianId: id!, locationId: l })));
    await audit(actor, tx, input.id ? 'physician.update' : 'physician.create', 'physician', id!, before, { name: input.name, qualificationIds, locationIds });
    return { id: id! };
  });
}

export function saveService(db: Db, actor: Actor, input: SaveServiceInput) {
  return saveNamed(() => db.transaction(async (tx) => {
    await ownQualificationIds(tx, actor.user, [input.qualificationId], 'qualificationId');
    const values = { qualificationId: input.qualificationId, name: input.name, durationMinutes: input.durationMinutes, priceMinor: input.price, currency: input.currency, cancellationWindowHours: input.cancellationWindowHours };
    if (input.id) {
      const before = await own(await tx.select().from(services).where(and(eq(services.id, input.id), eq(services.organisationId, actor.user.organisationId))).for('update'), 'catalogue.service_not_found', 'id');
      await tx.update(services).set(values).where(eq(services.id, input.id));
      await audit(actor, tx, 'service.update', 'service', input.id, before, values);
      return { id: input.id };
    }
    const [created] = await tx.insert(services).values({ ...values, organisationId: actor.user.organisationId }).$returningId();
    await audit(actor, tx, 'service.create', 'service', created.id, null, values);
    return { id: created.id };
  }));
}

/** Adds or changes a weekly rule. Overlaps with the physician's other rules are refused; bookings left outside hours need confirm. */
export function saveRule(db: Db, actor: Actor, input: RuleInput) {
  return db.transaction(async (tx) => {
    await ownPhysician(tx, actor.user, input.physicianId);
    await institutionLocationIds(tx, actor.user, [input.locationId], 'locationId');
    const [works] = await tx.select().from(physicianLocations).where(and(eq(physicianLocations.physicianId, input.physicianId), eq(physicianLocations.locationId, input.locationId)));
    if (!works) throw new DomainError('BAD_REQUEST', 'catalogue.physician_not_at_location', 'locationId');
    const existing = (await tx.select().from(schedules).where(eq(schedules.physicianId, input.physicianId)).for('update')).map(toRule);
    const before = input.id ? existing.find((r) => r.id === input.id) : undefined;
    if (input.id && !before) throw new AccessDenied('catalogue.rule_not_found', 'id');
    const candidate: ScheduleRule = { locationId: input.locationId, weekday: input.weekday, startTime: `${input.startTime}:00`, endTime: `${input.endTime}:00`, weekParity: input.weekParity, validFrom: input.validFrom, validTo: input.validTo };
    const others = existing.filter((r) => r.id !== input.id);
    const clash = others.find((r) => rulesOverlap(r, candidate));
    if (clash) throw new DomainError('CONFLICT', clash.locationId === candidate.locationId ? 'catalogue.rule_overlap' : 'catalogue.rule_overlap_location', 'startTime');
    const outside = await bookingsOutsideHours(tx, input.physicianId, [...others, candidate]);
    if (outside.length && !input.confirm) return { saved: false as const, bookingsOutsideHours: outside };
    let id = input.id;
    if (id) await tx.update(schedules).set(candidate).where(eq(schedules.id, id));
    else [{ id }] = await tx.insert(schedules).values({ ...candidate, physicianId: input.physicianId }).$returningId();
    await audit(actor, tx, input.id ? 'schedule.update' : 'schedule.create', 'schedule', id!, before ?? null, { ...candidate, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, id: id!, bookingsOutsideHours: outside };
  });
}

export function deleteRule(db: Db, actor: Actor, input: DeleteScheduleEntryInput) {
  return db.transaction(async (tx) => {
    const [rule] = await tx.select().from(schedules).innerJoin(physicians, eq(physicians.id, schedules.physicianId))
      .where(and(eq(schedules.id, input.id), eq(physicians.organisationId, actor.user.organisationId))).for('update');
    if (!rule) throw new AccessDenied('catalogue.rule_not_found', 'id');
    const remaining = (await tx.select().from(schedules).where(and(eq(schedules.physicianId, rule.schedules.physicianId), ne(schedules.id, input.id)))).map(toRule);
    const outside = await bookingsOutsideHours(tx, rule.schedules.physicianId, remaining);
    if (outside.length && !input.confirm) return { saved: false as const, bookingsOutsideHours: outside };
    await tx.delete(schedules).where(eq(schedules.id, input.id));
    await audit(actor, tx, 'schedule.delete', 'schedule', input.id, toRule(rule.schedules), { bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, bookingsOutsideHours: outside };
  });
}

export function saveException(db: Db, actor: Actor, input: SaveExceptionInput) {
  return db.transaction(async (tx) => {
    await ownPhysician(tx, actor.user, input.physicianId);
    if (input.locationId !== null) await institutionLocationIds(tx, actor.user, [input.locationId], 'locationId');
    const { confirm, ...rest } = input;
    const values = { ...rest, startTime: rest.startTime && `${rest.startTime}:00`, endTime: rest.endTime && `${rest.endTime}:00` };
    const rules = (await tx.select().from(schedules).where(eq(schedules.physicianId, input.physicianId))).map(toRule);
    const outside = input.kind === 'absence' ? await bookingsOutsideHours(tx, input.physicianId, rules, (e) => [...e, values]) : [];
    if (outside.length && !confirm) return { saved: false as const, bookingsOutsideHours: outside };
    const [created] = await tx.insert(scheduleExceptions).values(values).$returningId();
    await audit(actor, tx, 'schedule_exception.create', 'schedule_exception', created.id, null, { ...values, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, id: created.id, bookingsOutsideHours: outside };
  });
}

export function deleteException(db: Db, actor: Actor, input: DeleteScheduleEntryInput) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(scheduleExceptions).innerJoin(physicians, eq(physicians.id, scheduleExceptions.physicianId))
      .where(and(eq(scheduleExceptions.id, input.id), eq(physicians.organisationId, actor.user.organisationId))).for('update');
    if (!row) throw new AccessDenied('catalogue.exception_not_found', 'id');
    const physicianId = row.schedule_exceptions.physicianId;
    const rules = (await tx.select().from(schedules).where(eq(schedules.physicianId, physicianId))).map(toRule);
    const outside = row.schedule_exceptions.kind === 'extra_hours'
      ? await bookingsOutsideHours(tx, physicianId, rules, (e) => e.filter((x) => !('id' in x) || x.id !== input.id)) : [];
    if (outside.length && !input.confirm) return { saved: false as const, bookingsOutsideHours: outside };
    await tx.delete(scheduleExceptions).where(eq(scheduleExceptions.id, input.id));
    await audit(actor, tx, 'schedule_exception.delete', 'schedule_exception', input.id, row.schedule_exceptions, { bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, bookingsOutsideHours: outside };
  });
}
