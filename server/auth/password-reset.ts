/**
 * "Forgot password?" (issue 10 item 1, decision 012): the operations that the auth router and the passwordReset
 * workflow's activities call.
 *
 * - requestPasswordReset: counts the request per IP and per email address (rate-limiter-flexible, the store of
 *   limits.ts), answers, and only then looks the address up (issuePasswordReset), so the answer and its timing are the
 *   same whether or not an account exists. Only active users get an email; invited (never signed in) and deactivated
 *   users, and unknown addresses, get nothing.
 * - issuePasswordReset: one transaction: revokes the user's open links, adds a password_resets row (expires in an hour),
 *   queues the email (email_outbox, IDs only) and the `passwordReset` workflow (workflow_outbox, IDs only), audits.
 * - armPasswordReset (the email activity): makes the random token at send time and stores only its SHA-256; the token
 *   itself exists only in the email. A retried send makes a new token, so only the link of the email that went out works.
 * - inspectPasswordReset / resetPassword: the reset page; the new password passes the NIST policy (newPasswordField),
 *   the link is checked before hashing, and setting it marks the link used, revokes the user's other links and ends
 *   every session of the user. The user then signs in with the new password (the reset itself signs nobody in).
 */
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { RateLimiterMemory, RateLimiterMySQL, type IRateLimiterStoreOptions } from 'rate-limiter-flexible';
import type { Db, Executor } from '../../db/client';
import { emailOutbox, organisations, passwordResets, users, workflowOutbox } from '../../db/schema';
import type { Config } from '../config';
import { DomainError } from '../errors';
import { writeAudit } from '../audit';
import { describeError } from '../log-safety';
import { componentLogger } from '../logger';
import { hashToken } from '../domain/invitation-token';
import { consume, giveBack, limitAnonymous, limitKey, limitsFor } from './limits';
import { hashPassword, PasswordServiceBusy } from './password';
import { invalidateUserSessions } from './session';
import { findTokenLink } from './token-link';

/** How long a reset link works. */
export const PASSWORD_RESET_EXPIRY_MS = 60 * 60_000;
/** Requests per email address (whether or not it has an account) in an hour. */
export const PASSWORD_RESET_PER_ACCOUNT = 3;
/** Requests from one IP (any addresses) in an hour. */
export const PASSWORD_RESET_PER_IP = 20;
const HOUR_S = 3600;

// ---------------------------------------------------------------------------------------------------------------
// The workflow's contract (types only are imported by workflows/password-reset.ts)

export const passwordResetWorkflowId = (userId: number) => `password-reset:${userId}`;

/** Input of the PasswordReset workflow: IDs only; the token never leaves the email. */
export interface PasswordResetInput {
  resetId: number;
  /** Set by the outbox dispatcher (`outbox:<rowId>`). */
  roundKey?: string;
}

export type PasswordResetSendResult = { status: 'sent' | 'already_sent'; expiresAt: number } | { status: 'gone' };
export type PasswordResetOutcome = 'used' | 'expired' | 'revoked';

export type PasswordResetState = 'valid' | 'invalid' | 'expired' | 'used' | 'revoked';

// ---------------------------------------------------------------------------------------------------------------
// Limits

interface ResetLimits { perIp: RateLimiterMySQL; perAccount: RateLimiterMySQL }
const limitCache = new WeakMap<Db, Promise<ResetLimits>>();

