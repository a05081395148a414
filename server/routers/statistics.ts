/**
 * Statistics: "Reports / Statistics" and "Reports / Partner-submitted statistics" for the institution (its members:
 * admins and staff, who already see every booking with its patient in the Bookings calendar), and the partner side of
 * "Reports / Partner-submitted statistics" (an administrator or a "Can book to partner institution" holder of the
 * partner organisation). Cancelling from these pages is the existing `bookings.cancel` (one rule, one lifecycle signal:
 * the lifecycle workflow sends the emails). Decision 009 explains the choices; this header is the client's contract.
 *
 * Common input pieces (zod, server/statistics/schemas.ts; messages are i18n keys):
 *   period   { kind: 'thisMonth' } | { kind: 'lastMonth' } | { kind: 'custom', from: 'YYYY-MM-DD', to: 'YYYY-MM-DD' }
 *            local dates, both inclusive, in the institution's time zone (partner side: each institution's own zone).
 *            Field errors: period.from / period.to 'statistics.date_invalid'; period.to 'statistics.period_end_before_start'
 *            or 'statistics.period_too_long' (> 366 days); period.kind 'statistics.period_invalid'.
 *   sort     { by: <column>, dir: 'asc' | 'desc' } default { by: 'date', dir: 'asc' }; unknown → sort.by 'statistics.sort_invalid'.
 *   page     ≥ 1 (default 1); pageSize 1..100 (default 25) else pageSize 'statistics.page_size_invalid'.
 *   Money    { amountMinor: integer, currency: 'RON' } — minor units; never added across currencies.
 *   Instants ISO strings (UTC); show them in the row's `timeZone` (the location's).
 *
 * statistics.filterOptions  (institution member) → { timeZone, locations[{id,name,timeZone}], physicians[{id,name}],
 *     services[{id,name,currency}], partners[{partnershipId,name,status}] } — every partnership, ended ones included.
 *
 * statistics.institution  (institution member)
 *   in:  { period, scope?: 'all' | 'partners' ("Sent by partners"), locationIds?, partnershipIds?, physicianIds?,
 *          serviceIds?: number[] (≤ 100 each), statuses?: BookingStatus[], paymentStatuses?: PaymentStatus[],
 *          sort? (date | location | physician | service | patient | status | paymentStatus | source | price | commission),
 *          page?, pageSize? }
 *   out: { period: { from, to, timeZone, startsAt, endsBefore }, page, pageSize, total,
 *          rows: [{ id, startsAt, timeZone, location{id,name}, physician{id,name}, service{id,name}, patientName,
 *                   status, paymentStatus, source: { kind: 'online'|'phone'|'staff'|'partner', partnershipId, partnerName,
 *                   phonedIn (a partner's booking entered by the institution's staff) }, price: Money,
 *                   commission: Money | null (null: no commission rule; 0 unless fulfilled), paymentLocation }],
 *          totals: [{ currency, bookings, priceMinor, fulfilledBookings, fulfilledPriceMinor, commissionMinor }] (by currency),
 *          charts: { bookingsPerDay: [{ date, online, phone, staff, partner }] (every day of the period),
 *                    perPartner: [{ partnershipId, partnerName, bookings, fulfilled, noShows, commission: Money[] }],
 *                    noShowRate: [{ source, decided (arrived+fulfilled+noshow), noShows, rate | null }] } }
 *   errors: BAD_REQUEST field errors (above); NOT_FOUND on locationIds ('catalogue.location_not_found'), partnershipIds
 *           ('partners.not_found'), physicianIds ('catalogue.physician_not_found'), serviceIds ('catalogue.service_not_found')
 *           when an ID is not the caller's institution's (another tenant's IDs never return rows); FORBIDDEN for others.
 *   CSV: GET /exports/statistics.csv?input=<JSON of this input without page/pageSize>&lang=en|ro (server/statistics/csv.ts).
 *
 * statistics.partnerSubmitted  (institution member)
 *   in:  { period, partnershipIds?, statuses?, sort? (the columns above + partner | bookedAt), page?, pageSize? }
 *   out: { period{from,to,timeZone}, page, pageSize, total, totals (as above),
 *          rows: [{ …the statistics row…, partner{partnershipId,name}, bookedBy{ name | null, by: 'partner'|'institution' },
 *                   bookedAt, changes{ count, last: { type, at } | null } (booking_events after 'created'),
 *                   cancellationReason, cancelledAt, canCancel }] }
 *   Cancel: bookings.cancel { bookingId, reason } (institution members may cancel any booking still 'booked').
 *
 * statistics.partnerInstitutions  (partner admin or "Can book" holder) → [{ institutionId, institutionName, timeZone,
 *     partnershipIds, active }] — institutions where the caller's organisation is or was (accepted) a partner.
 *
 * statistics.partner  (partner admin or "Can book" holder)
 *   in:  { institutionId? (absent: all of them), period, statuses?, sort? (date | institution | location | physician |
 *          service | status | paymentStatus | price | commission), page?, pageSize? }
 *   out: { institutions[{ institutionId, institutionName, timeZone, active, period{from,to} }], page, pageSize, total, totals,
 *          commissionPerMonth: [{ institutionId, month: 'YYYY-MM' (institution's zone), bookings, fulfilled, commission: Money[] }],
 *          rows: [{ id, institution{id,name}, startsAt, timeZone, locationName, physicianName, serviceName,
 *                   patientName (only patients the partner entered itself, else null), status, paymentStatus,
 *                   bookedBy{ name (own users only) | null, by }, price, commission, paymentLocation, canCancel }] }
 *   errors: NOT_FOUND institutionId 'statistics.institution_not_found'; FORBIDDEN for staff without "Can book".
 *   Cancel: bookings.cancel (own organisation's upcoming booked bookings while the partnership is active).
 *   CSV: GET /exports/partner-statistics.csv?input=<JSON without page/pageSize>&lang=en|ro.
 */
