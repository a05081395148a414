/**
 * The BookingLifecycle workflow on the time-skipping test server: confirmation, reminder 24 h before the start and
 * fulfilment after the end plus the grace period; no reminder for a booking made less than 24 h ahead; cancel;
 * reschedule (reminder re-armed, one email set per version); no-show; the `state` query; no patient data anywhere in
 * the history; and replay of a recorded history. Activities are recorders over a fake booking here; against MariaDB
 * and SMTP they are covered by booking-activities.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { BookingLifecycleActivities, BookingLifecycleSchedule } from './booking-activities';
import type { BookingLifecycleInput } from '../server/workflow-outbox';
import type { BookingStatus } from '../server/bookings/lifecycle';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import { bookingChangedSignal, bookingStateQuery, type BookingLifecycleOutcome } from './booking-lifecycle';
import { expectHeartbeatTimeoutOnEveryActivity } from '../test/heartbeat-timeouts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GRACE = 24 * HOUR;
/** A history recorded from an earlier version of the workflow: today's code must replay it without nondeterminism. */
const RECORDED_HISTORY = fileURLToPath(new URL('./histories/booking-lifecycle-reschedule-cancel.json', import.meta.url));

/** Personal data that only the activity fakes know: it must never reach the workflow history. */
const PATIENT = { name: 'Zenobia Quillfeather-Patient', email: 'zenobia.quillfeather@patient.example', phone: '+40 799 314 159', nationalId: '2850101314159' };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER_BIN;
  env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
});
afterAll(async () => { await env?.teardown(); });

interface FakeBooking { status: BookingStatus; serviceId: number; startsAt: number; endsAt: number; version: number; createdAt?: number }

/** A fake database holding one partner booking, the emails "sent" (with the patient's data) and a log of calls. */
function fakes(bookingId: number, booking: FakeBooking) {
  const db = { booking: { ...booking }, sent: [] as { key: string; to: string; body: string }[] };
  const calls: { name: string; at: number }[] = [];
  const record = async (name: string) => { calls.push({ name, at: await env.currentTimeMs() }); };
  const acts: BookingLifecycleActivities = {
    async loadBookingSchedule(id): Promise<BookingLifecycleSchedule | null> {
      await record('load');
      return id === bookingId ? { bookingId, ...db.booking, fulfilGraceMs: GRACE } : null;
    },
    async queueBookingEmails({ stage, version }) {
      await record(`queue ${stage} v${version}`);
      const b = db.booking;
      const now = await env.currentTimeMs();
      const fits = stage === 'reminder' ? b.status === 'booked' && b.startsAt > now
        : stage === 'cancelled' ? b.status === 'cancelled' : b.status !== 'cancelled';
      if (!fits) return [];
      const prefix = `booking:${bookingId}:${stage}:v${version}`;
      return stage === 'reminder' ? [`${prefix}:patient`] : [`${prefix}:patient`, `${prefix}:partner-user-7`];
    },
    async deliverEmail(key) {
      await record(`deliver ${key}`);
      if (db.sent.some((m) => m.key === key)) return 'already_sent';
      const patient = key.endsWith(':patient');
      db.sent.push({ key, to: patient ? PATIENT.email : 'booker@partner.example', body: `Hello ${patient ? PATIENT.name : 'Booker'}: ${PATIENT.name}, ${PATIENT.phone}, ${PATIENT.nationalId}` });
      return 'sent';
    },
    async fulfilBooking() {
      await record('fulfil');
      const b = db.booking;
      if (b.status === 'fulfilled') return { result: 'fulfilled', version: b.version };
      if (b.status === 'cancelled' || b.status === 'noshow') return { result: 'not_fulfillable', status: b.status, version: b.version };
      if (b.endsAt + GRACE > await env.currentTimeMs()) return { result: 'not_due', status: b.status, version: b.version };
      b.status = 'fulfilled';
      b.version++;
      return { result: 'fulfilled', version: b.version };
    },
  };
  const names = () => calls.map((c) => c.name);
  const timeOf = (name: string, start: number) => (calls.find((c) => c.name === name)!.at - start);
  return { db, calls, acts, names, timeOf };
}

