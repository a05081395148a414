/**
 * "Which invitation path?" over HTTP against the real database: partners.invitationPreview says what saving Add New
 * Partner would do — and saving then does exactly that — with the found company's registry data and nothing about its
 * users; invalid tax numbers get a quiet answer, and the preview changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DEMO, signIn, startHarness, type Browser, type Harness } from '../test/harness';
import { organisations, partnerships, users } from '../db/schema';

let h: Harness;
let admin: Browser;
let napocaAdmin: Browser;
let locationId: number;
let napocaLocationId: number;

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  napocaAdmin = h.browser();
  await signIn(napocaAdmin, 'admin@centrul-napoca.ro', 'Napoca-Admin-2026');
  locationId = (await admin.api.partners.formOptions.query()).locations[0].id;
  napocaLocationId = (await napocaAdmin.api.partners.formOptions.query()).locations[0].id;
});
afterAll(async () => { await h?.close(); });

const MEDPLUS = { name: 'MedPlus Diagnostic SRL', registrationNumber: 'J12/2233/2013' };

function newPartner(taxNumber: string, companyName: string, contactEmail: string, at = locationId) {
  return {
    country: 'RO' as const, taxNumber, registrationNumber: 'J12/1/2024', companyName, address: 'Str. Horea 1, Cluj-Napoca',
    contactName: 'Ana Pop', contactEmail, contactPhone: '+40 744 000 333', locationIds: [at],
    commission: { type: 'none' as const }, paymentLocation: 'institution' as const, patientDataAccess: false,
  };
}

describe('partners.invitationPreview', () => {
  it('an organisation with users gets an approval request; its registry data is shown, its users never', async () => {
    const preview = await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: 'RO 31275800' });
    expect(preview).toMatchObject({ outcome: 'approval', company: MEDPLUS });
    const [medplus] = await h.database.db.select().from(organisations).where(eq(organisations.taxNumber, '31275800'));
    expect(preview).toEqual({ outcome: 'approval', company: { ...MEDPLUS, address: medplus.address } });
    const text = JSON.stringify(preview);
    expect(text).not.toMatch(/@|medplus-diagnostic\.ro|Bogdan/i);
  });

  it('a tax number unknown to the system: the contact person gets a registration email', async () => {
    expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: 'RO14399840' }))
      .toEqual({ outcome: 'registration', company: null });
    expect(await admin.api.partners.invitationPreview.query({ country: 'DE', taxNumber: 'de 123456789' }))
      .toEqual({ outcome: 'registration', company: null });
  });

  it('an organisation in the system without users registers too, and its registry data is shown', async () => {
    const [call] = await h.database.db.select().from(organisations).where(eq(organisations.name, 'Call Center Transilvania SRL'));
    const preview = await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: call.taxNumber });
    expect(preview).toEqual({ outcome: 'registration', company: { name: call.name, registrationNumber: call.registrationNumber, address: call.address } });
  });

  it('invalid or half-typed tax numbers are answered quietly, not as errors', async () => {
    for (const taxNumber of ['', 'RO', 'RO3127', 'RO31275801', 'RO 3127 5800 9', 'x']) {
      expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber })).toEqual({ outcome: 'invalid' });
    }
    expect(await admin.api.partners.invitationPreview.query({ country: 'HU', taxNumber: '1234' })).toEqual({ outcome: 'invalid' });
  });

  it('says when the company cannot be added: the institution itself, or already its partner', async () => {
    const [somes] = await h.database.db.select().from(organisations).where(eq(organisations.name, 'Clinica Medicală Someș SRL'));
    expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: somes.taxNumber })).toEqual({ outcome: 'self' });
    // MedPlus is an active partner of Centrul Medical Napoca.
    expect(await napocaAdmin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: '31275800' }))
      .toMatchObject({ outcome: 'duplicate', company: MEDPLUS });
  });

  it('the preview changes nothing, and saving takes the path it announced', async () => {
    const before = async () => ({
      orgs: (await h.database.db.select({ n: count() }).from(organisations))[0].n,
      partnerships: (await h.database.db.select({ n: count() }).from(partnerships))[0].n,
    });
    const counts = await before();
    await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: 'RO 27182818' });
    expect(await before()).toEqual(counts);

    // A new company: registration. Once its registration is under way, a second institution's invitation waits for
    // its administrators (approval) — the preview follows the same rule.
    expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: 'RO 27182818' })).toMatchObject({ outcome: 'registration' });
    const created = await admin.api.partners.create.mutate(newPartner('RO27182818', 'Policlinica Preview SRL', 'office@preview.ro'));
    expect(created.status).toBe('pending_registration');
    expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: '27182818' }))
      .toMatchObject({ outcome: 'duplicate', company: { name: 'Policlinica Preview SRL' } });
    const napoca = await napocaAdmin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: '27182818' });
    expect(napoca).toMatchObject({ outcome: 'approval', company: { name: 'Policlinica Preview SRL' } });
    const second = await napocaAdmin.api.partners.create.mutate(newPartner('RO27182818', 'ignored', 'office@preview.ro', napocaLocationId));
    expect(second.status).toBe('pending_approval');

    // MedPlus (has users) at Someș: approval, as announced.
    const medplus = await admin.api.partners.create.mutate(newPartner('RO31275800', 'ignored', 'contact@medplus-diagnostic.ro'));
    expect(medplus.status).toBe('pending_approval');
    // A company in the system with no users left: registration again.
    const [org] = await h.database.db.select().from(organisations).where(eq(organisations.name, 'Cabinet Medical Individual Dr. Maria Ionescu'));
    expect((await h.database.db.select({ n: count() }).from(users).where(eq(users.organisationId, org.id)))[0].n).toBe(0);
    expect(await admin.api.partners.invitationPreview.query({ country: 'RO', taxNumber: org.taxNumber })).toMatchObject({ outcome: 'registration' });
    const ionescu = await admin.api.partners.create.mutate(newPartner(org.taxNumber, 'ignored', 'maria@ionescu.ro'));
    expect(ionescu.status).toBe('pending_registration');
  });
});
