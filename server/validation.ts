/** Field schemas shared by the routers. Messages are i18n keys; see server/errors.ts for their English texts. */
import { z } from 'zod';
import { LOCALES, USER_ROLES } from '../db/schema';
import { MIN_PASSWORD_LENGTH } from './auth/password';

export const requiredText = (max: number) =>
  z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(max, 'validation.too_long');

export const emailField = z.string({ error: 'validation.required' }).trim().toLowerCase()
  .min(1, 'validation.required').max(254, 'validation.too_long').pipe(z.email({ error: 'validation.email_invalid' }));

export const newPasswordField = z.string({ error: 'validation.required' })
  .min(MIN_PASSWORD_LENGTH, 'validation.password_too_short').max(200, 'validation.password_too_long');

export const roleField = z.enum(USER_ROLES, { error: 'validation.role_invalid' });
export const localeField = z.enum(LOCALES, { error: 'validation.locale_invalid' });
export const idField = z.number({ error: 'validation.invalid' }).int('validation.invalid').positive('validation.invalid');

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
