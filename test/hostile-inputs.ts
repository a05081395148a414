/**
 * Hostile inputs derived from a procedure's zod schema (server/hostile-input.test.ts sends them over HTTP).
 *
 * The schema is read as JSON Schema (zod's `toJSONSchema`, input side). A *base* input is built first — plausible
 * values for every field, IDs taken from the caller's own tenant by field name — and then spoiled one field at a time:
 * missing, null, the wrong type, oversized, ill-formed Unicode, control characters, blank, out-of-range numbers, huge
 * arrays, and the other tenant's ID in every ID field. Each variant names the field it spoils, so that the answer can
 * be checked for a message about that field.
 */
import { z } from 'zod';

/** A JSON Schema node, as far as this generator reads it. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  additionalProperties?: JsonSchema | boolean;
}

export interface Variant {
  /** e.g. 'locationIds: oversized array'. */
  label: string;
  /** The field spoiled, as the server's error formatter names it (path without array indices); '_' for the whole input. */
  field: string;
  kind: 'missing' | 'null' | 'wrong type' | 'oversized' | 'ill-formed unicode' | 'control characters' | 'blank' | 'out of range' | 'foreign id' | 'not an object';
  input: unknown;
}

/**
 * IDs by field name ('locationIds' for the items of that array): the caller's own (for the base) or the other
 * tenant's (for 'foreign id' variants); undefined when there is none to give.
 */
export type IdSource = (field: string) => number | undefined;

export interface GeneratorOptions {
  own: IdSource;
  foreign: IdSource;
  /** Length of an oversized string, and items of an oversized array, when the schema sets no maximum (queries travel in the URL: keep them small there). */
  oversizedLength: number;
  oversizedItems: number;
}

