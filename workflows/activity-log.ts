/**
 * The logger of the running activity: Temporal's activity logger, whose lines (pino JSON through the worker's Runtime
 * logger, server/logger.ts) carry workflowId, workflowType, activityType and attempt. Outside an activity (a test
 * calling an activity function directly) the process's logger. Log IDs, keys and statuses only.
 */
import { Context } from '@temporalio/activity';
import type { LogMetadata } from '@temporalio/common';
import { componentLogger } from '../server/logger';

export interface ActivityLog {
  info(message: string, meta?: LogMetadata): void;
  warn(message: string, meta?: LogMetadata): void;
}

export function activityLog(): ActivityLog {
  try {
    return Context.current().log;
  } catch {
    return componentLogger('activity');
  }
}
