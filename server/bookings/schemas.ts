/**
 * Input schemas of the booking procedures. Messages are i18n keys (server/errors.ts). Patient fields are checked here
 * in full (a CNP must pass its check digit and agree with the birth date), so bad input never reaches a transaction.
 */
import { z } from 'zod';
import { emailField, idField, requiredText } from '../validation';
import { phoneField } from '../partners/schemas';
import { validateCnp } from '../domain/cnp';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** A date of the week to show: a real date within 2000–2099 (calendars further out make no sense and cost). */
export const weekField = z.string({ error: 'bookings.week_invalid' }).refine((v) => isRealDate(v) && v >= '2000-01-01' && v <= '2099-12-31', 'bookings.week_invalid');

/** An instant on the wire: an ISO-8601 string with a zone designator. */
export const instantField = z.string({ error: 'bookings.start_invalid' }).max(40, 'bookings.start_invalid')
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), 'bookings.start_invalid')
  .transform((v) => new Date(v));

const optionalText = (max: number) => z.string({ error: 'validation.invalid' }).trim().max(max, 'validation.too_long').optional()
  .transform((v) => (v ? v : undefined));

export const newPatientInput = z.object({
  kind: z.literal('new'),
  name: requiredText(200).refine((v) => v.length >= 2 && /\p{L}/u.test(v), 'validation.invalid'),
  birthDate: z.string({ error: 'validation.required' }).min(1, 'validation.required')
    .refine(isRealDate, 'patients.birth_date_invalid')
    .refine((v) => !isRealDate(v) || v >= '1900-01-01', 'patients.birth_date_invalid')
    .refine((v) => !isRealDate(v) || v <= new Date().toISOString().slice(0, 10), 'patients.birth_date_future'),
  phone: phoneField,
  email: z.union([z.literal('').transform(() => undefined), emailField]).optional(),
  nationalId: optionalText(32),
}).superRefine((p, ctx) => {
  if (!p.nationalId) return;
  const result = validateCnp(p.nationalId.replace(/\s/g, ''), isRealDate(p.birthDate) ? p.birthDate : undefined);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: result.key, path: ['nationalId'] });
}).transform((p) => ({ ...p, nationalId: p.nationalId?.replace(/\s/g, '') }));

export const patientChoice = z.discriminatedUnion('kind', [
  /** `ref` is the handle the patient search returned to this user (required from partners, see patients.ts). */
  z.object({ kind: z.literal('existing'), patientId: idField, ref: z.string({ error: 'validation.invalid' }).max(100, 'validation.invalid').optional() }),
  newPatientInput,
], { error: 'validation.required' });

export type PatientChoice = z.infer<typeof patientChoice>;

export const idempotencyKeyField = z.string({ error: 'validation.required' }).regex(/^[A-Za-z0-9-]{8,64}$/, 'validation.invalid');

const slotFields = {
  locationId: idField,
  physicianId: idField,
  serviceId: idField,
  startsAt: instantField,
  patient: patientChoice,
  idempotencyKey: idempotencyKeyField,
};

export const createBookingInput = z.object({ institutionId: idField, ...slotFields });
export type CreateBookingInput = z.infer<typeof createBookingInput>;

export const createForInstitutionInput = z.object({
  ...slotFields,
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('phone') }),
    z.object({ kind: z.literal('partner'), partnershipId: idField }),
  ], { error: 'validation.invalid' }),
});
export type CreateForInstitutionInput = z.infer<typeof createForInstitutionInput>;

export const calendarFilters = {
  locationId: idField.optional(),
  qualificationId: idField.optional(),
  physicianId: idField.optional(),
  serviceId: idField.optional(),
  weekStart: weekField,
};
export const bookerCalendarInput = z.object({ institutionId: idField.optional(), ...calendarFilters });
export const institutionCalendarInput = z.object(calendarFilters);
export type CalendarFilters = z.infer<typeof bookerCalendarInput>;

export const bookingRef = z.object({ bookingId: idField });
export const versionField = z.number({ error: 'validation.invalid' }).int('validation.invalid').positive('validation.invalid');

export const moveBookingInput = z.object({ bookingId: idField, version: versionField, startsAt: instantField, serviceId: idField.optional() });
export type MoveBookingInput = z.infer<typeof moveBookingInput>;

export const reasonField = z.string({ error: 'bookings.reason_required' }).trim().min(1, 'bookings.reason_required').max(500, 'validation.too_long');
export const cancelBookingInput = z.object({ bookingId: idField, reason: reasonField });

export const setStatusInput = z.object({
  bookingId: idField, version: versionField,
  status: z.enum(['arrived', 'noshow', 'booked'], { error: 'bookings.status_transition' }),
});
export const STAFF_PAYMENT_STATUSES = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'not_paid'] as const;
export const setPaymentStatusInput = z.object({
  bookingId: idField, version: versionField,
  paymentStatus: z.enum(STAFF_PAYMENT_STATUSES, { error: 'bookings.payment_status_invalid' }),
});

export const searchPatientsInput = z.object({
  institutionId: idField,
  query: z.string({ error: 'bookings.search_too_short' }).trim().min(3, 'bookings.search_too_short').max(100, 'validation.too_long'),
});

export const myBookingsInput = z.object({
  scope: z.enum(['upcoming', 'past'], { error: 'validation.invalid' }),
  page: z.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(400, 'validation.invalid').optional(),
});

export const cancelLinkInput = z.object({ token: z.string({ error: 'bookings.link_invalid' }).max(200, 'bookings.link_invalid') });
export const cancelByLinkInput = cancelLinkInput.extend({ reason: z.string({ error: 'validation.invalid' }).trim().max(500, 'validation.too_long').optional() });
