/**
 * Operations: the structured logs of real requests (server/logger.ts). Every line of the API and of the in-process
 * worker (Temporal's workflow and activity lines through the Runtime logger) is captured while a user signs in with a
 * password (also in a malformed body), an admin invites a user whose token then sets a password, and a partner books
 * for a new patient. Each line is JSON; API lines carry the request ID (an incoming sane X-Request-Id is kept and
 * echoed) and, once signed in, the user and organisation IDs; activity lines (the SDK's and our 'email sent') carry
 * their workflow ID; and no line holds
 * a password, a token, the session cookie, an email address, an email body or a patient field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { DEMO, signIn, startHarness, tokenFrom, type Harness } from '../test/harness';
import { users } from '../db/schema';
import { createLogger, setLogger, temporalLogger, type Logger } from './logger';

let h: Harness;
let previous: Logger;
const lines: string[] = [];
const capture = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });

type Line = Record<string, unknown> & { msg?: string };
const parsed = (): Line[] => lines.map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  previous = setLogger(createLogger({ level: 'debug', destination: capture }));
  // The worker's SDK, workflow and activity lines go through the same logger, as in workflows/worker.ts.
  Runtime.install({ logger: temporalLogger() });
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  setLogger(previous);
});

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('structured logs of real requests', () => {
  const secrets: string[] = [];
  let sessionCookie = '';
  let bookingId = 0;
  let adminId = 0;
  let organisationId = 0;

  it('signs in (also with a malformed body), invites a user who sets a password, and books for a new patient', async () => {
    // Sign-in with a password, with our own request ID.
    const res = await fetch(`${h.baseUrl}/trpc/auth.signIn`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: h.baseUrl, 'x-request-id': 'lb-4f2a.77' },
      body: JSON.stringify({ email: DEMO.admin.email, password: DEMO.admin.password }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('lb-4f2a.77');
    // A header that is not a plain short ID is replaced by a new one.
    const odd = await fetch(`${h.baseUrl}/healthz`, { headers: { 'x-request-id': 'a b\u00e9<script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // A malformed sign-in body (missing its closing brace): refused as JSON, the body never logged.
    const broken = await fetch(`${h.baseUrl}/trpc/auth.signIn`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: h.baseUrl },
      body: `{"email":"${DEMO.staff.email}","password":"${DEMO.staff.password}"`,
    });
    expect(broken.status).toBe(400);
    secrets.push(DEMO.admin.password, DEMO.staff.password, DEMO.admin.email, DEMO.staff.email);

    const admin = h.browser();
    await signIn(admin, DEMO.admin.email, DEMO.admin.password);
    sessionCookie = [...admin.cookies.values()][0];
    secrets.push(sessionCookie, sessionCookie.split('.')[1] ?? sessionCookie);
    const [me] = await h.database.db.select().from(users).where(eq(users.email, DEMO.admin.email));
    adminId = me.id;
    organisationId = me.organisationId;

    // An invitation: its email holds a token; the token and the new password come back in the next requests.
    const email = 'log.probe@clinica-somes.ro';
    await admin.api.users.create.mutate({ email, name: 'Loredana Probă', role: 'staff', canBookPartner: false, locale: 'ro' });
    const mail = await h.smtp.waitFor(email);
    const token = tokenFrom(mail);
    const newPassword = 'a quiet river at dawn 42';
    const anonymous = h.browser();
    await anonymous.api.auth.inspectInvitation.query({ token });
    await anonymous.api.auth.acceptInvitation.mutate({ token, password: newPassword, passwordConfirm: newPassword });
    secrets.push(email, 'Loredana', token, encodeURIComponent(token), newPassword);
    // The email's body: its greeting and link text.
    const bodyLine = mail.text.split('\n').find((l) => l.includes('Loredana'));
    if (bodyLine) secrets.push(bodyLine.trim());

    // A partner books for a new patient with every personal field.
    const booker = h.browser();
    await signIn(booker, DEMO.partnerBooker.email, DEMO.partnerBooker.password);
    secrets.push(DEMO.partnerBooker.password, DEMO.partnerBooker.email);
    const { institutions } = await booker.api.bookings.bookingOptions.query();
    const institution = institutions[0];
    const service = institution.services[0];
    let slot: { physicianId: number; locationId: number; startsAt: string } | undefined;
    for (let week = 1; week <= 6 && !slot; week++) {
      const monday = new Date(Date.now() + week * 7 * 86_400_000);
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      const { calendars } = await booker.api.bookings.calendars.query({ institutionId: institution.institutionId, serviceId: service.id, weekStart: monday.toISOString().slice(0, 10) });
      for (const c of calendars) {
        const free = c.days.flatMap((d) => d.free)[0];
        if (free) { slot = { physicianId: c.physicianId, locationId: c.locationId, startsAt: free.startsAt }; break; }
      }
    }
    expect(slot).toBeDefined();
    const patient = { kind: 'new' as const, name: 'Ileana Cosânzeanu', birthDate: '1985-04-12', phone: '0744 987 654', email: 'ileana.cosanzeanu@example.ro', nationalId: '2850412120019' };
    const created = await booker.api.bookings.create.mutate({
      institutionId: institution.institutionId, locationId: slot!.locationId, physicianId: slot!.physicianId, serviceId: service.id,
      startsAt: slot!.startsAt, patient, idempotencyKey: `log-${Date.now()}`,
    } as Parameters<typeof booker.api.bookings.create.mutate>[0]);
    bookingId = created.bookingId;
    secrets.push(patient.name, 'Cosânzeanu', patient.phone, '0744987654', patient.email, patient.nationalId);
    // The lifecycle's confirmation activity has run (its log line names the workflow).
    await waitFor(() => parsed().find((l) => l.workflowId === `booking:${bookingId}` && l.activityType) ?? undefined, 'a booking activity log line');
    await waitFor(() => parsed().find((l) => l.msg === 'email sent' && String(l.workflowId).startsWith('user-invitation:')) ?? undefined, 'the invitation email\'s log line');
  });

  it('every line is JSON; API lines carry the request ID and, once signed in, the user and organisation', () => {
    const all = parsed();
    const requests = all.filter((l) => l.msg === 'request completed' || l.msg === 'request refused');
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.every((l) => typeof l.requestId === 'string' && (l.requestId as string).length > 0)).toBe(true);
    expect(requests.find((l) => l.requestId === 'lb-4f2a.77')).toMatchObject({ method: 'POST', path: '/trpc/auth.signIn', status: 200 });
    expect(requests.find((l) => l.msg === 'request refused')).toMatchObject({ path: '/trpc/auth.signIn', status: 400, key: 'request.malformed_json' });
    // A signed-in admin's request names the user and the organisation.
    const create = requests.find((l) => l.path === '/trpc/users.create');
    expect(create).toMatchObject({ userId: adminId, organisationId, status: 200 });
    // The query string (a tRPC GET's input, the token) is never part of a logged path.
    expect(requests.every((l) => !String(l.path).includes('?'))).toBe(true);
    // Activity lines carry the workflow that ran them.
    const activity = all.find((l) => l.workflowId === `booking:${bookingId}` && l.activityType);
    expect(activity).toMatchObject({ component: 'temporal', workflowType: 'bookingLifecycle' });
    // Our own activity lines too: the email's key and template, with the workflow that sent it.
    const sent = all.find((l) => l.msg === 'email sent' && String(l.workflowId).startsWith('user-invitation:'));
    expect(sent).toMatchObject({ activityType: 'deliverEmail', workflowType: 'userInvitation', template: 'user-invitation' });
    expect(String(sent!.messageKey)).toMatch(/^user-invitation:\d+:invite$/);
  });

  it('no line holds a password, token, session cookie, email address, email body or patient field', () => {
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(text, `log holds "${secret}"`).not.toContain(secret);
    expect(text).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
    expect(text).not.toMatch(/argon2/);
  });
});
