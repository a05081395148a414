/**
 * Statistics: "Reports / Statistics" and "Reports / Partner-submitted statistics" for the institution (its members:
 * admins and staff, who already see every booking with its patient in the Bookings calendar), and the partner side of
 * "Reports / Partner-submitted statistics" (an administrator or a "Can book to partner institution" holder of the
 * partner organisation). Cancelling from these pages is the existing `bookings.cancel` (one rule, one lifecycle signal).
 * The CSV downloads are plain GET routes (server/statistics/csv.ts) with the same inputs. Procedures, inputs and
 * outputs are described in docs/decisions/009-statistics-and-csv.md.
 */
import { TRPCError } from '@trpc/server';
import { router, authedProcedure, institutionMemberProcedure } from '../trpc';
import { DomainError } from '../errors';
import { partnerStatisticsInput, partnerSubmittedInput, statisticsInput } from '../statistics/schemas';
import { filterOptions, institutionStatistics, partnerInstitutions, partnerStatistics, partnerSubmitted } from '../statistics/queries';
import { mayReadPartnerStatistics } from '../statistics/csv';

/** Partner side: an administrator of the organisation or a user holding "Can book to partner institution". */
const partnerReporterProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!mayReadPartnerStatistics(ctx.user)) throw new TRPCError({ code: 'FORBIDDEN', cause: new DomainError('FORBIDDEN', 'auth.forbidden') });
  return next();
});

export const statisticsRouter = router({
  filterOptions: institutionMemberProcedure.query(({ ctx }) => filterOptions(ctx.db, ctx.user)),

  institution: institutionMemberProcedure.input(statisticsInput).query(({ ctx, input }) => institutionStatistics(ctx.db, ctx.user, input)),

  partnerSubmitted: institutionMemberProcedure.input(partnerSubmittedInput).query(({ ctx, input }) => partnerSubmitted(ctx.db, ctx.user, input)),

  partnerInstitutions: partnerReporterProcedure.query(({ ctx }) => partnerInstitutions(ctx.db, ctx.user)),

  partner: partnerReporterProcedure.input(partnerStatisticsInput).query(({ ctx, input }) => partnerStatistics(ctx.db, ctx.user, input)),
});
