/**
 * Sign-in throttling per email: after N failures within the window the email is blocked for a fixed period.
 * While blocked, attempts are refused without checking the password.
 */
import { and, count, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loginBlocks, loginFailures } from '../../db/schema';

export interface ThrottlePolicy { maxFailures: number; windowMs: number; blockMs: number }

export async function blockedUntil(db: Db, email: string, now = new Date()): Promise<Date | null> {
  const [row] = await db.select().from(loginBlocks).where(eq(loginBlocks.email, email)).limit(1);
  return row && row.blockedUntil > now ? row.blockedUntil : null;
}

/** Records a failure; returns the block end if this failure triggered a block. */
export async function recordFailure(db: Db, email: string, policy: ThrottlePolicy, now = new Date()): Promise<Date | null> {
  await db.insert(loginFailures).values({ email, failedAt: now });
  const since = new Date(now.getTime() - policy.windowMs);
  const [{ n }] = await db.select({ n: count() }).from(loginFailures)
    .where(and(eq(loginFailures.email, email), gte(loginFailures.failedAt, since)));
  if (n < policy.maxFailures) return null;
  const until = new Date(now.getTime() + policy.blockMs);
  await db.insert(loginBlocks).values({ email, blockedUntil: until }).onDuplicateKeyUpdate({ set: { blockedUntil: until } });
  // The block replaces the counted failures: after it ends, the email starts with a clean slate.
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
  return until;
}

export async function clearFailures(db: Db, email: string, now = new Date()): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, email));
  await db.delete(loginBlocks).where(and(eq(loginBlocks.email, email), lt(loginBlocks.blockedUntil, now)));
}

/** Housekeeping: forgets failures older than the window and blocks that have ended. */
export async function pruneThrottle(db: Db, policy: ThrottlePolicy, now = new Date()): Promise<void> {
  await db.delete(loginFailures).where(lt(loginFailures.failedAt, new Date(now.getTime() - policy.windowMs)));
  await db.delete(loginBlocks).where(lt(loginBlocks.blockedUntil, now));
}
