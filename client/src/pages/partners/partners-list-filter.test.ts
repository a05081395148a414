import { describe, expect, it } from 'vitest';
import { listInputFor, shownFrom } from './partners-list-filter';

describe('partners list filter in the address', () => {
  it('shows current partners unless the address asks for something known', () => {
    expect(shownFrom(undefined)).toBe('current');
    expect(shownFrom('')).toBe('current');
    expect(shownFrom('deleted')).toBe('current');
    expect(shownFrom('ended')).toBe('ended');
    expect(shownFrom('all')).toBe('all');
    expect(shownFrom('pending_approval')).toBe('pending_approval');
  });

  it('asks for a group, or for one status among all partners', () => {
    expect(listInputFor('current')).toEqual({ filter: 'current' });
    expect(listInputFor('ended')).toEqual({ filter: 'ended' });
    expect(listInputFor('all')).toEqual({ filter: 'all' });
    expect(listInputFor('withdrawn')).toEqual({ filter: 'all', status: 'withdrawn' });
  });
});
