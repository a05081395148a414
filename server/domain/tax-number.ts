/**
 * Tax number rules for partners (only legal entities): a Romanian CUI/CIF (optional "RO" prefix) must pass its check
 * digit; a Hungarian adószám has the 8-1-2 form; other countries get a trimmed text of sane length.
 */
export type TaxNumberResult = { ok: true; normalized: string } | { ok: false; key: string };

const RO_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

export function isValidRomanianCui(digits: string): boolean {
  if (!/^[1-9]\d{1,9}$/.test(digits)) return false;
  const body = digits.slice(0, -1).padStart(9, '0');
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * RO_KEY[i], 0);
  const check = ((sum * 10) % 11) % 10;
  return check === Number(digits.at(-1));
}

export function validateTaxNumber(country: string, raw: string): TaxNumberResult {
  const value = raw.trim();
  if (!value) return { ok: false, key: 'validation.required' };
  if (country === 'RO') {
    const digits = value.replace(/^RO/i, '').replace(/\s+/g, '');
    if (!/^\d{2,10}$/.test(digits)) return { ok: false, key: 'tax.ro_format' };
    if (!isValidRomanianCui(digits)) return { ok: false, key: 'tax.ro_check_digit' };
    return { ok: true, normalized: digits };
  }
  if (country === 'HU') {
    const compact = value.replace(/^HU/i, '').replace(/\s+/g, '');
    const m = /^(\d{8})-?(\d)-?(\d{2})$/.exec(compact);
    if (!m) return { ok: false, key: 'tax.hu_format' };
    return { ok: true, normalized: `${m[1]}-${m[2]}-${m[3]}` };
  }
  const compact = value.replace(/\s+/g, ' ');
  if (compact.length < 4 || compact.length > 32 || !/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/.test(compact)) {
    return { ok: false, key: 'tax.other_format' };
  }
  return { ok: true, normalized: compact.toUpperCase() };
}
