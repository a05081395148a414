/**
 * CSV exports of the statistics, streamed: rows are read from MySQL as a stream (mysql2's query stream on one pooled
 * connection, the same SQL as the page without LIMIT) and piped through csv-stringify into the HTTP response, so memory
 * stays flat whatever the number of rows. Back-pressure is end to end: a slow client pauses the database stream.
 *
 *   GET /exports/statistics.csv?input=<JSON>&lang=en|ro          institution members ("Reports / Statistics")
 *   GET /exports/partner-statistics.csv?input=<JSON>&lang=en|ro  partner admins and bookers (partner side)
 *
 * `input` is the JSON of the tRPC input of `statistics.institution` (resp. `statistics.partner`) without page and
 * pageSize, validated by the same zod schema: exactly the filtered rows, in the page's sort order. `lang` chooses the
 * header row and the words in cells (statuses, sources); the user's own language by default.
 * Authentication is the tRPC context's (the same session cookie validation and sliding renewal) and authorisation
 * the same policy function (authz.decide) and tenant scoping; denials are audited. It is a GET with no state change,
 * so no CSRF token is needed; a cross-site fetch (Sec-Fetch-Site: cross-site) is refused anyway.
 *
 * Response: 200 text/csv; charset=utf-8, UTF-8 BOM (spreadsheets then read diacritics), Content-Disposition attachment
 * with a file name carrying the period, Cache-Control: no-store, and X-Total-Count: the number of data rows, known
 * before the first row (one COUNT query) so that the client can show progress (rows or bytes received of the total).
 * Errors before streaming are JSON in the tRPC error shape ({ error: { message, data: { code, httpStatus, key,
 * fieldErrors } } }) with 400/401/403/404. Cells starting with = + - @ TAB or CR are prefixed with ' (spreadsheet
 * formula injection). Nothing personal is logged.
 */
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify';
import { Transform, pipeline } from 'node:stream';
import type { PoolConnection as CorePoolConnection } from 'mysql2';
import type { SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Pool } from 'mysql2/promise';
import { contextFactory, type AppDeps } from '../trpc';
import { decide, type Policy } from '../authz';
import { DomainError, englishMessage } from '../errors';
import { writeAudit } from '../audit';
import { describeError } from '../log-safety';
import { logger, requestLog } from '../logger';
import type { SessionUser } from '../auth/session';
import { minorDigits } from '../domain/commission';
import {
  assertOwnFilterIds, institutionCount, institutionCsvFields, institutionCsvQuery, institutionDimensions, institutionOrder, institutionWhere, orderBy,
  partnerCount, partnerRowFields, type Dimensions,
  partnerRowsQuery, partnerScope, sourceOf, type SourceKind,
} from './queries';
import { partnerExportInput, statisticsExportInput } from './schemas';
import { localClock, resolvePeriod, type PeriodInput } from './period';

export type Lang = 'en' | 'ro';

export const CSV_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    id: 'Booking ID', date: 'Date', time: 'Time', timeZone: 'Time zone', institution: 'Institution', location: 'Location', physician: 'Physician',
    service: 'Service', patient: 'Patient', status: 'Status', paymentStatus: 'Payment status', source: 'Booking source', bookedBy: 'Booked by',
    price: 'Price', currency: 'Currency', commission: 'Commission', commissionCurrency: 'Commission currency', paymentLocation: 'Payment location',
    'status.booked': 'Booked', 'status.arrived': 'Arrived', 'status.fulfilled': 'Completed', 'status.cancelled': 'Cancelled', 'status.noshow': 'No-show',
    'payment.payment_upon_examination': 'Payment upon examination', 'payment.paid_on_site': 'Paid on site', 'payment.paid_by_transfer': 'Paid by transfer',
    'payment.paid_at_partner': 'Paid at partner', 'payment.not_paid': 'Not paid',
    'source.online': 'Online', 'source.phone': 'Phone', 'source.staff': 'Reception', 'source.partner': 'Partner',
    'paymentLocation.partner': 'At the partner', 'paymentLocation.institution': 'At the institution', 'bookedBy.institution': 'The institution',
  },
  ro: {
    id: 'ID rezervare', date: 'Data', time: 'Ora', timeZone: 'Fus orar', institution: 'Instituție', location: 'Locație', physician: 'Medic',
    service: 'Serviciu', patient: 'Pacient', status: 'Stare', paymentStatus: 'Stare plată', source: 'Sursa rezervării', bookedBy: 'Rezervat de',
    price: 'Preț', currency: 'Monedă', commission: 'Comision', commissionCurrency: 'Moneda comisionului', paymentLocation: 'Locul plății',
    'status.booked': 'Rezervat', 'status.arrived': 'Prezent', 'status.fulfilled': 'Finalizat', 'status.cancelled': 'Anulat', 'status.noshow': 'Neprezentat',
    'payment.payment_upon_examination': 'Plata la examinare', 'payment.paid_on_site': 'Plătit la fața locului', 'payment.paid_by_transfer': 'Plătit prin transfer',
    'payment.paid_at_partner': 'Plătit la partener', 'payment.not_paid': 'Neplătit',
    'source.online': 'Online', 'source.phone': 'Telefon', 'source.staff': 'Recepție', 'source.partner': 'Partener',
    'paymentLocation.partner': 'La partener', 'paymentLocation.institution': 'La instituție', 'bookedBy.institution': 'Instituția',
  },
};

