/**
 * Commission settlement end to end against MariaDB, the real Temporal dev server and SMTP, over HTTP: a month with
 * fulfilled, cancelled, no-show, booked, paid-at-partner and paid-at-institution bookings (and a fixed commission in
 * another currency) gives hand-computed totals; a rerun is identical; two admins starting the same month at once start
 * it once; issued statements are never rewritten; changes after issue land as adjustments in the next month; another
 * tenant's IDs are NOT_FOUND; the partner sees only its own issued statements and gets an email; the CSV is safe.
 * Also: the SQL commission and line amounts agree with their TypeScript twins on the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { startHarness, signIn, failure, DEMO, type Harness, type Browser } from '../test/harness';
import {
  bookingEvents, bookings, locations, organisations, partnerships, physicians, qualifications, services, settlementLines,
  settlementStatements, users,
} from '../db/schema';
import type { Db } from '../db/client';
import { commissionCurrencySql, commissionOf, commissionSql, type CommissionType } from './domain/commission';
import { lineAmounts } from './settlement/amounts';
import { settleMonth } from './settlement/settle';
import { monthBounds } from './settlement/months';

let h: Harness;
let db: Db;
let passwordHash: string;
const PASSWORD = DEMO.admin.password;

interface Fixture {
  institutionId: number; adminEmail: string; locationId: number; physicianId: number; serviceId: number; serviceEurId: number;
  partnerships: Record<'p1' | 'p2' | 'p3', number>;
}

let seq = 0;
const tag = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

async function institution(name: string): Promise<Omit<Fixture, 'partnerships'>> {
  const [org] = await db.insert(organisations).values({
    name, country: 'RO', taxNumber: `T${tag()}`, registrationNumber: 'J12/1/2020', address: 'Str. Test 1, Cluj-Napoca',
    isInstitution: true, currency: 'RON', timeZone: 'Europe/Bucharest',
  }).$returningId();
  const adminEmail = `admin-${tag()}@example.com`;
  await db.insert(users).values({ organisationId: org.id, email: adminEmail, name: 'Settlement Admin', role: 'admin', status: 'active', passwordHash, locale: 'en' });
  const [loc] = await db.insert(locations).values({ organisationId: org.id, name: 'Central', address: 'x', timeZone: 'Europe/Bucharest' }).$returningId();
  const [q] = await db.insert(qualifications).values({ organisationId: org.id, name: 'General' }).$returningId();
  const [ph] = await db.insert(physicians).values({ organisationId: org.id, name: 'Dr. Test' }).$returningId();
  const [svc] = await db.insert(services).values({ organisationId: org.id, qualificationId: q.id, name: 'Consultation', durationMinutes: 30, priceMinor: 10_000, currency: 'RON' }).$returningId();
  const [eur] = await db.insert(services).values({ organisationId: org.id, qualificationId: q.id, name: 'Imaging', durationMinutes: 30, priceMinor: 20_000, currency: 'RON' }).$returningId();
  return { institutionId: org.id, adminEmail, locationId: loc.id, physicianId: ph.id, serviceId: svc.id, serviceEurId: eur.id };
}

async function partnerOrg(name: string, country = 'RO') {
  const [org] = await db.insert(organisations).values({ name, country, taxNumber: `P${tag()}`, registrationNumber: 'J1', address: 'Partner street 2' }).$returningId();
  return org.id;
}

async function partnership(institutionId: number, partnerOrganisationId: number, rule: { type: CommissionType; value: number; currency?: string | null }, paymentLocation: 'institution' | 'partner', contactEmail: string) {
  const [p] = await db.insert(partnerships).values({
    institutionId, partnerOrganisationId, status: 'active', contactName: 'Contact Person', contactEmail, contactPhone: '0722000000',
    commissionType: rule.type, commissionValue: rule.value, commissionCurrency: rule.currency ?? null, paymentLocation, invitedAt: new Date(), acceptedAt: new Date(),
  }).$returningId();
  return p.id;
}

/** A booking with the partnership's snapshot; `at` is UTC. */
async function book(f: Omit<Fixture, 'partnerships'>, partnershipId: number | null, at: string, status: 'fulfilled' | 'cancelled' | 'noshow' | 'booked', priceMinor: number,
  snapshot: { type: CommissionType; value: number; currency?: string | null; paymentLocation: 'institution' | 'partner' | null }, serviceId = f.serviceId) {
  const startsAt = new Date(at);
  const [b] = await db.insert(bookings).values({
    institutionId: f.institutionId, locationId: f.locationId, physicianId: f.physicianId, serviceId, startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000),
    status, sourceChannel: partnershipId ? 'partner' : 'online', partnershipId, priceMinor, currency: 'RON',
    commissionType: snapshot.type, commissionValue: snapshot.value, commissionCurrency: snapshot.currency ?? null, paymentLocation: snapshot.paymentLocation,
  }).$returningId();
  await db.insert(bookingEvents).values({ bookingId: b.id, institutionId: f.institutionId, type: 'created', actorKind: 'system', at: new Date(startsAt.getTime() - 86_400_000) });
  return b.id;
}

