/** Sliding idle expiry and the absolute limit, with explicit clocks against real MariaDB. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../../test/harness';
import { users } from '../../db/schema';
import { createSession, validateSessionToken, readSessionToken } from './session';

const MIN = 60_000;
const policy = { idleMs: 30 * MIN, absoluteMs: 12 * 60 * MIN };
let h: Harness;
let userId: number;
beforeAll(async () => {
  h = await startHarness();
  [{ id: userId }] = await h.database.db.select({ id: users.id }).from(users).where(eq(users.email, 'admin@clinica-somes.ro'));
});
afterAll(async () => { await h?.close(); });

describe('sessions', () => {
  it('slides the idle expiry with use and ends 30 minutes after the last request', async () => {
    const t0 = new Date('2026-11-22T08:00:00Z');
    const { token } = await createSession(h.database.db, userId, policy, t0);
    const at = (m: number) => new Date(t0.getTime() + m * MIN);
    expect(await validateSessionToken(h.database.db, token, policy, at(20))).not.toBeNull();
    expect(await validateSessionToken(h.database.db, token, policy, at(45))).not.toBeNull(); // extended at minute 20
    expect(await validateSessionToken(h.database.db, token, policy, at(76))).toBeNull(); // 31 minutes idle
    expect(await validateSessionToken(h.database.db, token, policy, at(77))).toBeNull(); // and it is gone for good
  });

  it('ends after 12 hours however active the user is', async () => {
    const t0 = new Date('2026-11-22T08:00:00Z');
    const { token } = await createSession(h.database.db, userId, policy, t0);
    for (let m = 20; m < 12 * 60; m += 20) {
      expect(await validateSessionToken(h.database.db, token, policy, new Date(t0.getTime() + m * MIN))).not.toBeNull();
    }
    expect(await validateSessionToken(h.database.db, token, policy, new Date(t0.getTime() + 12 * 60 * MIN))).toBeNull();
  });

  it('rejects malformed tokens and reads only its own cookie', async () => {
    expect(await validateSessionToken(h.database.db, 'nonsense', policy)).toBeNull();
    expect(readSessionToken('a=1; pm_session=abc.def; b=2')).toBe('abc.def');
    expect(readSessionToken('other=1')).toBeNull();
  });
});
