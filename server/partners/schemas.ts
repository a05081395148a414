/** Input schemas of the partner settings, shared by "Add New Partner" and "Edit partner". */
import { z } from 'zod';
import { COUNTRIES } from '../domain/countries';
import { parseAmount, parsePercent } from '../domain/money';
import { validateTaxNumber } from '../domain/tax-number';
import { emailField, idField, localeField, newPasswordField, requiredText, whenFieldsValid } from '../validation';

export const phoneField = z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(32, 'validation.too_long')
  .refine((v) => /^\+?[0-9 ()./-]+$/.test(v) && (v.match(/\d/g) ?? []).length >= 6 && (v.match(/\d/g) ?? []).length <= 15,
    'validation.phone_invalid');

const commissionInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('percent'), percent: z.string({ error: 'validation.required' }) }),
  z.object({ type: z.literal('fixed'), amount: z.string({ error: 'validation.required' }) }),
], { error: 'commission.type_invalid' });

/** Parses the commission the user typed into integers (basis points or minor units), naming the field on failure. */
const commission = commissionInput.transform((c, ctx) => {
  if (c.type === 'none') return { type: 'none' as const, value: 0 };
  const parsed = c.type === 'percent' ? parsePercent(c.percent) : parseAmount(c.amount);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.key, path: [c.type === 'percent' ? 'percent' : 'amount'] });
    return z.NEVER;
  }
  return { type: c.type, value: parsed.value };
});

export const partnerSettings = {
  contactName: requiredText(200),
  contactEmail: emailField,
  contactPhone: phoneField,
  locationIds: z.array(idField, { error: 'partners.locations_required' }).min(1, 'partners.locations_required').max(200, 'validation.too_long'),
  commission,
  paymentLocation: z.enum(['partner', 'institution'], { error: 'partners.payment_location_invalid' }),
  patientDataAccess: z.boolean({ error: 'validation.invalid' }),
};

export const companyFields = {
  companyName: requiredText(200),
  registrationNumber: requiredText(64),
  address: requiredText(300),
};

export const createPartnerInput = z.object({
  country: z.enum(COUNTRIES, { error: 'validation.country_invalid' }),
  taxNumber: z.string({ error: 'validation.required' }).max(40, 'validation.too_long'),
  ...companyFields,
  ...partnerSettings,
}).superRefine((v, ctx) => {
  const tax = validateTaxNumber(v.country, v.taxNumber);
  if (!tax.ok) ctx.addIssue({ code: 'custom', message: tax.key, path: ['taxNumber'] });
}, whenFieldsValid('country', 'taxNumber')).transform((v) => {
  const tax = validateTaxNumber(v.country, v.taxNumber);
  return { ...v, taxNumber: tax.ok ? tax.normalized : v.taxNumber };
});

export const updatePartnerInput = z.object({
  partnershipId: idField,
  /** Company data: only applied while the partner organisation has no users of its own (see the router). */
  company: z.object(companyFields).optional(),
  ...partnerSettings,
});

export type CreatePartnerInput = z.infer<typeof createPartnerInput>;
export type UpdatePartnerInput = z.infer<typeof updatePartnerInput>;

export const registrationTokenField = z.string({ error: 'invitation.invalid' }).min(1, 'invitation.invalid').max(200, 'invitation.invalid');

/** The public registration of a new partner's first administrator (through the emailed link). */
export const registerPartnerInput = z.object({
  token: registrationTokenField,
  name: requiredText(200),
  password: newPasswordField,
  passwordConfirm: z.string({ error: 'validation.required' }),
  gtcVersion: z.string({ error: 'gtc.must_accept' }).max(32),
  acceptGtc: z.literal(true, { error: 'gtc.must_accept' }),
  /** The language the person registered in (the page opens in the email's); the account keeps it. */
  locale: localeField.optional(),
}).refine((v) => v.password === v.passwordConfirm, { path: ['passwordConfirm'], message: 'validation.passwords_differ', ...whenFieldsValid('password', 'passwordConfirm') });

export type RegisterPartnerInput = z.infer<typeof registerPartnerInput>;
