/**
 * Activities of the PartnerInvitation workflow. Each is idempotent: an invitation round is keyed by the workflow run,
 * every email by a unique message key (invite / reminder-N / outcome, per recipient), and status changes are
 * conditional on the partnership still being pending.
 */
import { and, eq, inArray, isNull, like } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { emailOutbox, partnerInvitations, partnerships } from '../db/schema';
import { activeAdmins } from '../db/queries';
import { isStaleRound } from '../server/workflow-outbox';
import { hashToken, linkToken } from '../server/domain/invitation-token';
import { isPending, type PartnershipStatus } from '../server/domain/partnership-status';
import { expirePartnership } from '../server/partners/operations';

const DAY = 86_400_000;
const DEFAULT_PARTNER_TIMINGS = { reminderOffsetsMs: [3 * DAY, 7 * DAY], expiresAfterMs: 14 * DAY };
import type { ActivityDeps, EmailActivities } from './email-activities';

export type IssuePartnerResult =
  | { status: 'issued'; kind: 'approval' | 'registration'; invitationId: number; issuedAt: number; expiresAt: number; messageKeys: string[] }
  | { status: 'closed'; partnershipStatus: PartnershipStatus };

export type RemindPartnerResult = { status: 'sent'; messageKeys: string[] } | { status: 'closed' };

export type PartnerInvitationActivities = ReturnType<typeof createPartnerInvitationActivities> & Pick<EmailActivities, 'deliverEmail'>;

export function createPartnerInvitationActivities(deps: ActivityDeps) {
  const { db } = deps;

  /** Queues one email per recipient of an invitation round; returns the message keys (existing rows are kept). */
  async function queueInvitationEmails(tx: Executor, inv: { id: number; kind: 'approval' | 'registration' }, p: typeof partnerships.$inferSelect, stage: string, reminder: boolean) {
    const keys: string[] = [];
    if (inv.kind === 'registration') {
      const key = `partner-invitation:${inv.id}:${stage}:contact`;
      await tx.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: p.contactEmail, template: 'partner-registration', params: { invitationId: inv.id, reminder: reminder ? 1 : 0 } });
      keys.push(key);
    } else {
      for (const admin of await activeAdmins(tx, p.partnerOrganisationId)) {
        const key = `partner-invitation:${inv.id}:${stage}:user-${admin.id}`;
        await tx.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: admin.email, template: 'partner-notification', params: { invitationId: inv.id, userId: admin.id, reminder: reminder ? 1 : 0 } });
        keys.push(key);
      }
    }
    return keys;
  }

  async function loadRound(invitationId: number) {
    const [row] = await db.select({ inv: partnerInvitations, p: partnerships }).from(partnerInvitations)
      .innerJoin(partnerships, eq(partnerships.id, partnerInvitations.partnershipId))
      .where(eq(partnerInvitations.id, invitationId)).limit(1);
    return row ?? null;
  }

  return {
    /** Issues this run's invitation round (revoking older links) and queues its emails. Returns the same on a retry. */
    async issuePartnerInvitation(input: { partnershipId: number; runKey: string; expiresAfterMs: number }): Promise<IssuePartnerResult> {
      return db.transaction(async (tx) => {
        const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, input.partnershipId)).for('update');
        if (!p) throw new Error(`partnership ${input.partnershipId} not found`);
        const [existing] = await tx.select().from(partnerInvitations).where(eq(partnerInvitations.runKey, input.runKey));
        if (existing) {
          const rows = await tx.select({ key: emailOutbox.messageKey }).from(emailOutbox)
            .where(like(emailOutbox.messageKey, `partner-invitation:${existing.id}:invite:%`));
          return { status: 'issued' as const, kind: existing.kind, invitationId: existing.id, issuedAt: existing.createdAt.getTime(), expiresAt: existing.expiresAt.getTime(), messageKeys: rows.map((r) => r.key).sort() };
        }
        if (!isPending(p.status)) return { status: 'closed' as const, partnershipStatus: p.status };
        const rounds = await tx.select({ runKey: partnerInvitations.runKey }).from(partnerInvitations).where(eq(partnerInvitations.partnershipId, p.id));
        if (isStaleRound(input.runKey, rounds.map((r) => r.runKey))) return { status: 'closed' as const, partnershipStatus: p.status };
        const now = new Date();
        // By primary key (see issueInvitation): the partnership row is locked, so nobody issues for it meanwhile.
        const open = await tx.select({ id: partnerInvitations.id }).from(partnerInvitations)
          .where(and(eq(partnerInvitations.partnershipId, p.id), isNull(partnerInvitations.usedAt), isNull(partnerInvitations.revokedAt)));
        if (open.length) await tx.update(partnerInvitations).set({ revokedAt: now }).where(inArray(partnerInvitations.id, open.map((o) => o.id)));
        const kind = p.status === 'pending_approval' ? 'approval' as const : 'registration' as const;
        const expiresAt = new Date(now.getTime() + input.expiresAfterMs);
        const [created] = await tx.insert(partnerInvitations).values({ partnershipId: p.id, kind, runKey: input.runKey, createdAt: now, expiresAt }).$returningId();
        if (kind === 'registration') {
          await tx.update(partnerInvitations).set({ tokenHash: hashToken(linkToken(deps.appSecret, 'partner-invitation', created.id)) })
            .where(eq(partnerInvitations.id, created.id));
        }
        const messageKeys = await queueInvitationEmails(tx, { id: created.id, kind }, p, 'invite', false);
        return { status: 'issued' as const, kind, invitationId: created.id, issuedAt: now.getTime(), expiresAt: expiresAt.getTime(), messageKeys };
      });
    },

    async remindPartnerInvitation(input: { invitationId: number; reminderNumber: number }): Promise<RemindPartnerResult> {
      const row = await loadRound(input.invitationId);
      if (!row || !isPending(row.p.status) || row.inv.usedAt || row.inv.revokedAt) return { status: 'closed' };
      const messageKeys = await db.transaction(async (tx) => {
        const keys = await queueInvitationEmails(tx, row.inv, row.p, `reminder-${input.reminderNumber}`, true);
        await tx.update(partnerInvitations).set({ remindersSent: input.reminderNumber }).where(eq(partnerInvitations.id, row.inv.id));
        return keys;
      });
      return { status: 'sent', messageKeys };
    },

    /** Day 14: a still-pending partnership whose current round is unanswered becomes `expired`. */
    async expirePartnerInvitation(invitationId: number): Promise<PartnershipStatus> {
      return expirePartnership(db, invitationId, deps.partnerTimings ?? DEFAULT_PARTNER_TIMINGS);
    },

    /** Reads the outcome and queues the email to the institution's admins when the partner accepted or declined. */
    async concludePartnerInvitation(partnershipId: number): Promise<{ partnershipStatus: PartnershipStatus; messageKeys: string[] }> {
      return db.transaction(async (tx) => {
        const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, partnershipId));
        const template = p.status === 'active' ? 'partner-accepted' : p.status === 'declined' ? 'partner-declined' : null;
        if (!template) return { partnershipStatus: p.status, messageKeys: [] };
        const keys: string[] = [];
        for (const admin of await activeAdmins(tx, p.institutionId)) {
          const key = `partnership:${p.id}:${template}:user-${admin.id}`;
          await tx.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: admin.email, template, params: { partnershipId: p.id, userId: admin.id } });
          keys.push(key);
        }
        return { partnershipStatus: p.status, messageKeys: keys };
      });
    },
  };
}
