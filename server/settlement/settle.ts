/**
 * Settling a month: set-based SQL (INSERT … SELECT), one idempotent chunk of partnerships per transaction, the
 * operation the settlement workflow's activities call (and the benchmark times).
 *
 * - Plan: the partnerships with something to settle — fulfilled partner bookings starting in the month (in the
 *   institution's time zone), an existing statement for the month (to rebuild or drop), or an issued earlier statement
 *   (adjustments).
 * - Chunk (one transaction, READ COMMITTED so reading bookings takes no locks that would hold up bookings): lock the
 *   partnerships, make sure their statements for the month exist, and for each DRAFT statement delete its lines and
 *   insert them again from the bookings — so a rerun (or a retried activity after a killed worker) yields identical
 *   drafts and the unique key (statement, booking, kind) rules out duplicates. Issued and paid statements are skipped,
 *   never rewritten. A draft left without lines is deleted.
 * - Adjustments: a booking of an issued statement of an EARLIER month that changed after the statement was built or
 *   issued (found from booking_events: cancelled late, no-show corrected, fulfilled later, price/service corrected,
 *   moved) gets an adjustment line in this month's draft: what it earns now (0 when it no longer starts in an issued
 *   month) − what issued and paid statements already settled for it, per amount. The event is only a trigger: the
 *   delta itself is exact, so an event that changed nothing adds nothing, and one adjustment per booking sits in at
 *   most one draft at a time.
 */
import { and, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { bookings, organisations, partnerships, settlementLines, settlementStatements } from '../../db/schema';
import { commissionCurrencySql, commissionSql } from '../domain/commission';
import { monthBounds } from './months';

/** How far before a statement's build/issue time booking events are re-examined (covers transactions in flight). */
const EVENT_MARGIN_SECONDS = 300;

export interface SettlementScope { institutionId: number; month: string; timeZone: string; from: Date; to: Date }

export interface SettlementPlan extends SettlementScope { partnershipIds: number[] }

export interface ChunkResult {
  /** Draft statements of these partnerships after the chunk. */
  statements: number;
  /** Lines of those drafts (booking + adjustment). */
  lines: number;
  adjustments: number;
  /** Partnerships whose statement for the month is already issued or paid (left untouched). */
  frozen: number;
}

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Executor, q: SQL): Promise<T[]> {
  const [result] = await db.execute(q) as unknown as [T[]];
  return result;
}

async function affected(db: Executor, q: SQL): Promise<number> {
  const [result] = await db.execute(q) as unknown as [{ affectedRows: number }];
  return result.affectedRows;
}

export async function institutionTimeZone(db: Executor, institutionId: number): Promise<string | null> {
  const [org] = await db.select({ timeZone: organisations.timeZone }).from(organisations)
    .where(and(eq(organisations.id, institutionId), eq(organisations.isInstitution, true)));
  return org?.timeZone ?? null;
}

export async function settlementScope(db: Executor, institutionId: number, month: string): Promise<SettlementScope> {
  const timeZone = await institutionTimeZone(db, institutionId);
  if (!timeZone) throw new Error(`institution ${institutionId} not found`);
  return { institutionId, month, timeZone, ...monthBounds(month, timeZone) };
}

/** The partnerships a settlement of the month has to look at, in ID order. */
export async function planSettlement(db: Executor, institutionId: number, month: string): Promise<SettlementPlan> {
  const scope = await settlementScope(db, institutionId, month);
  const found = await rows<{ id: number }>(db, sql`
    SELECT DISTINCT ${bookings.partnershipId} AS id FROM ${bookings}
     WHERE ${bookings.institutionId} = ${institutionId} AND ${bookings.startsAt} >= ${scope.from} AND ${bookings.startsAt} < ${scope.to}
       AND ${bookings.status} = 'fulfilled' AND ${bookings.partnershipId} IS NOT NULL
    UNION
    SELECT ${settlementStatements.partnershipId} FROM ${settlementStatements}
     WHERE ${settlementStatements.institutionId} = ${institutionId}
       AND (${settlementStatements.month} = ${month} OR (${settlementStatements.month} < ${month} AND ${settlementStatements.status} IN ('issued', 'paid')))`);
  const partnershipIds = [...new Set(found.map((r) => Number(r.id)))].sort((a, b) => a - b);
  return { ...scope, partnershipIds };
}