/** Spreadsheet formula injection: a cell starting with = + - @ TAB or CR is prefixed with a single quote. */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Minor units as a plain decimal with the currency's own digits ('12.35', '1500' for JPY), dot as separator. */
export function decimalOf(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const unit = 10n ** BigInt(digits);
  const text = digits ? `${abs / unit}.${(abs % unit).toString().padStart(digits, '0')}` : `${abs}`;
  return negative ? `-${text}` : text;
}

const INSTITUTION_COLUMNS = ['id', 'date', 'time', 'timeZone', 'location', 'physician', 'service', 'patient', 'status', 'paymentStatus', 'source',
  'price', 'currency', 'commission', 'commissionCurrency', 'paymentLocation'] as const;
const PARTNER_COLUMNS = ['id', 'institution', 'date', 'time', 'timeZone', 'location', 'physician', 'service', 'patient', 'status', 'paymentStatus',
  'bookedBy', 'price', 'currency', 'commission', 'commissionCurrency', 'paymentLocation'] as const;

type Row = Record<string, unknown>;

function fromArray(keys: string[]) {
  return (values: unknown[]) => {
    const r: Row = {};
    for (let i = 0; i < keys.length; i++) r[keys[i]] = values[i];
    return r;
  };
}

export type Clock = (instant: Date, timeZone: string) => { date: string; time: string };

function dateCells(clock: Clock, startsAt: Date, timeZone: string) {
  const local = clock(startsAt, timeZone);
  return [local.date, local.time, timeZone];
}

function commissionCells(r: Row): [string, string] {
  if (r.commissionType === 'none') return ['', ''];
  return [decimalOf(Number(r.commissionMinor), String(r.commissionCurrency)), String(r.commissionCurrency)];
}

/** One institution CSV record from a row of institutionCsvQuery and the institution's dimension maps. */
export function institutionCsvRecord(r: Row, institutionId: number, L: Record<string, string>, dims: Dimensions, clock: Clock): string[] {
  const location = dims.locations.get(r.locationId as number);
  const timeZone = location?.timeZone ?? 'UTC';
  const partnerName = r.partnershipId ? dims.partners.get(r.partnershipId as number) ?? null : null;
  const source = sourceOf({ ...(r as Parameters<typeof sourceOf>[0]), partnerName }, institutionId);
  const [commission, commissionCurrency] = commissionCells(r);
  return [
    String(r.id), ...dateCells(clock, r.startsAt as Date, timeZone), location?.name ?? '', dims.physicians.get(r.physicianId as number) ?? '',
    dims.services.get(r.serviceId as number) ?? '', (r.patientName as string | null) ?? '', L[`status.${r.status}`], L[`payment.${r.paymentStatus}`],
    source.kind === 'partner' ? (source.partnerName ?? L['source.partner']) : L[`source.${source.kind as SourceKind}`],
    decimalOf(Number(r.priceMinor), String(r.currency)), String(r.currency), commission, commissionCurrency,
    r.paymentLocation ? L[`paymentLocation.${r.paymentLocation}`] : '',
  ].map(neutraliseCell);
}

export function partnerCsvRecord(r: Row, organisationId: number, L: Record<string, string>, clock: Clock): string[] {
  const [commission, commissionCurrency] = commissionCells(r);
  return [
    String(r.id), String(r.institutionName), ...dateCells(clock, r.startsAt as Date, String(r.timeZone)), String(r.locationName), String(r.physicianName),
    String(r.serviceName), (r.patientName as string | null) ?? '', L[`status.${r.status}`], L[`payment.${r.paymentStatus}`],
    r.bookedByOrganisationId === organisationId ? ((r.bookedByName as string | null) ?? '') : L['bookedBy.institution'],
    decimalOf(Number(r.priceMinor), String(r.currency)), String(r.currency), commission, commissionCurrency,
    r.paymentLocation ? L[`paymentLocation.${r.paymentLocation}`] : '',
  ].map(neutraliseCell);
}

