import { describe, expect, it } from 'vitest';
import { phoneField } from './schemas';

describe('contact phone', () => {
  it.each(['+40 722 123 456', '(0264) 123 456', '0264-123.456', '+36 1 234 5678'])('accepts %s', (v) => {
    expect(phoneField.safeParse(v).success).toBe(true);
  });
  it.each(['call me', '12345', '+40 722 123 456 789 012', '++40722123456', '0722 abc 123'])('rejects %s', (v) => {
    expect(phoneField.safeParse(v).success).toBe(false);
  });
});
