import { describe, expect, it } from 'vitest';
import { effectiveChoice, flattenOptions, narrowOptions, NO_CHOICE } from './booking-filters';

const options = flattenOptions([
  {
    institutionId: 1, institutionName: 'Someș',
    locations: [{ id: 10, name: 'Centru', timeZone: 'Europe/Bucharest' }, { id: 11, name: 'Mănăștur', timeZone: 'Europe/Bucharest' }],
    qualifications: [{ id: 100, name: 'Cardiology' }, { id: 101, name: 'Dermatology' }],
    physicians: [
      { id: 1000, name: 'Dr. Pop', qualificationIds: [100], locationIds: [10] },
      { id: 1001, name: 'Dr. Ene', qualificationIds: [101], locationIds: [10, 11] },
    ],
    services: [
      { id: 5000, name: 'ECG', qualificationId: 100, durationMinutes: 20 },
      { id: 5001, name: 'Skin check', qualificationId: 101, durationMinutes: 30 },
    ],
  },
  {
    institutionId: 2, institutionName: 'Napoca',
    locations: [{ id: 20, name: 'Gară', timeZone: 'Europe/Bucharest' }],
    qualifications: [{ id: 200, name: 'Cardiology' }],
    physicians: [{ id: 2000, name: 'Dr. Mureșan', qualificationIds: [200], locationIds: [20] }],
    services: [{ id: 6000, name: 'Echo', qualificationId: 200, durationMinutes: 40 }],
  },
]);
const ids = (list: { id: number }[]) => list.map((x) => x.id);

describe('calendar filters', () => {
  it('offer everything by default', () => {
    const n = narrowOptions(options, NO_CHOICE);
    expect(ids(n.institutions)).toEqual([1, 2]);
    expect(ids(n.physicians)).toEqual([1000, 1001, 2000]);
    expect(ids(n.services)).toEqual([5000, 5001, 6000]);
  });

  it('narrow everything to the chosen institution', () => {
    const n = narrowOptions(options, { ...NO_CHOICE, institutionId: 2 });
    expect(ids(n.locations)).toEqual([20]);
    expect(ids(n.physicians)).toEqual([2000]);
    expect(ids(n.services)).toEqual([6000]);
    expect(ids(n.institutions)).toEqual([1, 2]); // the institution list itself stays open
  });

  it('narrow physicians and services by location and qualification', () => {
    const n = narrowOptions(options, { ...NO_CHOICE, locationId: 11 });
    expect(ids(n.physicians)).toEqual([1001]);
    expect(ids(n.services)).toEqual([5001]);
    expect(ids(n.qualifications)).toEqual([101]);
    const q = narrowOptions(options, { ...NO_CHOICE, qualificationId: 100 });
    expect(ids(q.physicians)).toEqual([1000]);
    expect(ids(q.locations)).toEqual([10]);
  });

  it('narrow services to what the chosen physician does, and physicians to who does the chosen service', () => {
    expect(ids(narrowOptions(options, { ...NO_CHOICE, physicianId: 1001 }).services)).toEqual([5001]);
    expect(ids(narrowOptions(options, { ...NO_CHOICE, serviceId: 5000 }).physicians)).toEqual([1000]);
  });

  it('treat a choice that no longer fits as "all"', () => {
    const c = effectiveChoice(options, { ...NO_CHOICE, institutionId: 2, physicianId: 1000, serviceId: 6000 });
    expect(c).toEqual({ ...NO_CHOICE, institutionId: 2, serviceId: 6000 });
  });
});
