/**
 * Commission statements: reading them (institution side: every status; partner side: issued and paid only), issuing
 * (draft → issued, queues the partner's emails), marking paid (issued → paid, with the date) and the CSV.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { stringify } from 'csv-stringify/sync';
import type { Executor } from '../../db/client';
import {
  emailOutbox, locations, organisations, partnerships, services, settlementLines, settlementStatements, users,
} from '../../db/schema';
import { DomainError } from '../errors';
import { AccessDenied } from '../authz';
import { writeAudit } from '../audit';
import { instantToLocal, todayIn } from '../domain/zoned-time';
import { minorDigits } from '../domain/commission';
import { enqueueSettlementIssued } from '../workflow-outbox';
import { statementTotals, type CurrencyTotals } from './amounts';

export type StatementStatus = 'draft' | 'issued' | 'paid';
/** Who reads: the institution (every status) or the partner organisation (issued and paid only). */
export type StatementReader = { side: 'institution'; organisationId: number } | { side: 'partner'; organisationId: number };

const VISIBLE_TO_PARTNER: StatementStatus[] = ['issued', 'paid'];

function readerFilter(reader: StatementReader) {
  return reader.side === 'institution'
    ? eq(settlementStatements.institutionId, reader.organisationId)
    : and(eq(partnerships.partnerOrganisationId, reader.organisationId), inArray(settlementStatements.status, VISIBLE_TO_PARTNER));
}

/** Totals per statement and currency, folded from one GROUP BY over the lines. */
async function totalsOf(db: Executor, statementIds: number[]): Promise<Map<number, CurrencyTotals[]>> {
  const out = new Map<number, CurrencyTotals[]>();
  if (!statementIds.length) return out;
  const groups = await db.select({
    statementId: settlementLines.statementId, currency: settlementLines.currency, commissionCurrency: settlementLines.commissionCurrency,
    commissionMinor: sql<string>`SUM(${settlementLines.commissionMinor})`, institutionOwesMinor: sql<string>`SUM(${settlementLines.institutionOwesMinor})`,
    partnerOwesMinor: sql<string>`SUM(${settlementLines.partnerOwesMinor})`, lines: sql<string>`COUNT(*)`,
  }).from(settlementLines).where(inArray(settlementLines.statementId, statementIds))
    .groupBy(settlementLines.statementId, settlementLines.currency, settlementLines.commissionCurrency);
  const by = new Map<number, typeof groups>();
  for (const g of groups) by.set(g.statementId, [...(by.get(g.statementId) ?? []), g]);
  for (const [id, gs] of by) {
    out.set(id, statementTotals(gs.map((g) => ({
      currency: g.currency, commissionCurrency: g.commissionCurrency, commissionMinor: Number(g.commissionMinor),
      institutionOwesMinor: Number(g.institutionOwesMinor), partnerOwesMinor: Number(g.partnerOwesMinor),
    }))));
  }
  return out;
}

