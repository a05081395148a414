/**
 * Pages for an institution's administrators only (Traffic Channels, Catalogue and schedules, Audit log): everyone
 * else gets the "no permission" page. The server enforces the same rule on every procedure these pages call.
 */
import { Show, type JSX } from 'solid-js';
import { useCurrentUser } from '../auth';
import type { Me } from '../trpc';
import { ForbiddenPage } from './page';

export function isInstitutionAdmin(me: Me): boolean {
  return me.organisation.isInstitution && me.role === 'admin';
}

export function InstitutionAdminOnly(props: { title: () => string; children: JSX.Element }) {
  const me = useCurrentUser();
  return (
    <Show when={isInstitutionAdmin(me())} fallback={<ForbiddenPage title={props.title} />}>
      {props.children}
    </Show>
  );
}
