/**
 * Lock order of the partner transactions (issue 9): partners.update, resend and registration all lock the partner
 * organisation before the partnership, and retry a lost deadlock, so concurrent edit + resend + register never end
 * in a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import mysql from 'mysql2/promise';
import { DEMO, signIn, startHarness, type Browser, type Harness } from '../test/harness';

let h: Harness;
let admins: Browser[];
let locationIds: number[];

beforeAll(async () => {
  h = await startHarness();
  admins = [h.browser(), h.browser(), h.browser()];
  for (const a of admins) await signIn(a, DEMO.admin.email, DEMO.admin.password);
  locationIds = (await admins[0].api.partners.formOptions.query()).locations.map((l) => l.id);
});
afterAll(async () => { await h?.close(); });

function outcome(p: Promise<unknown>) {
  return p.then(() => 'ok', (err) => (err instanceof TRPCClientError ? String((err.data as { code?: string })?.code) : `thrown ${String(err)}`));
}

describe('concurrent edit, resend and registration', () => {
  it('never answers a deadlock (or any 5xx)', async () => {
    const { partnershipId } = await admins[0].api.partners.create.mutate({
      country: 'RO', taxNumber: 'RO14399840', registrationNumber: 'J12/555/2019', companyName: 'Clinica Nova SRL',
      address: 'Str. Republicii 10, Cluj-Napoca', contactName: 'Paul Nistor', contactEmail: 'paul@clinica-nova.ro',
      contactPhone: '+40 722 123 456', locationIds: [locationIds[0]], commission: { type: 'none' }, paymentLocation: 'partner', patientDataAccess: false,
    });
    const update = (a: Browser, i: number) => a.api.partners.update.mutate({
      partnershipId, company: { companyName: `Clinica Nova SRL ${i}`, registrationNumber: 'J12/555/2019', address: `Str. Republicii ${i}, Cluj-Napoca` },
      contactName: `Paul Nistor ${i}`, contactEmail: 'paul@clinica-nova.ro', contactPhone: '+40 722 123 456',
      locationIds: [locationIds[i % locationIds.length]], commission: { type: 'none' }, paymentLocation: 'partner', patientDataAccess: false,
    });
    const results: string[] = [];
    for (let round = 0; round < 12; round++) {
      results.push(...await Promise.all([
        outcome(update(admins[0], round)), outcome(admins[1].api.partners.resend.mutate({ partnershipId })),
        outcome(update(admins[2], round + 100)), outcome(admins[1].api.partners.resend.mutate({ partnershipId })),
      ]));
    }
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
  });

  it('partners.update takes the organisation lock before the partnership, like resend and registration', async () => {
    const { partnershipId } = await admins[0].api.partners.create.mutate({
      country: 'RO', taxNumber: '44721904', registrationNumber: 'J12/1/2020', companyName: 'Lock Order SRL',
      address: 'Str. Lock 1', contactName: 'Ion Lock', contactEmail: 'ion@lock-order.ro', contactPhone: '+40 722 000 111',
      locationIds: [locationIds[0]], commission: { type: 'none' }, paymentLocation: 'partner', patientDataAccess: false,
    });
    const url = h.config.databaseUrl;
    const holder = await mysql.createConnection({ uri: url });
    const probe = await mysql.createConnection({ uri: url });
    try {
      const [[p]] = await holder.query('SELECT partner_organisation_id AS org FROM partnerships WHERE id = ?', [partnershipId]) as unknown as [{ org: number }[]];
      // Hold the partnership's row lock, as a concurrent transaction would.
      await holder.beginTransaction();
      await holder.query('SELECT id FROM partnerships WHERE id = ? FOR UPDATE', [partnershipId]);
      const pending = outcome(admins[0].api.partners.update.mutate({
        partnershipId, company: { companyName: 'Lock Order SRL', registrationNumber: 'J12/1/2020', address: 'Str. Lock 2' },
        contactName: 'Ion Lock', contactEmail: 'ion@lock-order.ro', contactPhone: '+40 722 000 111',
        locationIds: [locationIds[0]], commission: { type: 'none' }, paymentLocation: 'partner', patientDataAccess: false,
      }));
      await new Promise((r) => setTimeout(r, 700));
      // The update now waits for the partnership: it must already hold the organisation.
      const locked = await probe.query('SELECT id FROM organisations WHERE id = ? FOR UPDATE NOWAIT', [p.org]).then(() => false, () => true);
      await holder.commit();
      expect(await pending).toBe('ok');
      expect(locked).toBe(true);
    } finally {
      await holder.end();
      await probe.end();
    }
  });
});
