/**
 * The partnership life cycle. Only these moves are legal; everything else is refused. Terminal states are never left:
 * inviting the same partner again creates a new partnership.
 */
import type { PARTNERSHIP_STATUSES } from '../../db/schema';

export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

const MOVES: Record<PartnershipStatus, readonly PartnershipStatus[]> = {
  // A pending invitation switches path when it is resent after the organisation gained (or never got) users.
  pending_approval: ['active', 'declined', 'expired', 'withdrawn', 'pending_registration'],
  pending_registration: ['active', 'expired', 'withdrawn', 'pending_approval'],
  active: ['ended'],
  declined: [],
  expired: [],
  withdrawn: [],
  ended: [],
};

export const PENDING_STATUSES: readonly PartnershipStatus[] = ['pending_approval', 'pending_registration'];
/** A partnership in one of these blocks adding the same partner again. */
export const OPEN_STATUSES: readonly PartnershipStatus[] = [...PENDING_STATUSES, 'active'];

export function canMove(from: PartnershipStatus, to: PartnershipStatus): boolean {
  return MOVES[from].includes(to);
}

export function isPending(status: PartnershipStatus): boolean {
  return PENDING_STATUSES.includes(status);
}

export function isTerminal(status: PartnershipStatus): boolean {
  return MOVES[status].length === 0;
}
