/**
 * The worker is killed with SIGKILL (no shutdown, activities cut off) in the middle of a partner invitation, a booking
 * lifecycle and a settlement run, then started again: each completes exactly once — every queued email is sent once
 * (no duplicate, none lost, including the invitation's and the booking's reminders that fell due while the worker was
 * dead) and the settlement has one line per fulfilled booking, once. Kills land while workflows wait or between
 * steps, not inside an SMTP exchange (see the README's Faults section on that window).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, countDistinct, eq, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { bookings, settlementLines, settlementRuns, settlementStatements, users } from '../../db/schema';
import { hashPassword } from '../../server/auth/password';
import { monthBounds } from '../../server/settlement/months';
import { DEMO, bookingInput, freeSlots, inviteNewCompany, mailLedger, sentTo, signedIn } from './fixtures';
import { startFaultStack, until, type FaultStack } from './stack';

const SECOND = 1000;
const days = (ms: number) => String(ms / 86_400_000);
/** Partner invitation reminders 12 s and 24 s after the invitation (the defaults are days 3 and 7). */
const REMINDERS_MS = [12 * SECOND, 24 * SECOND];

let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack({
    env: {
      PARTNER_REMINDER_DAYS: REMINDERS_MS.map(days).join(','), PARTNER_INVITATION_EXPIRY_DAYS: '1',
      // One partnership per settlement chunk: the run below has many steps to be killed in the middle of.
      SETTLEMENT_CHUNK_SIZE: '1',
    },
  });
  await stack.startApi();
  await stack.startWorker();
});
afterAll(async () => { await stack?.close(); });

/** Kills the worker outright: no shutdown hook runs, an activity in flight is cut off where it stands. */
async function killWorker() {
  const { signal } = await stack.worker.stop('SIGKILL');
  expect(signal).toBe('SIGKILL');
}

