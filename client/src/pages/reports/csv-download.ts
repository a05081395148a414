/**
 * Streamed CSV downloads of the report pages: fetch the export route, read the body as a stream and report progress
 * (data rows received of X-Total-Count, which the server sends before the first row), then save the whole file
 * through a Blob link. Records are counted on the bytes as they arrive: the newline and the double quote are ASCII and
 * never occur inside a UTF-8 multi-byte character, and a newline inside a quoted cell does not end a record.
 */

/** Counts CSV records in a byte stream delivered in chunks (quote state carries over between chunks). */
export class CsvRecordCounter {
  private inQuotes = false;
  /** Complete lines (records) seen so far, the header included. */
  lines = 0;

  push(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x22) this.inQuotes = !this.inQuotes; // "" inside a quoted cell toggles twice: no net change
      else if (b === 0x0a && !this.inQuotes) this.lines += 1;
    }
  }

  /** Data rows received: complete lines minus the header row. */
  get rows(): number {
    return Math.max(0, this.lines - 1);
  }
}

/** X-Total-Count as a number, or null when absent or not a count. */
export function parseTotalCount(value: string | null): number | null {
  if (value === null || !/^\d{1,12}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** The file name of a Content-Disposition header ("attachment; filename=\"x.csv\""), else the fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  const name = m?.[1]?.trim();
  return name && /^[\w.\-]+$/.test(name) ? name : fallback;
}

/** A share 0…1 of rows received, or null when the total is unknown (the UI then shows bytes). */
export function progressShare(rows: number, total: number | null): number | null {
  if (total === null) return null;
  if (total === 0) return 1;
  return Math.min(1, rows / total);
}

export interface CsvProgress { rows: number; total: number | null; bytes: number }

/** Why an export failed: the server's i18n key (from its JSON error), a status code, or the network. */
export class CsvExportError extends Error {
  constructor(readonly reason: 'server' | 'network' | 'truncated' | 'aborted', readonly key?: string, readonly status?: number, message?: string) {
    super(message ?? reason);
  }
}

/** Reads a failed export's JSON error ({ error: { message, data: { key, fieldErrors } } }). */
export async function errorOf(res: Response): Promise<CsvExportError> {
  try {
    const body = await res.json() as { error?: { message?: string; data?: { key?: string; fieldErrors?: Record<string, { key: string }[]> } } };
    const data = body.error?.data;
    const fieldKey = data?.fieldErrors ? Object.values(data.fieldErrors)[0]?.[0]?.key : undefined;
    const key = data?.key === 'validation.invalid' && fieldKey ? fieldKey : data?.key;
    return new CsvExportError('server', key, res.status, body.error?.message);
  } catch {
    return new CsvExportError('server', undefined, res.status);
  }
}

/**
 * Downloads `url` as a stream, calling onProgress as chunks arrive; resolves with the file (name and Blob) once the
 * whole body is in and the row count matches X-Total-Count (fewer rows: the server stopped midway → 'truncated').
 */
export async function downloadCsv(url: string, fallbackName: string, onProgress: (p: CsvProgress) => void, signal?: AbortSignal): Promise<{ name: string; blob: Blob; rows: number }> {
  let res: Response;
  try {
    res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/csv' }, signal });
  } catch (err) {
    throw new CsvExportError(signal?.aborted ? 'aborted' : 'network', undefined, undefined, String(err));
  }
  if (!res.ok) throw await errorOf(res);
  const total = parseTotalCount(res.headers.get('X-Total-Count'));
  const name = fileNameOf(res.headers.get('Content-Disposition'), fallbackName);
  const counter = new CsvRecordCounter();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  onProgress({ rows: 0, total, bytes: 0 });
  if (!res.body) throw new CsvExportError('network');
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      counter.push(value);
      onProgress({ rows: counter.rows, total, bytes });
    }
  } catch (err) {
    throw new CsvExportError(signal?.aborted ? 'aborted' : 'network', undefined, undefined, String(err));
  }
  if (total !== null && counter.rows < total) throw new CsvExportError('truncated');
  return { name, blob: new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }), rows: counter.rows };
}

/** Hands a Blob to the browser as a download through a temporary link. */
export function saveBlob(blob: Blob, name: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