/**
 * The amounts of a line from a row exposing `pl` (payment location), `cm`/`cc` (commission and its currency),
 * `price_minor` and `currency` — the SQL twin of amounts.ts's lineAmounts().
 */
const institutionOwes = (x: string) => sql.raw(`(CASE WHEN ${x}.pl = 'institution' OR ${x}.cc <> ${x}.currency THEN ${x}.cm ELSE 0 END)`);
const partnerOwes = (x: string) => sql.raw(`(CASE WHEN ${x}.pl = 'partner' THEN ${x}.price_minor - (CASE WHEN ${x}.cc = ${x}.currency THEN ${x}.cm ELSE 0 END) ELSE 0 END)`);

/** Booking columns of a line, with the commission computed once by the one SQL implementation. */
const bookingLineColumns = sql`${bookings.id} AS id, ${bookings.partnershipId} AS partnership_id, ${bookings.status} AS status,
  ${bookings.startsAt} AS starts_at, ${bookings.serviceId} AS service_id, ${bookings.priceMinor} AS price_minor,
  ${bookings.currency} AS currency, COALESCE(${bookings.paymentLocation}, 'institution') AS pl,
  ${bookings.commissionType} AS commission_type, ${bookings.commissionValue} AS commission_value,
  ${commissionSql(bookings)} AS cm, ${commissionCurrencySql(bookings)} AS cc`;

const LINE_COLUMNS = sql.raw(`(statement_id, booking_id, kind, starts_at, service_id, price_minor, currency, payment_location,
  commission_type, commission_value, commission_minor, commission_currency, institution_owes_minor, partner_owes_minor, note)`);

/**
 * Settles a chunk of partnerships for the scope's month in one transaction. Idempotent: running it again (a rerun, or
 * a retry after a crash before or after the commit) leaves the same drafts.
 */
export async function settleChunk(db: Db, scope: SettlementScope, partnershipIds: number[], runId: number | null = null): Promise<ChunkResult> {
  const result: ChunkResult = { statements: 0, lines: 0, adjustments: 0, frozen: 0 };
  if (!partnershipIds.length) return result;
  return db.transaction(async (tx) => {
    // Serialises settlements touching these partnerships (another month's run placing adjustments, a concurrent rerun).
    const own = await tx.select({ id: partnerships.id }).from(partnerships)
      .where(and(inArray(partnerships.id, partnershipIds), eq(partnerships.institutionId, scope.institutionId)))
      .orderBy(partnerships.id).for('update');
    const ids = own.map((p) => p.id);
    if (!ids.length) return result;

    await tx.insert(settlementStatements)
      .values(ids.map((partnershipId) => ({ institutionId: scope.institutionId, partnershipId, month: scope.month, lastRunId: runId })))
      .onDuplicateKeyUpdate({ set: { lastRunId: sql`IF(${settlementStatements.status} = 'draft', VALUES(${settlementStatements.lastRunId}), ${settlementStatements.lastRunId})` } });
    const statements = await tx.select({ id: settlementStatements.id, partnershipId: settlementStatements.partnershipId, status: settlementStatements.status })
      .from(settlementStatements)
      .where(and(eq(settlementStatements.institutionId, scope.institutionId), eq(settlementStatements.month, scope.month), inArray(settlementStatements.partnershipId, ids)))
      .for('update');
    const drafts = statements.filter((s) => s.status === 'draft');
    result.frozen = statements.length - drafts.length;
    if (!drafts.length) return result;
    const draftIds = drafts.map((s) => s.id);
    const draftPartnerships = drafts.map((s) => s.partnershipId);

    await tx.delete(settlementLines).where(inArray(settlementLines.statementId, draftIds));
    // The build time: events after it (minus a margin) are re-examined once the statement is issued.
    await tx.update(settlementStatements).set({ updatedAt: sql`CURRENT_TIMESTAMP(3)` }).where(inArray(settlementStatements.id, draftIds));

    result.lines = await affected(tx, sql`
      INSERT INTO ${settlementLines} ${LINE_COLUMNS}
      SELECT s.id, x.id, 'booking', x.starts_at, x.service_id, x.price_minor, x.currency, x.pl, x.commission_type, x.commission_value,
             x.cm, x.cc, ${institutionOwes('x')}, ${partnerOwes('x')}, NULL
        FROM (SELECT ${bookingLineColumns} FROM ${bookings}
               WHERE ${bookings.partnershipId} IN ${draftPartnerships} AND ${bookings.startsAt} >= ${scope.from} AND ${bookings.startsAt} < ${scope.to}
                 AND ${bookings.status} = 'fulfilled' AND ${bookings.institutionId} = ${scope.institutionId}) x
        JOIN ${settlementStatements} s ON s.partnership_id = x.partnership_id AND s.id IN ${draftIds}`);

    result.adjustments = await insertAdjustments(tx, scope, drafts);
    result.lines += result.adjustments;

    // A draft with nothing on it (its bookings were cancelled before issue, say) does not exist.
    await affected(tx, sql`DELETE FROM ${settlementStatements} WHERE ${settlementStatements.id} IN ${draftIds}
      AND NOT EXISTS (SELECT 1 FROM ${settlementLines} WHERE ${settlementLines.statementId} = ${settlementStatements.id})`);
    const [kept] = await rows<{ n: number }>(tx, sql`SELECT COUNT(*) AS n FROM ${settlementStatements} WHERE ${settlementStatements.id} IN ${draftIds}`);
    result.statements = Number(kept.n);
    return result;
  }, { isolationLevel: 'read committed' });
}

