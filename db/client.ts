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
