/** The Traffic Channels matrix logic: edits over the saved state, toggling rows/columns, filters, changes to send. */
import { describe, expect, it } from 'vitest';
import {
  applyChanges, cellKey, changesOf, groupByQualification, isChanged, isTicked, pruneEdits, setCells, toggleCells,
  visibleServices,
} from './traffic-matrix';

const saved = new Set(['1|online', '1|partnership:7', '2|online']);

describe('edits', () => {
  it('layer over the saved state and vanish when set back', () => {
    let edits = setCells(['1|phone'], true, saved, {});
    expect(isTicked('1|phone', saved, edits)).toBe(true);
    expect(isChanged('1|phone', saved, edits)).toBe(true);
    edits = setCells(['1|phone'], false, saved, edits);
    expect(edits).toEqual({});
    expect(changesOf(saved, edits)).toEqual([]);
  });

  it('toggle ticks all cells unless all are ticked, then unticks them', () => {
    const row = ['1|online', '1|phone', '1|partnership:7'];
    const ticked = toggleCells(row, saved, {});
    expect(row.every((k) => isTicked(k, saved, ticked))).toBe(true);
    expect(changesOf(saved, ticked)).toEqual([{ serviceId: 1, channelKey: 'phone', enabled: true }]);
    const unticked = toggleCells(row, saved, ticked);
    expect(row.some((k) => isTicked(k, saved, unticked))).toBe(false);
    expect(changesOf(saved, unticked)).toEqual([
      { serviceId: 1, channelKey: 'online', enabled: false },
      { serviceId: 1, channelKey: 'partnership:7', enabled: false },
    ]);
  });

  it('after a save, the saved state includes the changes and nothing is left to save', () => {
    const edits = setCells([cellKey(2, 'partnership:7'), cellKey(1, 'online')], true, saved, { '2|online': false });
    const changes = changesOf(saved, edits);
    const next = new Set(applyChanges([...saved], changes));
    expect(next.has('2|partnership:7')).toBe(true);
    expect(next.has('2|online')).toBe(false);
    expect(pruneEdits(next, edits)).toEqual({});
  });
});

describe('filters', () => {
  const services = [
    { id: 1, name: 'EKG', qualificationId: 10, qualificationName: 'Cardiology', locationIds: [100, 101] },
    { id: 2, name: 'Echo', qualificationId: 10, qualificationName: 'Cardiology', locationIds: [100] },
    { id: 3, name: 'X-ray', qualificationId: 20, qualificationName: 'Radiology', locationIds: [] },
  ];

  it('filter by location and qualification', () => {
    expect(visibleServices(services, { locationId: null, qualificationId: null }).map((s) => s.id)).toEqual([1, 2, 3]);
    expect(visibleServices(services, { locationId: 101, qualificationId: null }).map((s) => s.id)).toEqual([1]);
    expect(visibleServices(services, { locationId: null, qualificationId: 20 }).map((s) => s.id)).toEqual([3]);
  });

  it('group by qualification in order', () => {
    expect(groupByQualification(services).map((g) => [g.qualificationName, g.services.length])).toEqual([
      ['Cardiology', 2], ['Radiology', 1],
    ]);
  });
});
