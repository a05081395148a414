/**
 * Commission maths as properties (fast-check): integer half-away-from-zero division, percent and fixed rules, only
 * fulfilled bookings earning, currencies with 0, 2 and 3 minor digits, per-currency totals that equal the sum of their
 * lines (negative adjustments included) and the netting of a statement. The SQL twin is checked against these on the
 * same rows in server/settlement.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  commissionOf, divideRoundHalfAwayFromZero, formatMoney, minorDigits, totalsByCurrency, type CommissionSnapshot,
} from './commission';
import { lineAmounts, statementTotals } from '../settlement/amounts';

const CURRENCIES = ['RON', 'EUR', 'JPY', 'KWD'] as const;
const currency = fc.constantFrom(...CURRENCIES);
const bigintRange = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

const abs = (x: bigint) => (x < 0n ? -x : x);

describe('divideRoundHalfAwayFromZero', () => {
  it('is the nearest integer, ties away from zero', () => {
    fc.assert(fc.property(bigintRange, fc.bigInt({ min: 1n, max: 10n ** 6n }), (a, b) => {
      const q = divideRoundHalfAwayFromZero(a, b);
      const error = abs(a - q * b) * 2n; // 2·|a/b − q|·b
      expect(error <= b).toBe(true);
      if (error === b) expect(abs(q) * b > abs(a)).toBe(true); // an exact half goes away from zero
    }));
  });

  it('is odd: f(−a) = −f(a)', () => {
    fc.assert(fc.property(bigintRange, fc.bigInt({ min: 1n, max: 10n ** 6n }), (a, b) => {
      expect(divideRoundHalfAwayFromZero(-a, b)).toBe(-divideRoundHalfAwayFromZero(a, b));
    }));
  });

  it('rounds x.5 minor units away from zero, both signs', () => {
    expect(divideRoundHalfAwayFromZero(5n, 10n)).toBe(1n);
    expect(divideRoundHalfAwayFromZero(15n, 10n)).toBe(2n);
    expect(divideRoundHalfAwayFromZero(25n, 10n)).toBe(3n); // not banker's rounding (which gives 2)
    expect(divideRoundHalfAwayFromZero(-5n, 10n)).toBe(-1n);
    expect(divideRoundHalfAwayFromZero(-25n, 10n)).toBe(-3n);
    expect(divideRoundHalfAwayFromZero(4n, 10n)).toBe(0n);
    expect(divideRoundHalfAwayFromZero(-4n, 10n)).toBe(0n);
    expect(divideRoundHalfAwayFromZero(0n, 7n)).toBe(0n);
    expect(() => divideRoundHalfAwayFromZero(1n, 0n)).toThrow(RangeError);
  });
});

const snapshot = fc.record({
  status: fc.constantFrom('fulfilled', 'cancelled', 'noshow', 'booked', 'arrived'),
  priceMinor: fc.integer({ min: 0, max: 100_000_000 }),
  currency,
  commissionType: fc.constantFrom('none', 'percent', 'fixed') as fc.Arbitrary<CommissionSnapshot['commissionType']>,
  commissionValue: fc.integer({ min: 0, max: 10_000 }),
  commissionCurrency: fc.option(currency, { nil: null }),
});

describe('commissionOf', () => {
  it('percent: price × basis points / 10 000, half away from zero, in the booking currency, between 0 and the price', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: 0, max: 10_000 }), currency, (price, bp, cur) => {
      const c = commissionOf({ status: 'fulfilled', priceMinor: price, currency: cur, commissionType: 'percent', commissionValue: bp, commissionCurrency: null });
      expect(c.currency).toBe(cur);
      expect(c.amountMinor).toBe(Number(divideRoundHalfAwayFromZero(BigInt(price) * BigInt(bp), 10_000n)));
      expect(Number.isInteger(c.amountMinor)).toBe(true);
      expect(c.amountMinor).toBeGreaterThanOrEqual(0);
      expect(c.amountMinor).toBeLessThanOrEqual(price);
      // Within half a minor unit of the exact value.
      expect(Math.abs(c.amountMinor * 10_000 - price * bp)).toBeLessThanOrEqual(5_000);
    }));
  });

  it('percent edges: exact halves of a minor unit round up; whole units of 0-digit currencies', () => {
    const pct = (priceMinor: number, bp: number, cur = 'RON') => commissionOf({ status: 'fulfilled', priceMinor, currency: cur, commissionType: 'percent', commissionValue: bp, commissionCurrency: null }).amountMinor;
    expect(pct(1, 5_000)).toBe(1); // 0.5 → 1
    expect(pct(3, 5_000)).toBe(2); // 1.5 → 2
    expect(pct(5, 1_000)).toBe(1); // 0.5 → 1
    expect(pct(333, 1_250)).toBe(42); // 41.625 → 42
    expect(pct(1_004, 1_250)).toBe(126); // 125.5 → 126
    expect(pct(1_003, 1_250)).toBe(125); // 125.375 → 125
    expect(pct(1_999, 1_000, 'JPY')).toBe(200); // 199.9 yen → 200 yen (JPY has no minor unit)
    expect(pct(1_005, 1_000, 'JPY')).toBe(101); // 100.5 → 101
    expect(pct(10_000, 10_000)).toBe(10_000); // 100 %
  });

  it('fixed: the fixed amount in its own currency (or the booking\'s when none is given)', () => {
    fc.assert(fc.property(snapshot, (s) => {
      const c = commissionOf({ ...s, status: 'fulfilled', commissionType: 'fixed' });
      expect(c).toEqual({ amountMinor: s.commissionValue, currency: s.commissionCurrency ?? s.currency });
    }));
  });

  it('only fulfilled bookings earn; none earns nothing', () => {
    fc.assert(fc.property(snapshot, (s) => {
      const c = commissionOf(s);
      if (s.status !== 'fulfilled' || s.commissionType === 'none') expect(c.amountMinor).toBe(0);
    }));
  });
});

describe('money formatting and minor digits', () => {
  it('uses the currency\'s own number of minor digits', () => {
    expect(minorDigits('RON')).toBe(2);
    expect(minorDigits('jpy')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(formatMoney(123_456, 'RON')).toBe('1234.56 RON');
    expect(formatMoney(123_456, 'RON', 'ro')).toBe('1234,56 RON');
    expect(formatMoney(1_234, 'JPY')).toBe('1234 JPY');
    expect(formatMoney(1_234, 'KWD')).toBe('1.234 KWD');
    expect(formatMoney(-5, 'EUR')).toBe('−0.05 EUR');
    expect(formatMoney(0, 'EUR')).toBe('0.00 EUR');
  });
});

const line = fc.record({
  currency, commissionCurrency: currency,
  commissionMinor: fc.integer({ min: -1_000_000, max: 1_000_000 }), // adjustments are negative
  institutionOwesMinor: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  partnerOwesMinor: fc.integer({ min: -1_000_000, max: 1_000_000 }),
});

describe('totals and netting', () => {
  it('totalsByCurrency: each currency\'s total is the sum of its items, never mixed with another currency', () => {
    fc.assert(fc.property(fc.array(fc.record({ amountMinor: fc.integer({ min: -1e6, max: 1e6 }), currency })), (items) => {
      const totals = totalsByCurrency(items);
      expect(Object.keys(totals).sort()).toEqual([...new Set(items.map((i) => i.currency))].sort());
      for (const [cur, total] of Object.entries(totals)) {
        expect(total).toBe(items.filter((i) => i.currency === cur).reduce((s, i) => s + i.amountMinor, 0));
      }
    }));
  });

  it('statement totals: sum of lines per currency, net = partner owes − institution owes, direction and absolute value agree', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
      const totals = statementTotals(lines);
      expect(totals.map((t) => t.currency)).toEqual([...new Set(lines.flatMap((l) => [l.currency, l.commissionCurrency]))].sort());
      for (const t of totals) {
        const inCommission = lines.filter((l) => l.commissionCurrency === t.currency);
        const inPrice = lines.filter((l) => l.currency === t.currency);
        expect(t.commissionMinor).toBe(inCommission.reduce((s, l) => s + l.commissionMinor, 0));
        expect(t.institutionOwesMinor).toBe(inCommission.reduce((s, l) => s + l.institutionOwesMinor, 0));
        expect(t.partnerOwesMinor).toBe(inPrice.reduce((s, l) => s + l.partnerOwesMinor, 0));
        expect(t.netMinor).toBe(t.partnerOwesMinor - t.institutionOwesMinor);
        expect(t.netAbsMinor).toBe(Math.abs(t.netMinor));
        expect(t.direction).toBe(t.netMinor > 0 ? 'partner_pays_institution' : t.netMinor < 0 ? 'institution_pays_partner' : null);
      }
    }));
  });

  it('statement totals do not depend on the order of the lines, and a statement split in two adds up', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 0, max: 40 }), (lines, cut) => {
      const whole = statementTotals(lines);
      expect(statementTotals([...lines].reverse())).toEqual(whole);
      const a = statementTotals(lines.slice(0, cut));
      const b = statementTotals(lines.slice(cut));
      for (const t of whole) {
        const sum = (k: 'commissionMinor' | 'netMinor') => (a.find((x) => x.currency === t.currency)?.[k] ?? 0) + (b.find((x) => x.currency === t.currency)?.[k] ?? 0);
        expect(sum('commissionMinor')).toBe(t.commissionMinor);
        expect(sum('netMinor')).toBe(t.netMinor);
      }
    }));
  });

  it('a line: paid at the institution → the institution owes the commission; paid at the partner → the partner owes price − commission', () => {
    fc.assert(fc.property(snapshot, fc.constantFrom<'institution' | 'partner'>('institution', 'partner'), (s, location) => {
      const b = { ...s, status: 'fulfilled', paymentLocation: location };
      const l = lineAmounts(b);
      const c = commissionOf(b);
      expect(l.commissionMinor).toBe(c.amountMinor);
      expect(l.commissionCurrency).toBe(c.currency);
      if (location === 'institution') {
        expect([l.institutionOwesMinor, l.partnerOwesMinor]).toEqual([c.amountMinor, 0]);
      } else if (c.currency === s.currency) {
        expect([l.institutionOwesMinor, l.partnerOwesMinor]).toEqual([0, s.priceMinor - c.amountMinor]);
      } else {
        // A fixed commission in another currency cannot be subtracted: both sides owe, each in its own currency.
        expect([l.institutionOwesMinor, l.partnerOwesMinor]).toEqual([c.amountMinor, s.priceMinor]);
      }
      // Whatever the location, what the institution ends up with is price − commission (per currency).
      const t = statementTotals([{ currency: s.currency, ...l }]);
      const price = location === 'institution' ? s.priceMinor : 0; // what the institution collected itself
      const got = (cur: string) => (cur === s.currency ? price : 0) + (t.find((x) => x.currency === cur)?.netMinor ?? 0);
      expect(got(s.currency)).toBe(s.priceMinor - (c.currency === s.currency ? c.amountMinor : 0));
      if (c.currency !== s.currency) expect(got(c.currency) + c.amountMinor).toBe(0);
    }));
  });

  it('bookings that do not earn settle nothing', () => {
    fc.assert(fc.property(snapshot, fc.constantFrom<'institution' | 'partner' | null>('institution', 'partner', null), (s, location) => {
      fc.pre(s.status !== 'fulfilled');
      const l = lineAmounts({ ...s, paymentLocation: location });
      expect([l.commissionMinor, l.institutionOwesMinor, l.partnerOwesMinor]).toEqual([0, 0, 0]);
    }));
  });
});
