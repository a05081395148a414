import { afterEach, describe, expect, it, vi } from 'vitest';
import { CsvExportError, CsvRecordCounter, downloadCsv, fileNameOf, parseTotalCount, progressShare, type CsvProgress } from './csv-download';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('counting CSV records as bytes arrive', () => {
  it('counts lines minus the header, across chunk boundaries', () => {
    const c = new CsvRecordCounter();
    c.push(bytes('\uFEFFBooking ID,Date\n1,2026-'));
    expect(c.rows).toBe(0);
    c.push(bytes('10-01\n2,2026-10-02'));
    expect(c.rows).toBe(1);
    c.push(bytes('\n'));
    expect(c.rows).toBe(2);
  });

  it('a newline inside a quoted cell does not end the record, even when the quote state spans chunks', () => {
    const c = new CsvRecordCounter();
    c.push(bytes('a,b\n1,"line one\n'));
    c.push(bytes('line two, with ""quotes""",x\n2,plain\n'));
    expect(c.rows).toBe(2);
  });

  it('diacritics (multi-byte UTF-8) do not disturb the count', () => {
    const c = new CsvRecordCounter();
    const all = bytes('Locație,Pacient\nMănăștur,Ștefan Țurcanu\n');
    for (let i = 0; i < all.length; i++) c.push(all.subarray(i, i + 1)); // one byte at a time
    expect(c.rows).toBe(1);
  });

  it('an export without rows has only the header', () => {
    const c = new CsvRecordCounter();
    c.push(bytes('a,b\n'));
    expect(c.rows).toBe(0);
  });
});

describe('headers', () => {
  it('X-Total-Count', () => {
    expect(parseTotalCount('1234')).toBe(1234);
    expect(parseTotalCount(' 0 ')).toBe(0);
    expect(parseTotalCount(null)).toBeNull();
    expect(parseTotalCount('12abc')).toBeNull();
    expect(parseTotalCount('-1')).toBeNull();
  });
  it('Content-Disposition file name, or the fallback when missing or odd', () => {
    expect(fileNameOf('attachment; filename="statistics-2026-10-01-2026-10-31.csv"', 'x.csv')).toBe('statistics-2026-10-01-2026-10-31.csv');
    expect(fileNameOf(null, 'x.csv')).toBe('x.csv');
    expect(fileNameOf('attachment; filename="../../etc/passwd"', 'x.csv')).toBe('x.csv');
  });
  it('progress share', () => {
    expect(progressShare(50, 200)).toBe(0.25);
    expect(progressShare(0, 0)).toBe(1);
    expect(progressShare(5, null)).toBeNull();
    expect(progressShare(300, 200)).toBe(1);
  });
});

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(bytes(c));
      controller.close();
    },
  });
}

describe('downloadCsv', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reports progress against X-Total-Count and returns the whole file', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(streamOf(['h1,h2\n', '1,a\n2,b\n', '3,c\n']), {
      status: 200, headers: { 'X-Total-Count': '3', 'Content-Disposition': 'attachment; filename="s.csv"' },
    })));
    const seen: CsvProgress[] = [];
    const file = await downloadCsv('/exports/statistics.csv?input=%7B%7D', 'fallback.csv', (p) => seen.push(p));
    expect(file.name).toBe('s.csv');
    expect(file.rows).toBe(3);
    expect(await file.blob.text()).toBe('h1,h2\n1,a\n2,b\n3,c\n');
    expect(seen[0]).toEqual({ rows: 0, total: 3, bytes: 0 });
    expect(seen.map((p) => p.rows)).toEqual([0, 0, 2, 3]);
    expect(seen.at(-1)!.bytes).toBe(18);
  });

  it('a body that ends before X-Total-Count rows is a truncated download, not a file', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(streamOf(['h\n', '1\n']), { status: 200, headers: { 'X-Total-Count': '5' } })));
    await expect(downloadCsv('/x', 'x.csv', () => {})).rejects.toMatchObject({ reason: 'truncated' });
  });

  it("a refused export carries the server's error key (a field error's key for invalid input)", async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json(
      { error: { message: 'to: too long', data: { code: 'BAD_REQUEST', key: 'validation.invalid', fieldErrors: { 'period.to': [{ key: 'statistics.period_too_long', message: '…' }] } } } },
      { status: 400 },
    )));
    const err = await downloadCsv('/x', 'x.csv', () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvExportError);
    expect(err).toMatchObject({ reason: 'server', key: 'statistics.period_too_long', status: 400 });
  });

  it('a network failure is reported as such', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(downloadCsv('/x', 'x.csv', () => {})).rejects.toMatchObject({ reason: 'network' });
  });
});
