/** Romanian CNP: format, check digit, sex/century digit, date, county, birth-date agreement; masking. */
import { describe, expect, it } from 'vitest';
import { cnpCheckDigit, maskNationalId, validateCnp } from './cnp';

const ok = { ok: true };
const invalid = { ok: false, key: 'patients.cnp_invalid' };
const mismatch = { ok: false, key: 'patients.cnp_birth_date_mismatch' };

/** The same 12 digits with a wrong check digit. */
const wrongCheck = (cnp: string) => cnp.slice(0, 12) + String((Number(cnp[12]) + 1) % 10);

describe('validateCnp', () => {
  // Check digits computed with the weights 279146358279.
  const valid: [string, string][] = [
    ['1850101123451', '1985-01-01'], // man, 1900s, Cluj (12)
    ['2851229120017', '1985-12-29'], // woman, 1900s
    ['1500623120012', '1950-06-23'],
    ['5000228401237', '2000-02-28'], // man, 2000s, Bucharest (40)
    ['5000229120011', '2000-02-29'], // 2000 is a leap year
    ['6000129400076', '2000-01-29'], // woman, 2000s
    ['3960203400145', '1896-02-03'], // man, 1800s
    ['4600229400226', '1860-02-29'], // woman, 1800s, leap year
    ['1850101523451', '1985-01-01'], // county 52 (Giurgiu)
    ['1850101120191', '1985-01-01'], // weighted sum ≡ 10 (mod 11): check digit 1
  ];

  it.each(valid)('accepts %s, alone and with its birth date %s', (cnp, birthDate) => {
    expect(validateCnp(cnp)).toEqual(ok);
    expect(validateCnp(cnp, birthDate)).toEqual(ok);
  });

  it('computes the check digit', () => {
    expect(cnpCheckDigit('185010112345')).toBe(1);
    expect(cnpCheckDigit('185010112019')).toBe(1);
    expect(cnpCheckDigit('600012940007')).toBe(6);
  });

  it('refuses a wrong check digit', () => {
    for (const [cnp] of valid) expect(validateCnp(wrongCheck(cnp))).toEqual(invalid);
  });

  it('refuses anything but 13 digits', () => {
    expect(validateCnp('')).toEqual(invalid);
    expect(validateCnp('185010112345')).toEqual(invalid);
    expect(validateCnp('18501011234511')).toEqual(invalid);
    expect(validateCnp('185010112345A')).toEqual(invalid);
    expect(validateCnp('1850101 123451')).toEqual(invalid);
    expect(validateCnp(' 1850101123451')).toEqual(invalid);
  });

  it('refuses the sex/century digit 0, impossible dates, counties outside 01–52 and serial 000', () => {
    expect(validateCnp('0850101123451')).toEqual(invalid); // valid check digit
    expect(validateCnp('1000229120012')).toEqual(invalid); // 1900-02-29 does not exist (valid check digit)
    expect(validateCnp('1851301121237')).toEqual(invalid); // month 13 (valid check digit)
    expect(validateCnp('1850100123459')).toEqual(invalid); // day 0 (valid check digit)
    expect(validateCnp('1850101003452')).toEqual(invalid); // county 00
    expect(validateCnp('1850101533457')).toEqual(invalid); // county 53
    expect(validateCnp('1850101120001')).toEqual(invalid); // serial 000
  });

  it('refuses a birth date the CNP does not encode, including the century', () => {
    expect(validateCnp('1850101123451', '1985-01-02')).toEqual(mismatch);
    expect(validateCnp('1850101123451', '1985-02-01')).toEqual(mismatch);
    expect(validateCnp('1850101123451', '2085-01-01')).toEqual(mismatch);
    expect(validateCnp('5000228401237', '1900-02-28')).toEqual(mismatch);
    expect(validateCnp('3960203400145', '1996-02-03')).toEqual(mismatch);
    expect(validateCnp('1850101123451', 'not a date')).toEqual(mismatch);
    // An invalid CNP is reported as invalid, not as a mismatch.
    expect(validateCnp(wrongCheck('1850101123451'), '1970-01-01')).toEqual(invalid);
  });

  it('checks foreign residents (7/8) without a century', () => {
    expect(validateCnp('7900701123451')).toEqual(ok);
    expect(validateCnp('7900701123451', '1990-07-01')).toEqual(ok);
    expect(validateCnp('7900701123451', '2090-07-01')).toEqual(ok);
    expect(validateCnp('7900701123451', '1990-07-02')).toEqual(mismatch);
    expect(validateCnp('8900229520010')).toEqual(invalid); // 29 February in neither 1990 nor 2090
  });

  it('accepts foreigners (9) without a date check', () => {
    expect(validateCnp('9991301123453')).toEqual(ok); // "month 13": no date is encoded
    expect(validateCnp('9991301123453', '1975-05-05')).toEqual(ok);
    expect(validateCnp(wrongCheck('9991301123453'))).toEqual(invalid);
  });
});

describe('maskNationalId', () => {
  it('shows the first character and the last three only', () => {
    expect(maskNationalId('1850101123451')).toBe('1*********451');
    expect(maskNationalId('1850101123451')).not.toContain('850101');
    expect(maskNationalId('185 0101 123451')).toBe('1*********451');
  });
  it('keeps other IDs short and hides very short ones', () => {
    expect(maskNationalId('AB1234567')).toBe('A*****567');
    expect(maskNationalId('X'.repeat(30) + '123')).toBe('X*********123');
    expect(maskNationalId('1234')).toBe('****');
    expect(maskNationalId('')).toBe('');
    expect(maskNationalId(null)).toBeNull();
  });
});
