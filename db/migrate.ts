/**
 * Creates the database if missing, applies the committed SQL migrations and inserts the reference data (GTC versions).
 * Safe to run any number of times.
 */
import { migrate } from 'drizzle-orm/mysql2/migrator';
import { fileURLToPath } from 'node:url';
import { createDatabase, ensureDatabaseExists, DEFAULT_DATABASE_URL } from './client';
import { ensureReferenceData } from './gtc';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function migrateDatabase(url: string): Promise<void> {
  await ensureDatabaseExists(url);
  const database = createDatabase(url, 1);
  try {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });
    await ensureReferenceData(database.db);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  migrateDatabase(url).then(() => console.log('Database migrated.'), (err) => { console.error(err); process.exit(1); });
}
