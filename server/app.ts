/**
 * The Express application: security headers, the cross-origin check on state-changing requests (and on every API
 * request, GET included), /healthz and /readyz, the tRPC API at /trpc and the built client (single-page app) for every
 * other GET. Every error, including the body parser's, is answered as JSON in the tRPC error shape (decision 010).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appRouter } from './router';
import { contextFactory, type AppDeps } from './trpc';
import { englishMessage } from './errors';
import { describeError } from './log-safety';
import { requestLog, requestLogging } from './logger';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './input-safety';
import { outboxHealth, type OutboxHealth } from './workflow-outbox';
import { statisticsCsvRouter } from './statistics/csv';

const JSON_RPC_CODES: Record<string, number> = {
  PARSE_ERROR: -32700, BAD_REQUEST: -32600, FORBIDDEN: -32003, PAYLOAD_TOO_LARGE: -32413, UNSUPPORTED_MEDIA_TYPE: -32415,
  INTERNAL_SERVER_ERROR: -32603, NOT_FOUND: -32004,
};

/** An error answered in the shape the tRPC client reads (`error.data.key` is the i18n key). */
export function sendJsonError(res: Response, httpStatus: number, code: string, key: string) {
  res.setHeader('Cache-Control', 'no-store');
  res.status(httpStatus).json({ error: { message: englishMessage(key), code: JSON_RPC_CODES[code] ?? -32600, data: { code, httpStatus, key } } });
}

function crossOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  const host = req.headers['x-forwarded-host'] && req.app.get('trust proxy') ? String(req.headers['x-forwarded-host']) : req.headers.host;
  const fetchSite = req.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  if (origin === undefined) return false;
  try { return !host || new URL(origin).host !== host; } catch { return true; }
}

/**
 * Rejects state-changing requests that a browser sent from another origin (Lucia's CSRF recipe): the Origin header
 * must match the Host, and Sec-Fetch-Site, when sent, must say same-origin.
 */
export function sameOriginGuard(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  if (!req.headers.origin || crossOrigin(req)) return sendJsonError(res, 403, 'FORBIDDEN', 'auth.cross_origin');
  next();
}

/**
 * The API's guard, GET included: a page of another site may not make the browser call the API with the user's
 * cookie (a navigation or an <img> to a batched GET URL would otherwise run queries, and write denial audit rows, in
 * the victim's name). A GET without Origin and Sec-Fetch-Site (a typed URL in an old browser, curl) is let through:
 * no cross-site page can send one from a current browser.
 */
export function apiOriginGuard(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (crossOrigin(req)) return sendJsonError(res, 403, 'FORBIDDEN', 'auth.cross_origin');
    return next();
  }
  return sameOriginGuard(req, res, next);
}

/** JSON nested deeper than MAX_JSON_DEPTH is refused before it is parsed (tRPC re-stringifies inputs recursively). */
function refuseDeepQueryInput(req: Request, res: Response, next: NextFunction) {
  const input = req.query.input;
  const values = Array.isArray(input) ? input : [input];
  if (values.some((v) => typeof v === 'string' && jsonDepthExceeds(v, MAX_JSON_DEPTH))) return sendJsonError(res, 400, 'BAD_REQUEST', 'request.too_deep');
  next();
}

class TooDeep extends Error {
  constructor() { super('JSON nested too deeply'); this.name = 'TooDeep'; }
}

const jsonBody = express.json({
  limit: '2mb',
  verify: (_req, _res, buf) => { if (jsonDepthExceeds(buf, MAX_JSON_DEPTH)) throw new TooDeep(); },
});

/** A request body the API reads must be JSON: another declared content type is refused with a JSON 415. */
function onlyJsonBodies(req: Request, res: Response, next: NextFunction) {
  const type = req.headers['content-type'];
  if (type && req.method !== 'GET' && req.method !== 'HEAD' && !/^application\/json\b/i.test(type)) {
    return sendJsonError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'request.unsupported_media_type');
  }
  next();
}

/** Body-parser's error types (and our depth check) → status, tRPC code and i18n key. */
function describeRequestError(err: { type?: string; status?: number; statusCode?: number }): [number, string, string] | null {
  if (err instanceof TooDeep || (err as { cause?: unknown }).cause instanceof TooDeep) return [400, 'BAD_REQUEST', 'request.too_deep'];
  switch (err.type) {
    case 'entity.parse.failed': return [400, 'PARSE_ERROR', 'request.malformed_json'];
    case 'entity.too.large': return [413, 'PAYLOAD_TOO_LARGE', 'request.too_large'];
    case 'encoding.unsupported': case 'charset.unsupported': return [415, 'UNSUPPORTED_MEDIA_TYPE', 'request.unsupported_encoding'];
    case 'entity.verify.failed': return [400, 'BAD_REQUEST', 'request.too_deep'];
    default: break;
  }
  const status = err.status ?? err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return [status, 'BAD_REQUEST', 'request.malformed_body'];
  return null;
}

