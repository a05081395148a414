import { describe, expect, it } from 'vitest';
import { previewMessage, sameCompany, worthPreviewing } from './invitation-path';
import { en } from '../../locales/en';
import { ro } from '../../locales/ro';

const company = { name: 'MedPlus Diagnostic SRL', registrationNumber: 'J12/2233/2013', address: 'Calea Florești 58, Cluj-Napoca' };

describe('previewMessage (which invitation path Add New Partner announces)', () => {
  it('names the path the server previewed, with the company found', () => {
    expect(previewMessage({ outcome: 'approval', company })).toEqual({ kind: 'approval', key: 'partners.preview.approval', company });
    expect(previewMessage({ outcome: 'registration', company: null })).toEqual({ kind: 'registration', key: 'partners.preview.registrationNew', company: null });
    expect(previewMessage({ outcome: 'registration', company })).toMatchObject({ kind: 'registration', key: 'partners.preview.registrationExisting' });
  });
  it('says when saving would be refused, and nothing for an invalid number or before an answer', () => {
    expect(previewMessage({ outcome: 'self' })).toMatchObject({ kind: 'blocked', key: 'partners.self' });
    expect(previewMessage({ outcome: 'duplicate', company })).toMatchObject({ kind: 'blocked', key: 'partners.duplicate', company });
    expect(previewMessage({ outcome: 'invalid' })).toBeNull();
    expect(previewMessage(undefined)).toBeNull();
  });
  it('every announced text exists in both languages', () => {
    for (const m of [previewMessage({ outcome: 'approval', company }), previewMessage({ outcome: 'registration', company }), previewMessage({ outcome: 'registration', company: null })]) {
      expect(en[m!.key]).toBeTruthy();
      expect(ro[m!.key]).toBeTruthy();
    }
  });
});

describe('worthPreviewing and sameCompany', () => {
  it('asks the server only once something like a number is typed', () => {
    expect(worthPreviewing('')).toBe(false);
    expect(worthPreviewing(' 3 ')).toBe(false);
    expect(worthPreviewing('RO')).toBe(true);
  });
  it('offers the registry data only when the fields hold something else', () => {
    expect(sameCompany(company, { companyName: ' MedPlus  Diagnostic SRL', registrationNumber: 'J12/2233/2013', address: 'Calea Florești 58, Cluj-Napoca ' })).toBe(true);
    expect(sameCompany(company, { companyName: '', registrationNumber: '', address: '' })).toBe(false);
  });
});
