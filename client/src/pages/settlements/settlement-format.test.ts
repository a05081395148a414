import { afterEach, describe, expect, it } from 'vitest';
import { minorDigits as serverMinorDigits } from '../../../../server/domain/commission';
import { setLocale } from '../../i18n';
import {
  adjustmentNoteText, commissionRuleText, currentMonthIn, formatMoney, formatMonth, isPastMonthIn, lastMonthIn, MINOR_DIGITS,
  groupByInstitution, minorDigits, netText, netTextNamed, paidOnProblem, pastMonths, progressPercent,
} from './settlement-format';

afterEach(() => setLocale('en'));

describe('formatMoney', () => {
  it('uses the currency\'s own minor digits, in integers', () => {
    expect(formatMoney(123400, 'RON', 'en-GB')).toBe('1,234.00 RON');
    expect(formatMoney(5, 'RON', 'en-GB')).toBe('0.05 RON');
    expect(formatMoney(1500, 'JPY', 'en-GB')).toBe('1,500 JPY');
    expect(formatMoney(1234567, 'KWD', 'en-GB')).toBe('1,234.567 KWD');
    expect(formatMoney(0, 'EUR', 'en-GB')).toBe('0.00 EUR');
  });

  it('keeps the sign of negative adjustments', () => {
    expect(formatMoney(-250, 'RON', 'en-GB')).toBe('-2.50 RON');
    expect(formatMoney(-123456789, 'RON', 'en-GB')).toBe('-1,234,567.89 RON');
  });

  it('follows the Romanian separators', () => {
    expect(formatMoney(123400, 'RON', 'ro-RO')).toMatch(/^1\.234,00 RON$/);
    expect(formatMoney(99, 'RON', 'ro-RO')).toBe('0,99 RON');
  });

  it('never goes through floating point: large amounts stay exact', () => {
    expect(formatMoney(900719925474099, 'RON', 'en-GB')).toBe('9,007,199,254,740.99 RON');
  });

  it('has the same minor digits as the server', () => {
    for (const currency of [...Object.keys(MINOR_DIGITS), 'RON', 'EUR', 'USD', 'HUF']) {
      expect(minorDigits(currency)).toBe(serverMinorDigits(currency));
    }
  });
});

describe('net direction in words', () => {
  it('says who pays whom', () => {
    setLocale('en');
    expect(netText({ currency: 'RON', netAbsMinor: 123400, direction: 'partner_pays_institution' }, 'en-GB')).toBe('Partner pays institution 1,234.00 RON');
    expect(netText({ currency: 'RON', netAbsMinor: 2500, direction: 'institution_pays_partner' }, 'en-GB')).toBe('Institution pays partner 25.00 RON');
    expect(netText({ currency: 'EUR', netAbsMinor: 0, direction: null }, 'en-GB')).toBe('Nothing to pay in EUR');
  });

  it('names the parties', () => {
    setLocale('en');
    const names = { institution: 'Centrul Medical Napoca SRL', partner: 'MedPlus Diagnostic SRL' };
    expect(netTextNamed({ currency: 'RON', netAbsMinor: 100, direction: 'partner_pays_institution' }, names, 'en-GB'))
      .toBe('MedPlus Diagnostic SRL pays Centrul Medical Napoca SRL 1.00 RON');
    expect(netTextNamed({ currency: 'RON', netAbsMinor: 100, direction: 'institution_pays_partner' }, names, 'en-GB'))
      .toBe('Centrul Medical Napoca SRL pays MedPlus Diagnostic SRL 1.00 RON');
  });

  it('reads in Romanian', () => {
    setLocale('ro');
    expect(netText({ currency: 'RON', netAbsMinor: 123400, direction: 'partner_pays_institution' }, 'ro-RO')).toBe('Partenerul plătește instituției 1.234,00 RON');
    expect(netText({ currency: 'RON', netAbsMinor: 123400, direction: 'institution_pays_partner' }, 'ro-RO')).toBe('Instituția plătește partenerului 1.234,00 RON');
  });
});

