import { describe, expect, it } from 'vitest';
import { commissionCurrencies, dailyBySource, dailySummary, hasData, MAX_PARTNERS_IN_CHART, noShowRates, perPartner, SOURCE_COLOURS, type DayRow, type PartnerRow } from './chart-data';

const day = (date: string, online = 0, phone = 0, staff = 0, partner = 0): DayRow => ({ date, online, phone, staff, partner });
const label = (s: string) => s.toUpperCase();

describe('bookings per day by source', () => {
  it('one stacked series per source that has bookings, one label per day', () => {
    const data = dailyBySource([day('2026-10-01', 2, 0, 0, 1), day('2026-10-02'), day('2026-10-03', 1, 0, 0, 4)], (d) => d.slice(8), label);
    expect(data.labels).toEqual(['01', '02', '03']);
    expect(data.datasets.map((d) => d.label)).toEqual(['ONLINE', 'PARTNER']);
    expect(data.datasets[1]).toMatchObject({ data: [1, 0, 4], stack: 'sources', backgroundColor: SOURCE_COLOURS.partner });
  });

  it('keeps every source when there is nothing at all, so the empty chart still has its legend', () => {
    const data = dailyBySource([day('2026-10-01')], (d) => d, label);
    expect(data.datasets).toHaveLength(4);
    expect(hasData(data)).toBe(false);
  });

  it('summary: totals per source and the busiest day', () => {
    const s = dailySummary([day('2026-10-01', 2, 1), day('2026-10-02', 0, 0, 3, 3), day('2026-10-03')]);
    expect(s.perSource).toEqual({ online: 2, phone: 1, staff: 3, partner: 3 });
    expect(s.total).toBe(9);
    expect(s.busiest).toEqual({ date: '2026-10-02', count: 6 });
    expect(dailySummary([day('2026-10-01')]).busiest).toBeNull();
  });
});

describe('bookings and commission per partner', () => {
  const partner = (id: number, bookings: number, commission: { amountMinor: number; currency: string }[]): PartnerRow =>
    ({ partnershipId: id, partnerName: `P${id}`, bookings, fulfilled: bookings, noShows: 0, commission });

  it('commission in each currency is its own series on the right axis, never added together', () => {
    const data = perPartner([
      partner(1, 10, [{ amountMinor: 2500, currency: 'RON' }, { amountMinor: 1000, currency: 'EUR' }]),
      partner(2, 4, [{ amountMinor: 1250, currency: 'RON' }]),
    ], { bookings: 'Bookings', commission: (c) => `Commission (${c})` });
    expect(data.labels).toEqual(['P1', 'P2']);
    expect(data.datasets.map((d) => [d.label, d.yAxisID])).toEqual([['Bookings', 'y'], ['Commission (RON)', 'y1'], ['Commission (EUR)', 'y1']]);
    expect(data.datasets[1].data).toEqual([25, 12.5]);
    expect(data.datasets[2].data).toEqual([10, 0]);
  });

  it('the most used currency comes first', () => {
    expect(commissionCurrencies([partner(1, 1, [{ amountMinor: 1, currency: 'EUR' }]), partner(2, 1, [{ amountMinor: 1, currency: 'RON' }]), partner(3, 1, [{ amountMinor: 1, currency: 'RON' }])]))
      .toEqual(['RON', 'EUR']);
  });

  it('draws at most a dozen partners', () => {
    const many = Array.from({ length: 20 }, (_, i) => partner(i + 1, 20 - i, []));
    expect(perPartner(many, { bookings: 'B', commission: (c) => c }).labels).toHaveLength(MAX_PARTNERS_IN_CHART);
  });
});

describe('no-show rate per source', () => {
  it('in percent with one decimal; a source without any outcome has no bar rather than 0 %', () => {
    const data = noShowRates([
      { source: 'online', decided: 3, noShows: 1, rate: 1 / 3 },
      { source: 'phone', decided: 0, noShows: 0, rate: null },
      { source: 'partner', decided: 10, noShows: 0, rate: 0 },
    ], label, 'No-show rate');
    expect(data.labels).toEqual(['ONLINE', 'PHONE', 'PARTNER']);
    expect(data.datasets[0].data).toEqual([33.3, null, 0]);
    expect(data.datasets[0].backgroundColor).toEqual([SOURCE_COLOURS.online, SOURCE_COLOURS.phone, SOURCE_COLOURS.partner]);
  });
});
