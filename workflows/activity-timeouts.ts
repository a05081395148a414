/**
 * How the workflows notice a dead activity early. Every activity the worker registers heartbeats every
 * HEARTBEAT_EVERY_MS while it runs (workflows/activities.ts), and every workflow schedules its activities with
 * HEARTBEAT_TIMEOUT: an activity cut off by a killed worker (SIGKILL, a lost machine) is retried after that timeout
 * rather than after its whole start-to-close timeout (a minute or more). Imported by workflow code (bundled) and by the
 * activities, so this module has no imports.
 *
 * The SDK sends heartbeats to the server at most every 0.8 × the timeout (16 s), the first one at once: a heartbeat
 * every 5 s keeps an activity alive however long it runs, as long as nothing blocks the worker's event loop for ~15 s.
 */
export const HEARTBEAT_EVERY_MS = 5_000;
export const HEARTBEAT_TIMEOUT_MS = 20_000;
export const HEARTBEAT_TIMEOUT = '20 seconds';
