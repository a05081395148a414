/**
 * The institution's catalogue and schedules — the data partners book into: locations (with IANA time zones),
 * qualifications, physicians, services, weekly schedule rules and date exceptions. Institution admins only. Changes
 * never move or delete bookings; a schedule change that would leave future bookings outside working hours lists them
 * and is applied only when the caller confirms.
 */
import { z } from 'zod';
import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import { router, institutionAdminProcedure, type Context } from '../trpc';
import { DomainError } from '../errors';
import { AccessDenied, institutionLocationIds } from '../authz';
import { writeAudit } from '../audit';
import { mysqlErrorCode } from '../../db/retry';
import { idField, requiredText, whenFieldsValid } from '../validation';
import { parseAmount } from '../domain/money';
import { isWithinWorkingHours, rulesOverlap, type ScheduleException, type ScheduleRule } from '../domain/schedule';
import type { Executor } from '../../db/client';
import {
  bookings, locations, organisations, physicianLocations, physicianQualifications, physicians, qualifications, scheduleExceptions,
  schedules, services,
} from '../../db/schema';

type User = NonNullable<Context['session']>['user'];

const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));
const timeZoneField = z.string({ error: 'validation.required' }).trim().refine((v) => TIME_ZONES.has(v) || v === 'UTC', 'catalogue.time_zone_invalid');
const timeField = z.string({ error: 'validation.required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'catalogue.time_invalid');
const dateField = z.string({ error: 'validation.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'catalogue.date_invalid')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'catalogue.date_invalid');
const optionalId = idField.optional();

async function own<T extends { organisationId: number }>(rows: T[], key: string, field: string): Promise<T> {
  if (!rows[0]) throw new AccessDenied(key, field);
  return rows[0];
}

async function ownPhysician(db: Executor, user: User, id: number) {
  return own(await db.select().from(physicians).where(and(eq(physicians.id, id), eq(physicians.organisationId, user.organisationId))).for('update'), 'catalogue.physician_not_found', 'physicianId');
}

async function ownQualificationIds(db: Executor, user: User, ids: number[], field: string) {
  const unique = [...new Set(ids)];
  const found = unique.length === 0 ? [] : await db.select({ id: qualifications.id }).from(qualifications)
    .where(and(eq(qualifications.organisationId, user.organisationId), inArray(qualifications.id, unique)));
  if (found.length !== unique.length) throw new AccessDenied('catalogue.qualification_not_found', field);
  return unique;
}

function audit(ctx: Context & { user: User }, tx: Executor, action: string, objectType: string, objectId: number, before: unknown, after: unknown) {
  return writeAudit(tx, { organisationId: ctx.user.organisationId, actorUserId: ctx.user.id, action, objectType, objectId, before, after, ip: ctx.ip });
}

/** Upsert helper: insert or update an institution-owned row, mapping a duplicate name to a field error. */
async function saveNamed<T>(fn: () => Promise<T>): Promise<T> {
  try { return await fn(); } catch (err) {
    if (mysqlErrorCode(err) === 'ER_DUP_ENTRY') throw new DomainError('CONFLICT', 'catalogue.name_taken', 'name');
    throw err;
  }
}

/** Future bookings of a physician that the given rules and exceptions would leave outside working hours. */
async function bookingsOutsideHours(
  db: Executor, physicianId: number, rules: ScheduleRule[],
  changeExceptions: (e: ScheduleException[]) => ScheduleException[] = (e) => e,
  newTimeZone?: { locationId: number; timeZone: string },
) {
  const future = await db.select({ id: bookings.id, locationId: bookings.locationId, startsAt: bookings.startsAt, endsAt: bookings.endsAt, timeZone: locations.timeZone, locationName: locations.name })
    .from(bookings).innerJoin(locations, eq(locations.id, bookings.locationId))
    .where(and(eq(bookings.physicianId, physicianId), eq(bookings.status, 'booked'), gt(bookings.startsAt, new Date())))
    .orderBy(asc(bookings.startsAt));
  if (future.length === 0) return [];
  const exceptions = changeExceptions(await db.select().from(scheduleExceptions).where(eq(scheduleExceptions.physicianId, physicianId)));
  const zoneOf = (b: { locationId: number; timeZone: string }) => (newTimeZone?.locationId === b.locationId ? newTimeZone.timeZone : b.timeZone);
  return future.filter((b) => !isWithinWorkingHours(b, zoneOf(b), rules, exceptions))
    .map((b) => ({ bookingId: b.id, locationId: b.locationId, locationName: b.locationName, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(), timeZone: zoneOf(b) }));
}

const ruleInput = z.object({
  id: optionalId,
  physicianId: idField,
  locationId: idField,
  weekday: z.number({ error: 'catalogue.weekday_invalid' }).int('catalogue.weekday_invalid').min(1, 'catalogue.weekday_invalid').max(7, 'catalogue.weekday_invalid'),
  startTime: timeField,
  endTime: timeField,
  weekParity: z.enum(['every', 'odd', 'even'], { error: 'catalogue.parity_invalid' }),
  validFrom: dateField,
  validTo: dateField.nullable(),
  /** Set after the user saw the bookings that the change would leave outside working hours. */
  confirm: z.boolean().default(false),
}).superRefine((v, ctx) => {
  if (v.endTime <= v.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'catalogue.end_before_start' });
}, whenFieldsValid('startTime', 'endTime')).superRefine((v, ctx) => {
  if (v.validTo !== null && v.validTo < v.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'catalogue.valid_to_before_from' });
}, whenFieldsValid('validFrom', 'validTo'));

function toRule(r: typeof schedules.$inferSelect): ScheduleRule & { id: number } {
  return { id: r.id, locationId: r.locationId, weekday: r.weekday, startTime: r.startTime, endTime: r.endTime, weekParity: r.weekParity, validFrom: r.validFrom, validTo: r.validTo };
}

export const catalogueRouter = router({
  overview: institutionAdminProcedure.query(async ({ ctx }) => {
    const org = ctx.user.organisationId;
    const [institution] = await ctx.db.select({ currency: organisations.currency }).from(organisations).where(eq(organisations.id, org));
    const locs = await ctx.db.select().from(locations).where(eq(locations.organisationId, org)).orderBy(asc(locations.name));
    const quals = await ctx.db.select().from(qualifications).where(eq(qualifications.organisationId, org)).orderBy(asc(qualifications.name));
    const docs = await ctx.db.select().from(physicians).where(eq(physicians.organisationId, org)).orderBy(asc(physicians.name));
    const ids = docs.map((d) => d.id);
    const pq = ids.length ? await ctx.db.select().from(physicianQualifications).where(inArray(physicianQualifications.physicianId, ids)) : [];
    const pl = ids.length ? await ctx.db.select().from(physicianLocations).where(inArray(physicianLocations.physicianId, ids)) : [];
    const svc = await ctx.db.select().from(services).where(eq(services.organisationId, org)).orderBy(asc(services.name));
    return {
      currency: institution.currency ?? 'RON',
      timeZones: [...TIME_ZONES],
      locations: locs.map(({ organisationId: _o, ...l }) => l),
      qualifications: quals.map(({ organisationId: _o, ...q }) => q),
      physicians: docs.map((d) => ({
        id: d.id, name: d.name,
        qualificationIds: pq.filter((x) => x.physicianId === d.id).map((x) => x.qualificationId),
        locationIds: pl.filter((x) => x.physicianId === d.id).map((x) => x.locationId),
      })),
      services: svc.map(({ organisationId: _o, ...s }) => s),
    };
  }),

  /**
   * Adds or changes a location. Working hours are local times, so a new time zone moves them against existing bookings:
   * bookings it would leave outside working hours are listed and the change needs `confirm`.
   */
  saveLocation: institutionAdminProcedure.input(z.object({ id: optionalId, name: requiredText(200), address: requiredText(300), timeZone: timeZoneField, confirm: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => saveNamed(() => ctx.db.transaction(async (tx) => {
      const { id, confirm, ...values } = input;
      if (id) {
        const before = await own(await tx.select().from(locations).where(and(eq(locations.id, id), eq(locations.organisationId, ctx.user.organisationId))).for('update'), 'catalogue.location_not_found', 'id');
        let outside: Awaited<ReturnType<typeof bookingsOutsideHours>> = [];
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
        await audit(ctx, tx, 'location.update', 'location', id, before, { ...values, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
        return { saved: true as const, id, bookingsOutsideHours: outside };
      }
      const [created] = await tx.insert(locations).values({ ...values, organisationId: ctx.user.organisationId }).$returningId();
      await audit(ctx, tx, 'location.create', 'location', created.id, null, values);
      return { saved: true as const, id: created.id, bookingsOutsideHours: [] };
    }))),

  saveQualification: institutionAdminProcedure.input(z.object({ id: optionalId, name: requiredText(120) }))
    .mutation(async ({ ctx, input }) => saveNamed(() => ctx.db.transaction(async (tx) => {
      if (input.id) {
        const before = await own(await tx.select().from(qualifications).where(and(eq(qualifications.id, input.id), eq(qualifications.organisationId, ctx.user.organisationId))).for('update'), 'catalogue.qualification_not_found', 'id');
        await tx.update(qualifications).set({ name: input.name }).where(eq(qualifications.id, input.id));
        await audit(ctx, tx, 'qualification.update', 'qualification', input.id, before, { name: input.name });
        return { id: input.id };
      }
      const [created] = await tx.insert(qualifications).values({ name: input.name, organisationId: ctx.user.organisationId }).$returningId();
      await audit(ctx, tx, 'qualification.create', 'qualification', created.id, null, { name: input.name });
      return { id: created.id };
    }))),

  savePhysician: institutionAdminProcedure.input(z.object({
    id: optionalId, name: requiredText(200),
    qualificationIds: z.array(idField, { error: 'catalogue.qualifications_required' }).min(1, 'catalogue.qualifications_required').max(200, 'validation.too_long'),
    locationIds: z.array(idField, { error: 'catalogue.locations_required' }).min(1, 'catalogue.locations_required').max(200, 'validation.too_long'),
  })).mutation(async ({ ctx, input }) => ctx.db.transaction(async (tx) => {
    const qualificationIds = await ownQualificationIds(tx, ctx.user, input.qualificationIds, 'qualificationIds');
    const locationIds = await institutionLocationIds(tx, ctx.user, input.locationIds);
    let id = input.id;
    let before: unknown = null;
    if (id) {
      before = await ownPhysician(tx, ctx.user, id);
      await tx.update(physicians).set({ name: input.name }).where(eq(physicians.id, id));
      await tx.delete(physicianQualifications).where(eq(physicianQualifications.physicianId, id));
      await tx.delete(physicianLocations).where(eq(physicianLocations.physicianId, id));
    } else {
      [{ id }] = await tx.insert(physicians).values({ name: input.name, organisationId: ctx.user.organisationId }).$returningId();
    }
    await tx.insert(physicianQualifications).values(qualificationIds.map((q) => ({ physicianId: id!, qualificationId: q })));
    await tx.insert(physicianLocations).values(locationIds.map((l) => ({ physicianId: id!, locationId: l })));
    await audit(ctx, tx, input.id ? 'physician.update' : 'physician.create', 'physician', id!, before, { name: input.name, qualificationIds, locationIds });
    return { id: id! };
  })),

  saveService: institutionAdminProcedure.input(z.object({
    id: optionalId,
    qualificationId: idField,
    name: requiredText(200),
    durationMinutes: z.number({ error: 'catalogue.duration_invalid' }).int('catalogue.duration_invalid').min(5, 'catalogue.duration_invalid').max(600, 'catalogue.duration_invalid'),
    price: z.string({ error: 'validation.required' }).transform((v, c) => {
      const price = parseAmount(v);
      if (price.ok) return price.value;
      c.addIssue({ code: 'custom', message: price.key === 'commission.amount_negative' ? 'catalogue.price_negative' : price.key === 'validation.required' ? price.key : 'catalogue.price_invalid' });
      return z.NEVER;
    }),
    currency: z.string({ error: 'validation.required' }).regex(/^[A-Z]{3}$/, 'catalogue.currency_invalid'),
    cancellationWindowHours: z.number({ error: 'catalogue.cancellation_window_invalid' }).int('catalogue.cancellation_window_invalid').min(0, 'catalogue.cancellation_window_invalid').max(720, 'catalogue.cancellation_window_invalid'),
  })).mutation(async ({ ctx, input }) => saveNamed(() => ctx.db.transaction(async (tx) => {
    await ownQualificationIds(tx, ctx.user, [input.qualificationId], 'qualificationId');
    const values = { qualificationId: input.qualificationId, name: input.name, durationMinutes: input.durationMinutes, priceMinor: input.price, currency: input.currency, cancellationWindowHours: input.cancellationWindowHours };
    if (input.id) {
      const before = await own(await tx.select().from(services).where(and(eq(services.id, input.id), eq(services.organisationId, ctx.user.organisationId))).for('update'), 'catalogue.service_not_found', 'id');
      await tx.update(services).set(values).where(eq(services.id, input.id));
      await audit(ctx, tx, 'service.update', 'service', input.id, before, values);
      return { id: input.id };
    }
    const [created] = await tx.insert(services).values({ ...values, organisationId: ctx.user.organisationId }).$returningId();
    await audit(ctx, tx, 'service.create', 'service', created.id, null, values);
    return { id: created.id };
  }))),

  schedule: institutionAdminProcedure.input(z.object({ physicianId: idField })).query(async ({ ctx, input }) => {
    await ownPhysician(ctx.db, ctx.user, input.physicianId);
    const rules = await ctx.db.select().from(schedules).where(eq(schedules.physicianId, input.physicianId)).orderBy(asc(schedules.weekday), asc(schedules.startTime));
    const exceptions = await ctx.db.select().from(scheduleExceptions).where(eq(scheduleExceptions.physicianId, input.physicianId)).orderBy(asc(scheduleExceptions.date));
    return { rules: rules.map(toRule), exceptions };
  }),

  /** Adds or changes a weekly rule. Overlaps with the physician's other rules are refused; bookings left outside hours need confirm. */
  saveRule: institutionAdminProcedure.input(ruleInput).mutation(async ({ ctx, input }) => ctx.db.transaction(async (tx) => {
    await ownPhysician(tx, ctx.user, input.physicianId);
    await institutionLocationIds(tx, ctx.user, [input.locationId], 'locationId');
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
    await audit(ctx, tx, input.id ? 'schedule.update' : 'schedule.create', 'schedule', id!, before ?? null, { ...candidate, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, id: id!, bookingsOutsideHours: outside };
  })),

  deleteRule: institutionAdminProcedure.input(z.object({ id: idField, confirm: z.boolean().default(false) })).mutation(async ({ ctx, input }) => ctx.db.transaction(async (tx) => {
    const [rule] = await tx.select().from(schedules).innerJoin(physicians, eq(physicians.id, schedules.physicianId))
      .where(and(eq(schedules.id, input.id), eq(physicians.organisationId, ctx.user.organisationId))).for('update');
    if (!rule) throw new AccessDenied('catalogue.rule_not_found', 'id');
    const remaining = (await tx.select().from(schedules).where(and(eq(schedules.physicianId, rule.schedules.physicianId), ne(schedules.id, input.id)))).map(toRule);
    const outside = await bookingsOutsideHours(tx, rule.schedules.physicianId, remaining);
    if (outside.length && !input.confirm) return { saved: false as const, bookingsOutsideHours: outside };
    await tx.delete(schedules).where(eq(schedules.id, input.id));
    await audit(ctx, tx, 'schedule.delete', 'schedule', input.id, toRule(rule.schedules), { bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, bookingsOutsideHours: outside };
  })),

  saveException: institutionAdminProcedure.input(z.object({
    physicianId: idField, locationId: idField.nullable(), date: dateField, kind: z.enum(['absence', 'extra_hours'], { error: 'validation.invalid' }),
    startTime: timeField.nullable(), endTime: timeField.nullable(), confirm: z.boolean().default(false),
  }).superRefine((v, c) => {
    if (v.kind === 'extra_hours' && (!v.startTime || !v.endTime)) c.addIssue({ code: 'custom', path: ['startTime'], message: 'catalogue.extra_hours_times' });
    if (v.kind === 'extra_hours' && v.locationId === null) c.addIssue({ code: 'custom', path: ['locationId'], message: 'catalogue.extra_hours_location' });
    if ((v.startTime === null) !== (v.endTime === null)) c.addIssue({ code: 'custom', path: ['endTime'], message: 'catalogue.time_invalid' });
    if (v.startTime && v.endTime && v.endTime <= v.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: 'catalogue.end_before_start' });
  })).mutation(async ({ ctx, input }) => ctx.db.transaction(async (tx) => {
    await ownPhysician(tx, ctx.user, input.physicianId);
    if (input.locationId !== null) await institutionLocationIds(tx, ctx.user, [input.locationId], 'locationId');
    const { confirm, ...rest } = input;
    const values = { ...rest, startTime: rest.startTime && `${rest.startTime}:00`, endTime: rest.endTime && `${rest.endTime}:00` };
    const rules = (await tx.select().from(schedules).where(eq(schedules.physicianId, input.physicianId))).map(toRule);
    const outside = input.kind === 'absence' ? await bookingsOutsideHours(tx, input.physicianId, rules, (e) => [...e, values]) : [];
    if (outside.length && !confirm) return { saved: false as const, bookingsOutsideHours: outside };
    const [created] = await tx.insert(scheduleExceptions).values(values).$returningId();
    await audit(ctx, tx, 'schedule_exception.create', 'schedule_exception', created.id, null, { ...values, bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, id: created.id, bookingsOutsideHours: outside };
  })),

  deleteException: institutionAdminProcedure.input(z.object({ id: idField, confirm: z.boolean().default(false) })).mutation(async ({ ctx, input }) => ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(scheduleExceptions).innerJoin(physicians, eq(physicians.id, scheduleExceptions.physicianId))
      .where(and(eq(scheduleExceptions.id, input.id), eq(physicians.organisationId, ctx.user.organisationId))).for('update');
    if (!row) throw new AccessDenied('catalogue.exception_not_found', 'id');
    const physicianId = row.schedule_exceptions.physicianId;
    const rules = (await tx.select().from(schedules).where(eq(schedules.physicianId, physicianId))).map(toRule);
    const outside = row.schedule_exceptions.kind === 'extra_hours'
      ? await bookingsOutsideHours(tx, physicianId, rules, (e) => e.filter((x) => !('id' in x) || x.id !== input.id)) : [];
    if (outside.length && !input.confirm) return { saved: false as const, bookingsOutsideHours: outside };
    await tx.delete(scheduleExceptions).where(eq(scheduleExceptions.id, input.id));
    await audit(ctx, tx, 'schedule_exception.delete', 'schedule_exception', input.id, row.schedule_exceptions, { bookingsLeftOutsideHours: outside.map((b) => b.bookingId) });
    return { saved: true as const, bookingsOutsideHours: outside };
  })),
});
