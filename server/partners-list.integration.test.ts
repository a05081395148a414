/**
 * The partners list over HTTP against a real MariaDB (issue 10 item 4): one row per partner organisation with its
 * current partnership, the earlier ones with it; the default filter shows current partners; tenant isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness } from '../test/harness';

let h: Harness;
let admin: Browser;
let medplus: Browser;
let napoca: Browser;
let locationIds: number[];

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  medplus = h.browser();
  await signIn(medplus, DEMO.partnerAdmin.email, DEMO.partnerAdmin.password);
  napoca = h.browser();
  await signIn(napoca, 'admin@centrul-napoca.ro', 'Napoca-Admin-2026');
  locationIds = (await admin.api.partners.formOptions.query()).locations.map((l) => l.id);
});
afterAll(async () => { await h?.close(); });

/** MedPlus (an organisation with its own admins: the approval path), invited by Clinica Someș. */
function inviteMedPlus(contactEmail: string) {
  return admin.api.partners.create.mutate({
    country: 'RO', taxNumber: '31275800', registrationNumber: 'J12/1/2010', companyName: 'MedPlus Diagnostic SRL',
    address: 'Cluj-Napoca', contactName: 'Ana Pop', contactEmail, contactPhone: '+40 722 000 111',
    locationIds: [locationIds[0]], commission: { type: 'percent', percent: '10' }, paymentLocation: 'institution', patientDataAccess: false,
  });
}

const medplusRows = <R extends { companyName: string }>(rows: R[]) => rows.filter((r) => r.companyName === 'MedPlus Diagnostic SRL');

describe('one row per partner organisation', () => {
  it('a company invited, deleted and invited again shows once, with its current status; the earlier partnership is its history', async () => {
    const first = await inviteMedPlus('first@medplus-diagnostic.ro');
    await medplus.api.partnerPortal.approve.mutate({ partnershipId: first.partnershipId });
    expect((await admin.api.partners.get.query({ partnershipId: first.partnershipId })).status).toBe('active');
    await admin.api.partners.delete.mutate({ partnershipId: first.partnershipId });

    // Ended: not a current partner any more, listed under "Ended" (and "All") as ended.
    expect(medplusRows(await admin.api.partners.list.query({}))).toEqual([]);
    expect(medplusRows(await admin.api.partners.list.query({ filter: 'ended' }))).toMatchObject([{ id: first.partnershipId, status: 'ended', earlier: [] }]);

    const second = await inviteMedPlus('second@medplus-diagnostic.ro');
    expect(second.status).toBe('pending_approval');

    for (const filter of [undefined, 'all'] as const) {
      const rows = medplusRows(await admin.api.partners.list.query(filter ? { filter } : {}));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: second.partnershipId, status: 'pending_approval', contactEmail: 'second@medplus-diagnostic.ro' });
      expect(rows[0].earlier).toEqual([expect.objectContaining({ id: first.partnershipId, status: 'ended' })]);
      expect(rows[0].earlier[0].closedAt).not.toBeNull();
    }
    expect(medplusRows(await admin.api.partners.list.query({ filter: 'ended' }))).toEqual([]);
    // Search finds the partner once, by its company data.
    expect(await admin.api.partners.list.query({ filter: 'all', search: '31275800' })).toHaveLength(1);

    // The partner's page asks for its organisation by any of its partnerships: the same one row.
    for (const partnershipId of [first.partnershipId, second.partnershipId]) {
      const rows = await admin.api.partners.list.query({ filter: 'all', partnershipId });
      expect(rows.map((r) => r.id)).toEqual([second.partnershipId]);
    }

    // Declined: the latest partnership is closed again, so the partner moves to "Ended" with both earlier ones kept.
    await medplus.api.partnerPortal.decline.mutate({ partnershipId: second.partnershipId });
    const ended = medplusRows(await admin.api.partners.list.query({ filter: 'ended' }));
    expect(ended).toMatchObject([{ id: second.partnershipId, status: 'declined' }]);
    expect(ended[0].earlier.map((e) => e.id)).toEqual([first.partnershipId]);
    expect(medplusRows(await admin.api.partners.list.query({}))).toEqual([]);

    // The status filter applies to the current partnership only: the earlier 'ended' one does not bring the row back.
    expect(medplusRows(await admin.api.partners.list.query({ filter: 'all', status: 'ended' }))).toEqual([]);
    expect(medplusRows(await admin.api.partners.list.query({ filter: 'all', status: 'declined' }))).toHaveLength(1);
  });

  it('an invitation withdrawn and sent again: the pending one is current, the withdrawn one earlier', async () => {
    // Invited, withdrawn, invited again and still pending: the pending one is current, the withdrawn one earlier.
    const created = await admin.api.partners.create.mutate({
      country: 'RO', taxNumber: '44721904', registrationNumber: 'J12/2/2015', companyName: 'Call Center Transilvania SRL',
      address: 'Cluj-Napoca', contactName: 'Ion Pop', contactEmail: 'office@cct.ro', contactPhone: '+40 722 000 222',
      locationIds: [locationIds[0]], commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
    });
    await admin.api.partners.withdraw.mutate({ partnershipId: created.partnershipId });
    const again = await admin.api.partners.create.mutate({
      country: 'RO', taxNumber: '44721904', registrationNumber: 'J12/2/2015', companyName: 'Call Center Transilvania SRL',
      address: 'Cluj-Napoca', contactName: 'Ion Pop', contactEmail: 'office2@cct.ro', contactPhone: '+40 722 000 222',
      locationIds: [locationIds[0]], commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
    });
    const rows = (await admin.api.partners.list.query({})).filter((r) => r.taxNumber === '44721904');
    expect(rows).toMatchObject([{ id: again.partnershipId, status: 'pending_registration', earlier: [{ id: created.partnershipId, status: 'withdrawn' }] }]);
  });
});

