import { describe, expect, it } from 'vitest';
import { jsonFile, nameMatches } from './patient-files';

describe('nameMatches', () => {
  it('accepts the name as shown, whatever the case and spacing', () => {
    expect(nameMatches('Ana-Maria Ștefănescu', 'Ana-Maria Ștefănescu')).toBe(true);
    expect(nameMatches('  ana-maria   ȘTEFĂNESCU ', 'Ana-Maria Ștefănescu')).toBe(true);
  });
  it('refuses another name, a part of it, missing diacritics and nothing at all', () => {
    expect(nameMatches('Ana-Maria', 'Ana-Maria Ștefănescu')).toBe(false);
    expect(nameMatches('Ana-Maria Stefanescu', 'Ana-Maria Ștefănescu')).toBe(false);
    expect(nameMatches('', '')).toBe(false);
    expect(nameMatches('   ', 'Ana')).toBe(false);
  });
});

describe('jsonFile', () => {
  it('is the document as indented UTF-8 JSON', async () => {
    const blob = jsonFile({ patient: { name: 'Ștefan' } });
    expect(blob.type).toBe('application/json;charset=utf-8');
    const text = await blob.text();
    expect(JSON.parse(text)).toEqual({ patient: { name: 'Ștefan' } });
    expect(text).toContain('\n  "patient"');
  });
});
