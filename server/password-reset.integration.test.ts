/**
 * Forgot password end to end: real MariaDB, the real Temporal dev server running the passwordReset workflow, and a real
 * SMTP server receiving the email whose link is then used. Request → email (in the user's language) → link → new
 * password → every session of the user gone → the link works once and expires; a newer request replaces the link;
 * unknown, invited and deactivated addresses get the same answer and no email; limits per address and per IP; bad
 * passwords refused with the field named and nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness, type ReceivedMail } from '../test/harness';
import { auditLog, emailOutbox, passwordResets, users, workflowOutbox } from '../db/schema';
import { hashToken } from './domain/invitation-token';
import { PASSWORD_RESET_PER_ACCOUNT, PASSWORD_RESET_PER_IP, issuePasswordReset } from './auth/password-reset';

let h: Harness;
let guest: Browser;
/** Every request from this file's IP, to know when the per-IP limit is reached. */
let requests = 0;
beforeAll(async () => {
  h = await startHarness();
  guest = h.browser();
});
afterAll(async () => { await h?.close(); });

type FieldErrors = Record<string, { key: string; message: string }[]>;
const fieldErrors = (err: { data?: unknown }) => (err.data as { fieldErrors?: FieldErrors }).fieldErrors ?? {};
const keyOf = (err: { data?: unknown }) => (err.data as { key?: string }).key;

async function request(email: string) {
  requests++;
  return guest.api.auth.requestPasswordReset.mutate({ email });
}

function resetLink(mail: ReceivedMail): URL {
  const match = /https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_%-]+&lang=(en|ro)/.exec(mail.text);
  if (!match) throw new Error(`no reset link in: ${mail.text}`);
  return new URL(match[0]);
}
const tokenOf = (mail: ReceivedMail) => resetLink(mail).searchParams.get('token')!;

async function userByEmail(email: string) {
  const [u] = await h.database.db.select().from(users).where(eq(users.email, email));
  return u;
}

