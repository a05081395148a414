/**
 * Graceful stop of the API (SIGTERM from an orchestrator, Ctrl-C): requests already in flight finish and get their
 * answers; a request that arrives after the signal is refused at once with a 503 JSON answer in the tRPC error shape
 * (`error.shutting_down`, Retry-After, Connection: close) so a load balancer or the client retries elsewhere or later;
 * once the last answer is sent (or the timeout passes) the listening socket and every connection are closed and the
 * caller closes the database pool and the Temporal connection.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { englishMessage } from './errors';

export interface Drain {
  /** The server's request listener: counts requests in flight and refuses new ones once draining. */
  handler: RequestListener;
  inFlight(): number;
  draining(): boolean;
  /**
   * Starts refusing new requests and resolves once every request in flight has been answered (true) or the timeout
   * passed (false); then the server stops listening and its remaining connections are closed.
   */
  drain(server: Server, timeoutMs: number): Promise<boolean>;
}

/** `SHUTDOWN_TIMEOUT_SECONDS` (default 25: within the usual 30 s an orchestrator waits before it kills). */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHUTDOWN_TIMEOUT_SECONDS;
  if (raw === undefined || raw === '') return 25_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`SHUTDOWN_TIMEOUT_SECONDS must be a positive number, got "${raw}"`);
  return n * 1000;
}

/** The answer to a request that arrives while draining: one error per call of a batched tRPC request. */
export function shuttingDownBody(url: string | undefined): string {
  const error = {
    message: englishMessage('error.shutting_down'), code: -32603,
    data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, key: 'error.shutting_down' },
  };
  const parsed = new URL(url ?? '/', 'http://localhost');
  if (parsed.pathname.startsWith('/trpc/') && parsed.searchParams.get('batch') === '1') {
    const calls = parsed.pathname.slice('/trpc/'.length).split(',').length;
    return JSON.stringify(Array.from({ length: calls }, () => ({ error })));
  }
  return JSON.stringify({ error });
}

export function createDrain(app: RequestListener): Drain {
  let draining = false;
  const open = new Set<ServerResponse>();
  const idleWaiters: (() => void)[] = [];

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      res.writeHead(503, {
        'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Retry-After': '5', Connection: 'close',
      });
      res.end(shuttingDownBody(req.url));
      return;
    }
    open.add(res);
    const done = () => {
      if (!open.delete(res)) return;
      if (open.size === 0) idleWaiters.splice(0).forEach((w) => w());
    };
    res.once('finish', done);
    res.once('close', done);
    app(req, res);
  };

  return {
    handler,
    inFlight: () => open.size,
    draining: () => draining,
    async drain(server, timeoutMs) {
      draining = true;
      // Answers still to come close their connection: the client opens a new one (to another instance) next time.
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      let timer: NodeJS.Timeout | undefined;
      const finished = open.size === 0 || await new Promise<boolean>((resolve) => {
        idleWaiters.push(() => resolve(true));
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return finished;
    },
  };
}
