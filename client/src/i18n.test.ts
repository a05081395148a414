/**
 * Dictionary checks: English and Romanian have the same keys and placeholders, Romanian uses comma-below ș/ț, and
 * every error key the server can send has a text. (A test may read the server's key list; the app never does.)
 */
import { describe, expect, it } from 'vitest';
import { en } from './locales/en';
import { ro } from './locales/ro';
import { ERROR_MESSAGES } from '../../server/errors';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('client dictionaries', () => {
  it('have the same keys in English and Romanian', () => {
    expect(Object.keys(ro).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ro[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('contain every error key of the server, and error.internal', () => {
    for (const key of [...Object.keys(ERROR_MESSAGES), 'error.internal']) {
      expect(en, key).toHaveProperty([key]);
      expect(ro, key).toHaveProperty([key]);
    }
  });

  it('say in English exactly what the server tells API callers', () => {
    for (const [key, text] of Object.entries(ERROR_MESSAGES)) expect(en[key as keyof typeof en], key).toBe(text);
  });

  it('write Romanian with comma-below ș and ț, not the cedilla forms', () => {
    for (const [key, text] of Object.entries(ro)) expect(/[şŞţŢ]/.test(text), key).toBe(false);
  });
});
