/**
 * Per-IP and per-account limits (decision 010) with rate-limiter-flexible, stored in MySQL/MariaDB (table
 * `rate_limits`, created by the library if missing) so that every API process shares them; an in-memory limiter with
 * the same rules stands in while the database cannot be reached.
 *
 * - Sign-in, per account (email): LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_MINUTES block the email for
 *   LOGIN_BLOCK_MINUTES, even with the right password. Each attempt is counted before the (slow) password check, and
 *   given back on success, so parallel requests cannot get past the limit. Keys are SHA-256 of the email.
 * - Sign-in, per IP: LOGIN_IP_MAX_FAILURES failures (any emails) in LOGIN_WINDOW_MINUTES block the IP for
 *   LOGIN_BLOCK_MINUTES (password spraying). A success gives its attempt back.
 * - Anonymous token work (set-password, partner registration), per IP: ANONYMOUS_MAX_ATTEMPTS_PER_IP attempts in 15
 *   minutes; per link: 10 attempts in 15 minutes.
 * - Patient search, per user: PATIENT_SEARCH_PER_MINUTE searches a minute; per IP five times that.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, type IRateLimiterStoreOptions } from 'rate-limiter-flexible';
import type { Db } from '../../db/client';
import type { Config } from '../config';
import { DomainError } from '../errors';
import { describeError } from '../log-safety';
import { logger } from '../logger';

const TABLE = 'rate_limits';
const MINUTE = 60_000;

export interface Limits {
  signInAccount: RateLimiterMySQL;
  signInIp: RateLimiterMySQL;
  anonymousIp: RateLimiterMySQL;
  anonymousToken: RateLimiterMySQL;
  patientSearchUser: RateLimiterMySQL;
  patientSearchIp: RateLimiterMySQL;
}

/** One set of limiters per database handle (the API has one; each test harness its own). */
const cache = new WeakMap<Db, Promise<Limits>>();

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'partner_module';
}

function build(db: Db, config: Config): Promise<Limits> {
  // drizzle's client is mysql2's promise pool; the library wants the callback pool inside it.
  const pool = (db as unknown as { $client: { pool: unknown } }).$client.pool;
  const dbName = databaseName(config.databaseUrl);
  const make = (keyPrefix: string, points: number, durationMs: number, blockMs = 0, tableCreated = true) =>
    new Promise<RateLimiterMySQL>((resolve, reject) => {
      const opts: IRateLimiterStoreOptions & { storeType: string; dbName: string; tableName: string; tableCreated: boolean } = {
        storeClient: pool, storeType: 'pool', dbName, tableName: TABLE, tableCreated, keyPrefix, points,
        duration: Math.ceil(durationMs / 1000), blockDuration: Math.ceil(blockMs / 1000),
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: Math.ceil(durationMs / 1000), blockDuration: Math.ceil(blockMs / 1000) }),
      };
      // The callback may run inside the constructor (table already there): resolve once `limiter` is assigned.
      const limiter: RateLimiterMySQL = new RateLimiterMySQL(opts, (err?: unknown) => queueMicrotask(() => (err ? reject(err) : resolve(limiter))));
    });
  return (async () => {
    // The first limiter creates the table (CREATE TABLE IF NOT EXISTS); the others share it.
    const signInAccount = await make('login', config.loginMaxFailures, config.loginWindowMs, config.loginBlockMs, false);
    const [signInIp, anonymousIp, anonymousToken, patientSearchUser, patientSearchIp] = await Promise.all([
      make('login-ip', config.loginIpMaxFailures, config.loginWindowMs, config.loginBlockMs),
      make('anon-ip', config.anonymousIpMaxAttempts, 15 * MINUTE, 15 * MINUTE),
      make('anon-token', 10, 15 * MINUTE, 15 * MINUTE),
      make('search-user', config.patientSearchPerMinute, MINUTE),
      make('search-ip', config.patientSearchPerMinute * 5, MINUTE),
    ]);
    return { signInAccount, signInIp, anonymousIp, anonymousToken, patientSearchUser, patientSearchIp };
  })();
}

export function limitsFor(db: Db, config: Config): Promise<Limits> {
  let limits = cache.get(db);
  if (!limits) {
    limits = build(db, config);
    limits.catch(() => cache.delete(db));
    cache.set(db, limits);
  }
  return limits;
}

/** Keys never hold an email or a token in clear. */
export function limitKey(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

export type Consumed = { ok: true; res: RateLimiterRes } | { ok: false; until: Date };

/** Counts one attempt; `ok: false` with the time the key is free again when the limit is reached. */
export async function consume(limiter: RateLimiterMySQL, key: string): Promise<Consumed> {
  try {
    return { ok: true, res: await limiter.consume(key) };
  } catch (err) {
    if (err instanceof RateLimiterRes) return { ok: false, until: new Date(Date.now() + Math.max(err.msBeforeNext, 1000)) };
    throw err;
  }
}

/** Gives an attempt back (a success, or work that never happened). Failures here are logged, not thrown. */
export async function giveBack(limiter: RateLimiterMySQL, key: string, forget = false): Promise<void> {
  try {
    if (forget) await limiter.delete(key);
    else await limiter.reward(key, 1);
  } catch (err) {
    logger().warn({ component: 'limits', err: describeError(err) }, 'could not give an attempt back');
  }
}

/** Counts an attempt of anonymous token work (set-password, registration) from this IP and for this link. */
export async function limitAnonymous(db: Db, config: Config, ip: string, token: string): Promise<void> {
  const limits = await limitsFor(db, config);
  const byIp = await consume(limits.anonymousIp, ip || 'unknown');
  if (!byIp.ok) throw new DomainError('TOO_MANY_REQUESTS', 'request.rate_limited', undefined, { until: byIp.until.toISOString() });
  const byToken = await consume(limits.anonymousToken, limitKey(token));
  if (!byToken.ok) throw new DomainError('TOO_MANY_REQUESTS', 'request.rate_limited', undefined, { until: byToken.until.toISOString() });
}

/** Counts one patient search of this user and IP (both counters at once); refused while either is used up. */
export async function limitPatientSearch(db: Db, config: Config, userId: number, ip: string): Promise<void> {
  const limits = await limitsFor(db, config);
  const results = await Promise.all([consume(limits.patientSearchUser, String(userId)), consume(limits.patientSearchIp, ip || 'unknown')]);
  const refused = results.filter((r): r is Extract<Consumed, { ok: false }> => !r.ok);
  if (refused.length === 0) return;
  const until = new Date(Math.max(...refused.map((r) => r.until.getTime())));
  throw new DomainError('TOO_MANY_REQUESTS', 'bookings.search_rate_limited', undefined, { until: until.toISOString() });
}
