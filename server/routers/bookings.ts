/**
 * Bookings: "Book to partner" for users with "Can book to partner institution" (only at institutions where their
 * organisation is an active partner, only authorised services at granted locations), the institution's own Bookings
 * calendar for its staff, and the patient's cancel link. Each procedure: input → policy → one call into server/bookings.
 */
import { router, bookerProcedure, institutionMemberProcedure, authedProcedure, publicProcedure } from '../trpc';
import { DomainError } from '../errors';
import { verifyBookingCancelToken } from '../domain/invitation-token';
import {
  bookerCalendarInput, bookingRef, cancelBookingInput, cancelByLinkInput, cancelLinkInput, createBookingInput, createForInstitutionInput,
  institutionCalendarInput, moveBookingInput, myBookingsInput, searchPatientsInput, setPaymentStatusInput, setStatusInput,
} from '../bookings/schemas';
import { bookerScopes, institutionScope } from '../bookings/scope';
import { buildCalendars } from '../bookings/calendar';
import { searchPatients } from '../bookings/patients';
import { limitPatientSearch } from '../auth/limits';
import {
  cancelBooking, cancelByPatientLink, createInstitutionBooking, createPartnerBooking, moveBooking, setBookingStatus, setPaymentStatus,
} from '../bookings/operations';
import { bookingDetails, bookingOptions, bookingWorkflowStep, cancelLinkInfo, institutionOptions, myBookings } from '../bookings/queries';

function linkBookingId(secret: string, token: string): number {
  const id = verifyBookingCancelToken(secret, token);
  if (id === null) throw new DomainError('NOT_FOUND', 'bookings.link_invalid', 'token');
  return id;
}

export const bookingsRouter = router({
  bookingOptions: bookerProcedure.query(({ ctx }) => bookingOptions(ctx.db, ctx.user)),

  calendars: bookerProcedure.input(bookerCalendarInput).query(async ({ ctx, input }) => {
    const scopes = await bookerScopes(ctx.db, ctx.user, input.institutionId);
    return buildCalendars(ctx.db, scopes, input, { kind: 'booker', organisationId: ctx.user.organisationId }, new Date());
  }),

  searchPatients: authedProcedure.input(searchPatientsInput).query(async ({ ctx, input }) => {
    await limitPatientSearch(ctx.db, ctx.config, ctx.user.id, ctx.ip); // per user and IP (decision 010)
    return searchPatients(ctx.db, ctx.user, input, ctx.ip, ctx.config.appSecret);
  }),

  create: bookerProcedure.input(createBookingInput).mutation(async ({ ctx, input }) => {
    const result = await createPartnerBooking(ctx.db, { user: ctx.user, ip: ctx.ip }, input, ctx.config.appSecret);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  get: authedProcedure.input(bookingRef).query(({ ctx, input }) =>
    bookingDetails(ctx.db, ctx.user, input.bookingId, new Date(), ctx.config.bookingFulfilGraceMs)),

  /** The lifecycle workflow's next step, apart from the details: a busy worker must not hold the details page up. */
  workflowStep: authedProcedure.input(bookingRef).query(({ ctx, input }) =>
    bookingWorkflowStep(ctx.db, ctx.user, input.bookingId, (id, budgetMs) => ctx.workflows.bookingState(id, budgetMs))),

  move: authedProcedure.input(moveBookingInput).mutation(async ({ ctx, input }) => {
    const result = await moveBooking(ctx.db, { user: ctx.user, ip: ctx.ip }, input);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  cancel: authedProcedure.input(cancelBookingInput).mutation(async ({ ctx, input }) => {
    const result = await cancelBooking(ctx.db, { user: ctx.user, ip: ctx.ip }, input);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  myBookings: bookerProcedure.input(myBookingsInput).query(({ ctx, input }) => myBookings(ctx.db, ctx.user, input)),

  institutionOptions: institutionMemberProcedure.query(({ ctx }) => institutionOptions(ctx.db, ctx.user)),

  institutionCalendar: institutionMemberProcedure.input(institutionCalendarInput).query(async ({ ctx, input }) => {
    const scope = await institutionScope(ctx.db, ctx.user.organisationId);
    return buildCalendars(ctx.db, [scope], input, { kind: 'institution', institutionId: ctx.user.organisationId }, new Date());
  }),

  createForInstitution: institutionMemberProcedure.input(createForInstitutionInput).mutation(async ({ ctx, input }) => {
    const result = await createInstitutionBooking(ctx.db, { user: ctx.user, ip: ctx.ip }, input);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  setStatus: institutionMemberProcedure.input(setStatusInput).mutation(async ({ ctx, input }) => {
    const result = await setBookingStatus(ctx.db, { user: ctx.user, ip: ctx.ip }, input, new Date(), ctx.config.bookingFulfilGraceMs);
    ctx.workflows.dispatchSoon();
    return result;
  }),

  setPaymentStatus: institutionMemberProcedure.input(setPaymentStatusInput).mutation(({ ctx, input }) =>
    setPaymentStatus(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  cancelLinkInfo: publicProcedure.input(cancelLinkInput).query(async ({ ctx, input }) => {
    const info = await cancelLinkInfo(ctx.db, linkBookingId(ctx.config.appSecret, input.token));
    if (!info) throw new DomainError('NOT_FOUND', 'bookings.link_invalid', 'token');
    return info;
  }),

  cancelByLink: publicProcedure.input(cancelByLinkInput).mutation(async ({ ctx, input }) => {
    const result = await cancelByPatientLink(ctx.db, linkBookingId(ctx.config.appSecret, input.token), input.reason);
    ctx.workflows.dispatchSoon();
    return result;
  }),
});