import { TRPCError } from '@trpc/server';
import { router, authedProcedure, institutionMemberProcedure } from '../trpc';
import type { Db } from '../../db/client';
import { DomainError } from '../errors';
import { partnerStatisticsInput, partnerSubmittedInput, statisticsInput } from '../statistics/schemas';
import { filterOptions, institutionStatistics, partnerInstitutions, partnerStatistics, partnerSubmitted } from '../statistics/queries';
import { mayReadPartnerStatistics } from '../statistics/csv';

/** Statistics only read, and may lag a little: a read replica when DATABASE_READ_URL names one, else the primary. */
const reads = (ctx: { db: Db; readDb?: Db }): Db => ctx.readDb ?? ctx.db;

/** Partner side: an administrator of the organisation or a user holding "Can book to partner institution". */
const partnerReporterProcedure = authedProcedure.use(({ ctx, next }) => {
  if (!mayReadPartnerStatistics(ctx.user)) throw new TRPCError({ code: 'FORBIDDEN', cause: new DomainError('FORBIDDEN', 'auth.forbidden') });
  return next();
});

export const statisticsRouter = router({
  filterOptions: institutionMemberProcedure.query(({ ctx }) => filterOptions(reads(ctx), ctx.user)),

  institution: institutionMemberProcedure.input(statisticsInput).query(({ ctx, input }) => institutionStatistics(reads(ctx), ctx.user, input)),

  partnerSubmitted: institutionMemberProcedure.input(partnerSubmittedInput).query(({ ctx, input }) => partnerSubmitted(reads(ctx), ctx.user, input)),

  partnerInstitutions: partnerReporterProcedure.query(({ ctx }) => partnerInstitutions(reads(ctx), ctx.user)),

  partner: partnerReporterProcedure.input(partnerStatisticsInput).query(({ ctx, input }) => partnerStatistics(reads(ctx), ctx.user, input)),
});
