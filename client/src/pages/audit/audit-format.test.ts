/** Audit log labels: known codes get their own label, unknown codes of a known family the family's, others none. */
import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import { actionLabel, objectTypeLabel, prettyJson } from './audit-format';

beforeAll(() => setLocale('en'));

describe('audit labels', () => {
  it('label known codes, families and unknown codes', () => {
    expect(actionLabel('authz.denied')).toBe('Access denied');
    expect(actionLabel('partnership.approve')).toBe('Invitation approved');
    expect(actionLabel('partnership.something_new')).toBe('Partners');
    expect(actionLabel('schedule_exception.update')).toBe('Date exceptions');
    expect(actionLabel('schedule.move')).toBe('Working hours');
    expect(actionLabel('mystery.action')).toBeNull();
    expect(objectTypeLabel('partnership')).toBe('Partner');
    expect(objectTypeLabel('widget')).toBe('widget');
  });

  it('pretty-print before/after values', () => {
    expect(prettyJson(null)).toBeNull();
    expect(prettyJson({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
  });
});
