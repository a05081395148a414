/**
 * English texts of the client. The keys are the contract: ro.ts has exactly the same keys (checked by the compiler
 * through the Dictionary type and by i18n.test.ts). Keys under validation.*, auth.*, users.*, invitation.* and
 * error.internal are also sent by the server (server/errors.ts) and must keep the same meaning.
 * Placeholders are written {name} and filled by t(key, params).
 */
export const en = {
  // Product
  'app.name': 'Partner Module',

  // Common words and states
  'common.loading': 'Loading…',
  'common.saving': 'Saving…',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.dismiss': 'Dismiss',
  'common.retry': 'Try again',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.required': 'required',

  // Language switch (language names are written in their own language)
  'language.label': 'Language',
  'language.en': 'English',
  'language.ro': 'Română',

  // Errors the client itself produces
  'error.internal': 'Something went wrong on our side. Please try again.',
  'error.network': 'The server cannot be reached. Check your connection and try again.',
  'error.check_fields': 'Check the highlighted fields.',
  'error.load_failed': 'This information could not be loaded.',

  // Errors sent by the server (same keys as server/errors.ts)
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

  // Sign-in page
  'signIn.title': 'Sign in',
  'signIn.intro': 'Sign in with the email address and password of your account.',
  'signIn.email': 'Email',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.submitting': 'Signing in…',
  'signIn.passwordSet': 'Your password is set. Sign in with it.',

  // Set-password page (invitation link)
  'setPassword.title': 'Set your password',
  'setPassword.intro': 'You were invited to the {organisation} account. Choose a password to finish setting up your account.',
  'setPassword.name': 'Name',
  'setPassword.email': 'Email',
  'setPassword.organisation': 'Organisation',
  'setPassword.validUntil': 'This link is valid until {date}.',
  'setPassword.new': 'New password',
  'setPassword.repeat': 'Repeat the password',
  'setPassword.hint': 'At least 12 characters',
  'setPassword.submit': 'Set password',
  'setPassword.checking': 'Checking the invitation link…',
  'setPassword.goToSignIn': 'Go to sign in',
  'invitation.title.invalid': 'This link cannot be used',
  'invitation.title.expired': 'This link has expired',
  'invitation.title.used': 'This link has already been used',
  'invitation.title.revoked': 'This link has been replaced',

  // App shell
  'shell.skipToContent': 'Skip to main content',
  'shell.mainNav': 'Main navigation',
  'shell.account': 'Signed-in user',
  'shell.signOut': 'Sign out',
  'shell.signingOut': 'Signing out…',
  'shell.checkingSession': 'Checking your session…',

  // Navigation and page titles
  'nav.partners': 'Administration / Partner Module',
  'nav.trafficChannels': 'Traffic Channels',
  'nav.adminUsers': 'Administration / Admin Users',
  'nav.users': 'Users',
  'nav.book': 'Book to partner',
  'nav.myBookings': 'My bookings',
  'nav.statistics': 'Reports / Statistics',
  'nav.partnerStatistics': 'Reports / Partner-submitted statistics',
  'nav.settlements': 'Commission settlement',

  // Generic page states
  'page.inPreparation': 'This page is being prepared. It will be available in a coming version.',
  'page.forbidden': 'You do not have permission to view this page. Ask an administrator of your organisation if you need access.',
  'page.notFound.title': 'Page not found',
  'page.notFound.text': 'There is no page at this address.',
  'page.notFound.home': 'Go to the start page',

  // Users page
  'users.add': 'Add user',
  'users.caption': 'Users of {organisation}',
  'users.col.name': 'Name',
  'users.col.email': 'Email',
  'users.col.role': 'Role',
  'users.col.canBook': 'Can book to partner institution',
  'users.col.status': 'Status',
  'users.col.actions': 'Actions',
  'users.you': '(you)',
  'users.role.admin': 'Administrator',
  'users.role.staff': 'Staff',
  'users.status.invited': 'Invited',
  'users.status.active': 'Active',
  'users.status.deactivated': 'Deactivated',
  'users.invitationInfo': 'Invitation sent {sent}, expires {expires}',
  'users.invitationMissing': 'No valid invitation link. Send a new invitation.',
  'users.action.edit': 'Edit',
  'users.action.deactivate': 'Deactivate',
  'users.action.reactivate': 'Reactivate',
  'users.action.resend': 'Resend invitation',
  'users.empty': 'There are no users yet. Use "Add user" to invite the first one.',
  'users.loadError': 'The list of users could not be loaded.',
  'users.notice.invited': 'Invitation sent to {email}',
  'users.notice.updated': 'The changes to {name} are saved.',
  'users.notice.deactivated': '{name} is deactivated. Their open sessions have ended.',
  'users.notice.reactivated': '{name} is active again.',
  'users.notice.reactivatedInvited': '{name} is reactivated. A new invitation was sent to {email}.',
  'users.notice.resent': 'A new invitation was sent to {email}. The previous link no longer works.',
  'users.confirm.title': 'Deactivate user',
  'users.confirm.text': 'Deactivate {name}? Their open sessions end at once.',
  'users.form.addTitle': 'Add user',
  'users.form.editTitle': 'Edit user',
  'users.form.name': 'Name',
  'users.form.email': 'Email',
  'users.form.emailHint': 'The user receives an email with a link to set their password.',
  'users.form.emailReadOnly': 'The email address cannot be changed.',
  'users.form.role': 'Role',
  'users.form.language': 'Language',
  'users.form.languageHint': 'Used for the emails the user receives.',
  'users.form.canBook': 'Can book to partner institution',
} as const;

export type MessageKey = keyof typeof en;
export type Dictionary = Record<MessageKey, string>;