describe('the worker is killed with SIGKILL and started again', () => {
  it('a partner invitation sends its email and both reminders exactly once, reminders due while it was dead included', async () => {
    const admin = await signedIn(stack, DEMO.admin);
    const contact = 'ioana.faur@fault-invite.example.ro';
    const started = Date.now();
    const { partnershipId } = await inviteNewCompany(admin, contact);
    expect(partnershipId).toBeGreaterThan(0);
    // Killed while the invitation is being dispatched, issued or sent.
    await killWorker();
    await stack.startWorker();
    await sentTo(stack, contact, 1);
    // Killed again while the workflow waits for its reminders; both fall due before it is back.
    await killWorker();
    await until('both reminders to be due', async () => Date.now() > started + REMINDERS_MS[1] + 2 * SECOND, 60_000);
    await stack.startWorker();
    await stack.smtp.waitFor(contact, 3, 60_000);
    // Whatever is still in flight settles (a duplicate would arrive now); the workflow is waiting for the partner.
    await until('the invitation rows to be sent', async () => (await mailLedger(stack, contact)).sent === 3, 30_000);

    const ledger = await mailLedger(stack, contact);
    expect(ledger).toMatchObject({ rows: 3, sent: 3, received: 3, messageIds: 3 });
    expect(ledger.subjects.filter((s) => /^(Reminder|Memento): /.test(s))).toHaveLength(2);
    expect(new Set(ledger.subjects.map((s) => s.replace(/^(Reminder|Memento): /, ''))).size).toBe(1);
  });

  it('a booking lifecycle confirms, reminds (due while the worker was dead) and cancels exactly once', async () => {
    const booker = await signedIn(stack, DEMO.partnerBooker);
    const patient = 'elena.faur@fault-booking.example.ro';
    const [slot] = await freeSlots(booker);
    // The reminder falls due 100 s from now (room for a slow worker start and the confirmation before it):
    // BOOKING_REMINDER_HOURS for the worker processes started from here on.
    const reminderDueAt = Date.now() + 100 * SECOND;
    stack.env.BOOKING_REMINDER_HOURS = String((Date.parse(slot.startsAt) - reminderDueAt) / 3_600_000);
    await killWorker();
    await stack.startWorker();
    const { bookingId } = await booker.api.bookings.create.mutate(bookingInput(slot, patient));
    await sentTo(stack, patient, 1);
    await sentTo(stack, DEMO.partnerBooker.email, 1);
    expect(Date.now(), 'the confirmation came before the reminder was due').toBeLessThan(reminderDueAt);
    // Killed while the lifecycle waits for the reminder, which falls due while the worker is dead.
    await killWorker();
    await until('the reminder to be due', async () => Date.now() > reminderDueAt + 2 * SECOND, 200_000);
    await stack.startWorker();
    await sentTo(stack, patient, 2);
    await booker.api.bookings.cancel.mutate({ bookingId, reason: 'The patient cannot come.' });
    await sentTo(stack, patient, 3);
    await sentTo(stack, DEMO.partnerBooker.email, 2);

    expect(await mailLedger(stack, patient)).toMatchObject({
      rows: 3, sent: 3, received: 3, messageIds: 3, templates: ['booking-cancelled', 'booking-confirmation', 'booking-reminder'],
    });
    // The partner is told of the booking and its cancellation, not reminded.
    expect(await mailLedger(stack, DEMO.partnerBooker.email)).toMatchObject({
      rows: 2, sent: 2, received: 2, messageIds: 2, templates: ['booking-cancelled', 'booking-confirmation'],
    });
  });

  it('a settlement run killed between chunks completes once, with one line per fulfilled booking', async () => {
    // 50 partnerships with fulfilled bookings last month (the settlement benchmark's data, small).
    process.env.BENCH_BOOKINGS = '3000';
    process.env.BENCH_MONTH_BOOKINGS = '1500';
    const { loadSettlementBench } = await import('../../bench/settlement');
    const data = await loadSettlementBench(stack.database.db, stack.databaseUrl);
    const { db } = stack.database;
    const password = 'Bench-Admin-Fault-2026';
    await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, data.adminUserId));
    const [admin] = await db.select({ email: users.email }).from(users).where(eq(users.id, data.adminUserId));
    const browser = await signedIn(stack, { email: admin.email, password });

    const { settlementRunId } = await browser.api.settlements.start.mutate({ month: data.month });
    // Killed in the middle: some chunks settled, others not.
    const mid = await until('the run to be between chunks', async () => {
      const [run] = await db.select().from(settlementRuns).where(eq(settlementRuns.id, settlementRunId));
      return run.status === 'running' && run.partnershipsDone > 0 && run.partnershipsDone < run.partnershipsTotal ? run : null;
    }, 120_000, 10);
    await killWorker();
    const [atKill] = await db.select().from(settlementRuns).where(eq(settlementRuns.id, settlementRunId));
    expect(atKill.status).toBe('running');
    expect(mid.partnershipsTotal).toBe(50);
    await stack.startWorker();
    const done = await until('the run to complete', async () => {
      const [run] = await db.select().from(settlementRuns).where(eq(settlementRuns.id, settlementRunId));
      return run.status === 'completed' ? run : null;
    }, 180_000);

    const { from, to } = monthBounds(data.month, 'Europe/Bucharest');
    const [{ expected }] = await db.select({ expected: count() }).from(bookings).where(and(
      eq(bookings.institutionId, data.institutionId), isNotNull(bookings.partnershipId), eq(bookings.status, 'fulfilled'),
      gte(bookings.startsAt, from), lt(bookings.startsAt, to)));
    const statements = await db.select({ id: settlementStatements.id }).from(settlementStatements)
      .where(and(eq(settlementStatements.institutionId, data.institutionId), eq(settlementStatements.month, data.month)));
    const onStatements = inArray(settlementLines.statementId, statements.map((s) => s.id));
    const [lines] = await db.select({ lines: count(), bookings: countDistinct(settlementLines.bookingId) }).from(settlementLines)
      .where(and(onStatements, eq(settlementLines.kind, 'booking')));
    // Adjustment lines: the benchmark data changes bookings of the month before, which was issued.
    const [all] = await db.select({ lines: count() }).from(settlementLines).where(onStatements);
    const runs = await db.select({ n: sql<number>`COUNT(*)` }).from(settlementRuns)
      .where(and(eq(settlementRuns.institutionId, data.institutionId), eq(settlementRuns.month, data.month)));

    expect(expected).toBeGreaterThan(1000);
    expect(statements).toHaveLength(50);
    expect(lines).toEqual({ lines: expected, bookings: expected });
    expect(Number(runs[0].n)).toBe(1);
    expect(done).toMatchObject({ partnershipsDone: 50, partnershipsTotal: 50, statements: 50, lines: all.lines });
  });
});