/** The JSON Schema of a procedure's input (zod v4), or null when it has none or it cannot be represented. */
export function inputJsonSchema(parser: unknown): JsonSchema | null {
  if (!parser || typeof parser !== 'object' || !('_zod' in parser)) return null;
  try {
    return z.toJSONSchema(parser as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return null;
  }
}

const types = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
const nullable = (s: JsonSchema) => types(s).includes('null') || (s.anyOf ?? s.oneOf ?? []).some((o) => types(o).includes('null'));
/** The first non-null alternative of a union (or the schema itself). */
function main(s: JsonSchema): JsonSchema {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return main(alternatives.find((o) => !(types(o).length === 1 && types(o)[0] === 'null')) ?? alternatives[0]);
  if (s.allOf?.length) return main(s.allOf[0]);
  return s;
}
function kindOf(s: JsonSchema): 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'unknown' {
  const m = main(s);
  if (m.const !== undefined) return typeof m.const === 'number' ? 'number' : typeof m.const === 'boolean' ? 'boolean' : 'string';
  const t = types(m).find((x) => x !== 'null');
  if (t === 'object' || m.properties) return 'object';
  if (t === 'array' || m.items) return 'array';
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t;
  if (m.enum) return typeof m.enum[0] === 'number' ? 'number' : 'string';
  return 'unknown';
}

export const isIdField = (name: string) => name === 'id' || /Ids?$/.test(name);

/** Plausible strings by field name, format and pattern; the first that fits the schema wins. */
const STRING_CANDIDATES = (name: string): string[] => {
  const byName: Record<string, string[]> = {
    email: ['hostile.base@example.com'], contactEmail: ['hostile.base@example.com'], country: ['RO'], currency: ['RON'],
    taxNumber: ['RO31275800'], timeZone: ['Europe/Bucharest'], startTime: ['08:00'], endTime: ['09:00'], month: ['2025-03'],
    weekStart: ['2031-03-03'], date: ['2031-03-03'], birthDate: ['1980-01-01'], validFrom: ['2031-01-01'], validTo: ['2031-12-31'],
    // A start within the year ahead that bookings allow, on the hour.
    paidOn: ['2026-01-31'], startsAt: [new Date(Math.ceil((Date.now() + 30 * 86_400_000) / 3_600_000) * 3_600_000).toISOString()],
    from: ['2026-01-01T00:00:00.000Z'], to: ['2026-02-01T00:00:00.000Z'],
    price: ['100'], percent: ['10'], amount: ['25'], phone: ['0722000000'], contactPhone: ['0722000000'], channelKey: ['online'],
    password: ['long-enough-Password-8k2'], passwordConfirm: ['long-enough-Password-8k2'], newPassword: ['long-enough-Password-8k2'],
    locale: ['en'], query: ['Pop'], gtcVersion: ['2026-01'], idempotencyKey: ['hostile-base-key-1'],
  };
  return [...(byName[name] ?? []), 'Hostile base text', 'hostile.base@example.com', '2031-03-03', '2031-03-03T08:00:00.000Z', '2031-03', '08:00', 'RO', 'RON', '100', 'x'];
};

function sampleString(name: string, s: JsonSchema): string {
  const m = main(s);
  if (m.const !== undefined) return String(m.const);
  if (m.enum?.length) return String(m.enum[0]);
  const fits = (v: string) => (m.minLength === undefined || v.length >= m.minLength) && (m.maxLength === undefined || v.length <= m.maxLength)
    && (!m.pattern || safeRegExp(m.pattern)?.test(v) !== false)
    && (m.format !== 'date-time' || !Number.isNaN(Date.parse(v)) && v.includes('T'))
    && (m.format !== 'date' || /^\d{4}-\d{2}-\d{2}$/.test(v)) && (m.format !== 'email' || v.includes('@'));
  return STRING_CANDIDATES(name).find(fits) ?? 'x'.repeat(Math.max(1, m.minLength ?? 1));
}

function safeRegExp(pattern: string): RegExp | null {
  try { return new RegExp(pattern, 'u'); } catch { try { return new RegExp(pattern); } catch { return null; } }
}

function sampleNumber(name: string, s: JsonSchema, own: IdSource): number {
  const m = main(s);
  if (m.const !== undefined) return Number(m.const);
  if (m.enum?.length) return Number(m.enum[0]);
  if (isIdField(name)) {
    const id = own(name);
    if (id !== undefined) return id;
  }
  const byName: Record<string, number> = { weekday: 1, durationMinutes: 30, cancellationWindowHours: 24, version: 1, page: 1, pageSize: 25, limit: 10 };
  let v = byName[name] ?? 1;
  if (m.minimum !== undefined && v < m.minimum) v = m.minimum;
  if (m.exclusiveMinimum !== undefined && v <= m.exclusiveMinimum) v = m.exclusiveMinimum + 1;
  if (m.maximum !== undefined && v > m.maximum) v = m.maximum;
  return v;
}

/** A plausible value for a schema: what the variants spoil one field at a time. */
export function sample(s: JsonSchema, own: IdSource, path: string[] = []): unknown {
  const name = path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
  const m = main(s);
  switch (kindOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(m.properties ?? {})) {
        const required = (m.required ?? []).includes(key);
        // Optional fields are filled too (so that they are spoiled as well), except those with a default and single
        // IDs the caller has none of.
        if (!required && (prop.default !== undefined || main(prop).default !== undefined)) continue;
        if (!required && isIdField(key) && kindOf(prop) !== 'array' && own(key) === undefined) continue;
        out[key] = sample(prop, own, [...path, key]);
      }
      return out;
    }
    case 'array': {
      const item = m.items ?? m.prefixItems?.[0] ?? {};
      const n = Math.max(1, m.minItems ?? 1);
      return Array.from({ length: n }, (_, i) => sample(item, own, [...path, String(i)]));
    }
    case 'string': return sampleString(name, s);
    case 'number': case 'integer': return sampleNumber(name, s, own);
    case 'boolean': return main(s).const ?? false;
    default: return 'x';
  }
}

function setAt(root: unknown, path: string[], value: unknown | typeof REMOVE): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1); else delete node[last];
  } else node[last] = value;
  return copy;
}
const REMOVE = Symbol('remove');