/** Waits until the background lookup after the answer has run (it writes an audit row for any existing user). */
async function auditRows(userId: number, action: string, n = 1) {
  for (let i = 0; i < 200; i++) {
    const rows = await h.database.db.select().from(auditLog).where(and(eq(auditLog.objectType, 'user'), eq(auditLog.objectId, String(userId)), eq(auditLog.action, action)));
    if (rows.length >= n) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${n}× ${action} audit row for user ${userId}`);
}

describe('forgot password', () => {
  it('emails a one-hour link in the user’s language; the new password ends every session and the link works once', async () => {
    const email = DEMO.staff.email;
    const laptop = h.browser();
    const phone = h.browser();
    await signIn(laptop, email, DEMO.staff.password);
    await signIn(phone, email, DEMO.staff.password);
    expect(await laptop.api.auth.me.query()).toMatchObject({ email });

    expect(await request(email)).toEqual({ ok: true });
    const mail = await h.smtp.waitFor(email);
    // receptie@clinica-somes.ro uses Romanian.
    expect(mail.subject).toBe('Resetarea parolei — Modul Partener');
    const link = resetLink(mail);
    expect(`${link.origin}${link.pathname}`).toBe(`${h.baseUrl}/reset-password`);
    expect(link.searchParams.get('lang')).toBe('ro');
    const token = tokenOf(mail);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Only the token's SHA-256 is stored; the queues hold the link's ID only.
    const user = await userByEmail(email);
    const [reset] = await h.database.db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(reset.tokenHash).toBe(hashToken(token));
    expect(reset.expiresAt.getTime() - reset.createdAt.getTime()).toBe(60 * 60_000);
    const [queued] = await h.database.db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, `password-reset:${reset.id}`));
    expect(queued).toMatchObject({ status: 'sent', params: { resetId: reset.id } });
    const starts = await h.database.db.select().from(workflowOutbox).where(eq(workflowOutbox.workflowId, `password-reset:${user.id}`));
    expect(starts.map((s) => s.args)).toEqual([{ resetId: reset.id }]);
    expect(JSON.stringify([queued, starts])).not.toContain(token);

    const page = h.browser();
    expect(await page.api.auth.inspectPasswordReset.query({ token })).toEqual({ state: 'valid', email, locale: 'ro', expiresAt: reset.expiresAt.toISOString(), timeZone: 'Europe/Bucharest' });

    // The password policy applies, with the field named, and nothing changes.
    const short = await failure(page.api.auth.resetPassword.mutate({ token, password: 'short', passwordConfirm: 'short' }));
    expect(fieldErrors(short).password?.[0].key).toBe('validation.password_too_short');
    const common = await failure(page.api.auth.resetPassword.mutate({ token, password: 'qwerty123456', passwordConfirm: 'qwerty123456' }));
    expect(fieldErrors(common).password?.[0].key).toBe('validation.password_common');
    const blank = await failure(page.api.auth.resetPassword.mutate({ token, password: ' '.repeat(14), passwordConfirm: ' '.repeat(14) }));
    expect(fieldErrors(blank).password?.[0].key).toBe('validation.password_blank');
    const differ = await failure(page.api.auth.resetPassword.mutate({ token, password: 'Brand-new-secret-1', passwordConfirm: 'Brand-new-secret-2' }));
    expect(fieldErrors(differ).passwordConfirm?.[0].key).toBe('validation.passwords_differ');
    expect((await userByEmail(email)).passwordHash).toBe(user.passwordHash);
    expect(await laptop.api.auth.me.query()).toMatchObject({ email });

    expect(await page.api.auth.resetPassword.mutate({ token, password: 'Brand-new-secret-1', passwordConfirm: 'Brand-new-secret-1' })).toEqual({ ok: true, email });
    // Every session of the user has ended; the reset signed nobody in.
    expect(await laptop.api.auth.me.query()).toBeNull();
    expect(await phone.api.auth.me.query()).toBeNull();
    expect(await page.api.auth.me.query()).toBeNull();
    // The old password no longer works, the new one does.
    expect(keyOf(await failure(signIn(h.browser(), email, DEMO.staff.password)))).toBe('auth.invalid_credentials');
    await signIn(laptop, email, 'Brand-new-secret-1');
    expect(await laptop.api.auth.me.query()).toMatchObject({ email });

    // Single use.
    expect(await page.api.auth.inspectPasswordReset.query({ token })).toEqual({ state: 'used' });
    const again = await failure(page.api.auth.resetPassword.mutate({ token, password: 'Another-new-secret-9', passwordConfirm: 'Another-new-secret-9' }));
    expect(keyOf(again)).toBe('passwordReset.used');
    expect(fieldErrors(again).token?.[0].key).toBe('passwordReset.used');

    // Audited: the request (anonymous) and the reset (by the user), with the IP.
    const requested = await auditRows(user.id, 'user.password_reset_requested');
    expect(requested[0]).toMatchObject({ organisationId: user.organisationId, actorUserId: null });
    const done = await auditRows(user.id, 'user.password_reset');
    expect(done[0]).toMatchObject({ organisationId: user.organisationId, actorUserId: user.id });
    expect(done[0].ip).toBeTruthy();
  });

  it('a newer request replaces the earlier link; a link stops working when it expires', async () => {
    const email = DEMO.partnerBooker.email;
    const user = await userByEmail(email);
    // The email follows the user's language.
    await h.database.db.update(users).set({ locale: 'en' }).where(eq(users.id, user.id));
    await request(email);
    const first = await h.smtp.waitFor(email, 1);
    await request(email);
    const second = await h.smtp.waitFor(email, 2);
    expect(second.subject).toBe('Reset your password — Partner Module');
    expect(resetLink(second).searchParams.get('lang')).toBe('en');
    expect(tokenOf(first)).not.toBe(tokenOf(second));
    expect(await guest.api.auth.inspectPasswordReset.query({ token: tokenOf(first) })).toEqual({ state: 'revoked' });
    const revoked = await failure(guest.api.auth.resetPassword.mutate({ token: tokenOf(first), password: 'Brand-new-secret-1', passwordConfirm: 'Brand-new-secret-1' }));
    expect(keyOf(revoked)).toBe('passwordReset.revoked');
    expect(await guest.api.auth.inspectPasswordReset.query({ token: tokenOf(second) })).toMatchObject({ state: 'valid', locale: 'en' });

    // An hour later (moved back in the database) the link has expired.
    await h.database.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.tokenHash, hashToken(tokenOf(second))));
    expect(await guest.api.auth.inspectPasswordReset.query({ token: tokenOf(second) })).toEqual({ state: 'expired' });
    const expired = await failure(guest.api.auth.resetPassword.mutate({ token: tokenOf(second), password: 'Brand-new-secret-1', passwordConfirm: 'Brand-new-secret-1' }));
    expect(keyOf(expired)).toBe('passwordReset.expired');
    expect((await userByEmail(email)).passwordHash).toBe(user.passwordHash);
    await signIn(h.browser(), email, DEMO.partnerBooker.password);

    expect(await guest.api.auth.inspectPasswordReset.query({ token: 'not-a-token-we-issued' })).toEqual({ state: 'invalid' });
  });

  it('unknown, invited and deactivated addresses: the same answer, and no email', async () => {
    const admin = h.browser();
    await signIn(admin, DEMO.admin.email, DEMO.admin.password);
    const invitedEmail = 'new.colleague@clinica-somes.ro';
    const { id: invitedId } = await admin.api.users.create.mutate({ name: 'Ioana Rus', email: invitedEmail, role: 'staff', canBookPartner: false, locale: 'en' });
    await h.smtp.waitFor(invitedEmail, 1); // the invitation itself
    const goneEmail = 'leaving@clinica-somes.ro';
    const { id: goneId } = await admin.api.users.create.mutate({ name: 'Dan Moldovan', email: goneEmail, role: 'staff', canBookPartner: false, locale: 'en' });
    await h.smtp.waitFor(goneEmail, 1);
    await admin.api.users.deactivate.mutate({ userId: goneId });
    const unknown = 'nobody-here@example.com';
    const before = h.smtp.messages.length;

    const answers = [await request(unknown), await request(invitedEmail), await request(goneEmail)];
    expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    // An active user's request after them: once its email is here, the three lookups before it are done too.
    await request(DEMO.partnerAdmin.email);
    await h.smtp.waitFor(DEMO.partnerAdmin.email, 1);
    await auditRows(invitedId, 'user.password_reset_refused');
    await auditRows(goneId, 'user.password_reset_refused');
    const sent = h.smtp.messages.slice(before).flatMap((m) => m.to);
    expect(sent).toEqual([DEMO.partnerAdmin.email]);
    expect(h.smtp.messages.filter((m) => m.to.includes(unknown))).toEqual([]);
    expect(h.smtp.messages.filter((m) => m.to.includes(invitedEmail))).toHaveLength(1);
    expect(h.smtp.messages.filter((m) => m.to.includes(goneEmail))).toHaveLength(1);
    expect(await h.database.db.select().from(passwordResets).where(eq(passwordResets.userId, invitedId))).toEqual([]);
    // The invited user's invitation link still works (nothing was revoked).
    expect(await issuePasswordReset(h.database.db, { email: invitedEmail, ip: '' })).toEqual({ status: 'invited' });
    expect(await issuePasswordReset(h.database.db, { email: unknown, ip: '' })).toEqual({ status: 'unknown' });
  });

  it('is limited per address (known or not, the same answer) and per IP', async () => {
    for (const email of ['limit-probe@example.com', DEMO.staff.email]) {
      const used = email === DEMO.staff.email ? 1 : 0; // the first test asked once for the staff user
      for (let i = used; i < PASSWORD_RESET_PER_ACCOUNT; i++) expect(await request(email)).toEqual({ ok: true });
      const limited = await failure(request(email));
      expect(limited.data?.code).toBe('TOO_MANY_REQUESTS');
      expect(keyOf(limited)).toBe('passwordReset.rate_limited');
      expect(limited.message).toMatch(/Try again after \d{4}-\d\d-\d\dT/);
    }
    let n = 0;
    while (requests < PASSWORD_RESET_PER_IP) expect(await request(`spray-${n++}@example.com`)).toEqual({ ok: true });
    const byIp = await failure(request(`spray-${n}@example.com`));
    expect(keyOf(byIp)).toBe('request.rate_limited');
  });
});
