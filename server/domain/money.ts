/**
 * Money and percentages as integers: amounts in minor units with an ISO currency, percentages in basis points.
 * Parsing takes the decimal text a user typed, so no floating point ever touches money.
 */
export type ParseResult = { ok: true; value: number } | { ok: false; key: string };

/** "12.5" → 1250 basis points; 0–100 with at most two decimals. */
export function parsePercent(raw: string): ParseResult {
  const text = raw.trim().replace(',', '.');
  if (!text) return { ok: false, key: 'validation.required' };
  if (/^-/.test(text)) return { ok: false, key: 'commission.percent_range' };
  const m = /^(\d{1,3})(?:\.(\d{1,}))?$/.exec(text);
  if (!m) return { ok: false, key: 'commission.percent_invalid' };
  if ((m[2] ?? '').length > 2) return { ok: false, key: 'commission.percent_decimals' };
  const value = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  if (value > 10_000) return { ok: false, key: 'commission.percent_range' };
  return { ok: true, value };
}

/** "25.50" → 2550 minor units; non-negative, at most two decimals. */
export function parseAmount(raw: string): ParseResult {
  const text = raw.trim().replace(',', '.');
  if (!text) return { ok: false, key: 'validation.required' };
  if (/^-/.test(text)) return { ok: false, key: 'commission.amount_negative' };
  const m = /^(\d{1,7})(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, key: 'commission.amount_invalid' };
  if ((m[2] ?? '').length > 2) return { ok: false, key: 'commission.amount_decimals' };
  return { ok: true, value: Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) };
}

/** 1250 → "12.5"; 2550 → "25.50" (for forms and emails). */
export function formatBasisPoints(bp: number): string {
  return (bp / 100).toFixed(2).replace(/\.?0+$/, '');
}

export function formatMinor(minor: number): string {
  return (minor / 100).toFixed(2);
}