/** The field name the server's error formatter uses: the path without array indices. */
export const fieldName = (path: string[]) => path.filter((p) => !/^\d+$/.test(p)).join('.') || '_';

/** Every hostile variant of a schema, from its base. */
export function hostileVariants(schema: JsonSchema, opts: GeneratorOptions): Variant[] {
  const base = sample(schema, opts.own);
  const variants: Variant[] = [];
  if (kindOf(schema) === 'object' && !nullable(schema)) {
    for (const [label, input] of [['a string', 'hostile'], ['a number', 42], ['an array', []], ['null', null]] as const) {
      variants.push({ label: `input: ${label} instead of an object`, field: '_', kind: 'not an object', input });
    }
  }
  const walk = (s: JsonSchema, path: string[], required: boolean) => {
    const m = main(s);
    const kind = kindOf(s);
    const name = path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? '';
    const field = fieldName(path);
    const add = (kind: Variant['kind'], what: string, value: unknown) => {
      variants.push({ label: `${field}: ${what}`, field, kind, input: value === REMOVE ? setAt(base, path, REMOVE) : setAt(base, path, value) });
    };
    if (path.length) {
      if (required && s.default === undefined && m.default === undefined) add('missing', 'missing', REMOVE);
      if (!nullable(s)) add('null', 'null', null);
    }
    switch (kind) {
      case 'object': {
        if (path.length) add('wrong type', 'a string instead of an object', 'hostile');
        for (const [key, prop] of Object.entries(m.properties ?? {})) {
          const value = getAt(base, [...path, key]);
          if (value === undefined) continue;
          walk(prop, [...path, key], (m.required ?? []).includes(key));
        }
        // The other alternatives of a discriminated union are not walked: the first one stands for the field.
        break;
      }
      case 'array': {
        add('wrong type', 'an object instead of an array', { hostile: true });
        const item = m.items ?? {};
        const first = getAt(base, [...path, '0']);
        const items = m.maxItems !== undefined ? m.maxItems + 1 : opts.oversizedItems;
        add('oversized', `an array of ${items.toLocaleString('en')} items`, Array.from({ length: items }, () => first));
        if (first !== undefined) walk(item, [...path, '0'], false);
        break;
      }
      case 'string': {
        if (m.const === undefined && !m.enum) {
          add('oversized', 'oversized text', 'x'.repeat(Math.min(Math.max((m.maxLength ?? 0) + 1, opts.oversizedLength), 1_000_000)));
          add('ill-formed unicode', 'a lone surrogate', 'Ana \uD800 Pop');
          add('control characters', 'a NUL character', 'Ana\u0000Pop');
          add('control characters', 'an escape sequence', 'Ana\u001b[31mPop');
          if ((m.minLength ?? 0) > 0) add('blank', 'only spaces', '   ');
        } else {
          add('wrong type', 'a value outside the list', 'not-an-option');
        }
        add('wrong type', 'a number instead of text', 12345);
        add('wrong type', 'an object instead of text', { toString: 'x' });
        break;
      }
      case 'number': case 'integer': {
        add('wrong type', 'text instead of a number', '12');
        add('out of range', 'a negative number', -1);
        add('out of range', 'a fraction', 1.5);
        add('out of range', 'beyond a 32-bit integer', 2_147_483_648);
        add('out of range', 'beyond the safe integers', 9_007_199_254_740_993);
        add('out of range', 'a huge number', 1e308);
        if (isIdField(name)) {
          const foreign = opts.foreign(name);
          if (foreign !== undefined) add('foreign id', 'the other tenant\'s ID', foreign);
        }
        break;
      }
      case 'boolean': {
        add('wrong type', 'text instead of true/false', 'yes');
        add('wrong type', 'a number instead of true/false', 1);
        break;
      }
      default: break;
    }
  };
  walk(schema, [], true);
  return variants;
}

function getAt(root: unknown, path: string[]): unknown {
  let node = root as Record<string, unknown> | undefined;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[key] as Record<string, unknown> | undefined;
  }
  return node;
}
