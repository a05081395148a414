/**
 * A list of Catalogue and schedules (a catalogue tab, a physician's weekly rules or date exceptions): its heading
 * (focusable, so that the focus can return to it when a dialog closes) with the "Add …" button, an optional intro, and
 * the table — captioned with the heading's text, the row actions in its last column — or the empty-state text when
 * there are no rows. Also "Edit" whose accessible name says what is edited.
 */
import { For, Show, type JSX } from 'solid-js';
import { t, type MessageKey } from '../../i18n';
import { EmptyState } from '../../ui/states';

export interface ListPanelProps<T> {
  /** id of the heading. */
  titleId: string;
  title: string;
  addLabel: string;
  onAdd: () => void;
  addDisabled?: boolean;
  /** Shown between the heading and the table (e.g. a `<p class="muted">`). */
  intro?: JSX.Element;
  /** The column headers before the last one, "Actions". */
  columns: readonly MessageKey[];
  rows: readonly T[];
  /** Shown instead of the table when there are no rows. */
  empty: string;
  /** The table row of one item. */
  children: (row: T) => JSX.Element;
}

export function ListPanel<T>(props: ListPanelProps<T>) {
  return (
    <>
      <div class="panel-header">
        <h2 id={props.titleId} tabindex="-1">{props.title}</h2>
        <button type="button" class="button button-primary" onClick={() => props.onAdd()} disabled={props.addDisabled}>
          {props.addLabel}
        </button>
      </div>
      {props.intro}
      <Show when={props.rows.length > 0} fallback={<EmptyState>{props.empty}</EmptyState>}>
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <For each={props.columns}>{(column) => <th scope="col">{t(column)}</th>}</For>
                <th scope="col">{t('catalogue.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.rows}>{(row) => props.children(row)}</For>
            </tbody>
          </table>
        </div>
      </Show>
    </>
  );
}

/** "Edit" whose accessible name also says what is edited ("Edit: Clinica Centru"). */
export function EditButton(props: { name: string; onClick: () => void }) {
  return (
    <button type="button" class="button button-small" onClick={() => props.onClick()}
      aria-label={t('catalogue.editNamed', { name: props.name })}>
      {t('catalogue.edit')}
    </button>
  );
}
