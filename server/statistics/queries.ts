/**
 * The read side of "Reports / Statistics" and "Reports / Partner-submitted statistics" (institution and partner side).
 * Set-based SQL only. The institution's page runs side by side: the page of ids (a "deferred join": sorting and
 * skipping read only bookings_statistics_idx, which covers every filtered, grouped and sorted column; names of
 * locations, physicians, services and partners sort through FIELD() over their ids in name order; only the patient sort
 * joins patients), then the names for those ≤ 100 ids; and two grouped scans of the same index — (source, partnership,
 * status, currency, commission currency) with counts and sums, from which the count, the totals per currency, the
 * per-partner chart and the no-show rates are folded in memory, and (local day, source) for the daily chart. The CSV
 * export (csv.ts) streams bookings + the patient's name in the same order, with the names from small maps. The partner
 * side reads through bookings_partnership_start_idx (its partnerships' ids) with the joins in one query.
 *
 * Tenancy: the institution's queries are always scoped by bookings.institution_id = the caller's organisation, and
 * every filter ID is checked to belong to it first (another tenant's ID → NOT_FOUND on that field, never rows). The
 * partner side reads only bookings of partnerships whose partner is the caller's organisation; patient names only for
 * patients that organisation entered itself (patients.created_by_organisation_id), booked-by names only of its users.
 *
 * Commission: commissionSql/commissionCurrencySql from server/domain/commission.ts — the one rule (only fulfilled
 * bookings earn; the booking's snapshot, never the partnership as it is now). Totals are per currency, never added
 * across currencies; a fixed commission in another currency than the price is totalled in its own currency.
 */
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias, type MySqlColumn } from 'drizzle-orm/mysql-core';
import type { Executor } from '../../db/client';
import {
  bookingEvents, bookings, locations, organisations, partnerships, patients, physicians, services, users,
} from '../../db/schema';
import type { SessionUser } from '../auth/session';
import { AccessDenied } from '../authz';
import { DomainError } from '../errors';
import { commissionCurrencySql, commissionSql } from '../domain/commission';
import { selectFromBookings } from '../bookings/joins';
import { canPartnerCancel, canStaffCancel, type BookingStatus } from '../domain/booking-status';
import { localDateTimeSql, localMonthSql, offsetSegments, resolvePeriod, type Period, type PeriodInput } from './period';
import type {
  PartnerExportInput, PartnerStatisticsInput, PartnerSubmittedInput, StatisticsFilters, StatisticsInput, SortColumn,
  PartnerSortColumn, PartnerSubmittedSortColumn,
} from './schemas';

const partnerOrg = alias(organisations, 'partner_org');
const institutionOrg = alias(organisations, 'institution_org');
const bookedBy = alias(users, 'booked_by');

export const commission = commissionSql(bookings);
export const commissionCurrency = commissionCurrencySql(bookings);

