/**
 * UserInvitation workflow (`user-invitation:<userId>`): sends the invitation email, a reminder after a day if the link
 * is unused, and expires the link after three days. "Resend" starts a new run with the same ID (terminating the old
 * one); the new run issues a new link and the previous one stops working. Deterministic code only: every side effect
 * is an activity, and the database decides whether the password was set (the signal only wakes the workflow early).
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { InvitationActivities } from './activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { UserInvitationInput, UserInvitationState } from '../server/workflow-outbox';

// The input and query state are the server's contract (it enqueues the start and reads the state).
export type { UserInvitationInput, UserInvitationPhase, UserInvitationState } from '../server/workflow-outbox';

export type UserInvitationOutcome = 'accepted' | 'expired' | 'cancelled';

export const passwordSetSignal = defineSignal('passwordSet');
/** The user was deactivated (or the invitation otherwise withdrawn): stop waiting. */
export const invitationClosedSignal = defineSignal('invitationClosed');
export const invitationStateQuery = defineQuery<UserInvitationState>('state');

const acts = proxyActivities<InvitationActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function userInvitation(input: UserInvitationInput): Promise<UserInvitationOutcome> {
  const state: UserInvitationState = { phase: 'sending', invitationId: null, nextReminderAt: null, expiresAt: null };
  let passwordSet = false;
  let closed = false;
  setHandler(passwordSetSignal, () => { passwordSet = true; });
  setHandler(invitationClosedSignal, () => { closed = true; });
  const answered = () => passwordSet || closed;
  setHandler(invitationStateQuery, () => state);

  const issued = await acts.issueInvitation({
    userId: input.userId, runKey: input.roundKey ?? workflowInfo().runId, expiresAfterMs: input.expiresAfterMs,
  });
  if (issued.status !== 'issued') {
    state.phase = 'cancelled';
    return 'cancelled';
  }
  state.invitationId = issued.invitationId;
  state.expiresAt = new Date(issued.expiresAt).toISOString();
  await acts.deliverEmail(issued.messageKey);

  state.phase = 'waiting_for_password';
  // Runs started before issuedAt existed replay without it: fall back to the workflow's clock, as they did then.
  const reminderAt = (issued.issuedAt ?? Date.now()) + input.reminderAfterMs;
  if (reminderAt < issued.expiresAt) {
    state.nextReminderAt = new Date(reminderAt).toISOString();
    if (!(await condition(answered, Math.max(0, reminderAt - Date.now())))) {
      state.nextReminderAt = null;
      const reminder = await acts.remindInvitation(issued.invitationId);
      if (reminder.status === 'sent') await acts.deliverEmail(reminder.messageKey);
      else if (reminder.status === 'used') passwordSet = true;
      else if (reminder.status === 'gone') return finish(state, 'cancelled');
    }
  }
  state.nextReminderAt = null;
  if (!answered()) await condition(answered, Math.max(0, issued.expiresAt - Date.now()));
  if (passwordSet) return finish(state, 'accepted');
  if (closed) return finish(state, 'cancelled');
  const expiry = await acts.expireInvitation(issued.invitationId);
  return finish(state, expiry === 'used' ? 'accepted' : expiry === 'gone' ? 'cancelled' : 'expired');
}

function finish(state: UserInvitationState, outcome: UserInvitationOutcome): UserInvitationOutcome {
  state.phase = outcome;
  state.nextReminderAt = null;
  return outcome;
}
