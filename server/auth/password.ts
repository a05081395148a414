/**
 * Password hashing with argon2id (OWASP's minimum parameters). Each hash or verify takes about 19 MiB and ~10 ms of a
 * core, so at most a few run at once: a burst of sign-ins queues instead of exhausting memory.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 12;
const MAX_CONCURRENT = 4;
/** Beyond this many waiting, a sign-in is refused at once ("busy") instead of waiting for minutes. */
const MAX_QUEUED = 200;

export class PasswordServiceBusy extends Error {
  constructor() { super('too many password checks are waiting'); this.name = 'PasswordServiceBusy'; }
}

let running = 0;
const queue: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  // A finishing task hands its slot straight to the next waiter, so the limit holds exactly.
  if (running >= MAX_CONCURRENT) {
    if (queue.length >= MAX_QUEUED) throw new PasswordServiceBusy();
    await new Promise<void>((resolve) => queue.push(resolve));
  } else running++;
  try {
    return await work();
  } finally {
    const next = queue.shift();
    if (next) next();
    else running--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, OPTIONS));
}

/** A fixed hash to verify against when the email is unknown, so both failures take the same time. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('dummy-password-for-timing');
    const dummy = await dummyHash;
    await limited(() => verify(dummy, password).catch(() => false));
    return false;
  }
  return limited(() => verify(storedHash, password).catch(() => false));
}