/** Statement summaries: of one month (institution side), or every visible one (partner side, newest month first). */
export async function listStatements(db: Executor, reader: StatementReader, filter: { month?: string; institutionId?: number; partnershipId?: number }) {
  if (reader.side === 'partner' && filter.institutionId !== undefined) {
    // An institution the partner has never been a partner of is not found (not an empty list).
    const [known] = await db.select({ id: partnerships.id }).from(partnerships)
      .where(and(eq(partnerships.institutionId, filter.institutionId), eq(partnerships.partnerOrganisationId, reader.organisationId))).limit(1);
    if (!known) throw new AccessDenied('statistics.institution_not_found', 'institutionId');
  }
  const partner = sql`partner_org`;
  const rows = await db.select({
    id: settlementStatements.id, month: settlementStatements.month, status: settlementStatements.status,
    institutionId: settlementStatements.institutionId, partnershipId: settlementStatements.partnershipId,
    issuedAt: settlementStatements.issuedAt, paidOn: settlementStatements.paidOn, updatedAt: settlementStatements.updatedAt,
    partnerName: sql<string>`${partner}.name`, institutionName: organisations.name,
    lines: sql<string>`(SELECT COUNT(*) FROM ${settlementLines} WHERE ${settlementLines.statementId} = ${settlementStatements.id})`,
    adjustments: sql<string>`(SELECT COUNT(*) FROM ${settlementLines} WHERE ${settlementLines.statementId} = ${settlementStatements.id} AND ${settlementLines.kind} = 'adjustment')`,
  }).from(settlementStatements)
    .innerJoin(partnerships, eq(partnerships.id, settlementStatements.partnershipId))
    .innerJoin(sql`${organisations} AS partner_org`, sql`${partner}.id = ${partnerships.partnerOrganisationId}`)
    .innerJoin(organisations, eq(organisations.id, settlementStatements.institutionId))
    .where(and(
      readerFilter(reader),
      filter.month ? eq(settlementStatements.month, filter.month) : undefined,
      filter.institutionId ? eq(settlementStatements.institutionId, filter.institutionId) : undefined,
      filter.partnershipId ? eq(settlementStatements.partnershipId, filter.partnershipId) : undefined,
    ))
    .orderBy(desc(settlementStatements.month), asc(sql`${partner}.name`), asc(settlementStatements.id))
    .limit(500);
  const totals = await totalsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id, month: r.month, status: r.status as StatementStatus, institutionId: r.institutionId, institutionName: r.institutionName,
    partnershipId: r.partnershipId, partnerName: r.partnerName, issuedAt: r.issuedAt?.toISOString() ?? null, paidOn: r.paidOn,
    builtAt: r.updatedAt.toISOString(), lines: Number(r.lines), adjustments: Number(r.adjustments), totals: totals.get(r.id) ?? [],
  }));
}

function companyView(o: typeof organisations.$inferSelect) {
  return { id: o.id, name: o.name, country: o.country, taxNumber: o.taxNumber, registrationNumber: o.registrationNumber, address: o.address };
}

/** A statement with everything a printable page needs; another tenant's (or, for a partner, a draft) → NOT_FOUND. */
export async function getStatement(db: Executor, reader: StatementReader, statementId: number) {
  const [row] = await db.select({ s: settlementStatements, p: partnerships }).from(settlementStatements)
    .innerJoin(partnerships, eq(partnerships.id, settlementStatements.partnershipId))
    .where(and(eq(settlementStatements.id, statementId), readerFilter(reader)));
  if (!row) throw new AccessDenied('settlement.statement_not_found', 'statementId');
  const { s, p } = row;
  const [institution] = await db.select().from(organisations).where(eq(organisations.id, s.institutionId));
  const [company] = await db.select().from(organisations).where(eq(organisations.id, p.partnerOrganisationId));
  const people = await db.select({ id: users.id, name: users.name }).from(users)
    .where(inArray(users.id, [s.issuedByUserId ?? 0, s.paidByUserId ?? 0]));
  const nameOf = (id: number | null) => (id ? people.find((u) => u.id === id)?.name ?? null : null);
  const lines = await db.select({
    id: settlementLines.id, kind: settlementLines.kind, bookingId: settlementLines.bookingId, startsAt: settlementLines.startsAt,
    serviceId: settlementLines.serviceId, serviceName: services.name, locationName: locations.name, locationTimeZone: locations.timeZone,
    priceMinor: settlementLines.priceMinor, currency: settlementLines.currency, paymentLocation: settlementLines.paymentLocation,
    commissionType: settlementLines.commissionType, commissionValue: settlementLines.commissionValue,
    commissionMinor: settlementLines.commissionMinor, commissionCurrency: settlementLines.commissionCurrency,
    institutionOwesMinor: settlementLines.institutionOwesMinor, partnerOwesMinor: settlementLines.partnerOwesMinor, note: settlementLines.note,
  }).from(settlementLines)
    .innerJoin(services, eq(services.id, settlementLines.serviceId))
    .leftJoin(sql`bookings AS lb`, sql`lb.id = ${settlementLines.bookingId}`)
    .leftJoin(locations, sql`${locations.id} = lb.location_id`)
    .where(eq(settlementLines.statementId, s.id))
    .orderBy(asc(settlementLines.kind), asc(settlementLines.startsAt), asc(settlementLines.bookingId));
  const tz = institution.timeZone;
  return {
    statement: {
      id: s.id, month: s.month, status: s.status as StatementStatus, partnershipId: s.partnershipId,
      issuedAt: s.issuedAt?.toISOString() ?? null, issuedByName: nameOf(s.issuedByUserId), paidOn: s.paidOn, paidByName: nameOf(s.paidByUserId),
      builtAt: s.updatedAt.toISOString(), version: s.version,
    },
    institution: { ...companyView(institution), currency: institution.currency, timeZone: tz },
    partner: { ...companyView(company), contactName: p.contactName, contactEmail: p.contactEmail, contactPhone: p.contactPhone },
    lines: lines.map((l) => {
      // The appointment's wall clock is its location's; the month it counts in is the institution's (settle.ts).
      const { locationTimeZone, ...line } = l;
      const zone = locationTimeZone ?? tz;
      const local = instantToLocal(l.startsAt, zone);
      return { ...line, startsAt: l.startsAt.toISOString(), localDate: local.date, localTime: local.time, timeZone: zone };
    }),
    totals: statementTotals(lines),
  };
}

