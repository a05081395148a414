/** The API's drain on SIGTERM, on a real HTTP server: in-flight requests finish, new ones get the 503 JSON answer. */
import { describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDrain, shutdownTimeoutMs, shuttingDownBody } from './shutdown';

describe('shuttingDownBody', () => {
  it('answers in the tRPC error shape, one error per call of a batched request', () => {
    expect(JSON.parse(shuttingDownBody('/trpc/partners.list?input=%7B%7D'))).toEqual({
      error: { message: 'The server is restarting. Please try again in a moment.', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, key: 'error.shutting_down' } },
    });
    const batch = JSON.parse(shuttingDownBody('/trpc/auth.me,partners.list?batch=1&input=%7B%7D')) as unknown[];
    expect(batch).toHaveLength(2);
    expect(batch[1]).toMatchObject({ error: { data: { key: 'error.shutting_down' } } });
  });
});

describe('shutdownTimeoutMs', () => {
  it('reads SHUTDOWN_TIMEOUT_SECONDS (default 25 s) and refuses nonsense', () => {
    expect(shutdownTimeoutMs({})).toBe(25_000);
    expect(shutdownTimeoutMs({ SHUTDOWN_TIMEOUT_SECONDS: '5' })).toBe(5_000);
    expect(() => shutdownTimeoutMs({ SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow(/positive/);
  });
});

describe('createDrain', () => {
  it('lets the request in flight finish, refuses a new one with 503 JSON, then closes', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => { release = r; });
    let arrived!: () => void;
    const inFlight = new Promise<void>((r) => { arrived = r; });
    const drain = createDrain((req: IncomingMessage, res: ServerResponse) => {
      arrived();
      void slow.then(() => res.end('done'));
    });
    const server = createServer(drain.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const first = fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await inFlight;
    expect(drain.inFlight()).toBe(1);
    const drained = drain.drain(server, 10_000);
    expect(drain.draining()).toBe(true);
    const refused = await fetch(`${url}/trpc/auth.me`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: { data: { key: 'error.shutting_down' } } });

    release();
    expect(await first).toEqual({ status: 200, body: 'done' });
    expect(await drained).toBe(true);
    expect(server.listening).toBe(false);
  });

  it('gives up waiting after the timeout and closes the connections still open', async () => {
    const drain = createDrain(() => { /* never answers */ });
    const server = createServer(drain.handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const hanging = fetch(url).then(() => 'answered', () => 'cut off');
    while (drain.inFlight() === 0) await new Promise((r) => setTimeout(r, 10));
    expect(await drain.drain(server, 200)).toBe(false);
    expect(await hanging).toBe('cut off');
  });
});
