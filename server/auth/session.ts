/**
 * Sessions after Lucia's current recipe: the token is "<id>.<secret>", random; only SHA-256(secret) is stored and it
 * is compared in constant time. Expiry slides with use (idle timeout) but never passes the absolute limit.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase, decodeHex } from '@oslojs/encoding';
import { eq, lt, or, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client';
import { organisations, sessions, users } from '../../db/schema';

export const SESSION_COOKIE = 'pm_session';

export interface SessionPolicy { idleMs: number; absoluteMs: number }

export interface SessionUser {
  id: number;
  organisationId: number;
  email: string;
  name: string;
  role: 'admin' | 'staff';
  canBookPartner: boolean;
  locale: 'en' | 'ro';
  organisationName: string;
  isInstitution: boolean;
  timeZone: string;
}

export interface ValidSession { sessionId: string; expiresAt: Date; user: SessionUser }

function randomString(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return encodeBase32LowerCaseNoPadding(buf);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

export async function createSession(db: Db, userId: number, policy: SessionPolicy, now = new Date()) {
  const id = randomString(15);
  const secret = randomString(20);
  const absoluteExpiresAt = new Date(now.getTime() + policy.absoluteMs);
  const expiresAt = new Date(Math.min(now.getTime() + policy.idleMs, absoluteExpiresAt.getTime()));
  await db.insert(sessions).values({
    id, userId, secretHash: encodeHexLowerCase(hashSecret(secret)), createdAt: now, expiresAt, absoluteExpiresAt,
  });
  return { token: `${id}.${secret}`, expiresAt };
}

/** The session-and-user lookup of every request, built once per database (a prepared drizzle query: no SQL building per request). */
function buildSessionLookup(db: Db) {
  return db.select({
    secretHash: sessions.secretHash, expiresAt: sessions.expiresAt, absoluteExpiresAt: sessions.absoluteExpiresAt,
    user: {
      id: users.id, organisationId: users.organisationId, email: users.email, name: users.name, role: users.role,
      canBookPartner: users.canBookPartner, locale: users.locale, status: users.status,
      organisationName: organisations.name, isInstitution: organisations.isInstitution, timeZone: organisations.timeZone,
    },
  }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.id, sql.placeholder('id'))).limit(1).prepare();
}
const sessionLookups = new WeakMap<Db, ReturnType<typeof buildSessionLookup>>();
function sessionLookup(db: Db) {
  let q = sessionLookups.get(db);
  if (!q) { q = buildSessionLookup(db); sessionLookups.set(db, q); }
  return q;
}

/** Returns the session and its user, extending the idle expiry; null for anything invalid, expired or deactivated. */
export async function validateSessionToken(db: Db, token: string, policy: SessionPolicy, now = new Date()): Promise<ValidSession | null> {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[a-z2-7]{24}$/.test(parts[0]) || !/^[a-z2-7]{32}$/.test(parts[1])) return null;
  const [id, secret] = parts;
  const rows = await sessionLookup(db).execute({ id });
  const row = rows[0];
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), decodeHex(row.secretHash))) return null;
  if (now >= row.expiresAt || now >= row.absoluteExpiresAt || row.user.status !== 'active') {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  const extended = new Date(Math.min(now.getTime() + policy.idleMs, row.absoluteExpiresAt.getTime()));
  // Write at most once a minute per session: the idle timeout does not need millisecond precision.
  if (extended.getTime() - expiresAt.getTime() >= 60_000) {
    await db.update(sessions).set({ expiresAt: extended }).where(eq(sessions.id, id));
    expiresAt = extended;
  }
  const { status: _status, ...user } = row.user;
  return { sessionId: id, expiresAt, user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(db: Executor, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<void> {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.absoluteExpiresAt, now)));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

export function blankSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

export function readSessionToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}

