/**
 * Who is signed in: the `auth.me` query, a context that hands the signed-in user to the pages inside the app shell,
 * and the helpers for the sign-in page's `next` parameter (only same-site paths are followed).
 */
import { createContext, useContext, type Accessor } from 'solid-js';
import { useQuery } from '@tanstack/solid-query';
import { trpc, type Me } from './trpc';

export const ME_QUERY_KEY = ['auth', 'me'] as const;

/** The signed-in user (null when nobody is signed in). */
export function useMe() {
  return useQuery(() => ({
    queryKey: ME_QUERY_KEY,
    queryFn: () => trpc.auth.me.query(),
    staleTime: 60_000,
  }));
}

export const CurrentUserContext = createContext<Accessor<Me>>();

/** The signed-in user; only for components rendered inside the app shell. */
export function useCurrentUser(): Accessor<Me> {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error('useCurrentUser() is used outside the app shell');
  return me;
}

/** `value` if it is a path on this site (not the sign-in page itself), else null. Prevents open redirects. */
export function safeNext(value: string | undefined | null): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  try {
    const url = new URL(value, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    if (url.pathname === '/sign-in') return null;
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}

/** The sign-in page's address, returning to `next` afterwards; `reason` explains why the user is sent there. */
export function signInPath(next?: string, reason?: 'signed_out'): string {
  const params = new URLSearchParams();
  if (reason) params.set('reason', reason);
  const target = safeNext(next);
  if (target && target !== '/') params.set('next', target);
  const query = params.toString();
  return query ? `/sign-in?${query}` : '/sign-in';
}
