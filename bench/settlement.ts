/**
 * `npm run bench:settlement`: the monthly commission settlement with 1,000,000 bookings in the table.
 *
 * A scratch database gets one institution (Europe/Bucharest) with 20 physicians, 6 services and 50 partner
 * organisations with active partnerships (percent rules paid at the institution, fixed RON rules paid at the partner,
 * a few fixed EUR rules on RON prices), and 1,000,000 bookings over 12 months: in the settled month (the month before
 * the current one, in the institution's zone) exactly 100,000 fulfilled partner bookings spread over the 50 partners,
 * plus cancelled, no-show and non-partner ones; the other months a mix. The month before it is settled and issued
 * first, then 1,000 of its bookings change (late cancellations, price corrections), so the timed settlement also
 * finds adjustments. Then, in the same run:
 *
 * - settle_s: the month settled end to end through the operation the workflow's activities call (plan + chunks of 10
 *   partnerships, each one INSERT … SELECT transaction), on an empty month; `rerun_s`: the same again (idempotent
 *   rebuild of the drafts: delete + re-insert);
 * - workflow_s: the same month through the real Settlement workflow on a Temporal server when one answers
 *   (TEMPORAL_ADDRESS, else 127.0.0.1:7233, else the test server on 127.0.0.1:7299; null otherwise);
 * - raw_sum_s: one bare SQL query summing that month's commission per partner (the floor), whose figures must equal
 *   the statements' totals.
 *
 * Statistics figures (stats_p95_ms, csv_rows_per_s) are added on the same data by `measureStatistics` of
 * bench/statistics-hooks.ts when that module exists (null otherwise); `loadSettlementBench` is exported for reuse.
 * BENCH_BOOKINGS (default 1000000) and BENCH_MONTH_BOOKINGS (default 100000) change the size for a quick try.
 * Last line: one JSON object.
 */
import mysql from 'mysql2/promise';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Db } from '../db/client';
import {
  bookingEvents, bookings, locations, organisations, partnerships, physicians, qualifications, services, settlementLines,
  settlementStatements, users,
} from '../db/schema';
import { commissionCurrencySql, commissionSql } from '../server/domain/commission';
import { monthBounds, nextMonth, previousMonth, monthOf } from '../server/settlement/months';
import { settleMonth } from '../server/settlement/settle';
import { settlementWorkflowId } from '../server/workflow-outbox';
import { createActivities } from '../workflows/activities';
import { isReachable } from '../scripts/net';
import { machineNote, performance, runBench, TZ } from './lib';

const TOTAL = Number(process.env.BENCH_BOOKINGS ?? 1_000_000);
const MONTH_FULFILLED = Number(process.env.BENCH_MONTH_BOOKINGS ?? 100_000);
const PARTNERS = 50;
const PHYSICIANS = 20;
const MONTHS = 12;
const LATE_CHANGES = 1_000;

export interface SettlementBenchData {
  db: Db;
  url: string;
  institutionId: number;
  /** An institution administrator (no password: sign in with a session made by createSession). */
  adminUserId: number;
  partnershipIds: number[];
  /** The settled month ('YYYY-MM') and the one before it (issued, with late changes). */
  month: string;
  previousMonth: string;
  bookings: number;
  monthFulfilled: number;
}

const fmt = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

