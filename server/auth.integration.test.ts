/** Sign-in, lock-out, sessions and the cross-origin check, over HTTP against real MariaDB. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, type Harness } from '../test/harness';
import { sessions, users } from '../db/schema';

let h: Harness;
beforeAll(async () => { h = await startHarness({ sessionIdleMs: 2_000 }); });
afterAll(async () => { await h?.close(); });

describe('sign-in', () => {
  it('signs in with email and password and sets a hardened session cookie', async () => {
    const b = h.browser();
    expect(await b.api.auth.me.query()).toBeNull();
    await signIn(b, '  Admin@Clinica-Somes.ro ', DEMO.admin.password);
    const cookie = b.lastSetCookie.find((c) => c.startsWith('pm_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    const me = await b.api.auth.me.query();
    expect(me).toMatchObject({ email: DEMO.admin.email, role: 'admin', organisation: { name: 'Clinica Medicală Someș SRL', isInstitution: true } });
    // Only a hash of the secret is stored, never the token.
    const token = b.cookies.get('pm_session')!;
    const [row] = await h.database.db.select().from(sessions).where(eq(sessions.id, token.split('.')[0]));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secretHash).not.toContain(token.split('.')[1]);
  });

  it('gives the same generic message for a wrong password and an unknown email', async () => {
    const wrong = await failure(signIn(h.browser(), DEMO.staff.email, 'not-the-password'));
    const unknown = await failure(signIn(h.browser(), 'nobody@example.com', 'not-the-password'));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect(unknown.data?.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe('The email or password is incorrect.');
    expect(unknown.message).toBe(wrong.message);
  });

  it('blocks an email for 15 minutes after 10 failures, even with the right password', async () => {
    const email = DEMO.partnerBooker.email;
    for (let i = 0; i < 9; i++) expect((await failure(signIn(h.browser(), email, `wrong-${i}`))).data?.code).toBe('UNAUTHORIZED');
    const tenth = await failure(signIn(h.browser(), email, 'wrong-10'));
    expect(tenth.data?.code).toBe('TOO_MANY_REQUESTS');
    const blocked = await failure(signIn(h.browser(), email, DEMO.partnerBooker.password));
    expect(blocked.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.message).toMatch(/Too many failed sign-in attempts/);
    const until = new Date(String((blocked.data as { params?: { until?: string } }).params?.until));
    expect(until.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    // Other emails are not affected.
    await signIn(h.browser(), DEMO.admin.email, DEMO.admin.password);
  });

  it('does not let parallel attempts get past the limit', async () => {
    const email = DEMO.partnerAdmin.email;
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => failure(signIn(h.browser(), email, `parallel-wrong-${i}`))));
    const codes = results.map((r) => r.data?.code);
    // At most ten attempts were let through to the password check; the rest were refused as blocked.
    expect(codes.filter((c) => c === 'UNAUTHORIZED').length).toBeLessThanOrEqual(9);
    expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(16);
    expect(codes.every((c) => c === 'UNAUTHORIZED' || c === 'TOO_MANY_REQUESTS')).toBe(true);
    expect((await failure(signIn(h.browser(), email, DEMO.partnerAdmin.password))).data?.code).toBe('TOO_MANY_REQUESTS');
  });

  it('rejects invalid input with a message naming the field', async () => {
    const err = await failure(signIn(h.browser(), 'not-an-email', 'x'));
    expect(err.data?.code).toBe('BAD_REQUEST');
    expect((err.data as { fieldErrors?: Record<string, { key: string }[]> }).fieldErrors?.email?.[0].key).toBe('validation.email_invalid');
    expect(err.message).toMatch(/^email: /);
  });
});

describe('sessions', () => {
  it('ends a session after the idle timeout', async () => {
    const b = h.browser();
    await signIn(b, DEMO.admin.email, DEMO.admin.password);
    expect(await b.api.auth.me.query()).not.toBeNull();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await b.api.auth.me.query()).toBeNull();
    expect((await failure(b.api.users.list.query())).data?.code).toBe('UNAUTHORIZED');
  });

  it('sign-out invalidates the session in the database', async () => {
    const b = h.browser();
    await signIn(b, DEMO.admin.email, DEMO.admin.password);
    const token = b.cookies.get('pm_session')!;
    await b.api.auth.signOut.mutate();
    const rows = await h.database.db.select().from(sessions).where(eq(sessions.id, token.split('.')[0]));
    expect(rows).toHaveLength(0);
    // A copy of the old cookie does not work any more.
    const replay = h.browser();
    replay.cookies.set('pm_session', token);
    expect(await replay.api.auth.me.query()).toBeNull();
  });

  it('rejects a forged token with a valid session id', async () => {
    const b = h.browser();
    await signIn(b, DEMO.admin.email, DEMO.admin.password);
    const [id] = b.cookies.get('pm_session')!.split('.');
    const forged = h.browser();
    forged.cookies.set('pm_session', `${id}.${'a'.repeat(32)}`);
    expect(await forged.api.auth.me.query()).toBeNull();
  });
});

describe('cross-origin requests', () => {
  it('rejects a state-changing request from another origin and changes nothing', async () => {
    const b = h.browser();
    await signIn(b, DEMO.admin.email, DEMO.admin.password);
    const evil = h.browser({ origin: 'http://evil.example' });
    for (const [k, v] of b.cookies) evil.cookies.set(k, v);
    const err = await failure(evil.api.users.create.mutate({ name: 'Mallory', email: 'mallory@example.com', role: 'admin', canBookPartner: true, locale: 'en' }));
    expect(err.data?.httpStatus).toBe(403);
    expect(err.message).toMatch(/did not come from this application/);
    const noOrigin = h.browser({ origin: null });
    for (const [k, v] of b.cookies) noOrigin.cookies.set(k, v);
    await failure(noOrigin.api.users.create.mutate({ name: 'Mallory', email: 'mallory@example.com', role: 'admin', canBookPartner: true, locale: 'en' }));
    const rows = await h.database.db.select().from(users).where(eq(users.email, 'mallory@example.com'));
    expect(rows).toHaveLength(0);
  });
});
