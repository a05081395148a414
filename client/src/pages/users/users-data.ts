/** Data of the users page: the list query and its row type (from the API's types; no server code is imported). */
import { useQuery } from '@tanstack/solid-query';
import { trpc, type RouterOutputs } from '../../trpc';

export type UserRow = RouterOutputs['users']['list'][number];

export const USERS_QUERY_KEY = ['users', 'list'] as const;

export function useUsersList() {
  return useQuery(() => ({
    queryKey: USERS_QUERY_KEY,
    queryFn: () => trpc.users.list.query(),
    // Other administrators change users too: refresh whenever the page is opened.
    staleTime: 0,
  }));
}
