/**
 * Audit entries as a table, shared by the audit log and a partner's change history: time, who (or "System"), the
 * action's label, the object (the log only — a partner's history is all about that partner), and the changed fields
 * as before → after (with the IP address in the log). "Load more" asks for the next 50.
 */
import { Show, type JSX } from 'solid-js';
import { formatDateTime, t } from '../../i18n';
import { AuditChanges } from './audit-changes';
import { actionLabel, actionOptionLabel, objectName, objectTypeLabel, type AuditEntry } from './audit-format';

/** Where the entries are shown: the whole audit log, or one partner's history. */
export type AuditView = 'log' | 'partner';

export function AuditEntriesTable(props: { caption: string; view: AuditView; busy?: boolean; children: JSX.Element }) {
  return (
    <div class="table-wrap" aria-busy={props.busy}>
      <table class="table audit-table">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.col.time')}</th>
            <th scope="col">{t('audit.col.user')}</th>
            <th scope="col">{t('audit.col.action')}</th>
            <Show when={props.view === 'log'}><th scope="col">{t('audit.col.object')}</th></Show>
            <th scope="col">{t('audit.col.details')}</th>
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function AuditEntryRow(props: { entry: AuditEntry; view: AuditView }) {
  const e = props.entry;
  const name = objectName(e);
  return (
    <tr data-audit-id={e.id} data-action={e.action}>
      <td class="cell-date">{formatDateTime(e.at)}</td>
      <td>
        <Show when={e.actorUserId !== null} fallback={<span class="muted">{t('audit.system')}</span>}>
          <span>{e.actorName ?? `#${e.actorUserId}`}</span>
          <Show when={e.actorOrganisation}><span class="cell-note">{e.actorOrganisation}</span></Show>
        </Show>
      </td>
      <td><span class="audit-action-label">{actionLabel(e.action) ?? actionOptionLabel(e.action)}</span></td>
      <Show when={props.view === 'log'}>
        <td class="audit-object">
          <span class="cell-note">{objectTypeLabel(e.object.type)}</span>
          <Show when={name}><span class="audit-object-name">{name}</span></Show>
        </td>
      </Show>
      <td>
        <AuditChanges changes={e.changes} />
        <Show when={props.view === 'log' && e.ip}><p class="cell-note">{t('audit.ip', { ip: e.ip ?? '' })}</p></Show>
      </td>
    </tr>
  );
}

/** "Load more" (the next 50 entries), busy while they load. */
export function LoadMoreButton(props: { loading: boolean; onMore: () => void }) {
  return (
    <button type="button" class="button" onClick={() => props.onMore()} disabled={props.loading} aria-busy={props.loading}>
      {props.loading ? t('common.loading') : t('audit.loadMore')}
    </button>
  );
}
