/**
 * Settlement on the real Temporal dev server (the time-skipping server has no Schedules) against MariaDB: the
 * institution's Schedule is created idempotently (2nd of the month, 02:00 in its time zone) and a triggered run settles
 * the month before its scheduled time; a worker that dies after a chunk committed (before reporting it) has the chunk
 * retried and the run completes once, with exactly the lines of a clean run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startHarness, type Harness } from '../test/harness';
import { TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE_PATH } from '../test/env';
import {
  bookingEvents, bookings, locations, organisations, partnerships, physicians, qualifications, services, settlementLines,
  settlementRuns, settlementStatements,
} from '../db/schema';
import type { Db } from '../db/client';
import { ensureSettlementSchedule } from '../server/settlement/schedule';
import { settleMonth } from '../server/settlement/settle';
import { monthBeforeScheduledTime, monthBounds } from '../server/settlement/months';
import { settlementScheduleId, settlementWorkflowId } from '../server/workflow-outbox';
import { createActivities } from './activities';
import { createMailer } from './mail/mailer';

let h: Harness;
let db: Db;
// A high institution ID of its own: schedule and workflow IDs are global in the Temporal namespace, shared by test runs.
const institutionId = 900_000 + randomInt(90_000);
const TZ = 'Europe/Bucharest';
let partnershipId: number;
let fixture: { locationId: number; physicianId: number; serviceId: number };

async function fulfilled(startsAt: Date, priceMinor: number) {
  const [b] = await db.insert(bookings).values({
    institutionId, locationId: fixture.locationId, physicianId: fixture.physicianId, serviceId: fixture.serviceId, startsAt,
    endsAt: new Date(startsAt.getTime() + 30 * 60_000), status: 'fulfilled', sourceChannel: 'partner', partnershipId, priceMinor, currency: 'RON',
    commissionType: 'percent', commissionValue: 1_000, paymentLocation: 'institution',
  }).$returningId();
  await db.insert(bookingEvents).values({ bookingId: b.id, institutionId, type: 'created', actorKind: 'system' });
  return b.id;
}

beforeAll(async () => {
  h = await startHarness();
  db = h.database.db;
  await db.insert(organisations).values({
    id: institutionId, name: 'Clinica Programată SRL', country: 'RO', taxNumber: `S${institutionId}`, registrationNumber: 'J1', address: 'x',
    isInstitution: true, currency: 'RON', timeZone: TZ,
  });
  const [partner] = await db.insert(organisations).values({ name: 'Partener Programat SRL', country: 'RO', taxNumber: `Q${institutionId}`, registrationNumber: 'J2', address: 'y' }).$returningId();
  const [loc] = await db.insert(locations).values({ organisationId: institutionId, name: 'Central', address: 'x', timeZone: TZ }).$returningId();
  const [q] = await db.insert(qualifications).values({ organisationId: institutionId, name: 'General' }).$returningId();
  const [ph] = await db.insert(physicians).values({ organisationId: institutionId, name: 'Dr. Timp' }).$returningId();
  const [svc] = await db.insert(services).values({ organisationId: institutionId, qualificationId: q.id, name: 'Consult', durationMinutes: 30, priceMinor: 10_000, currency: 'RON' }).$returningId();
  fixture = { locationId: loc.id, physicianId: ph.id, serviceId: svc.id };
  const [p] = await db.insert(partnerships).values({
    institutionId, partnerOrganisationId: partner.id, status: 'active', contactName: 'C', contactEmail: 'c@example.com', contactPhone: '0722000000',
    commissionType: 'percent', commissionValue: 1_000, paymentLocation: 'institution', invitedAt: new Date(),
  }).$returningId();
  partnershipId = p.id;
});
afterAll(async () => {
  await (await h?.workflows.client())?.schedule.getHandle(settlementScheduleId(institutionId)).delete().catch(() => undefined);
  await h?.close();
});

describe('settlement schedule (dev server)', () => {
  it('is created once, updated after, fires on the 2nd at 02:00 local time, and a triggered run settles the previous month', async () => {
    const client = await h.workflows.client();
    const institution = { id: institutionId, timeZone: TZ };
    expect(await ensureSettlementSchedule(client, institution, h.config.taskQueue)).toBe('created');
    expect(await ensureSettlementSchedule(client, institution, h.config.taskQueue)).toBe('updated');

    const handle = client.schedule.getHandle(settlementScheduleId(institutionId));
    const described = await handle.describe();
    expect(described.spec.timezone).toBe(TZ);
    expect(described.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 2, end: 2, step: 1 }], hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledSettlement', taskQueue: h.config.taskQueue, args: [{ institutionId }] });
    const next = described.info.nextActionTimes[0];
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toBe('02, 02:00');

    // A booking in the month a run triggered now settles (the month before "now" as the scheduled time).
    const month = monthBeforeScheduledTime(new Date(), TZ);
    const { from } = monthBounds(month, TZ);
    await fulfilled(new Date(from.getTime() + 5 * 86_400_000), 10_000);
    await handle.trigger();
    const deadline = Date.now() + 45_000;
    let run: typeof settlementRuns.$inferSelect | undefined;
    while (!run || run.status !== 'completed') {
      if (Date.now() > deadline) throw new Error(`scheduled run did not complete: ${JSON.stringify(run)}`);
      await new Promise((r) => setTimeout(r, 250));
      [run] = await db.select().from(settlementRuns).where(and(eq(settlementRuns.institutionId, institutionId), eq(settlementRuns.trigger, 'schedule')));
    }
    expect(run).toMatchObject({ month, workflowId: settlementWorkflowId(institutionId, month), statements: 1, lines: 1, partnershipsDone: 1 });
    // The row says completed as soon as the finishing activity commits; the workflow completes a moment later, once
    // Temporal has the activity's result: wait for that rather than racing it.
    const childHandle = client.workflow.getHandle(settlementWorkflowId(institutionId, month));
    expect(await childHandle.result()).toMatchObject({ phase: 'completed', month, statements: 1, lines: 1 });
    const child = await childHandle.describe();
    expect(child.status.name).toBe('COMPLETED');
    expect(child.searchAttributes.InstitutionId).toEqual([String(institutionId)]);
  });
});

describe('a worker killed in the middle of a run', () => {
  it('retries the chunk and completes once, with exactly the lines of a clean run', async () => {
    const month = '2024-02';
    const { from } = monthBounds(month, TZ);
    for (let i = 0; i < 5; i++) await fulfilled(new Date(from.getTime() + (i + 1) * 86_400_000), 1_000 + i * 333);

    const mailer = createMailer(h.smtp.url, h.config.mailFrom);
    const real = createActivities({ db, mailer, appUrl: h.baseUrl, appSecret: h.config.appSecret });
    let crashes = 0;
    const activities = {
      ...real,
      // The chunk commits, then the process "dies" before Temporal hears of it: Temporal runs the activity again.
      async settleSettlementChunk(input: Parameters<typeof real.settleSettlementChunk>[0]) {
        const result = await real.settleSettlementChunk(input);
        if (crashes++ === 0) throw new Error('worker killed after the commit');
        return result;
      },
    };
    const taskQueue = `${h.config.taskQueue}-crash`;
    const connection = await NativeConnection.connect({ address: TEST_TEMPORAL_ADDRESS });
    const worker = await Worker.create({ connection, taskQueue, activities, workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } });
    const client = await h.workflows.client();
    const result = await worker.runUntil(client.workflow.execute('settlement', {
      taskQueue, workflowId: `${settlementWorkflowId(institutionId, month)}-crash-${Date.now()}`,
      args: [{ institutionId, month, trigger: 'manual' }],
    }));
    await connection.close();
    mailer.close();
    expect(crashes).toBe(2);
    expect(result).toMatchObject({ phase: 'completed', partnershipsDone: 1, statements: 1, lines: 5 });

    const lines = async () => (await db.select({ bookingId: settlementLines.bookingId, kind: settlementLines.kind, commissionMinor: settlementLines.commissionMinor })
      .from(settlementLines).innerJoin(settlementStatements, eq(settlementStatements.id, settlementLines.statementId))
      .where(and(eq(settlementStatements.institutionId, institutionId), eq(settlementStatements.month, month))))
      .sort((a, b) => a.bookingId - b.bookingId);
    const afterCrash = await lines();
    expect(afterCrash).toHaveLength(5);
    await settleMonth(db, institutionId, month);
    expect(await lines()).toEqual(afterCrash);
    const [runRow] = await db.select().from(settlementRuns).where(and(eq(settlementRuns.institutionId, institutionId), eq(settlementRuns.month, month)));
    expect(runRow).toMatchObject({ status: 'completed', lines: 5, statements: 1 });
  });
});
