import { describe, expect, it } from 'vitest';
import { describeError } from './log-safety';

describe('describeError', () => {
  it('redacts email addresses quoted by other libraries (e.g. an SMTP reply)', () => {
    const err = Object.assign(new Error('Can\'t send mail - all recipients were rejected: 550 5.1.1 <ana.pop@example.com>: unknown user'), { code: 'EENVELOPE' });
    expect(describeError(err)).not.toContain('ana.pop@example.com');
    expect(describeError(err)).toContain('EENVELOPE');
  });

  it('keeps the name, code and first line, and drops query text and parameters', () => {
    const cause = Object.assign(new Error("Duplicate entry 'ana@example.com' for key 'users_email_uq'"), { code: 'ER_DUP_ENTRY' });
    const err = new Error("Failed query: insert into `users` (`email`, `password_hash`) values (?, ?)\nparams: ana@example.com,$argon2id$secret", { cause });
    const text = describeError(err);
    expect(text).toContain('ER_DUP_ENTRY');
    expect(text).not.toContain('$argon2id$');
    expect(text).not.toContain('password_hash');
    expect(text).not.toContain('params');
    expect(text).not.toContain('ana@example.com');
  });
});
