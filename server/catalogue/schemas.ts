/**
 * Input schemas of the catalogue and schedule procedures: locations, qualifications, physicians, services, weekly
 * schedule rules and date exceptions. Each bad field gets its own `catalogue.*` (or `validation.*`) message key.
 */
import { z } from 'zod';
import { idField, requiredText, whenFieldsValid } from '../validation';
import { parseAmount } from '../domain/money';

/** The IANA time zones this runtime knows; a location's zone must be one of them (or `UTC`). */
export const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));
const timeZoneField = z.string({ error: 'validation.required' }).trim().refine((v) => TIME_ZONES.has(v) || v === 'UTC', 'catalogue.time_zone_invalid');
const timeField = z.string({ error: 'validation.required' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'catalogue.time_invalid');
const dateField = z.string({ error: 'validation.required' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'catalogue.date_invalid')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'catalogue.date_invalid');
const optionalId = idField.optional();

export const saveLocationInput = z.object({ id: optionalId, name: requiredText(200), address: requiredText(300), timeZone: timeZoneField, confirm: z.boolean().default(false) });

export const saveQualificationInput = z.object({ id: optionalId, name: requiredText(120) });

export const savePhysicianInput = z.object({
  id: optionalId, name: requiredText(200),
  qualificationIds: z.array(idField, { error: 'catalogue.qualifications_required' }).min(1, 'catalogue.qualifications_required').max(200, 'validation.too_long'),
  locationIds: z.array(idField, { error: 'catalogue.locations_required' }).min(1, 'catalogue.locations_required').max(200, 'validation.too_long'),
});

export const saveServiceInput = z.object({
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
});

export const ruleInput = z.object({
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

/** Deleting a rule or an exception: its id, and `confirm` once the user saw the bookings left outside working hours. */
export const deleteScheduleEntryInput = z.object({ id: idField, confirm: z.boolean().default(false) });

export const saveExceptionInput = z.object({
  physicianId: idField, locationId: idField.nullable(), date: dateField, kind: z.enum(['absence', 'extra_hours'], { error: 'validation.invalid' }),
  startTime: timeField.nullable(), endTime: timeField.nullable(), confirm: z.boolean().default(false),
}).superRefine((v, c) => {
  if (v.kind === 'extra_hours' && (!v.startTime || !v.endTime)) c.addIssue({ code: 'custom', path: ['startTime'], message: 'catalogue.extra_hours_times' });
  if (v.kind === 'extra_hours' && v.locationId === null) c.addIssue({ code: 'custom', path: ['locationId'], message: 'catalogue.extra_hours_location' });
  if ((v.startTime === null) !== (v.endTime === null)) c.addIssue({ code: 'custom', path: ['endTime'], message: 'catalogue.time_invalid' });
  if (v.startTime && v.endTime && v.endTime <= v.startTime) c.addIssue({ code: 'custom', path: ['endTime'], message: 'catalogue.end_before_start' });
});

export type SaveLocationInput = z.infer<typeof saveLocationInput>;
export type SaveQualificationInput = z.infer<typeof saveQualificationInput>;
export type SavePhysicianInput = z.infer<typeof savePhysicianInput>;
export type SaveServiceInput = z.infer<typeof saveServiceInput>;
export type RuleInput = z.infer<typeof ruleInput>;
export type DeleteScheduleEntryInput = z.infer<typeof deleteScheduleEntryInput>;
export type SaveExceptionInput = z.infer<typeof saveExceptionInput>;
