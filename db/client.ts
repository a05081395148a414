/** Connection pool and drizzle instance. All times are UTC on the wire and in the database session. */
import mysql from 'mysql2/promise';
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2';
import * as schema from './schema';

export type Db = MySql2Database<typeof schema>;
export interface Database { db: Db; pool: mysql.Pool; close(): Promise<void> }

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/partner_module';

export function createDatabase(url: string = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, connectionLimit = 10): Database {
  // trace: false — mysql2 would otherwise capture a stack trace on every query (a few % of the API's CPU) only to
  // decorate error stacks; error codes and messages are unchanged, and drizzle's errors name the failed query.
  const pool = mysql.createPool({ uri: url, timezone: 'Z', connectionLimit, dateStrings: false, trace: false });
  // mysql2's promise pool wraps the callback pool; set the session time zone on every new connection.
  (pool as unknown as { pool: { on(ev: string, cb: (c: { query(sql: string): void }) => void): void } }).pool
    .on('connection', (conn) => { conn.query("SET time_zone = '+00:00'"); });
  const db = drizzle(pool, { schema, mode: 'default' });
  return { db, pool, close: () => pool.end() };
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL: database name "${name}" must be letters, digits or _`);
  parsed.pathname = '/';
  const conn = await mysql.createConnection({ uri: parsed.toString() });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

/** A transaction handle, or the database itself: for helpers that work inside or outside a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

const CONNECTION_LOST_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH',
  'ENOTFOUND', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_CONNECTION_KILLED', 'ER_NET_READ_INTERRUPTED',
  'ER_NET_READ_ERROR', 'ER_NET_ERROR_ON_WRITE', 'ER_NET_WRITE_INTERRUPTED', 'ER_NET_PACKETS_OUT_OF_ORDER', 'ER_NET_FCNTL_ERROR',
]);
/**
 * 1927 (MariaDB: connection killed), 1053 (server shutdown), 1317 (query interrupted), 1156–1161 (network read/write
 * errors), 2006/2013 (gone away, lost).
 */
const CONNECTION_LOST_ERRNOS = new Set([1927, 1053, 1317, 1156, 1157, 1158, 1159, 1160, 1161, 2006, 2013]);

/**
 * Whether an error (anywhere in its cause chain) means the database connection was lost or could not be made: the
 * statement did not run, or its transaction was rolled back by the server. The pool drops such a connection and opens
 * a new one for the next request, so the caller may simply try again.
 */
export function isConnectionLost(err: unknown): boolean {
  for (let e = err as { code?: unknown; errno?: unknown; sqlState?: unknown; fatal?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && typeof e === 'object' && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.fatal === true) return true;
    if (typeof e.code === 'string' && CONNECTION_LOST_CODES.has(e.code)) return true;
    if (typeof e.errno === 'number' && CONNECTION_LOST_ERRNOS.has(e.errno)) return true;
    // SQLSTATE class 08: connection exception; 70100: the statement was interrupted (KILL).
    if (typeof e.sqlState === 'string' && (e.sqlState.startsWith('08') || e.sqlState === '70100')) return true;
    if (typeof e.message === 'string' && /connection is in closed state|Connection lost|Pool is closed/i.test(e.message)) return true;
  }
  return false;
}
