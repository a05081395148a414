/**
 * Hostile input, generated: every procedure with an input schema gets the variants of test/hostile-inputs.ts (wrong
 * types, missing fields, oversized, ill-formed Unicode, control characters, out-of-range numbers, the other tenant's
 * IDs), sent over HTTP as raw tRPC requests — as tenant A's institution admin (who passes every policy), as A's
 * partner admin for the procedures a partner may call, and anonymously for public procedures. Every answer must be a
 * 4xx with a JSON message (a validation answer names the spoiled field with a translated message), never a 5xx or a
 * success, and the database must be unchanged.
 *
 * What may change: `sessions` (sliding expiry renews the caller's session on every request), `rate_limits` (the
 * limiters count attempts) and `audit_log`, but there only 'authz.denied' rows (a refused foreign ID is a denial of a
 * signed-in caller, which is audited). Every other table is compared with CHECKSUM TABLE before and after each
 * procedure's variants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2';
import { startHarness, type Harness } from '../test/harness';
import { buildMirroredTenants, foreignIdsIn, tenantIds, type Tenant } from '../test/tenants';
import { hostileVariants, inputJsonSchema, sample, type IdSource, type Variant } from '../test/hostile-inputs';
import { appRouter } from './router';
import { createSession } from './auth/session';
import { englishMessage } from './errors';

const MAY_CHANGE = new Set(['sessions', 'rate_limits', 'audit_log']);

let h: Harness;
let tenants: { a: Tenant; b: Tenant };
let adminCookie: string;
let partnerCookie: string;
let checkedTables: string[];

beforeAll(async () => {
  // Limits high enough that every variant reaches validation (the limits have tests of their own).
  h = await startHarness({ anonymousIpMaxAttempts: 1_000_000, loginIpMaxFailures: 1_000_000, loginMaxFailures: 1_000_000, patientSearchPerMinute: 1_000_000 });
  tenants = await buildMirroredTenants(h.database);
  const { token } = await createSession(h.database.db, tenants.a.users.admin, { idleMs: 3_600_000, absoluteMs: 3_600_000 });
  adminCookie = `pm_session=${token}`;
  const partner = await createSession(h.database.db, tenants.a.users.partnerAdmin, { idleMs: 3_600_000, absoluteMs: 3_600_000 });
  partnerCookie = `pm_session=${partner.token}`;
  const [rows] = await h.database.pool.query<RowDataPacket[]>('SHOW TABLES');
  checkedTables = rows.map((r) => String(Object.values(r)[0])).filter((t) => !MAY_CHANGE.has(t));
});
afterAll(async () => { await h?.close(); });

/** The tenant's ID for a field name (`id` by the procedure it belongs to). */
function idsOf(t: Tenant, path: string): IdSource {
  const byId: Record<string, number> = {
    'catalogue.saveLocation': t.locationId, 'catalogue.saveQualification': t.qualificationId, 'catalogue.savePhysician': t.physicianId,
    'catalogue.saveService': t.serviceId, 'catalogue.saveRule': t.scheduleId, 'catalogue.deleteRule': t.scheduleId,
    'catalogue.saveException': t.exceptionId, 'catalogue.deleteException': t.exceptionId,
  };
  const byName: Record<string, number> = {
    locationId: t.locationId, physicianId: t.physicianId, serviceId: t.serviceId, qualificationId: t.qualificationId,
    partnershipId: t.activePartnershipId, userId: t.users.staff, institutionId: t.institutionId, bookingId: t.bookingId,
    statementId: t.statementId, patientId: t.patientId,
  };
  return (field) => (field === 'id' ? byId[path] : byName[field.replace(/Ids$/, 'Id')]);
}

interface Answer { status: number; body: { error?: { message?: string; data?: Record<string, unknown> } } | null }

