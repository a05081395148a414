/**
 * Commission settlement (issue 8, items 4 and 5) — `settlements.*`. Amounts are integer minor units with their ISO
 * currency (format with domain/commission.ts's formatMoney / minorDigits); dates are 'YYYY-MM-DD', months 'YYYY-MM'
 * in the institution's time zone, instants ISO 8601 UTC strings. Errors carry an i18n key in `error.data.key`
 * (server/errors.ts; the client dictionaries have them in en/ro).
 *
 * Institution side — institution administrators, their own institution only (another tenant's IDs → NOT_FOUND):
 * - `statements` query `{ month }` → StatementSummary[]: `{ id, month, status: 'draft'|'issued'|'paid', institutionId,
 *   institutionName, partnershipId, partnerName, issuedAt|null, paidOn|null, builtAt, lines, adjustments, totals }`,
 *   where `totals` is CurrencyTotals[] (server/settlement/amounts.ts): `{ currency, commissionMinor,
 *   institutionOwesMinor, partnerOwesMinor, netMinor, netAbsMinor, direction: 'partner_pays_institution' |
 *   'institution_pays_partner' | null }`, one entry per currency, never added across currencies.
 *   Errors: settlement.month_invalid (BAD_REQUEST).
 * - `statement` query `{ statementId }` → StatementDetail: `{ statement: { id, month, status, partnershipId, issuedAt,
 *   issuedByName, paidOn, paidByName, builtAt, version }, institution: { id, name, country, taxNumber,
 *   registrationNumber, address, currency, timeZone }, partner: { id, name, country, taxNumber, registrationNumber,
 *   address, contactName, contactEmail, contactPhone }, lines: [{ id, kind: 'booking'|'adjustment', bookingId,
 *   startsAt, localDate, localTime, serviceId, serviceName, locationName, priceMinor, currency, paymentLocation:
 *   'institution'|'partner', commissionType: 'none'|'percent'|'fixed', commissionValue (basis points or minor units),
 *   commissionMinor, commissionCurrency, institutionOwesMinor (in commissionCurrency), partnerOwesMinor (in currency),
 *   note: null | 'cancelled'|'noshow'|'fulfilled'|'corrected'|'moved'|'status_changed' (adjustments: why) }], totals }`
 *   — everything a printable page needs. Errors: settlement.statement_not_found (NOT_FOUND).
 * - `statementCsv` query `{ statementId }` → `{ filename, csv }` (text/csv content, UTF-8, header row, a row per line
 *   and a total row per currency; formula injection neutralised). A tRPC query returning text: the client saves it as
 *   a Blob. Errors: as `statement`.
 * - `start` mutation `{ month }` → `{ settlementRunId, workflowId }`: queues the settlement workflow
 *   `settlement:<institutionId>:<month>` for a month that is over. Errors: settlement.month_invalid (BAD_REQUEST),
 *   settlement.month_not_past (BAD_REQUEST: the current or a future month), settlement.run_in_progress (CONFLICT:
 *   a run of that month is queued or running — two admins at once: one proceeds, the other gets this).
 * - `runs` query `{ month? }` → SettlementRunView[] (newest first, at most 20): `{ id, month, trigger:
 *   'schedule'|'manual', status: 'queued'|'running'|'completed'|'failed', workflowId, startedByName, startedAt,
 *   finishedAt, partnershipsTotal, partnershipsDone, statements, lines, error }`.
 * - `progress` query `{ month }` → `{ run: SettlementRunView | null (the month's latest), live: SettlementProgress |
 *   null }`; `live` is the running workflow's `progress` query (`{ phase: 'planning'|'settling'|'completed'|'failed',
 *   month, settlementRunId, partnershipsTotal, partnershipsDone, statements, lines }`), null when it is not running or
 *   Temporal does not answer within 3 s. Poll it every second or two while `run.status` is queued/running.
 * - `issue` mutation `{ statementId }` → `{ statementId, status: 'issued', issuedAt, emails }`: freezes the draft and
 *   queues the email to the partner's admins (or its contact person). Errors: settlement.statement_not_found
 *   (NOT_FOUND), settlement.already_issued (CONFLICT, params.status), settlement.statement_empty (BAD_REQUEST).
 * - `markPaid` mutation `{ statementId, paidOn: 'YYYY-MM-DD' }` → `{ statementId, status: 'paid', paidOn }`.
 *   Errors: settlement.statement_not_found, settlement.not_issued (CONFLICT), settlement.already_paid (CONFLICT,
 *   params.paidOn), settlement.paid_on_invalid / paid_on_future / paid_before_issue (BAD_REQUEST, field paidOn).
 *
 * Partner side — administrators of the partner organisation (any organisation's admin; only statements of
 * partnerships where the caller's organisation is the partner, and only issued or paid ones, never drafts):
 * - `partnerStatements` query `{ institutionId? }` → StatementSummary[] (newest month first).
 * - `partnerStatement` query `{ statementId }` → StatementDetail; a draft or another organisation's → NOT_FOUND.
 * - `partnerStatementCsv` query `{ statementId }` → `{ filename, csv }`.
 */
