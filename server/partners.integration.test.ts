/**
 * The Partner Module end to end over HTTP: real MariaDB, the PartnerInvitation workflow on the real Temporal dev
 * server, and a real SMTP server receiving the partner registration / notification emails whose links are then used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness, type ReceivedMail } from '../test/harness';
import { auditLog, emailOutbox, gtcAcceptances, locations, organisations, partnerships, users } from '../db/schema';

let h: Harness;
let admin: Browser;
let locationIds: number[];
let locationNames: string[];

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  const options = await admin.api.partners.formOptions.query();
  locationIds = options.locations.map((l) => l.id);
  locationNames = options.locations.map((l) => l.name);
});
afterAll(async () => { await h?.close(); });

type FieldErrors = Record<string, { key: string; message: string }[]>;
const fieldErrors = (err: { data?: unknown }) => (err.data as { fieldErrors?: FieldErrors }).fieldErrors ?? {};
const errorKey = (err: { data?: unknown }) => (err.data as { key?: string }).key;

function partner(overrides: Record<string, unknown> = {}) {
  return {
    country: 'RO' as const, taxNumber: 'RO14399840', registrationNumber: 'J12/555/2019', companyName: 'Clinica Nova SRL',
    address: 'Str. Republicii 10, Cluj-Napoca', contactName: 'Paul Nistor', contactEmail: 'paul@clinica-nova.ro',
    contactPhone: '+40 722 123 456', locationIds: [locationIds[0], locationIds[1]],
    commission: { type: 'percent' as const, percent: '12.5' }, paymentLocation: 'partner' as const, patientDataAccess: false,
    ...overrides,
  } as Parameters<Browser['api']['partners']['create']['mutate']>[0];
}

function registrationToken(mail: ReceivedMail): string {
  const m = /\/partner-registration\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!m) throw new Error(`no registration link in ${mail.text}`);
  return decodeURIComponent(m[1]);
}

const count_ = async (table: typeof partnerships | typeof organisations | typeof emailOutbox) =>
  (await h.database.db.select({ n: count() }).from(table))[0].n;

async function workflowResult(partnershipId: number) {
  return (await h.workflows.client()).workflow.getHandle(`partner-invitation:${partnershipId}`).result();
}

describe('a brand-new partner registers and accepts the GTC', () => {
  it('creates the organisation, emails the contact person, and activates the partnership on registration', async () => {
    const created = await admin.api.partners.create.mutate(partner());
    expect(created).toMatchObject({ status: 'pending_registration', existingOrganisation: false });
    const [org] = await h.database.db.select().from(organisations).where(eq(organisations.taxNumber, '14399840'));
    expect(org).toMatchObject({ name: 'Clinica Nova SRL', country: 'RO', isInstitution: false });

    const mail = await h.smtp.waitFor('paul@clinica-nova.ro');
    expect(mail.subject).toContain('Înregistrarea partenerului');
    const token = registrationToken(mail);

    const list = await admin.api.partners.list.query({});
    expect(list.find((p) => p.id === created.partnershipId)).toMatchObject({
      companyName: 'Clinica Nova SRL', status: 'pending_registration', commissionType: 'percent', commissionValue: 1250,
      paymentLocation: 'partner', patientDataAccess: false, contactName: 'Paul Nistor', acceptedAt: null,
      locations: [locationNames[0], locationNames[1]].sort(),
    });
    const detail = await admin.api.partners.get.query({ partnershipId: created.partnershipId });
    expect(detail.invitation).toMatchObject({ kind: 'registration', remindersSent: 0 });
    expect(detail.workflow.id).toBe(`partner-invitation:${created.partnershipId}`);
    expect(detail.workflow.state).toMatchObject({ phase: 'waiting', waitingFor: 'contact_person' });

    const guest = h.browser();
    const page = await guest.api.partnerPortal.inspectRegistration.query({ token });
    expect(page).toMatchObject({ state: 'valid', institutionName: 'Clinica Medicală Someș SRL', companyName: 'Clinica Nova SRL', contactEmail: 'paul@clinica-nova.ro' });
    if (page.state !== 'valid') throw new Error('not valid');
    expect(page.gtc.bodyEn).toContain('GENERAL TERMS AND CONDITIONS');

    const noGtc = await failure(guest.api.partnerPortal.register.mutate({ token, name: 'Paul Nistor', password: 'Clinica-Nova-2026', passwordConfirm: 'Clinica-Nova-2026', gtcVersion: page.gtc.version, acceptGtc: false as true }));
    expect(fieldErrors(noGtc).acceptGtc?.[0].key).toBe('gtc.must_accept');
    await guest.api.partnerPortal.register.mutate({ token, name: 'Paul Nistor', password: 'Clinica-Nova-2026', passwordConfirm: 'Clinica-Nova-2026', gtcVersion: page.gtc.version, acceptGtc: true });
    const twice = await failure(guest.api.partnerPortal.register.mutate({ token, name: 'Paul Nistor', password: 'Clinica-Nova-2026', passwordConfirm: 'Clinica-Nova-2026', gtcVersion: page.gtc.version, acceptGtc: true }));
    expect(errorKey(twice)).toBe('invitation.used');
    expect(await guest.api.partnerPortal.inspectRegistration.query({ token })).toEqual({ state: 'used' });

    const [acceptance] = await h.database.db.select().from(gtcAcceptances).where(eq(gtcAcceptances.organisationId, org.id));
    expect(acceptance).toMatchObject({ partnershipId: created.partnershipId });
    expect(acceptance.userId).not.toBeNull();
    expect(acceptance.ip).toBeTruthy();

    expect(await workflowResult(created.partnershipId)).toBe('active');
    const accepted = await h.smtp.waitFor(DEMO.admin.email);
    expect(accepted.subject).toBe('Clinica Nova SRL accepted your partner invitation');
    expect((await admin.api.partners.get.query({ partnershipId: created.partnershipId })).status).toBe('active');

    // The new partner admin signs in, sees the institution and adds a booker.
    const paul = h.browser();
    await signIn(paul, 'paul@clinica-nova.ro', 'Clinica-Nova-2026');
    const institutions = await paul.api.partnerPortal.institutions.query();
    expect(institutions).toHaveLength(1);
    expect(institutions[0]).toMatchObject({ institutionName: 'Clinica Medicală Someș SRL', commissionValue: 1250, paymentLocation: 'partner' });
    await paul.api.users.create.mutate({ name: 'Dana Booker', email: 'dana@clinica-nova.ro', role: 'staff', canBookPartner: true, locale: 'ro' });
    await h.smtp.waitFor('dana@clinica-nova.ro');

    // The institution deletes the partner: the partnership ends and the partner loses access to the institution at once.
    const impact = await admin.api.partners.deleteImpact.query({ partnershipId: created.partnershipId });
    expect(impact).toEqual({ companyName: 'Clinica Nova SRL', status: 'active', futureBookings: 0 });
    await admin.api.partners.delete.mutate({ partnershipId: created.partnershipId });
    expect(await paul.api.partnerPortal.institutions.query()).toEqual([]);
    expect((await admin.api.partners.get.query({ partnershipId: created.partnershipId })).status).toBe('ended');
    // Inviting it again is allowed once the old partnership has ended.
    const again = await admin.api.partners.create.mutate(partner());
    expect(again.status).toBe('pending_approval'); // it now has its own admin, who approves in the app
  });
});

describe('a partner that already has a contract approves in the app', () => {
  it('notifies its admins, who approve; the institution is emailed', async () => {
    const created = await admin.api.partners.create.mutate(partner({
      taxNumber: '31275800', companyName: 'ignored: the existing organisation keeps its name', contactEmail: 'contact@medplus-diagnostic.ro',
      commission: { type: 'fixed', amount: '25.50' }, paymentLocation: 'institution', patientDataAccess: true,
    }));
    expect(created).toMatchObject({ status: 'pending_approval', existingOrganisation: true });
    const mail = await h.smtp.waitFor(DEMO.partnerAdmin.email);
    expect(mail.subject).toContain('Notificare partener');
    expect(mail.text).toContain('/invitations');
    expect(h.smtp.messages.some((m) => m.to.includes('contact@medplus-diagnostic.ro'))).toBe(false);

    // Another partner's admin neither sees nor answers this invitation.
    await admin.api.partners.create.mutate(partner({ taxNumber: '44721904', contactEmail: 'office@cct.ro', companyName: 'Call Center Transilvania SRL' }));
    const other = h.browser();
    await signIn(other, 'paul@clinica-nova.ro', 'Clinica-Nova-2026');
    const othersView = await other.api.partnerPortal.invitations.query();
    expect(othersView.invitations.map((i) => i.id)).not.toContain(created.partnershipId);
    expect((await failure(other.api.partnerPortal.approve.mutate({ partnershipId: created.partnershipId }))).data?.code).toBe('NOT_FOUND');
    // Nor does the partner's booker (not an admin), nor the institution's admin.
    const booker = h.browser();
    await signIn(booker, DEMO.partnerBooker.email, DEMO.partnerBooker.password);
    expect((await failure(booker.api.partnerPortal.approve.mutate({ partnershipId: created.partnershipId }))).data?.code).toBe('FORBIDDEN');
    expect((await failure(admin.api.partnerPortal.approve.mutate({ partnershipId: created.partnershipId }))).data?.code).toBe('NOT_FOUND');

    const medplus = h.browser();
    await signIn(medplus, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
    const view = await medplus.api.partnerPortal.invitations.query();
    expect(view.gtc).toBeNull(); // MedPlus accepted the GTC before
    expect(view.invitations.find((i) => i.id === created.partnershipId)).toMatchObject({
      institutionName: 'Clinica Medicală Someș SRL', commissionType: 'fixed', commissionValue: 2550, commissionCurrency: 'RON',
      paymentLocation: 'institution', patientDataAccess: true,
    });
    await Promise.all([
      medplus.api.partnerPortal.approve.mutate({ partnershipId: created.partnershipId }),
      medplus.api.partnerPortal.approve.mutate({ partnershipId: created.partnershipId }),
    ]);
    expect(errorKey(await failure(medplus.api.partnerPortal.decline.mutate({ partnershipId: created.partnershipId })))).toBe('partners.answer_accepted');
    expect(await workflowResult(created.partnershipId)).toBe('active');
    const outcome = await h.smtp.waitFor(DEMO.admin.email, 2);
    expect(outcome.subject).toBe('MedPlus Diagnostic SRL accepted your partner invitation');
    const approvals = await h.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'partnership.approve'), eq(auditLog.objectId, String(created.partnershipId))));
    expect(approvals).toHaveLength(1);
    expect((await medplus.api.partnerPortal.institutions.query()).map((i) => i.id)).toContain(created.partnershipId);
  });

  it('refuses a second pending or active partnership with the same partner', async () => {
    const before = await count_(partnerships);
    const dup = await failure(admin.api.partners.create.mutate(partner({ taxNumber: '31275800', contactEmail: 'x@medplus-diagnostic.ro' })));
    expect(dup.data?.code).toBe('CONFLICT');
    expect(fieldErrors(dup).taxNumber?.[0].message).toBe('This partner already has a pending or active partnership with your institution.');
    const dupPending = await failure(admin.api.partners.create.mutate(partner({ taxNumber: 'RO 44721904', contactEmail: 'y@cct.ro' })));
    expect(dupPending.data?.code).toBe('CONFLICT');
    expect(await count_(partnerships)).toBe(before);
  });
});

describe('invitation links that cannot be used', () => {
  it('a withdrawn invitation shows its state, and a resend replaces the link', async () => {
    const created = await admin.api.partners.create.mutate(partner({ taxNumber: '38192655', companyName: 'Cabinet Medical Individual Dr. Maria Ionescu', contactEmail: 'maria@cmi-ionescu.ro' }));
    expect(created.status).toBe('pending_registration'); // the organisation exists but has no users
    const first = registrationToken(await h.smtp.waitFor('maria@cmi-ionescu.ro', 1));
    await admin.api.partners.resend.mutate({ partnershipId: created.partnershipId });
    const second = registrationToken(await h.smtp.waitFor('maria@cmi-ionescu.ro', 2));
    expect(second).not.toBe(first);
    const guest = h.browser();
    expect(await guest.api.partnerPortal.inspectRegistration.query({ token: first })).toEqual({ state: 'revoked' });
    expect((await guest.api.partnerPortal.inspectRegistration.query({ token: second })).state).toBe('valid');

    await admin.api.partners.withdraw.mutate({ partnershipId: created.partnershipId });
    await admin.api.partners.withdraw.mutate({ partnershipId: created.partnershipId }); // a double click changes nothing
    expect(await guest.api.partnerPortal.inspectRegistration.query({ token: second })).toEqual({ state: 'withdrawn' });
    const err = await failure(guest.api.partnerPortal.register.mutate({ token: second, name: 'Maria', password: 'Maria-Ionescu-2026', passwordConfirm: 'Maria-Ionescu-2026', gtcVersion: '2026-01', acceptGtc: true }));
    expect(err.message).toBe('The institution has withdrawn this invitation.');
    expect(await workflowResult(created.partnershipId)).toBe('withdrawn');
    expect(await guest.api.partnerPortal.inspectRegistration.query({ token: 'made-up-token' })).toEqual({ state: 'invalid' });
  });

  it('an expired invitation becomes expired and its link says so', async () => {
    h.config.partnerInvitationExpiryMs = 3_000;
    h.config.partnerReminderOffsetsMs = [1_000];
    try {
      const created = await admin.api.partners.create.mutate(partner({ country: 'HU', taxNumber: '12345678-2-42', companyName: 'Pest Medical Kft', contactEmail: 'info@pestmedical.hu' }));
      const token = registrationToken(await h.smtp.waitFor('info@pestmedical.hu', 1));
      const reminder = await h.smtp.waitFor('info@pestmedical.hu', 2);
      expect(reminder.subject).toMatch(/^Reminder: Partner registration/);
      expect(await workflowResult(created.partnershipId)).toBe('expired');
      expect((await admin.api.partners.get.query({ partnershipId: created.partnershipId })).status).toBe('expired');
      expect(await h.browser().api.partnerPortal.inspectRegistration.query({ token })).toEqual({ state: 'expired' });
    } finally {
      h.config.partnerInvitationExpiryMs = 14 * 24 * 3_600_000;
      h.config.partnerReminderOffsetsMs = [3, 7].map((d) => d * 24 * 3_600_000);
    }
  });
});

describe('claiming an organisation', () => {
  it('lets only the first inviter’s contact register; a second institution waits for the organisation’s admin', async () => {
    // A second institution, with its own admin and location.
    const { db } = h.database;
    const [clinic2] = await db.insert(organisations).values({ name: 'Clinica Doi SRL', country: 'RO', taxNumber: '17320506', registrationNumber: 'J2', address: 'x', isInstitution: true, currency: 'RON' }).$returningId();
    const [loc2] = await db.insert(locations).values({ organisationId: clinic2.id, name: 'Doi Central', address: 'x', timeZone: 'Europe/Bucharest' }).$returningId();
    const [hash] = await db.select({ h: users.passwordHash }).from(users).where(eq(users.email, DEMO.admin.email));
    await db.insert(users).values({ organisationId: clinic2.id, email: 'admin@clinica-doi.ro', name: 'Admin Doi', role: 'admin', status: 'active', passwordHash: hash.h });
    const admin2 = h.browser();
    await signIn(admin2, 'admin@clinica-doi.ro', DEMO.admin.password);

    const a = await admin.api.partners.create.mutate(partner({ taxNumber: '14142137', companyName: 'Radix Medical SRL', contactEmail: 'real@radix.ro' }));
    expect(a.status).toBe('pending_registration');
    const b = await admin2.api.partners.create.mutate(partner({ taxNumber: '14142137', companyName: 'Radix Medical SRL', contactEmail: 'impostor@example.com', locationIds: [loc2.id] }));
    expect(b.status).toBe('pending_approval'); // not a second registration link
    // Someș can no longer rename the company: another institution relies on its data.
    expect((await admin.api.partners.get.query({ partnershipId: a.partnershipId })).companyEditable).toBe(false);

    const token = registrationToken(await h.smtp.waitFor('real@radix.ro'));
    await h.browser().api.partnerPortal.register.mutate({ token, name: 'Real Radix', password: 'Radix-Password-2026', passwordConfirm: 'Radix-Password-2026', gtcVersion: '2026-01', acceptGtc: true });
    expect(h.smtp.messages.some((m) => m.to.includes('impostor@example.com'))).toBe(false);
    // The organisation's new admin is notified of the second institution's invitation and answers it in the app.
    const notice = await h.smtp.waitFor('real@radix.ro', 2);
    expect(notice.subject).toContain('Clinica Doi SRL');
    const radix = h.browser();
    await signIn(radix, 'real@radix.ro', 'Radix-Password-2026');
    expect((await radix.api.partnerPortal.invitations.query()).invitations.map((i) => i.id)).toEqual([b.partnershipId]);
  });

  it('when a registration is withdrawn, the invitation that waited for it becomes the registration', async () => {
    const [clinic2] = await h.database.db.select().from(organisations).where(eq(organisations.name, 'Clinica Doi SRL'));
    const [loc2] = await h.database.db.select().from(locations).where(eq(locations.organisationId, clinic2.id));
    const admin2 = h.browser();
    await signIn(admin2, 'admin@clinica-doi.ro', DEMO.admin.password);
    const first = await admin.api.partners.create.mutate(partner({ taxNumber: '16180331', companyName: 'Phi Clinic SRL', contactEmail: 'first@phi.ro' }));
    const waiting = await admin2.api.partners.create.mutate(partner({ taxNumber: '16180331', companyName: 'Phi Clinic SRL', contactEmail: 'second@phi.ro', locationIds: [loc2.id] }));
    expect([first.status, waiting.status]).toEqual(['pending_registration', 'pending_approval']);
    await admin.api.partners.withdraw.mutate({ partnershipId: first.partnershipId });
    expect((await admin2.api.partners.get.query({ partnershipId: waiting.partnershipId })).status).toBe('pending_registration');
    const mail = await h.smtp.waitFor('second@phi.ro');
    expect((await h.browser().api.partnerPortal.inspectRegistration.query({ token: registrationToken(mail) })).state).toBe('valid');
  });

  it('changing the contact email of a pending registration sends a new link and revokes the old one', async () => {
    const created = await admin.api.partners.create.mutate(partner({ taxNumber: '31415920', companyName: 'Pi Medical SRL', contactEmail: 'wrong@pi-medical.ro' }));
    const oldToken = registrationToken(await h.smtp.waitFor('wrong@pi-medical.ro'));
    const detail = await admin.api.partners.get.query({ partnershipId: created.partnershipId });
    await admin.api.partners.update.mutate({
      partnershipId: created.partnershipId, contactName: 'Right Person', contactEmail: 'right@pi-medical.ro', contactPhone: '0264 123 456',
      locationIds: detail.settings.locationIds, commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
    });
    // The old link stops working at once, not only when the new round is issued.
    expect(await h.browser().api.partnerPortal.inspectRegistration.query({ token: oldToken })).toEqual({ state: 'revoked' });
    const newToken = registrationToken(await h.smtp.waitFor('right@pi-medical.ro'));
    expect(await h.browser().api.partnerPortal.inspectRegistration.query({ token: oldToken })).toEqual({ state: 'revoked' });
    expect((await h.browser().api.partnerPortal.inspectRegistration.query({ token: newToken })).state).toBe('valid');
  });

  it('a registration link cannot claim an organisation that has users meanwhile; resend turns it into an approval', async () => {
    const created = await admin.api.partners.create.mutate(partner({ taxNumber: '27182818', companyName: 'Euler Clinic SRL', contactEmail: 'euler@example.com' }));
    const token = registrationToken(await h.smtp.waitFor('euler@example.com'));
    const [p] = await h.database.db.select().from(partnerships).where(eq(partnerships.id, created.partnershipId));
    const [hash] = await h.database.db.select({ h: users.passwordHash }).from(users).where(eq(users.email, DEMO.admin.email));
    await h.database.db.insert(users).values({ organisationId: p.partnerOrganisationId, email: 'boss@euler.example', name: 'Boss', role: 'admin', status: 'active', passwordHash: hash.h });
    const err = await failure(h.browser().api.partnerPortal.register.mutate({ token, name: 'X', password: 'Euler-Password-2026', passwordConfirm: 'Euler-Password-2026', gtcVersion: '2026-01', acceptGtc: true }));
    expect(errorKey(err)).toBe('partners.organisation_has_users');
    await admin.api.partners.resend.mutate({ partnershipId: created.partnershipId });
    expect((await admin.api.partners.get.query({ partnershipId: created.partnershipId })).status).toBe('pending_approval');
    expect((await h.smtp.waitFor('boss@euler.example')).subject).toContain('Notificare partener');
  });
});

describe('bad input', () => {
  it('names the field and the reason, writes nothing and sends no email', async () => {
    const before = { partnerships: await count_(partnerships), organisations: await count_(organisations), emails: await count_(emailOutbox) };
    const [foreign] = await h.database.db.insert(locations).values({ organisationId: (await h.database.db.select().from(organisations).where(eq(organisations.taxNumber, '31275800')))[0].id, name: 'Elsewhere', address: 'x', timeZone: 'Europe/Bucharest' }).$returningId();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ taxNumber: '14399841' }, 'taxNumber', 'tax.ro_check_digit'],
      [{ taxNumber: '' }, 'taxNumber', 'validation.required'],
      [{ country: 'HU', taxNumber: '1234-5' }, 'taxNumber', 'tax.hu_format'],
      [{ registrationNumber: '  ' }, 'registrationNumber', 'validation.required'],
      [{ commission: { type: 'percent', percent: '100.5' } }, 'commission.percent', 'commission.percent_range'],
      [{ commission: { type: 'percent', percent: '12.345' } }, 'commission.percent', 'commission.percent_decimals'],
      [{ commission: { type: 'fixed', amount: '-5' } }, 'commission.amount', 'commission.amount_negative'],
      [{ commission: { type: 'fixed', amount: 'ten' } }, 'commission.amount', 'commission.amount_invalid'],
      [{ locationIds: [] }, 'locationIds', 'partners.locations_required'],
      [{ locationIds: [foreign.id] }, 'locationIds', 'partners.location_foreign'],
      [{ contactEmail: 'not-an-email' }, 'contactEmail', 'validation.email_invalid'],
      [{ contactPhone: 'call me' }, 'contactPhone', 'validation.phone_invalid'],
      [{ country: 'XX' }, 'country', 'validation.country_invalid'],
    ];
    for (const [overrides, field, key] of cases) {
      const err = await failure(admin.api.partners.create.mutate(partner(overrides)));
      expect(fieldErrors(err)[field]?.[0].key, `${JSON.stringify(overrides)} → ${field}`).toBe(key);
    }
    expect(await count_(partnerships)).toBe(before.partnerships);
    expect(await count_(organisations)).toBe(before.organisations);
    expect(await count_(emailOutbox)).toBe(before.emails);
  });

  it('only an institution admin manages partners', async () => {
    const staff = h.browser();
    await signIn(staff, DEMO.staff.email, DEMO.staff.password);
    expect((await failure(staff.api.partners.list.query({}))).data?.code).toBe('FORBIDDEN');
    const medplus = h.browser();
    await signIn(medplus, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
    expect((await failure(medplus.api.partners.list.query({}))).data?.code).toBe('FORBIDDEN');
    expect((await failure(h.browser().api.partners.create.mutate(partner()))).data?.code).toBe('UNAUTHORIZED');
  });

  it('a partner organisation without the GTC cannot add users', async () => {
    const [org] = await h.database.db.insert(organisations).values({ name: 'No GTC SRL', country: 'RO', taxNumber: '1859042', registrationNumber: 'J1', address: 'x' }).$returningId();
    await h.database.db.insert(users).values({ organisationId: org.id, email: 'nogtc@example.com', name: 'No GTC', role: 'admin', status: 'active', passwordHash: (await h.database.db.select().from(users).where(eq(users.email, DEMO.partnerAdmin.email)))[0].passwordHash });
    const b = h.browser();
    await signIn(b, 'nogtc@example.com', DEMO.partnerAdmin.password);
    const err = await failure(b.api.users.create.mutate({ name: 'X', email: 'x-nogtc@example.com', role: 'staff', canBookPartner: true, locale: 'en' }));
    expect(errorKey(err)).toBe('users.gtc_required');
  });
});
