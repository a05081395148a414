/**
 * Patient data rights against the real stack (MariaDB, the Express app over HTTP, a Temporal worker, an SMTP server):
 * an institution admin exports everything stored about a patient and erases the patient; the erased data never comes
 * back — not from the booking search, a lifecycle workflow, a queued or re-queued email, the statistics CSV, the audit
 * log or the booking history — while bookings and statistics stay. Other tenants get NOT_FOUND, non-admins FORBIDDEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, like } from 'drizzle-orm';
import mysql from 'mysql2/promise';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness } from '../../test/harness';
import {
  auditLog, bookingEvents, bookings, emailOutbox, locations, organisations, partnerships, patients, physicians, services, users, workflowOutbox,
} from '../../db/schema';
import { enqueueBookingLifecycle } from '../workflow-outbox';
import { createActivities } from '../../workflows/activities';
import { createMailer } from '../../workflows/mail/mailer';
import { erasedName } from './rules';
import { resolvePatient } from '../bookings/patients';
import type { SessionUser } from '../auth/session';

const DAY = 86_400_000;
const PERSON = {
  name: 'Ruxandra Dreptu-Testescu', email: 'ruxandra.dreptu@patient.example', phone: '+40 733 271 828', nationalId: '2900412271828', birthDate: '1990-04-12',
};
const PERSONAL_VALUES = [PERSON.name, 'Dreptu', 'Testescu', PERSON.email, PERSON.nationalId, '733 271 828', '733271828', PERSON.birthDate];
const CONTACT_EMAIL = 'contact@rights-partner.example';
const NAPOCA_ADMIN = { email: 'admin@centrul-napoca.ro', password: 'Napoca-Admin-2026' };

let h: Harness;
let acts: ReturnType<typeof createActivities>;
let mailer: ReturnType<typeof createMailer>;
let admin: Browser;
let fx: { institutionId: number; adminId: number; locationId: number; physicianId: number; serviceId: number; partnershipId: number; partnerOrgId: number; patientId: number };
const ids: { past: number; future: number; later?: number } = { past: 0, future: 0 };

async function signedIn(who: { email: string; password: string }) {
  const b = h.browser();
  await signIn(b, who.email, who.password);
  return b;
}

/** Inserts a booking of the patient (as the partner) and, when it is ahead, its lifecycle workflow through the outbox. */
async function insertBooking(startsInMs: number, status: 'booked' | 'fulfilled' = 'booked') {
  const startsAt = new Date(Math.floor((Date.now() + startsInMs) / 900_000) * 900_000);
  return h.database.db.transaction(async (tx) => {
    const [row] = await tx.insert(bookings).values({
      institutionId: fx.institutionId, locationId: fx.locationId, physicianId: fx.physicianId, serviceId: fx.serviceId, patientId: fx.patientId,
      startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000), status, sourceChannel: 'partner', partnershipId: fx.partnershipId,
      bookedByOrganisationId: fx.partnerOrgId, priceMinor: 20_000, currency: 'RON', paymentLocation: 'institution',
    }).$returningId();
    await tx.insert(bookingEvents).values({
      bookingId: row.id, institutionId: fx.institutionId, type: 'created', actorKind: 'user', actorUserId: fx.adminId, after: { status: 'booked', startsAt: startsAt.toISOString() },
    });
    if (status === 'booked') await enqueueBookingLifecycle(tx, { id: row.id, institutionId: fx.institutionId, partnershipId: fx.partnershipId });
    return row.id;
  });
}

/** Every row of the tables that could hold a copy of patient data, as one string. */
async function everythingStored() {
  const { db } = h.database;
  const tables = await Promise.all([
    db.select().from(patients).where(eq(patients.id, fx.patientId)),
    db.select().from(bookings).where(eq(bookings.patientId, fx.patientId)),
    db.select().from(bookingEvents),
    db.select().from(auditLog),
    db.select().from(emailOutbox),
    db.select().from(workflowOutbox),
  ]);
  return JSON.stringify(tables);
}

