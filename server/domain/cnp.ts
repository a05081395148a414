/**
 * Romanian personal numeric code (CNP): S YY MM DD JJ NNN C.
 * S: sex and century (1/2: 1900–1999, 3/4: 1800–1899, 5/6: 2000–2099, 7/8: foreign residents, century not encoded,
 * 9: foreigners — the digits carry no checkable date). JJ: county 01–52. NNN: 001–999. C: check digit, the weighted
 * sum of the first 12 digits with 279146358279 modulo 11 (10 counts as 1). Pure functions.
 */

export type CnpResult = { ok: true } | { ok: false; key: 'patients.cnp_invalid' | 'patients.cnp_birth_date_mismatch' };

const WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

/** The check digit of the first 12 digits of a CNP. */
export function cnpCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * WEIGHTS[i];
  const rest = sum % 11;
  return rest === 10 ? 1 : rest;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month = last day of this one
}

const CENTURY: Record<string, number | null> = { 1: 1900, 2: 1900, 3: 1800, 4: 1800, 5: 2000, 6: 2000, 7: null, 8: null };

/**
 * Validates a CNP (13 digits, no spaces) and, when a birth date 'YYYY-MM-DD' is given, that the CNP encodes it.
 * For S = 7/8 only the two-digit year, month and day are compared (the century is not encoded); for S = 9 no date
 * check is possible and any birth date is accepted.
 */
export function validateCnp(cnp: string, birthDate?: string): CnpResult {
  const invalid = { ok: false, key: 'patients.cnp_invalid' } as const;
  if (!/^\d{13}$/.test(cnp)) return invalid;
  const s = cnp[0];
  if (s === '0') return invalid;
  const county = Number(cnp.slice(7, 9));
  if (county < 1 || county > 52) return invalid;
  if (cnp.slice(9, 12) === '000') return invalid;
  if (cnpCheckDigit(cnp) !== Number(cnp[12])) return invalid;
  if (s === '9') return { ok: true };

  const yy = Number(cnp.slice(1, 3));
  const month = Number(cnp.slice(3, 5));
  const day = Number(cnp.slice(5, 7));
  const century = CENTURY[s];
  // Foreign residents: the date must exist in one of the two centuries it may belong to (29 February!).
  const dateOk = century === null ? isRealDate(1900 + yy, month, day) || isRealDate(2000 + yy, month, day) : isRealDate(century + yy, month, day);
  if (!dateOk) return invalid;

  if (birthDate !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
    if (!m) return { ok: false, key: 'patients.cnp_birth_date_mismatch' };
    const [by, bm, bd] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const yearMatches = century === null ? by % 100 === yy : by === century + yy;
    if (!yearMatches || bm !== month || bd !== day) return { ok: false, key: 'patients.cnp_birth_date_mismatch' };
  }
  return { ok: true };
}

/**
 * A national ID for display in search results: its first character and last three, the rest hidden
 * ("1*********123" for a CNP) — enough to tell two patients apart, never the birth date or county.
 * IDs of up to 4 characters are hidden entirely.
 */
export function maskNationalId(id: string): string;
export function maskNationalId(id: string | null | undefined): string | null;
export function maskNationalId(id: string | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const v = id.replace(/\s/g, '');
  if (v.length <= 4) return '*'.repeat(v.length);
  return `${v[0]}${'*'.repeat(Math.min(v.length - 4, 9))}${v.slice(-3)}`;
}
