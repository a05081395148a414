/** Starts the stack for the browser tests on a freshly created database, so every run begins from the demo data. */
import mysql from 'mysql2/promise';

const url = new URL(process.env.DATABASE_URL!);
const name = url.pathname.slice(1);
if (!/_e2e$/.test(name)) throw new Error(`refusing to reset ${name}: the e2e database name must end in _e2e`);
url.pathname = '/';
const conn = await mysql.createConnection({ uri: url.toString() });
await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
await conn.end();
if (process.env.SMTP_URL === '') delete process.env.SMTP_URL;
await import('../scripts/stack');