import { z } from 'zod';
import { adminProcedure, institutionAdminProcedure, router } from '../trpc';
import { idField } from '../validation';
import { isValidDate } from '../domain/zoned-time';
import { settlementWorkflowId, type SettlementProgress } from '../workflow-outbox';
import { isValidMonth } from '../settlement/months';
import { listRuns } from '../settlement/runs';
import { getStatement, issueStatement, listStatements, markStatementPaid, statementCsv } from '../settlement/statements';
import { startSettlementRun } from '../settlement/start';

const monthField = z.string({ error: 'settlement.month_invalid' }).refine(isValidMonth, 'settlement.month_invalid');
const statementInput = z.object({ statementId: idField });

const TEMPORAL_BUDGET_MS = 3_000;

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((r) => { timer = setTimeout(() => r(fallback), ms); timer.unref(); });
  return Promise.race([p.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

export const settlementsRouter = router({
  statements: institutionAdminProcedure.input(z.object({ month: monthField })).query(({ ctx, input }) =>
    listStatements(ctx.db, { side: 'institution', organisationId: ctx.user.organisationId }, { month: input.month })),

  statement: institutionAdminProcedure.input(statementInput).query(({ ctx, input }) =>
    getStatement(ctx.db, { side: 'institution', organisationId: ctx.user.organisationId }, input.statementId)),

  statementCsv: institutionAdminProcedure.input(statementInput).query(async ({ ctx, input }) =>
    statementCsv(await getStatement(ctx.db, { side: 'institution', organisationId: ctx.user.organisationId }, input.statementId))),

  start: institutionAdminProcedure.input(z.object({ month: monthField })).mutation(({ ctx, input }) =>
    startSettlementRun(ctx, { userId: ctx.user.id, ip: ctx.ip }, { institutionId: ctx.user.organisationId, month: input.month })),

  runs: institutionAdminProcedure.input(z.object({ month: monthField.optional() }).optional()).query(({ ctx, input }) =>
    listRuns(ctx.db, ctx.user.organisationId, input?.month)),

  progress: institutionAdminProcedure.input(z.object({ month: monthField })).query(async ({ ctx, input }) => {
    const [run] = await listRuns(ctx.db, ctx.user.organisationId, input.month, 1);
    let live: SettlementProgress | null = null;
    if (run && (run.status === 'queued' || run.status === 'running')) {
      const query = ctx.workflows.client().then((c) => c.workflow.getHandle(settlementWorkflowId(ctx.user.organisationId, input.month)).query<SettlementProgress>('progress'));
      live = await withTimeout<SettlementProgress | null>(query, TEMPORAL_BUDGET_MS, null);
    }
    return { run: run ?? null, live };
  }),

  issue: institutionAdminProcedure.input(statementInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.db.transaction((tx) => issueStatement(tx, { id: ctx.user.id, organisationId: ctx.user.organisationId, ip: ctx.ip }, input.statementId));
    ctx.workflows.dispatchSoon();
    return result;
  }),

  markPaid: institutionAdminProcedure.input(z.object({
    statementId: idField,
    paidOn: z.string({ error: 'settlement.paid_on_invalid' }).refine(isValidDate, 'settlement.paid_on_invalid'),
  })).mutation(({ ctx, input }) => ctx.db.transaction((tx) =>
    markStatementPaid(tx, { id: ctx.user.id, organisationId: ctx.user.organisationId, ip: ctx.ip }, input.statementId, input.paidOn))),

  partnerStatements: adminProcedure.input(z.object({ institutionId: idField.optional() }).optional()).query(({ ctx, input }) =>
    listStatements(ctx.db, { side: 'partner', organisationId: ctx.user.organisationId }, { institutionId: input?.institutionId })),

  partnerStatement: adminProcedure.input(statementInput).query(({ ctx, input }) =>
    getStatement(ctx.db, { side: 'partner', organisationId: ctx.user.organisationId }, input.statementId)),

  partnerStatementCsv: adminProcedure.input(statementInput).query(async ({ ctx, input }) =>
    statementCsv(await getStatement(ctx.db, { side: 'partner', organisationId: ctx.user.organisationId }, input.statementId))),
});
