/**
 * Email rendering and delivery. Outbox rows hold a template name and IDs; the message is rendered here, at send time,
 * in the recipient's language and the organisation's time zone, so no link token or personal data sits in the queue.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  emailOutbox, locations, organisations, partnerInvitations, partnershipLocations, partnerships, settlementStatements, userInvitations, users,
} from '../db/schema';
import { invitationToken, linkToken } from '../server/domain/invitation-token';
import { contactLocale } from '../server/domain/contact-locale';
import { describeError } from '../server/log-safety';
import type { Mailer } from './mail/mailer';
import { activityLog } from './activity-log';
import { RecipientErased, renderBookingEmail } from './booking-activities';
import {
  renderInvitationEmail, renderPartnerNotificationEmail, renderPartnerOutcomeEmail, renderPartnerRegistrationEmail,
  renderSettlementIssuedEmail, type RenderedEmail,
} from './mail/templates';
import { getStatement } from '../server/settlement/statements';
import { formatMoney } from '../server/domain/commission';

export interface ActivityDeps {
  db: Db;
  mailer: Mailer;
  appUrl: string;
  appSecret: string;
  /** Timings of partner invitations that an activity starts (a waiting invitation promoted to registration). */
  partnerTimings?: { reminderOffsetsMs: number[]; expiresAfterMs: number };
  /** How long after its end a booking becomes `fulfilled` (BOOKING_FULFIL_GRACE_HOURS; 24 h by default). */
  bookingFulfilGraceMs?: number;
  /** How long before the start a booking's patient is reminded (BOOKING_REMINDER_HOURS; 24 h by default). */
  bookingReminderBeforeMs?: number;
  /** Partnerships per settlement chunk (SETTLEMENT_CHUNK_SIZE; 10 by default). */
  settlementChunkSize?: number;
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;

async function loadPartnership(db: Db, partnershipId: number) {
  const [p] = await db.select().from(partnerships).where(eq(partnerships.id, partnershipId)).limit(1);
  if (!p) throw new Error(`partnership ${partnershipId} not found`);
  const [institution] = await db.select().from(organisations).where(eq(organisations.id, p.institutionId));
  const [company] = await db.select().from(organisations).where(eq(organisations.id, p.partnerOrganisationId));
  const locs = await db.select({ name: locations.name }).from(partnershipLocations)
    .innerJoin(locations, eq(locations.id, partnershipLocations.locationId))
    .where(eq(partnershipLocations.partnershipId, partnershipId)).orderBy(locations.name);
  return { p, institution, company, locationNames: locs.map((l) => l.name) };
}

