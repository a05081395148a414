/**
 * Input schemas of the statistics procedures and the CSV route (the route parses its `input` query parameter with the
 * same schemas, so a download has exactly the filters and sort of the page). Messages are i18n keys (server/errors.ts).
 */
import { z } from 'zod';
import { BOOKING_STATUSES, PAYMENT_STATUSES } from '../../db/schema';
import { idField } from '../validation';
import { customPeriodProblem } from './period';

export const periodField = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('thisMonth') }),
  z.object({ kind: z.literal('lastMonth') }),
  z.object({
    kind: z.literal('custom'),
    from: z.string({ error: 'statistics.date_invalid' }).max(10, 'statistics.date_invalid'),
    to: z.string({ error: 'statistics.date_invalid' }).max(10, 'statistics.date_invalid'),
  }).superRefine((v, ctx) => {
    const problem = customPeriodProblem(v.from, v.to);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.key });
  }),
], { error: 'statistics.period_invalid' });

/** Sortable columns: a whitelist, each mapped to SQL in queries.ts; anything else is a field error. */
export const SORT_COLUMNS = [
  'date', 'location', 'physician', 'service', 'patient', 'status', 'paymentStatus', 'source', 'price', 'commission',
] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export const PARTNER_SUBMITTED_SORT_COLUMNS = [...SORT_COLUMNS, 'partner', 'bookedAt'] as const;
export type PartnerSubmittedSortColumn = (typeof PARTNER_SUBMITTED_SORT_COLUMNS)[number];
export const PARTNER_SORT_COLUMNS = ['date', 'institution', 'location', 'physician', 'service', 'status', 'paymentStatus', 'price', 'commission'] as const;
export type PartnerSortColumn = (typeof PARTNER_SORT_COLUMNS)[number];

const sortField = <T extends readonly [string, ...string[]]>(columns: T) => z.object({
  by: z.enum(columns, { error: 'statistics.sort_invalid' }),
  dir: z.enum(['asc', 'desc'], { error: 'statistics.sort_invalid' }).default('asc'),
}, { error: 'statistics.sort_invalid' }).default({ by: 'date' as T[number], dir: 'asc' });

export const MAX_PAGE_SIZE = 100;
const idList = z.array(idField, { error: 'validation.invalid' }).max(100, 'validation.invalid').optional();

/** How deep a page may start (OFFSET): beyond it the page asks to narrow the filters or download the CSV. */
export const MAX_PAGED_ROWS = 10_000;

const paging = {
  page: z.number({ error: 'validation.invalid' }).int('validation.invalid').min(1, 'validation.invalid').max(MAX_PAGED_ROWS, 'validation.invalid').default(1),
  pageSize: z.number({ error: 'statistics.page_size_invalid' }).int('statistics.page_size_invalid')
    .min(1, 'statistics.page_size_invalid').max(MAX_PAGE_SIZE, 'statistics.page_size_invalid').default(25),
};

/** Refuses a page that starts beyond MAX_PAGED_ROWS rows (a deep OFFSET reads and drops every row before it). */
function notTooDeep(v: { page: number; pageSize: number }, ctx: z.RefinementCtx) {
  if ((v.page - 1) * v.pageSize >= MAX_PAGED_ROWS) ctx.addIssue({ code: 'custom', message: 'statistics.page_too_deep', path: ['page'] });
}

/** Filters of "Reports / Statistics" (all optional except the period; empty lists mean "any"). */
export const statisticsFilters = {
  period: periodField,
  /** "All bookings" or "Sent by partners" (the seed's partner-only statistics). */
  scope: z.enum(['all', 'partners'], { error: 'validation.invalid' }).default('all'),
  locationIds: idList,
  partnershipIds: idList,
  physicianIds: idList,
  serviceIds: idList,
  statuses: z.array(z.enum(BOOKING_STATUSES, { error: 'validation.invalid' })).max(10, 'validation.invalid').optional(),
  paymentStatuses: z.array(z.enum(PAYMENT_STATUSES, { error: 'validation.invalid' })).max(10, 'validation.invalid').optional(),
};

export const statisticsExportInput = z.object({ ...statisticsFilters, sort: sortField(SORT_COLUMNS) });
export type StatisticsExportInput = z.infer<typeof statisticsExportInput>;
export const statisticsInput = statisticsExportInput.extend(paging).superRefine(notTooDeep);
export type StatisticsInput = z.infer<typeof statisticsInput>;
export type StatisticsFilters = Omit<StatisticsExportInput, 'sort'>;

export const partnerSubmittedInput = z.object({
  period: periodField,
  partnershipIds: idList,
  statuses: statisticsFilters.statuses,
  sort: sortField(PARTNER_SUBMITTED_SORT_COLUMNS),
  ...paging,
}).superRefine(notTooDeep);
export type PartnerSubmittedInput = z.infer<typeof partnerSubmittedInput>;

export const partnerExportInput = z.object({
  /** One institution where the caller's organisation is or was a partner; all of them when absent. */
  institutionId: idField.optional(),
  period: periodField,
  statuses: statisticsFilters.statuses,
  sort: sortField(PARTNER_SORT_COLUMNS),
});
export type PartnerExportInput = z.infer<typeof partnerExportInput>;
export const partnerStatisticsInput = partnerExportInput.extend(paging).superRefine(notTooDeep);
export type PartnerStatisticsInput = z.infer<typeof partnerStatisticsInput>;
