/**
 * Activities of the PartnerInvitation workflow. Each is idempotent: an invitation round is keyed by the workflow run,
 * every email by a unique message key (invite / reminder-N / outcome, per recipient), and status changes are
 * conditional on the partnership still being pending.
 */
import { and, asc, eq, inArray, isNull, like, ne } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { emailOutbox, locations, organisations, partnerInvitations, partnershipNotices, partnerships, services, users } from '../db/schema';
import { activeAdmins } from '../db/queries';
import { isStaleRound } from '../server/workflow-outbox';
import { hashToken, linkToken } from '../server/domain/invitation-token';
import { isPending, type PartnershipStatus } from '../server/domain/partnership-status';
import { expirePartnership } from '../server/partners/operations';
import { contactLocale } from '../server/domain/contact-locale';
import { describeError } from '../server/log-safety';
import { changedTerms, type PartnershipTerms } from '../server/partners/notices';
import { renderPartnershipNoticeEmail, type NoticeTermChange, type PartnershipNoticeEmailData } from './mail/partnership-notice';

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
  // The partnership notices' activities are registered with these (createActivities spreads this factory).
  const notices = createPartnershipNoticeActivities(deps);

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
    ...notices,

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

export type PartnershipNoticeActivities = ReturnType<typeof createPartnershipNoticeActivities>;

const noticeKeyPrefix = (noticeId: number) => `partnership-notice:${noticeId}:`;

/**
 * Activities of the PartnershipNotice workflow (server/partners/notices.ts). The recipients are fixed when the notice
 * is first queued: the partner organisation's active admins (each in their own language), or, when it has none (a
 * withdrawn registration), the contact person the invitation went to (in the language of its country).
 */
export function createPartnershipNoticeActivities(deps: ActivityDeps) {
  const { db } = deps;

  async function render(noticeId: number, recipient: { userId: number } | 'contact'): Promise<ReturnType<typeof renderPartnershipNoticeEmail>> {
    const [n] = await db.select().from(partnershipNotices).where(eq(partnershipNotices.id, noticeId));
    if (!n) throw new Error(`partnership notice ${noticeId} not found`);
    const [p] = await db.select().from(partnerships).where(eq(partnerships.id, n.partnershipId));
    const [institution] = await db.select().from(organisations).where(eq(organisations.id, p.institutionId));
    const [company] = await db.select().from(organisations).where(eq(organisations.id, p.partnerOrganisationId));
    let who: { name: string; locale: 'en' | 'ro' };
    if (recipient === 'contact') {
      who = { name: p.contactName, locale: contactLocale(company.country) };
    } else {
      const [u] = await db.select({ name: users.name, locale: users.locale }).from(users).where(eq(users.id, recipient.userId));
      if (!u) throw new Error(`user ${recipient.userId} not found`);
      who = u;
    }
    const base = {
      locale: who.locale, recipientName: who.name, institutionName: institution.name, companyName: company.name, timeZone: institution.timeZone,
      link: recipient === 'contact' ? null : `${deps.appUrl}/institutions`,
    };
    const before = (n.before ?? {}) as Record<string, unknown>;
    const after = (n.after ?? {}) as Record<string, unknown>;
    let data: PartnershipNoticeEmailData;
    if (n.kind === 'ended') {
      data = { ...base, kind: 'ended', endedAt: typeof after.endedAt === 'string' ? new Date(after.endedAt) : p.closedAt ?? n.createdAt };
    } else if (n.kind === 'withdrawn') {
      data = { ...base, kind: 'withdrawn', path: before.status === 'pending_registration' ? 'registration' : 'approval' };
    } else if (n.kind === 'terms') {
      const [b, a] = [before as unknown as PartnershipTerms, after as unknown as PartnershipTerms];
      const names = await namesOf(locations, p.institutionId, [...b.locationIds, ...a.locationIds]);
      const byName = (ids: number[]) => ids.map((id) => names.get(id) ?? `#${id}`).sort((x, y) => x.localeCompare(y));
      const changes: NoticeTermChange[] = changedTerms(b, a).map((field): NoticeTermChange => {
        switch (field) {
          case 'commission': return { field, before: b, after: a };
          case 'paymentLocation': return { field, before: b.paymentLocation, after: a.paymentLocation };
          case 'patientDataAccess': return { field, before: b.patientDataAccess, after: a.patientDataAccess };
          case 'locationIds': return { field, before: byName(b.locationIds), after: byName(a.locationIds) };
        }
      });
      data = { ...base, kind: 'terms', changes };
    } else {
      const [b, a] = [(before.serviceIds ?? []) as number[], (after.serviceIds ?? []) as number[]];
      const names = await namesOf(services, p.institutionId, [...b, ...a]);
      const byName = (ids: number[]) => ids.map((id) => names.get(id) ?? `#${id}`).sort((x, y) => x.localeCompare(y));
      data = { ...base, kind: 'services', before: byName(b), after: byName(a) };
    }
    return renderPartnershipNoticeEmail(data);
  }

  /** Names of the institution's own locations or services (never another organisation's). */
  async function namesOf(table: typeof locations | typeof services, institutionId: number, ids: number[]) {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map<number, string>();
    const rows = await db.select({ id: table.id, name: table.name }).from(table)
      .where(and(eq(table.organisationId, institutionId), inArray(table.id, unique)));
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  return {
    /** Queues the notice's emails (once: a retry returns the keys queued first). Returns the message keys. */
    async queuePartnershipNotice(noticeId: number): Promise<string[]> {
      return db.transaction(async (tx) => {
        const [n] = await tx.select().from(partnershipNotices).where(eq(partnershipNotices.id, noticeId)).for('update');
        if (!n) throw new Error(`partnership notice ${noticeId} not found`);
        const queued = await tx.select({ key: emailOutbox.messageKey }).from(emailOutbox)
          .where(like(emailOutbox.messageKey, `${noticeKeyPrefix(noticeId)}%`)).orderBy(asc(emailOutbox.id));
        if (queued.length) return queued.map((r) => r.key);
        const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, n.partnershipId));
        const admins = await activeAdmins(tx, p.partnerOrganisationId);
        const keys: string[] = [];
        for (const admin of admins) {
          const key = `${noticeKeyPrefix(noticeId)}user-${admin.id}`;
          await tx.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: admin.email, template: 'partnership-notice', params: { noticeId, userId: admin.id } });
          keys.push(key);
        }
        if (admins.length === 0) {
          const key = `${noticeKeyPrefix(noticeId)}contact`;
          await tx.insert(emailOutbox).ignore().values({ messageKey: key, toAddress: p.contactEmail, template: 'partnership-notice', params: { noticeId } });
          keys.push(key);
        }
        return keys;
      });
    },

    /** Sends one of the notice's emails once: a retry after a successful send finds the row marked sent. */
    async deliverPartnershipNotice(messageKey: string): Promise<'sent' | 'already_sent'> {
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, messageKey)).limit(1);
      if (!row || row.template !== 'partnership-notice') throw new Error(`email ${messageKey} is not a queued partnership notice`);
      if (row.status !== 'pending') return 'already_sent';
      try {
        const email = await render(Number(row.params.noticeId), row.params.userId ? { userId: Number(row.params.userId) } : 'contact');
        await deps.mailer.send(row.toAddress, email, { messageKey: row.messageKey });
      } catch (err) {
        await db.update(emailOutbox).set({ attempts: row.attempts + 1, lastError: describeError(err) }).where(eq(emailOutbox.id, row.id));
        throw err;
      }
      await db.update(emailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
        .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, 'sent')));
      return 'sent';
    },
  };
}
