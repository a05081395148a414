/** Field schemas shared by the routers. Messages are i18n keys; see server/errors.ts for their English texts. */
import { z } from 'zod';
import { LOCALES, USER_ROLES } from '../db/schema';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './auth/password';
import { isCommonPassword } from './auth/common-passwords';
import { singleLineProblem, textProblem } from './input-safety';

/**
 * Text checks of every text builder (decision 010): well-formed Unicode (no lone surrogates) and no control
 * characters; one-line fields refuse tabs and line breaks too. (Every string of every input also passes the same
 * Unicode/control check in trpc.ts, whatever its schema.)
 */
export const wellFormedText = (value: z.ZodString, opts: { multiline?: boolean } = {}) => {
  const problem = opts.multiline ? textProblem : singleLineProblem;
  return value
    .refine((v) => problem(v) !== 'validation.text_ill_formed', { message: 'validation.text_ill_formed', abort: true })
    .refine((v) => problem(v) !== 'validation.text_control_chars', { message: 'validation.text_control_chars', abort: true });
};

export const requiredText = (max: number) =>
  wellFormedText(z.string({ error: 'validation.required' })).trim().min(1, 'validation.required').max(max, 'validation.too_long');

/** Optional multi-line text (notes, addresses): line breaks and tabs allowed, other control characters not. */
export const multilineText = (max: number) =>
  wellFormedText(z.string({ error: 'validation.invalid' }), { multiline: true }).max(max, 'validation.too_long');

export const emailField = wellFormedText(z.string({ error: 'validation.required' })).trim().toLowerCase()
  .min(1, 'validation.required').max(254, 'validation.too_long').pipe(z.email({ error: 'validation.email_invalid' }));

/**
 * NIST SP 800-63B: at least 12 characters (any Unicode, spaces included), at most 200, not only white space, and not
 * one of the 10,000 most common passwords (server/auth/common-passwords.txt). No composition rules.
 */
export const newPasswordField = wellFormedText(z.string({ error: 'validation.required' }), { multiline: false })
  .min(MIN_PASSWORD_LENGTH, 'validation.password_too_short').max(MAX_PASSWORD_LENGTH, 'validation.password_too_long')
  .refine((v) => v.trim().length > 0, { message: 'validation.password_blank', abort: true })
  .refine((v) => !isCommonPassword(v), { message: 'validation.password_common', abort: true });

export const roleField = z.enum(USER_ROLES, { error: 'validation.role_invalid' });
export const localeField = z.enum(LOCALES, { error: 'validation.locale_invalid' });
/** The ID of a row: our tables' keys are signed 32-bit integers, so a larger number can never name one. */
export const idField = z.number({ error: 'validation.invalid' }).int('validation.invalid').positive('validation.invalid').max(2_147_483_647, 'validation.invalid');
/** A paging cursor over a 64-bit key (audit log entries). */
export const cursorIdField = z.number({ error: 'validation.invalid' }).int('validation.invalid').positive('validation.invalid').max(Number.MAX_SAFE_INTEGER, 'validation.invalid');

/**
 * For cross-field checks: run them even when other fields have errors (so that every message is shown at once), but
 * only when the fields they read are valid themselves.
 */
export function whenFieldsValid(...fields: string[]) {
  return {
    when: (payload: { issues: { path?: PropertyKey[] }[] }) =>
      !payload.issues.some((i) => fields.includes(String(i.path?.[0] ?? ''))),
  };
}
