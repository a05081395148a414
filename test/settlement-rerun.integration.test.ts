/**
 * The operator's settlement re-run (scripts/settlement-rerun.ts, README "Operations") against the real MariaDB and
 * Temporal: last month of the demo's second institution is settled, then re-run, and the statements come out identical;
 * the run is recorded without a user and audited as an operator's; the current month and a bad argument are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { startHarness, type Harness } from './harness';
import { auditLog, organisations, settlementLines, settlementRuns, settlementStatements, users } from '../db/schema';
import { parseRerunArgs, rerunSettlement } from '../scripts/settlement-rerun';
import { monthOf, previousMonth } from '../server/settlement/months';
import { DomainError } from '../server/errors';

let h: Harness;
let institutionId: number;
let month: string;
let timeZone: string;

beforeAll(async () => {
  h = await startHarness();
  const [admin] = await h.database.db.select().from(users).where(eq(users.email, 'admin@centrul-napoca.ro'));
  const [org] = await h.database.db.select().from(organisations).where(eq(organisations.id, admin.organisationId));
  institutionId = org.id;
  timeZone = org.timeZone;
  month = previousMonth(monthOf(new Date(), timeZone));
});
afterAll(async () => { await h?.close(); });

const deps = () => ({ db: h.database.db, workflows: h.workflows });

async function statementsOfMonth() {
  const rows = await h.database.db.select({
    partnershipId: settlementStatements.partnershipId, status: settlementStatements.status, bookingId: settlementLines.bookingId,
    kind: settlementLines.kind, commissionMinor: settlementLines.commissionMinor,
  }).from(settlementStatements)
    .innerJoin(settlementLines, eq(settlementLines.statementId, settlementStatements.id))
    .where(and(eq(settlementStatements.institutionId, institutionId), eq(settlementStatements.month, month)))
    .orderBy(asc(settlementStatements.partnershipId), asc(settlementLines.bookingId), asc(settlementLines.kind));
  return rows;
}

describe('npm run settlement:rerun', () => {
  it('reads its arguments and refuses bad ones with the usage', () => {
    expect(parseRerunArgs(['--institution', '4', '--month', '2026-10'])).toEqual({ institutionId: 4, month: '2026-10', wait: true });
    expect(parseRerunArgs(['--institution=4', '--month=2026-10', '--no-wait'])).toEqual({ institutionId: 4, month: '2026-10', wait: false });
    expect(() => parseRerunArgs(['--institution', '4'])).toThrow(/--month must be YYYY-MM/);
    expect(() => parseRerunArgs(['--institution', 'x', '--month', '2026-10'])).toThrow(/--institution/);
    expect(() => parseRerunArgs(['--month', '2026-13', '--institution', '4'])).toThrow(/--month/);
    expect(() => parseRerunArgs(['--force'])).toThrow(/unknown argument "--force"/);
  });

  it('settles last month, re-runs it with identical statements, and records an operator\'s run', async () => {
    const first = await rerunSettlement(deps(), { institutionId, month, wait: true });
    expect(first.workflowId).toBe(`settlement:${institutionId}:${month}`);
    expect(first.status).toBe('completed');
    expect(first.progress).toMatchObject({ phase: 'completed', month });
    expect(first.progress!.statements).toBeGreaterThan(0);
    const before = await statementsOfMonth();
    expect(before.length).toBe(first.progress!.lines);

    const second = await rerunSettlement(deps(), { institutionId, month, wait: true });
    expect(second.settlementRunId).not.toBe(first.settlementRunId);
    expect(second.progress).toMatchObject({ phase: 'completed', statements: first.progress!.statements, lines: first.progress!.lines });
    expect(await statementsOfMonth()).toEqual(before);

    const runs = await h.database.db.select().from(settlementRuns).where(eq(settlementRuns.institutionId, institutionId));
    const mine = runs.filter((r) => r.id === first.settlementRunId || r.id === second.settlementRunId);
    expect(mine.map((r) => [r.trigger, r.status, r.startedByUserId])).toEqual([['manual', 'completed', null], ['manual', 'completed', null]]);
    const audits = await h.database.db.select().from(auditLog)
      .where(and(eq(auditLog.organisationId, institutionId), eq(auditLog.action, 'settlement.start')));
    expect(audits.filter((a) => a.actorUserId === null && (a.after as { operator?: boolean }).operator === true)).toHaveLength(2);
  });

  it('refuses the current month (it is not over) and an ID that is not an institution', async () => {
    const current = monthOf(new Date(), timeZone);
    await expect(rerunSettlement(deps(), { institutionId, month: current, wait: false })).rejects.toMatchObject({ key: 'settlement.month_not_past' });
    const [partnerAdmin] = await h.database.db.select().from(users).where(eq(users.email, 'admin@medplus-diagnostic.ro'));
    await expect(rerunSettlement(deps(), { institutionId: partnerAdmin.organisationId, month, wait: false })).rejects.toBeInstanceOf(DomainError);
  });
});
