/**
 * The changes of one audit entry, as the audit log and a partner's History show them: one line per field, its label
 * in the user's language and the value before → after (a creation shows the values, a deletion what was there).
 */
import { For, Show } from 'solid-js';
import { t } from '../../i18n';
import { auditValueLines, fieldLabel, type AuditChange } from './audit-format';

export function AuditChanges(props: { changes: AuditChange[] }) {
  return (
    <Show when={props.changes.length > 0} fallback={<span class="muted">{t('audit.noDetails')}</span>}>
      <dl class="audit-changes">
        <For each={props.changes}>
          {(c) => (
            <div class="audit-change" data-field={c.field}>
              <dt>{fieldLabel(c.field)}</dt>
              <dd>
                <Show when={c.before && c.after} fallback={<Value lines={auditValueLines((c.after ?? c.before)!)} removed={!c.after} />}>
                  <span class="audit-before"><span class="visually-hidden">{t('audit.before')}: </span><Value lines={auditValueLines(c.before!)} /></span>
                  <span class="audit-arrow" aria-hidden="true"> → </span>
                  <span class="audit-after"><span class="visually-hidden">{t('audit.after')}: </span><Value lines={auditValueLines(c.after!)} /></span>
                </Show>
              </dd>
            </div>
          )}
        </For>
      </dl>
    </Show>
  );
}

function Value(props: { lines: string[]; removed?: boolean }) {
  return (
    <Show when={props.lines.length > 1} fallback={<span classList={{ 'audit-removed': props.removed }}>{props.lines[0]}</span>}>
      <ul class="audit-lines"><For each={props.lines}>{(line) => <li>{line}</li>}</For></ul>
    </Show>
  );
}
