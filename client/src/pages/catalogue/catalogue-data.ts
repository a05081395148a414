/**
 * Data of Catalogue and schedules (and of the pages that show catalogue names, e.g. Traffic Channels' location filter):
 * query keys, the overview and schedule queries, their row types from the API (no server code is imported), and the
 * invalidation after a change (the catalogue and the Traffic Channels matrix, whose rows are the services).
 */
import { useQuery } from '@tanstack/solid-query';
import { queryClient, trpc, type RouterOutputs } from '../../trpc';

export type CatalogueOverview = RouterOutputs['catalogue']['overview'];
export type CatalogueLocation = CatalogueOverview['locations'][number];
export type CatalogueQualification = CatalogueOverview['qualifications'][number];
export type CataloguePhysician = CatalogueOverview['physicians'][number];
export type CatalogueService = CatalogueOverview['services'][number];
export type PhysicianSchedule = RouterOutputs['catalogue']['schedule'];
export type ScheduleRuleRow = PhysicianSchedule['rules'][number];
export type ScheduleExceptionRow = PhysicianSchedule['exceptions'][number];
/** A booking that a schedule change would leave outside working hours (saveRule, deleteRule, …). */
export type BookingOutsideHours = RouterOutputs['catalogue']['saveRule']['bookingsOutsideHours'][number];

/** Every catalogue query starts with this key, so one invalidation refreshes them all. */
export const CATALOGUE_QUERY_KEY = ['catalogue'] as const;
/** The Traffic Channels matrix (its rows are the catalogue's services). */
export const TRAFFIC_QUERY_KEY = ['trafficChannels'] as const;

export function useCatalogueOverview() {
  return useQuery(() => ({
    queryKey: [...CATALOGUE_QUERY_KEY, 'overview'],
    queryFn: () => trpc.catalogue.overview.query(),
    // Other administrators change the catalogue too: refresh whenever a page that shows it is opened.
    staleTime: 0,
  }));
}

export function useSchedule(physicianId: () => number) {
  return useQuery(() => ({
    queryKey: [...CATALOGUE_QUERY_KEY, 'schedule', physicianId()],
    queryFn: () => trpc.catalogue.schedule.query({ physicianId: physicianId() }),
    staleTime: 0,
  }));
}

/** After a catalogue change: refresh the catalogue (awaited) and the Traffic Channels matrix (in the background). */
export async function refreshCatalogue(): Promise<void> {
  void queryClient.invalidateQueries({ queryKey: TRAFFIC_QUERY_KEY });
  await queryClient.invalidateQueries({ queryKey: CATALOGUE_QUERY_KEY });
}

/** A route parameter as a numeric id, or null when it is not one. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}
