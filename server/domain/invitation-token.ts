/**
 * Link tokens (user invitations, partner registrations) are derived from the invitation's ID with an HMAC of the app
 * secret, so the raw token is never stored anywhere: the database keeps only its SHA-256, and any email (invite or
 * reminder) can re-derive it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'user-invitation' | 'partner-invitation' | 'booking-cancel' | 'patient-ref';

export function linkToken(secret: string, purpose: TokenPurpose, id: number): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');
}

export function invitationToken(secret: string, invitationId: number): string {
  return linkToken(secret, 'user-invitation', invitationId);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The patient's cancel link for a booking: "<bookingId>.<HMAC>". Nothing is stored; the booking's own state and the
 * service's cancellation window decide whether it still works.
 */
export function bookingCancelToken(secret: string, bookingId: number): string {
  return `${bookingId}.${linkToken(secret, 'booking-cancel', bookingId)}`;
}

/** The booking ID behind a cancel-link token, or null when the token was not issued by us. */
export function verifyBookingCancelToken(secret: string, token: string): number | null {
  const m = /^(\d{1,10})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const expected = Buffer.from(linkToken(secret, 'booking-cancel', id));
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

/**
 * A handle on one patient, issued by the patient search to the user who searched, valid for a while: a partner can book
 * an existing patient only through it, so patient IDs cannot be enumerated around the search's limits and audit.
 */
export function patientRef(secret: string, userId: number, patientId: number, expiresAtMs: number): string {
  const exp = Math.floor(expiresAtMs / 1000);
  return `${exp}.${createHmac('sha256', secret).update(`patient-ref:${userId}:${patientId}:${exp}`).digest('base64url')}`;
}

export function verifyPatientRef(secret: string, ref: string | undefined, userId: number, patientId: number, nowMs = Date.now()): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(ref ?? '');
  if (!m || Number(m[1]) * 1000 < nowMs) return false;
  const expected = Buffer.from(patientRef(secret, userId, patientId, Number(m[1]) * 1000).split('.')[1]);
  const given = Buffer.from(m[2]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