export type SourceKind = 'online' | 'phone' | 'staff' | 'partner';
export interface BookingSourceOut { kind: SourceKind; partnershipId: number | null; partnerName: string | null; phonedIn: boolean }
export interface Money { amountMinor: number; currency: string }
export interface CurrencyTotals {
  currency: string;
  /** Bookings whose price is in this currency, and the sum of their prices (every listed status, cancelled included). */
  bookings: number;
  priceMinor: number;
  /** The fulfilled ones among them and their prices. */
  fulfilledBookings: number;
  fulfilledPriceMinor: number;
  /** Commission earned in this currency (fulfilled bookings only; a fixed commission counts in its own currency). */
  commissionMinor: number;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

// ---------------------------------------------------------------------------------------------------------------
// Institution: filters

/** Checks every filter ID against the caller's institution: another tenant's (or unknown) ID → NOT_FOUND on its field. */
export async function assertOwnFilterIds(db: Executor, institutionId: number, f: Pick<StatisticsFilters, 'locationIds' | 'partnershipIds' | 'physicianIds' | 'serviceIds'>) {
  const check = async (ids: number[] | undefined, owned: (unique: number[]) => Promise<unknown[]>, key: string, field: string) => {
    const unique = [...new Set(ids ?? [])];
    if (unique.length && (await owned(unique)).length !== unique.length) throw new AccessDenied(key, field);
  };
  await Promise.all([
    check(f.locationIds, (ids) => db.select({ id: locations.id }).from(locations).where(and(eq(locations.organisationId, institutionId), inArray(locations.id, ids))),
      'catalogue.location_not_found', 'locationIds'),
    check(f.partnershipIds, (ids) => db.select({ id: partnerships.id }).from(partnerships).where(and(eq(partnerships.institutionId, institutionId), inArray(partnerships.id, ids))),
      'partners.not_found', 'partnershipIds'),
    check(f.physicianIds, (ids) => db.select({ id: physicians.id }).from(physicians).where(and(eq(physicians.organisationId, institutionId), inArray(physicians.id, ids))),
      'catalogue.physician_not_found', 'physicianIds'),
    check(f.serviceIds, (ids) => db.select({ id: services.id }).from(services).where(and(eq(services.organisationId, institutionId), inArray(services.id, ids))),
      'catalogue.service_not_found', 'serviceIds'),
  ]);
}

export function institutionWhere(institutionId: number, period: Period, f: Omit<StatisticsFilters, 'period'>): SQL {
  const c: (SQL | undefined)[] = [
    eq(bookings.institutionId, institutionId), gte(bookings.startsAt, period.startsAt), lt(bookings.startsAt, period.endsBefore),
  ];
  if (f.scope === 'partners') c.push(eq(bookings.sourceChannel, 'partner'));
  if (f.locationIds?.length) c.push(inArray(bookings.locationId, f.locationIds));
  if (f.partnershipIds?.length) c.push(inArray(bookings.partnershipId, f.partnershipIds));
  if (f.physicianIds?.length) c.push(inArray(bookings.physicianId, f.physicianIds));
  if (f.serviceIds?.length) c.push(inArray(bookings.serviceId, f.serviceIds));
  if (f.statuses?.length) c.push(inArray(bookings.status, f.statuses));
  if (f.paymentStatuses?.length) c.push(inArray(bookings.paymentStatus, f.paymentStatuses));
  return and(...c)!;
}

// ---------------------------------------------------------------------------------------------------------------
// Rows (the page and the CSV share these selects)

/** Row columns of the institution's statistics; the CSV reads them positionally in this order. */
export const institutionRowFields = {
  id: bookings.id, startsAt: bookings.startsAt, timeZone: locations.timeZone, locationId: bookings.locationId, locationName: locations.name,
  physicianId: bookings.physicianId, physicianName: physicians.name, serviceId: bookings.serviceId, serviceName: services.name,
  patientName: patients.name, status: bookings.status, paymentStatus: bookings.paymentStatus, sourceChannel: bookings.sourceChannel,
  partnershipId: bookings.partnershipId, partnerName: partnerOrg.name, bookedByOrganisationId: bookings.bookedByOrganisationId,
  priceMinor: bookings.priceMinor, currency: bookings.currency, commissionType: bookings.commissionType,
  commissionMinor: commission, commissionCurrency, paymentLocation: bookings.paymentLocation,
};

type Order = (MySqlColumn | SQL)[];
type SortMap<K extends string> = Record<K, Order>;
const COMMON_SORT = {
  date: [bookings.startsAt], location: [locations.name], physician: [physicians.name], service: [services.name],
  status: [bookings.status], paymentStatus: [bookings.paymentStatus], price: [bookings.priceMinor, bookings.currency],
  commission: [commission, commissionCurrency],
};
export const PARTNER_SORT: SortMap<PartnerSortColumn> = { ...COMMON_SORT, institution: [institutionOrg.name] };

/** ORDER BY for a whitelisted column, with the start and the id as tie-breakers so that pages never overlap. */
export function orderBy(columns: Order | undefined, dir: 'asc' | 'desc'): SQL[] {
  const d = dir === 'desc' ? desc : asc;
  if (!columns) throw new DomainError('BAD_REQUEST', 'statistics.sort_invalid', 'sort.by');
  return [...columns.map((c) => d(c)), d(bookings.startsAt), d(bookings.id)];
}

/** FIELD(column, ids…): the position of the value in a list of ids already in name order (0 when absent). */
function positionIn(column: MySqlColumn, ids: number[]): SQL {
  if (!ids.length) return sql`0`;
  return sql`FIELD(${column}, ${sql.raw(ids.map((id) => String(Math.trunc(id))).join(', '))})`;
}

/**
 * The institution's sort keys. Names of locations, physicians, services and partners are sorted through their ids in
 * name order (FIELD over a few dozen ids), so that sorting a month needs no join: only bookings_statistics_idx is read.
 * Only the patient sort joins (patients.name); `needsPatient` says so.
 */
export async function institutionOrder(db: Executor, institutionId: number, by: PartnerSubmittedSortColumn): Promise<{ order: Order; needsPatient: boolean }> {
  const ids = async (q: Promise<{ id: number }[]>) => (await q).map((r) => r.id);
  switch (by) {
    case 'location':
      return { order: [positionIn(bookings.locationId, await ids(db.select({ id: locations.id }).from(locations).where(eq(locations.organisationId, institutionId)).orderBy(asc(locations.name), asc(locations.id))))], needsPatient: false };
    case 'physician':
      return { order: [positionIn(bookings.physicianId, await ids(db.select({ id: physicians.id }).from(physicians).where(eq(physicians.organisationId, institutionId)).orderBy(asc(physicians.name), asc(physicians.id))))], needsPatient: false };
    case 'service':
      return { order: [positionIn(bookings.serviceId, await ids(db.select({ id: services.id }).from(services).where(eq(services.organisationId, institutionId)).orderBy(asc(services.name), asc(services.id))))], needsPatient: false };
    case 'source':
    case 'partner': {
      const partnerIds = (await institutionPartners(db, institutionId)).map((p) => p.partnershipId);
      const byName = positionIn(bookings.partnershipId, partnerIds);
      return { order: by === 'source' ? [bookings.sourceChannel, byName] : [byName], needsPatient: false };
    }
    case 'patient': return { order: [patients.name], needsPatient: true };
    case 'date': return { order: [bookings.startsAt], needsPatient: false };
    case 'status': return { order: [bookings.status], needsPatient: false };
    case 'paymentStatus': return { order: [bookings.paymentStatus], needsPatient: false };
    case 'price': return { order: [bookings.priceMinor, bookings.currency], needsPatient: false };
    case 'commission': return { order: [commission, commissionCurrency], needsPatient: false };
    case 'bookedAt': return { order: [bookings.createdAt], needsPatient: false };
    default: throw new DomainError('BAD_REQUEST', 'statistics.sort_invalid', 'sort.by');
  }
}

/** The institution's full row query (joins for the names), in `order`: the CSV streams it whole. */
export function institutionRowsQuery(db: Executor, where: SQL, order: SQL[]) {
  return selectFromBookings(db, institutionRowFields, { catalogue: true, partner: partnerOrg, patient: true })
    .where(where)
    .orderBy(...order);
}

/**
 * The CSV's row query: bookings and the patient's name only, in `order`. Names of locations, physicians, services and
 * partners come from small maps (institutionDimensions): joining them per row made MariaDB pick a join buffer and sort
 * the month in a temporary table before sending the first row.
 */
export const institutionCsvFields = {
  id: bookings.id, startsAt: bookings.startsAt, locationId: bookings.locationId, physicianId: bookings.physicianId, serviceId: bookings.serviceId,
  patientName: patients.name, status: bookings.status, paymentStatus: bookings.paymentStatus, sourceChannel: bookings.sourceChannel,
  partnershipId: bookings.partnershipId, bookedByOrganisationId: bookings.bookedByOrganisationId, priceMinor: bookings.priceMinor,
  currency: bookings.currency, commissionType: bookings.commissionType, commissionMinor: commission, commissionCurrency,
  paymentLocation: bookings.paymentLocation,
};

export function institutionCsvQuery(db: Executor, where: SQL, order: SQL[]) {
  return db.select(institutionCsvFields).from(bookings).leftJoin(patients, eq(patients.id, bookings.patientId)).where(where).orderBy(...order);
}

export interface Dimensions {
  locations: Map<number, { name: string; timeZone: string }>;
  physicians: Map<number, string>;
  services: Map<number, string>;
  partners: Map<number, string>;
}

/** The institution's locations, physicians, services and partners by id (a few hundred rows at most). */
export async function institutionDimensions(db: Executor, institutionId: number): Promise<Dimensions> {
  const [locs, docs, svcs, partners] = await Promise.all([
    db.select({ id: locations.id, name: locations.name, timeZone: locations.timeZone }).from(locations).where(eq(locations.organisationId, institutionId)),
    db.select({ id: physicians.id, name: physicians.name }).from(physicians).where(eq(physicians.organisationId, institutionId)),
    db.select({ id: services.id, name: services.name }).from(services).where(eq(services.organisationId, institutionId)),
    institutionPartners(db, institutionId),
  ]);
  return {
    locations: new Map(locs.map((l) => [l.id, { name: l.name, timeZone: l.timeZone }])),
    physicians: new Map(docs.map((d) => [d.id, d.name])),
    services: new Map(svcs.map((x) => [x.id, x.name])),
    partners: new Map(partners.map((x) => [x.partnershipId, x.name])),
  };
}

/**
 * One page of ids, the "deferred join": sorting and skipping read only the covering index (and patients for the
 * patient sort); the names are joined afterwards for the ≤ 100 ids of the page.
 */
export async function pageIds(db: Executor, where: SQL, order: { order: Order; needsPatient: boolean }, dir: 'asc' | 'desc', page: number, pageSize: number) {
  const q = db.select({ id: bookings.id }).from(bookings).$dynamic();
  if (order.needsPatient) q.leftJoin(patients, eq(patients.id, bookings.patientId));
  const rows = await q.where(where).orderBy(...orderBy(order.order, dir)).limit(pageSize).offset((page - 1) * pageSize);
  return rows.map((r) => r.id);
}

function inPageOrder<T extends { id: number }>(ids: number[], rows: T[]): T[] {
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => by.get(id)!).filter(Boolean);
}

