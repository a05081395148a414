/** The partnership notice emails in English and Romanian: subjects, values as the forms show them, no link for a contact. */
import { describe, expect, it } from 'vitest';
import { formatCommission, renderPartnershipNoticeEmail, termLines } from './partnership-notice';

const base = { recipientName: 'Ana Pop', institutionName: 'Clinica Someș', companyName: 'MedPlus', timeZone: 'Europe/Bucharest', link: 'https://app.example/institutions' };

describe('partnership notice emails', () => {
  it('formats commission as the form does', () => {
    expect(formatCommission({ commissionType: 'percent', commissionValue: 1250, commissionCurrency: null }, 'en')).toBe('12.5 %');
    expect(formatCommission({ commissionType: 'percent', commissionValue: 1250, commissionCurrency: null }, 'ro')).toBe('12,5 %');
    expect(formatCommission({ commissionType: 'fixed', commissionValue: 2550, commissionCurrency: 'RON' }, 'en')).toBe('25.50 RON per booking');
    expect(formatCommission({ commissionType: 'fixed', commissionValue: 2550, commissionCurrency: 'RON' }, 'ro')).toBe('25,50 RON per rezervare');
    expect(formatCommission({ commissionType: 'none', commissionValue: 0, commissionCurrency: null }, 'ro')).toBe('Fără');
  });

  it('lists each changed term before → after, in words', () => {
    expect(termLines([
      { field: 'paymentLocation', before: 'partner', after: 'institution' },
      { field: 'patientDataAccess', before: false, after: true },
      { field: 'locationIds', before: ['Centru', 'Mărăști'], after: [] },
    ], 'ro')).toEqual([
      'Locul plății: La partener → La instituție',
      'Acces la datele pacienților: Nu → Da',
      'Locații: Centru, Mărăști → niciunul',
    ]);
  });

  it('ended: the date in the institution\'s time zone, and the link', () => {
    const email = renderPartnershipNoticeEmail({ ...base, locale: 'en', kind: 'ended', endedAt: new Date('2026-11-30T22:30:00Z') });
    expect(email.subject).toBe('Partnership ended — Clinica Someș');
    expect(email.text).toContain('Clinica Someș ended its partnership with MedPlus on 1 December 2026');
    expect(email.text).toContain('https://app.example/institutions');
    expect(email.html).toContain('<a href="https://app.example/institutions">');
  });

  it('services: before → after with what was added and removed (Romanian)', () => {
    const email = renderPartnershipNoticeEmail({ ...base, locale: 'ro', kind: 'services', before: ['EKG', 'Holter'], after: ['EKG', 'Ecografie'] });
    expect(email.subject).toBe('Serviciile autorizate s-au schimbat — Clinica Someș');
    expect(email.text).toContain('Servicii autorizate: EKG, Holter → EKG, Ecografie');
    expect(email.text).toContain('Adăugate: Ecografie');
    expect(email.text).toContain('Nu mai sunt autorizate: Holter');
  });

  it('a withdrawn registration tells the contact person the link stopped working, without an app link; HTML is escaped', () => {
    const email = renderPartnershipNoticeEmail({ ...base, companyName: 'A & B <SRL>', link: null, locale: 'en', kind: 'withdrawn', path: 'registration' });
    expect(email.subject).toBe('Invitation withdrawn — Clinica Someș');
    expect(email.text).toContain('The registration link in the earlier email no longer works.');
    expect(email.text).not.toContain('http');
    expect(email.html).toContain('A &amp; B &lt;SRL&gt;');
  });
});
