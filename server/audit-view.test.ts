/** The readable audit view: stored before/after JSON shaped into labelled changes, IDs into references to name. */
import { describe, expect, it } from 'vitest';
import { applyNames, collectRefs, diffFields, readableKey, shapeEntry, type AuditRow } from './audit-view';

const row = (over: Partial<AuditRow>): AuditRow => ({
  id: 1, at: new Date('2026-03-01T10:00:00Z'), action: 'partnership.update', objectType: 'partnership', objectId: '4',
  before: null, after: null, ip: null, actorUserId: 1, actorName: 'Ana', actorOrganisation: 'Clinica', ...over,
});

describe('diffFields', () => {
  it('an update shows only the changed fields; commission parts become one commission', () => {
    const before = { contactName: 'Bogdan', contactEmail: 'a@b.ro', locationIds: [1, 2], commissionType: 'percent', commissionValue: 1250, commissionCurrency: null, paymentLocation: 'institution', patientDataAccess: false };
    const after = { ...before, locationIds: [2], commissionValue: 1000, patientDataAccess: true };
    expect(diffFields('partnership', before, after)).toEqual([
      { field: 'locationIds', before: { kind: 'list', items: [{ kind: 'ref', type: 'location', id: 1, name: null }, { kind: 'ref', type: 'location', id: 2, name: null }] }, after: { kind: 'list', items: [{ kind: 'ref', type: 'location', id: 2, name: null }] } },
      { field: 'commission', before: { kind: 'commission', type: 'percent', value: 1250, currency: null }, after: { kind: 'commission', type: 'percent', value: 1000, currency: null } },
      { field: 'patientDataAccess', before: { kind: 'bool', value: false }, after: { kind: 'bool', value: true } },
    ]);
  });

  it('location order alone is no change', () => {
    expect(diffFields('partnership', { locationIds: [2, 1] }, { locationIds: [1, 2] })).toEqual([]);
  });

  it('a creation lists every field; statuses carry their domain; internal keys are hidden', () => {
    const changes = diffFields('partnership', null, { partnerOrganisationId: 9, companyName: 'MedPlus', status: 'pending_registration', commission: { type: 'fixed', value: 2500 } });
    expect(changes).toEqual([
      { field: 'companyName', after: { kind: 'text', text: 'MedPlus' } },
      { field: 'status', after: { kind: 'enum', domain: 'partnershipStatus', code: 'pending_registration' } },
      { field: 'commission', after: { kind: 'commission', type: 'fixed', value: 2500, currency: null } },
    ]);
    // The institution's currency comes with the names.
    const view = shapeEntry(row({ action: 'partnership.create', after: { commission: { type: 'fixed', value: 2500 } } }));
    applyNames([view], new Map([['currency:7', { name: 'RON' }]]), 7);
    expect(view.changes[0].after).toEqual({ kind: 'commission', type: 'fixed', value: 2500, currency: 'RON' });
  });

  it('price and currency read as money; times, weekdays and dates typed; bookings left outside hours as bookings', () => {
    expect(diffFields('service', { priceMinor: 10000, currency: 'RON', durationMinutes: 30 }, { priceMinor: 12000, currency: 'RON', durationMinutes: 30 }))
      .toEqual([{ field: 'price', before: { kind: 'money', minor: 10000, currency: 'RON' }, after: { kind: 'money', minor: 12000, currency: 'RON' } }]);
    expect(diffFields('schedule', null, { weekday: 2, startTime: '08:00:00', validFrom: '2026-01-01', validTo: null, bookingsLeftOutsideHours: [7] })).toEqual([
      { field: 'weekday', after: { kind: 'weekday', weekday: 2 } },
      { field: 'startTime', after: { kind: 'time', time: '08:00' } },
      { field: 'validFrom', after: { kind: 'date', date: '2026-01-01' } },
      { field: 'validTo', after: { kind: 'empty' } },
      { field: 'bookingsLeftOutsideHours', after: { kind: 'list', items: [{ kind: 'booking', id: 7, startsAt: null, timeZone: null }] } },
    ]);
  });

  it('unknown fields keep their key and never become a JSON dump; text JSON is parsed', () => {
    const [c] = diffFields('widget', null, '{"nested":{"aKey":1,"id":3}}');
    expect(c).toEqual({ field: 'nested', after: { kind: 'list', items: [{ kind: 'text', text: 'A key: 1' }] } });
    expect(readableKey('futureBookingsCount')).toBe('Future bookings count');
  });
});