async function send(path: string, type: string, input: unknown, cookie: string | null): Promise<Answer> {
  const url = `${h.baseUrl}/trpc/${path}` + (type === 'query' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : '');
  const headers: Record<string, string> = { origin: h.baseUrl };
  if (cookie) headers.cookie = cookie;
  if (type !== 'query') headers['content-type'] = 'application/json';
  const res = await fetch(url, { method: type === 'query' ? 'GET' : 'POST', headers, body: type === 'query' ? undefined : JSON.stringify(input) });
  const text = await res.text();
  let body: Answer['body'] = null;
  try { body = JSON.parse(text) as Answer['body']; } catch { /* judged below */ }
  return { status: res.status, body };
}

/** Why a 4xx answer is not clear enough, or null. */
function unclear(variant: Variant, answer: Answer): string | null {
  const error = answer.body?.error;
  if (!error) return 'no JSON error in the answer';
  const message = String(error.message ?? '');
  if (!message.trim()) return 'an empty message';
  if (/^[a-z_]+(\.[a-z_]+)+$/.test(message)) return `an untranslated key as the message: ${message}`;
  const data = error.data ?? {};
  if (data.code === 'BAD_REQUEST' && variant.field !== '_') {
    const fieldErrors = (data.fieldErrors ?? {}) as Record<string, { key: string; message: string }[]>;
    const fields = Object.keys(fieldErrors);
    const named = fields.some((f) => f === variant.field || f.startsWith(`${variant.field}.`) || variant.field.startsWith(`${f}.`));
    if (!named) return `the message does not name ${variant.field}: ${message}`;
    const raw = Object.values(fieldErrors).flat().filter((e) => englishMessage(e.key) === e.key);
    if (raw.length) return `a message without translation key: ${raw.map((e) => e.message).join('; ')}`;
  }
  return null;
}

/**
 * The only successes allowed: a link token of only spaces given to a query (the token lookup answers "invalid", which
 * the page shows). Whatever it answers must hold nothing of tenant B, and nothing may be written.
 */
function readOnlyAnswer(type: string, variant: Variant): boolean {
  // A blank link token is answered as the page shows it ("this link is not valid"), not as an error. Any other ID the
  // caller cannot see — another tenant's, or beyond our 32-bit keys — must be refused naming its field, never an empty
  // answer that reads as "nothing there".
  return type === 'query' && variant.kind === 'blank' && /(^|\.)token$/.test(variant.field);
}

