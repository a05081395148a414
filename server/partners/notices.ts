/**
 * "The partner is never told" (issue 10, item 3): when the institution ends a partnership, withdraws its invitation,
 * or changes its commercial terms (commission, payment location, patient-data access, granted locations) or its
 * authorised services (Traffic Channels), the partner's admins get an email.
 *
 * The operation that makes the change records it in partnership_notices and, in the same transaction, queues the
 * partnershipNotice workflow in the outbox (server/workflow-outbox.ts's table and dispatcher). The workflow ID is
 * derived from the notice (`partnership-notice:<partnershipId>:<noticeId>`), its input holds IDs only, and its activity
 * reads the notice, queues one email per recipient under a message key of its own and delivers each once: a retried
 * outbox row, a restarted workflow or a repeated activity never sends twice.
 *
 * Not batched: one notice per save. A save is already the unit the admin decided on (the whole Edit partner form, the
 * whole Traffic Channels matrix: one email per partner per save, never one per cell), and the partner learns of a
 * change to its commission or its services when it happens, not after a quiet period.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { channelServices, partnershipNotices, partnerships, workflowOutbox } from '../../db/schema';

export type NoticeKind = (typeof partnershipNotices.$inferInsert)['kind'];

export const partnershipNoticeWorkflowId = (partnershipId: number, noticeId: number) => `partnership-notice:${partnershipId}:${noticeId}`;

/** Input of the partnershipNotice workflow: IDs only. */
export interface PartnershipNoticeInput {
  noticeId: number;
  /** Set by the outbox dispatcher (`outbox:<rowId>`); not needed, the notice ID keys everything. */
  roundKey?: string;
}

/** The commercial terms a partner is told about when they change (codes and IDs, as stored). */
export interface PartnershipTerms {
  commissionType: 'none' | 'percent' | 'fixed';
  /** Basis points for 'percent', minor units of commissionCurrency for 'fixed', 0 for 'none'. */
  commissionValue: number;
  commissionCurrency: string | null;
  paymentLocation: 'partner' | 'institution';
  patientDataAccess: boolean;
  locationIds: number[];
}

export type TermsField = 'commission' | 'paymentLocation' | 'patientDataAccess' | 'locationIds';

export function termsOf(p: Omit<PartnershipTerms, 'locationIds'>, locationIds: number[]): PartnershipTerms {
  return {
    commissionType: p.commissionType, commissionValue: p.commissionValue, commissionCurrency: p.commissionCurrency,
    paymentLocation: p.paymentLocation, patientDataAccess: p.patientDataAccess, locationIds: [...new Set(locationIds)].sort((a, b) => a - b),
  };
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && [...a].sort((x, y) => x - y).every((v, i) => v === [...b].sort((x, y) => x - y)[i]);

/** Which commercial terms differ (contact details are not terms: the partner is not told about those). */
export function changedTerms(before: PartnershipTerms, after: PartnershipTerms): TermsField[] {
  const changed: TermsField[] = [];
  const commission = (t: PartnershipTerms) => (t.commissionType === 'none' ? 'none' : `${t.commissionType}:${t.commissionValue}:${t.commissionType === 'fixed' ? t.commissionCurrency : ''}`);
  if (commission(before) !== commission(after)) changed.push('commission');
  if (before.paymentLocation !== after.paymentLocation) changed.push('paymentLocation');
  if (before.patientDataAccess !== after.patientDataAccess) changed.push('patientDataAccess');
  if (!sameSet(before.locationIds, after.locationIds)) changed.push('locationIds');
  return changed;
}

/** The services a save added to and removed from a partnership's column. */
export function servicesDiff(before: number[], after: number[]): { added: number[]; removed: number[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: [...a].filter((id) => !b.has(id)).sort((x, y) => x - y), removed: [...b].filter((id) => !a.has(id)).sort((x, y) => x - y) };
}

/**
 * Records a change the partner is told about and queues its workflow, inside the caller's transaction (which holds
 * the partnership's row lock). Returns the notice ID.
 */
export async function recordNotice(tx: Executor, notice: {
  partnershipId: number; institutionId: number; kind: NoticeKind; actorUserId: number | null;
  before?: Record<string, unknown>; after?: Record<string, unknown>;
}): Promise<number> {
  const [created] = await tx.insert(partnershipNotices).values({
    partnershipId: notice.partnershipId, kind: notice.kind, actorUserId: notice.actorUserId,
    before: notice.before ?? null, after: notice.after ?? null,
  }).$returningId();
  const args: PartnershipNoticeInput = { noticeId: created.id };
  await tx.insert(workflowOutbox).values({
    workflowType: 'partnershipNotice', workflowId: partnershipNoticeWorkflowId(notice.partnershipId, created.id), args, mode: 'start',
    searchAttributes: { InstitutionId: String(notice.institutionId), PartnershipId: String(notice.partnershipId) },
  });
  return created.id;
}

/**
 * Traffic Channels, before a save changes the matrix: the services ticked in each ACTIVE partnership's column (the
 * caller holds the partnerships' row locks). Pending invitations are not told: they see the services once active.
 */
export async function activeColumnServices(tx: Executor, institutionId: number, partnershipIds: number[]): Promise<Map<number, number[]>> {
  const sets = new Map<number, number[]>();
  if (partnershipIds.length === 0) return sets;
  const active = await tx.select({ id: partnerships.id }).from(partnerships)
    .where(and(eq(partnerships.institutionId, institutionId), inArray(partnerships.id, partnershipIds), eq(partnerships.status, 'active')));
  if (active.length === 0) return sets;
  for (const { id } of active) sets.set(id, []);
  const ticked = await tx.select({ partnershipId: channelServices.partnershipId, serviceId: channelServices.serviceId }).from(channelServices)
    .where(inArray(channelServices.partnershipId, active.map((a) => a.id)));
  for (const t of ticked) sets.get(t.partnershipId!)?.push(t.serviceId);
  return sets;
}

/**
 * Traffic Channels, after the save's writes: one notice per active partnership whose services changed in this save
 * (one email per partner per save, however many cells). Returns how many were recorded.
 */
export async function recordServiceNotices(tx: Executor, institutionId: number, actorUserId: number, before: Map<number, number[]>): Promise<number> {
  if (before.size === 0) return 0;
  const after = await activeColumnServices(tx, institutionId, [...before.keys()]);
  let recorded = 0;
  for (const [partnershipId, was] of before) {
    const now = after.get(partnershipId) ?? [];
    const { added, removed } = servicesDiff(was, now);
    if (added.length === 0 && removed.length === 0) continue;
    await recordNotice(tx, {
      partnershipId, institutionId, kind: 'services', actorUserId,
      before: { serviceIds: [...was].sort((a, b) => a - b) }, after: { serviceIds: [...now].sort((a, b) => a - b) },
    });
    recorded++;
  }
  return recorded;
}
