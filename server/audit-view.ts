/**
 * How an audit row reads: the stored before/after JSON (kept exactly as written) shaped into typed field changes —
 * only what changed on an update, every field of a creation or deletion — with IDs turned into the names of the
 * caller's own objects (locations, physicians, services, partners, users, bookings). The client labels and formats
 * the values in the user's language (percent, money, Yes/No, statuses); this module never returns raw JSON.
 *
 * Names are resolved for a whole page at once, in one query (with the institution's currency), and only among objects of the caller's institution (and
 * the organisations it has partnerships with): an ID of another tenant stays an ID, its name never leaks.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';

/** Object types whose IDs this module can name. */
export type RefType =
  | 'location' | 'physician' | 'service' | 'qualification' | 'partnership' | 'user' | 'organisation'
  | 'schedule' | 'schedule_exception' | 'settlement_statement' | 'settlement_run';

/** Closed sets of codes the client has labels for. */
export type EnumDomain =
  | 'partnershipStatus' | 'userStatus' | 'settlementStatus' | 'paymentLocation' | 'role' | 'locale' | 'weekParity'
  | 'exceptionKind' | 'channel';

export type AuditValue =
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'enum'; domain: EnumDomain; code: string }
  | { kind: 'commission'; type: 'none' | 'percent' | 'fixed'; value: number; currency: string | null }
  | { kind: 'money'; minor: number; currency: string }
  | { kind: 'minutes'; value: number }
  | { kind: 'hours'; value: number }
  | { kind: 'date'; date: string }
  | { kind: 'time'; time: string }
  | { kind: 'month'; month: string }
  | { kind: 'weekday'; weekday: number }
  | { kind: 'ref'; type: RefType; id: number; name: string | null }
  | { kind: 'booking'; id: number; startsAt: string | null; timeZone: string | null }
  | { kind: 'channelChange'; service: AuditValue; channel: AuditValue; enabled: boolean }
  | { kind: 'list'; items: AuditValue[] }
  | { kind: 'empty' };

/** One field of an entry: before and/or after (absent when that side does not have the field). */
export interface AuditChange { field: string; before?: AuditValue; after?: AuditValue }

export interface AuditRow {
  id: number; at: Date; action: string; objectType: string; objectId: string | null; before: unknown; after: unknown; ip: string | null;
  actorUserId: number | null; actorName: string | null; actorOrganisation: string | null;
}

export interface AuditView {
  id: number; at: string; action: string; ip: string | null;
  actorUserId: number | null; actorName: string | null; actorOrganisation: string | null;
  object: { type: string; id: string | null; name: AuditValue | null };
  changes: AuditChange[];
}

/** Keys that are internal bookkeeping, never shown (the object itself is named separately). */
const HIDDEN = new Set(['id', 'organisationId', 'institutionId', 'partnerOrganisationId', 'createdAt', 'updatedAt', 'passwordHash', 'version']);

const REF_KEYS: Record<string, RefType> = {
  locationId: 'location', locationIds: 'location', physicianId: 'physician', physicianIds: 'physician',
  serviceId: 'service', serviceIds: 'service', qualificationId: 'qualification', qualificationIds: 'qualification',
  partnershipId: 'partnership', userId: 'user',
};
const DATE_KEYS = new Set(['validFrom', 'validTo', 'date', 'paidOn', 'birthDate']);
const TIME_KEYS = new Set(['startTime', 'endTime']);
const OBJECT_REF_TYPES = new Set<string>(['location', 'physician', 'service', 'qualification', 'partnership', 'user', 'schedule', 'schedule_exception', 'settlement_statement', 'settlement_run']);

function statusDomain(objectType: string): EnumDomain | null {
  if (objectType === 'partnership') return 'partnershipStatus';
  if (objectType === 'user') return 'userStatus';
  if (objectType === 'settlement_statement') return 'settlementStatus';
  return null;
}

