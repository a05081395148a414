/**
 * "Which invitation path?" while "Add New Partner" is filled in: what saving would do with this tax number, by the
 * rule the save itself applies (invitationPath, decision 004) but with plain reads — a preview takes no locks and
 * changes nothing. A company found by its tax number is shown with its public registry data (name, registration
 * number, headquarters address), never with its users. An invalid tax number is no error here: the form checks it on
 * save, and half-typed numbers are the normal case while typing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organisations, partnerships } from '../../db/schema';
import type { Country } from '../domain/countries';
import { OPEN_STATUSES } from '../domain/partnership-status';
import { validateTaxNumber } from '../domain/tax-number';
import { invitationPath } from './paths';

export interface RegistryCompany { name: string; registrationNumber: string; address: string }

export type InvitationPreview =
  /** Not a valid tax number (yet): nothing to say. */
  | { outcome: 'invalid' }
  /** The institution's own tax number: it cannot be its own partner. */
  | { outcome: 'self' }
  /** Already a pending or active partner of this institution: saving would be refused. */
  | { outcome: 'duplicate'; company: RegistryCompany }
  /** The organisation's administrators get an approval request in the app (no email link). */
  | { outcome: 'approval'; company: RegistryCompany }
  /** The contact person gets a registration email; `company` is null when the organisation is new. */
  | { outcome: 'registration'; company: RegistryCompany | null };

export async function previewInvitation(db: Executor, institutionId: number, country: Country, taxNumberText: string): Promise<InvitationPreview> {
  const tax = validateTaxNumber(country, taxNumberText);
  if (!tax.ok) return { outcome: 'invalid' };
  const [org] = await db.select().from(organisations)
    .where(and(eq(organisations.country, country), eq(organisations.taxNumber, tax.normalized)));
  // A new organisation has no members and no registration under way: its contact person registers.
  if (!org) return { outcome: 'registration', company: null };
  if (org.id === institutionId) return { outcome: 'self' };
  const company = { name: org.name, registrationNumber: org.registrationNumber, address: org.address };
  const [open] = await db.select({ id: partnerships.id }).from(partnerships)
    .where(and(eq(partnerships.institutionId, institutionId), eq(partnerships.partnerOrganisationId, org.id),
      inArray(partnerships.status, [...OPEN_STATUSES]))).limit(1);
  if (open) return { outcome: 'duplicate', company };
  const path = await invitationPath(db, org.id, undefined, { lock: false });
  return { outcome: path === 'pending_approval' ? 'approval' : 'registration', company };
}
