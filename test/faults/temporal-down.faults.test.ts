/**
 * The Temporal server is down while users invite partners and book: the requests succeed (the workflow starts wait in
 * the outbox, committed with the business change), /readyz says Temporal is unreachable, and once Temporal is back
 * the workflows start by themselves — each once: one invitation email per invitation, one confirmation per booking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, inArray, isNull } from 'drizzle-orm';
import { workflowOutbox } from '../../db/schema';
import { bookingWorkflowId, partnerInvitationWorkflowId } from '../../server/workflow-outbox';
import { DEMO, bookingInput, freeSlots, inviteNewCompany, mailLedger, sentTo, signedIn } from './fixtures';
import { startFaultStack, until, type FaultStack } from './stack';

let stack: FaultStack;

beforeAll(async () => {
  stack = await startFaultStack();
  await stack.startApi();
  await stack.startWorker();
});
afterAll(async () => { await stack?.close(); });

describe('Temporal is down while users invite and book', () => {
  it('the requests succeed, and the workflows start once Temporal is back, each once', async () => {
    const admin = await signedIn(stack, DEMO.admin);
    const booker = await signedIn(stack, DEMO.partnerBooker);
    const slots = await freeSlots(booker);

    await stack.stopTemporal();
    const ready = await fetch(`${stack.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', database: true, temporal: false });

    const contacts = [1, 2, 3].map((i) => `contact${i}@temporal-down.example.ro`);
    const patients = [1, 2, 3].map((i) => `patient${i}@temporal-down.example.ro`);
    const partnershipIds: number[] = [];
    for (const contact of contacts) partnershipIds.push((await inviteNewCompany(admin, contact)).partnershipId);
    const bookingIds: number[] = [];
    for (const [i, patient] of patients.entries()) bookingIds.push((await booker.api.bookings.create.mutate(bookingInput(slots[i * 3], patient))).bookingId);

    // Nothing reached Temporal: the starts wait in the outbox.
    const workflowIds = [...partnershipIds.map(partnerInvitationWorkflowId), ...bookingIds.map(bookingWorkflowId)];
    const waiting = await stack.database.db.select().from(workflowOutbox)
      .where(and(inArray(workflowOutbox.workflowId, workflowIds), isNull(workflowOutbox.dispatchedAt)));
    expect(waiting.map((r) => r.workflowId).sort()).toEqual([...workflowIds].sort());
    expect(stack.smtp.messages.filter((m) => [...contacts, ...patients].some((a) => m.to.includes(a)))).toHaveLength(0);

    await stack.startTemporal();
    for (const to of [...contacts, ...patients]) await sentTo(stack, to, 1);
    await until('every start to be dispatched', async () => {
      const rows = await stack.database.db.select().from(workflowOutbox).where(inArray(workflowOutbox.workflowId, workflowIds));
      return rows.every((r) => r.dispatchedAt !== null && r.failedAt === null);
    }, 60_000);
    const readyAgain = await until('/readyz to answer 200', async () => (await fetch(`${stack.baseUrl}/readyz`)).status === 200, 30_000);
    expect(readyAgain).toBe(true);

    for (const to of contacts) expect(await mailLedger(stack, to), to).toMatchObject({ rows: 1, sent: 1, received: 1, templates: ['partner-registration'] });
    for (const to of patients) expect(await mailLedger(stack, to), to).toMatchObject({ rows: 1, sent: 1, received: 1, templates: ['booking-confirmation'] });
    // The worker and the API rode out the outage without a restart.
    expect(stack.worker.running).toBe(true);
    expect(stack.api.running).toBe(true);
  });

  it('the worker stops on SIGTERM: it finishes what it runs and exits with code 0', async () => {
    const exit = await stack.worker.stop('SIGTERM', 60_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(stack.worker.output).toMatch(/stopped/);
  });
});