async function insertAdjustments(tx: Executor, scope: SettlementScope, drafts: { id: number; partnershipId: number }[]): Promise<number> {
  const partnershipIds = drafts.map((d) => d.partnershipId);
  const issued = await tx.select({
    id: settlementStatements.id, partnershipId: settlementStatements.partnershipId, month: settlementStatements.month,
    since: sql<string | Date>`LEAST(COALESCE(${settlementStatements.issuedAt}, ${settlementStatements.updatedAt}), ${settlementStatements.updatedAt}) - INTERVAL ${sql.raw(String(EVENT_MARGIN_SECONDS))} SECOND`,
  }).from(settlementStatements)
    .where(and(
      eq(settlementStatements.institutionId, scope.institutionId), inArray(settlementStatements.partnershipId, partnershipIds),
      lt(settlementStatements.month, scope.month), inArray(settlementStatements.status, ['issued', 'paid']),
    ));
  if (!issued.length) return 0;
  const bounds = issued.map((s) => ({ ...s, since: dbDate(s.since), ...monthBounds(s.month, scope.timeZone) }));
  const minSince = new Date(Math.min(...bounds.map((s) => s.since.getTime())));
  const issuedTable = sql.join(bounds.map((b, i) => (i === 0
    ? sql`SELECT ${b.id} AS sid, ${b.partnershipId} AS pid, ${b.from} AS from_at, ${b.to} AS to_at, ${b.since} AS since`
    : sql`SELECT ${b.id}, ${b.partnershipId}, ${b.from}, ${b.to}, ${b.since}`)), sql` UNION ALL `);

  // Candidates, driven by the events after the earliest build/issue time (few): bookings now starting in an issued
  // month of their partnership and changed after it was built or issued, and bookings on an issued statement's lines
  // changed after that (e.g. moved out of the month).
  const candidates = await rows<{ id: number; partnership_id: number; starts_at: Date | string }>(tx, sql`
    SELECT b.id, b.partnership_id, b.starts_at FROM (
      SELECT e.booking_id FROM booking_events e
        JOIN ${bookings} bb ON bb.id = e.booking_id
        JOIN (${issuedTable}) i ON i.pid = bb.partnership_id AND bb.starts_at >= i.from_at AND bb.starts_at < i.to_at AND e.created_at > i.since
       WHERE e.institution_id = ${scope.institutionId} AND e.created_at > ${minSince}
      UNION
      SELECT e.booking_id FROM booking_events e
        JOIN ${settlementLines} l ON l.booking_id = e.booking_id
        JOIN (${issuedTable}) i ON i.sid = l.statement_id AND e.created_at > i.since
       WHERE e.institution_id = ${scope.institutionId} AND e.created_at > ${minSince}) c
    JOIN ${bookings} b ON b.id = c.booking_id`);
  if (!candidates.length) return 0;

  // What a candidate earns now: its amounts when it still starts in an issued month (< this one) of its partnership,
  // else nothing (its own month's statement settles it).
  const inIssued = candidates.filter((c) => {
    const at = dbDate(c.starts_at).getTime();
    return bounds.some((b) => b.partnershipId === Number(c.partnership_id) && at >= b.from.getTime() && at < b.to.getTime());
  }).map((c) => Number(c.id));
  const candidateIds = candidates.map((c) => Number(c.id));
  const draftIds = drafts.map((d) => d.id);
  const earnsNow = (alias: string) => (inIssued.length ? sql`${sql.raw(alias)}.id IN ${inIssued}` : sql`FALSE`);

  return affected(tx, sql`
    INSERT INTO ${settlementLines} ${LINE_COLUMNS}
    SELECT d.id, x.id, 'adjustment', x.starts_at, x.service_id, x.price_minor, x.currency, x.pl, x.commission_type, x.commission_value,
           x.cm_now - COALESCE(st.cm, 0), x.cc, x.io_now - COALESCE(st.io, 0), x.po_now - COALESCE(st.po, 0),
           CASE WHEN NOT (${earnsNow('x')}) THEN 'moved'
                WHEN x.status = 'cancelled' THEN 'cancelled'
                WHEN x.status = 'noshow' THEN 'noshow'
                WHEN x.status = 'fulfilled' AND COALESCE(st.cm, 0) = 0 AND COALESCE(st.io, 0) = 0 AND COALESCE(st.po, 0) = 0 THEN 'fulfilled'
                WHEN x.status = 'fulfilled' THEN 'corrected'
                ELSE 'status_changed' END
      FROM (SELECT y.*,
                   -- Only a fulfilled booking owes anything (a cancelled paid-at-partner booking owes no price).
                   CASE WHEN ${earnsNow('y')} AND y.status = 'fulfilled' THEN y.cm ELSE 0 END AS cm_now,
                   CASE WHEN ${earnsNow('y')} AND y.status = 'fulfilled' THEN ${institutionOwes('y')} ELSE 0 END AS io_now,
                   CASE WHEN ${earnsNow('y')} AND y.status = 'fulfilled' THEN ${partnerOwes('y')} ELSE 0 END AS po_now
              FROM (SELECT ${bookingLineColumns} FROM ${bookings} WHERE ${bookings.id} IN ${candidateIds}) y) x
      JOIN ${settlementStatements} d ON d.partnership_id = x.partnership_id AND d.id IN ${draftIds}
      LEFT JOIN (SELECT l.booking_id, SUM(l.commission_minor) AS cm, SUM(l.institution_owes_minor) AS io, SUM(l.partner_owes_minor) AS po
                   FROM ${settlementLines} l JOIN ${settlementStatements} s ON s.id = l.statement_id
                  WHERE l.booking_id IN ${candidateIds} AND s.status IN ('issued', 'paid')
                  GROUP BY l.booking_id) st ON st.booking_id = x.id
     WHERE (x.cm_now <> COALESCE(st.cm, 0) OR x.io_now <> COALESCE(st.io, 0) OR x.po_now <> COALESCE(st.po, 0))
       AND NOT EXISTS (SELECT 1 FROM ${settlementLines} l2 JOIN ${settlementStatements} s2 ON s2.id = l2.statement_id
                        WHERE l2.booking_id = x.id AND l2.kind = 'adjustment' AND s2.status = 'draft' AND s2.id <> d.id)`);
}

/** Settles a whole month in chunks (what the workflow does activity by activity); for tests, benchmarks and tools. */
export async function settleMonth(db: Db, institutionId: number, month: string, opts: { chunkSize?: number; runId?: number | null } = {}) {
  const plan = await planSettlement(db, institutionId, month);
  const total: ChunkResult = { statements: 0, lines: 0, adjustments: 0, frozen: 0 };
  for (const chunk of chunks(plan.partnershipIds, opts.chunkSize ?? SETTLEMENT_CHUNK_SIZE)) {
    const r = await settleChunk(db, plan, chunk, opts.runId ?? null);
    total.statements += r.statements; total.lines += r.lines; total.adjustments += r.adjustments; total.frozen += r.frozen;
  }
  return { plan, ...total };
}

/** Partnerships per chunk (one transaction, one activity). */
export const SETTLEMENT_CHUNK_SIZE = 10;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A DATETIME from a raw query: drizzle's mysql2 driver hands them over as UTC strings ('YYYY-MM-DD HH:MM:SS.mmm'). */
export function dbDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);
}
