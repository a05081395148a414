/**
 * PartnerInvitation workflow (`partner-invitation:<partnershipId>`): sends the partner notification (existing
 * organisation: approve in the app) or the partner registration email (new organisation: register and accept the
 * GTC), reminds on day 3 and day 7, and expires the invitation on day 14. The database decides the outcome: approve,
 * decline, registration and withdraw are committed by the API, which then signals `decided` to wake this workflow —
 * so a duplicate signal or a retried request can never change what happened. Resend starts a new run with the same ID.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PartnerInvitationActivities } from './partner-activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { PartnerInvitationInput, PartnerInvitationPhase, PartnerInvitationState } from '../server/workflow-outbox';

// The input and query state are the server's contract (it enqueues the start and reads the state).
export type { PartnerInvitationInput, PartnerInvitationPhase, PartnerInvitationState } from '../server/workflow-outbox';

export const decidedSignal = defineSignal('decided');
export const partnerInvitationStateQuery = defineQuery<PartnerInvitationState>('state');

const acts = proxyActivities<PartnerInvitationActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function partnerInvitation(input: PartnerInvitationInput): Promise<PartnerInvitationPhase> {
  const state: PartnerInvitationState = {
    phase: 'sending', waitingFor: null, invitationId: null, remindersSent: 0, nextReminderAt: null, expiresAt: null,
  };
  let decided = false;
  setHandler(decidedSignal, () => { decided = true; });
  setHandler(partnerInvitationStateQuery, () => state);

  const issued = await acts.issuePartnerInvitation({
    partnershipId: input.partnershipId, runKey: input.roundKey ?? workflowInfo().runId, expiresAfterMs: input.expiresAfterMs,
  });
  if (issued.status === 'closed') {
    // Answered before the first round was issued (the partner saw the invitation in the app at once): conclude.
    const early = await acts.concludePartnerInvitation(input.partnershipId);
    for (const key of early.messageKeys) await acts.deliverEmail(key);
    return finish(state, early.partnershipStatus);
  }

  state.invitationId = issued.invitationId;
  state.waitingFor = issued.kind === 'approval' ? 'partner_admins' : 'contact_person';
  state.expiresAt = new Date(issued.expiresAt).toISOString();
  for (const key of issued.messageKeys) await acts.deliverEmail(key);
  state.phase = 'waiting';

  for (const offset of input.reminderOffsetsMs) {
    const at = issued.issuedAt + offset;
    if (decided || at >= issued.expiresAt) break;
    state.nextReminderAt = new Date(at).toISOString();
    if (await condition(() => decided, Math.max(0, at - Date.now()))) break;
    const reminder = await acts.remindPartnerInvitation({ invitationId: issued.invitationId, reminderNumber: state.remindersSent + 1 });
    if (reminder.status === 'closed') { decided = true; break; }
    state.remindersSent++;
    for (const key of reminder.messageKeys) await acts.deliverEmail(key);
  }
  state.nextReminderAt = null;

  if (!decided) await condition(() => decided, Math.max(0, issued.expiresAt - Date.now()));
  if (!decided) await acts.expirePartnerInvitation(issued.invitationId);

  // Whatever happened (approved, registered, declined, withdrawn, expired), the database has the final word.
  const outcome = await acts.concludePartnerInvitation(input.partnershipId);
  for (const key of outcome.messageKeys) await acts.deliverEmail(key);
  return finish(state, outcome.partnershipStatus);
}

function finish(state: PartnerInvitationState, status: string): PartnerInvitationPhase {
  const phase: PartnerInvitationPhase = status === 'active' || status === 'declined' || status === 'expired'
    || status === 'withdrawn' || status === 'ended' ? status : 'waiting';
  state.phase = phase;
  state.waitingFor = null;
  state.nextReminderAt = null;
  return phase;
}
