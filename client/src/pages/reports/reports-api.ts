/**
 * Data of the report pages: the types of the statistics API (server/routers/statistics.ts) and the query hooks. Every
 * report query key starts with REPORTS_QUERY_KEY, so a cancellation refreshes every report (and the booking screens,
 * through BOOKINGS_QUERY_KEY) at once.
 */
import { useQuery } from '@tanstack/solid-query';
import { queryClient, trpc, type RouterInputs, type RouterOutputs } from '../../trpc';

export type FilterOptions = RouterOutputs['statistics']['filterOptions'];
export type StatisticsResult = RouterOutputs['statistics']['institution'];
export type StatisticsRow = StatisticsResult['rows'][number];
export type Charts = StatisticsResult['charts'];
export type CurrencyTotals = StatisticsResult['totals'][number];
export type SubmittedResult = RouterOutputs['statistics']['partnerSubmitted'];
export type SubmittedRow = SubmittedResult['rows'][number];
export type PartnerInstitution = RouterOutputs['statistics']['partnerInstitutions'][number];
export type PartnerResult = RouterOutputs['statistics']['partner'];
export type PartnerRow = PartnerResult['rows'][number];
export type StatisticsInput = RouterInputs['statistics']['institution'];
export type SubmittedInput = RouterInputs['statistics']['partnerSubmitted'];
export type PartnerInput = RouterInputs['statistics']['partner'];

export const REPORTS_QUERY_KEY = ['reports'] as const;
export const PAGE_SIZE = 25;

/** After the booking details dialog (where staff may mark, move or cancel), the reports are read again. */
export function refreshReports(): void {
  void queryClient.invalidateQueries({ queryKey: REPORTS_QUERY_KEY });
}

export function useFilterOptions(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...REPORTS_QUERY_KEY, 'filterOptions'],
    queryFn: () => trpc.statistics.filterOptions.query(),
    enabled: enabled(),
    staleTime: 60_000,
  }));
}

export function useStatistics(input: () => StatisticsInput | null) {
  return useQuery(() => ({
    queryKey: [...REPORTS_QUERY_KEY, 'institution', input()],
    queryFn: () => trpc.statistics.institution.query(input()!),
    enabled: input() !== null,
    staleTime: 15_000,
    placeholderData: (previous: StatisticsResult | undefined) => previous,
  }));
}

export function useSubmitted(input: () => SubmittedInput | null) {
  return useQuery(() => ({
    queryKey: [...REPORTS_QUERY_KEY, 'partnerSubmitted', input()],
    queryFn: () => trpc.statistics.partnerSubmitted.query(input()!),
    enabled: input() !== null,
    staleTime: 0,
    placeholderData: (previous: SubmittedResult | undefined) => previous,
  }));
}

export function usePartnerInstitutions(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...REPORTS_QUERY_KEY, 'partnerInstitutions'],
    queryFn: () => trpc.statistics.partnerInstitutions.query(),
    enabled: enabled(),
    staleTime: 60_000,
  }));
}

export function usePartnerStatistics(input: () => PartnerInput | null) {
  return useQuery(() => ({
    queryKey: [...REPORTS_QUERY_KEY, 'partner', input()],
    queryFn: () => trpc.statistics.partner.query(input()!),
    enabled: input() !== null,
    staleTime: 0,
    placeholderData: (previous: PartnerResult | undefined) => previous,
  }));
}
