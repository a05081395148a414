/**
 * tRPC plumbing: context (session validation with sliding expiry), error formatting (field errors with i18n keys, no
 * stack traces) and the procedure builders every router uses. Each builder carries a policy from authz.ts, enforced
 * by one middleware here; procedures check the object with authz.ts's tenant-scoped loaders.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Request, Response } from 'express';
import type { Config } from './config';
import { isConnectionLost, type Db } from '../db/client';
import { DomainError, englishMessage } from './errors';
import { readSessionToken, validateSessionToken, sessionCookie, type ValidSession } from './auth/session';
import type { WorkflowGateway } from './workflow-outbox';
import { AccessDenied, decide, type Meta, type Policy } from './authz';
import { writeAudit } from './audit';
import { describeError } from './log-safety';
import { identifyRequest, requestLog } from './logger';
import { findTextProblems, TextInputError } from './input-safety';

export interface AppDeps {
  db: Db; config: Config; workflows: WorkflowGateway;
  /** Reads that may lag a little (statistics and their CSV) go here: a replica (DATABASE_READ_URL); `db` when absent. */
  readDb?: Db;
}

export interface Context extends AppDeps {
  req: Request;
  res: Response;
  session: ValidSession | null;
  ip: string;
}

export function contextFactory(deps: AppDeps) {
  return async ({ req, res }: CreateExpressContextOptions): Promise<Context> => {
    const token = readSessionToken(req.headers.cookie);
    const policy = { idleMs: deps.config.sessionIdleMs, absoluteMs: deps.config.sessionAbsoluteMs };
    let session: ValidSession | null;
    try {
      session = token ? await validateSessionToken(deps.db, token, policy) : null;
    } catch (err) {
      throw retryableOr(err, '(session)', req);
    }
    // Sliding expiry: renew the cookie's lifetime along with the row.
    if (session && token) res.appendHeader('Set-Cookie', sessionCookie(token, session.expiresAt, deps.config.cookieSecure));
    // Every later log line of this request names the user and organisation (IDs only).
    if (session) identifyRequest(req, { userId: session.user.id, organisationId: session.user.organisationId });
    return { ...deps, req, res, session, ip: req.ip ?? '' };
  };
}

interface FieldError { key: string; message: string }

/**
 * An issue without a message key of ours (a schema that sets none for e.g. a wrong type, where zod writes English the
 * client cannot translate) gets the generic key: required, too long or not valid.
 */
function messageKey(issue: { code?: string; message: string }): string {
  if (englishMessage(issue.message) !== issue.message) return issue.message;
  if (issue.code === 'too_big') return 'validation.too_long';
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return 'validation.required';
  return 'validation.invalid';
}

function issuesOf(cause: unknown): { path: PropertyKey[]; message: string }[] | null {
  if (cause && typeof cause === 'object' && 'issues' in cause && Array.isArray((cause as { issues: unknown }).issues)) {
    return (cause as { issues: { path?: (PropertyKey | { key: PropertyKey })[]; message: string; code?: string }[] }).issues.map((i) => ({
      path: (i.path ?? []).map((p) => (typeof p === 'object' && p !== null ? p.key : p)),
      message: messageKey(i),
    }));
  }
  return null;
}

/** Keys of the errors tRPC itself answers (no DomainError behind them). */
const PROTOCOL_KEYS: Partial<Record<TRPCError['code'], string>> = {
  NOT_FOUND: 'request.unknown_procedure',
  METHOD_NOT_SUPPORTED: 'request.method_not_allowed',
  UNSUPPORTED_MEDIA_TYPE: 'request.unsupported_media_type',
  BAD_REQUEST: 'request.invalid',
  PAYLOAD_TOO_LARGE: 'request.too_large',
  UNAUTHORIZED: 'auth.signed_out',
  FORBIDDEN: 'auth.forbidden',
};

