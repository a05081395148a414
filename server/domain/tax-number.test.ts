import { describe, expect, it } from 'vitest';
import { isValidRomanianCui, validateTaxNumber } from './tax-number';

describe('Romanian CUI', () => {
  it.each(['18590427', '31275800', '44721904', '38192655', '14399840'])('accepts %s (valid check digit)', (cui) => {
    expect(isValidRomanianCui(cui)).toBe(true);
  });
  it.each(['18590428', '31275801', '14399841', '12'])('rejects %s (wrong check digit)', (cui) => {
    expect(isValidRomanianCui(cui)).toBe(false);
  });
  it('accepts the RO prefix and spaces, and normalises them away', () => {
    expect(validateTaxNumber('RO', ' ro 18590427 ')).toEqual({ ok: true, normalized: '18590427' });
    expect(validateTaxNumber('RO', 'RO18590427')).toEqual({ ok: true, normalized: '18590427' });
  });
  it('names the reason', () => {
    expect(validateTaxNumber('RO', 'RO1859042X')).toEqual({ ok: false, key: 'tax.ro_format' });
    expect(validateTaxNumber('RO', '18590428')).toEqual({ ok: false, key: 'tax.ro_check_digit' });
    expect(validateTaxNumber('RO', '   ')).toEqual({ ok: false, key: 'validation.required' });
  });
});

describe('Hungarian tax number', () => {
  it('accepts the 8-1-2 form, with or without dashes', () => {
    expect(validateTaxNumber('HU', '12345678-2-42')).toEqual({ ok: true, normalized: '12345678-2-42' });
    expect(validateTaxNumber('HU', '12345678242')).toEqual({ ok: true, normalized: '12345678-2-42' });
  });
  it.each(['1234567-2-42', '12345678-22-42', 'abcdefgh-1-22'])('rejects %s', (v) => {
    expect(validateTaxNumber('HU', v)).toEqual({ ok: false, key: 'tax.hu_format' });
  });
});

describe('other countries', () => {
  it('accepts sane text and rejects junk', () => {
    expect(validateTaxNumber('DE', ' de123456789 ')).toEqual({ ok: true, normalized: 'DE123456789' });
    expect(validateTaxNumber('DE', 'x')).toEqual({ ok: false, key: 'tax.other_format' });
    expect(validateTaxNumber('DE', '<script>')).toEqual({ ok: false, key: 'tax.other_format' });
    expect(validateTaxNumber('DE', 'A'.repeat(33))).toEqual({ ok: false, key: 'tax.other_format' });
  });
});
