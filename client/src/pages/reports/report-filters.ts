/**
 * The filters of the report pages as they live in the address bar (?period=&from=&to=&scope=&location=…&sort=&dir=
 * &page=), so that a view can be shared, bookmarked and reloaded. Pure functions: query parameters → filters (anything
 * unknown or malformed falls back to the default, never an error page) and filters → query parameters (defaults are
 * left out, so the plain page has a plain address) and filters → the input of the statistics procedures and CSV routes.
 */

export const BOOKING_STATUS_VALUES = ['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow'] as const;
export const PAYMENT_STATUS_VALUES = ['payment_upon_examination', 'paid_on_site', 'paid_by_transfer', 'paid_at_partner', 'not_paid'] as const;
export type BookingStatusValue = (typeof BOOKING_STATUS_VALUES)[number];
export type PaymentStatusValue = (typeof PAYMENT_STATUS_VALUES)[number];

/** The sortable columns of each page (the server's whitelists, server/statistics/schemas.ts). */
export const STATISTICS_SORTS = ['date', 'location', 'physician', 'service', 'patient', 'status', 'paymentStatus', 'source', 'price', 'commission'] as const;
export const SUBMITTED_SORTS = [...STATISTICS_SORTS, 'partner', 'bookedAt'] as const;
export const PARTNER_SORTS = ['date', 'institution', 'location', 'physician', 'service', 'status', 'paymentStatus', 'price', 'commission'] as const;

export type PeriodKind = 'thisMonth' | 'lastMonth' | 'custom';
export type PeriodFilter = { kind: 'thisMonth' } | { kind: 'lastMonth' } | { kind: 'custom'; from: string; to: string };
export type SortDir = 'asc' | 'desc';
export interface Sort<C extends string> { by: C; dir: SortDir }

export interface StatisticsFilters {
  period: PeriodFilter;
  scope: 'all' | 'partners';
  locationIds: number[];
  partnershipIds: number[];
  physicianIds: number[];
  serviceIds: number[];
  statuses: BookingStatusValue[];
  paymentStatuses: PaymentStatusValue[];
  sort: Sort<(typeof STATISTICS_SORTS)[number]>;
  page: number;
}

export interface SubmittedFilters {
  period: PeriodFilter;
  partnershipIds: number[];
  statuses: BookingStatusValue[];
  sort: Sort<(typeof SUBMITTED_SORTS)[number]>;
  page: number;
}

export interface PartnerFilters {
  period: PeriodFilter;
  institutionId: number | null;
  statuses: BookingStatusValue[];
  sort: Sort<(typeof PARTNER_SORTS)[number]>;
  page: number;
}

/** Query parameters as the router gives them (a repeated parameter may come as an array). */
export type QueryParams = Record<string, string | string[] | undefined>;
/** Query parameters to set: undefined removes one. */
export type QueryUpdate = Record<string, string | undefined>;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

