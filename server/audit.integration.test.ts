/**
 * The readable audit log over HTTP against the real database: a partner's settings change reads as labelled
 * before → after values with names (no IDs, no basis points), the partner's page lists its own history, and names of
 * another tenant's objects are never resolved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO, failure, signIn, startHarness, type Browser, type Harness } from '../test/harness';
import { auditLog, bookings, locations, users } from '../db/schema';

let h: Harness;
let admin: Browser;
let options: Awaited<ReturnType<Browser['api']['partners']['formOptions']['query']>>;
let partnershipId: number;
const NAPOCA_ADMIN = { email: 'admin@centrul-napoca.ro', password: 'Napoca-Admin-2026' };

type View = Awaited<ReturnType<Browser['api']['audit']['list']['query']>>['entries'][number];
const change = (entry: View | undefined, field: string) => entry?.changes.find((c) => c.field === field);

beforeAll(async () => {
  h = await startHarness();
  admin = h.browser();
  await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  options = await admin.api.partners.formOptions.query();
  const [first, second] = options.locations;
  ({ partnershipId } = await admin.api.partners.create.mutate({
    country: 'RO', taxNumber: 'RO14399840', registrationNumber: 'J12/555/2019', companyName: 'Clinica Nova SRL',
    address: 'Str. Republicii 10, Cluj-Napoca', contactName: 'Paul Nistor', contactEmail: 'paul@clinica-nova.ro',
    contactPhone: '+40 722 123 456', locationIds: [first.id, second.id],
    commission: { type: 'percent', percent: '12.5' }, paymentLocation: 'partner', patientDataAccess: false,
  }));
  await admin.api.partners.update.mutate({
    partnershipId, contactName: 'Paul Nistor', contactEmail: 'paul@clinica-nova.ro', contactPhone: '+40 722 123 456',
    locationIds: [second.id], commission: { type: 'percent', percent: '10' }, paymentLocation: 'partner', patientDataAccess: true,
  });
});
afterAll(async () => { await h?.close(); });

describe('the audit log reads as labelled changes', () => {
  it('a settings change: only the changed fields, before → after, commission in basis points, locations and company by name', async () => {
    const { entries } = await admin.api.audit.list.query({ action: 'partnership.update' });
    const entry = entries.find((e) => e.object.id === String(partnershipId));
    expect(entry?.object).toEqual({ type: 'partnership', id: String(partnershipId), name: { kind: 'ref', type: 'partnership', id: partnershipId, name: 'Clinica Nova SRL' } });
    expect(entry?.changes.map((c) => c.field).sort()).toEqual(['commission', 'locationIds', 'patientDataAccess']);
    expect(change(entry, 'commission')).toEqual({
      field: 'commission', before: { kind: 'commission', type: 'percent', value: 1250, currency: null }, after: { kind: 'commission', type: 'percent', value: 1000, currency: null },
    });
    const [first, second] = options.locations;
    expect(change(entry, 'locationIds')).toEqual({
      field: 'locationIds',
      before: { kind: 'list', items: [first, second].sort((a, b) => a.name.localeCompare(b.name)).map((l) => ({ kind: 'ref', type: 'location', id: l.id, name: l.name })) },
      after: { kind: 'list', items: [{ kind: 'ref', type: 'location', id: second.id, name: second.name }] },
    });
    expect(change(entry, 'patientDataAccess')).toEqual({ field: 'patientDataAccess', before: { kind: 'bool', value: false }, after: { kind: 'bool', value: true } });
    expect(JSON.stringify(entries)).not.toMatch(/"(before|after)":\{"contactName"/);
  });

  it('the invitation lists its values with the company name and status', async () => {
    const { entries } = await admin.api.audit.list.query({ action: 'partnership.create' });
    const entry = entries.find((e) => e.object.id === String(partnershipId));
    expect(change(entry, 'companyName')?.after).toEqual({ kind: 'text', text: 'Clinica Nova SRL' });
    expect(change(entry, 'status')?.after).toEqual({ kind: 'enum', domain: 'partnershipStatus', code: 'pending_registration' });
    expect(change(entry, 'commission')?.after).toEqual({ kind: 'commission', type: 'percent', value: 1250, currency: null });
    expect(change(entry, 'partnerOrganisationId')).toBeUndefined();
  });

  it('bookings read as their start in the location zone; another tenant’s objects stay unnamed', async () => {
    const { db } = h.database;
    const [me] = await db.select().from(users).where(eq(users.email, DEMO.admin.email));
    const [napocaAdmin] = await db.select().from(users).where(eq(users.email, NAPOCA_ADMIN.email));
    const [booking] = await db.select().from(bookings).where(eq(bookings.institutionId, me.organisationId)).limit(1);
    const [location] = await db.select().from(locations).where(eq(locations.id, booking.locationId));
    const someșLocation = options.locations[0];
    await db.insert(auditLog).values([
      { organisationId: me.organisationId, actorUserId: me.id, action: 'location.update', objectType: 'location', objectId: String(location.id), before: { timeZone: 'Europe/Bucharest' }, after: { timeZone: 'Europe/Bucharest', bookingsLeftOutsideHours: [booking.id] } },
      { organisationId: napocaAdmin.organisationId, actorUserId: napocaAdmin.id, action: 'physician.update', objectType: 'location', objectId: String(someșLocation.id), after: { locationIds: [someșLocation.id], partnershipId } },
    ]);
    const mine = (await admin.api.audit.list.query({ action: 'location.update' })).entries[0];
    expect(mine.object.name).toEqual({ kind: 'ref', type: 'location', id: location.id, name: location.name });
    expect(mine.changes).toEqual([{ field: 'bookingsLeftOutsideHours', after: { kind: 'list', items: [{ kind: 'booking', id: booking.id, startsAt: booking.startsAt.toISOString(), timeZone: location.timeZone }] } }]);

    const napoca = h.browser();
    await signIn(napoca, NAPOCA_ADMIN.email, NAPOCA_ADMIN.password);
    const theirs = (await napoca.api.audit.list.query({ action: 'physician.update' })).entries[0];
    expect(theirs.object.name).toEqual({ kind: 'ref', type: 'location', id: someșLocation.id, name: null });
    expect(change(theirs, 'locationIds')?.after).toEqual({ kind: 'list', items: [{ kind: 'ref', type: 'location', id: someșLocation.id, name: null }] });
    expect(change(theirs, 'partnershipId')?.after).toEqual({ kind: 'ref', type: 'partnership', id: partnershipId, name: null });
    expect(JSON.stringify(theirs)).not.toContain(someșLocation.name);
    expect(JSON.stringify(theirs)).not.toContain('Clinica Nova');
  });
});

describe('a partner’s history', () => {
  it('lists only this partnership’s entries, newest first, readable', async () => {
    const { entries } = await admin.api.audit.forPartnership.query({ partnershipId });
    expect(entries.map((e) => e.action)).toEqual(['partnership.update', 'partnership.create']);
    expect(entries.every((e) => e.object.type === 'partnership' && e.object.id === String(partnershipId))).toBe(true);
    expect(change(entries[0], 'commission')?.after).toEqual({ kind: 'commission', type: 'percent', value: 1000, currency: null });
  });

  it('includes traffic-channel saves, with only this partner’s services', async () => {
    const matrix = await admin.api.trafficChannels.matrix.query();
    const serviceId = matrix.services[0].id;
    const channels = matrix.channels.map((c) => c.key);
    expect(channels).toContain(`partnership:${partnershipId}`); // a pending partner has its column already
    const other = channels.find((k) => k.startsWith('partnership:') && k !== `partnership:${partnershipId}`);
    await admin.api.trafficChannels.save.mutate({ changes: [
      { serviceId, channelKey: `partnership:${partnershipId}`, enabled: true },
      ...(other ? [{ serviceId, channelKey: other, enabled: true }] : []),
    ] });
    const { entries } = await admin.api.audit.forPartnership.query({ partnershipId });
    expect(entries[0].action).toBe('traffic_channels.save');
    expect(change(entries[0], 'changes')?.after).toMatchObject({ kind: 'list', items: [{ kind: 'channelChange', enabled: true, channel: { id: partnershipId, name: 'Clinica Nova SRL' } }] });
  });

  it('another institution gets "not found" for this partnership', async () => {
    const napoca = h.browser();
    await signIn(napoca, NAPOCA_ADMIN.email, NAPOCA_ADMIN.password);
    const err = await failure(napoca.api.audit.forPartnership.query({ partnershipId }));
    expect(err.data?.code).toBe('NOT_FOUND');
  });
});
