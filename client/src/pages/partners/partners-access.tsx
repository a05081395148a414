/**
 * Who may open the Administration / Partner Module pages: administrators of an institution (the server enforces the
 * same rule on every partners.* procedure). Everyone else gets the "no permission" page.
 */
import { Show, type JSX } from 'solid-js';
import { useCurrentUser } from '../../auth';
import type { Me } from '../../trpc';
import { ForbiddenPage } from '../../ui/page';

export function canManagePartners(me: Me): boolean {
  return me.organisation.isInstitution && me.role === 'admin';
}

export function PartnersAccess(props: { title: () => string; children: JSX.Element }) {
  const me = useCurrentUser();
  return (
    <Show when={canManagePartners(me())} fallback={<ForbiddenPage title={props.title} />}>
      {props.children}
    </Show>
  );
}
