/** Audit log labels and values: known codes get their own label, values read as on the forms, never as raw codes or JSON. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import {
  actionLabel, actionOptionLabel, fieldLabel, formatAuditValue, objectName, objectTypeLabel, readableKey, type AuditValue,
} from './audit-format';

beforeAll(() => setLocale('en'));
afterAll(() => setLocale('en'));

describe('audit labels', () => {
  it('label known codes, families and unknown codes', () => {
    expect(actionLabel('authz.denied')).toBe('Access denied');
    expect(actionLabel('partnership.approve')).toBe('Invitation approved');
    expect(actionLabel('partnership.update')).toBe('Partner settings changed');
    expect(actionLabel('partnership.something_new')).toBe('Partners');
    expect(actionLabel('schedule_exception.update')).toBe('Date exceptions');
    expect(actionLabel('schedule.move')).toBe('Working hours');
    expect(actionLabel('mystery.action')).toBeNull();
    expect(objectTypeLabel('partnership')).toBe('Partner');
    expect(objectTypeLabel('widget_part')).toBe('Widget part');
  });

  it('never list a raw code as a filter choice', () => {
    expect(actionOptionLabel('partnership.update')).toBe('Partner settings changed');
    expect(actionOptionLabel('partnership.something_new')).toBe('Partners: Something new');
    expect(actionOptionLabel('mystery.action')).toBe('Mystery action');
  });

  it('label fields in the user language, unknown ones as words', () => {
    expect(fieldLabel('commission')).toBe('Commission');
    expect(fieldLabel('locationIds')).toBe('Locations');
    expect(fieldLabel('someNewField')).toBe('Some new field');
    expect(readableKey('bookings_left_over')).toBe('Bookings left over');
    setLocale('ro');
    expect(fieldLabel('commission')).toBe('Comision');
    expect(fieldLabel('paymentLocation')).toBe('Locul plății');
    setLocale('en');
  });
});

describe('audit values as on the forms', () => {
  const fmt = (v: AuditValue) => formatAuditValue(v);

  it('commission, money, booleans, statuses and enums', () => {
    expect(fmt({ kind: 'commission', type: 'percent', value: 1250, currency: null })).toBe('12.5 %');
    expect(fmt({ kind: 'commission', type: 'percent', value: 1000, currency: null })).toBe('10 %');
    expect(fmt({ kind: 'commission', type: 'fixed', value: 2500, currency: 'RON' })).toContain('25.00 RON');
    expect(fmt({ kind: 'money', minor: 15000, currency: 'RON' })).toBe('150.00 RON');
    expect(fmt({ kind: 'bool', value: true })).toBe('Yes');
    expect(fmt({ kind: 'bool', value: false })).toBe('No');
    expect(fmt({ kind: 'enum', domain: 'partnershipStatus', code: 'pending_approval' })).toBe('Waiting for approval');
    expect(fmt({ kind: 'enum', domain: 'paymentLocation', code: 'partner' })).toBe('At the partner');
    expect(fmt({ kind: 'enum', domain: 'userStatus', code: 'deactivated' })).toBe('Deactivated');
    expect(fmt({ kind: 'weekday', weekday: 1 })).toBe('Monday');
    expect(fmt({ kind: 'month', month: '2026-03' })).toBe('March 2026');
    expect(fmt({ kind: 'empty' })).toBe('—');
  });

  it('names, lists, bookings in the location zone and unknown objects', () => {
    const locations: AuditValue = { kind: 'list', items: [
      { kind: 'ref', type: 'location', id: 1, name: 'Someș Central' }, { kind: 'ref', type: 'location', id: 2, name: 'Someș Mărăști' },
    ] };
    expect(fmt(locations)).toBe('Someș Central, Someș Mărăști');
    expect(fmt({ kind: 'ref', type: 'location', id: 9, name: null })).toBe('Location #9');
    expect(fmt({ kind: 'booking', id: 812, startsAt: '2031-03-03T08:00:00.000Z', timeZone: 'Europe/Bucharest' })).toMatch(/^Booking #812, 3 Mar 2031, 10:00/);
    expect(fmt({ kind: 'booking', id: 813, startsAt: null, timeZone: null })).toBe('Booking #813');
    expect(fmt({ kind: 'channelChange', service: { kind: 'ref', type: 'service', id: 1, name: 'Consultație' }, channel: { kind: 'ref', type: 'partnership', id: 4, name: 'MedPlus Diagnostic SRL' }, enabled: true }))
      .toBe('Consultație — MedPlus Diagnostic SRL: authorised');
    expect(objectName({ object: { type: 'partnership', id: '4', name: { kind: 'ref', type: 'partnership', id: 4, name: 'MedPlus Diagnostic SRL' } } })).toBe('MedPlus Diagnostic SRL');
  });

  it('Romanian: decimal comma, Da/Nu, status labels', () => {
    setLocale('ro');
    expect(fmt({ kind: 'commission', type: 'percent', value: 1250, currency: null })).toBe('12,5 %');
    expect(fmt({ kind: 'bool', value: true })).toBe('Da');
    expect(fmt({ kind: 'enum', domain: 'partnershipStatus', code: 'ended' })).toBe('Încheiat');
    expect(fmt({ kind: 'booking', id: 5, startsAt: null, timeZone: null })).toBe('Rezervarea #5');
    setLocale('en');
  });
});
