/** Retries a transaction that lost a deadlock (or a unique-key race) to a concurrent one. */
export async function withRetry<T>(fn: () => Promise<T>, codes: string[] = ['ER_LOCK_DEADLOCK'], attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
      if (i >= attempts || !code || !codes.includes(code)) throw err;
    }
  }
}