/**
 * The last middleware: answers every error as JSON in the tRPC shape, never Express's HTML page with a stack. Logs
 * only the kind of error and the path: a parser error's message can quote the body (a password).
 */
export function jsonErrorHandler(err: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(err);
  const known = describeRequestError((err ?? {}) as { type?: string; status?: number });
  if (known) {
    requestLog(req).warn({ method: req.method, path: req.path, key: known[2], status: known[0] }, 'request refused');
    return sendJsonError(res, known[0], known[1], known[2]);
  }
  requestLog(req).error({ method: req.method, path: req.path, err: describeError(err) }, 'request failed (500)');
  return sendJsonError(res, 500, 'INTERNAL_SERVER_ERROR', 'error.internal');
}

/** The most calls one batched request may carry (the client's httpBatchLink uses the same maxItems). */
export const MAX_BATCH_SIZE = 10;

/** Pending outbox rows older than this make the API not ready: workflows are not being started. */
export const OUTBOX_MAX_PENDING_AGE_SECONDS = 300;

export interface Readiness {
  status: 'ready' | 'not_ready';
  database: boolean;
  temporal: boolean;
  /** Parked rows (`failed`) are reported for an operator; they do not make the API unready. */
  outbox: OutboxHealth | null;
}

/** Cheap: one indexed query on the outbox (it doubles as the database check) and a Temporal call with a short deadline. */
export async function readiness(deps: Pick<AppDeps, 'db' | 'workflows'>): Promise<Readiness> {
  const [outbox, temporal] = await Promise.all([
    outboxHealth(deps.db).catch(() => null),
    deps.workflows.temporalReachable(1_500).catch(() => false),
  ]);
  const database = outbox !== null;
  const ready = database && temporal && outbox.oldestPendingSeconds <= OUTBOX_MAX_PENDING_AGE_SECONDS;
  return { status: ready ? 'ready' : 'not_ready', database, temporal, outbox };
}

export function createApp(deps: AppDeps, clientDir = resolve('dist/client')) {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY);
  // Request IDs (X-Request-Id) and one JSON log line per answer, with the user once the session is known (logger.ts).
  app.use(requestLogging());
  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'");
    // HSTS only over TLS (req.secure honours X-Forwarded-Proto when TRUST_PROXY is set): a plain-HTTP answer cannot set it.
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
  // Liveness: the process is up. Readiness: the database and Temporal answer and the workflow outbox keeps up.
  app.get('/healthz', (_req, res) => { res.setHeader('Cache-Control', 'no-store'); res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness(deps);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  const noStore = (_req: Request, res: Response, next: NextFunction) => { res.setHeader('Cache-Control', 'no-store'); next(); };
  app.use('/trpc', noStore, apiOriginGuard, refuseDeepQueryInput, onlyJsonBodies, jsonBody, createExpressMiddleware({
    router: appRouter, createContext: contextFactory(deps), maxBatchSize: MAX_BATCH_SIZE,
    // Every 5xx is logged here, once, with the path and a safe description: never the input (personal data, passwords).
    onError({ error, path, type, req }) {
      if (error.code !== 'INTERNAL_SERVER_ERROR') return;
      requestLog(req).error({ procedure: path ?? '(unknown path)', type, err: describeError(error.cause ?? error) }, 'procedure failed (500)');
    },
  }));
  // Streamed CSV downloads (GET only; the same session and authorisation as tRPC, and the same origin check).
  app.use('/exports', apiOriginGuard, refuseDeepQueryInput);
  app.use(statisticsCsvRouter(deps));
  app.use(sameOriginGuard);
  if (existsSync(clientDir)) {
    app.use(express.static(clientDir, { index: false, maxAge: '1h' }));
    app.get(/^(?!\/trpc).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => { res.type('text').send('The client is not built. Run "npm run build", or use "npm run dev".'); });
  }
  // Anything else (another method, an unknown API path): a JSON 404 in the same shape, not Express's HTML page.
  app.use((_req: Request, res: Response) => sendJsonError(res, 404, 'NOT_FOUND', 'request.not_found'));
  app.use(jsonErrorHandler);
  return app;
}