export type InstitutionRow = { [K in keyof typeof institutionRowFields]: unknown } & {
  id: number; startsAt: Date; timeZone: string; locationName: string; physicianName: string; serviceName: string; patientName: string | null;
  status: BookingStatus; paymentStatus: string; sourceChannel: SourceKind; partnershipId: number | null; partnerName: string | null;
  bookedByOrganisationId: number | null; priceMinor: number; currency: string; commissionType: string; commissionMinor: number;
  commissionCurrency: string; paymentLocation: string | null;
};

export function sourceOf(r: { sourceChannel: SourceKind; partnershipId: number | null; partnerName: string | null; bookedByOrganisationId: number | null }, institutionId: number): BookingSourceOut {
  const partner = r.sourceChannel === 'partner';
  return {
    kind: r.sourceChannel, partnershipId: partner ? r.partnershipId : null, partnerName: partner ? r.partnerName : null,
    // A partner's booking that the institution's staff entered when the partner phoned it in.
    phonedIn: partner && r.bookedByOrganisationId === institutionId,
  };
}

function institutionRowOut(r: InstitutionRow, institutionId: number) {
  return {
    id: r.id, startsAt: r.startsAt.toISOString(), timeZone: r.timeZone,
    location: { id: r.locationId as number, name: r.locationName }, physician: { id: r.physicianId as number, name: r.physicianName },
    service: { id: r.serviceId as number, name: r.serviceName }, patientName: r.patientName,
    status: r.status, paymentStatus: r.paymentStatus, source: sourceOf(r, institutionId),
    price: { amountMinor: num(r.priceMinor), currency: r.currency },
    commission: r.commissionType === 'none' ? null : { amountMinor: num(r.commissionMinor), currency: r.commissionCurrency },
    paymentLocation: r.paymentLocation,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregates

interface Group {
  source: SourceKind; partnershipId: number | null; status: BookingStatus; currency: string; commissionCurrency: string;
  n: number; price: number; commission: number;
}
interface DayGroup { day: string; source: SourceKind; n: number }

/** TO_DAYS('1970-01-01'): turns MySQL's day numbers back into dates. */
const TO_DAYS_EPOCH = 719_528;
const dayOf = (toDays: number) => new Date((toDays - TO_DAYS_EPOCH) * 86_400_000).toISOString().slice(0, 10);

/**
 * Two grouped scans of the covering index, run side by side: (source, partnership, status, currency, commission
 * currency) with counts and sums — the count, the totals, per partner, no-show rates — and (local day, source) for the
 * daily chart. Grouping by an integer day (TO_DAYS) is about twice as fast as by a formatted date.
 */
async function groups(db: Executor, where: SQL, period: Period): Promise<{ gs: Group[]; days: DayGroup[] }> {
  const day = sql<number>`TO_DAYS(${localDateTimeSql(bookings.startsAt, offsetSegments(period.startsAt, period.endsBefore, period.timeZone))})`;
  const [rows, dayRows] = await Promise.all([
    db.select({
      source: bookings.sourceChannel, partnershipId: bookings.partnershipId, status: bookings.status, currency: bookings.currency,
      commissionCurrency, n: sql<number>`COUNT(*)`, price: sql<string>`SUM(${bookings.priceMinor})`, commission: sql<string>`SUM(${commission})`,
    }).from(bookings).where(where).groupBy(sql`1, 2, 3, 4, 5`),
    db.select({ day, source: bookings.sourceChannel, n: sql<number>`COUNT(*)` }).from(bookings).where(where).groupBy(sql`1, 2`),
  ]);
  return {
    gs: rows.map((r) => ({ ...r, n: num(r.n), price: num(r.price), commission: num(r.commission) })),
    days: dayRows.map((r) => ({ day: dayOf(num(r.day)), source: r.source, n: num(r.n) })),
  };
}

export function totalsOf(gs: Pick<Group, 'status' | 'currency' | 'commissionCurrency' | 'n' | 'price' | 'commission'>[]): CurrencyTotals[] {
  const by = new Map<string, CurrencyTotals>();
  const of = (currency: string) => {
    let t = by.get(currency);
    if (!t) by.set(currency, t = { currency, bookings: 0, priceMinor: 0, fulfilledBookings: 0, fulfilledPriceMinor: 0, commissionMinor: 0 });
    return t;
  };
  for (const g of gs) {
    const t = of(g.currency);
    t.bookings += g.n;
    t.priceMinor += g.price;
    if (g.status === 'fulfilled') { t.fulfilledBookings += g.n; t.fulfilledPriceMinor += g.price; }
    if (g.commission !== 0) of(g.commissionCurrency).commissionMinor += g.commission;
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

const SOURCES: SourceKind[] = ['online', 'phone', 'staff', 'partner'];
/** Statuses of bookings whose appointment time has come and gone with an outcome: the base of the no-show rate. */
const ATTENDANCE_DECIDED: BookingStatus[] = ['arrived', 'fulfilled', 'noshow'];

function addMoney(list: Money[], amountMinor: number, currency: string) {
  if (amountMinor === 0) return;
  const m = list.find((x) => x.currency === currency);
  if (m) m.amountMinor += amountMinor; else list.push({ amountMinor, currency });
}

/** The charts: bookings per local day by source, bookings and commission per partner, no-show rate per source. */
export function chartsOf({ gs, days: dayGroups }: { gs: Group[]; days: DayGroup[] }, period: Period, partnerNames: Map<number, string>) {
  const days = new Map<string, Record<SourceKind, number>>();
  const perPartner = new Map<number, { partnershipId: number; partnerName: string; bookings: number; fulfilled: number; noShows: number; commission: Money[] }>();
  const noShow = new Map<SourceKind, { source: SourceKind; decided: number; noShows: number }>(SOURCES.map((s) => [s, { source: s, decided: 0, noShows: 0 }]));
  for (const g of dayGroups) {
    let d = days.get(g.day);
    if (!d) days.set(g.day, d = { online: 0, phone: 0, staff: 0, partner: 0 });
    d[g.source] += g.n;
  }
  for (const g of gs) {
    if (g.source === 'partner' && g.partnershipId !== null) {
      let p = perPartner.get(g.partnershipId);
      if (!p) {
        perPartner.set(g.partnershipId, p = {
          partnershipId: g.partnershipId, partnerName: partnerNames.get(g.partnershipId) ?? '', bookings: 0, fulfilled: 0, noShows: 0, commission: [],
        });
      }
      p.bookings += g.n;
      if (g.status === 'fulfilled') p.fulfilled += g.n;
      if (g.status === 'noshow') p.noShows += g.n;
      addMoney(p.commission, g.commission, g.commissionCurrency);
    }
    if (ATTENDANCE_DECIDED.includes(g.status)) {
      const s = noShow.get(g.source)!;
      s.decided += g.n;
      if (g.status === 'noshow') s.noShows += g.n;
    }
  }
  // Every day of the period, also those without bookings, so that the chart's time axis is continuous.
  const bookingsPerDay: ({ date: string } & Record<SourceKind, number>)[] = [];
  for (let date = period.from; date <= period.to; date = nextDate(date)) {
    bookingsPerDay.push({ date, ...(days.get(date) ?? { online: 0, phone: 0, staff: 0, partner: 0 }) });
  }
  return {
    bookingsPerDay,
    perPartner: [...perPartner.values()].sort((a, b) => b.bookings - a.bookings || a.partnerName.localeCompare(b.partnerName))
      .map((p) => ({ ...p, commission: byCurrency(p.commission) })),
    noShowRate: [...noShow.values()].map((s) => ({ ...s, rate: s.decided ? s.noShows / s.decided : null })),
  };
}

const byCurrency = (list: Money[]) => [...list].sort((a, b) => a.currency.localeCompare(b.currency));

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Every partnership of the institution (also ended ones: they keep their statistics), with the partner's name. */
export async function institutionPartners(db: Executor, institutionId: number) {
  return db.select({ partnershipId: partnerships.id, name: organisations.name, status: partnerships.status })
    .from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.partnerOrganisationId))
    .where(eq(partnerships.institutionId, institutionId)).orderBy(asc(organisations.name), asc(partnerships.id));
}

// ---------------------------------------------------------------------------------------------------------------
// Procedures' bodies

type Caller = Pick<SessionUser, 'id' | 'organisationId' | 'timeZone' | 'canBookPartner'>;

/** What the filters of the statistics pages offer: the institution's locations, physicians, services and partners. */
export async function filterOptions(db: Executor, user: Caller) {
  const org = user.organisationId;
  const [locs, docs, svcs, partners] = await Promise.all([
    db.select({ id: locations.id, name: locations.name, timeZone: locations.timeZone }).from(locations).where(eq(locations.organisationId, org)).orderBy(asc(locations.name)),
    db.select({ id: physicians.id, name: physicians.name }).from(physicians).where(eq(physicians.organisationId, org)).orderBy(asc(physicians.name)),
    db.select({ id: services.id, name: services.name, currency: services.currency }).from(services).where(eq(services.organisationId, org)).orderBy(asc(services.name)),
    institutionPartners(db, org),
  ]);
  return { timeZone: user.timeZone, locations: locs, physicians: docs, services: svcs, partners };
}

/** "Reports / Statistics": one page of rows, the count, totals per currency and the charts of the filtered bookings. */
export async function institutionStatistics(db: Executor, user: Caller, input: StatisticsInput, now = new Date()) {
  const institutionId = user.organisationId;
  const period = resolvePeriod(input.period as PeriodInput, user.timeZone, now);
  await assertOwnFilterIds(db, institutionId, input);
  const where = institutionWhere(institutionId, period, input);
  const order = await institutionOrder(db, institutionId, input.sort.by);
  const [ids, grouped, partners] = await Promise.all([
    pageIds(db, where, order, input.sort.dir, input.page, input.pageSize),
    groups(db, where, period),
    institutionPartners(db, institutionId),
  ]);
  const rows = ids.length ? await institutionRowsQuery(db, inArray(bookings.id, ids), []) : [];
  const total = grouped.gs.reduce((n, g) => n + g.n, 0);
  return {
    period: { from: period.from, to: period.to, timeZone: period.timeZone, startsAt: period.startsAt.toISOString(), endsBefore: period.endsBefore.toISOString() },
    page: input.page, pageSize: input.pageSize, total,
    rows: inPageOrder(ids, rows as InstitutionRow[]).map((r) => institutionRowOut(r, institutionId)),
    totals: totalsOf(grouped.gs),
    charts: chartsOf(grouped, period, new Map(partners.map((p) => [p.partnershipId, p.name]))),
  };
}

/** The number of rows a CSV export of these filters will have (the route sends it as X-Total-Count before the rows). */
export async function institutionCount(db: Executor, where: SQL): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(bookings).where(where);
  return num(row?.n);
}

/**
 * "Reports / Partner-submitted statistics" of the institution: the bookings partners made (source = a partner, also
 * those its staff entered for a partner on the phone) with who booked, when, and their changes. Cancel through the
 * existing `bookings.cancel` (same rule as everywhere: an institution member cancels a booking that is still booked).
 */
export async function partnerSubmitted(db: Executor, user: Caller, input: PartnerSubmittedInput, now = new Date()) {
  const institutionId = user.organisationId;
  const period = resolvePeriod(input.period as PeriodInput, user.timeZone, now);
  await assertOwnFilterIds(db, institutionId, input);
  const where = institutionWhere(institutionId, period, { scope: 'partners', partnershipIds: input.partnershipIds, statuses: input.statuses });
  const order = await institutionOrder(db, institutionId, input.sort.by);
  const [ids, grouped] = await Promise.all([
    pageIds(db, where, order, input.sort.dir, input.page, input.pageSize),
    groups(db, where, period),
  ]);
  const rows = !ids.length ? [] : await selectFromBookings(db, {
    ...institutionRowFields, createdAt: bookings.createdAt, bookedByName: bookedBy.name, cancellationReason: bookings.cancellationReason,
    cancelledAt: bookings.cancelledAt,
  }, { catalogue: true, partner: partnerOrg, bookedBy, patient: true })
    .where(inArray(bookings.id, ids));
  const changes = await changesOf(db, ids);
  return {
    period: { from: period.from, to: period.to, timeZone: period.timeZone },
    page: input.page, pageSize: input.pageSize, total: grouped.gs.reduce((n, g) => n + g.n, 0), totals: totalsOf(grouped.gs),
    rows: inPageOrder(ids, rows).map((r) => {
      const base = institutionRowOut(r as InstitutionRow, institutionId);
      return {
        ...base,
        partner: { partnershipId: r.partnershipId!, name: r.partnerName ?? '' },
        bookedBy: { name: r.bookedByName, by: r.bookedByOrganisationId === institutionId ? 'institution' as const : 'partner' as const },
        bookedAt: r.createdAt.toISOString(),
        changes: changes.get(r.id) ?? { count: 0, last: null },
        cancellationReason: r.cancellationReason, cancelledAt: r.cancelledAt?.toISOString() ?? null,
        canCancel: canStaffCancel({ status: r.status }),
      };
    }),
  };
}

/** Changes of bookings after their creation (booking_events other than 'created'): how many, and the latest. */
async function changesOf(db: Executor, ids: number[]) {
  const out = new Map<number, { count: number; last: { type: string; at: string } | null }>();
  if (!ids.length) return out;
  const events = await db.select({ bookingId: bookingEvents.bookingId, type: bookingEvents.type, at: bookingEvents.at })
    .from(bookingEvents).where(and(inArray(bookingEvents.bookingId, ids), sql`${bookingEvents.type} <> 'created'`))
    .orderBy(asc(bookingEvents.bookingId), asc(bookingEvents.id));
  for (const e of events) {
    const c = out.get(e.bookingId) ?? { count: 0, last: null };
    c.count += 1;
    c.last = { type: e.type, at: e.at.toISOString() };
    out.set(e.bookingId, c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Partner side

/** Institutions where the caller's organisation is or was a partner (a partnership that was accepted), with its zone. */
export async function partnerInstitutions(db: Executor, user: Caller) {
  const rows = await db.select({
    institutionId: partnerships.institutionId, institutionName: organisations.name, timeZone: organisations.timeZone,
    partnershipId: partnerships.id, status: partnerships.status,
  }).from(partnerships).innerJoin(organisations, eq(organisations.id, partnerships.institutionId))
    .where(and(eq(partnerships.partnerOrganisationId, user.organisationId), isNotNull(partnerships.acceptedAt)))
    .orderBy(asc(organisations.name), asc(partnerships.id));
  const by = new Map<number, { institutionId: number; institutionName: string; timeZone: string; partnershipIds: number[]; active: boolean }>();
  for (const r of rows) {
    const i = by.get(r.institutionId) ?? { institutionId: r.institutionId, institutionName: r.institutionName, timeZone: r.timeZone, partnershipIds: [], active: false };
    i.partnershipIds.push(r.partnershipId);
    if (r.status === 'active') i.active = true;
    by.set(r.institutionId, i);
  }
  return [...by.values()];
}

/** The partner's scope: per institution (its own zone for the period) the partnerships' bookings in the period. */
export async function partnerScope(db: Executor, user: Caller, input: Pick<PartnerExportInput, 'institutionId' | 'period' | 'statuses'>, now: Date) {
  let insts = await partnerInstitutions(db, user);
  if (input.institutionId !== undefined) {
    insts = insts.filter((i) => i.institutionId === input.institutionId);
    if (!insts.length) throw new AccessDenied('statistics.institution_not_found', 'institutionId');
  }
  const scoped = insts.map((i) => ({ ...i, period: resolvePeriod(input.period as PeriodInput, i.timeZone, now) }));
  const parts = scoped.map((i) => and(inArray(bookings.partnershipId, i.partnershipIds), gte(bookings.startsAt, i.period.startsAt), lt(bookings.startsAt, i.period.endsBefore))!);
  const where = parts.length
    ? and(or(...parts), input.statuses?.length ? inArray(bookings.status, input.statuses) : undefined)!
    : sql`FALSE`;
  return { institutions: scoped, where };
}

export function partnerRowFields(organisationId: number) {
  return {
    id: bookings.id, institutionId: bookings.institutionId, institutionName: institutionOrg.name, startsAt: bookings.startsAt,
    timeZone: locations.timeZone, locationName: locations.name, physicianName: physicians.name, serviceName: services.name,
    // Only patients the partner entered itself; the institution's other patients stay the institution's.
    patientName: sql<string | null>`CASE WHEN ${patients.createdByOrganisationId} = ${organisationId} THEN ${patients.name} END`,
    status: bookings.status, paymentStatus: bookings.paymentStatus,
    bookedByName: sql<string | null>`CASE WHEN ${bookedBy.organisationId} = ${organisationId} THEN ${bookedBy.name} END`,
    bookedByOrganisationId: bookings.bookedByOrganisationId, partnershipStatus: partnerships.status,
    priceMinor: bookings.priceMinor, currency: bookings.currency, commissionType: bookings.commissionType,
    commissionMinor: commission, commissionCurrency, paymentLocation: bookings.paymentLocation,
  };
}

export function partnerRowsQuery(db: Executor, organisationId: number, where: SQL, sort: PartnerExportInput['sort']) {
  return selectFromBookings(db, partnerRowFields(organisationId), { institution: institutionOrg, catalogue: true })
    .innerJoin(partnerships, eq(partnerships.id, bookings.partnershipId))
    .leftJoin(patients, eq(patients.id, bookings.patientId))
    .leftJoin(bookedBy, eq(bookedBy.id, bookings.bookedByUserId))
    .where(where).orderBy(...orderBy(PARTNER_SORT[sort.by], sort.dir));
}

/** Sorts on the booking's own columns: the page's ids need no join. */
const PARTNER_BOOKING_SORTS = new Set<PartnerExportInput['sort']['by']>(['date', 'status', 'paymentStatus', 'price', 'commission']);

/**
 * One page of the partner's rows. Sorted by the booking's own columns, it is a deferred join (as `pageIds`): the page's
 * ids from bookings alone (bookings_partnership_start_idx, in order), then the names for those ids. Joining first let
 * MariaDB drive the query from the smallest catalogue table (one location, a few services) and read every booking of
 * the institution through a foreign-key index before sorting — 200+ ms for a page of 25 at 100,000 bookings (found by
 * bench/load.ts). Name sorts (institution, location, physician, service) keep the joined query.
 */
async function partnerPage(db: Executor, organisationId: number, where: SQL, sort: PartnerExportInput['sort'], page: number, pageSize: number) {
  if (!PARTNER_BOOKING_SORTS.has(sort.by)) return partnerRowsQuery(db, organisationId, where, sort).limit(pageSize).offset((page - 1) * pageSize);
  const ids = (await db.select({ id: bookings.id }).from(bookings).where(where).orderBy(...orderBy(PARTNER_SORT[sort.by], sort.dir))
    .limit(pageSize).offset((page - 1) * pageSize)).map((r) => r.id);
  return ids.length ? partnerRowsQuery(db, organisationId, and(where, inArray(bookings.id, ids))!, sort) : [];
}

/**
 * The partner's "Reports / Partner-submitted statistics": its organisation's bookings per institution and period, the
 * commission per month (local month of each institution) and currency, and whether each booking can be cancelled by
 * the caller through `bookings.cancel` (its own organisation's upcoming booked booking, partnership active, caller
 * holds "Can book to partner institution").
 */
export async function partnerStatistics(db: Executor, user: Caller, input: PartnerStatisticsInput, now = new Date()) {
  const org = user.organisationId;
  const { institutions, where } = await partnerScope(db, user, input, now);
  const monthBranches = institutions.map((i) => sql`WHEN ${i.institutionId} THEN ${localMonthSql(bookings.startsAt, offsetSegments(i.period.startsAt, i.period.endsBefore, i.timeZone))}`);
  const month = monthBranches.length ? sql<string>`(CASE ${bookings.institutionId} ${sql.join(monthBranches, sql` `)} END)` : sql<string>`NULL`;
  const [rows, gs] = await Promise.all([
    partnerPage(db, org, where, input.sort, input.page, input.pageSize),
    db.select({
      institutionId: bookings.institutionId, month, status: bookings.status, currency: bookings.currency, commissionCurrency,
      n: sql<number>`COUNT(*)`, price: sql<string>`SUM(${bookings.priceMinor})`, commission: sql<string>`SUM(${commission})`,
    }).from(bookings).where(where).groupBy(sql`1, 2, 3, 4, 5`),
  ]);
  const groupsOut = gs.map((g) => ({ ...g, n: num(g.n), price: num(g.price), commission: num(g.commission) }));
  const perMonth = new Map<string, { institutionId: number; month: string; bookings: number; fulfilled: number; commission: Money[] }>();
  for (const g of groupsOut) {
    const key = `${g.institutionId}|${g.month}`;
    const m = perMonth.get(key) ?? { institutionId: g.institutionId, month: g.month, bookings: 0, fulfilled: 0, commission: [] };
    m.bookings += g.n;
    if (g.status === 'fulfilled') m.fulfilled += g.n;
    addMoney(m.commission, g.commission, g.commissionCurrency);
    perMonth.set(key, m);
  }
  return {
    institutions: institutions.map((i) => ({
      institutionId: i.institutionId, institutionName: i.institutionName, timeZone: i.timeZone, active: i.active,
      period: { from: i.period.from, to: i.period.to },
    })),
    page: input.page, pageSize: input.pageSize, total: groupsOut.reduce((n, g) => n + g.n, 0),
    totals: totalsOf(groupsOut),
    commissionPerMonth: [...perMonth.values()].sort((a, b) => a.month.localeCompare(b.month) || a.institutionId - b.institutionId)
      .map((m) => ({ ...m, commission: byCurrency(m.commission) })),
    rows: rows.map((r) => ({
      id: r.id, institution: { id: r.institutionId, name: r.institutionName }, startsAt: r.startsAt.toISOString(), timeZone: r.timeZone,
      locationName: r.locationName, physicianName: r.physicianName, serviceName: r.serviceName, patientName: r.patientName,
      status: r.status, paymentStatus: r.paymentStatus,
      bookedBy: { name: r.bookedByName, by: r.bookedByOrganisationId === org ? 'partner' as const : 'institution' as const },
      price: { amountMinor: num(r.priceMinor), currency: r.currency },
      commission: r.commissionType === 'none' ? null : { amountMinor: num(r.commissionMinor), currency: r.commissionCurrency },
      paymentLocation: r.paymentLocation,
      canCancel: user.canBookPartner && r.bookedByOrganisationId === org && r.partnershipStatus === 'active' && canPartnerCancel(r, now),
    })),
  };
}

export async function partnerCount(db: Executor, where: SQL): Promise<number> {
  const [row] = await db.select({ n: sql<number>`COUNT(*)` }).from(bookings).where(where);
  return num(row?.n);
}
