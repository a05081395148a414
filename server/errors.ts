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
  'auth.busy': 'Sign-in is very busy right now. Try again in a minute.',
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
  'users.gtc_required': 'Your organisation must accept the General Terms and Conditions before it can add users.',
  'validation.phone_invalid': 'Enter a valid phone number (6 to 15 digits, optionally starting with +).',
  'validation.country_invalid': 'Choose the country where the company is registered.',
  'tax.ro_format': 'A Romanian tax number (CUI/CIF) has 2 to 10 digits, optionally after "RO".',
  'tax.ro_check_digit': 'This Romanian tax number (CUI/CIF) is not valid: its check digit does not match.',
  'tax.hu_format': 'A Hungarian tax number has the form 12345678-1-12.',
  'tax.other_format': 'Enter the tax number: 4 to 32 letters, digits, spaces, dots, slashes or dashes.',
  'commission.type_invalid': 'Choose the commission: none, percentage or fixed amount.',
  'commission.percent_invalid': 'Enter the percentage as a number, for example 12.5.',
  'commission.percent_range': 'The percentage must be between 0 and 100.',
  'commission.percent_decimals': 'The percentage can have at most two decimals.',
  'commission.amount_invalid': 'Enter the amount as a number, for example 25.50.',
  'commission.amount_negative': 'The amount cannot be negative.',
  'commission.amount_decimals': 'The amount can have at most two decimals.',
  'partners.locations_required': 'Choose at least one location the partner may book.',
  'partners.location_foreign': 'Choose locations of your own institution only.',
  'partners.payment_location_invalid': 'Choose where the patient pays: at the partner or at the institution.',
  'partners.duplicate': 'This partner already has a pending or active partnership with your institution.',
  'partners.self': 'Your own organisation cannot be your partner.',
  'partners.not_found': 'This partner does not exist or is not a partner of your institution.',
  'partners.not_pending': 'Only a pending invitation can be resent or withdrawn.',
  'partners.closed': 'This partnership has ended; it can no longer be changed.',
  'partners.delete_pending': 'This invitation is still pending: withdraw it instead.',
  'partners.company_managed_by_partner': 'The company data of a partner with its own users is managed by the partner.',
  'partners.answer_declined': 'This invitation has already been declined.',
  'partners.answer_accepted': 'This invitation has already been accepted.',
  'partners.answer_closed': 'This invitation is no longer open.',
  'partners.invitation_expired': 'This invitation has expired. Ask the institution to send it again.',
  'partners.invitation_withdrawn': 'The institution has withdrawn this invitation.',
  'partners.organisation_has_users': 'This company already has users in the system: its administrators answer the invitation in the app. Ask the institution to send the invitation again.',
  'partners.contact_has_account': 'An account with this email address already exists. Ask the institution to resend the invitation to another contact email.',
  'gtc.must_accept': 'Accept the General Terms and Conditions to continue.',
  'catalogue.time_zone_invalid': 'Choose a valid IANA time zone, for example Europe/Bucharest.',
  'catalogue.time_invalid': 'Enter a time as HH:MM, for example 08:30.',
  'catalogue.date_invalid': 'Enter a valid date.',
  'catalogue.end_before_start': 'The end must be after the start.',
  'catalogue.valid_to_before_from': 'The end of the validity period must not be before its start.',
  'catalogue.weekday_invalid': 'Choose a weekday.',
  'catalogue.parity_invalid': 'Choose every week, odd weeks or even weeks.',
  'catalogue.rule_overlap': 'This overlaps another working-hours rule of the physician at this location.',
  'catalogue.rule_overlap_location': 'The physician already works at another location at this time.',
  'catalogue.physician_not_at_location': 'The physician does not work at this location. Add the location to the physician first.',
  'catalogue.physician_not_found': 'This physician does not exist in your institution.',
  'catalogue.qualification_not_found': 'Choose qualifications of your own institution.',
  'catalogue.location_not_found': 'This location does not exist in your institution.',
  'catalogue.service_not_found': 'This service does not exist in your institution.',
  'catalogue.rule_not_found': 'This working-hours rule does not exist in your institution.',
  'catalogue.exception_not_found': 'This date exception does not exist in your institution.',
  'catalogue.qualifications_required': 'Choose at least one qualification.',
  'catalogue.locations_required': 'Choose at least one location.',
  'catalogue.duration_invalid': 'The duration must be a whole number of minutes between 5 and 600.',
  'catalogue.price_invalid': 'Enter the price as a number with at most two decimals, for example 250.00.',
  'catalogue.price_negative': 'The price cannot be negative.',
  'catalogue.currency_invalid': 'Enter a three-letter ISO currency code, for example RON.',
  'catalogue.cancellation_window_invalid': 'The cancellation window must be a whole number of hours between 0 and 720.',
  'catalogue.extra_hours_times': 'Extra hours need a start and an end time.',
  'catalogue.extra_hours_location': 'Extra hours need a location.',
  'catalogue.name_taken': 'This name is already used in your institution.',
  'traffic.channel_invalid': 'Unknown booking channel.',
  'traffic.unknown_service': 'One of the services does not exist in your institution. Nothing was saved.',
  'traffic.unknown_channel': 'One of the partner columns is not a pending or active partner of your institution. Nothing was saved.',
  'traffic.no_changes': 'There are no changes to save.',
  'audit.period_invalid': 'Enter a valid period: the end must be after the start.',
  'gtc.version_outdated': 'The General Terms and Conditions have changed. Reload the page and read the current version.',
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
