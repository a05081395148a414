/** Which changes a partner is told about: commercial terms only (never contact details), services added / removed. */
import { describe, expect, it } from 'vitest';
import { changedTerms, servicesDiff, termsOf, type PartnershipTerms } from './notices';

const base: PartnershipTerms = termsOf({ commissionType: 'percent', commissionValue: 1250, commissionCurrency: null, paymentLocation: 'partner', patientDataAccess: false }, [2, 1]);

describe('changedTerms', () => {
  it('sees no change when only the order of the locations differs', () => {
    expect(base.locationIds).toEqual([1, 2]);
    expect(changedTerms(base, termsOf(base, [1, 2, 2]))).toEqual([]);
  });

  it('names each changed term', () => {
    expect(changedTerms(base, { ...base, commissionValue: 1000 })).toEqual(['commission']);
    expect(changedTerms(base, { ...base, commissionType: 'fixed', commissionValue: 1250, commissionCurrency: 'RON' })).toEqual(['commission']);
    expect(changedTerms(base, { ...base, paymentLocation: 'institution', patientDataAccess: true, locationIds: [1] }))
      .toEqual(['paymentLocation', 'patientDataAccess', 'locationIds']);
  });

  it('treats every "none" commission as the same', () => {
    const none = { ...base, commissionType: 'none' as const, commissionValue: 0 };
    expect(changedTerms(none, { ...none, commissionValue: 5, commissionCurrency: 'RON' })).toEqual([]);
  });

  it('compares the currency of a fixed commission only', () => {
    const fixed = { ...base, commissionType: 'fixed' as const, commissionValue: 2550, commissionCurrency: 'RON' };
    expect(changedTerms(fixed, { ...fixed, commissionCurrency: 'EUR' })).toEqual(['commission']);
    expect(changedTerms(base, { ...base, commissionCurrency: 'EUR' })).toEqual([]);
  });
});

describe('servicesDiff', () => {
  it('lists what was added and removed, sorted', () => {
    expect(servicesDiff([3, 1], [1, 7, 5])).toEqual({ added: [5, 7], removed: [3] });
    expect(servicesDiff([1, 2], [2, 1])).toEqual({ added: [], removed: [] });
  });
});