async function checksum(): Promise<Map<string, string>> {
  const [rows] = await h.database.pool.query<RowDataPacket[]>(`CHECKSUM TABLE ${checkedTables.map((t) => `\`${t}\``).join(', ')}`);
  return new Map(rows.map((r) => [String(r.Table).split('.').pop()!, String(r.Checksum)]));
}

async function auditRowsOtherThanDenials(): Promise<number> {
  const [[row]] = await h.database.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM audit_log WHERE action <> 'authz.denied'");
  return Number(row.n);
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => { while (next < items.length) await work(items[next++]); }));
}

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[]; meta?: { policy?: string } } }>;
const counts = { procedures: 0, withoutInput: 0, validBases: 0, tried: 0, '4xx': 0, '5xx': 0, readOnly: 0, accepted: 0, wrote: 0 };
const readOnlyLabels: string[] = [];
let auditBefore: number;
let foreignIds: Set<number>;

describe('hostile input, generated from every procedure\'s schema', () => {
  beforeAll(async () => {
    auditBefore = await auditRowsOtherThanDenials();
    foreignIds = await tenantIds(h.database, tenants.b);
  });

  it.each(Object.keys(procedures).sort())('%s answers every hostile variant with a clear 4xx and writes nothing', async (path) => {
    const { type, inputs, meta } = procedures[path]._def;
    counts.procedures++;
    const schema = inputs.length ? inputJsonSchema(inputs[0]) : null;
    if (!schema) { counts.withoutInput++; return; }
    const failures: string[] = [];
    // How many bases pass the schema (the variants then spoil exactly one field of a valid input), for the summary.
    if ((inputs[0] as { safeParse(v: unknown): { success: boolean } }).safeParse(sample(schema, idsOf(tenants.a, path))).success) counts.validBases++;
    const isPublic = meta?.policy === 'public';
    const variants = hostileVariants(schema, {
      own: idsOf(tenants.a, path), foreign: idsOf(tenants.b, path),
      // A query's input travels in the URL (Node refuses more than 16 KB of headers with a bare 431).
      oversizedLength: type === 'query' ? 2_000 : 100_000, oversizedItems: type === 'query' ? 1_001 : 10_001,
    });
    const before = await checksum();
    const calls: { variant: Variant; cookie: string | null }[] = variants.map((variant) => ({ variant, cookie: isPublic ? null : adminCookie }));
    // Procedures a partner may call (its bookings, approvals, statements) also get every variant from A's partner admin,
    // whose own IDs are the same (A's locations, services, partnership) and whose foreign IDs are B's.
    if (meta?.policy === 'booker' || meta?.policy === 'orgAdmin' || meta?.policy === 'signedIn') {
      calls.push(...variants.map((variant) => ({ variant, cookie: partnerCookie })));
    }
    // Anonymous callers of a signed-in procedure are turned away before their input is read.
    if (!isPublic && variants.length) calls.push({ variant: variants[0], cookie: null });
    const accepted: string[] = [];
    await pool(calls, 6, async ({ variant, cookie }) => {
      const answer = await send(path, type, variant.input, cookie);
      counts.tried++;
      const who = cookie === adminCookie ? 'admin' : cookie === partnerCookie ? 'partner admin' : 'anonymous';
      if (answer.status >= 500) {
        counts['5xx']++;
        failures.push(`${path} (${who}) ${variant.label}: ${answer.status} ${answer.body?.error?.message ?? ''}`);
      } else if (answer.status >= 400) {
        counts['4xx']++;
        const why = unclear(variant, answer);
        if (why) failures.push(`${path} (${who}) ${variant.label}: ${answer.status}, ${why}`);
      } else if (readOnlyAnswer(type, variant)) {
        // A read filtered by an ID that is not the caller's finds nothing: allowed, if nothing of the other tenant shows.
        counts.readOnly++;
        readOnlyLabels.push(`${path} (${who}) ${variant.label}`);
        const found = foreignIdsIn(answer.body, foreignIds);
        if (found.length) failures.push(`${path} (${who}) ${variant.label}: the answer holds tenant B's IDs ${found.join(', ')}`);
      } else {
        counts.accepted++;
        accepted.push(variant.label);
        failures.push(`${path} (${who}) ${variant.label}: accepted with ${answer.status}`);
      }
    });
    const after = await checksum();
    const changed = [...after].filter(([t, sum]) => before.get(t) !== sum).map(([t]) => t);
    if (changed.length) {
      counts.wrote += Math.max(1, accepted.length);
      failures.push(`${path} changed ${changed.join(', ')}${accepted.length ? ` (accepted: ${accepted.join('; ')})` : ''}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('prints the summary: tried / 4xx / 5xx / wrote', async () => {
    const auditAfter = await auditRowsOtherThanDenials();
    if (auditAfter !== auditBefore) counts.wrote++;
    console.log(`hostile input: tried ${counts.tried} / 4xx ${counts['4xx']} / 5xx ${counts['5xx']} / wrote ${counts.wrote}`
      + ` (procedures ${counts.procedures}, without input ${counts.withoutInput}, valid bases ${counts.validBases}; 2xx: ${counts.readOnly} read-only as allowed, ${counts.accepted} accepted)`);
    if (readOnlyLabels.length) console.log(`hostile input: answered 2xx as allowed (found nothing):\n  ${readOnlyLabels.sort().join('\n  ')}`);
    expect(auditAfter - auditBefore, 'audit rows other than denials written by hostile input').toBe(0);
    expect(counts.procedures).toBe(Object.keys(procedures).length);
    expect(counts.tried).toBeGreaterThan(500);
  });
});
