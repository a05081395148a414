import { describe, expect, it } from 'vitest';
import { erasedName, searchQueryConcerns, type PatientPersonalData } from './rules';

const ana: PatientPersonalData = {
  name: 'Ana-Maria Popescu Ștefănescu', birthDate: '1985-03-14', nationalId: '2850314123456', phone: '+40 722 123 456', email: 'ana@example.ro',
};

describe('erasedName', () => {
  it('names the patient by ID only', () => {
    expect(erasedName(42)).toBe('Erased patient #42');
  });
});

describe('searchQueryConcerns', () => {
  it('finds queries that start the name or a word of it, without diacritics or case', () => {
    expect(searchQueryConcerns('ana', ana)).toBe(true);
    expect(searchQueryConcerns('Popescu', ana)).toBe(true);
    expect(searchQueryConcerns('stefanescu', ana)).toBe(true);
    expect(searchQueryConcerns('  ANA-MARIA  popescu ', ana)).toBe(true);
  });

  it('finds the national ID, the phone and the birth date as typed in the search', () => {
    expect(searchQueryConcerns('2850314123456', ana)).toBe(true);
    expect(searchQueryConcerns('0722 123 456', ana)).toBe(true);
    expect(searchQueryConcerns('+40722123456', ana)).toBe(true);
    expect(searchQueryConcerns('14.03.1985', ana)).toBe(true);
    expect(searchQueryConcerns('1985-03-14', ana)).toBe(true);
    expect(searchQueryConcerns('contact ana@example.ro', ana)).toBe(true);
  });

  it('leaves queries about other people alone', () => {
    expect(searchQueryConcerns('Ionescu', ana)).toBe(false);
    expect(searchQueryConcerns('maria', ana)).toBe(false); // a search for "maria" does not match "Ana-Maria" either
    expect(searchQueryConcerns('1985-03-15', ana)).toBe(false);
    expect(searchQueryConcerns('1850314123456', ana)).toBe(false);
    expect(searchQueryConcerns('0744 999 888', ana)).toBe(false);
    expect(searchQueryConcerns('', ana)).toBe(false);
    expect(searchQueryConcerns('12', ana)).toBe(false);
  });

  it('copes with a patient without optional fields', () => {
    const bare = { name: 'Ion Pop', birthDate: null, nationalId: null, phone: null, email: null };
    expect(searchQueryConcerns('pop', bare)).toBe(true);
    expect(searchQueryConcerns('0722123456', bare)).toBe(false);
  });
});