// ---------------------------------------------------------------------------------------------------------------
// Streaming

export interface CsvSource {
  /** The SQL and parameters of the row query (drizzle's toSQL()). */
  query: { sql: string; params: unknown[] };
  /** Column keys in select order: mysql2 returns rows as arrays (as drizzle itself reads them). */
  keys: string[];
  header: string[];
  record: (r: Row) => string[];
}

/**
 * Streams the rows of `src` as CSV into `out` on its own pooled connection. Resolves with the number of data rows when
 * the response is complete; if the client goes away the query is abandoned and the connection destroyed (not returned
 * to the pool half-read).
 */
export function streamCsv(pool: Pool, src: CsvSource, out: NodeJS.WritableStream & { destroyed?: boolean }): Promise<number> {
  const core = (pool as unknown as { pool: { getConnection(cb: (err: Error | null, c: CorePoolConnection) => void): void } }).pool;
  return new Promise((resolve, reject) => {
    core.getConnection((err, conn) => {
      if (err) { reject(err); return; }
      let rows = 0;
      const toRecord = fromArray(src.keys);
      const dbStream = conn.query({ sql: src.query.sql, values: src.query.params, rowsAsArray: true } as never).stream({ highWaterMark: 500 });
      const toCsv = new Transform({
        objectMode: true, highWaterMark: 500,
        transform(values: unknown[], _enc, cb) { rows += 1; cb(null, src.record(toRecord(values))); },
      });
      const csv = stringify({ header: true, columns: src.header, bom: true });
      pipeline(dbStream, toCsv, csv, out as NodeJS.WritableStream, (e) => {
        if (e) { conn.destroy(); reject(e); } else { conn.release(); resolve(rows); }
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The route

interface Export {
  path: string;
  policy: Policy;
  /** An extra condition on the signed-in user (partner side: an administrator or a "Can book" holder). */
  allowed?: (user: SessionUser) => boolean;
  prepare(deps: AppDeps, user: SessionUser, rawInput: unknown, lang: Lang, now: Date): Promise<{ source: CsvSource; count: () => Promise<number>; fileName: string }>;
}

export function mayReadPartnerStatistics(user: SessionUser): boolean {
  return user.role === 'admin' || user.canBookPartner;
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '');

const EXPORTS: Export[] = [
  {
    path: '/exports/statistics.csv',
    policy: 'institutionMember',
    async prepare({ db }, user, raw, lang, now) {
      const input = statisticsExportInput.parse(raw);
      const period = resolvePeriod(input.period as PeriodInput, user.timeZone, now);
      await assertOwnFilterIds(db, user.organisationId, input);
      const where = institutionWhere(user.organisationId, period, input);
      const [{ order }, dims] = await Promise.all([institutionOrder(db, user.organisationId, input.sort.by), institutionDimensions(db, user.organisationId)]);
      const L = CSV_LABELS[lang];
      const clock = localClock(period.startsAt, period.endsBefore);
      return {
        source: {
          query: institutionCsvQuery(db, where, orderBy(order, input.sort.dir)).toSQL(), keys: Object.keys(institutionCsvFields),
          header: INSTITUTION_COLUMNS.map((c) => L[c]), record: (r) => institutionCsvRecord(r, user.organisationId, L, dims, clock),
        },
        count: () => institutionCount(db, where),
        fileName: `statistics-${period.from}-${period.to}${input.scope === 'partners' ? '-partners' : ''}.csv`,
      };
    },
  },
  {
    path: '/exports/partner-statistics.csv',
    policy: 'signedIn',
    allowed: mayReadPartnerStatistics,
    async prepare({ db }, user, raw, lang, now) {
      const input = partnerExportInput.parse(raw);
      const { institutions, where } = await partnerScope(db, user, input, now);
      const L = CSV_LABELS[lang];
      const p = institutions[0]?.period;
      const clock = localClock(new Date(Math.min(...institutions.map((i) => i.period.startsAt.getTime()))),
        new Date(Math.max(...institutions.map((i) => i.period.endsBefore.getTime()))));
      return {
        source: {
          query: partnerRowsQuery(db, user.organisationId, where as SQL, input.sort).toSQL(), keys: Object.keys(partnerRowFields(user.organisationId)),
          header: PARTNER_COLUMNS.map((c) => L[c]), record: (r) => partnerCsvRecord(r, user.organisationId, L, clock),
        },
        count: () => partnerCount(db, where as SQL),
        fileName: `partner-statistics${input.institutionId ? `-${fileSafe(String(input.institutionId))}` : ''}${p ? `-${p.from}-${p.to}` : ''}.csv`,
      };
    },
  },
];

function sendError(res: Response, status: number, code: string, key: string, fieldErrors?: Record<string, { key: string; message: string }[]>) {
  const message = fieldErrors ? Object.entries(fieldErrors).map(([f, e]) => `${f}: ${e[0].message}`).join(' ') : englishMessage(key);
  res.status(status).setHeader('Cache-Control', 'no-store');
  res.json({ error: { message, data: { code, httpStatus: status, key, fieldErrors } } });
}

const HTTP_STATUS: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY_REQUESTS: 429 };

/** The CSV export routes; mounted by server/app.ts before the client's catch-all. */
export function statisticsCsvRouter(deps: AppDeps): Router {
  const router = Router();
  const createContext = contextFactory(deps);
  // The export only reads, and may lag a little: a read replica when DATABASE_READ_URL names one, else the primary.
  const reads: AppDeps = { ...deps, db: deps.readDb ?? deps.db };
  for (const ex of EXPORTS) {
    router.get(ex.path, async (req: Request, res: Response) => {
      if (req.headers['sec-fetch-site'] === 'cross-site') { sendError(res, 403, 'FORBIDDEN', 'auth.cross_origin'); return; }
      const ctx = await createContext({ req, res, info: {} as never });
      const user = ctx.session?.user ?? null;
      const decision = decide(ex.policy, user);
      if (decision === 'unauthenticated') { sendError(res, 401, 'UNAUTHORIZED', 'auth.signed_out'); return; }
      if (decision === 'forbidden' || (ex.allowed && !ex.allowed(user!))) {
        await audit(deps, user!, ex.path, 'auth.forbidden', ctx.ip);
        sendError(res, 403, 'FORBIDDEN', 'auth.forbidden');
        return;
      }
      const langParam = typeof req.query.lang === 'string' ? req.query.lang : undefined;
      const lang: Lang = langParam === 'ro' || langParam === 'en' ? langParam : user!.locale;
      let prepared;
      try {
        let raw: unknown;
        try { raw = JSON.parse(typeof req.query.input === 'string' ? req.query.input : '{}'); } catch { raw = null; }
        prepared = await ex.prepare(reads, user!, raw, lang, new Date());
      } catch (err) {
        if (err instanceof z.ZodError) {
          const fieldErrors: Record<string, { key: string; message: string }[]> = {};
          for (const issue of err.issues) {
            const field = issue.path.filter((p) => typeof p !== 'number').map(String).join('.') || '_';
            (fieldErrors[field] ??= []).push({ key: issue.message, message: englishMessage(issue.message) });
          }
          sendError(res, 400, 'BAD_REQUEST', 'validation.invalid', fieldErrors);
          return;
        }
        if (err instanceof DomainError) {
          if (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN') await audit(deps, user!, ex.path, err.key, ctx.ip);
          sendError(res, HTTP_STATUS[err.code] ?? 400, err.code, err.key, err.field ? { [err.field]: [{ key: err.key, message: err.message }] } : undefined);
          return;
        }
        requestLog(req).error({ export: ex.path, err: describeError(err) }, 'CSV export failed before streaming');
        sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'error.internal');
        return;
      }
      try {
        const total = await prepared.count();
        res.status(200);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${prepared.fileName}"`);
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Total-Count', String(total));
        res.setHeader('Access-Control-Expose-Headers', 'X-Total-Count, Content-Disposition');
        // HEAD: the headers (with the count) only, no query stream.
        if (req.method === 'HEAD') { res.end(); return; }
        await streamCsv((reads.db as unknown as { $client: Pool }).$client, prepared.source, res);
      } catch (err) {
        // Headers may be gone already: the client sees a truncated download (fewer rows than X-Total-Count).
        requestLog(req).error({ export: ex.path, err: describeError(err) }, 'CSV export stream ended early');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'error.internal');
        else res.destroy();
      }
    });
  }
  return router;
}

async function audit(deps: AppDeps, user: SessionUser, path: string, reason: string, ip: string) {
  await writeAudit(deps.db, {
    organisationId: user.organisationId, actorUserId: user.id, action: 'authz.denied', objectType: 'route', objectId: path, after: { reason }, ip,
  }).catch((err) => logger().error({ component: 'authz', export: path, userId: user.id, organisationId: user.organisationId, err: describeError(err) }, 'could not write the denial to the audit log'));
}
