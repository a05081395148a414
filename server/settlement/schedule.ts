/**
 * The Temporal Schedule of each institution's monthly settlement (`schedule:settlement:<institutionId>`): the 2nd of
 * every month at 02:00 in the institution's time zone (a booking ending at midnight at the month's end is fulfilled 24 h
 * later, after the fulfilment grace period, so the 1st would miss the month's last day; the 2nd at 02:00 leaves 2 h), starting the ScheduledSettlement workflow, which settles the
 * month before the SCHEDULED time (Temporal's `TemporalScheduledStartTime`). Created or updated idempotently: by the
 * worker at start-up for every institution, and again whenever it runs (so a changed time zone is picked up).
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organisations } from '../../db/schema';
import { settlementScheduleId, type ScheduledSettlementInput } from '../workflow-outbox';
import { componentLogger } from '../logger';
import { describeError } from '../log-safety';

const INSTITUTION_ID = defineSearchAttributeKey('InstitutionId', SearchAttributeType.KEYWORD);

export function settlementScheduleOptions(institution: { id: number; timeZone: string }, taskQueue: string): ScheduleOptions {
  const args: [ScheduledSettlementInput] = [{ institutionId: institution.id }];
  return {
    scheduleId: settlementScheduleId(institution.id),
    spec: {
      calendars: [{ dayOfMonth: 2, hour: 2, minute: 0, comment: 'settle the previous month' }],
      timezone: institution.timeZone,
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledSettlement',
      // Temporal appends the scheduled time to this ID; the month's own workflow is its child settlement:<id>:<YYYY-MM>.
      workflowId: `scheduled-settlement:${institution.id}`,
      taskQueue,
      args,
      typedSearchAttributes: [{ key: INSTITUTION_ID, value: String(institution.id) }],
    },
    policies: {
      // One at a time; a run missed while Temporal was down is still taken within a day.
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: '1 day',
    },
  };
}

/** Creates the schedule, or brings an existing one up to date (spec and action). */
export async function ensureSettlementSchedule(client: Client, institution: { id: number; timeZone: string }, taskQueue: string): Promise<'created' | 'updated'> {
  const options = settlementScheduleOptions(institution, taskQueue);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({
    ...previous, spec: options.spec, action: options.action as typeof previous.action, policies: { ...previous.policies, ...options.policies },
  }));
  return 'updated';
}

/** Every institution's schedule (the worker calls this at start-up). */
export async function ensureAllSettlementSchedules(db: Executor, client: Client, taskQueue: string) {
  const institutions = await db.select({ id: organisations.id, timeZone: organisations.timeZone }).from(organisations)
    .where(eq(organisations.isInstitution, true));
  const results: Record<number, 'created' | 'updated'> = {};
  for (const institution of institutions) results[institution.id] = await ensureSettlementSchedule(client, institution, taskQueue);
  return results;
}

/**
 * Keeps every institution's schedule in place from the worker: `sync()` ensures the schedules of institutions this
 * process has not ensured yet (all of them at start-up, then the ones that appear); failures are logged and retried at
 * the next sync.
 */
export function settlementScheduleKeeper(db: Executor, client: () => Promise<Client>, taskQueue: string, log: (msg: string) => void = componentLogger('settlement').warn) {
  const done = new Set<number>();
  let running: Promise<void> | null = null;
  async function syncNow() {
    const institutions = await db.select({ id: organisations.id, timeZone: organisations.timeZone }).from(organisations)
      .where(eq(organisations.isInstitution, true));
    const todo = institutions.filter((i) => !done.has(i.id));
    if (!todo.length) return;
    const c = await client();
    for (const institution of todo) {
      await ensureSettlementSchedule(c, institution, taskQueue);
      done.add(institution.id);
    }
  }
  return {
    sync(): Promise<void> {
      running ??= syncNow().catch((err) => log(`[settlement] schedules not ensured yet, will retry: ${describeError(err)}`))
        .finally(() => { running = null; });
      return running;
    },
  };
}
