/**
 * Data of the Administration / Partner Module pages: query keys, the queries (list, detail, form options) and their
 * row types (from the API's types; no server code is imported), and the one-shot notice a page leaves for the next
 * page it navigates to (e.g. "A registration email was sent to …" shown on the partner's page after saving).
 */
import { createSignal } from 'solid-js';
import { useQuery } from '@tanstack/solid-query';
import { t, type MessageKey, type Params } from '../../i18n';
import { trpc, type RouterInputs, type RouterOutputs } from '../../trpc';

export type PartnerListInput = RouterInputs['partners']['list'];
export type PartnerRow = RouterOutputs['partners']['list'][number];
export type PartnerDetail = RouterOutputs['partners']['get'];
export type FormOptions = RouterOutputs['partners']['formOptions'];
export type PartnerSort = NonNullable<PartnerListInput['sort']>;

/** Every partner query starts with this key, so one invalidation refreshes them all. */
export const PARTNERS_QUERY_KEY = ['partners'] as const;

export function usePartnerList(input: () => PartnerListInput) {
  return useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'list', input()],
    queryFn: () => trpc.partners.list.query(input()),
    // Partners answer invitations at any time: refresh whenever the page is opened.
    staleTime: 0,
    // While a new search runs, keep showing the previous rows instead of a spinner.
    placeholderData: (previous: PartnerRow[] | undefined) => previous,
  }));
}

/**
 * A partner's page. While its invitation is on the way (no invitation round issued yet, the workflow still sending, or
 * a resend whose new round is not there yet), the page asks again every POLL_MS, for at most POLL_FOR_MS, so it
 * follows the invitation by itself; once settled (waiting for the partner, answered, ended) it stops asking.
 * `awaitRound` is the sentAt of the round a resend replaces (null: nothing replaced).
 */
export function usePartner(id: () => number, awaitRound?: () => { replaced: string | null; since: number } | null) {
  let transitionalSince: number | null = null;
  return useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'detail', id()],
    queryFn: () => trpc.partners.get.query({ partnershipId: id() }),
    staleTime: 0,
    refetchInterval: (query: { state: { data?: PartnerDetail } }) => {
      const data = query.state.data;
      if (!data || !invitationInTransit(data, awaitRound?.()?.replaced)) {
        transitionalSince = null;
        return false;
      }
      transitionalSince ??= awaitRound?.()?.since ?? Date.now();
      return Date.now() - transitionalSince < POLL_FOR_MS ? POLL_MS : false;
    },
  }));
}

export const POLL_MS = 1_000;
export const POLL_FOR_MS = 120_000;

/** Whether the invitation of a pending partnership is still on its way (the page should look again soon). */
export function invitationInTransit(p: Pick<PartnerDetail, 'status' | 'invitation' | 'workflow'>, replacedSentAt?: string | null): boolean {
  if (p.status !== 'pending_registration' && p.status !== 'pending_approval') return false;
  if (!p.invitation) return true;
  if (replacedSentAt && p.invitation.sentAt === replacedSentAt) return true;
  const state = p.workflow.state;
  return !state || state.phase === 'sending';
}

export function useFormOptions() {
  return useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'formOptions'],
    queryFn: () => trpc.partners.formOptions.query(),
    staleTime: 5 * 60_000,
  }));
}

/** A route parameter as a partnership id, or null when it is not one. */
export function parsePartnershipId(value: string | undefined): number | null {
  if (!value || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}

interface Flash { partnershipId: number; key: MessageKey; params?: Params }

const [flash, setFlash] = createSignal<Flash | null>(null);

/** Leaves a success notice for the partner page that is opened next (kept as a key, so it follows the language). */
export function leaveNotice(partnershipId: number, key: MessageKey, params?: Params): void {
  setFlash({ partnershipId, key, params });
}

/** Takes the notice left for this partner's page, if any (once). */
export function takeNotice(partnershipId: number): (() => string) | null {
  const f = flash();
  if (!f || f.partnershipId !== partnershipId) return null;
  setFlash(null);
  return () => t(f.key, f.params);
}
