/**
 * Child processes of the product for the tests that run it as it runs in production (the fault tests, the
 * multi-process test): a free port, a wait with a deadline, and a child whose output is kept for the failure message.
 * FAULTS_VERBOSE=1 echoes the children's output as it comes.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A child process with its output kept (and printed on failure by the tests), and a way to wait for its exit. */
export class Child {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(readonly name: string, readonly proc: ChildProcess) {
    const keep = (c: Buffer) => {
      this.output += c.toString();
      if (process.env.FAULTS_VERBOSE) process.stdout.write(c.toString().split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join(''));
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  }
  get running() { return this.proc.exitCode === null && this.proc.signalCode === null; }
  /** Sends the signal and waits for the exit (SIGKILL after `killAfterMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 20_000) {
    if (!this.running) return this.exited;
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), killAfterMs);
    this.proc.kill(signal);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
  /**
   * Resolves with `performance.now()` at the moment the output first matches `pattern` (checked on every chunk as it
   * arrives, so the time is when the process said it, give or take the pipe), or at once if it already did.
   */
  whenPrinted(pattern: RegExp): Promise<number> {
    if (pattern.test(this.output)) return Promise.resolve(performance.now());
    return new Promise((resolve) => {
      const check = () => {
        if (!pattern.test(this.output)) return;
        this.proc.stdout?.off('data', check);
        this.proc.stderr?.off('data', check);
        resolve(performance.now());
      };
      this.proc.stdout?.on('data', check);
      this.proc.stderr?.on('data', check);
    });
  }
  async waitForOutput(pattern: RegExp, timeoutMs = 90_000) {
    await until(`${this.name} to print ${pattern}`, async () => {
      if (!this.running && !pattern.test(this.output)) throw new Error(`${this.name} exited: ${this.output.slice(-2000)}`);
      return pattern.test(this.output);
    }, timeoutMs, 100).catch((err: Error) => { throw new Error(`${err.message}; it printed: ${this.output.slice(-2000)}`); });
  }
}
