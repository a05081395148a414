/** What the fault tests do as users: invite a new partner company, book a free slot, check exactly-once outcomes. */
import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { emailOutbox } from '../../db/schema';
import { DEMO } from '../harness';
import { until, type Browser, type FaultStack } from './stack';

export { DEMO };

const RO_KEY = [7, 5, 3, 2, 1, 7, 5, 3, 2];

/** A Romanian tax number (CUI) with a valid check digit that no seeded company has (9 digits, random body). */
export function newCui(): string {
  const body = String(randomInt(10_000_000, 99_999_999));
  const sum = [...body.padStart(9, '0')].reduce((acc, d, i) => acc + Number(d) * RO_KEY[i], 0);
  return `${body}${((sum * 10) % 11) % 10}`;
}

export async function signedIn(stack: FaultStack, who: { email: string; password: string }): Promise<Browser> {
  const b = stack.browser();
  await b.api.auth.signIn.mutate({ email: who.email, password: who.password });
  return b;
}

/** Invites a company the platform does not know (registration path: one email to the contact person). */
export async function inviteNewCompany(admin: Browser, contactEmail: string) {
  const options = await admin.api.partners.formOptions.query();
  return admin.api.partners.create.mutate({
    country: 'RO', taxNumber: newCui(), registrationNumber: 'J12/777/2020', companyName: `Fault Test ${randomInt(1e6)} SRL`,
    address: 'Str. Avram Iancu 1, Cluj-Napoca', contactName: 'Ioana Faur', contactEmail, contactPhone: '+40 722 000 111',
    locationIds: [options.locations[0].id], commission: { type: 'percent', percent: '10' }, paymentLocation: 'institution',
    patientDataAccess: false,
  });
}

/** The free slots a partner booker sees `weeks` ahead at Clinica Someș, first service offered. */
export async function freeSlots(booker: Browser, weeks = 2) {
  const { institutions } = await booker.api.bookings.bookingOptions.query();
  const inst = institutions[0];
  const service = inst.services[0];
  const weekStart = Temporal.Now.plainDateISO('Europe/Bucharest').add({ weeks }).toString();
  const week = await booker.api.bookings.calendars.query({ institutionId: inst.institutionId, serviceId: service.id, weekStart });
  const slots = week.calendars.flatMap((c) => c.days.flatMap((d) => d.free.map((f) => ({
    institutionId: inst.institutionId, locationId: c.locationId, physicianId: c.physicianId, serviceId: service.id, startsAt: f.startsAt,
  }))));
  if (!slots.length) throw new Error('no free slot found for the booking');
  return slots;
}

let keys = 0;
export function bookingInput(slot: Awaited<ReturnType<typeof freeSlots>>[number], patientEmail: string) {
  return {
    ...slot, idempotencyKey: `fault-${Date.now().toString(36)}-${keys++}`,
    patient: { kind: 'new' as const, name: 'Elena Faur', birthDate: '1980-02-03', phone: '0722 333 444', email: patientEmail },
  };
}

/** Waits until `n` emails to `to` were sent and marked sent (the SMTP exchange and its bookkeeping are over). */
export async function sentTo(stack: FaultStack, to: string, n: number, timeoutMs = 90_000) {
  await stack.smtp.waitFor(to, n, timeoutMs);
  await until(`${n} emails to ${to} marked sent`, async () => (await mailLedger(stack, to)).sent >= n, timeoutMs);
}

/**
 * Exactly once, per recipient: the SMTP server received as many messages as the email outbox holds rows for the
 * address, and every row was sent — a retried activity or a replayed workflow never sent a second copy, and nothing
 * queued was lost.
 */
export async function mailLedger(stack: FaultStack, to: string) {
  const rows = await stack.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
  const received = stack.smtp.messages.filter((m) => m.to.includes(to));
  return {
    rows: rows.length, sent: rows.filter((r) => r.status === 'sent').length, received: received.length,
    templates: rows.map((r) => r.template).sort(), subjects: received.map((m) => m.subject),
    messageIds: new Set(received.map((m) => /^Message-ID: *(.*)$/im.exec(m.raw)?.[1]?.trim())).size,
  };
}

export async function outboxRowsFor(stack: FaultStack, to: string) {
  return stack.database.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, to));
}
