/**
 * Every workflow type the worker registers (the functions exported by workflows/index.ts) has at least one recorded
 * history in workflows/histories/, and today's workflow code replays every recorded history without nondeterminism.
 * A new workflow type fails here until its history is recorded (see the README, "Changing workflow code"); a change
 * that breaks an old history fails here until it is made under a patch (`patched()`), never by re-recording.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH } from '../test/env';
import * as workflows from './index';

const HISTORIES = fileURLToPath(new URL('./histories/', import.meta.url));

interface RecordedHistory { events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[] }

function recorded(): { file: string; workflowType: string; history: RecordedHistory }[] {
  return readdirSync(HISTORIES).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const history = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as RecordedHistory;
    const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '';
    return { file, workflowType, history };
  });
}

describe('recorded workflow histories', () => {
  it('cover every workflow type of workflows/index.ts', () => {
    const types = Object.entries(workflows).filter(([, v]) => typeof v === 'function').map(([name]) => name).sort();
    expect(types.length).toBeGreaterThanOrEqual(7);
    const covered = new Set(recorded().map((r) => r.workflowType));
    const missing = types.filter((t) => !covered.has(t));
    expect(missing, `workflow types without a recorded history in workflows/histories/: ${missing.join(', ')}`).toEqual([]);
  });

  it('each start with a workflow execution of a type the worker still registers', () => {
    const types = new Set(Object.keys(workflows));
    for (const r of recorded()) {
      expect(r.workflowType, `${r.file} has no WorkflowExecutionStarted event`).not.toBe('');
      // A history of a removed workflow type would replay against nothing: keep the type (or a successor under patches).
      expect(types.has(r.workflowType), `${r.file} is a history of ${r.workflowType}, which workflows/index.ts no longer exports`).toBe(true);
    }
  });

  it('all replay against today\'s workflow code', async () => {
    const all = recorded();
    const results = Worker.runReplayHistories(
      { workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE_PATH, 'utf8') } },
      all.map((r) => ({ workflowId: `replay:${r.file}`, history: r.history as never })),
    );
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of results) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(all.length);
  });
});
