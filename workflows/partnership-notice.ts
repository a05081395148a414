/**
 * PartnershipNotice workflow (`partnership-notice:<partnershipId>:<noticeId>`): tells the partner's admins that the
 * institution ended the partnership, withdrew its invitation, or changed its commercial terms or authorised services
 * (issue 10, item 3; see server/partners/notices.ts). The input is the notice's ID only. The activity queues one
 * email per recipient under a key derived from the notice, and each is delivered once: a retried outbox row, a
 * restarted run or a repeated activity sends nothing twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PartnershipNoticeActivities } from './partner-activities';
import { HEARTBEAT_TIMEOUT } from './activity-timeouts';
import type { PartnershipNoticeInput } from '../server/partners/notices';

export type { PartnershipNoticeInput } from '../server/partners/notices';

const acts = proxyActivities<PartnershipNoticeActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

/** Returns how many emails the notice has (sent now, or already sent by an earlier run). */
export async function partnershipNotice(input: PartnershipNoticeInput): Promise<number> {
  const keys = await acts.queuePartnershipNotice(input.noticeId);
  for (const key of keys) await acts.deliverPartnershipNotice(key);
  return keys.length;
}