/** Fills the scratch database (see the header); returns what the measurements need. */
export async function loadSettlementBench(db: Db, url: string, now = new Date()): Promise<SettlementBenchData> {
  const started = performance.now();
  const month = previousMonth(monthOf(now, TZ));
  const [inst] = await db.insert(organisations).values({
    name: 'Bench Clinic SRL', country: 'RO', taxNumber: '18547290', registrationNumber: 'J12/1/2020', address: 'Str. Bench 1, Cluj-Napoca',
    isInstitution: true, currency: 'RON', timeZone: TZ,
  }).$returningId();
  const [admin] = await db.insert(users).values({
    organisationId: inst.id, email: 'admin@bench-clinic.test', name: 'Bench Admin', role: 'admin', status: 'active', passwordHash: null, locale: 'en',
  }).$returningId();
  const [loc] = await db.insert(locations).values({ organisationId: inst.id, name: 'Bench Central', address: 'Str. Bench 1', timeZone: TZ }).$returningId();
  const [qual] = await db.insert(qualifications).values({ organisationId: inst.id, name: 'Bench qualification' }).$returningId();
  const serviceIds: number[] = [];
  for (let s = 0; s < 6; s++) {
    const [svc] = await db.insert(services).values({
      organisationId: inst.id, qualificationId: qual.id, name: `Bench service ${s}`, durationMinutes: 30, priceMinor: 10_000 + s * 7_533, currency: 'RON',
    }).$returningId();
    serviceIds.push(svc.id);
  }
  const physicianIds: number[] = [];
  for (let i = 0; i < PHYSICIANS; i++) physicianIds.push((await db.insert(physicians).values({ organisationId: inst.id, name: `Dr. Bench ${i}` }).$returningId())[0].id);
  type Rule = { type: 'percent' | 'fixed'; value: number; currency: string | null; location: 'institution' | 'partner' };
  const rules: Rule[] = [];
  const partnershipIds: number[] = [];
  for (let p = 0; p < PARTNERS; p++) {
    const [org] = await db.insert(organisations).values({
      name: `Bench Partner ${String(p).padStart(2, '0')} SRL`, country: 'RO', taxNumber: `BP${p}`, registrationNumber: `J12/${p}/2021`, address: 'Str. Partner 2',
    }).$returningId();
    const rule: Rule = p % 10 === 9 ? { type: 'fixed', value: 500, currency: 'EUR', location: 'partner' }
      : p % 2 === 0 ? { type: 'percent', value: 1_000 + p * 25, currency: null, location: 'institution' }
        : { type: 'fixed', value: 2_500, currency: 'RON', location: 'partner' };
    const [ps] = await db.insert(partnerships).values({
      institutionId: inst.id, partnerOrganisationId: org.id, status: 'active', contactName: `Contact ${p}`, contactEmail: `contact${p}@bench-partner.test`,
      contactPhone: '+40 264 000 000', commissionType: rule.type, commissionValue: rule.value, commissionCurrency: rule.currency, paymentLocation: rule.location,
      invitedAt: new Date(), acceptedAt: new Date(),
    }).$returningId();
    rules.push(rule);
    partnershipIds.push(ps.id);
  }

  // Months: the settled one, the one before it, and the rest of a 12-month window around them.
  const months = [month];
  for (let m = previousMonth(month), i = 0; i < MONTHS - 2; i++, m = previousMonth(m)) months.push(m);
  months.push(nextMonth(month));
  const monthOthers = Math.round(MONTH_FULFILLED * 0.2); // cancelled / no-show partner bookings and non-partner ones
  const perOtherMonth = Math.ceil((TOTAL - MONTH_FULFILLED - monthOthers) / (months.length - 1));
  let seed = 4242;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };

  function* rows(): Generator<string> {
    let made = 0;
    for (const [mi, m] of months.entries()) {
      const { from, to } = monthBounds(m, TZ);
      const span = to.getTime() - from.getTime() - 3_600_000;
      const count = mi === 0 ? MONTH_FULFILLED + monthOthers : Math.min(perOtherMonth, TOTAL - made);
      for (let i = 0; i < count && made < TOTAL; i++, made++) {
        const start = new Date(from.getTime() + Math.floor((i / count) * span / 60_000) * 60_000);
        let status: string;
        let partner: number | null;
        if (mi === 0) {
          // Exactly MONTH_FULFILLED fulfilled partner bookings, evenly over the partners; then the others.
          if (i < MONTH_FULFILLED) { status = 'fulfilled'; partner = i % PARTNERS; } else {
            const k = i - MONTH_FULFILLED;
            status = k % 4 === 0 ? 'cancelled' : k % 4 === 1 ? 'noshow' : 'fulfilled';
            partner = k % 4 < 2 ? k % PARTNERS : null;
          }
        } else {
          const r = rnd(100);
          status = m > month ? (r < 10 ? 'cancelled' : 'booked') : r < 4 ? 'cancelled' : r < 7 ? 'noshow' : 'fulfilled';
          partner = rnd(3) === 0 ? null : rnd(PARTNERS);
        }
        const svc = rnd(serviceIds.length);
        const price = 10_000 + svc * 7_533 + (partner !== null && partner % 7 === 0 ? 1 : 0); // odd prices: halves to round
        const end = new Date(start.getTime() + 30 * 60_000);
        const common = `${inst.id},${loc.id},${physicianIds[i % PHYSICIANS]},${serviceIds[svc]},'${fmt(start)}','${fmt(end)}','${status}'`;
        if (partner === null) {
          yield `(${common},'payment_upon_examination','phone',NULL,${price},'RON','none',0,NULL,NULL,${status === 'cancelled' ? `'${fmt(start)}'` : 'NULL'})`;
        } else {
          const rule = rules[partner];
          yield `(${common},'${rule.location === 'partner' ? 'paid_at_partner' : 'payment_upon_examination'}','partner',${partnershipIds[partner]},${price},'RON',`
            + `'${rule.type}',${rule.value},${rule.currency ? `'${rule.currency}'` : 'NULL'},'${rule.location}',${status === 'cancelled' ? `'${fmt(start)}'` : 'NULL'})`;
        }
      }
    }
  }

  const head = 'INSERT INTO bookings (institution_id,location_id,physician_id,service_id,starts_at,ends_at,status,payment_status,'
    + 'source_channel,partnership_id,price_minor,currency,commission_type,commission_value,commission_currency,payment_location,cancelled_at) VALUES ';
  const source = rows();
  const nextBatch = () => {
    const batch: string[] = [];
    for (let r = source.next(); !r.done; r = source.next()) { batch.push(r.value); if (batch.length === 5_000) break; }
    return batch;
  };
  let loaded = 0;
  const loader = async () => {
    const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
    try {
      await conn.query("SET time_zone = '+00:00', foreign_key_checks = 0, unique_checks = 0");
      for (let batch = nextBatch(); batch.length; batch = nextBatch()) { await conn.query(head + batch.join(',')); loaded += batch.length; }
    } finally { await conn.end(); }
  };
  await Promise.all([loader(), loader()]);
  const conn = await mysql.createConnection({ uri: url, timezone: 'Z' });
  await conn.query('ANALYZE TABLE bookings');
  await conn.end();
  console.log(`loaded ${loaded.toLocaleString('en')} bookings (${months[months.length - 2]} … ${months.at(-1)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The month before: settled and issued, then some of its bookings change (recorded as booking events).
  const before = previousMonth(month);
  await settleMonth(db, inst.id, before);
  const issuedAt = new Date(now.getTime() - 86_400_000);
  await db.update(settlementStatements).set({ status: 'issued', issuedAt, issuedByUserId: admin.id, updatedAt: new Date(issuedAt.getTime() - 60_000) })
    .where(and(eq(settlementStatements.institutionId, inst.id), eq(settlementStatements.month, before)));
  const { from, to } = monthBounds(before, TZ);
  const changed = await db.select({ id: bookings.id, status: bookings.status, priceMinor: bookings.priceMinor }).from(bookings)
    .where(and(eq(bookings.institutionId, inst.id), sql`${bookings.startsAt} >= ${from} AND ${bookings.startsAt} < ${to}`,
      eq(bookings.status, 'fulfilled'), sql`${bookings.partnershipId} IS NOT NULL`)).limit(LATE_CHANGES);
  const cancelIds = changed.filter((_, i) => i % 2 === 0).map((c) => c.id);
  const repriceIds = changed.filter((_, i) => i % 2 === 1).map((c) => c.id);
  if (cancelIds.length) await db.update(bookings).set({ status: 'cancelled', cancelledAt: now }).where(inArray(bookings.id, cancelIds));
  if (repriceIds.length) await db.update(bookings).set({ priceMinor: sql`${bookings.priceMinor} + 1234` }).where(inArray(bookings.id, repriceIds));
  await db.insert(bookingEvents).values(changed.map((c, i) => ({
    bookingId: c.id, institutionId: inst.id, type: i % 2 === 0 ? 'cancelled' as const : 'service_changed' as const, actorKind: 'user' as const, at: now,
  })));
  console.log(`${before}: settled and issued, then ${changed.length} of its bookings changed (late cancellations, price corrections)`);

  return { db, url, institutionId: inst.id, adminUserId: admin.id, partnershipIds, month, previousMonth: before, bookings: loaded, monthFulfilled: MONTH_FULFILLED };
}

/** One bare SQL query: the month's commission per partner and currency (the floor). */
export async function rawMonthlySum(data: SettlementBenchData) {
  const { from, to } = monthBounds(data.month, TZ);
  const t = performance.now();
  const rows = await data.db.select({
    partnershipId: bookings.partnershipId, currency: commissionCurrencySql(bookings), commission: sql<string>`SUM(${commissionSql(bookings)})`,
  }).from(bookings)
    .where(and(eq(bookings.institutionId, data.institutionId), sql`${bookings.startsAt} >= ${from} AND ${bookings.startsAt} < ${to}`,
      eq(bookings.status, 'fulfilled'), sql`${bookings.partnershipId} IS NOT NULL`))
    .groupBy(bookings.partnershipId, commissionCurrencySql(bookings));
  return { seconds: (performance.now() - t) / 1000, rows };
}

/** The statements' booking lines summed the same way (to check the settlement against the floor). */
async function settledSums(data: SettlementBenchData) {
  return data.db.select({
    partnershipId: settlementStatements.partnershipId, currency: settlementLines.commissionCurrency, commission: sql<string>`SUM(${settlementLines.commissionMinor})`,
  }).from(settlementLines).innerJoin(settlementStatements, eq(settlementStatements.id, settlementLines.statementId))
    .where(and(eq(settlementStatements.institutionId, data.institutionId), eq(settlementStatements.month, data.month), eq(settlementLines.kind, 'booking')))
    .groupBy(settlementStatements.partnershipId, settlementLines.commissionCurrency);
}

async function temporalAddress(): Promise<string | null> {
  for (const address of [process.env.TEMPORAL_ADDRESS, '127.0.0.1:7233', '127.0.0.1:7299']) {
    if (address && await isReachable(address)) return address;
  }
  return null;
}

/** The month through the real Settlement workflow (worker in this process, real activities). Seconds, or null. */
async function settleThroughWorkflow(data: SettlementBenchData): Promise<number | null> {
  const address = await temporalAddress();
  if (!address) { console.log('workflow: no Temporal server answers, skipped'); return null; }
  const { code } = await bundleWorkflowCode({ workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never });
  const taskQueue = `bench-settlement-${Date.now()}`;
  const native = await NativeConnection.connect({ address });
  const mailer = { send: async () => undefined, close: () => undefined } as never;
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: { code }, activities: createActivities({ db: data.db, mailer, appUrl: 'http://bench', appSecret: 'x'.repeat(32) }) });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const t = performance.now();
    await worker.runUntil(client.workflow.execute('settlement', {
      taskQueue, workflowId: `${settlementWorkflowId(data.institutionId, data.month)}-bench-${Date.now()}`,
      args: [{ institutionId: data.institutionId, month: data.month, trigger: 'manual' }],
    }));
    return (performance.now() - t) / 1000;
  } finally {
    await connection.close();
    await native.close();
  }
}

async function statisticsFigures(data: SettlementBenchData): Promise<{ stats_p95_ms: number | null; csv_rows_per_s: number | null }> {
  // The statistics benchmark's measurements on the same data, when that module is there.
  const specifier = './statistics-hooks';
  const hooks = await import(specifier).catch(() => null) as null | { measureStatistics?: (o: { db: Db; url: string; institutionId: number; adminUserId: number; month: string }) => Promise<{ stats_p95_ms: number; csv_rows_per_s: number }> };
  if (!hooks?.measureStatistics || process.env.BENCH_STATS === '0') return { stats_p95_ms: null, csv_rows_per_s: null };
  const r = await hooks.measureStatistics({ db: data.db, url: data.url, institutionId: data.institutionId, adminUserId: data.adminUserId, month: data.month });
  return { stats_p95_ms: r.stats_p95_ms, csv_rows_per_s: r.csv_rows_per_s };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  await runBench('bench_settlement', async ({ url, database }) => {
    const data = await loadSettlementBench(database.db, url);
    const [[{ n: inTable }]] = await database.pool.query('SELECT COUNT(*) AS n FROM bookings') as unknown as [[{ n: number }]];

    let t = performance.now();
    const first = await settleMonth(data.db, data.institutionId, data.month);
    const settleS = (performance.now() - t) / 1000;
    t = performance.now();
    const again = await settleMonth(data.db, data.institutionId, data.month);
    const rerunS = (performance.now() - t) / 1000;
    const raw = await rawMonthlySum(data);

    // The settlement must agree with the floor, partner by partner and currency by currency.
    const key = (r: { partnershipId: number | null; currency: string; commission: string }) => `${r.partnershipId}:${r.currency}:${Number(r.commission)}`;
    const settled = (await settledSums(data)).map(key).sort();
    const floor = raw.rows.map(key).sort();
    if (JSON.stringify(settled) !== JSON.stringify(floor)) throw new Error(`settled sums differ from the raw sums:\n${settled.slice(0, 5).join('\n')}\nvs\n${floor.slice(0, 5).join('\n')}`);
    if (again.lines !== first.lines || again.statements !== first.statements) throw new Error('the rerun differs from the first run');

    const workflowS = await settleThroughWorkflow(data);
    const stats = await statisticsFigures(data);

    console.log(`\n${Number(inTable).toLocaleString('en')} bookings in the table; ${data.month}: ${data.monthFulfilled.toLocaleString('en')} fulfilled partner bookings, ${PARTNERS} partners`);
    console.log(`settle (plan + ${Math.ceil(first.plan.partnershipIds.length / 10)} chunks): ${settleS.toFixed(2)} s → ${first.statements} statements, ${first.lines.toLocaleString('en')} lines (${first.adjustments} adjustments)`);
    console.log(`rerun (identical drafts):       ${rerunS.toFixed(2)} s`);
    console.log(`through the workflow:           ${workflowS === null ? 'skipped' : `${workflowS.toFixed(2)} s`}`);
    console.log(`floor: one SUM per partner:     ${raw.seconds.toFixed(2)} s (${raw.rows.length} partner × currency rows; equal to the statements' booking lines)`);
    console.log(`machine: ${machineNote()}`);
    console.log(`goal settle ≤ 5 s: ${settleS <= 5 ? 'met' : 'NOT met'} (${(settleS / raw.seconds).toFixed(1)}× the floor)`);
    console.log(JSON.stringify({
      bench: 'settlement', bookings: Number(inTable), month_bookings: data.monthFulfilled, settle_s: round(settleS), raw_sum_s: round(raw.seconds),
      rerun_s: round(rerunS), workflow_s: workflowS === null ? null : round(workflowS), statements: first.statements, lines: first.lines,
      adjustments: first.adjustments, ...stats,
    }));
  });
}

function round(s: number) { return Math.round(s * 1000) / 1000; }
