import { describe, expect, it } from 'vitest';
import { isStaleRound, outboxSequence } from './workflow-outbox';

describe('invitation round keys', () => {
  it('reads the outbox row behind a round key', () => {
    expect(outboxSequence('outbox:42')).toBe(42);
    expect(outboxSequence('01a2-run-id')).toBeNull();
  });
  it('a round is stale when a newer outbox row already issued one', () => {
    expect(isStaleRound('outbox:7', ['outbox:3', 'outbox:9'])).toBe(true);
    expect(isStaleRound('outbox:9', ['outbox:3', 'outbox:7'])).toBe(false);
    expect(isStaleRound('outbox:9', ['outbox:9'])).toBe(false); // its own round, on a retry
    expect(isStaleRound('run-id', ['outbox:99'])).toBe(false); // legacy keys are never judged stale
  });
});