describe('shapeEntry, collectRefs and applyNames', () => {
  it('names the object and every reference, one request per type for the whole page', () => {
    const views = [
      shapeEntry(row({ before: { locationIds: [1] }, after: { locationIds: [1, 2] } })),
      shapeEntry(row({ id: 2, action: 'traffic_channels.save', objectType: 'traffic_channels', objectId: null, after: { changes: [{ serviceId: 5, channelKey: 'partnership:4', enabled: true }, { serviceId: 6, channelKey: 'online', enabled: false }] } })),
      shapeEntry(row({ id: 3, action: 'location.update', objectType: 'location', objectId: '2', after: { bookingsLeftOutsideHours: [812] } })),
    ];
    const refs = collectRefs(views);
    expect([...refs.entries()].map(([t, ids]) => [t, [...ids].sort()])).toEqual([
      ['partnership', [4]], ['location', [1, 2]], ['service', [5, 6]], ['booking', [812]],
    ]);
    applyNames(views, new Map([
      ['partnership:4', { name: 'MedPlus Diagnostic SRL' }], ['location:1', { name: 'Someș Central' }], ['service:5', { name: 'Consultație' }],
      ['booking:812', { name: null, at: '2031-03-03T08:00:00.000Z', timeZone: 'Europe/Bucharest' }],
    ]));
    expect(views[0].object.name).toEqual({ kind: 'ref', type: 'partnership', id: 4, name: 'MedPlus Diagnostic SRL' });
    expect(views[0].changes[0].after).toEqual({ kind: 'list', items: [{ kind: 'ref', type: 'location', id: 1, name: 'Someș Central' }, { kind: 'ref', type: 'location', id: 2, name: null }] });
    expect(views[1].changes[0].after).toMatchObject({ kind: 'list', items: [
      { kind: 'channelChange', enabled: true, service: { name: 'Consultație' }, channel: { kind: 'ref', name: 'MedPlus Diagnostic SRL' } },
      { kind: 'channelChange', enabled: false, service: { name: null }, channel: { kind: 'enum', domain: 'channel', code: 'online' } },
    ] });
    expect(views[2].changes[0].after).toEqual({ kind: 'list', items: [{ kind: 'booking', id: 812, startsAt: '2031-03-03T08:00:00.000Z', timeZone: 'Europe/Bucharest' }] });
    expect(JSON.stringify(views)).not.toContain('"before":{"locationIds"');
  });

  it('a partner history keeps only its own channel in a traffic-channel save', () => {
    const view = shapeEntry(row({ action: 'traffic_channels.save', objectType: 'traffic_channels', objectId: null,
      after: { changes: [{ serviceId: 5, channelKey: 'partnership:4', enabled: true }, { serviceId: 5, channelKey: 'partnership:8', enabled: true }] } }), { onlyPartnershipId: 4 });
    expect(view.changes[0].after).toMatchObject({ kind: 'list', items: [{ channel: { id: 4 } }] });
  });

  it('a procedure denial names the procedure as text', () => {
    const view = shapeEntry(row({ action: 'authz.denied', objectType: 'procedure', objectId: 'partners.get', after: { reason: 'forbidden' } }));
    expect(view.object.name).toEqual({ kind: 'text', text: 'partners.get' });
    expect(view.changes).toEqual([{ field: 'reason', after: { kind: 'text', text: 'forbidden' } }]);
  });
});
