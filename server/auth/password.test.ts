/** The argon2 pools: anonymous work has its own small limit and cannot starve sign-in (issue 9). */
import { describe, expect, it } from 'vitest';
import { hashPassword, PasswordServiceBusy, verifyPassword } from './password';
import { isCommonPassword } from './common-passwords';

describe('password pools', () => {
  it('refuses anonymous hashing beyond its own queue while sign-in checks still run', async () => {
    const stored = await hashPassword('the-right-password-2026');
    // Far more anonymous hashes than its 2 slots + 20 waiting: the surplus is refused at once.
    const anonymous = Array.from({ length: 40 }, (_, i) => hashPassword(`anonymous-${i}-password`, 'anonymous').then(() => 'done', (e) => e));
    const started = Date.now();
    expect(await verifyPassword(stored, 'the-right-password-2026')).toBe(true);
    const signInMs = Date.now() - started;
    const results = await Promise.all(anonymous);
    const refused = results.filter((r) => r instanceof PasswordServiceBusy).length;
    expect(refused).toBeGreaterThanOrEqual(18);
    expect(results.filter((r) => r === 'done').length).toBeLessThanOrEqual(22);
    // Sign-in did not wait behind the 22 anonymous hashes (each ~10-50 ms on two slots).
    expect(signInMs).toBeLessThan(2_000);
  });
});

describe('common passwords', () => {
  it('knows the shipped list, ignoring case and surrounding spaces', () => {
    expect(isCommonPassword('password')).toBe(true);
    expect(isCommonPassword(' QWERTY123456 ')).toBe(true);
    expect(isCommonPassword('Somes-Admin-2026')).toBe(false);
  });
});