async function withWorker(acts: BookingLifecycleActivities, body: (taskQueue: string) => Promise<void>) {
  const taskQueue = `b-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, activities: acts,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') },
  });
  await worker.runUntil(body(taskQueue));
}

function start(taskQueue: string, bookingId: number): Promise<WorkflowHandle> {
  const input: BookingLifecycleInput = { bookingId };
  return env.client.workflow.start('bookingLifecycle', { taskQueue, workflowId: `booking:${bookingId}`, args: [input] });
}

/** The history's JSON with every payload (base64 in the JSON) decoded, so that a search sees what it carries. */
function decodedHistory(json: string): string {
  const payloads: string[] = [];
  JSON.parse(json, (key, value) => {
    if (key === 'data' && typeof value === 'string') payloads.push(Buffer.from(value, 'base64').toString('utf8'));
    return value;
  });
  return `${json}\n${payloads.join('\n')}`;
}

/** The history must not hold any of the patient's data (only IDs, statuses, versions, times). */
function expectNoPatientDataIn(json: string, bookingId: number | null) {
  const text = decodedHistory(json);
  // The decoding works: the message keys the activities returned are readable.
  if (bookingId !== null) expect(text).toContain(`booking:${bookingId}:confirmation:v1:patient`);
  for (const value of Object.values(PATIENT)) expect(text).not.toContain(value);
  expect(text).not.toMatch(/@patient\.example|Zenobia|Quillfeather/i);
}

async function expectNoPatientData(handle: WorkflowHandle, bookingId: number) {
  expectNoPatientDataIn(historyToJSON(await handle.fetchHistory()), bookingId);
}

/** Waits (in real time) until the running workflow reached the given phase. */
async function waitForPhase(handle: WorkflowHandle, phase: string) {
  for (let i = 0; i < 100; i++) {
    const state = await handle.query(bookingStateQuery);
    if (state.phase === phase) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workflow did not reach phase ${phase}`);
}

const booked = (now: number, startsIn: number, durationMs = 30 * MINUTE): FakeBooking =>
  ({ status: 'booked', serviceId: 3, startsAt: now + startsIn, endsAt: now + startsIn + durationMs, version: 1 });

