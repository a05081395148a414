/**
 * PasswordReset workflow (`password-reset:<userId>`): sends the "reset your password" email of one request, then waits
 * until its link expires and records how the link ended. A newer request starts a new run with the same ID
 * (terminating this one); its link replaces this one's in the database. Input holds IDs only: the link's token is made
 * inside the sending activity and never enters the history.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PasswordResetActivities } from './password-reset-activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { PasswordResetInput, PasswordResetOutcome } from '../server/auth/password-reset';

export type { PasswordResetInput } from '../server/auth/password-reset';

const acts = proxyActivities<PasswordResetActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  // A link lives an hour: past a few attempts the email would arrive too late to be of use.
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 10 },
});

export async function passwordReset(input: PasswordResetInput): Promise<PasswordResetOutcome | 'not_sent'> {
  const sent = await acts.sendPasswordResetEmail(input.resetId);
  if (sent.status === 'gone') return 'not_sent';
  await sleep(Math.max(0, sent.expiresAt - Date.now()));
  return acts.closePasswordReset(input.resetId);
}
