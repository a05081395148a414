/**
 * The Express application: security headers, the cross-origin check on state-changing requests, /healthz and
 * /readyz, the tRPC API at /trpc and the built client (single-page app) for every other GET.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appRouter } from './router';
import { contextFactory, type AppDeps } from './trpc';
import { englishMessage } from './errors';
import { outboxHealth, type OutboxHealth } from './workflow-outbox';
import { statisticsCsvRouter } from './statistics/csv';

/**
 * Rejects state-changing requests that a browser sent from another origin (Lucia's CSRF recipe): the Origin header
 * must match the Host, and Sec-Fetch-Site, when sent, must say same-origin.
 */
export function sameOriginGuard(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const origin = req.headers.origin;
  const host = req.headers['x-forwarded-host'] && req.app.get('trust proxy') ? String(req.headers['x-forwarded-host']) : req.headers.host;
  const fetchSite = req.headers['sec-fetch-site'];
  let sameHost = false;
  try { sameHost = !!origin && !!host && new URL(origin).host === host; } catch { sameHost = false; }
  if (!sameHost || (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none')) {
    res.status(403).json({ error: { message: englishMessage('auth.cross_origin'), code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403, key: 'auth.cross_origin' } } });
    return;
  }
  next();
}

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
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'");
    next();
  });
  // Liveness: the process is up. Readiness: the database and Temporal answer and the workflow outbox keeps up.
  app.get('/healthz', (_req, res) => { res.setHeader('Cache-Control', 'no-store'); res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness(deps);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'ready' ? 200 : 503).json(report);
  });
  app.use('/trpc', sameOriginGuard, express.json({ limit: '2mb' }), createExpressMiddleware({ router: appRouter, createContext: contextFactory(deps) }));
  // Streamed CSV downloads (GET only; the same session and authorisation as tRPC).
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
  return app;
}
