/**
 * Password hashing with argon2id (OWASP's minimum parameters). Each hash or verify takes about 19 MiB and ~10 ms of a
 * core, so at most a few run at once: a burst of sign-ins queues instead of exhausting memory.
 *
 * Two separate pools (decision 010): sign-in's, and a smaller one for anonymous work (setting a password from an
 * invitation link, registering a partner), so that anonymous requests cannot starve sign-in. Anonymous callers check
 * their token before they hash.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;
/** NIST SP 800-63B asks for at least 64; longer inputs only cost hashing time. */
export const MAX_PASSWORD_LENGTH = 200;

export class PasswordServiceBusy extends Error {
  constructor() { super('too many password checks are waiting'); this.name = 'PasswordServiceBusy'; }
}

/** A concurrency limit with a bounded queue: beyond `maxQueued` waiting, work is refused at once ("busy"). */
function limiter(maxConcurrent: number, maxQueued: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async function limited<T>(work: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the limit holds exactly.
    if (running >= maxConcurrent) {
      if (queue.length >= maxQueued) throw new PasswordServiceBusy();
      await new Promise<void>((resolve) => queue.push(resolve));
    } else running++;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Sign-in (and signed-in users): 4 at once, up to 200 waiting. */
const signInPool = limiter(4, 200);
/** Anonymous work (set-password, registration): 2 at once, up to 20 waiting. */
const anonymousPool = limiter(2, 20);

const work = { signInHashes: 0, anonymousHashes: 0, verifies: 0 };
/** Counters of argon2 work done, for tests and diagnostics. */
export function passwordWork() { return { ...work }; }

export type PasswordPool = 'signIn' | 'anonymous';

export function hashPassword(password: string, pool: PasswordPool = 'signIn'): Promise<string> {
  const run = pool === 'anonymous' ? anonymousPool : signInPool;
  return run(() => {
    if (pool === 'anonymous') work.anonymousHashes++; else work.signInHashes++;
    return hash(password, OPTIONS);
  });
}

/** A fixed hash to verify against when the email is unknown, so both failures take the same time. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('dummy-password-for-timing');
    const dummy = await dummyHash;
    await signInPool(() => { work.verifies++; return verify(dummy, password).catch(() => false); });
    return false;
  }
  return signInPool(() => { work.verifies++; return verify(storedHash, password).catch(() => false); });
}
