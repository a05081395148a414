import { describe, expect, it } from 'vitest';
import { formatBasisPoints, parseAmount, parsePercent } from './money';

describe('percent', () => {
  it.each([['0', 0], ['12.5', 1250], ['12,55', 1255], ['100', 10000], [' 7 ', 700]])('%s → %i bp', (raw, bp) => {
    expect(parsePercent(raw)).toEqual({ ok: true, value: bp });
  });
  it.each([['100.01', 'commission.percent_range'], ['-1', 'commission.percent_range'], ['12.555', 'commission.percent_decimals'],
    ['abc', 'commission.percent_invalid'], ['', 'validation.required'], ['1e2', 'commission.percent_invalid']])('%s is refused: %s', (raw, key) => {
    expect(parsePercent(raw)).toEqual({ ok: false, key });
  });
  it('formats back', () => { expect(formatBasisPoints(1250)).toBe('12.5'); expect(formatBasisPoints(1000)).toBe('10'); });
});

describe('amount', () => {
  it.each([['25', 2500], ['25.5', 2550], ['0.99', 99], ['0', 0]])('%s → %i', (raw, minor) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value: minor });
  });
  it.each([['-5', 'commission.amount_negative'], ['ten', 'commission.amount_invalid'], ['1.234', 'commission.amount_decimals']])('%s is refused', (raw, key) => {
    expect(parseAmount(raw)).toEqual({ ok: false, key });
  });
});