const t = initTRPC.context<Context>().meta<Meta>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const issues = error.code === 'BAD_REQUEST' ? issuesOf(error.cause) : null;
    if (issues) {
      const fieldErrors: Record<string, FieldError[]> = {};
      for (const issue of issues) {
        // Array indices are dropped: an error in locationIds[2] belongs to the locationIds field.
        const field = issue.path.filter((p) => typeof p !== 'number').map(String).join('.') || '_';
        (fieldErrors[field] ??= []).push({ key: issue.message, message: englishMessage(issue.message) });
      }
      const message = Object.entries(fieldErrors).map(([f, errs]) => `${f}: ${errs[0].message}`).join(' ');
      return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, fieldErrors } };
    }
    // A GET whose `input` parameter is not JSON (the body's parse errors are answered before tRPC, in app.ts).
    if (error.code === 'PARSE_ERROR' || (error.code === 'BAD_REQUEST' && error.cause instanceof SyntaxError)) {
      const message = englishMessage('request.malformed_json');
      return {
        ...shape, message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, key: 'request.malformed_json', fieldErrors: { input: [{ key: 'request.malformed_json', message }] } },
      };
    }
    const cause = error.cause instanceof DomainError ? error.cause : null;
    if (cause) {
      const fieldErrors = cause.field ? { [cause.field]: [{ key: cause.key, message: cause.message }] } : undefined;
      return {
        ...shape, message: cause.message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, key: cause.key, params: cause.params, fieldErrors },
      };
    }
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    // tRPC's own answers (unknown path, wrong method or content type, a malformed batch, no session) get a key too,
    // so that every error can be shown translated; its English texts are replaced by ours.
    const key = internal ? 'error.internal' : PROTOCOL_KEYS[error.code];
    return {
      ...shape,
      message: key ? englishMessage(key) : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, key },
    };
  },
});

async function auditDenial(ctx: Context, user: NonNullable<Context['session']>['user'], path: string, reason: string) {
  await writeAudit(ctx.db, {
    organisationId: user.organisationId, actorUserId: user.id, action: 'authz.denied', objectType: 'procedure', objectId: path,
    after: { reason }, ip: ctx.ip,
  }).catch((err) => requestLog(ctx.req).error({ procedure: path, err: describeError(err) }, 'could not write the denial to the audit log'));
}

function toTrpcError(cause: DomainError) {
  return new TRPCError({ code: cause.code, message: cause.message, cause });
}

/**
 * A lost database connection (killed, restarted, network) is answered as 503 "Please try again" rather than a 500:
 * the statement did not run or its transaction was rolled back, and the pool opens a new connection for the next call.
 */
function retryableOr(err: unknown, path: string, req: Request): unknown {
  if (!isConnectionLost(err)) return err;
  requestLog(req).warn({ procedure: path, err: describeError(err) }, 'database connection lost, answered "try again"');
  return toTrpcError(new DomainError('SERVICE_UNAVAILABLE', 'error.try_again'));
}

/**
 * Enforces the procedure's policy (see authz.ts), maps DomainError to its tRPC code, and writes every denial of a
 * signed-in caller to the audit log.
 */
const enforce = t.middleware(async ({ ctx, meta, path, next, getRawInput }) => {
  const user = ctx.session?.user ?? null;
  const decision = decide(meta?.policy ?? 'signedIn', user);
  if (decision === 'unauthenticated') throw toTrpcError(new DomainError('UNAUTHORIZED', 'auth.signed_out'));
  if (decision === 'forbidden') {
    await auditDenial(ctx, user!, path, 'auth.forbidden');
    throw toTrpcError(new DomainError('FORBIDDEN', 'auth.forbidden'));
  }
  // Every string of every input, whatever its schema: well-formed Unicode without control characters (decision 010).
  const textIssues = findTextProblems(await getRawInput());
  if (textIssues.length) throw new TRPCError({ code: 'BAD_REQUEST', message: 'input text is not well-formed', cause: new TextInputError(textIssues) });
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (user && (result.error.code === 'FORBIDDEN' || cause instanceof AccessDenied)) {
    await auditDenial(ctx, user, path, cause instanceof DomainError ? cause.key : result.error.code);
  }
  if (cause instanceof DomainError) throw toTrpcError(cause);
  if (isConnectionLost(cause)) throw retryableOr(cause, path, ctx.req);
  // 5xx are logged once, without inputs, by the adapter's onError (app.ts).
  return result;
});

function withPolicy(policy: Policy) {
  return t.procedure.meta({ policy }).use(enforce);
}

/** The signed-in user, typed as present: only for procedures whose policy requires one. */
const withUser = t.middleware(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next({ ctx: { ...ctx, session: ctx.session, user: ctx.session.user } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = withPolicy('public');
export const authedProcedure = withPolicy('signedIn').use(withUser);
export const adminProcedure = withPolicy('orgAdmin').use(withUser);
export const institutionAdminProcedure = withPolicy('institutionAdmin').use(withUser);
export const bookerProcedure = withPolicy('booker').use(withUser);
export const institutionMemberProcedure = withPolicy('institutionMember').use(withUser);

export { englishMessage };
