import { describe, expect, it } from 'vitest';
import { PARTNERSHIP_STATUSES } from '../../db/schema';
import { canMove, isTerminal } from './partnership-status';

describe('partnership status transitions', () => {
  const legal: [string, string][] = [
    ['pending_approval', 'active'], ['pending_approval', 'declined'], ['pending_approval', 'expired'], ['pending_approval', 'withdrawn'],
    ['pending_approval', 'pending_registration'],
    ['pending_registration', 'active'], ['pending_registration', 'expired'], ['pending_registration', 'withdrawn'],
    ['pending_registration', 'pending_approval'],
    ['active', 'ended'],
  ];
  it('allows exactly the legal moves', () => {
    for (const from of PARTNERSHIP_STATUSES) {
      for (const to of PARTNERSHIP_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect(canMove(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });
  it('never leaves a terminal state', () => {
    expect(PARTNERSHIP_STATUSES.filter(isTerminal)).toEqual(['declined', 'expired', 'withdrawn', 'ended']);
  });
  it('a registration invitation cannot be declined, and an active partnership cannot go back to pending', () => {
    expect(canMove('pending_registration', 'declined')).toBe(false);
    expect(canMove('active', 'pending_approval')).toBe(false);
  });
});