describe('months in the institution\'s time zone', () => {
  // 2026-11-30 23:30 UTC is already 1 December 01:30 in Bucharest, still 30 November in New York.
  const lateNovemberUtc = new Date('2026-11-30T23:30:00Z');

  it('takes the current month from the zone\'s wall clock', () => {
    expect(currentMonthIn('Europe/Bucharest', lateNovemberUtc)).toBe('2026-12');
    expect(currentMonthIn('America/New_York', lateNovemberUtc)).toBe('2026-11');
  });

  it('defaults to last month in the zone', () => {
    expect(lastMonthIn('Europe/Bucharest', lateNovemberUtc)).toBe('2026-11');
    expect(lastMonthIn('America/New_York', lateNovemberUtc)).toBe('2026-10');
    expect(lastMonthIn('Europe/Bucharest', new Date('2027-01-10T12:00:00Z'))).toBe('2026-12');
  });

  it('lists past months only, newest first, across a year boundary', () => {
    const months = pastMonths('Europe/Bucharest', 4, new Date('2027-02-15T12:00:00Z'));
    expect(months).toEqual(['2027-01', '2026-12', '2026-11', '2026-10']);
    expect(pastMonths('Europe/Bucharest', 4, lateNovemberUtc)[0]).toBe('2026-11');
    expect(pastMonths('America/New_York', 4, lateNovemberUtc)[0]).toBe('2026-10');
  });

  it('knows which months are over', () => {
    expect(isPastMonthIn('2026-11', 'Europe/Bucharest', lateNovemberUtc)).toBe(true);
    expect(isPastMonthIn('2026-11', 'America/New_York', lateNovemberUtc)).toBe(false);
    expect(isPastMonthIn('2026-13', 'Europe/Bucharest', lateNovemberUtc)).toBe(false);
    expect(isPastMonthIn('1999-12', 'Europe/Bucharest', lateNovemberUtc)).toBe(false);
  });

  it('names a month in the UI language', () => {
    expect(formatMonth('2026-11', 'en-GB')).toBe('November 2026');
    expect(formatMonth('2026-11', 'ro-RO')).toBe('noiembrie 2026');
    expect(formatMonth('nonsense', 'en-GB')).toBe('nonsense');
  });
});

describe('payment date', () => {
  const bounds = { today: '2026-11-30', issuedOn: '2026-11-20' };
  it('is not in the future and not before the issue day', () => {
    expect(paidOnProblem('2026-11-25', bounds)).toBeNull();
    expect(paidOnProblem('2026-11-20', bounds)).toBeNull();
    expect(paidOnProblem('2026-11-30', bounds)).toBeNull();
    expect(paidOnProblem('2026-12-01', bounds)).toBe('settlement.paid_on_future');
    expect(paidOnProblem('2026-11-19', bounds)).toBe('settlement.paid_before_issue');
    expect(paidOnProblem('2026-02-30', bounds)).toBe('settlement.paid_on_invalid');
    expect(paidOnProblem('', bounds)).toBe('settlement.paid_on_invalid');
  });
});

describe('labels', () => {
  it('explains adjustment notes and commission rules', () => {
    setLocale('en');
    expect(adjustmentNoteText('cancelled')).toBe('Cancelled after the statement was issued');
    expect(adjustmentNoteText('whatever')).toBe('Changed after the statement was issued');
    expect(commissionRuleText('percent', 1250, 'RON', 'en-GB')).toBe('12.5 %');
    expect(commissionRuleText('fixed', 2500, 'RON', 'en-GB')).toBe('25.00 RON per booking');
    expect(commissionRuleText('none', 0, 'RON', 'en-GB')).toBe('No commission');
    setLocale('ro');
    expect(adjustmentNoteText('noshow')).toBe('Marcată ca neprezentare după emiterea decontului');
    expect(commissionRuleText('percent', 1000, 'RON', 'ro-RO')).toBe('10 %');
  });

  it('computes the progress share', () => {
    expect(progressPercent(0, 0)).toBeNull();
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(3, 3)).toBe(100);
    expect(progressPercent(5, 3)).toBe(100);
  });
});

describe('partner side', () => {
  it('groups statements per institution by name, keeping the months in order', () => {
    const groups = groupByInstitution([
      { id: 3, institutionId: 2, institutionName: 'Centrul Medical Napoca SRL', month: '2026-10' },
      { id: 9, institutionId: 1, institutionName: 'Clinica Medicală Someș SRL', month: '2026-10' },
      { id: 1, institutionId: 2, institutionName: 'Centrul Medical Napoca SRL', month: '2026-09' },
    ]);
    expect(groups.map((g) => g.institutionName)).toEqual(['Centrul Medical Napoca SRL', 'Clinica Medicală Someș SRL']);
    expect(groups[0].statements.map((s) => s.month)).toEqual(['2026-10', '2026-09']);
    expect(groupByInstitution([])).toEqual([]);
  });
});