export type StatementDetail = Awaited<ReturnType<typeof getStatement>>;

/** Locks a statement of the caller's institution (another tenant's → NOT_FOUND). */
async function lockOwnStatement(tx: Executor, institutionId: number, statementId: number) {
  const [s] = await tx.select().from(settlementStatements)
    .where(and(eq(settlementStatements.id, statementId), eq(settlementStatements.institutionId, institutionId))).for('update');
  if (!s) throw new AccessDenied('settlement.statement_not_found', 'statementId');
  return s;
}

/**
 * Issues a draft: it never changes again. Queues the "statement issued" email to the partner organisation's active
 * administrators (or, when it has none, the partnership's contact person) and the workflow that delivers them.
 */
export async function issueStatement(tx: Executor, actor: { id: number; organisationId: number; ip?: string }, statementId: number) {
  const s = await lockOwnStatement(tx, actor.organisationId, statementId);
  if (s.status !== 'draft') throw new DomainError('CONFLICT', 'settlement.already_issued', undefined, { status: s.status });
  const [{ n }] = await tx.select({ n: sql<string>`COUNT(*)` }).from(settlementLines).where(eq(settlementLines.statementId, s.id));
  if (Number(n) === 0) throw new DomainError('BAD_REQUEST', 'settlement.statement_empty');
  const now = new Date();
  await tx.update(settlementStatements).set({ status: 'issued', issuedAt: now, issuedByUserId: actor.id, version: sql`${settlementStatements.version} + 1` })
    .where(eq(settlementStatements.id, s.id));
  const [p] = await tx.select().from(partnerships).where(eq(partnerships.id, s.partnershipId));
  const admins = await tx.select({ id: users.id, email: users.email }).from(users)
    .where(and(eq(users.organisationId, p.partnerOrganisationId), eq(users.role, 'admin'), eq(users.status, 'active')))
    .orderBy(asc(users.id));
  const recipients = admins.length
    ? admins.map((a) => ({ messageKey: `settlement-issued:${s.id}:user:${a.id}`, to: a.email, params: { statementId: s.id, userId: a.id } }))
    : [{ messageKey: `settlement-issued:${s.id}:contact`, to: p.contactEmail, params: { statementId: s.id } }];
  await tx.insert(emailOutbox).ignore().values(recipients.map((r) => ({ messageKey: r.messageKey, toAddress: r.to, template: 'settlement-issued', params: r.params })));
  await enqueueSettlementIssued(tx, { statementId: s.id, messageKeys: recipients.map((r) => r.messageKey), institutionId: s.institutionId, partnershipId: s.partnershipId });
  await writeAudit(tx, {
    organisationId: actor.organisationId, actorUserId: actor.id, action: 'settlement.issue', objectType: 'settlement_statement', objectId: s.id,
    before: { status: s.status }, after: { status: 'issued', month: s.month, partnershipId: s.partnershipId, recipients: recipients.length }, ip: actor.ip,
  });
  return { statementId: s.id, status: 'issued' as const, issuedAt: now.toISOString(), emails: recipients.length };
}

