/**
 * Structured JSON logs (pino, decision 011): one JSON object a line on stdout, with `requestId` on every line of an API
 * request and `userId` / `organisationId` once the session is known; the worker's Temporal logs (workflow and activity
 * lines with `workflowId`, `workflowType`, `activityType`) go through the same logger (see `temporalLogger`).
 *
 * What never reaches a log: passwords, tokens, cookies, email bodies and addresses, patient fields, request bodies and
 * query strings (a tRPC GET carries its input there). Three layers keep them out:
 * - callers log IDs, keys and statuses only, and errors through `describeError` (server/log-safety.ts), which drops
 *   query parameters and email addresses — it is this logger's `err` serializer;
 * - an HTTP line carries the method, the path without its query string and the status, never headers or the body;
 * - `REDACTED_KEYS` censors any of those fields that a log call passes anyway (pino's `redact`, at the top level and
 *   one or two objects deep).
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { describeError } from './log-safety';

export type { Logger };

/** Field names whose values are never logged, wherever a caller puts them (one or two objects deep). */
export const REDACTED_KEYS = [
  // credentials
  'password', 'passwordConfirm', 'newPassword', 'currentPassword', 'passwordHash', 'token', 'tokenHash', 'secret',
  'appSecret', 'apiKey', 'authorization', 'cookie', 'set-cookie', 'session', 'sessionToken',
  // email contents and addresses
  'email', 'toAddress', 'to', 'subject', 'html', 'text', 'body', 'link',
  // patient fields (db/schema.ts patients, booking inputs)
  'patient', 'name', 'birthDate', 'nationalId', 'cnp', 'phone', 'notes', 'reason',
  // request payloads
  'input', 'rawInput', 'query', 'headers', 'params', 'args',
] as const;

const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`];
});

const LEVELS: LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `LOG_LEVEL` (default `info`; under vitest `warn`, so that test output stays readable). */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LevelWithSilent {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return env.VITEST ? 'warn' : 'info';
  if (!(LEVELS as string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as LevelWithSilent;
}

/** A logger writing JSON lines to `destination` (stdout by default). Tests pass their own stream to read the lines. */
export function createLogger(options: { level?: LevelWithSilent; destination?: DestinationStream; base?: Record<string, unknown> } = {}): Logger {
  return pino({
    level: options.level ?? logLevelFromEnv(),
    base: { pid: process.pid, ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Errors are described, never dumped: a database error's message and `sql` carry the query's parameters.
    serializers: { err: (e: unknown) => describeError(e), error: (e: unknown) => describeError(e) },
  }, options.destination ?? pino.destination({ dest: 1, sync: true }));
}

/** Made at the first log call, so a process may set LOG_LEVEL before (the benchmarks default it to warn). */
let root: Logger | undefined;

/** The process's logger. */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}

/** Replaces the process's logger (tests capture the lines; the old one is returned to put back). */
export function setLogger(next: Logger): Logger {
  const previous = logger();
  root = next;
  return previous;
}

/** A component's logger, e.g. `componentLogger('workflow-outbox').warn(...)`: resolved at each call, so tests can swap the root. */
export function componentLogger(component: string) {
  const get = () => logger().child({ component });
  return {
    info: (msg: string, fields: Record<string, unknown> = {}) => get().info(fields, msg),
    warn: (msg: string, fields: Record<string, unknown> = {}) => get().warn(fields, msg),
    error: (msg: string, fields: Record<string, unknown> = {}) => get().error(fields, msg),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** An incoming X-Request-Id is kept when it is short and plain (a proxy's or load balancer's ID), else replaced. */
export function acceptableRequestId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(value);
}

const REQUEST_LOG = Symbol('requestLog');
type WithLog = Request & { [REQUEST_LOG]?: Logger; requestId?: string };

/** The request's logger (carrying requestId, and userId/organisationId once known); the root logger outside a request. */
export function requestLog(req: Request): Logger {
  return (req as WithLog)[REQUEST_LOG] ?? logger();
}

/** The request's ID (also in the X-Request-Id response header). */
export function requestIdOf(req: Request): string | undefined {
  return (req as WithLog).requestId;
}

/** Adds the signed-in user to every later line of this request (the tRPC context calls this once the session is known). */
export function identifyRequest(req: Request, user: { userId: number; organisationId: number }) {
  const r = req as WithLog;
  r[REQUEST_LOG] = requestLog(req).child({ userId: user.userId, organisationId: user.organisationId });
}

/**
 * Paths hold IDs only; a long opaque segment (a token someone put in a path) is replaced. The query string is never
 * logged: tRPC GETs carry their input there, the set-password and cancel-booking pages their token.
 */
export function loggablePath(path: string): string {
  return path.split('/').map((s) => (s.length >= 24 && /^[A-Za-z0-9_.%-]+$/.test(s) && !/^[a-z]+(\.[a-zA-Z]+)+(,[a-z]+(\.[a-zA-Z]+)+)*$/.test(s) ? ':opaque' : s)).join('/').slice(0, 500);
}

/**
 * Express middleware: gives each request an ID (a sane incoming X-Request-Id, or a new UUID), echoes it in the
 * X-Request-Id response header, and logs one line when the answer is finished: method, path (no query), status and
 * duration, with the request's IDs. 5xx at error, 4xx at info, the rest at info (health checks at debug).
 */
export function requestLogging() {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = acceptableRequestId(incoming) ? incoming : randomUUID();
    const r = req as WithLog;
    r.requestId = requestId;
    r[REQUEST_LOG] = logger().child({ requestId });
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const fields = {
        method: req.method, path: loggablePath(req.originalUrl.split('?')[0]), status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
      };
      const log = requestLog(req);
      if (res.statusCode >= 500) log.error(fields, 'request failed');
      else if (req.path === '/healthz' || req.path === '/readyz') log.debug(fields, 'request completed');
      else log.info(fields, 'request completed');
    });
    next();
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Temporal (worker)

const TEMPORAL_LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/**
 * Temporal's Logger interface on top of pino, for `Runtime.install({ logger })`: workflow lines (through the SDK's
 * sinks) and activity lines carry the SDK's metadata — namespace, taskQueue, workflowId, runId, workflowType,
 * activityType, attempt — as fields. An `error`/`failure` in the metadata is described, never dumped.
 */
export function temporalLogger(base: () => Logger = logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const fields: Record<string, unknown> = { component: 'temporal' };
    for (const [k, v] of Object.entries(meta ?? {})) {
      if (k === 'taskToken') continue; // binary, of no use to a reader
      fields[k === 'error' || k === 'failure' ? 'err' : k] = v;
    }
    base()[TEMPORAL_LEVELS[level] ?? 'info'](fields, message);
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
