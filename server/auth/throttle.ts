/**
 * Sign-in throttling per email: at most N failed attempts in a window; the N-th failure blocks the email for a fixed
 * period, during which attempts are refused without checking the password. Every attempt is reserved on the email's
 * row under a row lock before the (slow) password check, so parallel requests cannot get past the limit.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loginThrottle } from '../../db/schema';

export interface ThrottlePolicy { maxFailures: number; windowMs: number; blockMs: number }

export type Reservation = { ok: true } | { ok: false; blockedUntil: Date };

/** Counts this attempt as a failure in advance; `settle` takes it back when the password turns out right. */
export async function reserveAttempt(db: Db, email: string, policy: ThrottlePolicy, now = new Date()): Promise<Reservation> {
  return db.transaction(async (tx) => {
    // Takes the row's exclusive lock at once (INSERT IGNORE would take a shared one and deadlock on the upgrade).
    await tx.insert(loginThrottle).values({ email, windowStartedAt: now, failures: 0 })
      .onDuplicateKeyUpdate({ set: { email: sql`${loginThrottle.email}` } });
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.email, email)).for('update');
    if (row.blockedUntil && row.blockedUntil > now) return { ok: false as const, blockedUntil: row.blockedUntil };
    const windowOver = row.windowStartedAt.getTime() + policy.windowMs <= now.getTime() || row.blockedUntil !== null;
    const failures = windowOver ? 0 : row.failures;
    if (failures >= policy.maxFailures) {
      const blockedUntil = new Date(now.getTime() + policy.blockMs);
      await tx.update(loginThrottle).set({ blockedUntil }).where(eq(loginThrottle.email, email));
      return { ok: false as const, blockedUntil };
    }
    await tx.update(loginThrottle).set({
      failures: failures + 1, blockedUntil: null, ...(windowOver ? { windowStartedAt: now } : {}),
    }).where(eq(loginThrottle.email, email));
    return { ok: true as const };
  });
}

/**
 * After the password check: a success clears the email's record; a failure stays counted, and the failure that
 * reaches the limit starts the block (returned, so that the caller can say until when).
 */
export async function settleAttempt(db: Db, email: string, success: boolean, policy: ThrottlePolicy, now = new Date()): Promise<Date | null> {
  if (success) {
    await db.delete(loginThrottle).where(eq(loginThrottle.email, email));
    return null;
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.email, email)).for('update');
    if (!row || row.failures < policy.maxFailures) return null;
    if (row.blockedUntil && row.blockedUntil > now) return row.blockedUntil;
    const blockedUntil = new Date(now.getTime() + policy.blockMs);
    await tx.update(loginThrottle).set({ blockedUntil }).where(eq(loginThrottle.email, email));
    return blockedUntil;
  });
}

/** Gives back a reserved attempt whose password was never checked (the service was too busy). */
export async function releaseAttempt(db: Db, email: string): Promise<void> {
  await db.update(loginThrottle).set({ failures: sql`GREATEST(${loginThrottle.failures} - 1, 0)` }).where(eq(loginThrottle.email, email));
}

/** Housekeeping: forgets records whose window and block are both over. */
export async function pruneThrottle(db: Db, policy: ThrottlePolicy, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowMs);
  await db.delete(loginThrottle).where(or(
    lt(loginThrottle.blockedUntil, now),
    and(isNull(loginThrottle.blockedUntil), lt(loginThrottle.windowStartedAt, windowStart)),
  ));
}