/** A change of a booking after the fact, recorded like the app does (the booking row and its event). */
async function change(bookingId: number, set: Partial<typeof bookings.$inferInsert>, type: 'status_changed' | 'service_changed' | 'moved' | 'cancelled') {
  const [b] = await db.select().from(bookings).where(eq(bookings.id, bookingId));
  await db.update(bookings).set({ ...set, version: b.version + 1 }).where(eq(bookings.id, bookingId));
  await db.insert(bookingEvents).values({ bookingId, institutionId: b.institutionId, type, actorKind: 'user', before: { status: b.status, priceMinor: b.priceMinor }, after: set as Record<string, unknown> });
}

async function browserFor(email: string): Promise<Browser> {
  const b = h.browser();
  await signIn(b, email, PASSWORD);
  return b;
}

async function waitForRun(b: Browser, month: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const p = await b.api.settlements.progress.query({ month });
    if (p.run && (p.run.status === 'completed' || p.run.status === 'failed')) return p;
    if (Date.now() > deadline) throw new Error(`settlement of ${month} did not finish: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function snapshotLines(institutionId: number, month: string) {
  return db.select({
    statementId: settlementLines.statementId, bookingId: settlementLines.bookingId, kind: settlementLines.kind, startsAt: settlementLines.startsAt,
    priceMinor: settlementLines.priceMinor, currency: settlementLines.currency, paymentLocation: settlementLines.paymentLocation,
    commissionMinor: settlementLines.commissionMinor, commissionCurrency: settlementLines.commissionCurrency,
    institutionOwesMinor: settlementLines.institutionOwesMinor, partnerOwesMinor: settlementLines.partnerOwesMinor, note: settlementLines.note,
  }).from(settlementLines).innerJoin(settlementStatements, eq(settlementStatements.id, settlementLines.statementId))
    .where(and(eq(settlementStatements.institutionId, institutionId), eq(settlementStatements.month, month)))
    .orderBy(asc(settlementLines.statementId), asc(settlementLines.bookingId), asc(settlementLines.kind));
}

const P1 = { type: 'percent' as const, value: 1250, paymentLocation: 'institution' as const }; // 12.5 %, paid at the institution
const P2 = { type: 'fixed' as const, value: 2500, currency: 'RON', paymentLocation: 'partner' as const }; // 25.00 RON, paid at the partner
const P3 = { type: 'fixed' as const, value: 1000, currency: 'EUR', paymentLocation: 'partner' as const }; // 10.00 EUR on RON prices

let A: Fixture;
let B: Fixture;
let p1AdminEmail: string;
const ids: Record<string, number> = {};
let admin: Browser;
let partnerAdmin: Browser;

beforeAll(async () => {
  h = await startHarness();
  db = h.database.db;
  [{ passwordHash: passwordHash }] = await db.select({ passwordHash: sql<string>`${users.passwordHash}` }).from(users).where(eq(users.email, DEMO.admin.email));

  const a = await institution('Clinica Decont SRL');
  const b = await institution('Other Tenant Clinic SRL');
  const p1 = await partnerOrg('Partener Unu SRL');
  const p2 = await partnerOrg('Partener Doi SRL');
  const p3 = await partnerOrg('=HYPERLINK("http://evil")');
  p1AdminEmail = `p1-admin-${tag()}@example.com`;
  await db.insert(users).values({ organisationId: p1, email: p1AdminEmail, name: 'Ana Partener', role: 'admin', status: 'active', passwordHash, locale: 'en' });
  A = { ...a, partnerships: {
    p1: await partnership(a.institutionId, p1, P1, 'institution', 'p1-contact@example.com'),
    p2: await partnership(a.institutionId, p2, P2, 'partner', 'p2-contact@example.com'),
    p3: await partnership(a.institutionId, p3, P3, 'partner', 'p3-contact@example.com'),
  } };
  // The other tenant has P1 as a partner too, with its own March bookings.
  B = { ...b, partnerships: { p1: await partnership(b.institutionId, p1, P1, 'institution', 'p1-contact@example.com'), p2: 0, p3: 0 } };

  // March 2025 in Bucharest: 2025-02-28T22:00Z … 2025-03-31T21:00Z (the clocks go forward on 30 March).
  ids.b1 = await book(A, A.partnerships.p1, '2025-03-05T08:00:00Z', 'fulfilled', 10_000, P1); // 1250
  ids.b2 = await book(A, A.partnerships.p1, '2025-03-06T08:00:00Z', 'fulfilled', 333, P1); // 41.625 → 42
  ids.b3 = await book(A, A.partnerships.p1, '2025-03-07T08:00:00Z', 'fulfilled', 1_004, P1); // 125.5 → 126 (half away from zero)
  ids.b4 = await book(A, A.partnerships.p1, '2025-03-08T08:00:00Z', 'cancelled', 10_000, P1);
  ids.b5 = await book(A, A.partnerships.p1, '2025-03-09T08:00:00Z', 'noshow', 10_000, P1);
  ids.b6 = await book(A, A.partnerships.p1, '2025-02-28T22:30:00Z', 'fulfilled', 2_000, P1); // 1 March 00:30 local: March, 250
  ids.b7 = await book(A, A.partnerships.p1, '2025-02-28T21:30:00Z', 'fulfilled', 2_000, P1); // 28 Feb 23:30 local: February
  ids.b8 = await book(A, A.partnerships.p1, '2025-03-31T21:30:00Z', 'fulfilled', 2_000, P1); // 1 April 00:30 EEST: April
  ids.c1 = await book(A, A.partnerships.p2, '2025-03-10T08:00:00Z', 'fulfilled', 15_000, P2); // partner owes 125.00
  ids.c2 = await book(A, A.partnerships.p2, '2025-03-11T08:00:00Z', 'fulfilled', 2_000, P2); // partner owes −5.00
  ids.c3 = await book(A, A.partnerships.p2, '2025-03-12T08:00:00Z', 'booked', 15_000, P2);
  ids.c4 = await book(A, A.partnerships.p2, '2025-03-13T08:00:00Z', 'noshow', 15_000, P2);
  ids.d1 = await book(A, A.partnerships.p3, '2025-03-14T08:00:00Z', 'fulfilled', 20_000, P3, A.serviceEurId); // 200.00 RON vs 10.00 EUR
  ids.online = await book(A, null, '2025-03-15T08:00:00Z', 'fulfilled', 10_000, { type: 'none', value: 0, paymentLocation: null });
  ids.bB = await book(B, B.partnerships.p1, '2025-03-05T08:00:00Z', 'fulfilled', 10_000, P1);

  admin = await browserFor(A.adminEmail);
  partnerAdmin = await browserFor(p1AdminEmail);
});
afterAll(async () => { await h?.close(); });

describe('settling a month', () => {
  it('gives one statement per partner with the hand-computed totals', async () => {
    const started = await admin.api.settlements.start.mutate({ month: '2025-03' });
    expect(started.workflowId).toBe(`settlement:${A.institutionId}:2025-03`);
    const { run } = await waitForRun(admin, '2025-03');
    expect(run).toMatchObject({ status: 'completed', trigger: 'manual', partnershipsTotal: 3, partnershipsDone: 3, statements: 3, lines: 7, startedByName: 'Settlement Admin' });

    const list = await admin.api.settlements.statements.query({ month: '2025-03' });
    const byPartner = Object.fromEntries(list.map((s) => [s.partnershipId, s]));
    expect(list.every((s) => s.status === 'draft')).toBe(true);
    expect(byPartner[A.partnerships.p1].totals).toEqual([{
      currency: 'RON', commissionMinor: 1668, institutionOwesMinor: 1668, partnerOwesMinor: 0, netMinor: -1668, netAbsMinor: 1668, direction: 'institution_pays_partner',
    }]);
    expect(byPartner[A.partnerships.p1].lines).toBe(4);
    expect(byPartner[A.partnerships.p2].totals).toEqual([{
      currency: 'RON', commissionMinor: 5000, institutionOwesMinor: 0, partnerOwesMinor: 12_000, netMinor: 12_000, netAbsMinor: 12_000, direction: 'partner_pays_institution',
    }]);
    expect(byPartner[A.partnerships.p3].totals).toEqual([
      { currency: 'EUR', commissionMinor: 1000, institutionOwesMinor: 1000, partnerOwesMinor: 0, netMinor: -1000, netAbsMinor: 1000, direction: 'institution_pays_partner' },
      { currency: 'RON', commissionMinor: 0, institutionOwesMinor: 0, partnerOwesMinor: 20_000, netMinor: 20_000, netAbsMinor: 20_000, direction: 'partner_pays_institution' },
    ]);

    const detail = await admin.api.settlements.statement.query({ statementId: byPartner[A.partnerships.p1].id });
    expect(detail.lines.map((l) => [l.bookingId, l.commissionMinor])).toEqual([[ids.b6, 250], [ids.b1, 1250], [ids.b2, 42], [ids.b3, 126]]);
    expect(detail.lines[0]).toMatchObject({ localDate: '2025-03-01', localTime: '00:30', serviceName: 'Consultation', locationName: 'Central', paymentLocation: 'institution', kind: 'booking' });
    expect(detail.institution).toMatchObject({ name: 'Clinica Decont SRL', taxNumber: expect.any(String), timeZone: 'Europe/Bucharest' });
    expect(detail.partner).toMatchObject({ name: 'Partener Unu SRL', contactEmail: 'p1-contact@example.com' });
  });

  it('a rerun yields identical drafts', async () => {
    const before = await snapshotLines(A.institutionId, '2025-03');
    await admin.api.settlements.start.mutate({ month: '2025-03' });
    await waitForRun(admin, '2025-03');
    expect(await snapshotLines(A.institutionId, '2025-03')).toEqual(before);
  });

  it('two admins starting the same month at once: one run, the other gets a clear message, nothing written twice', async () => {
    const before = await snapshotLines(A.institutionId, '2025-03');
    const second = await browserFor(A.adminEmail);
    const outcomes = await Promise.allSettled([admin.api.settlements.start.mutate({ month: '2025-03' }), second.api.settlements.start.mutate({ month: '2025-03' })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(rejected.reason.data).toMatchObject({ code: 'CONFLICT', key: 'settlement.run_in_progress' });
    expect(rejected.reason.message).toMatch(/already running/);
    await waitForRun(admin, '2025-03');
    expect(await snapshotLines(A.institutionId, '2025-03')).toEqual(before);
    const runs = await admin.api.settlements.runs.query({ month: '2025-03' });
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it('refuses the current month, a future month and a malformed one', async () => {
    const now = new Date();
    const current = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
    for (const month of [current, '2999-01']) {
      const err = await failure(admin.api.settlements.start.mutate({ month }));
      expect(err.data).toMatchObject({ code: 'BAD_REQUEST', key: 'settlement.month_not_past' });
    }
    const bad = await failure(admin.api.settlements.start.mutate({ month: '2025-13' }));
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.message).toMatch(/YYYY-MM/);
  });
});

describe('statements', () => {
  let p1March: number;
  let p2March: number;

  beforeAll(async () => {
    await settleMonth(db, B.institutionId, '2025-03');
    const list = await admin.api.settlements.statements.query({ month: '2025-03' });
    p1March = list.find((s) => s.partnershipId === A.partnerships.p1)!.id;
    p2March = list.find((s) => s.partnershipId === A.partnerships.p2)!.id;
  });

  it("another tenant's IDs are not found, and its statements are not listed", async () => {
    const [other] = await db.select().from(settlementStatements).where(eq(settlementStatements.institutionId, B.institutionId));
    expect(other).toBeDefined();
    // Thunks: each call starts when it is awaited (an early rejection would otherwise be unhandled).
    for (const call of [
      () => admin.api.settlements.statement.query({ statementId: other.id }), () => admin.api.settlements.statementCsv.query({ statementId: other.id }),
      () => admin.api.settlements.issue.mutate({ statementId: other.id }), () => admin.api.settlements.markPaid.mutate({ statementId: other.id, paidOn: '2025-04-02' }),
    ]) {
      expect((await failure(call())).data).toMatchObject({ code: 'NOT_FOUND', key: 'settlement.statement_not_found' });
    }
    expect((await admin.api.settlements.statements.query({ month: '2025-03' })).some((s) => s.id === other.id)).toBe(false);
  });

  it('the partner sees no drafts', async () => {
    expect(await partnerAdmin.api.settlements.partnerStatements.query()).toEqual([]);
    expect((await failure(partnerAdmin.api.settlements.partnerStatement.query({ statementId: p1March }))).data?.code).toBe('NOT_FOUND');
  });

  it('issuing freezes the statement, emails the partner once, and a second issue is refused', async () => {
    const issued = await admin.api.settlements.issue.mutate({ statementId: p1March });
    expect(issued).toMatchObject({ statementId: p1March, status: 'issued', emails: 1 });
    const mail = await h.smtp.waitFor(p1AdminEmail);
    expect(mail.subject).toBe('Commission statement issued — Clinica Decont SRL, March 2025');
    expect(mail.text).toContain('Clinica Decont SRL owes Partener Unu SRL: 16.68 RON');
    expect(mail.text).toContain(`/settlement-statements/${p1March}`);

    const again = await failure(admin.api.settlements.issue.mutate({ statementId: p1March }));
    expect(again.data).toMatchObject({ code: 'CONFLICT', key: 'settlement.already_issued' });

    // Without users, the partnership's contact person gets it, in the partner's country's language.
    await admin.api.settlements.issue.mutate({ statementId: p2March });
    const contactMail = await h.smtp.waitFor('p2-contact@example.com');
    expect(contactMail.subject).toBe('Decont de comision emis — Clinica Decont SRL, martie 2025');
    expect(contactMail.text).toContain('Partener Doi SRL datorează Clinica Decont SRL: 120,00 RON');
  });

  it('the partner sees its own issued statements only (not the other institution\'s draft)', async () => {
    const mine = await partnerAdmin.api.settlements.partnerStatements.query();
    expect(mine.map((s) => s.id)).toEqual([p1March]);
    const detail = await partnerAdmin.api.settlements.partnerStatement.query({ statementId: p1March });
    expect(detail.totals[0].netMinor).toBe(-1668);
    expect((await failure(partnerAdmin.api.settlements.partnerStatement.query({ statementId: p2March }))).data?.code).toBe('NOT_FOUND');
    // A partner admin is not an institution admin: the institution side is closed to it.
    expect((await failure(partnerAdmin.api.settlements.statement.query({ statementId: p1March }))).data?.code).toBe('FORBIDDEN');
  });

  it('marks an issued statement paid (not in the future, not twice, not a draft)', async () => {
    const future = await failure(admin.api.settlements.markPaid.mutate({ statementId: p1March, paidOn: '2999-01-01' }));
    expect(future.data).toMatchObject({ key: 'settlement.paid_on_future' });
    const paid = await admin.api.settlements.markPaid.mutate({ statementId: p1March, paidOn: new Date().toISOString().slice(0, 10) });
    expect(paid.status).toBe('paid');
    const twice = await failure(admin.api.settlements.markPaid.mutate({ statementId: p1March, paidOn: '2025-04-10' }));
    expect(twice.data).toMatchObject({ code: 'CONFLICT', key: 'settlement.already_paid' });
    const p3 = (await admin.api.settlements.statements.query({ month: '2025-03' })).find((s) => s.partnershipId === A.partnerships.p3)!;
    expect((await failure(admin.api.settlements.markPaid.mutate({ statementId: p3.id, paidOn: '2025-04-10' }))).data).toMatchObject({ key: 'settlement.not_issued' });
  });

  it('a rerun never rewrites issued or paid statements', async () => {
    const before = await snapshotLines(A.institutionId, '2025-03');
    await change(ids.b3, { priceMinor: 5_000 }, 'service_changed'); // after issue: an adjustment next month, not a rewrite
    await admin.api.settlements.start.mutate({ month: '2025-03' });
    await waitForRun(admin, '2025-03');
    const after = await snapshotLines(A.institutionId, '2025-03');
    expect(after.filter((l) => l.statementId === p1March)).toEqual(before.filter((l) => l.statementId === p1March));
    await change(ids.b3, { priceMinor: 1_004 }, 'service_changed'); // back as it was: no delta left
  });

  it('CSV: a row per line and per currency total, formula injection neutralised', async () => {
    const p3 = (await admin.api.settlements.statements.query({ month: '2025-03' })).find((s) => s.partnershipId === A.partnerships.p3)!;
    const { filename, csv } = await admin.api.settlements.statementCsv.query({ statementId: p3.id });
    expect(filename).toMatch(/^statement-2025-03-.*\.csv$/);
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe('statement,month,status,institution,partner,line,booking,date,time,location,service,price,currency,payment_location,commission_rule,commission,commission_currency,institution_owes,partner_owes,note');
    expect(rows).toHaveLength(1 + 1 + 2);
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rows[1]).toContain('booking');
    expect(rows[1]).toContain(',200.00,RON,partner,fixed 10.00 EUR,10.00,EUR,10.00,200.00,');
    expect(rows[2]).toContain('total');
    expect(rows[3]).toContain('net 200.00 RON: partner_pays_institution');
  });
});

describe('adjustments', () => {
  it('changes after issue land as adjustment lines in the next month, exactly once', async () => {
    // After March was issued for P1: a late cancellation, a no-show corrected to fulfilled, a price correction.
    await change(ids.b1, { status: 'cancelled', cancelledAt: new Date() }, 'cancelled'); // −1250
    await change(ids.b5, { status: 'fulfilled' }, 'status_changed'); // +1250
    await change(ids.b2, { priceMinor: 500 }, 'service_changed'); // 62.5 → 63, settled 42: +21
    const e1 = await book(A, A.partnerships.p1, '2025-04-10T08:00:00Z', 'fulfilled', 8_000, P1); // 1000

    await admin.api.settlements.start.mutate({ month: '2025-04' });
    await waitForRun(admin, '2025-04');
    const [april] = (await admin.api.settlements.statements.query({ month: '2025-04' })).filter((s) => s.partnershipId === A.partnerships.p1);
    expect(april.adjustments).toBe(3);
    const detail = await admin.api.settlements.statement.query({ statementId: april.id });
    const lines = detail.lines.map((l) => [l.kind, l.bookingId, l.commissionMinor, l.institutionOwesMinor, l.note]);
    expect(lines).toEqual(expect.arrayContaining([
      ['booking', e1, 1000, 1000, null], ['booking', ids.b8, 250, 250, null],
      ['adjustment', ids.b1, -1250, -1250, 'cancelled'], ['adjustment', ids.b5, 1250, 1250, 'fulfilled'], ['adjustment', ids.b2, 21, 21, 'corrected'],
    ]));
    expect(lines).toHaveLength(5);
    expect(april.totals).toEqual([expect.objectContaining({ currency: 'RON', commissionMinor: 1271, netMinor: -1271 })]);

    // Rerun: identical; then issue April, and May has nothing left to adjust.
    const before = await snapshotLines(A.institutionId, '2025-04');
    await admin.api.settlements.start.mutate({ month: '2025-04' });
    await waitForRun(admin, '2025-04');
    expect(await snapshotLines(A.institutionId, '2025-04')).toEqual(before);
    await admin.api.settlements.issue.mutate({ statementId: april.id });
    await admin.api.settlements.start.mutate({ month: '2025-05' });
    await waitForRun(admin, '2025-05');
    expect((await admin.api.settlements.statements.query({ month: '2025-05' })).filter((s) => s.partnershipId === A.partnerships.p1)).toEqual([]);
  });

  it('a booking moved out of an issued month is taken back there and settled in its new month', async () => {
    // b6 (March, issued) moves to 2025-06: June's statement carries its March amount back (−250) and its own line (+250).
    await change(ids.b6, { startsAt: new Date('2025-06-03T08:00:00Z'), endsAt: new Date('2025-06-03T08:30:00Z') }, 'moved');
    await settleMonth(db, A.institutionId, '2025-06');
    const [june] = (await admin.api.settlements.statements.query({ month: '2025-06' })).filter((s) => s.partnershipId === A.partnerships.p1);
    const detail = await admin.api.settlements.statement.query({ statementId: june.id });
    expect(detail.lines.map((l) => [l.kind, l.bookingId, l.commissionMinor, l.note])).toEqual([['booking', ids.b6, 250, null], ['adjustment', ids.b6, -250, 'moved']]);
    expect(june.totals[0].netMinor).toBe(0);
  });
  it('a paid-at-partner booking cancelled after issue takes back what the partner owed (price − commission), not more', async () => {
    // c1 (March, issued for P2): 150.00 RON paid at the partner, fixed 25.00 RON → the partner owed 125.00.
    await change(ids.c1, { status: 'cancelled', cancelledAt: new Date() }, 'cancelled');
    await settleMonth(db, A.institutionId, '2025-07');
    const [july] = (await admin.api.settlements.statements.query({ month: '2025-07' })).filter((s) => s.partnershipId === A.partnerships.p2);
    const detail = await admin.api.settlements.statement.query({ statementId: july.id });
    expect(detail.lines.map((l) => [l.kind, l.bookingId, l.commissionMinor, l.institutionOwesMinor, l.partnerOwesMinor, l.note]))
      .toEqual([['adjustment', ids.c1, -2500, 0, -12_500, 'cancelled']]);
    expect(july.totals).toEqual([expect.objectContaining({ currency: 'RON', partnerOwesMinor: -12_500, institutionOwesMinor: 0 })]);
  });
});

describe('SQL and TypeScript agree', () => {
  it('commissionSql and the line amounts equal commissionOf / lineAmounts on the same rows', async () => {
    const rows = fc.sample(fc.record({
      status: fc.constantFrom('fulfilled', 'fulfilled', 'cancelled', 'noshow', 'booked'),
      priceMinor: fc.integer({ min: 0, max: 50_000_000 }),
      commissionType: fc.constantFrom<CommissionType>('none', 'percent', 'fixed'),
      bp: fc.integer({ min: 0, max: 10_000 }),
      fixed: fc.integer({ min: 0, max: 1_000_000 }),
      commissionCurrency: fc.constantFrom('RON', 'EUR', null),
      paymentLocation: fc.constantFrom<'institution' | 'partner'>('institution', 'partner'),
    }), { numRuns: 300, seed: 8 });
    // Edges: exact halves of a minor unit, both ways.
    rows.push({ status: 'fulfilled', priceMinor: 1, commissionType: 'percent', bp: 5_000, fixed: 0, commissionCurrency: null, paymentLocation: 'partner' });
    rows.push({ status: 'fulfilled', priceMinor: 3, commissionType: 'percent', bp: 5_000, fixed: 0, commissionCurrency: null, paymentLocation: 'institution' });
    rows.push({ status: 'fulfilled', priceMinor: 1_004, commissionType: 'percent', bp: 1_250, fixed: 0, commissionCurrency: null, paymentLocation: 'institution' });
    const inserted: { id: number; snapshot: Parameters<typeof lineAmounts>[0] }[] = [];
    for (const r of rows) {
      const snapshot = {
        status: r.status, priceMinor: r.priceMinor, currency: 'RON', commissionType: r.commissionType,
        commissionValue: r.commissionType === 'percent' ? r.bp : r.commissionType === 'fixed' ? r.fixed : 0,
        commissionCurrency: r.commissionType === 'fixed' ? r.commissionCurrency : null, paymentLocation: r.paymentLocation,
      };
      const id = await book(A, null, '2030-01-01T08:00:00Z', r.status as 'fulfilled', r.priceMinor,
        { type: snapshot.commissionType, value: snapshot.commissionValue, currency: snapshot.commissionCurrency, paymentLocation: r.paymentLocation });
      await db.update(bookings).set({ status: r.status as 'fulfilled' }).where(eq(bookings.id, id));
      inserted.push({ id, snapshot });
    }
    const fromSql = await db.select({ id: bookings.id, cm: commissionSql(bookings), cc: commissionCurrencySql(bookings) }).from(bookings)
      .where(inArray(bookings.id, inserted.map((i) => i.id)));
    const byId = new Map(fromSql.map((r) => [r.id, r]));
    for (const { id, snapshot } of inserted) {
      const expected = commissionOf(snapshot);
      expect({ id, amount: Number(byId.get(id)!.cm), currency: byId.get(id)!.cc }).toEqual({ id, amount: expected.amountMinor, currency: expected.currency });
    }

    // The line amounts: settle a scratch month made of fulfilled copies through a partnership per payment location.
    const month = '2031-02';
    const { from } = monthBounds(month, 'Europe/Bucharest');
    const expected = new Map<number, ReturnType<typeof lineAmounts>>();
    for (const { snapshot } of inserted.filter((i) => i.snapshot.status === 'fulfilled').slice(0, 120)) {
      const pid = snapshot.paymentLocation === 'partner' ? A.partnerships.p2 : A.partnerships.p1;
      const id = await book(A, pid, new Date(from.getTime() + 3_600_000).toISOString(), 'fulfilled', snapshot.priceMinor,
        { type: snapshot.commissionType, value: snapshot.commissionValue, currency: snapshot.commissionCurrency, paymentLocation: snapshot.paymentLocation });
      expected.set(id, lineAmounts(snapshot));
    }
    await settleMonth(db, A.institutionId, month);
    const lines = await db.select().from(settlementLines).where(inArray(settlementLines.bookingId, [...expected.keys()]));
    expect(lines).toHaveLength(expected.size);
    for (const l of lines) {
      expect({ id: l.bookingId, commissionMinor: l.commissionMinor, commissionCurrency: l.commissionCurrency, institutionOwesMinor: l.institutionOwesMinor, partnerOwesMinor: l.partnerOwesMinor })
        .toEqual({ id: l.bookingId, ...expected.get(l.bookingId)! });
    }
  });
});
