/** Tiny network helpers for the start and test scripts. */
import { connect } from 'node:net';

export function isReachable(address: string, timeoutMs = 1000): Promise<boolean> {
  const i = address.lastIndexOf(':');
  const host = i > 0 ? address.slice(0, i) : address;
  const port = i > 0 ? Number(address.slice(i + 1)) : 7233;
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
    socket.once('timeout', () => { socket.destroy(); done(false); });
  });
}
