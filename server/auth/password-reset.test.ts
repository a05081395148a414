/**
 * The password reset operations against a real MariaDB (the harness's database; nothing here is dispatched to
 * Temporal): concurrent requests leave one open link per user, also when many users ask at once; the token is made at
 * send time and only its SHA-256 stored, a second send replaces it, and nothing is sent for a link that is revoked,
 * used, expired or whose user was deactivated; a double submit sets the password once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { DEMO, startHarness, type Harness } from '../../test/harness';
import { emailOutbox, passwordResets, sessions, users, workflowOutbox } from '../../db/schema';
import { hashToken } from '../domain/invitation-token';
import { DomainError } from '../errors';
import {
  armPasswordReset, inspectPasswordReset, issuePasswordReset, newResetToken, passwordResetOutcome, passwordResetWorkflowId, resetPassword,
} from './password-reset';
import { createSession } from './session';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h?.close(); });

const db = () => h.database.db;
async function userId(email: string) {
  const [u] = await db().select({ id: users.id }).from(users).where(eq(users.email, email));
  return u.id;
}
async function issued(email: string) {
  const r = await issuePasswordReset(db(), { email, ip: '127.0.0.1' });
  if (r.status !== 'issued') throw new Error(`expected a link, got ${r.status}`);
  return r.resetId;
}

describe('password reset operations', () => {
  it('makes 256-bit random tokens', () => {
    const tokens = new Set(Array.from({ length: 100 }, newResetToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('concurrent requests for one user leave exactly one open link, each with its email and workflow start (IDs only)', async () => {
    const id = await userId(DEMO.partnerAdmin.email);
    const results = await Promise.all(Array.from({ length: 5 }, () => issuePasswordReset(db(), { email: DEMO.partnerAdmin.email, ip: '' })));
    expect(results.every((r) => r.status === 'issued')).toBe(true);
    const rows = await db().select().from(passwordResets).where(eq(passwordResets.userId, id));
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => !r.revokedAt)).toHaveLength(1);
    expect(rows.every((r) => r.tokenHash === null)).toBe(true); // no token before the email is sent
    const starts = await db().select().from(workflowOutbox).where(eq(workflowOutbox.workflowId, passwordResetWorkflowId(id)));
    expect(starts.map((s) => s.args).sort((a, b) => (a as { resetId: number }).resetId - (b as { resetId: number }).resetId))
      .toEqual(rows.map((r) => ({ resetId: r.id })));
    expect(starts.every((s) => s.workflowType === 'passwordReset' && s.mode === 'restart')).toBe(true);
    const mails = await db().select().from(emailOutbox).where(eq(emailOutbox.template, 'password-reset'));
    expect(mails.filter((m) => rows.some((r) => m.messageKey === `password-reset:${r.id}`))).toHaveLength(5);
  });

  it('requests for different users at once all get their link, without deadlocks, and each user keeps one open link', async () => {
    const emails = [DEMO.admin.email, DEMO.staff.email, DEMO.partnerAdmin.email, DEMO.partnerBooker.email, 'admin@centrul-napoca.ro', 'receptie@centrul-napoca.ro'];
    const results = await Promise.all(emails.flatMap((email) => [1, 2, 3].map(() => issuePasswordReset(db(), { email, ip: '' }))));
    expect(results.map((r) => r.status)).toEqual(Array(18).fill('issued'));
    for (const email of emails) {
      const open = await db().select().from(passwordResets)
        .where(and(eq(passwordResets.userId, await userId(email)), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt)));
      expect(open, email).toHaveLength(1);
    }
  });

  it('the token is made at send time, only its SHA-256 stored; a second send replaces it', async () => {
    const resetId = await issued(DEMO.partnerBooker.email);
    const first = await armPasswordReset(db(), resetId);
    if (first.status !== 'armed') throw new Error('not armed');
    expect(first).toMatchObject({ locale: 'ro', organisationName: 'MedPlus Diagnostic SRL', timeZone: 'Europe/Bucharest' });
    const [row] = await db().select().from(passwordResets).where(eq(passwordResets.id, resetId));
    expect(row.tokenHash).toBe(hashToken(first.token));
    expect(await inspectPasswordReset(db(), first.token)).toMatchObject({ state: 'valid', email: DEMO.partnerBooker.email });

    const second = await armPasswordReset(db(), resetId);
    if (second.status !== 'armed') throw new Error('not armed');
    expect(second.token).not.toBe(first.token);
    expect(await inspectPasswordReset(db(), first.token)).toEqual({ state: 'invalid' });
    expect(await inspectPasswordReset(db(), second.token)).toMatchObject({ state: 'valid' });
  });

  it('sends nothing for a link that was replaced, has expired, or whose user was deactivated', async () => {
    const older = await issued(DEMO.staff.email);
    const newer = await issued(DEMO.staff.email);
    expect(await armPasswordReset(db(), older)).toEqual({ status: 'gone' });
    expect(await passwordResetOutcome(db(), older)).toBe('revoked');
    expect(await armPasswordReset(db(), newer, new Date(Date.now() + 61 * 60_000))).toEqual({ status: 'gone' });
    expect(await passwordResetOutcome(db(), newer)).toBe('expired');

    const admin = await userId(DEMO.admin.email);
    const resetId = await issued(DEMO.admin.email);
    await db().update(users).set({ status: 'deactivated' }).where(eq(users.id, admin));
    try {
      expect(await armPasswordReset(db(), resetId)).toEqual({ status: 'gone' });
      expect(await issuePasswordReset(db(), { email: DEMO.admin.email, ip: '' })).toEqual({ status: 'deactivated' });
    } finally {
      await db().update(users).set({ status: 'active' }).where(eq(users.id, admin));
    }
  });

  it('a double submit sets the password once; the other attempt is told the link was used', async () => {
    const email = DEMO.partnerBooker.email;
    const id = await userId(email);
    const resetId = await issued(email);
    const armed = await armPasswordReset(db(), resetId);
    if (armed.status !== 'armed') throw new Error('not armed');
    await createSession(db(), id, { idleMs: 60_000, absoluteMs: 3_600_000 });
    const attempts = await Promise.allSettled([
      resetPassword(db(), h.config, { token: armed.token, password: 'First-new-password-1', ip: '10.0.0.1' }),
      resetPassword(db(), h.config, { token: armed.token, password: 'Other-new-password-2', ip: '10.0.0.2' }),
    ]);
    const ok = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(DomainError);
    expect((refused[0].reason as DomainError).key).toBe('passwordReset.used');
    expect(await db().select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    const open = await db().select().from(passwordResets).where(and(eq(passwordResets.userId, id), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt)));
    expect(open).toEqual([]);
  });
});
