/**
 * Statistics measurements that any benchmark can call on a database it has filled (bench/statistics.ts does; the
 * settlement benchmark may too): the "Reports / Statistics" page over HTTP (the real tRPC procedure with a session
 * cookie, a rotation of realistic requests: default sort, patient and commission sorts, "Sent by partners", a deep
 * page, one partner) → p95; and the streamed CSV export of the whole month over HTTP → rows/s and the process's peak
 * RSS growth while streaming (flat memory: it must not grow with the number of rows).
 *
 *   const r = await measureStatistics({ db, url, institutionId, adminUserId, month: '2026-10' });
 *   // { stats_p95_ms, stats_p50_ms, csv_rows, csv_rows_per_s, csv_mb, csv_peak_memory_growth_mb }
 */
import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { partnerships } from '../db/schema';
import { createSession } from '../server/auth/session';
import { addDays } from '../server/domain/zoned-time';
import { line, performance, startApp, summary, trpcQuery } from './lib';

export interface StatisticsFigures {
  stats_p50_ms: number;
  stats_p95_ms: number;
  csv_rows: number;
  csv_rows_per_s: number;
  csv_mb: number;
  csv_peak_memory_growth_mb: number;
}

function monthPeriod(month: string) {
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { kind: 'custom' as const, from, to: addDays(next, -1) };
}

export async function measureStatistics(opts: {
  db: Db; url: string; institutionId: number; adminUserId: number; month: string; iterations?: number; warmup?: number;
}): Promise<StatisticsFigures> {
  const { db, url, institutionId, adminUserId, month } = opts;
  const iterations = opts.iterations ?? 60;
  const warmup = opts.warmup ?? 6;
  const app = await startApp(db, url);
  try {
    const cookie = `pm_session=${(await createSession(db, adminUserId, { idleMs: 3_600_000, absoluteMs: 12 * 3_600_000 })).token}`;
    const period = monthPeriod(month);
    const [somePartnership] = await db.select({ id: partnerships.id }).from(partnerships)
      .where(and(eq(partnerships.institutionId, institutionId))).limit(1);
    const requests: [string, unknown][] = [
      ['date asc, page 1', { period }],
      ['patient asc, page 1', { period, sort: { by: 'patient', dir: 'asc' } }],
      ['commission desc, page 1', { period, sort: { by: 'commission', dir: 'desc' } }],
      ['Sent by partners, source sort', { period, scope: 'partners', sort: { by: 'source', dir: 'asc' } }],
      ['date desc, page 100 of 100 rows (the deepest allowed)', { period, sort: { by: 'date', dir: 'desc' }, page: 100, pageSize: 100 }],
      ['one partner, fulfilled', { period, partnershipIds: somePartnership ? [somePartnership.id] : undefined, statuses: ['fulfilled'] }],
    ];
    const all: number[] = [];
    let total = 0;
    for (const [name, input] of requests) {
      for (let i = 0; i < warmup; i++) await trpcQuery(app.base, cookie, 'statistics.institution', input);
      const times: number[] = [];
      for (let i = 0; i < Math.ceil(iterations / requests.length); i++) {
        const t0 = performance.now();
        const r = await trpcQuery<{ total: number }>(app.base, cookie, 'statistics.institution', input);
        times.push(performance.now() - t0);
        if (name.startsWith('date asc')) total = r.total;
      }
      line(`statistics.institution ${name}`, times);
      all.push(...times);
    }
    const stats = summary(all);
    console.log(`statistics page over all requests: p50 ${stats.p50} ms, p95 ${stats.p95} ms (month total ${total} bookings)`);

    // CSV: the whole month, streamed over HTTP; RSS sampled while it streams.
    // Memory: with --expose-gc (npm run bench:statistics passes it) the heap is sampled right after a collection, so
    // the figure is what the export retains, not garbage awaiting collection; without it, raw RSS.
    const gc = (globalThis as { gc?: () => void }).gc;
    const used = () => { if (gc) { gc(); return process.memoryUsage().heapUsed; } return process.memoryUsage().rss; };
    const rssBefore = used();
    let peak = rssBefore;
    const sampler = setInterval(() => { peak = Math.max(peak, used()); }, gc ? 100 : 20);
    const t0 = performance.now();
    const { rows, bytes } = await new Promise<{ rows: number; bytes: number }>((resolve, reject) => {
      const input = encodeURIComponent(JSON.stringify({ period }));
      http.get(`${app.base}/exports/statistics.csv?input=${input}&lang=en`, { headers: { cookie } }, (res) => {
        if (res.statusCode !== 200) { reject(new Error(`CSV: HTTP ${res.statusCode}`)); return; }
        let newlines = 0;
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) newlines++;
        });
        res.on('end', () => resolve({ rows: newlines - 1, bytes: size }));
        res.on('error', reject);
      }).on('error', reject);
    });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    const growth = (peak - rssBefore) / 1024 / 1024;
    console.log(`CSV export: ${rows} rows, ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${seconds.toFixed(2)} s → ${Math.round(rows / seconds)} rows/s;`
      + ` peak ${gc ? 'retained heap' : 'RSS'} growth while streaming ${growth.toFixed(1)} MiB (server and reader in one process)`);
    if (total && rows !== total) throw new Error(`CSV has ${rows} rows, the page says ${total}`);
    return {
      stats_p50_ms: stats.p50, stats_p95_ms: stats.p95, csv_rows: rows, csv_rows_per_s: Math.round(rows / seconds),
      csv_mb: Math.round((bytes / 1024 / 1024) * 10) / 10, csv_peak_memory_growth_mb: Math.round(growth * 10) / 10,
    };
  } finally {
    await app.close();
  }
}
