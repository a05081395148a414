/**
 * The audit log page for institution admins and each partner's change history (server/audit-log/): input → policy →
 * one call.
 */
import { router, institutionAdminProcedure } from '../trpc';
import { auditListInput, partnershipHistoryInput } from '../audit-log/schemas';
import { auditFilters, auditPage, partnershipHistory } from '../audit-log/queries';

export const auditRouter = router({
  list: institutionAdminProcedure.input(auditListInput).query(({ ctx, input }) => auditPage(ctx.db, ctx.user, input)),

  /**
   * A partner's history on its detail page: the entries about this partnership (invited, settings changed, approved,
   * ended, …) and the traffic-channel saves that ticked or unticked its services — only its own channel shown.
   */
  forPartnership: institutionAdminProcedure.input(partnershipHistoryInput).query(({ ctx, input }) => partnershipHistory(ctx.db, ctx.user, input)),

  /** The choices of the filters: users who appear in this institution's log, and its actions. */
  filters: institutionAdminProcedure.query(({ ctx }) => auditFilters(ctx.db, ctx.user)),
});
