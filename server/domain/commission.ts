/**
 * Commission maths in integers only — the one implementation used by statistics, settlement and their SQL.
 * Percent: price × basis points / 10 000, rounded half away from zero to the currency's minor unit; fixed: the fixed
 * amount in its own currency; none: nothing. Only `fulfilled` bookings earn commission. The rule, its currency and the
 * payment location always come from the booking's snapshot, never from the partnership as it is now.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { MySqlColumn } from 'drizzle-orm/mysql-core';

/** Number of minor digits per ISO currency (ISO 4217); 2 unless listed. */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** a / b rounded half away from zero, for integers (b > 0), without floating point. */
export function divideRoundHalfAwayFromZero(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('divisor must be positive');
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const q = abs / b;
  const r = abs % b;
  const rounded = r * 2n >= b ? q + 1n : q;
  return negative ? -rounded : rounded;
}

export type CommissionType = 'none' | 'percent' | 'fixed';

export interface CommissionSnapshot {
  status: string;
  priceMinor: number;
  currency: string;
  commissionType: CommissionType;
  /** Basis points (percent) or minor units of commissionCurrency (fixed). */
  commissionValue: number;
  commissionCurrency: string | null;
}

export interface Commission { amountMinor: number; currency: string }

/** The commission a booking earns, in its currency; zero (in the booking's currency) unless fulfilled. */
export function commissionOf(b: CommissionSnapshot): Commission {
  if (b.status !== 'fulfilled' || b.commissionType === 'none') return { amountMinor: 0, currency: b.commissionCurrency ?? b.currency };
  if (b.commissionType === 'fixed') return { amountMinor: b.commissionValue, currency: b.commissionCurrency ?? b.currency };
  const amount = divideRoundHalfAwayFromZero(BigInt(b.priceMinor) * BigInt(b.commissionValue), 10_000n);
  return { amountMinor: Number(amount), currency: b.currency };
}

/**
 * The same rule as SQL, for set-based statistics and settlement. MySQL/MariaDB evaluate `price * bp / 10000` as an
 * exact DECIMAL and ROUND() on exact values rounds half away from zero, so this agrees with commissionOf() (a test
 * checks both on the same rows). Returns minor units as a signed integer.
 */
export function commissionSql(b: {
  status: MySqlColumn; priceMinor: MySqlColumn; commissionType: MySqlColumn; commissionValue: MySqlColumn;
}): SQL<number> {
  return sql<number>`(CASE WHEN ${b.status} <> 'fulfilled' THEN 0
    WHEN ${b.commissionType} = 'fixed' THEN ${b.commissionValue}
    WHEN ${b.commissionType} = 'percent' THEN CAST(ROUND(${b.priceMinor} * ${b.commissionValue} / 10000) AS SIGNED)
    ELSE 0 END)`;
}

/** SQL: the currency the commission is in (the fixed amount's own currency, else the booking's). */
export function commissionCurrencySql(b: { commissionType: MySqlColumn; commissionCurrency: MySqlColumn; currency: MySqlColumn }): SQL<string> {
  return sql<string>`(CASE WHEN ${b.commissionType} = 'fixed' THEN COALESCE(${b.commissionCurrency}, ${b.currency}) ELSE ${b.currency} END)`;
}

/** Formats minor units with the currency's own number of minor digits ("1234.5 RON" never; "12.35 RON"). */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const unit = 10n ** BigInt(digits);
  const whole = (abs / unit).toString();
  const frac = digits ? (abs % unit).toString().padStart(digits, '0') : '';
  const sep = locale === 'ro' ? ',' : '.';
  return `${negative ? '−' : ''}${whole}${digits ? sep + frac : ''} ${currency}`;
}

/** Adds amounts per currency, never across currencies. */
export function totalsByCurrency(items: { amountMinor: number; currency: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i.currency] = (out[i.currency] ?? 0) + i.amountMinor;
  return out;
}
