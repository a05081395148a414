/**
 * Proves from a workflow's history that the server was told to time out each activity on missing heartbeats
 * (workflows/activity-timeouts.ts): the options a workflow passes to proxyActivities end up in its
 * ActivityTaskScheduled events, so a worker killed mid-activity costs HEARTBEAT_TIMEOUT, not the start-to-close timeout.
 */
import { expect } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { HEARTBEAT_TIMEOUT_MS } from '../workflows/activity-timeouts';

/** Each activity the history scheduled, with its heartbeat timeout in ms (undefined: none). */
export function scheduledActivities(history: temporal.api.history.v1.IHistory) {
  return (history.events ?? []).flatMap((e) => {
    const a = e.activityTaskScheduledEventAttributes;
    return a ? [{ activityType: a.activityType?.name ?? '', heartbeatTimeoutMs: optionalTsToMs(a.heartbeatTimeout) }] : [];
  });
}

/** Every activity in the history (at least one) was scheduled with the heartbeat timeout. */
export function expectHeartbeatTimeoutOnEveryActivity(history: temporal.api.history.v1.IHistory) {
  const scheduled = scheduledActivities(history);
  expect(scheduled.length).toBeGreaterThan(0);
  expect(scheduled.filter((s) => s.heartbeatTimeoutMs !== HEARTBEAT_TIMEOUT_MS)).toEqual([]);
}
