/** The hostile-input generator: a valid base from the schema, then one field spoiled per variant. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldName, hostileVariants, inputJsonSchema, sample, type GeneratorOptions } from './hostile-inputs';

const schema = z.object({
  name: z.string().trim().min(1).max(20),
  email: z.email(),
  locationIds: z.array(z.number().int().positive()).min(1).max(5),
  commission: z.discriminatedUnion('type', [z.object({ type: z.literal('none') }), z.object({ type: z.literal('percent'), percent: z.string() })]),
  startsAt: z.iso.datetime(),
  note: z.string().max(100).optional(),
  active: z.boolean(),
});
const opts: GeneratorOptions = {
  own: (field) => (field === 'locationIds' ? 11 : undefined),
  foreign: (field) => (field === 'locationIds' ? 99 : undefined),
  oversizedLength: 1_000, oversizedItems: 1_001,
};

describe('hostile inputs from a zod schema', () => {
  const json = inputJsonSchema(schema)!;

  it('builds a base that passes the schema, with the caller\'s own IDs', () => {
    const base = sample(json, opts.own) as Record<string, unknown>;
    expect(schema.safeParse(base).success).toBe(true);
    expect(base.locationIds).toEqual([11]);
  });

  it('spoils one field per variant, and every variant but the foreign ID fails the schema', () => {
    const variants = hostileVariants(json, opts);
    const kinds = new Set(variants.map((v) => v.kind));
    for (const k of ['missing', 'null', 'wrong type', 'oversized', 'ill-formed unicode', 'control characters', 'blank', 'out of range', 'foreign id', 'not an object']) {
      expect(kinds, k).toContain(k);
    }
    for (const v of variants) {
      // Refused by the server, not by this schema: lone surrogates and control characters (its text check applies to every
      // input), IDs beyond the 32-bit columns (not found) and the other tenant's IDs.
      if (['foreign id', 'ill-formed unicode', 'control characters'].includes(v.kind) || v.label.endsWith('beyond a 32-bit integer')) continue;
      expect(schema.safeParse(v.input).success, v.label).toBe(false);
    }
    const foreign = variants.find((v) => v.kind === 'foreign id')!;
    expect(foreign.field).toBe('locationIds');
    expect((foreign.input as { locationIds: number[] }).locationIds).toEqual([99]);
    expect(schema.safeParse(foreign.input).success).toBe(true);
    // A list with a maximum is oversized by one item; text without one by the given length.
    expect((variants.find((v) => v.label === 'locationIds: an array of 6 items')!.input as { locationIds: unknown[] }).locationIds).toHaveLength(6);
    expect((variants.find((v) => v.label === 'note: oversized text')!.input as { note: string }).note.length).toBe(1_000);
  });

  it('names fields the way the server\'s error formatter does (array indices dropped)', () => {
    expect(fieldName(['changes', '0', 'serviceId'])).toBe('changes.serviceId');
    expect(fieldName([])).toBe('_');
  });
});