export function createEmailActivities(deps: ActivityDeps) {
  const { db } = deps;

  async function recipientUser(userId: number) {
    const [u] = await db.select({ name: users.name, locale: users.locale }).from(users).where(eq(users.id, userId));
    if (!u) throw new Error(`user ${userId} not found`);
    return u;
  }

  async function renderEmail(template: string, params: Record<string, string | number>): Promise<RenderedEmail> {
    switch (template) {
      case 'user-invitation':
      case 'user-invitation-reminder': {
        const invitationId = Number(params.invitationId);
        const [row] = await db.select({
          name: users.name, locale: users.locale, organisationName: organisations.name, timeZone: organisations.timeZone,
          expiresAt: userInvitations.expiresAt,
        }).from(userInvitations)
          .innerJoin(users, eq(users.id, userInvitations.userId))
          .innerJoin(organisations, eq(organisations.id, users.organisationId))
          .where(eq(userInvitations.id, invitationId)).limit(1);
        if (!row) throw new Error(`invitation ${invitationId} not found`);
        const token = invitationToken(deps.appSecret, invitationId);
        return renderInvitationEmail({
          ...row, link: `${deps.appUrl}/set-password?token=${encodeURIComponent(token)}`,
          reminder: template === 'user-invitation-reminder',
        });
      }
      case 'partner-registration':
      case 'partner-notification': {
        const invitationId = Number(params.invitationId);
        const [inv] = await db.select().from(partnerInvitations).where(eq(partnerInvitations.id, invitationId));
        if (!inv) throw new Error(`partner invitation ${invitationId} not found`);
        const { p, institution, company, locationNames } = await loadPartnership(db, inv.partnershipId);
        const reminder = Boolean(params.reminder);
        const base = { institutionName: institution.name, companyName: company.name, expiresAt: inv.expiresAt, timeZone: institution.timeZone, locationNames, reminder };
        if (template === 'partner-registration') {
          const token = linkToken(deps.appSecret, 'partner-invitation', invitationId);
          // The registration page opens in the email's language (the person can switch there; the account keeps it).
          const locale = contactLocale(company.country);
          return renderPartnerRegistrationEmail({
            ...base, locale, recipientName: p.contactName,
            link: `${deps.appUrl}/partner-registration?token=${encodeURIComponent(token)}&lang=${locale}`,
          });
        }
        const user = await recipientUser(Number(params.userId));
        return renderPartnerNotificationEmail({ ...base, locale: user.locale, recipientName: user.name, link: `${deps.appUrl}/invitations` });
      }
      case 'partner-accepted':
      case 'partner-declined': {
        const { p, institution, company, locationNames } = await loadPartnership(db, Number(params.partnershipId));
        const user = await recipientUser(Number(params.userId));
        return renderPartnerOutcomeEmail({
          institutionName: institution.name, companyName: company.name, timeZone: institution.timeZone, locationNames,
          reminder: false, locale: user.locale, recipientName: user.name, link: `${deps.appUrl}/partners/${p.id}`,
          outcome: template === 'partner-accepted' ? 'accepted' : 'declined',
        });
      }
      case 'booking-confirmation':
      case 'booking-reminder':
      case 'booking-rescheduled':
      case 'booking-cancelled':
        return renderBookingEmail(deps, template, params);
      case 'settlement-issued': {
        // Rendered from the issued statement itself, as the partner sees it (never a draft).
        const statementId = Number(params.statementId);
        const [row] = await db.select({ institutionId: settlementStatements.institutionId, partnershipId: settlementStatements.partnershipId })
          .from(settlementStatements).where(eq(settlementStatements.id, statementId));
        if (!row) throw new Error(`statement ${statementId} not found`);
        const { p, company } = await loadPartnership(db, row.partnershipId);
        const d = await getStatement(db, { side: 'partner', organisationId: p.partnerOrganisationId }, statementId);
        const recipient = params.userId ? await recipientUser(Number(params.userId)) : { name: p.contactName, locale: contactLocale(company.country) };
        return renderSettlementIssuedEmail({
          locale: recipient.locale, recipientName: recipient.name, institutionName: d.institution.name, companyName: d.partner.name,
          month: d.statement.month, link: `${deps.appUrl}/settlement-statements/${statementId}`,
          nets: d.totals.map((t) => ({ amount: formatMoney(t.netAbsMinor, t.currency, recipient.locale), direction: t.direction })),
        });
      }
      default:
        throw new Error(`unknown email template ${template}`);
    }
  }

  return {
    /** Sends one queued email once: a retry after a successful send finds the row marked sent and does nothing. */
    async deliverEmail(messageKey: string): Promise<'sent' | 'already_sent' | 'skipped'> {
      const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, messageKey)).limit(1);
      if (!row) throw new Error(`email ${messageKey} is not in the outbox`);
      if (row.status === 'sent') return 'already_sent';
      // Its patient was erased (server/patients/erase.ts blanks the address and marks the row): never sent.
      if (row.status === 'skipped') return 'skipped';
      try {
        const email = await renderEmail(row.template, row.params);
        await deps.mailer.send(row.toAddress, email, { messageKey: row.messageKey });
      } catch (err) {
        if (err instanceof RecipientErased) {
          await db.update(emailOutbox).set({ status: 'skipped', toAddress: '', lastError: null })
            .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, 'sent')));
          return 'skipped';
        }
        await db.update(emailOutbox).set({ attempts: row.attempts + 1, lastError: describeError(err) })
          .where(eq(emailOutbox.id, row.id));
        throw err;
      }
      await db.update(emailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null })
        .where(and(eq(emailOutbox.id, row.id), ne(emailOutbox.status, 'sent')));
      // The key and template only (IDs): never the address or the rendered message.
      activityLog().info('email sent', { messageKey, template: row.template });
      return 'sent';
    },
  };
}