const mailsTo = (address: string) => h.smtp.messages.filter((m) => m.to.includes(address));

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  mailer = createMailer(h.smtp.url, h.config.mailFrom);
  acts = createActivities({ db, mailer, appUrl: h.baseUrl, appSecret: h.config.appSecret });
  const [me] = await db.select({ id: users.id, organisationId: users.organisationId }).from(users).where(eq(users.email, DEMO.admin.email));
  const [location] = await db.select({ id: locations.id }).from(locations).where(eq(locations.organisationId, me.organisationId)).orderBy(asc(locations.id)).limit(1);
  const [physician] = await db.select({ id: physicians.id }).from(physicians).where(eq(physicians.organisationId, me.organisationId)).orderBy(asc(physicians.id)).limit(1);
  const [service] = await db.select({ id: services.id }).from(services).where(eq(services.organisationId, me.organisationId)).orderBy(asc(services.id)).limit(1);
  const [partnerOrg] = await db.insert(organisations).values({ name: 'Rights Partner SRL', country: 'RO', taxNumber: 'RO11223344', registrationNumber: 'J12/9/2026', address: 'Str. Test 9' }).$returningId();
  const [partnership] = await db.insert(partnerships).values({
    institutionId: me.organisationId, partnerOrganisationId: partnerOrg.id, status: 'active', contactName: 'Paula Partner', contactEmail: CONTACT_EMAIL,
    contactPhone: '+40700000009', paymentLocation: 'institution', patientDataAccess: true, invitedAt: new Date(),
  }).$returningId();
  // Entered by the partner: the partner's emails then carry the patient's name (and must carry the anonymised one later).
  const [patient] = await db.insert(patients).values({
    institutionId: me.organisationId, name: PERSON.name, birthDate: PERSON.birthDate, nationalId: PERSON.nationalId, phone: PERSON.phone, email: PERSON.email,
    createdByOrganisationId: partnerOrg.id,
  }).$returningId();
  fx = {
    institutionId: me.organisationId, adminId: me.id, locationId: location.id, physicianId: physician.id, serviceId: service.id,
    partnershipId: partnership.id, partnerOrgId: partnerOrg.id, patientId: patient.id,
  };
  admin = await signedIn(DEMO.admin);
  ids.past = await insertBooking(-10 * DAY, 'fulfilled');
  ids.future = await insertBooking(5 * DAY);
  await h.workflows.dispatchPending();
});
afterAll(async () => { mailer?.close(); await h?.close(); });

