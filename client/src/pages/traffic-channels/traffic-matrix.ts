/**
 * The logic of the Traffic Channels matrix, without UI: cell keys ("<serviceId>|<channelKey>", as the API sends
 * `enabled`), the unsaved edits layered over the saved state, the list of changes to send, "toggle a whole row or
 * column" over the rows currently shown, and the location/qualification filter with grouping by qualification.
 *
 * Edits are kept as a map key → wanted value. An edit that equals the saved state is no change: it is dropped, so
 * ticking and unticking a cell again leaves nothing to save.
 */

export type Edits = Readonly<Record<string, boolean>>;

export interface Change { serviceId: number; channelKey: string; enabled: boolean }

export interface MatrixService {
  id: number;
  name: string;
  qualificationId: number;
  qualificationName: string;
  locationIds: number[];
}

export function cellKey(serviceId: number, channelKey: string): string {
  return `${serviceId}|${channelKey}`;
}

function parseKey(key: string): { serviceId: number; channelKey: string } {
  const bar = key.indexOf('|');
  return { serviceId: Number(key.slice(0, bar)), channelKey: key.slice(bar + 1) };
}

/** Whether the cell is ticked as shown: the user's edit if any, else the saved state. */
export function isTicked(key: string, saved: ReadonlySet<string>, edits: Edits): boolean {
  return key in edits ? edits[key] : saved.has(key);
}

/** Whether the cell shows something other than what is saved. */
export function isChanged(key: string, saved: ReadonlySet<string>, edits: Edits): boolean {
  return key in edits && edits[key] !== saved.has(key);
}

/** Sets cells to a value; cells set back to their saved state are no longer edits. */
export function setCells(keys: readonly string[], value: boolean, saved: ReadonlySet<string>, edits: Edits): Edits {
  const next: Record<string, boolean> = { ...edits };
  for (const key of keys) {
    if (saved.has(key) === value) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** "Toggle row/column": if every cell is ticked, untick them all; otherwise tick them all. */
export function toggleCells(keys: readonly string[], saved: ReadonlySet<string>, edits: Edits): Edits {
  if (keys.length === 0) return edits;
  const allTicked = keys.every((key) => isTicked(key, saved, edits));
  return setCells(keys, !allTicked, saved, edits);
}

/** What differs from the saved state, as the API's save takes it (in a stable order). */
export function changesOf(saved: ReadonlySet<string>, edits: Edits): Change[] {
  return Object.keys(edits)
    .filter((key) => edits[key] !== saved.has(key))
    .sort()
    .map((key) => ({ ...parseKey(key), enabled: edits[key] }));
}

/** The edits still differing from a (new) saved state. */
export function pruneEdits(saved: ReadonlySet<string>, edits: Edits): Edits {
  const next: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(edits)) if (saved.has(key) !== value) next[key] = value;
  return next;
}

/** The saved state after a successful save of `changes`. */
export function applyChanges(enabled: readonly string[], changes: readonly Change[]): string[] {
  const next = new Set(enabled);
  for (const c of changes) {
    const key = cellKey(c.serviceId, c.channelKey);
    if (c.enabled) next.add(key);
    else next.delete(key);
  }
  return [...next];
}

export interface MatrixFilter { locationId: number | null; qualificationId: number | null }

/** The services shown: offered at the chosen location (any, when none is chosen) and of the chosen qualification. */
export function visibleServices<S extends MatrixService>(services: readonly S[], filter: MatrixFilter): S[] {
  return services.filter((s) =>
    (filter.locationId === null || s.locationIds.includes(filter.locationId))
    && (filter.qualificationId === null || s.qualificationId === filter.qualificationId));
}

export interface ServiceGroup<S> { qualificationId: number; qualificationName: string; services: S[] }

/** Services grouped by qualification, groups in the order they first appear (the API sorts by qualification). */
export function groupByQualification<S extends MatrixService>(services: readonly S[]): ServiceGroup<S>[] {
  const groups: ServiceGroup<S>[] = [];
  for (const s of services) {
    let group = groups.find((g) => g.qualificationId === s.qualificationId);
    if (!group) {
      group = { qualificationId: s.qualificationId, qualificationName: s.qualificationName, services: [] };
      groups.push(group);
    }
    group.services.push(s);
  }
  return groups;
}
