/**
 * The partners list's filter as it lives in the address (?status=): a group of partners — current (the default), ended
 * and closed invitations, all — or one status of the current partnership (links from before the groups keep working).
 */
import type { PartnerListInput } from './partners-data';
import { PARTNERSHIP_STATUSES, type PartnershipStatus } from './partner-format';

export type ListFilter = NonNullable<PartnerListInput['filter']>;
export type Shown = ListFilter | PartnershipStatus;

export const LIST_FILTERS: readonly ListFilter[] = ['current', 'ended', 'all'];

/** The address's ?status= as what to show; anything unknown is the default. */
export function shownFrom(value: string | undefined): Shown {
  if (value && ((LIST_FILTERS as readonly string[]).includes(value) || (PARTNERSHIP_STATUSES as readonly string[]).includes(value))) {
    return value as Shown;
  }
  return 'current';
}

/** What the API is asked for: a group, or every partner whose current partnership has this status. */
export function listInputFor(shown: Shown): Pick<PartnerListInput, 'filter' | 'status'> {
  return (LIST_FILTERS as readonly string[]).includes(shown) ? { filter: shown as ListFilter } : { filter: 'all', status: shown as PartnershipStatus };
}