/** Records payment of an issued statement on a date (not in the future, not before it was issued; institution's zone). */
export async function markStatementPaid(tx: Executor, actor: { id: number; organisationId: number; ip?: string }, statementId: number, paidOn: string) {
  const s = await lockOwnStatement(tx, actor.organisationId, statementId);
  if (s.status === 'draft') throw new DomainError('CONFLICT', 'settlement.not_issued');
  if (s.status === 'paid') throw new DomainError('CONFLICT', 'settlement.already_paid', undefined, { paidOn: s.paidOn ?? '' });
  const [institution] = await tx.select({ timeZone: organisations.timeZone }).from(organisations).where(eq(organisations.id, s.institutionId));
  if (paidOn > todayIn(institution.timeZone)) throw new DomainError('BAD_REQUEST', 'settlement.paid_on_future', 'paidOn');
  if (s.issuedAt && paidOn < instantToLocal(s.issuedAt, institution.timeZone).date) throw new DomainError('BAD_REQUEST', 'settlement.paid_before_issue', 'paidOn');
  await tx.update(settlementStatements).set({ status: 'paid', paidOn, paidByUserId: actor.id, version: sql`${settlementStatements.version} + 1` })
    .where(eq(settlementStatements.id, s.id));
  await writeAudit(tx, {
    organisationId: actor.organisationId, actorUserId: actor.id, action: 'settlement.paid', objectType: 'settlement_statement', objectId: s.id,
    before: { status: s.status }, after: { status: 'paid', paidOn }, ip: actor.ip,
  });
  return { statementId: s.id, status: 'paid' as const, paidOn };
}

// ---------------------------------------------------------------------------------------------------------------
// CSV

/** Spreadsheets run cells starting with = + - @ (or a tab / carriage return) as formulas: prefix them with '. */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function decimal(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const unit = 10n ** BigInt(digits);
  const frac = digits ? `.${(abs % unit).toString().padStart(digits, '0')}` : '';
  return `${negative ? '-' : ''}${abs / unit}${frac}`;
}

export const CSV_COLUMNS = [
  'statement', 'month', 'status', 'institution', 'partner', 'line', 'booking', 'date', 'time', 'location', 'service', 'price', 'currency',
  'payment_location', 'commission_rule', 'commission', 'commission_currency', 'institution_owes', 'partner_owes', 'note',
] as const;

/**
 * The statement as CSV (RFC 4180 through csv-stringify, UTF-8, comma, header row): a row per line, then a row per
 * currency with the totals and the net. Amounts are decimals in the currency's own minor digits (12.35), negative for
 * adjustments that reduce; text cells are neutralised against formula injection. Negative numbers stay numbers
 * (only text cells are prefixed), so spreadsheets can add them.
 */
export function statementCsv(d: StatementDetail): { filename: string; csv: string } {
  const base = [d.statement.id, d.statement.month, d.statement.status, d.institution.name, d.partner.name];
  const rows: (string | number)[][] = d.lines.map((l) => [
    ...base, l.kind, l.bookingId, l.localDate, l.localTime, l.locationName ?? '', l.serviceName, decimal(l.priceMinor, l.currency), l.currency,
    l.paymentLocation, l.commissionType === 'percent' ? `${(l.commissionValue / 100).toFixed(2)} %` : l.commissionType === 'fixed' ? `fixed ${decimal(l.commissionValue, l.commissionCurrency)} ${l.commissionCurrency}` : 'none',
    decimal(l.commissionMinor, l.commissionCurrency), l.commissionCurrency, decimal(l.institutionOwesMinor, l.commissionCurrency),
    decimal(l.partnerOwesMinor, l.currency), l.note ?? '',
  ]);
  for (const t of d.totals) {
    rows.push([
      ...base, 'total', '', '', '', '', '', '', t.currency, '', '', decimal(t.commissionMinor, t.currency), t.currency,
      decimal(t.institutionOwesMinor, t.currency), decimal(t.partnerOwesMinor, t.currency),
      t.direction ? `net ${decimal(t.netAbsMinor, t.currency)} ${t.currency}: ${t.direction}` : 'net 0',
    ]);
  }
  const textColumns = new Set([3, 4, 9, 10, 13, 14, 19]);
  const safe = rows.map((r) => r.map((v, i) => (typeof v === 'string' && textColumns.has(i) ? neutraliseFormula(v) : v)));
  const csv = stringify(safe, { header: true, columns: [...CSV_COLUMNS] });
  const slug = d.partner.name.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60) || 'partner';
  return { filename: `statement-${d.statement.month}-${slug}-${d.statement.id}.csv`, csv };
}
