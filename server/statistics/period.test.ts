import { describe, expect, it } from 'vitest';
import { customPeriodProblem, offsetSegments, periodDates, resolvePeriod } from './period';
import { partnerStatisticsInput, statisticsInput, SORT_COLUMNS } from './schemas';
import { decimalOf, neutraliseCell } from './csv';

const TZ = 'Europe/Bucharest';

describe('statistics periods', () => {
  it('this month and last month are calendar months in the institution time zone', () => {
    // 31 Jan 2026 23:30 UTC is already 1 February in Bucharest.
    const now = new Date('2026-01-31T23:30:00Z');
    expect(periodDates({ kind: 'thisMonth' }, TZ, now)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodDates({ kind: 'lastMonth' }, TZ, now)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(periodDates({ kind: 'thisMonth' }, 'UTC', now)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(periodDates({ kind: 'lastMonth' }, TZ, new Date('2026-03-15T10:00:00Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodDates({ kind: 'lastMonth' }, TZ, new Date('2026-01-10T10:00:00Z'))).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });

  it('turns local dates into UTC bounds across a daylight-saving change', () => {
    const p = resolvePeriod({ kind: 'custom', from: '2026-03-01', to: '2026-03-31' }, TZ);
    expect(p.startsAt.toISOString()).toBe('2026-02-28T22:00:00.000Z'); // EET, UTC+2
    expect(p.endsBefore.toISOString()).toBe('2026-03-31T21:00:00.000Z'); // EEST, UTC+3
  });

  it('splits a period into offset segments at the transitions', () => {
    const p = resolvePeriod({ kind: 'custom', from: '2026-03-01', to: '2026-03-31' }, TZ);
    expect(offsetSegments(p.startsAt, p.endsBefore, TZ)).toEqual([
      { until: new Date('2026-03-29T01:00:00Z'), offsetMinutes: 120 }, { until: null, offsetMinutes: 180 },
    ]);
    const june = resolvePeriod({ kind: 'custom', from: '2026-06-01', to: '2026-06-30' }, TZ);
    expect(offsetSegments(june.startsAt, june.endsBefore, TZ)).toEqual([{ until: null, offsetMinutes: 180 }]);
    const year = resolvePeriod({ kind: 'custom', from: '2026-01-01', to: '2026-12-31' }, TZ);
    expect(offsetSegments(year.startsAt, year.endsBefore, TZ).map((s) => s.offsetMinutes)).toEqual([120, 180, 120]);
  });

  it('rejects bad custom periods with the field at fault', () => {
    expect(customPeriodProblem('2026-02-30', '2026-03-01')).toEqual({ field: 'from', key: 'statistics.date_invalid' });
    expect(customPeriodProblem('2026-03-01', '1.4.2026')).toEqual({ field: 'to', key: 'statistics.date_invalid' });
    expect(customPeriodProblem('2026-03-02', '2026-03-01')).toEqual({ field: 'to', key: 'statistics.period_end_before_start' });
    expect(customPeriodProblem('2024-01-01', '2024-12-31')).toBeNull(); // 366 days (leap year)
    expect(customPeriodProblem('2025-01-01', '2026-01-01')).toBeNull(); // 366 days
    expect(customPeriodProblem('2025-01-01', '2026-01-02')).toEqual({ field: 'to', key: 'statistics.period_too_long' });
    expect(customPeriodProblem('2026-03-01', '2026-03-01')).toBeNull();
  });
});

describe('statistics input', () => {
  const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    r.error?.issues.map((i) => `${i.path.join('.')}:${i.message}`);

  it('accepts the whitelisted sort columns only', () => {
    for (const by of SORT_COLUMNS) expect(statisticsInput.safeParse({ period: { kind: 'thisMonth' }, sort: { by, dir: 'desc' } }).success).toBe(true);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'thisMonth' }, sort: { by: 'b.id; DROP TABLE bookings', dir: 'asc' } }))).toEqual(['sort.by:statistics.sort_invalid']);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'thisMonth' }, sort: { by: 'patient', dir: 'sideways' } }))).toEqual(['sort.dir:statistics.sort_invalid']);
    // The partner side has no patient column to sort by.
    expect(partnerStatisticsInput.safeParse({ period: { kind: 'thisMonth' }, sort: { by: 'patient' } }).success).toBe(false);
  });

  it('defaults and bounds paging', () => {
    const ok = statisticsInput.parse({ period: { kind: 'lastMonth' } });
    expect(ok).toMatchObject({ page: 1, pageSize: 25, scope: 'all', sort: { by: 'date', dir: 'asc' } });
    expect(issues(statisticsInput.safeParse({ period: { kind: 'lastMonth' }, pageSize: 101 }))).toEqual(['pageSize:statistics.page_size_invalid']);
    // Pages start within the first 10,000 rows: 400 pages of 25, 100 pages of 100.
    expect(statisticsInput.safeParse({ period: { kind: 'lastMonth' }, page: 400, pageSize: 25 }).success).toBe(true);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'lastMonth' }, page: 401, pageSize: 25 }))).toEqual(['page:statistics.page_too_deep']);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'lastMonth' }, page: 101, pageSize: 100 }))).toEqual(['page:statistics.page_too_deep']);
  });

  it('reports custom period problems on period.from / period.to', () => {
    expect(issues(statisticsInput.safeParse({ period: { kind: 'custom', from: '2026-05-01', to: '2026-04-01' } }))).toEqual(['period.to:statistics.period_end_before_start']);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'custom', from: '2024-01-01', to: '2025-06-01' } }))).toEqual(['period.to:statistics.period_too_long']);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'custom', from: 'yesterday', to: '2025-06-01' } }))).toEqual(['period.from:statistics.date_invalid']);
    expect(issues(statisticsInput.safeParse({ period: { kind: 'forever' } }))).toEqual(['period.kind:statistics.period_invalid']);
  });
});

describe('CSV cells', () => {
  it('neutralises spreadsheet formulas', () => {
    for (const bad of ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseCell(bad)).toBe(`'${bad}`);
    expect(neutraliseCell('Popescu Ion')).toBe('Popescu Ion');
    expect(neutraliseCell('a=b')).toBe('a=b');
  });

  it('writes money with the currency digits', () => {
    expect(decimalOf(25050, 'RON')).toBe('250.50');
    expect(decimalOf(5, 'EUR')).toBe('0.05');
    expect(decimalOf(1500, 'JPY')).toBe('1500');
    expect(decimalOf(-1234, 'KWD')).toBe('-1.234');
  });
});

describe('localClock', () => {
  it('agrees with Temporal on every hour of a month with a daylight-saving change, in two zones', async () => {
    const { localClock } = await import('./period');
    const { instantToLocal } = await import('../domain/zoned-time');
    const p = resolvePeriod({ kind: 'custom', from: '2026-10-01', to: '2026-10-31' }, TZ);
    const clock = localClock(p.startsAt, p.endsBefore);
    for (let t = p.startsAt.getTime() - 3_600_000; t < p.endsBefore.getTime() + 3_600_000; t += 17 * 60_000) {
      for (const zone of [TZ, 'America/New_York']) {
        const expected = instantToLocal(new Date(t), zone);
        expect(clock(new Date(t), zone)).toEqual({ date: expected.date, time: expected.time });
      }
    }
  });
});
