/**
 * Error descriptions that are safe to log, store or hand to Temporal: the error's name, code and the first line of its
 * message, never the query parameters that database errors carry (names, emails, password hashes).
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { name?: string; code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    // MySQL's own messages quote the offending values (e.g. "Duplicate entry 'ana@…'"): keep only their code.
    const firstLine = /^ER_/.test(e.code ?? '') ? '' : String(e.message ?? e).split('\n')[0].replace(/^Failed query: .*/, 'Failed query');
    // SMTP replies and other libraries quote recipients: no email address leaves here.
    parts.push([e.name, e.code, firstLine.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '<email>')].filter(Boolean).join(' '));
  }
  return parts.join(' <- ').slice(0, 1000);
}
