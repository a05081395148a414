import { describe, expect, it } from 'vitest';
import { renderInvitationEmail } from './templates';

const base = {
  name: 'Ana Pop', organisationName: 'Clinica Medicală Someș SRL', link: 'http://localhost:3000/set-password?token=abc',
  expiresAt: new Date('2026-11-25T08:30:00Z'), timeZone: 'Europe/Bucharest', reminder: false,
};

describe('invitation email', () => {
  it('shows the expiry in the organisation’s time zone, in Romanian', () => {
    const mail = renderInvitationEmail({ ...base, locale: 'ro' });
    expect(mail.subject).toBe('Invitație în Modul Partener — Clinica Medicală Someș SRL');
    expect(mail.text).toContain('25 noiembrie 2026');
    expect(mail.text).toContain('10:30'); // 08:30 UTC is 10:30 in Bucharest (EET, UTC+2)
    expect(mail.text).toContain(base.link);
  });

  it('renders the English reminder and escapes HTML', () => {
    const mail = renderInvitationEmail({ ...base, locale: 'en', reminder: true, name: '<b>Ana</b>' });
    expect(mail.subject).toBe('Reminder: set your password for Clinica Medicală Someș SRL');
    expect(mail.text).toContain('25 November 2026');
    expect(mail.html).toContain('&lt;b&gt;Ana&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Ana</b>');
  });
});
