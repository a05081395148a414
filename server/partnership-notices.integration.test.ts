/**
 * "The partner is never told" (issue 10, item 3) end to end: real MariaDB, the partnershipNotice workflow on the real
 * Temporal dev server, and the in-process SMTP server. Ending, withdrawing, a change of commercial terms and a Traffic
 * Channels save each email every active admin of the partner once, in the admin's own language, with what changed;
 * a retried outbox row sends nothing twice; the partner's "My institutions" lists the ended partnership as ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNotNull } from 'drizzle-orm';
import { DEMO, signIn, startHarness, type Browser, type Harness, type ReceivedMail } from '../test/harness';
import { organisations, partnershipNotices, users, workflowOutbox } from '../db/schema';
import { partnershipNoticeWorkflowId } from './partners/notices';

let h: Harness;
let admin: Browser;
let medplus: Browser;
let locations: { id: number; name: string }[];

const BOGDAN = DEMO.partnerAdmin.email; // MedPlus admin, Romanian
const ANA = 'ana.pop@medplus-diagnostic.ro'; // MedPlus admin, English
const GONE = 'fost.admin@medplus-diagnostic.ro'; // a deactivated MedPlus admin: never told
const BOOKER = DEMO.partnerBooker.email; // MedPlus staff: not an admin, never told

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  locations = (await admin.api.partners.formOptions.query()).locations.map(({ id, name }) => ({ id, name }));
  const [org] = await h.database.db.select().from(organisations).where(eq(organisations.taxNumber, '31275800'));
  await h.database.db.insert(users).values([
    { organisationId: org.id, email: ANA, name: 'Ana Pop', role: 'admin', canBookPartner: true, status: 'active', locale: 'en', passwordHash: 'x' },
    { organisationId: org.id, email: GONE, name: 'Fost Admin', role: 'admin', canBookPartner: true, status: 'deactivated', locale: 'ro', passwordHash: 'x' },
  ]);
  medplus = h.browser();
  await signIn(medplus, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
});
afterAll(async () => { await h?.close(); });

const medplusInput = () => ({
  country: 'RO' as const, taxNumber: '31275800', registrationNumber: 'J12/2233/2013', companyName: 'MedPlus Diagnostic SRL', address: 'x',
  contactName: 'Bogdan Marin', contactEmail: BOGDAN, contactPhone: '0722000000',
  locationIds: [locations[0].id, locations[1].id], commission: { type: 'percent' as const, percent: '12.5' },
  paymentLocation: 'partner' as const, patientDataAccess: false,
});

/** Someș invites MedPlus (approval path) and MedPlus approves: an active partnership. */
async function activePartnership(): Promise<number> {
  const { partnershipId } = await admin.api.partners.create.mutate(medplusInput());
  await medplus.api.partnerPortal.approve.mutate({ partnershipId });
  return partnershipId;
}

const mailsTo = (to: string, subject: string) => h.smtp.messages.filter((m) => m.to.includes(to) && m.subject.includes(subject));

/** Waits for the first email to `to` whose subject contains `subject`. */
async function waitForMail(to: string, subject: string, timeoutMs = 30_000): Promise<ReceivedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [found] = mailsTo(to, subject);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no email "${subject}" to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until every notice workflow of the partnership has completed (so "exactly once" can be counted). */
async function noticesDone(partnershipId: number) {
  const notices = await h.database.db.select().from(partnershipNotices).where(eq(partnershipNotices.partnershipId, partnershipId));
  const client = await h.workflows.client();
  await h.workflows.dispatchPending();
  return Promise.all(notices.map((n) => client.workflow.getHandle(partnershipNoticeWorkflowId(partnershipId, n.id)).result()));
}

