/**
 * Chart data of "Reports / Statistics", shaped from the server's chart aggregates (statistics.institution → charts):
 * what Chart.js draws and the same figures as text (the charts' accessible alternative). Pure: words come in as
 * functions so that the shaping does not depend on the UI language.
 */

export const SOURCE_KINDS = ['online', 'phone', 'staff', 'partner'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** One colour per booking source; partners in red, as in the product documentation. Each passes 3:1 on white. */
export const SOURCE_COLOURS: Record<SourceKind, string> = {
  online: '#0b5cad', phone: '#1e6b3a', staff: '#9a6700', partner: '#b42318',
};
export const BOOKINGS_COLOUR = '#0b5cad';
export const COMMISSION_COLOURS = ['#6941c6', '#b54708', '#0e7090'];

export type DayRow = { date: string } & Record<SourceKind, number>;
export interface Money { amountMinor: number; currency: string }
export interface PartnerRow { partnershipId: number; partnerName: string; bookings: number; fulfilled: number; noShows: number; commission: Money[] }
export interface NoShowRow { source: SourceKind; decided: number; noShows: number; rate: number | null }

export interface BarDataset {
  label: string;
  data: (number | null)[];
  backgroundColor: string | string[];
  stack?: string;
  yAxisID?: string;
}
export interface BarData { labels: string[]; datasets: BarDataset[] }

/** Minor units as a number in major units for an axis (2 minor digits, as the client's money format). */
export const majorUnits = (minor: number) => minor / 100;

/**
 * Bookings per day, one stacked series per source. Sources without a single booking in the period are left out (no
 * empty legend entries); when there are no bookings at all, every source stays so the empty chart still explains itself.
 */
export function dailyBySource(days: DayRow[], dayLabel: (date: string) => string, sourceLabel: (s: SourceKind) => string): BarData {
  const used = SOURCE_KINDS.filter((s) => days.some((d) => d[s] > 0));
  const sources = used.length ? used : [...SOURCE_KINDS];
  return {
    labels: days.map((d) => dayLabel(d.date)),
    datasets: sources.map((s) => ({ label: sourceLabel(s), data: days.map((d) => d[s]), backgroundColor: SOURCE_COLOURS[s], stack: 'sources' })),
  };
}

/** Totals per source over the period and the busiest day: the one-sentence summary of the daily chart. */
export function dailySummary(days: DayRow[]): { perSource: Record<SourceKind, number>; total: number; busiest: { date: string; count: number } | null } {
  const perSource = { online: 0, phone: 0, staff: 0, partner: 0 };
  let busiest: { date: string; count: number } | null = null;
  for (const d of days) {
    let n = 0;
    for (const s of SOURCE_KINDS) { perSource[s] += d[s]; n += d[s]; }
    if (n > 0 && (!busiest || n > busiest.count)) busiest = { date: d.date, count: n };
  }
  return { perSource, total: SOURCE_KINDS.reduce((n, s) => n + perSource[s], 0), busiest };
}

/** The currencies of the partners' commissions, most used first (each drawn as its own series: never added up). */
export function commissionCurrencies(partners: PartnerRow[]): string[] {
  const count = new Map<string, number>();
  for (const p of partners) for (const m of p.commission) count.set(m.currency, (count.get(m.currency) ?? 0) + 1);
  return [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
}

export const MAX_PARTNERS_IN_CHART = 12;

/**
 * Bookings and commission per partner: bookings on the left axis, commission (one series per currency) on the right.
 * The busiest partners first, at most MAX_PARTNERS_IN_CHART bars (the text alternative lists every partner).
 */
export function perPartner(partners: PartnerRow[], labels: { bookings: string; commission: (currency: string) => string }): BarData {
  const shown = partners.slice(0, MAX_PARTNERS_IN_CHART);
  const currencies = commissionCurrencies(shown);
  return {
    labels: shown.map((p) => p.partnerName),
    datasets: [
      { label: labels.bookings, data: shown.map((p) => p.bookings), backgroundColor: BOOKINGS_COLOUR, yAxisID: 'y' },
      ...currencies.map((c, i) => ({
        label: labels.commission(c), yAxisID: 'y1', backgroundColor: COMMISSION_COLOURS[i % COMMISSION_COLOURS.length],
        data: shown.map((p) => majorUnits(p.commission.find((m) => m.currency === c)?.amountMinor ?? 0)),
      })),
    ],
  };
}

/** No-show rate per source in %, one decimal; a source with no decided booking has no bar (null), not 0 %. */
export function noShowRates(rows: NoShowRow[], sourceLabel: (s: SourceKind) => string, label: string): BarData {
  return {
    labels: rows.map((r) => sourceLabel(r.source)),
    datasets: [{
      label,
      data: rows.map((r) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10)),
      backgroundColor: rows.map((r) => SOURCE_COLOURS[r.source]),
    }],
  };
}

/** Whether a chart has anything to draw. */
export function hasData(data: BarData): boolean {
  return data.datasets.some((d) => d.data.some((v) => v !== null && v !== 0));
}
