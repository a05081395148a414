/**
 * Link tokens (user invitations, partner registrations) are derived from the invitation's ID with an HMAC of the app
 * secret, so the raw token is never stored anywhere: the database keeps only its SHA-256, and any email (invite or
 * reminder) can re-derive it.
 */
import { createHash, createHmac } from 'node:crypto';

export type TokenPurpose = 'user-invitation' | 'partner-invitation';

export function linkToken(secret: string, purpose: TokenPurpose, id: number): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');
}

export function invitationToken(secret: string, invitationId: number): string {
  return linkToken(secret, 'user-invitation', invitationId);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
