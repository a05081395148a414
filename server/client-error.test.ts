import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerClientErrorsAsJson } from './client-error';

let server: Server;
let port: number;
beforeAll(async () => {
  server = answerClientErrorsAsJson(createServer((_req, res) => { res.end('ok'); }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Sends raw bytes through a real socket and returns everything the server answered. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function parse(response: string) {
  const [head, body] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body) as { error: { message: string; data: { key: string; httpStatus: number } } } };
}

describe('requests refused by the HTTP parser', () => {
  it('answers a GET URL over the header limit with a JSON 431 that names the reason', async () => {
    const url = `/trpc/partners.list?input=${'x'.repeat(20_000)}`;
    const answer = parse(await raw(`GET ${url} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.head).toMatch(/content-type: application\/json/i);
    expect(answer.body.error.data).toMatchObject({ key: 'request.too_large', httpStatus: 431 });
    expect(answer.body.error.message).toMatch(/too large/i);
  });

  it('answers a malformed request line with a JSON 400', async () => {
    const answer = parse(await raw('NOT A REQUEST\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.data.key).toBe('request.malformed_body');
  });

  it('still serves ordinary requests', async () => {
    expect(await raw('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).toMatch(/\r\n\r\nok$/);
  });
});
