/** MySQL error codes behind a driver or drizzle error, and retrying transactions that lost a race. */

/** The MySQL error code (e.g. ER_DUP_ENTRY) anywhere in an error's cause chain, if any. */
export function mysqlErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && e.code.startsWith('ER_')) return e.code;
  }
  return undefined;
}

/** Retries a transaction that lost a deadlock (or a unique-key race) to a concurrent one. */
export async function withRetry<T>(fn: () => Promise<T>, codes: string[] = ['ER_LOCK_DEADLOCK'], attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = mysqlErrorCode(err);
      if (i >= attempts || !code || !codes.includes(code)) throw err;
    }
  }
}
