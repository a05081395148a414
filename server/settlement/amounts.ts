/**
 * What one settlement line means in money, and the netting of a statement — the TypeScript twin of the SQL in
 * settle.ts (a test checks both on the same rows). Commission comes from domain/commission.ts (the one implementation).
 *
 * - Paid at the institution: the institution collected the price and owes the partner the commission.
 * - Paid at the partner: the partner collected the price and owes the institution price − commission. When a fixed
 *   commission is in another currency than the price, the two cannot be subtracted: the partner owes the full price
 *   (in the price's currency) and the institution owes the commission (in its own currency); netting stays per currency.
 */
import { commissionOf, type CommissionSnapshot } from '../domain/commission';

export type PaymentLocation = 'institution' | 'partner';

export interface LineAmounts {
  commissionMinor: number;
  commissionCurrency: string;
  /** In commissionCurrency. */
  institutionOwesMinor: number;
  /** In the booking's currency. */
  partnerOwesMinor: number;
}

export function lineAmounts(b: CommissionSnapshot & { paymentLocation: PaymentLocation | null }): LineAmounts {
  const c = commissionOf(b);
  const location = b.paymentLocation ?? 'institution';
  const earns = b.status === 'fulfilled';
  if (!earns) return { commissionMinor: 0, commissionCurrency: c.currency, institutionOwesMinor: 0, partnerOwesMinor: 0 };
  if (location === 'institution') return { commissionMinor: c.amountMinor, commissionCurrency: c.currency, institutionOwesMinor: c.amountMinor, partnerOwesMinor: 0 };
  if (c.currency === b.currency) {
    return { commissionMinor: c.amountMinor, commissionCurrency: c.currency, institutionOwesMinor: 0, partnerOwesMinor: b.priceMinor - c.amountMinor };
  }
  return { commissionMinor: c.amountMinor, commissionCurrency: c.currency, institutionOwesMinor: c.amountMinor, partnerOwesMinor: b.priceMinor };
}

export interface CurrencyTotals {
  currency: string;
  /** Sum of commissions in this currency. */
  commissionMinor: number;
  institutionOwesMinor: number;
  partnerOwesMinor: number;
  /** partnerOwes − institutionOwes: > 0 the partner pays the institution, < 0 the institution pays the partner. */
  netMinor: number;
  /** Who pays the net amount (null when it is zero). */
  direction: 'partner_pays_institution' | 'institution_pays_partner' | null;
  /** The absolute net amount, always ≥ 0, paid in `direction`. */
  netAbsMinor: number;
}

/** Totals per currency of a statement's lines (booking and adjustment lines alike; adjustments are signed). */
export function statementTotals(lines: { currency: string; commissionCurrency: string; commissionMinor: number; institutionOwesMinor: number; partnerOwesMinor: number }[]): CurrencyTotals[] {
  const by = new Map<string, { commissionMinor: number; institutionOwesMinor: number; partnerOwesMinor: number }>();
  const get = (cur: string) => {
    let t = by.get(cur);
    if (!t) by.set(cur, t = { commissionMinor: 0, institutionOwesMinor: 0, partnerOwesMinor: 0 });
    return t;
  };
  for (const l of lines) {
    get(l.commissionCurrency).commissionMinor += l.commissionMinor;
    get(l.commissionCurrency).institutionOwesMinor += l.institutionOwesMinor;
    get(l.currency).partnerOwesMinor += l.partnerOwesMinor;
  }
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, t]) => net(currency, t));
}

export function net(currency: string, t: { commissionMinor: number; institutionOwesMinor: number; partnerOwesMinor: number }): CurrencyTotals {
  const netMinor = t.partnerOwesMinor - t.institutionOwesMinor;
  return {
    currency, ...t, netMinor, netAbsMinor: Math.abs(netMinor),
    direction: netMinor > 0 ? 'partner_pays_institution' : netMinor < 0 ? 'institution_pays_partner' : null,
  };
}
