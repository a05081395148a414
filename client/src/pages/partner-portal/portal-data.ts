/**
 * Data of the partner's own pages (Invitations, My institutions): query keys, queries and row types from the API.
 * A partner sees only partnerships of its own organisation (enforced by the server).
 */
import { useQuery } from '@tanstack/solid-query';
import { trpc, type RouterOutputs } from '../../trpc';

export type PartnerInvitation = RouterOutputs['partnerPortal']['invitations']['invitations'][number];
export type PartnerInstitution = RouterOutputs['partnerPortal']['institutions'][number];
export type EndedPartnership = RouterOutputs['partnerPortal']['endedPartnerships'][number];

/** Every partner-portal query starts with this key, so one invalidation refreshes them all. */
export const PORTAL_QUERY_KEY = ['partnerPortal'] as const;

/** The invitations waiting for this organisation's answer (`enabled`: whether to ask at all; only admins may). */
export function useInvitations(enabled: () => boolean = () => true) {
  return useQuery(() => ({
    queryKey: [...PORTAL_QUERY_KEY, 'invitations'],
    queryFn: () => trpc.partnerPortal.invitations.query(),
    staleTime: 0,
    enabled: enabled(),
  }));
}

export function useInstitutions() {
  return useQuery(() => ({
    queryKey: [...PORTAL_QUERY_KEY, 'institutions'],
    queryFn: () => trpc.partnerPortal.institutions.query(),
    staleTime: 0,
  }));
}

/** Partnerships the institutions ended (latest per institution), listed as ended on My institutions. */
export function useEndedPartnerships() {
  return useQuery(() => ({
    queryKey: [...PORTAL_QUERY_KEY, 'endedPartnerships'],
    queryFn: () => trpc.partnerPortal.endedPartnerships.query(),
    staleTime: 0,
  }));
}