describe('patient data rights', () => {
  it('before erasure: the lifecycle emails the patient, and the booking search finds the patient by name and national ID', async () => {
    const confirmation = await h.smtp.waitFor(PERSON.email, 1);
    expect(confirmation.text).toContain(PERSON.name);
    await h.smtp.waitFor(CONTACT_EMAIL, 1);
    for (const query of ['Dreptu', PERSON.nationalId]) {
      const found = await admin.api.bookings.searchPatients.query({ institutionId: fx.institutionId, query });
      expect(found.patients.map((p) => p.id)).toEqual([fx.patientId]);
    }
  });

  it('exports everything stored about the patient as one JSON document, audited without personal data', async () => {
    const { fileName, document } = await admin.api.patients.export.mutate({ patientId: fx.patientId });
    expect(fileName).toMatch(new RegExp(`^patient-${fx.patientId}-data-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    expect(document.patient).toMatchObject({
      id: fx.patientId, name: PERSON.name, birthDate: PERSON.birthDate, nationalId: PERSON.nationalId, phone: PERSON.phone, email: PERSON.email, erasedAt: null,
      enteredBy: { organisation: { id: fx.partnerOrgId, name: 'Rights Partner SRL' } },
    });
    expect(document.bookings.map((b) => b.id)).toEqual([ids.past, ids.future]);
    expect(document.bookings[0]).toMatchObject({ status: 'fulfilled', partner: { partnershipId: fx.partnershipId, name: 'Rights Partner SRL' }, timeZone: expect.any(String) });
    expect(document.bookings[0].events).toEqual([expect.objectContaining({ type: 'created', actor: expect.objectContaining({ kind: 'user', userId: fx.adminId }) })]);
    expect(document.emails).toEqual([expect.objectContaining({ template: 'booking-confirmation', to: PERSON.email, status: 'sent', bookingId: ids.future })]);
    // The two searches of the first test, in the institution's log.
    expect(document.searchesThatMayConcernThePatient.map((s) => s.query)).toEqual(['Dreptu', PERSON.nationalId]);
    expect(document.consents).toEqual([]);
    // The export is JSON through and through (the client saves it as a file).
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);

    const [entry] = await h.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'patient.export'), eq(auditLog.objectId, String(fx.patientId))));
    expect(entry).toMatchObject({ organisationId: fx.institutionId, actorUserId: fx.adminId, objectType: 'patient', after: { bookings: 2, emails: 1 } });
    for (const v of PERSONAL_VALUES) expect(JSON.stringify(entry)).not.toContain(v);
    // The next export lists the first one among the audit entries about the patient.
    const again = await admin.api.patients.export.mutate({ patientId: fx.patientId });
    expect(again.document.auditEntries).toEqual([expect.objectContaining({ action: 'patient.export', by: { userId: fx.adminId, name: expect.any(String) } })]);
  });

  it('refuses another institution (not found), staff and partners (forbidden), and an unconfirmed erasure, changing nothing', async () => {
    const before = await everythingStored();
    const napoca = await signedIn(NAPOCA_ADMIN);
    // One call at a time: a rejected call not yet awaited would be an unhandled rejection.
    for (const call of [
      () => napoca.api.patients.get.query({ patientId: fx.patientId }),
      () => napoca.api.patients.export.mutate({ patientId: fx.patientId }),
      () => napoca.api.patients.erase.mutate({ patientId: fx.patientId, confirm: true }),
    ]) {
      const err = await failure(call());
      expect(err.data).toMatchObject({ code: 'NOT_FOUND', key: 'patients.not_found' });
    }
    for (const who of [DEMO.staff, DEMO.partnerAdmin]) {
      const b = await signedIn(who);
      expect((await failure(b.api.patients.export.mutate({ patientId: fx.patientId }))).data?.code).toBe('FORBIDDEN');
      expect((await failure(b.api.patients.erase.mutate({ patientId: fx.patientId, confirm: true }))).data?.code).toBe('FORBIDDEN');
    }
    const unconfirmed = await failure(admin.api.patients.erase.mutate({ patientId: fx.patientId, confirm: false as true }));
    expect(unconfirmed.data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { confirm: [expect.objectContaining({ key: 'patients.erase_confirm_required' })] } });
    // Denials were audited (new rows); the patient, the bookings, the events and the emails are as they were.
    const after = JSON.parse(await everythingStored()) as unknown[][];
    const was = JSON.parse(before) as unknown[][];
    expect(after[0]).toEqual(was[0]);
    expect(after[1]).toEqual(was[1]);
    expect(after[2]).toEqual(was[2]);
    expect(after[4]).toEqual(was[4]);
  });

  it('refuses to erase a patient with an active booking that is not over yet, and says how many', async () => {
    const details = await admin.api.patients.get.query({ patientId: fx.patientId });
    expect(details).toMatchObject({ name: PERSON.name, bookingsTotal: 2, erasedAt: null, activeUpcoming: [expect.objectContaining({ id: ids.future })] });
    const err = await failure(admin.api.patients.erase.mutate({ patientId: fx.patientId, confirm: true }));
    expect(err.data).toMatchObject({ code: 'CONFLICT', key: 'patients.erase_active_bookings', params: { count: 1 } });
    const [p] = await h.database.db.select().from(patients).where(eq(patients.id, fx.patientId));
    expect(p).toMatchObject({ name: PERSON.name, email: PERSON.email, erasedAt: null });
  });

  it('erases: personal fields anonymised everywhere, bookings and statistics kept, audited without personal data; idempotent', async () => {
    // The booking is cancelled first, with a reason that names the patient; the workflow tells the patient and the partner.
    await admin.api.bookings.cancel.mutate({ bookingId: ids.future, reason: `Ruxandra Dreptu-Testescu called, ${PERSON.phone}` });
    await h.workflows.dispatchPending();
    await h.smtp.waitFor(PERSON.email, 2);
    await h.smtp.waitFor(CONTACT_EMAIL, 2);
    expect(await everythingStored()).toContain(PERSON.email);

    const result = await admin.api.patients.erase.mutate({ patientId: fx.patientId, confirm: true });
    expect(result).toMatchObject({
      patientId: fx.patientId, name: erasedName(fx.patientId), alreadyErased: false, bookingsKept: 2, cancellationReasonsEmptied: 1, searchEntriesBlanked: 2,
    });

    const { db } = h.database;
    const [p] = await db.select().from(patients).where(eq(patients.id, fx.patientId));
    expect(p).toMatchObject({
      name: erasedName(fx.patientId), birthDate: null, nationalId: null, phone: null, email: null, erasedByUserId: fx.adminId, erasedAt: expect.any(Date),
    });
    const kept = await db.select().from(bookings).where(eq(bookings.patientId, fx.patientId)).orderBy(asc(bookings.id));
    expect(kept.map((b) => [b.id, b.status, b.priceMinor])).toEqual([[ids.past, 'fulfilled', 20_000], [ids.future, 'cancelled', 20_000]]);
    expect(kept[1].cancellationReason).toBeNull();
    const cancelled = await db.select().from(bookingEvents).where(and(eq(bookingEvents.bookingId, ids.future), eq(bookingEvents.type, 'cancelled')));
    expect(cancelled[0].after).toEqual({ status: 'cancelled', reason: null });
    const emails = await db.select().from(emailOutbox).where(like(emailOutbox.messageKey, `booking:${ids.future}:%:patient`));
    expect(emails.length).toBe(2);
    for (const e of emails) expect(e.toAddress).toBe('');

    // Not one personal value is left in the tables that could hold a copy.
    const stored = await everythingStored();
    for (const v of PERSONAL_VALUES) expect(stored, v).not.toContain(v);

    const erasures = await db.select().from(auditLog).where(and(eq(auditLog.action, 'patient.erase'), eq(auditLog.objectId, String(fx.patientId))));
    expect(erasures).toHaveLength(1);
    expect(erasures[0]).toMatchObject({ organisationId: fx.institutionId, actorUserId: fx.adminId, objectType: 'patient' });

    const again = await admin.api.patients.erase.mutate({ patientId: fx.patientId, confirm: true });
    expect(again).toMatchObject({ alreadyErased: true, name: erasedName(fx.patientId), erasedAt: result.erasedAt });
    expect(await db.select().from(auditLog).where(and(eq(auditLog.action, 'patient.erase'), eq(auditLog.objectId, String(fx.patientId))))).toHaveLength(1);
  });

  it('after erasure the search finds nothing by the old data, nor the anonymised name, and nobody can book the patient again', async () => {
    for (const query of ['Dreptu', 'Ruxandra', PERSON.nationalId, '0733271828', '12.04.1990', 'Erased patient']) {
      const found = await admin.api.bookings.searchPatients.query({ institutionId: fx.institutionId, query });
      expect(found.patients.map((x) => x.id), query).not.toContain(fx.patientId);
    }
    const details = await admin.api.bookings.get.query({ bookingId: ids.past });
    expect(details.patient).toMatchObject({ name: erasedName(fx.patientId), birthDate: null, phone: null, email: null, nationalIdMasked: null });
    // The booking operations take an existing patient through resolvePatient: an erased one is not found.
    const staff = { id: fx.adminId, organisationId: fx.institutionId, role: 'admin', isInstitution: true, canBookPartner: true } as SessionUser;
    await expect(resolvePatient(h.database.db, { kind: 'existing', patientId: fx.patientId, ref: '' } as never, {
      institutionId: fx.institutionId, user: staff, mayUseExisting: true,
    })).rejects.toMatchObject({ code: 'NOT_FOUND', key: 'patients.not_found' });
  });

  it('a booking made while an erasure holds the patient waits for it, then finds the patient erased: no booking reaches an erased patient', async () => {
    const { db } = h.database;
    const [other] = await db.insert(patients).values({
      institutionId: fx.institutionId, name: 'Racing Patient', birthDate: '1985-01-01', createdByOrganisationId: fx.institutionId,
    }).$returningId();
    // The erasure's transaction, as erasePatient runs it: the patient's row locked first, then anonymised.
    const erasure = await mysql.createConnection({ uri: h.config.databaseUrl });
    try {
      await erasure.query('START TRANSACTION');
      await erasure.query('SELECT id FROM patients WHERE id = ? FOR UPDATE', [other.id]);
      const staff = { id: fx.adminId, organisationId: fx.institutionId, role: 'admin', isInstitution: true, canBookPartner: true } as SessionUser;
      let settled = false;
      // The booking's step that takes an existing patient, in a transaction as the booking operations run it.
      const booking = db.transaction((tx) => resolvePatient(tx, { kind: 'existing', patientId: other.id, ref: '' } as never, {
        institutionId: fx.institutionId, user: staff, mayUseExisting: true,
      }), { isolationLevel: 'read committed' }).finally(() => { settled = true; });
      const outcome = booking.then(() => 'booked', (err: { key?: string }) => err.key ?? String(err));
      await new Promise((r) => setTimeout(r, 500));
      expect(settled, 'the booking waits for the erasure').toBe(false);
      await erasure.query("UPDATE patients SET name = 'Erased patient', birth_date = NULL, erased_at = NOW() WHERE id = ?", [other.id]);
      await erasure.query('COMMIT');
      expect(await outcome).toBe('patients.not_found');
    } finally {
      await erasure.end();
    }
  });

  it('the statistics CSV keeps the bookings and shows the anonymised name', async () => {
    const day = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 10);
    const input = { period: { kind: 'custom', from: day(-20 * DAY), to: day(20 * DAY) } };
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${h.baseUrl}/exports/statistics.csv?input=${encodeURIComponent(JSON.stringify(input))}&lang=en`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const rows = text.split(/\r?\n/).filter((l) => l.includes(erasedName(fx.patientId)));
    expect(rows).toHaveLength(2);
    expect(rows.some((r) => r.startsWith(String(ids.past)))).toBe(true);
    for (const v of PERSONAL_VALUES) expect(text).not.toContain(v);
  });

  it('no email reaches the erased patient: a queued one is skipped, a re-queued stage and a new workflow send nothing to the patient', async () => {
    const { db } = h.database;
    const sentToPatient = mailsTo(PERSON.email).length;
    const sentBefore = h.smtp.messages.length;
    // Queued before the erasure and delivered after it (the address still on the row): the render finds the patient
    // erased and the row is skipped, never sent.
    const key = `booking:${ids.future}:cancelled:v99:patient`;
    await db.insert(emailOutbox).values({ messageKey: key, toAddress: PERSON.email, template: 'booking-cancelled', params: { bookingId: ids.future, version: 99, audience: 'patient' } });
    expect(await acts.deliverEmail(key)).toBe('skipped');
    const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.messageKey, key));
    expect(row).toMatchObject({ status: 'skipped', toAddress: '' });
    expect(await acts.deliverEmail(key)).toBe('skipped');
    // A stage queued again (as a workflow retry or a resend would) has the partner's email only.
    const keys = await acts.queueBookingEmails({ bookingId: ids.future, stage: 'cancelled', version: 100 });
    expect(keys).toEqual([`booking:${ids.future}:cancelled:v100:partner-contact`]);

    // A booking that reached the erased patient anyway (written outside the booking operations, e.g. an import; the
    // operations themselves wait for a running erasure): its lifecycle workflow confirms to the partner, with the
    // anonymised name, and never to the patient.
    ids.later = await insertBooking(6 * DAY);
    await h.workflows.dispatchPending();
    const partnerMail = await h.smtp.waitFor(CONTACT_EMAIL, 3);
    expect(partnerMail.text).toContain(erasedName(fx.patientId));
    const patientRows = await db.select().from(emailOutbox).where(like(emailOutbox.messageKey, `booking:${ids.later}:%:patient`));
    expect(patientRows).toEqual([]);
    expect(mailsTo(PERSON.email)).toHaveLength(sentToPatient);
    for (const m of h.smtp.messages.slice(sentBefore)) for (const v of PERSONAL_VALUES) expect(m.raw).not.toContain(v);
  });

  it('the export of an erased patient shows the anonymised record, the erasure and the kept bookings', async () => {
    const { document } = await admin.api.patients.export.mutate({ patientId: fx.patientId });
    expect(document.patient).toMatchObject({
      name: erasedName(fx.patientId), birthDate: null, nationalId: null, phone: null, email: null, erasedAt: expect.any(String),
      erasedBy: expect.objectContaining({ id: fx.adminId }),
    });
    expect(document.bookings.map((b) => b.id)).toEqual([ids.past, ids.future, ids.later]);
    expect(document.searchesThatMayConcernThePatient).toEqual([]);
    expect(document.auditEntries.map((a) => a.action)).toEqual(['patient.export', 'patient.export', 'patient.erase']);
    for (const v of PERSONAL_VALUES) expect(JSON.stringify(document)).not.toContain(v);
  });
});