describe('booking lifecycle workflow', () => {
  it('confirms, reminds 24 h before the start and fulfils after the end plus the grace period', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(101, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 101);
      expect(await handle.result()).toBe<BookingLifecycleOutcome>('fulfilled');
      expect(f.names()).toEqual([
        'load', 'queue confirmation v1', 'deliver booking:101:confirmation:v1:patient', 'deliver booking:101:confirmation:v1:partner-user-7',
        'load', 'queue reminder v1', 'deliver booking:101:reminder:v1:patient',
        'fulfil',
      ]);
      expect(f.timeOf('queue reminder v1', now) / HOUR).toBeCloseTo(48, 1);
      expect(f.timeOf('fulfil', now) / HOUR).toBeCloseTo(72 + 0.5 + 24, 1);
      expect(f.db.booking.status).toBe('fulfilled');
      expect(await handle.query(bookingStateQuery)).toEqual({ phase: 'finished', nextStep: null });
      await expectNoPatientData(handle, 101);
    });
  });

  it('sends no reminder for a booking made less than 24 h ahead', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(102, booked(now, 6 * HOUR));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 102);
      const state = await waitForPhase(handle, 'waiting');
      expect(state.nextStep).toEqual({ kind: 'fulfilment', at: new Date(now + 6 * HOUR + 30 * MINUTE + GRACE).toISOString() });
      expect(await handle.result()).toBe('fulfilled');
      expect(f.names()).toEqual([
        'load', 'queue confirmation v1', 'deliver booking:102:confirmation:v1:patient', 'deliver booking:102:confirmation:v1:partner-user-7', 'fulfil',
      ]);
    });
  });

  it('does not lose the reminder of a booking made days ahead whose confirmation came late (worker or Temporal away)', async () => {
    const now = await env.currentTimeMs();
    // Made 3 days before its start, but the workflow only runs 12 h before it: the reminder's time (24 h before) passed
    // while nothing ran. It goes out at once after the confirmation, the booking being still ahead.
    const f = fakes(120, { ...booked(now, 12 * HOUR), createdAt: now - 60 * HOUR });
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 120);
      await waitForPhase(handle, 'reminded');
      expect(f.names()).toEqual([
        'load', 'queue confirmation v1', 'deliver booking:120:confirmation:v1:patient', 'deliver booking:120:confirmation:v1:partner-user-7',
        'load', 'queue reminder v1', 'deliver booking:120:reminder:v1:patient',
      ]);
      expect(f.timeOf('deliver booking:120:reminder:v1:patient', now) / HOUR).toBeLessThan(1);
      f.db.booking.status = 'cancelled'; // end the run
      f.db.booking.version++;
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('cancelled');
    });
  });

  it('sends no reminder for a booking made less than 24 h ahead, by the time it was made', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(121, { ...booked(now, 6 * HOUR), createdAt: now });
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 121);
      expect((await waitForPhase(handle, 'waiting')).nextStep?.kind).toBe('fulfilment');
      f.db.booking.status = 'cancelled';
      f.db.booking.version++;
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('cancelled');
      expect(f.names().some((n) => n.startsWith('queue reminder'))).toBe(false);
    });
  });

  it('the state query shows the next reminder, then the fulfilment', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(103, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 103);
      expect(await waitForPhase(handle, 'waiting')).toEqual({ phase: 'waiting', nextStep: { kind: 'reminder', at: new Date(now + 2 * DAY).toISOString() } });
      await env.sleep(2 * DAY + HOUR);
      expect(await waitForPhase(handle, 'reminded')).toEqual({
        phase: 'reminded', nextStep: { kind: 'fulfilment', at: new Date(now + 3 * DAY + 30 * MINUTE + GRACE).toISOString() },
      });
      f.db.booking.status = 'cancelled'; // end the run
      f.db.booking.version++;
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('cancelled');
    });
  });

  it('cancel: sends the cancellation emails, no reminder and no fulfilment', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(104, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 104);
      await waitForPhase(handle, 'waiting');
      await env.sleep(DAY);
      Object.assign(f.db.booking, { status: 'cancelled', version: 2 }); // committed by the API before it signals
      await handle.signal(bookingChangedSignal);
      await handle.signal(bookingChangedSignal); // a duplicate signal is harmless
      expect(await handle.result()).toBe('cancelled');
      expect(f.names()).toEqual([
        'load', 'queue confirmation v1', 'deliver booking:104:confirmation:v1:patient', 'deliver booking:104:confirmation:v1:partner-user-7',
        'load', 'queue cancelled v2', 'deliver booking:104:cancelled:v2:patient', 'deliver booking:104:cancelled:v2:partner-user-7',
      ]);
      expect(f.db.booking.status).toBe('cancelled');
      await expectNoPatientData(handle, 104);
    });
  });

  it('reschedule: rescheduled emails once per version, the reminder re-armed at the new time, fulfilment after the new end', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(105, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 105);
      await waitForPhase(handle, 'waiting');
      await env.sleep(DAY);
      // Moved to day 5 (version 2), and a payment change (version 3) that is no move.
      Object.assign(f.db.booking, { startsAt: now + 5 * DAY, endsAt: now + 5 * DAY + HOUR, version: 2 });
      await handle.signal(bookingChangedSignal);
      await handle.signal(bookingChangedSignal);
      let state = await handle.query(bookingStateQuery);
      for (let i = 0; i < 100 && state.nextStep?.at !== new Date(now + 4 * DAY).toISOString(); i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await handle.query(bookingStateQuery);
      }
      expect(state.nextStep).toEqual({ kind: 'reminder', at: new Date(now + 4 * DAY).toISOString() });
      f.db.booking.version = 3;
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('fulfilled');
      expect(f.names().filter((n) => !n.startsWith('load'))).toEqual([
        'queue confirmation v1', 'deliver booking:105:confirmation:v1:patient', 'deliver booking:105:confirmation:v1:partner-user-7',
        'queue rescheduled v2', 'deliver booking:105:rescheduled:v2:patient', 'deliver booking:105:rescheduled:v2:partner-user-7',
        'queue reminder v3', 'deliver booking:105:reminder:v3:patient',
        'fulfil',
      ]);
      expect(f.timeOf('queue reminder v3', now) / HOUR).toBeCloseTo(4 * 24, 1);
      expect(f.timeOf('fulfil', now) / HOUR).toBeCloseTo(5 * 24 + 1 + 24, 1);
      await expectNoPatientData(handle, 105);
    });
  });

  it('a move after the reminder re-arms it for the new time (a second reminder, keyed by the new version)', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(106, booked(now, 2 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 106);
      await env.sleep(DAY + HOUR);
      await waitForPhase(handle, 'reminded');
      Object.assign(f.db.booking, { startsAt: now + 4 * DAY, endsAt: now + 4 * DAY + 30 * MINUTE, version: 2 });
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('fulfilled');
      const reminders = f.calls.filter((c) => c.name.startsWith('queue reminder'));
      expect(reminders.map((c) => c.name)).toEqual(['queue reminder v1', 'queue reminder v2']);
      expect((reminders[1].at - now) / HOUR).toBeCloseTo(3 * 24, 1);
    });
  });

  it('no-show: the booking is never fulfilled', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(107, booked(now, 2 * HOUR));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 107);
      await waitForPhase(handle, 'waiting');
      await env.sleep(3 * HOUR);
      Object.assign(f.db.booking, { status: 'noshow', version: 2 });
      await handle.signal(bookingChangedSignal);
      let state = await handle.query(bookingStateQuery);
      for (let i = 0; i < 100 && state.nextStep !== null; i++) {
        await new Promise((r) => setTimeout(r, 50));
        state = await handle.query(bookingStateQuery);
      }
      expect(state).toEqual({ phase: 'waiting', nextStep: null });
      expect(await handle.result()).toBe('noshow');
      expect(f.db.booking.status).toBe('noshow');
      expect(f.names().some((n) => n.includes('reminder') || n.includes('cancelled'))).toBe(false);
    });
  });

  it('a no-show mark undone before the end plus grace is fulfilled after all', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(108, booked(now, 2 * HOUR));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 108);
      await waitForPhase(handle, 'waiting');
      await env.sleep(3 * HOUR);
      Object.assign(f.db.booking, { status: 'noshow', version: 2 });
      await handle.signal(bookingChangedSignal);
      await env.sleep(HOUR);
      Object.assign(f.db.booking, { status: 'booked', version: 3 });
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('fulfilled');
      expect(f.db.booking.status).toBe('fulfilled');
    });
  });

  it('a cancellation whose signal has not arrived yet stops the reminder (re-read before reminding)', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(109, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 109);
      await waitForPhase(handle, 'waiting');
      Object.assign(f.db.booking, { status: 'cancelled', version: 2 }); // no signal
      expect(await handle.result()).toBe('cancelled');
      expect(f.names().filter((n) => n.startsWith('queue'))).toEqual(['queue confirmation v1', 'queue cancelled v2']);
    });
  });

  it('reschedule then cancel: its history has no patient data and replays', async () => {
    const now = await env.currentTimeMs();
    const f = fakes(110, booked(now, 3 * DAY));
    await withWorker(f.acts, async (taskQueue) => {
      const handle = await start(taskQueue, 110);
      await waitForPhase(handle, 'waiting');
      await env.sleep(DAY);
      Object.assign(f.db.booking, { startsAt: now + 6 * DAY, endsAt: now + 6 * DAY + 30 * MINUTE, version: 2 });
      await handle.signal(bookingChangedSignal);
      await env.sleep(DAY);
      Object.assign(f.db.booking, { status: 'cancelled', version: 3 });
      await handle.signal(bookingChangedSignal);
      expect(await handle.result()).toBe('cancelled');
      expect(f.names().filter((n) => n.startsWith('queue'))).toEqual(['queue confirmation v1', 'queue rescheduled v2', 'queue cancelled v3']);
      // The fakes did "send" the patient's data; none of it is in the history.
      expect(f.db.sent.some((m) => m.to === PATIENT.email && m.body.includes(PATIENT.name))).toBe(true);
      await expectNoPatientData(handle, 110);

      const history = await handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, history, 'booking:110');
      expectHeartbeatTimeoutOnEveryActivity(history);
      if (process.env.RECORD_HISTORY && !existsSync(RECORDED_HISTORY)) writeFileSync(RECORDED_HISTORY, historyToJSON(history));
    });
  });
});

describe('booking lifecycle workflow compatibility', () => {
  it('the patient-data check sees into payloads', () => {
    const leaked = JSON.stringify({ events: [{ input: { payloads: [{ data: Buffer.from(JSON.stringify({ name: PATIENT.name })).toString('base64') }] } }] });
    expect(() => expectNoPatientDataIn(leaked, null)).toThrow();
  });

  it('replays the recorded history of a rescheduled and cancelled booking', async () => {
    const json = readFileSync(RECORDED_HISTORY, 'utf8');
    await Worker.runReplayHistory({ workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } }, JSON.parse(json), 'booking:recorded');
    expectNoPatientDataIn(json, 110);
  });
});
