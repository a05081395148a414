import { describe, expect, it } from 'vitest';
import {
  csvUrl, hasNarrowingFilters, isDate, nextSort, parseIds, parsePartnerFilters, parseStatisticsFilters, parseSubmittedFilters,
  partnerExportInput, partnerParams, periodProblem, statisticsExportInput, statisticsParams, submittedExportInput, submittedParams,
  type QueryParams, type QueryUpdate,
} from './report-filters';

/** What the address bar holds after setParams(update) on an empty query (undefined: left out). */
const applied = (update: QueryUpdate): QueryParams => Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));

describe('report filters in the address', () => {
  it('the plain page is this month, all bookings, by date ascending, page 1 — and its address has no parameters', () => {
    const f = parseStatisticsFilters({});
    expect(f).toEqual({
      period: { kind: 'thisMonth' }, scope: 'all', locationIds: [], partnershipIds: [], physicianIds: [], serviceIds: [],
      statuses: [], paymentStatuses: [], sort: { by: 'date', dir: 'asc' }, page: 1,
    });
    expect(applied(statisticsParams(f))).toEqual({});
  });

  it('a shared address gives back exactly the same view', () => {
    const params: QueryParams = {
      period: 'custom', from: '2026-10-01', to: '2026-10-31', scope: 'partners', location: '3,1', partner: '7',
      physician: '12', service: '40,41', status: 'fulfilled,noshow', payment: 'paid_at_partner', sort: 'commission', dir: 'desc', page: '3',
    };
    const f = parseStatisticsFilters(params);
    expect(f.period).toEqual({ kind: 'custom', from: '2026-10-01', to: '2026-10-31' });
    expect(f.locationIds).toEqual([3, 1]);
    expect(f.statuses).toEqual(['fulfilled', 'noshow']);
    expect(f.sort).toEqual({ by: 'commission', dir: 'desc' });
    expect(applied(statisticsParams(f))).toEqual(params);
    expect(parseStatisticsFilters(applied(statisticsParams(f)))).toEqual(f);
  });

  it('malformed or foreign values fall back to the defaults instead of failing', () => {
    const f = parseStatisticsFilters({
      period: 'nextYear', scope: 'everything', location: '1,abc,-2,0,1,99999999999', status: 'booked,deleted', payment: 'free',
      sort: 'drop table', dir: 'sideways', page: '-4',
    });
    expect(f.period).toEqual({ kind: 'thisMonth' });
    expect(f.scope).toBe('all');
    expect(f.locationIds).toEqual([1]);
    expect(f.statuses).toEqual(['booked']);
    expect(f.paymentStatuses).toEqual([]);
    expect(f.sort).toEqual({ by: 'date', dir: 'asc' });
    expect(f.page).toBe(1);
  });

  it('a repeated parameter counts as a list', () => {
    expect(parseIds(['4', '5,6'])).toEqual([4, 5, 6]);
  });

  it('switching away from custom dates removes them from the address', () => {
    const custom = parseStatisticsFilters({ period: 'custom', from: '2026-01-01', to: '2026-01-31' });
    const update = statisticsParams({ ...custom, period: { kind: 'lastMonth' } });
    expect(update).toMatchObject({ period: 'lastMonth', from: undefined, to: undefined });
  });

  it('each page keeps only its own sort columns', () => {
    expect(parseSubmittedFilters({ sort: 'bookedAt', dir: 'desc' }).sort).toEqual({ by: 'bookedAt', dir: 'desc' });
    expect(parseStatisticsFilters({ sort: 'bookedAt' }).sort).toEqual({ by: 'date', dir: 'asc' });
    expect(parsePartnerFilters({ sort: 'institution' }).sort).toEqual({ by: 'institution', dir: 'asc' });
    expect(parsePartnerFilters({ sort: 'patient' }).sort).toEqual({ by: 'date', dir: 'asc' });
  });

  it('partner side: one institution or all, round trip', () => {
    const f = parsePartnerFilters({ institution: '2', period: 'lastMonth', status: 'cancelled' });
    expect(f).toMatchObject({ institutionId: 2, period: { kind: 'lastMonth' }, statuses: ['cancelled'] });
    expect(parsePartnerFilters(applied(partnerParams(f)))).toEqual(f);
    expect(parsePartnerFilters({}).institutionId).toBeNull();
    expect(partnerExportInput(parsePartnerFilters({}))).toEqual({ institutionId: undefined, period: { kind: 'thisMonth' }, statuses: undefined, sort: { by: 'date', dir: 'asc' } });
  });

  it('submitted page: round trip', () => {
    const f = parseSubmittedFilters({ partner: '3,4', status: 'booked', page: '2', period: 'lastMonth' });
    expect(parseSubmittedFilters(applied(submittedParams(f)))).toEqual(f);
  });
});

