/** The invitation activities against real MariaDB and a real SMTP server: each is safe to run more than once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../test/harness';
import { createActivities } from './activities';
import { createMailer } from './mail/mailer';
import { emailOutbox, userInvitations, users } from '../db/schema';

let h: Harness;
let acts: ReturnType<typeof createActivities>;
let mailer: ReturnType<typeof createMailer>;
let userId: number;
beforeAll(async () => {
  h = await startHarness();
  mailer = createMailer(h.smtp.url, h.config.mailFrom);
  acts = createActivities({ db: h.database.db, mailer, appUrl: h.baseUrl, appSecret: h.config.appSecret });
  const [org] = await h.database.db.select({ id: users.organisationId }).from(users).limit(1);
  const [row] = await h.database.db.insert(users).values({ organisationId: org.id, email: 'idem@example.com', name: 'Idem Potent', role: 'staff' }).$returningId();
  userId = row.id;
});
afterAll(async () => { mailer?.close(); await h?.close(); });

describe('invitation activities', () => {
  it('issueInvitation returns the same invitation when retried for the same run', async () => {
    const a = await acts.issueInvitation({ userId, runKey: 'run-1', expiresAfterMs: 3_600_000 });
    const b = await acts.issueInvitation({ userId, runKey: 'run-1', expiresAfterMs: 3_600_000 });
    expect(b).toEqual(a);
    const rows = await h.database.db.select().from(userInvitations).where(eq(userInvitations.userId, userId));
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('deliverEmail sends a message once even when the activity runs again', async () => {
    const issued = await acts.issueInvitation({ userId, runKey: 'run-2', expiresAfterMs: 3_600_000 });
    if (issued.status !== 'issued') throw new Error('not issued');
    expect(await acts.deliverEmail(issued.messageKey)).toBe('sent');
    expect(await acts.deliverEmail(issued.messageKey)).toBe('already_sent');
    await h.smtp.waitFor('idem@example.com', 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.smtp.messages.filter((m) => m.to.includes('idem@example.com'))).toHaveLength(1);
    const [row] = await h.database.db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, issued.messageKey));
    expect(row.status).toBe('sent');
    // The outbox row holds no link or token, only the invitation id.
    expect(JSON.stringify(row.params)).not.toMatch(/token|http/);
    // A new run revoked the first run's link.
    const [first] = await h.database.db.select().from(userInvitations).where(eq(userInvitations.runKey, 'run-1'));
    expect(first.revokedAt).not.toBeNull();
  });

  it('remindInvitation queues the reminder once and reports a used link', async () => {
    const issued = await acts.issueInvitation({ userId, runKey: 'run-3', expiresAfterMs: 3_600_000 });
    if (issued.status !== 'issued') throw new Error('not issued');
    const r1 = await acts.remindInvitation(issued.invitationId);
    const r2 = await acts.remindInvitation(issued.invitationId);
    expect(r1).toEqual(r2);
    await h.database.db.update(userInvitations).set({ usedAt: new Date() }).where(eq(userInvitations.id, issued.invitationId));
    expect(await acts.remindInvitation(issued.invitationId)).toEqual({ status: 'used' });
    expect(await acts.expireInvitation(issued.invitationId)).toBe('used');
  });
});