describe('the partner is told', () => {
  it('a change of commercial terms: each active admin once, in their own language, only what changed, as the form shows it', async () => {
    const id = await activePartnership();
    // Contact details are not terms: nobody is told.
    await admin.api.partners.update.mutate({ partnershipId: id, ...medplusInput(), contactPhone: '0722000111' });
    expect(await h.database.db.select().from(partnershipNotices).where(eq(partnershipNotices.partnershipId, id))).toHaveLength(0);

    await admin.api.partners.update.mutate({
      partnershipId: id, ...medplusInput(), locationIds: [locations[0].id], commission: { type: 'fixed', amount: '25.50' },
      paymentLocation: 'institution', patientDataAccess: true,
    });
    const ro = await waitForMail(BOGDAN, 'Condițiile parteneriatului s-au schimbat');
    expect(ro.subject).toBe('Condițiile parteneriatului s-au schimbat — Clinica Medicală Someș SRL');
    expect(ro.text).toContain('Comision: 12,5 % → 25,50 RON per rezervare');
    expect(ro.text).toContain('Locul plății: La partener → La instituție');
    expect(ro.text).toContain('Acces la datele pacienților: Nu → Da');
    const before = [locations[0].name, locations[1].name].sort((a, b) => a.localeCompare(b)).join(', ');
    expect(ro.text).toContain(`Locații: ${before} → ${locations[0].name}`);
    const en = await waitForMail(ANA, 'Partnership terms changed');
    expect(en.subject).toBe('Partnership terms changed — Clinica Medicală Someș SRL');
    expect(en.text).toContain('Commission: 12.5 % → 25.50 RON per booking');
    expect(en.text).toContain('Payment location: At the partner → At the institution');
    expect(en.text).toContain('Access to patient data: No → Yes');
    expect(en.text).toContain(`${h.baseUrl}/institutions`);
    expect(en.text).not.toContain('0722000111');

    // Only the commission changes now: only the commission is listed.
    await admin.api.partners.update.mutate({
      partnershipId: id, ...medplusInput(), locationIds: [locations[0].id], commission: { type: 'percent', percent: '10' },
      paymentLocation: 'institution', patientDataAccess: true,
    });
    await noticesDone(id);
    const second = mailsTo(ANA, 'Partnership terms changed')[1];
    expect(second.text).toContain('Commission: 25.50 RON per booking → 10 %');
    expect(second.text).not.toContain('Payment location');
    expect(mailsTo(ANA, 'Partnership terms changed')).toHaveLength(2);
    expect(mailsTo(BOGDAN, 'Condițiile parteneriatului')).toHaveLength(2);
    expect(mailsTo(GONE, '')).toHaveLength(0);
    expect(mailsTo(BOOKER, 'Condițiile parteneriatului')).toHaveLength(0);

    // A retried outbox row (the dispatcher died before marking it dispatched) starts the workflow again: no new email.
    const [row] = await h.database.db.select().from(workflowOutbox).where(eq(workflowOutbox.workflowType, 'partnershipNotice'));
    await h.database.db.update(workflowOutbox).set({ dispatchedAt: null, claimedAt: null }).where(eq(workflowOutbox.id, row.id));
    expect(await h.workflows.dispatchPending()).toBeGreaterThanOrEqual(1);
    const rerun = await (await h.workflows.client()).workflow.getHandle(row.workflowId).result();
    expect(rerun).toBe(2); // the same two emails, already sent
    const [again] = await h.database.db.select().from(workflowOutbox).where(and(eq(workflowOutbox.id, row.id), isNotNull(workflowOutbox.dispatchedAt)));
    expect(again).toBeTruthy();
    expect(mailsTo(ANA, 'Partnership terms changed')).toHaveLength(2);
    expect(mailsTo(BOGDAN, 'Condițiile parteneriatului')).toHaveLength(2);

    await admin.api.partners.delete.mutate({ partnershipId: id });
    await noticesDone(id);
  });

  it('a Traffic Channels save that changes a partner\'s services: one email per partner per save, not per cell', async () => {
    const id = await activePartnership();
    const m = await admin.api.trafficChannels.matrix.query();
    const column = `partnership:${id}`;
    const [a, b, c] = m.services;
    await admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId: a.id, channelKey: column, enabled: true },
      { serviceId: b.id, channelKey: column, enabled: true },
      { serviceId: c.id, channelKey: column, enabled: true },
      { serviceId: a.id, channelKey: 'online', enabled: true },
    ] });
    await noticesDone(id);
    const [en] = mailsTo(ANA, 'Authorised services changed');
    expect(mailsTo(ANA, 'Authorised services changed')).toHaveLength(1);
    expect(mailsTo(BOGDAN, 'Serviciile autorizate s-au schimbat')).toHaveLength(1);
    const added = [a.name, b.name, c.name].sort((x, y) => x.localeCompare(y)).join(', ');
    expect(en.text).toContain(`Authorised services: none → ${added}`);
    expect(en.text).toContain(`Added: ${added}`);

    // Unticking one and re-saving an unchanged cell: one more email, naming the removed service.
    await admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId: b.id, channelKey: column, enabled: false },
      { serviceId: a.id, channelKey: column, enabled: true },
    ] });
    await noticesDone(id);
    expect(mailsTo(ANA, 'Authorised services changed')).toHaveLength(2);
    const [, ro] = mailsTo(BOGDAN, 'Serviciile autorizate s-au schimbat');
    expect(ro.text).toContain(`Nu mai sunt autorizate: ${b.name}`);

    // A save that changes only other channels tells nobody.
    await admin.api.trafficChannels.save.mutate({ changes: [{ serviceId: b.id, channelKey: 'phone', enabled: true }] });
    await noticesDone(id);
    expect(mailsTo(ANA, 'Authorised services changed')).toHaveLength(2);

    await admin.api.partners.delete.mutate({ partnershipId: id });
    await noticesDone(id);
  });

  it('ending: each admin once in their language, and "My institutions" shows the partnership as ended with its date', async () => {
    const endedBefore = mailsTo(ANA, 'Partnership ended').length;
    const id = await activePartnership();
    await admin.api.partners.delete.mutate({ partnershipId: id });
    await admin.api.partners.delete.mutate({ partnershipId: id }); // a repeated click tells nobody again
    await noticesDone(id);
    const en = mailsTo(ANA, 'Partnership ended');
    expect(en).toHaveLength(endedBefore + 1);
    expect(en.at(-1)!.subject).toBe('Partnership ended — Clinica Medicală Someș SRL');
    expect(en.at(-1)!.text).toContain('Clinica Medicală Someș SRL ended its partnership with MedPlus Diagnostic SRL on');
    const ro = mailsTo(BOGDAN, 'Parteneriat încheiat');
    expect(ro).toHaveLength(endedBefore + 1);
    expect(ro.at(-1)!.text).toContain('a încheiat parteneriatul cu MedPlus Diagnostic SRL la');

    // Booking scope stays on active partnerships; the ended one is listed apart, once per institution, with its date.
    expect((await medplus.api.partnerPortal.institutions.query()).map((i) => i.id)).not.toContain(id);
    const ended = await medplus.api.partnerPortal.endedPartnerships.query();
    const mine = ended.filter((e) => e.institutionName === 'Clinica Medicală Someș SRL');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id, status: 'ended', commissionType: 'percent', commissionValue: 1250 });
    expect(Date.now() - new Date(mine[0].endedAt).getTime()).toBeLessThan(10 * 60_000);

    // Active again: the institution is listed as active, no longer as ended.
    const again = await activePartnership();
    expect((await medplus.api.partnerPortal.institutions.query()).map((i) => i.id)).toContain(again);
    expect((await medplus.api.partnerPortal.endedPartnerships.query()).map((e) => e.institutionName)).not.toContain('Clinica Medicală Someș SRL');
    await admin.api.partners.delete.mutate({ partnershipId: again });
    await noticesDone(again);
  });

  it('withdrawing an invitation: the admins of an existing partner, or the contact person of a new one', async () => {
    const { partnershipId } = await admin.api.partners.create.mutate(medplusInput());
    await admin.api.partners.withdraw.mutate({ partnershipId });
    await admin.api.partners.withdraw.mutate({ partnershipId });
    await noticesDone(partnershipId);
    expect(mailsTo(ANA, 'Invitation withdrawn')).toHaveLength(1);
    expect(mailsTo(ANA, 'Invitation withdrawn')[0].text).toContain('can no longer be approved in the app');
    expect(mailsTo(BOGDAN, 'Invitație retrasă')).toHaveLength(1);

    // A new company (registration path): its contact person got the link, and is told in the language of its country.
    const created = await admin.api.partners.create.mutate({
      ...medplusInput(), taxNumber: 'RO14399840', companyName: 'Clinica Nova SRL', contactName: 'Paul Nistor', contactEmail: 'paul@clinica-nova.ro',
    });
    await h.smtp.waitFor('paul@clinica-nova.ro');
    await admin.api.partners.withdraw.mutate({ partnershipId: created.partnershipId });
    await noticesDone(created.partnershipId);
    const [ro] = mailsTo('paul@clinica-nova.ro', 'Invitație retrasă');
    expect(mailsTo('paul@clinica-nova.ro', 'Invitație retrasă')).toHaveLength(1);
    expect(ro.text).toContain('Bună ziua, Paul Nistor,');
    expect(ro.text).toContain('Linkul de înregistrare din e-mailul anterior nu mai funcționează');
    expect(ro.text).not.toContain('/institutions');
  });
});
