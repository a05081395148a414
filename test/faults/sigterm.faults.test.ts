/**
 * The API gets SIGTERM under load (users signing in, each sign-in a password check and a session write): every
 * request it had received finishes with its normal answer, requests that arrive afterwards are refused cleanly (a 503
 * JSON answer "The server is restarting", or the connection is refused once it stopped listening), never a 500 or a
 * cut-off answer, and the process exits by itself with code 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from './fixtures';
import { startFaultStack, type FaultStack } from './stack';

let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack();
  await stack.startApi();
});
afterAll(async () => { await stack?.close(); });

interface Result { sentAt: number; answeredAt: number; status: number | null; key?: string; network?: string }

async function signIn(baseUrl: string): Promise<Result> {
  const sentAt = performance.now();
  try {
    const res = await fetch(`${baseUrl}/trpc/auth.signIn`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ email: DEMO.staff.email, password: DEMO.staff.password }),
    });
    const body = await res.json() as { error?: { data?: { key?: string } } };
    return { sentAt, answeredAt: performance.now(), status: res.status, key: body.error?.data?.key };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { sentAt, answeredAt: performance.now(), status: null, network: cause?.code ?? cause?.message ?? String(err) };
  }
}

describe('SIGTERM under load', () => {
  it('finishes the requests in flight, refuses new ones cleanly and exits', async () => {
    const results: Result[] = [];
    let refused = 0;
    const client = async () => {
      // Each client keeps signing in until the API no longer accepts connections.
      while (refused < 20) {
        const r = await signIn(stack.baseUrl);
        results.push(r);
        if (r.network) refused++;
      }
    };
    const clients = Array.from({ length: 8 }, client);
    while (results.filter((r) => r.status === 200).length < 16) await new Promise((r) => setTimeout(r, 50));

    // The signal reaches the API a moment after it is sent (its event loop is busy with the sign-ins): requests sent
    // in between may still be taken normally. "Before" is before the signal was sent; "after" is after the API
    // printed that it is draining.
    const drainingSeen = stack.api.whenPrinted(/draining: finishing the requests in flight/);
    const signalAt = performance.now();
    stack.api.proc.kill('SIGTERM');
    const drainingAt = await drainingSeen;
    const exit = await stack.api.exited;
    await Promise.all(clients);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(stack.api.output).toMatch(/stopped/);

    const before = results.filter((r) => r.sentAt < signalAt);
    const between = results.filter((r) => r.sentAt >= signalAt && r.sentAt < drainingAt);
    const after = results.filter((r) => r.sentAt >= drainingAt);
    // Every request sent before the signal got an answer: its normal one, or (not yet read when the drain began) the
    // clean refusal; none was cut off.
    expect(before.filter((r) => r.network || (r.status !== 200 && r.key !== 'error.shutting_down'))).toEqual([]);
    // Requests in flight at the signal finished after it, with their normal answer.
    expect(before.filter((r) => r.status === 200 && r.answeredAt > signalAt).length).toBeGreaterThan(0);
    // New requests: refused with the 503 JSON answer while draining, or not taken at all: the connection refused once
    // the API stopped listening, or a kept-alive connection closed before the request on it was read (the API answers
    // every request it reads; undici reports UND_ERR_SOCKET, "other side closed").
    const answeredAfter = after.filter((r) => r.status !== null);
    expect(answeredAfter.filter((r) => r.status !== 503 || r.key !== 'error.shutting_down')).toEqual([]);
    expect(after.filter((r) => r.network && !/ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/.test(r.network))).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    // Sent while the signal was on its way: the normal answer, the clean refusal, or not taken at all; nothing else.
    expect(between.filter((r) => (r.status !== null && r.status !== 200 && (r.status !== 503 || r.key !== 'error.shutting_down'))
      || (r.network && !/ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET/.test(r.network)))).toEqual([]);
    expect(results.some((r) => r.status !== null && r.status >= 500 && r.status !== 503)).toBe(false);
  });
});
