/**
 * Every workflow carries its search attributes (README "Temporal UI"): each workflow type exported by
 * workflows/index.ts has its attributes declared in WORKFLOW_SEARCH_ATTRIBUTES; the outbox rows written by the enqueue
 * functions and the Schedule's start carry them; and the dispatcher refuses to start a row without them (against the
 * real MariaDB and Temporal dev server: the row is parked with the reason, no workflow is started).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import * as workflows from './index';
import {
  createWorkflowGateway, enqueueBookingLifecycle, enqueuePartnerInvitation, enqueueSettlement, enqueueSettlementIssued,
  enqueueUserInvitation, missingSearchAttributes, SEARCH_ATTRIBUTES, WORKFLOW_SEARCH_ATTRIBUTES, type WorkflowGateway,
} from '../server/workflow-outbox';
import { settlementScheduleOptions } from '../server/settlement/schedule';
import { workflowOutbox } from '../db/schema';
import { startHarness, type Harness } from '../test/harness';

const workflowTypes = Object.entries(workflows).filter(([, v]) => typeof v === 'function').map(([name]) => name);

/** The values each enqueue function writes (it takes the transaction's `insert` only). */
function capturingTx() {
  const rows: (typeof workflowOutbox.$inferInsert)[] = [];
  const tx = {
    insert: () => ({
      values(v: typeof workflowOutbox.$inferInsert) {
        rows.push(v);
        return Object.assign(Promise.resolve(), { $returningId: async () => [{ id: rows.length }] });
      },
    }),
  };
  return { rows, tx: tx as never };
}

describe('search attributes of every workflow type', () => {
  it('are declared for every workflow type of workflows/index.ts, among the attributes registered on the server', () => {
    const undeclared = workflowTypes.filter((t) => !WORKFLOW_SEARCH_ATTRIBUTES[t]?.length);
    expect(undeclared, `declare their search attributes in WORKFLOW_SEARCH_ATTRIBUTES: ${undeclared.join(', ')}`).toEqual([]);
    for (const names of Object.values(WORKFLOW_SEARCH_ATTRIBUTES)) for (const n of names) expect(SEARCH_ATTRIBUTES).toContain(n);
  });

  it('are written with every start the server enqueues', async () => {
    const { rows, tx } = capturingTx();
    await enqueueUserInvitation(tx, { userId: 5, organisationId: 2, reminderAfterMs: 1, expiresAfterMs: 2 }, 'start');
    await enqueuePartnerInvitation(tx, { partnershipId: 8, institutionId: 1, reminderOffsetsMs: [1], expiresAfterMs: 2 }, 'start');
    await enqueueBookingLifecycle(tx, { id: 41, institutionId: 1, partnershipId: 8 });
    await enqueueBookingLifecycle(tx, { id: 42, institutionId: 1, partnershipId: null });
    await enqueueSettlement(tx, { institutionId: 1, month: '2026-10', trigger: 'manual', settlementRunId: 3, startedByUserId: 4 });
    await enqueueSettlementIssued(tx, { statementId: 9, messageKeys: ['k'], institutionId: 1, partnershipId: 8 });
    expect(rows.map((r) => r.workflowType)).toEqual(['userInvitation', 'partnerInvitation', 'bookingLifecycle', 'bookingLifecycle', 'settlement', 'settlementIssued']);
    for (const r of rows) expect(missingSearchAttributes(r.workflowType!, r.searchAttributes), r.workflowId).toEqual([]);
    expect(rows[0].searchAttributes).toEqual({ OrganisationId: '2' });
    expect(rows[2].searchAttributes).toEqual({ InstitutionId: '1', BookingId: '41', PartnershipId: '8' });
    expect(rows[3].searchAttributes).toEqual({ InstitutionId: '1', BookingId: '42' });
    expect(rows[5].searchAttributes).toEqual({ InstitutionId: '1', PartnershipId: '8' });
  });

  it('are set by the Schedule on the scheduled settlement it starts', () => {
    const action = settlementScheduleOptions({ id: 6, timeZone: 'Europe/Bucharest' }, 'q').action;
    expect(action.workflowType).toBe('scheduledSettlement');
    const names = (action.typedSearchAttributes as { key: { name: string }; value: unknown }[]).map((a) => [a.key.name, a.value]);
    expect(names).toEqual(WORKFLOW_SEARCH_ATTRIBUTES.scheduledSettlement.map((n) => [n, '6']));
  });

  it('a missing one is named', () => {
    expect(missingSearchAttributes('bookingLifecycle', { InstitutionId: '1' })).toEqual(['BookingId']);
    expect(missingSearchAttributes('settlement', null)).toEqual(['InstitutionId']);
    expect(missingSearchAttributes('someoneElsesTestWorkflow', null)).toEqual([]);
  });
});

describe('the dispatcher and search attributes', () => {
  let h: Harness;
  let gateway: WorkflowGateway;
  const tag = randomBytes(4).toString('hex');
  const logs: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
    // No worker polls this queue: a start that got through would stay open, and nothing runs.
    gateway = createWorkflowGateway(h.database.db, { address: h.config.temporalAddress, namespace: h.config.temporalNamespace, taskQueue: `sa-idle-${tag}` },
      (m) => logs.push(m), { maxAttempts: 1 });
    await h.database.db.update(workflowOutbox).set({ dispatchedAt: new Date() });
  });
  afterAll(async () => {
    await gateway?.close();
    await h?.close();
  });

  it('refuses to start a workflow enqueued without its search attributes: parked with the reason, nothing started', async () => {
    const workflowId = `settlement:sa-${tag}:2026-10`;
    const [row] = await h.database.db.insert(workflowOutbox).values({
      workflowType: 'settlement', workflowId, args: { institutionId: 1, month: '2026-10', trigger: 'manual' }, mode: 'start',
    }).$returningId();
    await gateway.dispatchPending();
    const [after] = await h.database.db.select().from(workflowOutbox).where(eq(workflowOutbox.id, row.id));
    expect(after.dispatchedAt).toBeNull();
    expect(after.failedAt).not.toBeNull();
    expect(after.lastError).toContain('without its search attributes InstitutionId');
    expect(logs.some((l) => l.includes(workflowId) && l.includes('parked'))).toBe(true);
    const client = await gateway.client();
    await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});
