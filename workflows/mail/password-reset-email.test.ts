import { describe, expect, it } from 'vitest';
import { renderPasswordResetEmail } from './password-reset-email';

const base = {
  name: 'Ana Pop', organisationName: 'Clinica Medicală Someș SRL', link: 'http://localhost:3000/reset-password?token=abc&lang=ro',
  expiresAt: new Date('2026-11-25T08:30:00Z'), timeZone: 'Europe/Bucharest',
};

describe('password reset email', () => {
  it('is in Romanian with the expiry in the organisation’s time zone', () => {
    const mail = renderPasswordResetEmail({ ...base, locale: 'ro' });
    expect(mail.subject).toBe('Resetarea parolei — Modul Partener');
    expect(mail.text).toContain('Bună ziua, Ana Pop,');
    expect(mail.text).toContain('25 noiembrie 2026');
    expect(mail.text).toContain('10:30'); // 08:30 UTC is 10:30 in Bucharest
    expect(mail.text).toContain(base.link);
    expect(mail.text).toContain('ignorați acest e-mail');
  });

  it('is in English and escapes HTML', () => {
    const mail = renderPasswordResetEmail({ ...base, locale: 'en', name: '<b>Ana</b>' });
    expect(mail.subject).toBe('Reset your password — Partner Module');
    expect(mail.text).toContain('25 November 2026');
    expect(mail.text).toContain('If you did not ask to reset your password');
    expect(mail.html).toContain('&lt;b&gt;Ana&lt;/b&gt;');
    expect(mail.html).toContain('href="http://localhost:3000/reset-password?token=abc&amp;lang=ro"');
  });
});
