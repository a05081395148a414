/**
 * Domain errors and their mapping to tRPC codes, in one place. Every error carries an i18n key (the client shows it in
 * the user's language) and an English message for API callers; a field name when it belongs to one input field.
 */
export type ErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

/** English texts of the error keys. The client has the same keys in its dictionaries, in English and Romanian. */
export const ERROR_MESSAGES: Record<string, string> = {
  'validation.required': 'This field is required.',
  'validation.too_long': 'This value is too long.',
  'validation.email_invalid': 'Enter a valid email address.',
  'validation.password_too_short': 'The password must be at least 12 characters long.',
  'validation.password_too_long': 'The password must be at most 200 characters long.',
  'validation.passwords_differ': 'The two passwords do not match.',
  'validation.role_invalid': 'Choose a role: Administrator or Staff.',
  'validation.locale_invalid': 'Choose a language: English or Romanian.',
  'validation.invalid': 'This value is not valid.',
  'auth.invalid_credentials': 'The email or password is incorrect.',
  'auth.locked': 'Too many failed sign-in attempts for this email. Try again after {until}.',
  'auth.signed_out': 'Your session has ended. Sign in again.',
  'auth.forbidden': 'You do not have permission to do this.',
  'auth.cross_origin': 'Request rejected: it did not come from this application.',
  'users.email_taken': 'A user with this email address already exists.',
  'users.not_found': 'This user does not exist or is not in your organisation.',
  'users.cannot_deactivate_self': 'You cannot deactivate your own account.',
  'users.cannot_demote_self': 'You cannot remove your own administrator role.',
  'users.not_invited': 'Only users who have not set their password yet can be sent an invitation.',
  'users.deactivated': 'This user is deactivated. Reactivate the user first.',
  'users.not_deactivated': 'This user is not deactivated.',
  'invitation.invalid': 'This invitation link is not valid.',
  'invitation.expired': 'This invitation link has expired. Ask your administrator to send a new invitation.',
  'invitation.used': 'This invitation link has already been used. Sign in with your password.',
  'invitation.revoked': 'This invitation link has been replaced by a newer one. Use the link from the latest email.',
};

export function englishMessage(key: string, params?: Record<string, string | number>): string {
  let text = ERROR_MESSAGES[key] ?? key;
  for (const [name, value] of Object.entries(params ?? {})) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: string,
    readonly field?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(englishMessage(key, params));
    this.name = 'DomainError';
  }
}
