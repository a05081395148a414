import { describe, expect, it } from 'vitest';
import { isStaleRound, looksLikeConnectionError, maxAttemptsFromEnv, outboxSequence, retryDelayMs } from './workflow-outbox';

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

describe('outbox retry policy', () => {
  it('backs off exponentially from 2 s, capped at 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(retryDelayMs(9)).toBe(300_000);
    expect(retryDelayMs(1_000)).toBe(300_000);
    expect(retryDelayMs(3, 100, 250)).toBe(250);
  });
  it('reads WORKFLOW_OUTBOX_MAX_ATTEMPTS, 10 by default', () => {
    expect(maxAttemptsFromEnv({})).toBe(10);
    expect(maxAttemptsFromEnv({ WORKFLOW_OUTBOX_MAX_ATTEMPTS: '3' })).toBe(3);
    expect(() => maxAttemptsFromEnv({ WORKFLOW_OUTBOX_MAX_ATTEMPTS: '0' })).toThrow(/positive integer/);
  });
  it('tells connection failures (maybe Temporal is away) from a row’s own failure', () => {
    expect(looksLikeConnectionError(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }))).toBe(true);
    expect(looksLikeConnectionError(new Error('start failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(looksLikeConnectionError(Object.assign(new Error('3 INVALID_ARGUMENT: WorkflowType is not set on request.'), { code: 3 }))).toBe(false);
    expect(looksLikeConnectionError(new Error('Workflow execution already started'))).toBe(false);
  });
});