function toId(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** MySQL JSON columns may come back as text. */
export function parseStored(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try { return JSON.parse(value); } catch { return value; }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value without a special meaning: text, number, Yes/No, a list, or (for nested objects) its fields as text. */
function plainValue(v: unknown): AuditValue {
  if (v === null || v === undefined || v === '') return { kind: 'empty' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') return { kind: 'text', text: v };
  if (Array.isArray(v)) return { kind: 'list', items: v.map(plainValue) };
  if (isRecord(v)) {
    // Never a JSON dump: "key: value" items with readable keys.
    return { kind: 'list', items: Object.entries(v).filter(([k]) => !HIDDEN.has(k)).map(([k, x]) => ({ kind: 'text', text: `${readableKey(k)}: ${plainText(plainValue(x))}` })) };
  }
  return { kind: 'text', text: String(v) };
}

function plainText(v: AuditValue): string {
  switch (v.kind) {
    case 'text': return v.text;
    case 'number': return String(v.value);
    case 'bool': return v.value ? 'true' : 'false';
    case 'list': return v.items.map(plainText).join(', ');
    case 'empty': return '—';
    default: return '';
  }
}

/** "contactEmail" / "bookings_left" → "Contact email" / "Bookings left": the fallback label of an unknown field. */
export function readableKey(key: string): string {
  const words = key.replace(/[_.-]+/g, ' ').replace(/([a-z\d])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

function refValue(type: RefType, v: unknown): AuditValue {
  const id = toId(v);
  return id === null ? plainValue(v) : { kind: 'ref', type, id, name: null };
}

function commissionValue(type: unknown, value: unknown, currency: unknown, percentText?: unknown, amountText?: unknown): AuditValue {
  if (type !== 'none' && type !== 'percent' && type !== 'fixed') return plainValue(type);
  let n = typeof value === 'number' ? value : 0;
  // Older rows may hold the typed text ("12.5") instead of the parsed integer.
  if (typeof value !== 'number' && type === 'percent' && typeof percentText === 'string') n = Math.round(Number(percentText.replace(',', '.')) * 100) || 0;
  if (typeof value !== 'number' && type === 'fixed' && typeof amountText === 'string') n = Math.round(Number(amountText.replace(',', '.')) * 100) || 0;
  return { kind: 'commission', type, value: n, currency: type === 'fixed' && typeof currency === 'string' ? currency : null };
}

/** One side's fields as typed values, keyed by the field shown (commission and price merge their parts). */
export function shapeFields(objectType: string, raw: unknown): Map<string, AuditValue> {
  const out = new Map<string, AuditValue>();
  const data = parseStored(raw);
  if (!isRecord(data)) {
    if (data !== null && data !== undefined) out.set('value', plainValue(data));
    return out;
  }
  for (const [key, v] of Object.entries(data)) {
    if (HIDDEN.has(key)) continue;
    if (key === 'commissionValue' || key === 'commissionCurrency' || key === 'currency' && 'priceMinor' in data) continue;
    if (key === 'commissionType') {
      out.set('commission', commissionValue(v, data.commissionValue, data.commissionCurrency));
    } else if (key === 'commission' && isRecord(v)) {
      out.set('commission', commissionValue(v.type, v.value, v.currency, v.percent, v.amount));
    } else if (key === 'priceMinor' && typeof v === 'number') {
      out.set('price', typeof data.currency === 'string' ? { kind: 'money', minor: v, currency: data.currency } : { kind: 'number', value: v });
    } else if (key === 'status' && typeof v === 'string' && statusDomain(objectType)) {
      out.set(key, { kind: 'enum', domain: statusDomain(objectType)!, code: v });
    } else if (key === 'paymentLocation' && typeof v === 'string') {
      out.set(key, { kind: 'enum', domain: 'paymentLocation', code: v });
    } else if (key === 'role' && typeof v === 'string') {
      out.set(key, { kind: 'enum', domain: 'role', code: v });
    } else if (key === 'locale' && typeof v === 'string') {
      out.set(key, { kind: 'enum', domain: 'locale', code: v });
    } else if (key === 'weekParity' && typeof v === 'string') {
      out.set(key, { kind: 'enum', domain: 'weekParity', code: v });
    } else if (key === 'kind' && objectType === 'schedule_exception' && typeof v === 'string') {
      out.set(key, { kind: 'enum', domain: 'exceptionKind', code: v });
    } else if (key === 'weekday' && typeof v === 'number') {
      out.set(key, { kind: 'weekday', weekday: v });
    } else if (key === 'durationMinutes' && typeof v === 'number') {
      out.set(key, { kind: 'minutes', value: v });
    } else if (key === 'cancellationWindowHours' && typeof v === 'number') {
      out.set(key, { kind: 'hours', value: v });
    } else if (key === 'month' && typeof v === 'string' && /^\d{4}-\d{2}$/.test(v)) {
      out.set(key, { kind: 'month', month: v });
    } else if (DATE_KEYS.has(key) && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      out.set(key, { kind: 'date', date: v });
    } else if (TIME_KEYS.has(key) && typeof v === 'string' && /^\d{2}:\d{2}/.test(v)) {
      out.set(key, { kind: 'time', time: v.slice(0, 5) });
    } else if (REF_KEYS[key]) {
      const type = REF_KEYS[key];
      out.set(key, Array.isArray(v) ? { kind: 'list', items: [...v].sort((a, b) => Number(a) - Number(b)).map((x) => refValue(type, x)) } : refValue(type, v));
    } else if (key === 'bookingsLeftOutsideHours' && Array.isArray(v)) {
      if (v.length) out.set(key, { kind: 'list', items: v.map((x) => { const id = toId(x); return id ? { kind: 'booking', id, startsAt: null, timeZone: null } as AuditValue : plainValue(x); }) });
    } else if (key === 'changes' && objectType === 'traffic_channels' && Array.isArray(v)) {
      out.set(key, { kind: 'list', items: v.map(channelChange) });
    } else {
      out.set(key, plainValue(v));
    }
  }
  return out;
}

function channelChange(c: unknown): AuditValue {
  if (!isRecord(c) || typeof c.channelKey !== 'string') return plainValue(c);
  const partnershipId = /^partnership:(\d+)$/.exec(c.channelKey)?.[1];
  return {
    kind: 'channelChange', service: refValue('service', c.serviceId), enabled: c.enabled === true,
    channel: partnershipId ? refValue('partnership', partnershipId) : { kind: 'enum', domain: 'channel', code: c.channelKey },
  };
}

function sameValue(a: AuditValue, b: AuditValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields to show: on an update only those that changed (plus what only one side records); else every field. */
export function diffFields(objectType: string, before: unknown, after: unknown): AuditChange[] {
  const b = shapeFields(objectType, before);
  const a = shapeFields(objectType, after);
  const changes: AuditChange[] = [];
  for (const field of new Set([...b.keys(), ...a.keys()])) {
    const bv = b.get(field);
    const av = a.get(field);
    if (bv && av && sameValue(bv, av)) continue;
    changes.push({ field, ...(bv ? { before: bv } : {}), ...(av ? { after: av } : {}) });
  }
  return changes;
}

/** The object an entry is about, still unnamed: a reference for the name query, a code, or nothing. */
function objectName(row: Pick<AuditRow, 'objectType' | 'objectId'>): AuditValue | null {
  if (row.objectId === null) return null;
  const id = toId(row.objectId);
  if (row.objectType === 'institution' && id) return { kind: 'ref', type: 'organisation', id, name: null };
  if (OBJECT_REF_TYPES.has(row.objectType) && id) return { kind: 'ref', type: row.objectType as RefType, id, name: null };
  if (row.objectType === 'booking' && id) return { kind: 'booking', id, startsAt: null, timeZone: null };
  return { kind: 'text', text: row.objectId };
}

export interface ShapeOptions {
  /** The partner history: a traffic-channel save lists only this partnership's services. */
  onlyPartnershipId?: number;
}

/** A stored row as it reads, names not yet resolved. */
export function shapeEntry(row: AuditRow, options: ShapeOptions = {}): AuditView {
  let changes = diffFields(row.objectType, row.before, row.after);
  if (options.onlyPartnershipId !== undefined) {
    const own = (v: AuditValue) => v.kind === 'channelChange' && v.channel.kind === 'ref' && v.channel.id === options.onlyPartnershipId;
    changes = changes.map((c) => c.field === 'changes' && c.after?.kind === 'list' ? { ...c, after: { kind: 'list' as const, items: c.after.items.filter(own) } } : c);
  }
  return {
    id: row.id, at: row.at.toISOString(), action: row.action, ip: row.ip,
    actorUserId: row.actorUserId, actorName: row.actorName, actorOrganisation: row.actorOrganisation,
    object: { type: row.objectType, id: row.objectId, name: objectName(row) },
    changes,
  };
}

/** Every value inside a value (lists, channel changes), depth first. */
function* walk(v: AuditValue | null | undefined): Generator<AuditValue> {
  if (!v) return;
  yield v;
  if (v.kind === 'list') for (const item of v.items) yield* walk(item);
  if (v.kind === 'channelChange') { yield* walk(v.service); yield* walk(v.channel); }
}

function* valuesOf(views: AuditView[]): Generator<AuditValue> {
  for (const view of views) {
    yield* walk(view.object.name);
    for (const c of view.changes) { yield* walk(c.before); yield* walk(c.after); }
  }
}

export type RefRequest = Map<RefType | 'booking', Set<number>>;

/** The IDs to name, per type, over a whole page. */
export function collectRefs(views: AuditView[]): RefRequest {
  const refs: RefRequest = new Map();
  for (const v of valuesOf(views)) {
    if (v.kind !== 'ref' && v.kind !== 'booking') continue;
    const type = v.kind === 'booking' ? 'booking' : v.type;
    if (!refs.has(type)) refs.set(type, new Set());
    refs.get(type)!.add(v.id);
  }
  return refs;
}

export interface ResolvedName { name: string | null; at?: string | null; timeZone?: string | null }
export type NameBook = Map<string, ResolvedName>;

/** Fills in the resolved names (in place); IDs the book does not know stay unnamed ("Location #3"). */
export function applyNames(views: AuditView[], book: NameBook, institutionId?: number): AuditView[] {
  const currency = institutionId === undefined ? null : book.get(`currency:${institutionId}`)?.name ?? null;
  for (const v of valuesOf(views)) {
    if (v.kind === 'commission' && v.type === 'fixed' && v.currency === null) v.currency = currency;
    if (v.kind === 'ref') v.name = book.get(`${v.type}:${v.id}`)?.name ?? null;
    if (v.kind === 'booking') {
      const b = book.get(`booking:${v.id}`);
      v.startsAt = b?.at ?? null;
      v.timeZone = b?.timeZone ?? null;
    }
  }
  // Named lists read in name order, as the forms list them (the diff above compared them by ID).
  for (const v of valuesOf(views)) {
    if (v.kind === 'list' && v.items.length > 1 && v.items.every((i) => i.kind === 'ref')) {
      const name = (i: AuditValue) => (i.kind === 'ref' ? i.name : null);
      v.items.sort((a, b) => (name(a) === null ? 1 : 0) - (name(b) === null ? 1 : 0) || (name(a) ?? '').localeCompare(name(b) ?? '') || (a.kind === 'ref' && b.kind === 'ref' ? a.id - b.id : 0));
    }
  }
  return views;
}

const idList = (ids: Set<number>) => sql.join([...ids].map((id) => sql`${id}`), sql`, `);

/**
 * One query naming every referenced object of the page, each branch limited to the caller's institution: its own
 * catalogue, users and bookings, its partnerships (by the partner's company name) and the organisations it works with.
 */
export async function resolveNames(db: Executor, institutionId: number, refs: RefRequest): Promise<NameBook> {
  const branches: SQL[] = [];
  const ids = (type: RefType | 'booking') => refs.get(type);
  const add = (type: RefType | 'booking', build: (list: SQL) => SQL) => {
    const set = ids(type);
    if (set?.size) branches.push(build(idList(set)));
  };
  const me = institutionId;
  add('location', (l) => sql`SELECT 'location' AS t, id, name, NULL AS at, NULL AS zone FROM locations WHERE organisation_id = ${me} AND id IN (${l})`);
  add('physician', (l) => sql`SELECT 'physician', id, name, NULL, NULL FROM physicians WHERE organisation_id = ${me} AND id IN (${l})`);
  add('service', (l) => sql`SELECT 'service', id, name, NULL, NULL FROM services WHERE organisation_id = ${me} AND id IN (${l})`);
  add('qualification', (l) => sql`SELECT 'qualification', id, name, NULL, NULL FROM qualifications WHERE organisation_id = ${me} AND id IN (${l})`);
  add('user', (l) => sql`SELECT 'user', id, name, NULL, NULL FROM users WHERE organisation_id = ${me} AND id IN (${l})`);
  add('partnership', (l) => sql`SELECT 'partnership', p.id, o.name, NULL, NULL FROM partnerships p JOIN organisations o ON o.id = p.partner_organisation_id WHERE p.institution_id = ${me} AND p.id IN (${l})`);
  add('organisation', (l) => sql`SELECT 'organisation', o.id, o.name, NULL, NULL FROM organisations o WHERE o.id IN (${l}) AND (o.id = ${me}
    OR EXISTS (SELECT 1 FROM partnerships p WHERE (p.institution_id = ${me} AND p.partner_organisation_id = o.id) OR (p.partner_organisation_id = ${me} AND p.institution_id = o.id)))`);
  add('schedule', (l) => sql`SELECT 'schedule', s.id, ph.name, NULL, NULL FROM schedules s JOIN physicians ph ON ph.id = s.physician_id WHERE ph.organisation_id = ${me} AND s.id IN (${l})`);
  add('schedule_exception', (l) => sql`SELECT 'schedule_exception', e.id, ph.name, NULL, NULL FROM schedule_exceptions e JOIN physicians ph ON ph.id = e.physician_id WHERE ph.organisation_id = ${me} AND e.id IN (${l})`);
  add('settlement_statement', (l) => sql`SELECT 'settlement_statement', s.id, CONCAT(o.name, ', ', s.month), NULL, NULL FROM settlement_statements s JOIN partnerships p ON p.id = s.partnership_id JOIN organisations o ON o.id = p.partner_organisation_id WHERE s.institution_id = ${me} AND s.id IN (${l})`);
  add('settlement_run', (l) => sql`SELECT 'settlement_run', r.id, r.month, NULL, NULL FROM settlement_runs r WHERE r.institution_id = ${me} AND r.id IN (${l})`);
  add('booking', (l) => sql`SELECT 'booking', b.id, NULL, DATE_FORMAT(b.starts_at, '%Y-%m-%dT%H:%i:%s.000Z'), loc.time_zone FROM bookings b JOIN locations loc ON loc.id = b.location_id WHERE b.institution_id = ${me} AND b.id IN (${l})`);
  // The institution's currency: a fixed commission recorded without one (an invitation) is in it.
  branches.push(sql`SELECT 'currency', id, currency, NULL, NULL FROM organisations WHERE id = ${me}`);
  const book: NameBook = new Map();
  const [rows] = await db.execute(sql.join(branches, sql` UNION ALL `)) as unknown as [Array<{ t: string; id: number; name: string | null; at: string | null; zone: string | null }>];
  for (const r of rows) book.set(`${r.t}:${Number(r.id)}`, { name: r.name, at: r.at, timeZone: r.zone });
  return book;
}

/** A page of stored rows as they read for the caller's institution: shaped, then named in one query. */
export async function readableEntries(db: Executor, institutionId: number, rows: AuditRow[], options: ShapeOptions = {}): Promise<AuditView[]> {
  const views = rows.map((r) => shapeEntry(r, options));
  return applyNames(views, await resolveNames(db, institutionId, collectRefs(views)), institutionId);
}