describe('custom period checks (the same rule as the server)', () => {
  it('accepts real dates only', () => {
    expect(isDate('2026-02-28')).toBe(true);
    expect(isDate('2026-02-30')).toBe(false);
    expect(isDate('2026-2-3')).toBe(false);
  });
  it('names the field and the reason', () => {
    expect(periodProblem({ kind: 'thisMonth' })).toBeNull();
    expect(periodProblem({ kind: 'custom', from: '', to: '2026-01-01' })).toEqual({ field: 'from', key: 'statistics.date_invalid' });
    expect(periodProblem({ kind: 'custom', from: '2026-01-10', to: '2026-01-09' })).toEqual({ field: 'to', key: 'statistics.period_end_before_start' });
    expect(periodProblem({ kind: 'custom', from: '2026-01-10', to: '2026-01-10' })).toBeNull();
    // 366 days (a leap year) is the longest period; 367 is too long.
    expect(periodProblem({ kind: 'custom', from: '2024-01-01', to: '2024-12-31' })).toBeNull();
    expect(periodProblem({ kind: 'custom', from: '2024-01-01', to: '2025-01-01' })).toEqual({ field: 'to', key: 'statistics.period_too_long' });
  });
});

describe('sorting and exports', () => {
  it('the same header flips the direction; another header starts ascending', () => {
    expect(nextSort({ by: 'date', dir: 'asc' }, 'date')).toEqual({ by: 'date', dir: 'desc' });
    expect(nextSort({ by: 'date', dir: 'desc' }, 'date')).toEqual({ by: 'date', dir: 'asc' });
    expect(nextSort({ by: 'date', dir: 'desc' }, 'price')).toEqual({ by: 'price', dir: 'asc' });
  });

  it('the CSV gets exactly the filters and sort of the page, without paging, empty lists left out', () => {
    const f = parseStatisticsFilters({ scope: 'partners', partner: '9', sort: 'price', dir: 'desc', page: '4' });
    const input = statisticsExportInput(f);
    expect(input).toEqual({
      period: { kind: 'thisMonth' }, scope: 'partners', locationIds: undefined, partnershipIds: [9], physicianIds: undefined,
      serviceIds: undefined, statuses: undefined, paymentStatuses: undefined, sort: { by: 'price', dir: 'desc' },
    });
    const url = new URL(csvUrl('/exports/statistics.csv', input, 'ro'), 'http://x');
    expect(url.pathname).toBe('/exports/statistics.csv');
    expect(url.searchParams.get('lang')).toBe('ro');
    expect(JSON.parse(url.searchParams.get('input')!)).toEqual(JSON.parse(JSON.stringify(input)));
  });

  it("the submitted page's CSV is 'Sent by partners'; a sort the export does not know becomes the date", () => {
    const input = submittedExportInput(parseSubmittedFilters({ partner: '2', sort: 'bookedAt' }));
    expect(input).toMatchObject({ scope: 'partners', partnershipIds: [2], sort: { by: 'date', dir: 'asc' } });
    expect(submittedExportInput(parseSubmittedFilters({ sort: 'patient', dir: 'desc' })).sort).toEqual({ by: 'patient', dir: 'desc' });
  });

  it('knows when filters narrow the rows', () => {
    expect(hasNarrowingFilters(parseStatisticsFilters({ period: 'lastMonth' }))).toBe(false);
    expect(hasNarrowingFilters(parseStatisticsFilters({ scope: 'partners' }))).toBe(true);
    expect(hasNarrowingFilters(parseStatisticsFilters({ status: 'noshow' }))).toBe(true);
  });
});
