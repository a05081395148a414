/**
 * Issue 9 over HTTP against real MariaDB: text that is not well-formed Unicode, per-IP and per-account limits,
 * anonymous password work after the token check, the password policy, account enumeration across tenants and
 * cross-site GETs that must not write audit rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, tokenFrom, type Harness } from '../test/harness';
import { auditLog, users } from '../db/schema';
import { passwordWork } from './auth/password';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    loginIpMaxFailures: 12, anonymousIpMaxAttempts: 8, patientSearchPerMinute: 5,
  });
});
afterAll(async () => { await h?.close(); });

type Data = { key?: string; code?: string; httpStatus?: number; fieldErrors?: Record<string, { key: string }[]>; params?: Record<string, string> };
const data = (err: { data?: unknown }) => (err.data ?? {}) as Data;

async function admin() {
  const b = h.browser();
  await signIn(b, DEMO.admin.email, DEMO.admin.password);
  return b;
}

describe('ill-formed text', () => {
  it('refuses a lone surrogate in a name with a 400 naming the field, and nothing is written', async () => {
    const a = await admin();
    for (const name of ['Ana \uD800 Pop', 'Ana \uDC00', 'Ana\u0000Pop', 'Ana\u0007', 'Ana\nPop']) {
      const err = await failure(a.api.users.create.mutate({ email: 'ana.pop@clinica-somes.ro', name, role: 'staff', canBookPartner: false, locale: 'ro' }));
      expect(data(err).httpStatus, JSON.stringify(name)).toBe(400);
      expect(data(err).fieldErrors?.name?.[0].key, JSON.stringify(name)).toMatch(/^validation\.text_(ill_formed|control_chars)$/);
    }
    const [{ n }] = await h.database.db.select({ n: count() }).from(users).where(eq(users.email, 'ana.pop@clinica-somes.ro'));
    expect(n).toBe(0);
  });

  it('refuses it in any router\'s text, even a free search field without its own rule', async () => {
    const a = await admin();
    const err = await failure(a.api.partners.list.query({ search: 'abc\uD83D' }));
    expect(data(err).httpStatus).toBe(400);
    expect(data(err).fieldErrors?.search?.[0].key).toBe('validation.text_ill_formed');
    const signInErr = await failure(h.browser().api.auth.signIn.mutate({ email: DEMO.admin.email, password: 'x\uDFFFy' }));
    expect(data(signInErr).fieldErrors?.password?.[0].key).toBe('validation.text_ill_formed');
  });

  it('keeps well-formed text: diacritics, emoji pairs and line breaks where allowed', async () => {
    const a = await admin();
    await a.api.users.create.mutate({ email: 'stefan.tanase@clinica-somes.ro', name: 'Ștefan Tănase 🙂', role: 'staff', canBookPartner: false, locale: 'ro' });
  });
});

describe('password policy (NIST SP 800-63B)', () => {
  async function invitationToken(email: string) {
    const a = await admin();
    await a.api.users.create.mutate({ email, name: 'Policy Tester', role: 'staff', canBookPartner: false, locale: 'en' });
    return tokenFrom(await h.smtp.waitFor(email));
  }

  it('refuses twelve spaces, a common password and an overlong one; accepts a long passphrase', async () => {
    const token = await invitationToken('policy@clinica-somes.ro');
    const attempt = (password: string) => failure(h.browser().api.auth.acceptInvitation.mutate({ token, password, passwordConfirm: password }));
    expect(data(await attempt(' '.repeat(12))).fieldErrors?.password?.[0].key).toBe('validation.password_blank');
    expect(data(await attempt('\u00a0 \u2003'.repeat(4))).fieldErrors?.password?.[0].key).toBe('validation.password_blank');
    expect(data(await attempt('qwerty123456')).fieldErrors?.password?.[0].key).toBe('validation.password_common');
    expect(data(await attempt('1q2w3e4r5t6y')).fieldErrors?.password?.[0].key).toBe('validation.password_common');
    expect(data(await attempt('x'.repeat(201))).fieldErrors?.password?.[0].key).toBe('validation.password_too_long');
    expect(data(await attempt('short')).fieldErrors?.password?.[0].key).toBe('validation.password_too_short');
    await h.browser().api.auth.acceptInvitation.mutate({ token, password: 'correct horse battery staple', passwordConfirm: 'correct horse battery staple' });
    await signIn(h.browser(), 'policy@clinica-somes.ro', 'correct horse battery staple');
  });
});

describe('anonymous password work', () => {
  it('checks the token before hashing: an invalid link costs no argon2 work', async () => {
    const before = passwordWork().anonymousHashes;
    const err = await failure(h.browser().api.auth.acceptInvitation.mutate({ token: 'not-a-real-token', password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password' }));
    expect(data(err).key).toBe('invitation.invalid');
    const reg = await failure(h.browser().api.partnerPortal.register.mutate({
      token: 'not-a-real-token', name: 'Someone', password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password', gtcVersion: 'x', acceptGtc: true,
    }));
    expect(data(reg).httpStatus).toBe(400);
    expect(passwordWork().anonymousHashes).toBe(before);
  });
});

describe('account enumeration', () => {
  it('does not tell an admin of another tenant that an address has an account; the address gets nothing', async () => {
    const napoca = h.browser();
    await signIn(napoca, 'admin@centrul-napoca.ro', 'Napoca-Admin-2026');
    const mailsBefore = h.smtp.messages.filter((m) => m.to.includes(DEMO.admin.email)).length;
    const foreign = await failure(napoca.api.users.create.mutate({ email: DEMO.admin.email, name: 'Probe', role: 'staff', canBookPartner: false, locale: 'en' }));
    const fresh = await failure(napoca.api.users.create.mutate({ email: 'receptie@centrul-napoca.ro', name: 'Own duplicate', role: 'staff', canBookPartner: false, locale: 'en' }));
    expect(data(fresh).key).toBe('users.email_taken'); // the admin's own users are no secret to the admin
    expect(data(foreign).key).toBe('users.email_unavailable');
    expect(foreign.message).not.toMatch(/exist/i);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.smtp.messages.filter((m) => m.to.includes(DEMO.admin.email)).length).toBe(mailsBefore);
  });
});

describe('cross-site GETs', () => {
  it('write no audit row in the victim\'s name', async () => {
    const staff = h.browser();
    await signIn(staff, DEMO.staff.email, DEMO.staff.password);
    const countDenials = async () => (await h.database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'authz.denied')))[0].n;
    const before = await countDenials();
    const cookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${h.baseUrl}/trpc/users.list,partners.list,audit.list?batch=1&input=${encodeURIComponent('{}')}`, { headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect(await countDenials()).toBe(before);
  });
});

describe('rate limits', () => {
  it('limits patient searches per user', async () => {
    const staff = h.browser();
    await signIn(staff, 'receptie@centrul-napoca.ro', 'Napoca-Staff-2026');
    const me = (await staff.api.auth.me.query())!;
    for (let i = 0; i < 5; i++) await staff.api.bookings.searchPatients.query({ institutionId: me.organisation.id, query: `Pop${i}` });
    const err = await failure(staff.api.bookings.searchPatients.query({ institutionId: me.organisation.id, query: 'Popescu' }));
    expect(data(err).key).toBe('bookings.search_rate_limited');
    expect(data(err).code).toBe('TOO_MANY_REQUESTS');
    const audited = await h.database.db.select({ n: count() }).from(auditLog)
      .where(and(eq(auditLog.action, 'patients.search'), eq(auditLog.actorUserId, me.id)));
    expect(audited[0].n).toBe(5);
  });
  it('limits sign-in failures per IP across many emails (password spraying)', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const err = await failure(signIn(h.browser(), `spray-${i}@example.com`, 'Spring-2026-password'));
      codes.push(data(err).key ?? '');
    }
    expect(codes.slice(0, 12).every((k) => k === 'auth.invalid_credentials')).toBe(true);
    expect(codes.slice(12)).toEqual(['request.rate_limited', 'request.rate_limited']);
    // The right password does not get past the IP limit either, and the account itself is not locked by others.
    const err = await failure(signIn(h.browser(), DEMO.partnerAdmin.email, DEMO.partnerAdmin.password));
    expect(data(err).key).toBe('request.rate_limited');
    expect(data(err).code).toBe('TOO_MANY_REQUESTS');
    expect(Date.parse(String(data(err).params?.until))).toBeGreaterThan(Date.now());
  });

  it('limits anonymous set-password and registration attempts per IP', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 10; i++) {
      const err = await failure(h.browser().api.auth.acceptInvitation.mutate({ token: `guess-${i}`, password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password' }));
      keys.push(data(err).key ?? '');
    }
    expect(keys.filter((k) => k === 'invitation.invalid').length).toBeLessThanOrEqual(8);
    expect(keys.at(-1)).toBe('request.rate_limited');
    const reg = await failure(h.browser().api.partnerPortal.register.mutate({
      token: 'guess', name: 'Someone', password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password', gtcVersion: 'x', acceptGtc: true,
    }));
    expect(data(reg).key).toBe('request.rate_limited');
  });

});
