/** Every workflow definition the worker registers. Deterministic code only: no I/O, no imports of db/ or server/. */
export { userInvitation } from './user-invitation';
export { partnerInvitation } from './partner-invitation';
export { partnershipNotice } from './partnership-notice';
export { bookingLifecycle } from './booking-lifecycle';
export { settlement, scheduledSettlement, settlementIssued } from './settlement';
export { passwordReset } from './password-reset';
