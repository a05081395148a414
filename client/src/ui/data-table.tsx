/**
 * A table on @tanstack/solid-table for lists the server sorts and pages (the report pages): columns are declared once
 * with their header, cell and — when the server can sort by them — the server's sort key. Sorting is manual (the
 * table never reorders rows itself); a sortable header is a button, its <th> carries aria-sort, and pressing it asks
 * the page for the next sort. The first column marked `rowHeader` is rendered as <th scope="row">.
 */
import { createMemo, For, Show, type JSX } from 'solid-js';
import { createSolidTable, flexRender, getCoreRowModel, type ColumnDef, type SortingState } from '@tanstack/solid-table';

export interface DataColumn<T, S extends string = string> {
  id: string;
  header: () => string;
  cell: (row: T) => JSX.Element;
  /** The server's sort key of this column; absent: not sortable. */
  sortKey?: S;
  /** Class of the column's cells (e.g. 'cell-number' for right-aligned amounts). */
  class?: string;
  rowHeader?: boolean;
}

export interface DataTableProps<T, S extends string> {
  caption: string;
  rows: T[];
  columns: DataColumn<T, S>[];
  rowId: (row: T) => string;
  sort?: { by: S; dir: 'asc' | 'desc' };
  onSort?: (by: S) => void;
  busy?: boolean;
  class?: string;
  /** Extra text for screen readers after a sortable header's name, e.g. "sort". */
  sortHint?: string;
}

export function DataTable<T, S extends string>(props: DataTableProps<T, S>) {
  const sorting = (): SortingState => {
    const s = props.sort;
    const col = s ? props.columns.find((c) => c.sortKey === s.by) : undefined;
    return col && s ? [{ id: col.id, desc: s.dir === 'desc' }] : [];
  };

  // Built once per column list, so that the header cells (and the focus on a sort button) survive a re-sort.
  const columnDefs = createMemo((): ColumnDef<T>[] => props.columns.map((c) => ({
    id: c.id,
    header: () => c.header(),
    cell: (info) => c.cell(info.row.original),
    enableSorting: c.sortKey !== undefined,
  })));

  const table = createSolidTable<T>({
    get data() { return props.rows; },
    get columns() { return columnDefs(); },
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => props.rowId(row),
    manualSorting: true,
    state: { get sorting() { return sorting(); } },
  });

  const columnOf = (id: string) => props.columns.find((c) => c.id === id)!;
  const ariaSort = (id: string): 'ascending' | 'descending' | 'none' | undefined => {
    const col = columnOf(id);
    if (col.sortKey === undefined) return undefined;
    const s = sorting()[0];
    if (!s || s.id !== id) return 'none';
    return s.desc ? 'descending' : 'ascending';
  };

  return (
    // A region that takes focus, so that a table wider than the screen can be scrolled with the keyboard.
    <div class="table-wrap" role="region" aria-label={props.caption} tabindex="0" aria-busy={props.busy ? 'true' : 'false'}>
      <table class={`table ${props.class ?? ''}`}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <For each={table.getHeaderGroups()}>
            {(group) => (
              <tr>
                <For each={group.headers}>
                  {(header) => {
                    const col = columnOf(header.column.id);
                    return (
                      <th scope="col" class={col.class} aria-sort={ariaSort(header.column.id)}>
                        <Show when={col.sortKey !== undefined && props.onSort} fallback={flexRender(header.column.columnDef.header, header.getContext())}>
                          <button type="button" class="sort-button" onClick={() => props.onSort?.(col.sortKey!)}>
                            {flexRender(header.column.columnDef.header, header.getContext())}
                            <span class="sort-indicator" aria-hidden="true">
                              {ariaSort(header.column.id) === 'ascending' ? '▲' : ariaSort(header.column.id) === 'descending' ? '▼' : '↕'}
                            </span>
                          </button>
                        </Show>
                      </th>
                    );
                  }}
                </For>
              </tr>
            )}
          </For>
        </thead>
        <tbody>
          <For each={table.getRowModel().rows}>
            {(row) => (
              <tr>
                <For each={row.getVisibleCells()}>
                  {(cell) => {
                    const col = columnOf(cell.column.id);
                    const content = flexRender(cell.column.columnDef.cell, cell.getContext());
                    return col.rowHeader
                      ? <th scope="row" class={col.class}>{content}</th>
                      : <td class={col.class}>{content}</td>;
                  }}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