function resetLimits(db: Db, config: Config): Promise<ResetLimits> {
  let found = limitCache.get(db);
  if (found) return found;
  found = (async () => {
    // limits.ts creates the shared `rate_limits` table; these two limiters use it with their own key prefixes.
    await limitsFor(db, config);
    const pool = (db as unknown as { $client: { pool: unknown } }).$client.pool;
    const dbName = decodeURIComponent(new URL(config.databaseUrl).pathname.replace(/^\//, '')) || 'partner_module';
    const make = (keyPrefix: string, points: number) => new Promise<RateLimiterMySQL>((resolve, reject) => {
      const opts: IRateLimiterStoreOptions & { storeType: string; dbName: string; tableName: string; tableCreated: boolean } = {
        storeClient: pool, storeType: 'pool', dbName, tableName: 'rate_limits', tableCreated: true, keyPrefix, points,
        duration: HOUR_S, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: HOUR_S }),
      };
      const limiter: RateLimiterMySQL = new RateLimiterMySQL(opts, (err?: unknown) => queueMicrotask(() => (err ? reject(err) : resolve(limiter))));
    });
    const [perIp, perAccount] = await Promise.all([make('reset-ip', PASSWORD_RESET_PER_IP), make('reset-account', PASSWORD_RESET_PER_ACCOUNT)]);
    return { perIp, perAccount };
  })();
  found.catch(() => limitCache.delete(db));
  limitCache.set(db, found);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Requesting a link

/**
 * Counts the request (per IP, then per address) and answers; the address is looked up after the answer. `onIssued`
 * runs when a link was issued (the router passes the outbox dispatcher's dispatchSoon).
 */
export async function requestPasswordReset(
  db: Db, config: Config, input: { email: string; ip: string }, onIssued: () => void = () => undefined,
): Promise<void> {
  const limits = await resetLimits(db, config);
  const byIp = await consume(limits.perIp, input.ip || 'unknown');
  if (!byIp.ok) throw new DomainError('TOO_MANY_REQUESTS', 'request.rate_limited', undefined, { until: byIp.until.toISOString() });
  const byAccount = await consume(limits.perAccount, limitKey(input.email));
  if (!byAccount.ok) throw new DomainError('TOO_MANY_REQUESTS', 'passwordReset.rate_limited', undefined, { until: byAccount.until.toISOString() });
  setImmediate(() => {
    issuePasswordReset(db, input).then(
      (r) => { if (r.status === 'issued') onIssued(); },
      (err) => componentLogger('password-reset').warn('could not issue a link', { error: describeError(err) }),
    );
  });
}

/**
 * The transactions that change a user's links serialise on the user's row lock and then read the user's links. In
 * READ COMMITTED those reads see what the previous holder of the lock committed (REPEATABLE READ would read the
 * snapshot of the transaction's first read, taken before the lock wait), and no gap locks are taken, so requests for
 * different users never wait for (or deadlock with) each other on the indexes.
 */
const LINK_TX = { isolationLevel: 'read committed' } as const;

export type IssueResetResult = { status: 'issued'; resetId: number } | { status: 'unknown' | 'invited' | 'deactivated' };

/** Issues a new link for an active user's address; nothing for any other address. */
export async function issuePasswordReset(db: Db, input: { email: string; ip: string }, now = new Date()): Promise<IssueResetResult> {
  return db.transaction(async (tx) => {
    // An unknown address takes no lock.
    const [found] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (!found) return { status: 'unknown' as const };
    // The user row is locked: two requests at once issue one after the other, and the later revokes the earlier.
    const [user] = await tx.select({ id: users.id, organisationId: users.organisationId, status: users.status, email: users.email })
      .from(users).where(eq(users.id, found.id)).for('update');
    if (!user) return { status: 'unknown' as const };
    if (user.status !== 'active') {
      await writeAudit(tx, {
        organisationId: user.organisationId, actorUserId: null, action: 'user.password_reset_refused', objectType: 'user',
        objectId: user.id, after: { status: user.status }, ip: input.ip,
      });
      return { status: user.status };
    }
    await revokeOpenResets(tx, user.id, now);
    const expiresAt = new Date(now.getTime() + PASSWORD_RESET_EXPIRY_MS);
    const [row] = await tx.insert(passwordResets).values({ userId: user.id, createdAt: now, expiresAt }).$returningId();
    await tx.insert(emailOutbox).values({
      messageKey: passwordResetMessageKey(row.id), toAddress: user.email, template: 'password-reset', params: { resetId: row.id },
    });
    const args: PasswordResetInput = { resetId: row.id };
    await tx.insert(workflowOutbox).values({
      workflowType: 'passwordReset', workflowId: passwordResetWorkflowId(user.id), args, mode: 'restart',
      searchAttributes: { OrganisationId: String(user.organisationId) },
    });
    await writeAudit(tx, {
      organisationId: user.organisationId, actorUserId: null, action: 'user.password_reset_requested', objectType: 'user',
      objectId: user.id, ip: input.ip,
    });
    return { status: 'issued' as const, resetId: row.id };
  }, LINK_TX);
}

export const passwordResetMessageKey = (resetId: number) => `password-reset:${resetId}`;

/**
 * Revokes the user's open links by primary key. Callers hold the user's row lock and run in READ COMMITTED (see
 * LINK_TX), so this plain read sees the links committed by a request that held the lock before them.
 */
async function revokeOpenResets(tx: Executor, userId: number, now: Date, except?: number): Promise<void> {
  const open = await tx.select({ id: passwordResets.id }).from(passwordResets)
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt), isNull(passwordResets.revokedAt)));
  const ids = open.map((o) => o.id).filter((id) => id !== except);
  if (ids.length) await tx.update(passwordResets).set({ revokedAt: now }).where(inArray(passwordResets.id, ids));
}

// ---------------------------------------------------------------------------------------------------------------
// Sending (called by the workflow's activity)

/** A new random link token: 256 bits, base64url. */
export function newResetToken(): string {
  return randomBytes(32).toString('base64url');
}

export type ArmedReset =
  | { status: 'armed'; token: string; expiresAt: Date; name: string; locale: 'en' | 'ro'; organisationName: string; timeZone: string }
  | { status: 'gone' };

/**
 * Makes the link's token at send time and stores its SHA-256, if the link is still open (not used, revoked or
 * expired, and the user still active). A second call (a retried send) replaces the token: the earlier one stops working.
 */