describe('tenant isolation', () => {
  it('an institution lists only its own partners and cannot reach another institution’s partner through partnershipId', async () => {
    const someRows = await admin.api.partners.list.query({ filter: 'all' });
    const napocaRows = await napoca.api.partners.list.query({ filter: 'all' });
    // Napoca's MedPlus partnership (seeded, active) is listed for Napoca only, without Someș's MedPlus history.
    const napocaMedplus = medplusRows(napocaRows);
    expect(napocaMedplus).toHaveLength(1);
    expect(napocaMedplus[0]).toMatchObject({ status: 'active', earlier: [] });
    const someIds = new Set([...someRows.flatMap((r) => [r.id, ...r.earlier.map((e) => e.id)])]);
    expect(napocaRows.some((r) => someIds.has(r.id) || r.earlier.some((e) => someIds.has(e.id)))).toBe(false);

    // Another institution's partnership is not found (not an empty list), naming the field.
    const foreign = await failure(admin.api.partners.list.query({ filter: 'all', partnershipId: napocaMedplus[0].id }));
    expect(foreign.data?.code).toBe('NOT_FOUND');
    expect(Object.keys((foreign.data as { fieldErrors?: object }).fieldErrors ?? {})).toEqual(['partnershipId']);
    const someMedplus = medplusRows(someRows)[0];
    expect((await failure(napoca.api.partners.list.query({ filter: 'all', partnershipId: someMedplus.id }))).data?.code).toBe('NOT_FOUND');
  });

  it('refuses unknown filters and ids, naming the field', async () => {
    const badFilter = await failure(admin.api.partners.list.query({ filter: 'deleted' as 'all' }));
    expect(badFilter.data?.code).toBe('BAD_REQUEST');
    expect(Object.keys((badFilter.data as { fieldErrors?: object }).fieldErrors ?? {})).toEqual(['filter']);
    const badId = await failure(admin.api.partners.list.query({ partnershipId: -1 }));
    expect(Object.keys((badId.data as { fieldErrors?: object }).fieldErrors ?? {})).toEqual(['partnershipId']);
    expect((await failure(medplus.api.partners.list.query({}))).data?.code).toBe('FORBIDDEN');
  });
});
