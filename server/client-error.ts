/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over 16 KB — a long batched GET URL — or a
 * malformed request line): answered as JSON in the tRPC shape like every other error, never Node's bare 431/400
 * without a body. Nothing of the request is logged (its URL can hold query input).
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { englishMessage } from './errors';

function answer(httpStatus: number, key: string): string {
  const body = JSON.stringify({ error: { message: englishMessage(key), code: -32600, data: { code: 'BAD_REQUEST', httpStatus, key } } });
  const reason = httpStatus === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${httpStatus} ${reason}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function answerClientErrorsAsJson(server: Server) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or timed-out socket has nobody to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    socket.end(answer(tooLarge ? 431 : 400, tooLarge ? 'request.too_large' : 'request.malformed_body'));
  });
  return server;
}