export async function armPasswordReset(db: Db, resetId: number, now = new Date()): Promise<ArmedReset> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select({
      reset: passwordResets, status: users.status, name: users.name, locale: users.locale,
      organisationName: organisations.name, timeZone: organisations.timeZone,
    }).from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .innerJoin(organisations, eq(organisations.id, users.organisationId))
      .where(eq(passwordResets.id, resetId)).for('update');
    if (!row || row.reset.usedAt || row.reset.revokedAt || row.reset.expiresAt <= now || row.status !== 'active') return { status: 'gone' as const };
    const token = newResetToken();
    await tx.update(passwordResets).set({ tokenHash: hashToken(token) }).where(eq(passwordResets.id, resetId));
    return {
      status: 'armed' as const, token, expiresAt: row.reset.expiresAt, name: row.name, locale: row.locale,
      organisationName: row.organisationName, timeZone: row.timeZone,
    };
  });
}

/** The link's outcome when it has expired (for the workflow's result; the expiry itself is the timestamp). */
export async function passwordResetOutcome(db: Db, resetId: number): Promise<PasswordResetOutcome> {
  const [row] = await db.select().from(passwordResets).where(eq(passwordResets.id, resetId)).limit(1);
  if (!row) return 'revoked';
  return row.usedAt ? 'used' : row.revokedAt ? 'revoked' : 'expired';
}

// ---------------------------------------------------------------------------------------------------------------
// The reset page

async function findReset(db: Executor, token: string, now = new Date()) {
  const row = await findTokenLink(db, passwordResets, token);
  if (!row) return { state: 'invalid' as PasswordResetState, row: null };
  const state: PasswordResetState = row.link.usedAt ? 'used'
    : row.link.revokedAt || row.user.status !== 'active' ? 'revoked'
    : row.link.expiresAt <= now ? 'expired' : 'valid';
  return { state, row };
}

export type ResetInspection =
  | { state: Exclude<PasswordResetState, 'valid'> }
  | { state: 'valid'; email: string; locale: 'en' | 'ro'; expiresAt: string; timeZone: string };

/** What the reset page shows for a link: the account's address, the link's expiry (and the organisation's time zone to show it in), or why it cannot be used. */
export async function inspectPasswordReset(db: Db, token: string): Promise<ResetInspection> {
  const { state, row } = await findReset(db, token);
  if (state !== 'valid' || !row) return { state: state as Exclude<PasswordResetState, 'valid'> };
  return { state: 'valid', email: row.user.email, locale: row.user.locale, expiresAt: row.link.expiresAt.toISOString(), timeZone: row.timeZone };
}

/**
 * Sets the new password from a valid link: counts the attempt (per IP and per link) and checks the link before
 * hashing; then, under the user's row lock, sets the hash, marks the link used, revokes the user's other links, ends
 * every session of the user, lifts the email's sign-in lock-out and audits. Returns the user's ID and email.
 */
export async function resetPassword(db: Db, config: Config, input: { token: string; password: string; ip: string }): Promise<{ userId: number; email: string }> {
  await limitAnonymous(db, config, input.ip, input.token);
  const seen = await findReset(db, input.token);
  if (seen.state !== 'valid') throw new DomainError('BAD_REQUEST', `passwordReset.${seen.state}`, 'token');
  const passwordHash = await hashPassword(input.password, 'anonymous').catch((err) => {
    if (err instanceof PasswordServiceBusy) throw new DomainError('TOO_MANY_REQUESTS', 'request.busy');
    throw err;
  });
  const result = await db.transaction(async (tx) => {
    const { state, row } = await findReset(tx, input.token);
    if (state !== 'valid' || !row) return { state, user: null };
    const [user] = await tx.select({ status: users.status }).from(users).where(eq(users.id, row.user.id)).for('update');
    const [reset] = await tx.select({ usedAt: passwordResets.usedAt, revokedAt: passwordResets.revokedAt })
      .from(passwordResets).where(eq(passwordResets.id, row.link.id)).for('update');
    if (reset.usedAt) return { state: 'used' as const, user: null };
    if (reset.revokedAt || user.status !== 'active') return { state: 'revoked' as const, user: null };
    const now = new Date();
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, row.user.id));
    await tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, row.link.id));
    await revokeOpenResets(tx, row.user.id, now, row.link.id);
    await invalidateUserSessions(tx, row.user.id);
    await writeAudit(tx, {
      organisationId: row.user.organisationId, actorUserId: row.user.id, action: 'user.password_reset', objectType: 'user',
      objectId: row.user.id, ip: input.ip,
    });
    return { state: 'valid' as const, user: row.user };
  }, LINK_TX);
  if (result.state !== 'valid' || !result.user) throw new DomainError('BAD_REQUEST', `passwordReset.${result.state}`, 'token');
  // Whoever was locked out of this account by failed sign-ins has just proven they hold its mailbox.
  await giveBack((await limitsFor(db, config)).signInAccount, limitKey(result.user.email), true);
  return { userId: result.user.id, email: result.user.email };
}
