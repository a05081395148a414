/**
 * Data of the settlement screens: the types of the settlements API (server/routers/settlements.ts), the query keys and
 * hooks. Every key starts with SETTLEMENTS_QUERY_KEY, so one invalidation refreshes lists, runs and statements after
 * a run, an issue or a payment.
 */
import { useQuery, useQueryClient } from '@tanstack/solid-query';
import { trpc, type RouterOutputs } from '../../trpc';
import { isRunActive } from './settlement-format';

export type StatementSummary = RouterOutputs['settlements']['statements'][number];
export type CurrencyTotals = StatementSummary['totals'][number];
export type SettlementRunView = RouterOutputs['settlements']['runs'][number];
export type SettlementProgressView = RouterOutputs['settlements']['progress'];
export type StatementDetail = RouterOutputs['settlements']['statement'];
export type StatementLine = StatementDetail['lines'][number];

/** Whose view of a statement: the institution that settles, or the partner organisation it is addressed to. */
export type StatementSide = 'institution' | 'partner';

export const SETTLEMENTS_QUERY_KEY = ['settlements'] as const;

/** Polling interval of a running settlement's progress (the server asks Temporal for the live figures). */
export const PROGRESS_POLL_MS = 1500;

export function useMonthStatements(month: () => string) {
  return useQuery(() => ({
    queryKey: [...SETTLEMENTS_QUERY_KEY, 'statements', month()],
    queryFn: () => trpc.settlements.statements.query({ month: month() }),
  }));
}

export function useRuns() {
  return useQuery(() => ({
    queryKey: [...SETTLEMENTS_QUERY_KEY, 'runs'],
    queryFn: () => trpc.settlements.runs.query(),
  }));
}

/** The month's latest run and its live figures; polled while the run is queued or running. */
export function useProgress(month: () => string) {
  return useQuery(() => ({
    queryKey: [...SETTLEMENTS_QUERY_KEY, 'progress', month()],
    queryFn: () => trpc.settlements.progress.query({ month: month() }),
    staleTime: 0,
    refetchInterval: (query: { state: { data?: SettlementProgressView } }) =>
      (isRunActive(query.state.data?.run?.status) ? PROGRESS_POLL_MS : false),
  }));
}

export function useStatement(side: () => StatementSide, statementId: () => number, enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...SETTLEMENTS_QUERY_KEY, 'statement', side(), statementId()],
    queryFn: () => (side() === 'institution'
      ? trpc.settlements.statement.query({ statementId: statementId() })
      : trpc.settlements.partnerStatement.query({ statementId: statementId() })),
    enabled: enabled(),
  }));
}

export function usePartnerStatements(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...SETTLEMENTS_QUERY_KEY, 'partnerStatements'],
    queryFn: () => trpc.settlements.partnerStatements.query(),
    enabled: enabled(),
  }));
}

/** Refreshes every settlement query (after a run finished, a statement was issued or paid). */
export function useInvalidateSettlements() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: SETTLEMENTS_QUERY_KEY });
}

/** Saves a statement's CSV (from statementCsv / partnerStatementCsv) through a Blob link. */
export async function downloadStatementCsv(side: StatementSide, statementId: number): Promise<string> {
  const { filename, csv } = side === 'institution'
    ? await trpc.settlements.statementCsv.query({ statementId })
    : await trpc.settlements.partnerStatementCsv.query({ statementId });
  // A byte order mark lets spreadsheet programs read the UTF-8 diacritics (ă, ș, ț) correctly.
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