const YMD = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30). */
export function isDate(value: string | undefined): value is string {
  if (!value || !YMD.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** "1,2,3" → [1, 2, 3]; anything that is not a positive integer is dropped, duplicates too; at most 100 ids. */
export function parseIds(value: string | string[] | undefined): number[] {
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  const ids: number[] = [];
  for (const part of text.split(',')) {
    if (!/^[1-9]\d{0,9}$/.test(part.trim())) continue;
    const id = Number(part.trim());
    if (id <= 2_147_483_647 && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(0, 100);
}

export function parseList<T extends string>(value: string | string[] | undefined, allowed: readonly T[]): T[] {
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  const out: T[] = [];
  for (const part of text.split(',')) {
    if ((allowed as readonly string[]).includes(part) && !out.includes(part as T)) out.push(part as T);
  }
  return out;
}

/**
 * The period: this month (the default), last month, or custom dates. A custom period needs two valid dates; with
 * one missing or invalid it keeps what is there so the form can show it, and `periodProblem` says what is wrong.
 */
export function parsePeriod(params: QueryParams): PeriodFilter {
  const kind = one(params.period);
  if (kind === 'lastMonth') return { kind: 'lastMonth' };
  if (kind === 'custom') return { kind: 'custom', from: one(params.from) ?? '', to: one(params.to) ?? '' };
  return { kind: 'thisMonth' };
}

export const MAX_PERIOD_DAYS = 366;

/** What is wrong with a custom period (an i18n key of the server's vocabulary), or null: the same rule as the server. */
export function periodProblem(period: PeriodFilter): { field: 'from' | 'to'; key: 'statistics.date_invalid' | 'statistics.period_end_before_start' | 'statistics.period_too_long' } | null {
  if (period.kind !== 'custom') return null;
  if (!isDate(period.from)) return { field: 'from', key: 'statistics.date_invalid' };
  if (!isDate(period.to)) return { field: 'to', key: 'statistics.date_invalid' };
  const days = (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) return { field: 'to', key: 'statistics.period_end_before_start' };
  if (days + 1 > MAX_PERIOD_DAYS) return { field: 'to', key: 'statistics.period_too_long' };
  return null;
}

function periodParams(period: PeriodFilter): QueryUpdate {
  if (period.kind === 'custom') return { period: 'custom', from: period.from || undefined, to: period.to || undefined };
  return { period: period.kind === 'thisMonth' ? undefined : period.kind, from: undefined, to: undefined };
}

export function parseSort<C extends string>(params: QueryParams, allowed: readonly C[], fallback: Sort<C>): Sort<C> {
  const by = one(params.sort);
  const dir = one(params.dir);
  if (!by || !(allowed as readonly string[]).includes(by)) return fallback;
  return { by: by as C, dir: dir === 'desc' ? 'desc' : 'asc' };
}

export function parsePage(params: QueryParams): number {
  const p = Number(one(params.page));
  return Number.isInteger(p) && p >= 1 && p <= 100_000 ? p : 1;
}

const ids = (list: number[]) => (list.length ? list.join(',') : undefined);
const words = (list: string[]) => (list.length ? list.join(',') : undefined);

/** Dates read best oldest first in a report of a period; this is the default order of every report page. */
export const DEFAULT_SORT = { by: 'date', dir: 'asc' } as const;

function sortParams(sort: Sort<string>): QueryUpdate {
  const isDefault = sort.by === DEFAULT_SORT.by && sort.dir === DEFAULT_SORT.dir;
  return { sort: isDefault ? undefined : sort.by, dir: isDefault ? undefined : sort.dir };
}

export function parseStatisticsFilters(params: QueryParams): StatisticsFilters {
  return {
    period: parsePeriod(params),
    scope: one(params.scope) === 'partners' ? 'partners' : 'all',
    locationIds: parseIds(params.location),
    partnershipIds: parseIds(params.partner),
    physicianIds: parseIds(params.physician),
    serviceIds: parseIds(params.service),
    statuses: parseList(params.status, BOOKING_STATUS_VALUES),
    paymentStatuses: parseList(params.payment, PAYMENT_STATUS_VALUES),
    sort: parseSort(params, STATISTICS_SORTS, DEFAULT_SORT),
    page: parsePage(params),
  };
}

export function statisticsParams(f: StatisticsFilters): QueryUpdate {
  return {
    ...periodParams(f.period),
    scope: f.scope === 'partners' ? 'partners' : undefined,
    location: ids(f.locationIds), partner: ids(f.partnershipIds), physician: ids(f.physicianIds), service: ids(f.serviceIds),
    status: words(f.statuses), payment: words(f.paymentStatuses),
    ...sortParams(f.sort),
    page: f.page > 1 ? String(f.page) : undefined,
  };
}

export function parseSubmittedFilters(params: QueryParams): SubmittedFilters {
  return {
    period: parsePeriod(params),
    partnershipIds: parseIds(params.partner),
    statuses: parseList(params.status, BOOKING_STATUS_VALUES),
    sort: parseSort(params, SUBMITTED_SORTS, DEFAULT_SORT),
    page: parsePage(params),
  };
}

export function submittedParams(f: SubmittedFilters): QueryUpdate {
  return {
    ...periodParams(f.period), partner: ids(f.partnershipIds), status: words(f.statuses), ...sortParams(f.sort),
    page: f.page > 1 ? String(f.page) : undefined,
  };
}

export function parsePartnerFilters(params: QueryParams): PartnerFilters {
  const [institutionId] = parseIds(params.institution);
  return {
    period: parsePeriod(params),
    institutionId: institutionId ?? null,
    statuses: parseList(params.status, BOOKING_STATUS_VALUES),
    sort: parseSort(params, PARTNER_SORTS, DEFAULT_SORT),
    page: parsePage(params),
  };
}

export function partnerParams(f: PartnerFilters): QueryUpdate {
  return {
    ...periodParams(f.period), institution: f.institutionId === null ? undefined : String(f.institutionId),
    status: words(f.statuses), ...sortParams(f.sort), page: f.page > 1 ? String(f.page) : undefined,
  };
}

/** Lists are sent only when they narrow something: an empty list means "any" and is left out. */
const list = <T,>(l: T[]) => (l.length ? l : undefined);

/** The input of statistics.institution (without paging: the CSV route takes exactly this). */
export function statisticsExportInput(f: StatisticsFilters) {
  return {
    period: f.period, scope: f.scope, locationIds: list(f.locationIds), partnershipIds: list(f.partnershipIds),
    physicianIds: list(f.physicianIds), serviceIds: list(f.serviceIds), statuses: list(f.statuses),
    paymentStatuses: list(f.paymentStatuses), sort: f.sort,
  };
}

export function submittedInput(f: SubmittedFilters, pageSize: number) {
  return { period: f.period, partnershipIds: list(f.partnershipIds), statuses: list(f.statuses), sort: f.sort, page: f.page, pageSize };
}

/** The CSV of the partner-submitted page is the statistics export of "Sent by partners" with the same filters. */
export function submittedExportInput(f: SubmittedFilters) {
  const sort = (STATISTICS_SORTS as readonly string[]).includes(f.sort.by) ? f.sort as StatisticsFilters['sort'] : DEFAULT_SORT;
  return { period: f.period, scope: 'partners' as const, partnershipIds: list(f.partnershipIds), statuses: list(f.statuses), sort };
}

export function partnerExportInput(f: PartnerFilters) {
  return { institutionId: f.institutionId ?? undefined, period: f.period, statuses: list(f.statuses), sort: f.sort };
}

/** The address of a CSV export: the route with the procedure's input as JSON and the UI language. */
export function csvUrl(path: string, input: unknown, lang: string): string {
  const q = new URLSearchParams({ input: JSON.stringify(input), lang });
  return `${path}?${q.toString()}`;
}

/** The next sort when a column header is pressed: the same column flips its direction, another starts ascending. */
export function nextSort<C extends string>(current: Sort<C>, column: C): Sort<C> {
  if (current.by === column) return { by: column, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { by: column, dir: 'asc' };
}

/** Whether any filter other than the period narrows the rows (the empty state then offers to clear them). */
export function hasNarrowingFilters(f: Partial<Omit<StatisticsFilters, 'sort'> & Omit<PartnerFilters, 'sort'>>): boolean {
  return !!(f.scope === 'partners' || f.locationIds?.length || f.partnershipIds?.length || f.physicianIds?.length
    || f.serviceIds?.length || f.statuses?.length || f.paymentStatuses?.length || (f.institutionId ?? null) !== null);
}
