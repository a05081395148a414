/**
 * The HTTP layer under hostile input (issue 9): body-parser errors, oversize and deep bodies, unknown encodings, the
 * error shape, logging without bodies, 5xx logging, headers, cross-site GETs and the batch cap. No database: the deps
 * are stubs whose database fails on use, so a request that reaches a query answers 500.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createApp } from './app';
import { loadConfig } from './config';
import type { AppDeps } from './trpc';
import { createLogger, setLogger, type Logger } from './logger';

const failingDb = new Proxy({}, { get: () => () => { throw new Error('database is down'); } });
const deps = {
  db: failingDb,
  config: { ...loadConfig({ APP_SECRET: 'x'.repeat(40) }), port: 0 },
  workflows: { temporalReachable: async () => false },
} as unknown as AppDeps;

let server: Server;
let base: string;
beforeAll(async () => {
  const app = createApp(deps, '/nonexistent');
  server = await new Promise((r) => { const s = app.listen(0, '127.0.0.1', () => r(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => { await new Promise((r) => server?.close(r)); });
let previousLogger: Logger | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  if (previousLogger) setLogger(previousLogger);
  previousLogger = null;
});

function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: 'POST', body: body as BodyInit, headers: { 'content-type': 'application/json', origin: base, ...headers } });
}

function captureLogs() {
  const lines: string[] = [];
  const record = (...args: unknown[]) => { lines.push(args.map((a) => (a instanceof Error ? `${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')); };
  vi.spyOn(console, 'error').mockImplementation(record);
  vi.spyOn(console, 'warn').mockImplementation(record);
  vi.spyOn(console, 'log').mockImplementation(record);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { lines.push(String(chunk)); return true; });
  // The app's own lines: pino's JSON (server/logger.ts), every level.
  previousLogger = setLogger(createLogger({ level: 'trace', destination: { write: (line: string) => { lines.push(line); } } }));
  return lines;
}

async function expectJsonError(res: Response, status: number, key: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  expect(text).not.toMatch(/<html|<pre|at .*\(|node_modules|\/work\/|\.ts:\d+/i);
  const body = JSON.parse(text) as { error: { message: string; code: number; data: { code: string; httpStatus: number; key: string } } };
  expect(body.error.data).toMatchObject({ httpStatus: status, key });
  expect(typeof body.error.code).toBe('number');
  expect(typeof body.error.message).toBe('string');
  return body;
}

describe('body-parser errors', () => {
  it('answers malformed JSON with a JSON 400 in the tRPC shape and never logs the body', async () => {
    const logs = captureLogs();
    const res = await post('/trpc/auth.signIn', '{"email":"ana@example.com","password":"Secret-Password-123"');
    const body = await expectJsonError(res, 400, 'request.malformed_json');
    expect(body.error.data.code).toBe('PARSE_ERROR');
    expect(logs.join('\n')).not.toContain('Secret-Password-123');
  });

  it('answers a GET whose input is not JSON with a JSON 400 that names the input', async () => {
    for (const path of ['/trpc/auth.me?input=undefined', '/trpc/auth.me?input=%7B%22search%22']) {
      const res = await fetch(`${base}${path}`);
      const body = await expectJsonError(res, 400, 'request.malformed_json');
      expect(body.error.data, path).toMatchObject({ fieldErrors: { input: [{ key: 'request.malformed_json' }] } });
    }
    // A batch: one such answer per call.
    const res = await fetch(`${base}/trpc/auth.me,auth.me?batch=1&input=nope`);
    expect(res.status).toBe(400);
    const answers = await res.json() as { error: { data: unknown } }[];
    expect(answers).toHaveLength(2);
    for (const a of answers) {
      expect(a.error.data).toMatchObject({ httpStatus: 400, key: 'request.malformed_json', fieldErrors: { input: [{ key: 'request.malformed_json' }] } });
    }
  });

  it("answers tRPC's own refusals with a key: unknown procedure, wrong method, not JSON, a malformed batch; and an unknown address with a JSON 404", async () => {
    await expectJsonError(await fetch(`${base}/trpc/nope.nothing`), 404, 'request.unknown_procedure');
    await expectJsonError(await fetch(`${base}/trpc/auth.signIn?input=%7B%7D`), 405, 'request.method_not_allowed');
    await expectJsonError(await post('/trpc/auth.me', '{}'), 405, 'request.method_not_allowed');
    await expectJsonError(await post('/trpc/auth.signIn', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'request.unsupported_media_type');
    await expectJsonError(await post('/trpc/auth.signIn', '{}', { 'content-type': 'text/plain' }), 415, 'request.unsupported_media_type');
    const batch = await fetch(`${base}/trpc/auth.me,auth.me?batch=1&input=5`);
    expect(batch.status).toBe(400);
    for (const a of await batch.json() as { error: { data: unknown } }[]) expect(a.error.data).toMatchObject({ httpStatus: 400, key: 'request.invalid' });
    await expectJsonError(await post('/no/such/address', '{}'), 404, 'request.not_found');
  });

  it('answers a body over the limit with a JSON 413', async () => {
    const logs = captureLogs();
    const res = await post('/trpc/auth.signIn', JSON.stringify({ email: 'a@b.ro', password: 'p'.repeat(3_000_000) }));
    await expectJsonError(res, 413, 'request.too_large');
    expect(logs.join('\n')).not.toContain('ppppp');
  });

  it('answers an unknown content encoding with a JSON 415', async () => {
    await expectJsonError(await post('/trpc/auth.signIn', '{}', { 'content-encoding': 'zstd-nonsense' }), 415, 'request.unsupported_encoding');
  });

  it('answers a body that is not what its encoding says with a JSON 400', async () => {
    await expectJsonError(await post('/trpc/auth.signIn', 'not gzip at all', { 'content-encoding': 'gzip' }), 400, 'request.malformed_body');
  });

  it('still reads a well-formed gzip body', async () => {
    const res = await post('/trpc/auth.signIn', gzipSync(JSON.stringify({ email: 'not-an-email', password: 'x' })), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { data: { fieldErrors?: object } } }).error.data.fieldErrors).toHaveProperty('email');
  });

  it('refuses JSON nested deeper than the cap with a 400, in a body and in a GET input', async () => {
    const deep = '['.repeat(5_000) + ']'.repeat(5_000);
    await expectJsonError(await post('/trpc/auth.signIn', deep), 400, 'request.too_deep');
    await expectJsonError(await post('/trpc/auth.signIn', `{"email":${'['.repeat(65)}${']'.repeat(65)}}`), 400, 'request.too_deep');
    const res = await fetch(`${base}/trpc/auth.inspectInvitation?input=${encodeURIComponent('{"token":' + '['.repeat(1_000) + ']'.repeat(1_000) + '}')}`);
    await expectJsonError(res, 400, 'request.too_deep');
    // Brackets inside strings are text, not nesting.
    const fine = await post('/trpc/auth.signOut', JSON.stringify({ note: '['.repeat(150) }));
    expect(fine.status).toBe(200);
  });
});

describe('5xx answers', () => {
  it('are logged with the path and a safe description, never the input', async () => {
    const logs = captureLogs();
    const token = `${'a'.repeat(24)}.${'b'.repeat(32)}`;
    const res = await fetch(`${base}/trpc/auth.me`, { headers: { cookie: `pm_session=${token}` } });
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { message: string; data: { key: string } } };
    expect(body.error.data.key).toBe('error.internal');
    const line = logs.find((l) => l.includes('auth.me'));
    expect(line).toBeDefined();
    expect(line).toMatch(/database is down/);
    expect(line).not.toContain('b'.repeat(32));
  });
});

describe('headers', () => {
  it('sets CSP base-uri and form-action and no-store on API answers', async () => {
    const res = await fetch(`${base}/trpc/auth.signOut`, { method: 'POST', headers: { origin: base } });
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sets HSTS when the request came over TLS through a trusted proxy', async () => {
    const prev = process.env.TRUST_PROXY;
    process.env.TRUST_PROXY = 'loopback';
    const app = createApp(deps, '/nonexistent');
    if (prev === undefined) delete process.env.TRUST_PROXY; else process.env.TRUST_PROXY = prev;
    const s: Server = await new Promise((r) => { const x = app.listen(0, '127.0.0.1', () => r(x)); });
    try {
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/healthz`;
      const tls = await fetch(url, { headers: { 'x-forwarded-proto': 'https' } });
      expect(tls.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      const plain = await fetch(url);
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await new Promise((r) => s.close(r));
    }
  });
});

describe('cross-site requests and batches', () => {
  it('refuses a cross-site GET batch before any procedure runs', async () => {
    const url = `${base}/trpc/users.list,partners.list?batch=1&input=${encodeURIComponent('{}')}`;
    const res = await fetch(url, { headers: { 'sec-fetch-site': 'cross-site', cookie: 'pm_session=abc.def' } });
    await expectJsonError(res, 403, 'auth.cross_origin');
    const foreignOrigin = await fetch(url, { headers: { origin: 'https://evil.example', cookie: 'pm_session=abc.def' } });
    await expectJsonError(foreignOrigin, 403, 'auth.cross_origin');
  });

  it('lets same-origin and direct GETs through (no Origin header: typed URL, curl)', async () => {
    expect((await fetch(`${base}/trpc/auth.me`, { headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
    expect((await fetch(`${base}/trpc/auth.me`, { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
    expect((await fetch(`${base}/trpc/auth.me`)).status).toBe(200);
  });

  it('caps a batch at 10 calls', async () => {
    const paths = Array.from({ length: 11 }, () => 'auth.me').join(',');
    const res = await fetch(`${base}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`);
    expect(res.status).toBe(400);
    const ten = Array.from({ length: 10 }, () => 'auth.me').join(',');
    expect((await fetch(`${base}/trpc/${ten}?batch=1&input=${encodeURIComponent('{}')}`)).status).toBe(200);
  });
});
