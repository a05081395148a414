/**
 * Data of the users page: the list query and its row type (from the API's types; no server code is imported).
 *
 * An invitation is issued by its workflow a moment after "Save" (or Resend, or reactivating an invited user): until its
 * round is in the list, the page says it is being sent and asks again every POLL_MS, for at most POLL_FOR_MS — so the
 * list never tells the admin to resend a link that has just been emailed.
 */
import { createSignal } from 'solid-js';
import { useQuery } from '@tanstack/solid-query';
import { trpc, type RouterOutputs } from '../../trpc';

export type UserRow = RouterOutputs['users']['list'][number];

export const USERS_QUERY_KEY = ['users', 'list'] as const;

export const POLL_MS = 1_000;
export const POLL_FOR_MS = 60_000;

/** A user whose new invitation round is awaited: the sentAt of the round it replaces (null: none) and since when. */
export interface AwaitedInvitation { replaced: string | null; since: number }

/** Whether the row still lacks the invitation round that was just asked for. */
export function invitationAwaited(row: Pick<UserRow, 'status' | 'invitation'>, awaited: AwaitedInvitation | undefined, now = Date.now()): boolean {
  if (!awaited || row.status !== 'invited' || now - awaited.since >= POLL_FOR_MS) return false;
  return !row.invitation || row.invitation.sentAt === awaited.replaced;
}

export function useUsersList() {
  const [awaited, setAwaited] = createSignal<ReadonlyMap<number, AwaitedInvitation>>(new Map());
  const [now, setNow] = createSignal(Date.now());
  const query = useQuery(() => ({
    queryKey: USERS_QUERY_KEY,
    queryFn: () => trpc.users.list.query(),
    // Other administrators change users too: refresh whenever the page is opened.
    staleTime: 0,
    refetchInterval: (q: { state: { data?: UserRow[] } }) => {
      setNow(Date.now());
      return (q.state.data ?? []).some((row) => invitationAwaited(row, awaited().get(row.id))) ? POLL_MS : false;
    },
  }));
  return {
    query,
    /** Waits for a new invitation round of this user (after creating, resending or reactivating). */
    awaitInvitation: (userId: number, replaced: string | null) =>
      setAwaited((m) => new Map(m).set(userId, { replaced, since: Date.now() })),
    /** Whether the row's invitation is on its way (reactive; false again once it arrived or after POLL_FOR_MS). */
    sending: (row: UserRow) => invitationAwaited(row, awaited().get(row.id), now()),
  };
}
