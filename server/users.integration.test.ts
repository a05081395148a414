/**
 * Admin users end to end: real MariaDB, the real Temporal dev server running the invitation workflow, and a real SMTP
 * server receiving the emails whose links are then used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, tokenFrom, linkFrom, type Harness, type Browser } from '../test/harness';
import { auditLog, users, workflowOutbox } from '../db/schema';
import type { UserInvitationState } from './workflow-outbox';

let h: Harness;
let admin: Browser;
beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
});
afterAll(async () => { await h?.close(); });

const newUser = (email: string, extra: Partial<{ role: 'admin' | 'staff'; canBookPartner: boolean; locale: 'en' | 'ro' }> = {}) =>
  ({ name: 'Ana Pop', email, role: 'staff' as const, canBookPartner: true, locale: 'en' as const, ...extra });

const userCount = async () => (await h.database.db.select({ n: count() }).from(users))[0].n;
type FieldErrors = Record<string, { key: string; message: string }[]>;
const fieldErrors = (err: { data?: unknown }) => (err.data as { fieldErrors?: FieldErrors }).fieldErrors ?? {};

describe('adding a user', () => {
  it('emails an invitation whose link sets the password, after which the user signs in', async () => {
    const email = 'ana.pop@clinica-somes.ro';
    const { id } = await admin.api.users.create.mutate(newUser(email));
    const listed = (await admin.api.users.list.query()).find((u) => u.id === id)!;
    expect(listed).toMatchObject({ email, status: 'invited', role: 'staff', canBookPartner: true });

    const mail = await h.smtp.waitFor(email);
    expect(mail.subject).toContain('Clinica Medicală Someș SRL');
    expect(mail.text).toContain('Ana Pop');
    expect(linkFrom(mail).startsWith(`${h.baseUrl}/set-password?token=`)).toBe(true);
    const token = tokenFrom(mail);

    const guest = h.browser();
    expect(await guest.api.auth.inspectInvitation.query({ token })).toMatchObject({ state: 'valid', email, organisationName: 'Clinica Medicală Someș SRL' });
    const short = await failure(guest.api.auth.acceptInvitation.mutate({ token, password: 'short', passwordConfirm: 'short' }));
    expect(fieldErrors(short).password?.[0].key).toBe('validation.password_too_short');
    const differ = await failure(guest.api.auth.acceptInvitation.mutate({ token, password: 'a-long-enough-password', passwordConfirm: 'another-password!!' }));
    expect(fieldErrors(differ).passwordConfirm?.[0].key).toBe('validation.passwords_differ');
    expect((await failure(signIn(h.browser(), email, 'a-long-enough-password'))).data?.code).toBe('UNAUTHORIZED');

    await guest.api.auth.acceptInvitation.mutate({ token, password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password' });
    const again = await failure(guest.api.auth.acceptInvitation.mutate({ token, password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password' }));
    expect((again.data as { key?: string }).key).toBe('invitation.used');
    expect(await guest.api.auth.inspectInvitation.query({ token })).toEqual({ state: 'used' });

    const ana = h.browser();
    await signIn(ana, email, 'a-long-enough-password');
    expect(await ana.api.auth.me.query()).toMatchObject({ email, role: 'staff', canBookPartner: true });
    expect((await admin.api.users.list.query()).find((u) => u.id === id)?.status).toBe('active');
    // A staff user is not an administrator.
    expect((await failure(ana.api.users.list.query())).data?.code).toBe('FORBIDDEN');
    // The invitation workflow completes as accepted.
    const client = await h.workflows.client();
    expect(await client.workflow.getHandle(`user-invitation:${id}`).result()).toBe('accepted');
  });

  it('refuses bad input with a message naming the field, and writes nothing', async () => {
    const before = await userCount();
    const dup = await failure(admin.api.users.create.mutate(newUser(DEMO.staff.email)));
    expect(dup.data?.code).toBe('CONFLICT');
    expect(fieldErrors(dup).email?.[0].key).toBe('users.email_taken');
    const invalid = await failure(admin.api.users.create.mutate(newUser('not an email')));
    expect(fieldErrors(invalid).email?.[0].message).toBe('Enter a valid email address.');
    const role = await failure(admin.api.users.create.mutate({ ...newUser('x@example.com'), role: 'superuser' as never }));
    expect(fieldErrors(role).role?.[0].key).toBe('validation.role_invalid');
    const name = await failure(admin.api.users.create.mutate({ ...newUser('y@example.com'), name: '   ' }));
    expect(fieldErrors(name).name?.[0].key).toBe('validation.required');
    expect(await userCount()).toBe(before);
  });
});

describe('invitation links', () => {
  it('rejects an expired link with a clear state and message', async () => {
    h.config.invitationExpiryMs = 3_000;
    try {
      const email = 'expiring@clinica-somes.ro';
      const { id } = await admin.api.users.create.mutate(newUser(email));
      const token = tokenFrom(await h.smtp.waitFor(email));
      const client = await h.workflows.client();
      expect(await client.workflow.getHandle(`user-invitation:${id}`).result()).toBe('expired');
      const guest = h.browser();
      expect(await guest.api.auth.inspectInvitation.query({ token })).toEqual({ state: 'expired' });
      const err = await failure(guest.api.auth.acceptInvitation.mutate({ token, password: 'a-long-enough-password', passwordConfirm: 'a-long-enough-password' }));
      expect(err.message).toBe('This invitation link has expired. Ask your administrator to send a new invitation.');
    } finally {
      h.config.invitationExpiryMs = 72 * 3_600_000;
    }
  });

  it('a repeated start of the same outbox row reuses the invitation round: no second email, the link keeps working', async () => {
    const email = 'twice-started@clinica-somes.ro';
    const { id } = await admin.api.users.create.mutate(newUser(email));
    const token = tokenFrom(await h.smtp.waitFor(email));
    // As if the API died after starting the workflow but before marking the row dispatched.
    await h.database.db.update(workflowOutbox).set({ dispatchedAt: null, claimedAt: null }).where(eq(workflowOutbox.workflowId, `user-invitation:${id}`));
    expect(await h.workflows.dispatchPending()).toBe(1);
    const handle = (await h.workflows.client()).workflow.getHandle(`user-invitation:${id}`);
    for (let i = 0; i < 50 && (await handle.query<UserInvitationState>('state')).phase !== 'waiting_for_password'; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    expect(h.smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
    expect(await h.browser().api.auth.inspectInvitation.query({ token })).toMatchObject({ state: 'valid' });
  });

  it('resend emails a new link and the old one stops working', async () => {
    const email = 'resend@clinica-somes.ro';
    const { id } = await admin.api.users.create.mutate(newUser(email, { locale: 'ro' }));
    const first = await h.smtp.waitFor(email, 1);
    expect(first.subject).toContain('Invitație');
    await admin.api.users.resendInvitation.mutate({ userId: id });
    const second = await h.smtp.waitFor(email, 2);
    expect(tokenFrom(second)).not.toBe(tokenFrom(first));
    const guest = h.browser();
    expect(await guest.api.auth.inspectInvitation.query({ token: tokenFrom(first) })).toEqual({ state: 'revoked' });
    expect(await guest.api.auth.inspectInvitation.query({ token: tokenFrom(second) })).toMatchObject({ state: 'valid' });
    expect(await guest.api.auth.inspectInvitation.query({ token: 'made-up' })).toEqual({ state: 'invalid' });
    const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.resend_invitation'));
    expect(audit.map((a) => a.objectId)).toContain(String(id));
  });
});

describe('deactivating a user', () => {
  it('ends the user’s open sessions at once and blocks sign-in', async () => {
    const staff = h.browser();
    await signIn(staff, DEMO.staff.email, DEMO.staff.password);
    expect(await staff.api.auth.me.query()).not.toBeNull();
    const target = (await admin.api.users.list.query()).find((u) => u.email === DEMO.staff.email)!;
    await admin.api.users.deactivate.mutate({ userId: target.id });
    expect(await staff.api.auth.me.query()).toBeNull();
    expect((await failure(staff.api.auth.setLocale.mutate({ locale: 'en' }))).data?.code).toBe('UNAUTHORIZED');
    expect((await failure(signIn(h.browser(), DEMO.staff.email, DEMO.staff.password))).data?.code).toBe('UNAUTHORIZED');
    await admin.api.users.reactivate.mutate({ userId: target.id });
    await signIn(h.browser(), DEMO.staff.email, DEMO.staff.password);
  });

  it('deactivating an invited user invalidates the link and ends the invitation workflow at once', async () => {
    const email = 'never-joined@clinica-somes.ro';
    const { id } = await admin.api.users.create.mutate(newUser(email));
    const token = tokenFrom(await h.smtp.waitFor(email));
    await admin.api.users.deactivate.mutate({ userId: id });
    const client = await h.workflows.client();
    expect(await client.workflow.getHandle(`user-invitation:${id}`).result()).toBe('cancelled');
    expect(await h.browser().api.auth.inspectInvitation.query({ token })).toEqual({ state: 'revoked' });
  });

  it('does not let an admin deactivate themself', async () => {
    const me = (await admin.api.auth.me.query())!;
    const err = await failure(admin.api.users.deactivate.mutate({ userId: me.id }));
    expect((err.data as { key?: string }).key).toBe('users.cannot_deactivate_self');
  });
});

describe('tenancy', () => {
  it('a partner admin sees and changes only its own organisation’s users', async () => {
    const partner = h.browser();
    await signIn(partner, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
    const list = await partner.api.users.list.query();
    expect(list.map((u) => u.email).sort()).toEqual([DEMO.partnerAdmin.email, DEMO.partnerBooker.email].sort());
    const clinicUser = (await admin.api.users.list.query()).find((u) => u.email === DEMO.staff.email)!;
    for (const call of [
      () => partner.api.users.deactivate.mutate({ userId: clinicUser.id }),
      () => partner.api.users.update.mutate({ userId: clinicUser.id, name: 'X', role: 'admin', canBookPartner: true, locale: 'en' }),
      () => partner.api.users.resendInvitation.mutate({ userId: clinicUser.id }),
    ]) {
      expect((await failure(call())).data?.code).toBe('NOT_FOUND');
    }
    const [row] = await h.database.db.select().from(users).where(eq(users.id, clinicUser.id));
    expect(row).toMatchObject({ name: 'Raluca Pintea', status: 'active' });
  });

  it('anonymous callers get nothing', async () => {
    expect((await failure(h.browser().api.users.list.query())).data?.code).toBe('UNAUTHORIZED');
  });
});
