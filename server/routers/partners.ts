/**
 * Administration / Partner Module (institution side): list, add, view, edit, resend, withdraw and delete (end)
 * partnerships. Only an institution's administrators may call these, and only on their own institution's partnerships.
 * Each procedure: input → policy → one call into server/partners.
 */
import { z } from 'zod';
import { router, institutionAdminProcedure } from '../trpc';
import { idField } from '../validation';
import { createPartnerInput, updatePartnerInput } from '../partners/schemas';
import { COUNTRIES } from '../domain/countries';
import { previewInvitation } from '../partners/preview';
import { listPartners, partnerListInput } from '../partners/list';
import { deleteImpact, partnerFormOptions, partnershipDetail } from '../partners/queries';
import { createPartnership, endPartnership, resendInvitation, updatePartnership, withdrawPartnership } from '../partners/operations';
import { invitationTimings } from '../partners/paths';
import { partnerInvitationWorkflowId } from '../workflow-outbox';

export const partnersRouter = router({
  /** What the "Add New Partner" form needs: the institution's locations, currency and the supported countries. */
  formOptions: institutionAdminProcedure.query(({ ctx }) => partnerFormOptions(ctx.db, ctx.user.organisationId)),

  /**
   * "Which invitation path?" while Add New Partner is filled in: approval in the app or a registration email, by the
   * rule the save applies, with the found company's registry data (never its users). Read-only, no locks.
   */
  invitationPreview: institutionAdminProcedure.input(z.object({
    country: z.enum(COUNTRIES, { error: 'validation.country_invalid' }),
    taxNumber: z.string({ error: 'validation.required' }).max(40, 'validation.too_long'),
  })).query(({ ctx, input }) => previewInvitation(ctx.db, ctx.user.organisationId, input.country, input.taxNumber)),

  list: institutionAdminProcedure.input(partnerListInput).query(({ ctx, input }) => listPartners(ctx.db, ctx.user.organisationId, input)),

  get: institutionAdminProcedure.input(z.object({ partnershipId: idField })).query(({ ctx, input }) =>
    partnershipDetail(ctx.db, ctx.user, input.partnershipId, (id) => ctx.workflows.partnerInvitationState(id), partnerInvitationWorkflowId)),

  create: institutionAdminProcedure.input(createPartnerInput).mutation(async ({ ctx, input }) => {
    const result = await createPartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input, invitationTimings(ctx.config));
    ctx.workflows.dispatchSoon();
    return result;
  }),

  /** Every setting is editable; the audit log keeps before and after. Past bookings keep their own snapshot. */
  update: institutionAdminProcedure.input(updatePartnerInput).mutation(async ({ ctx, input }) => {
    const { queued } = await updatePartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input, invitationTimings(ctx.config));
    if (queued) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** A new invitation round: new email and link, the previous link stops working, reminders and expiry restart. */
  resend: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    await resendInvitation(ctx.db, { user: ctx.user, ip: ctx.ip }, input.partnershipId, invitationTimings(ctx.config));
    ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  withdraw: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    if (await withdrawPartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input.partnershipId, invitationTimings(ctx.config))) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** What the delete confirmation names: the partner and how many future bookings it has. */
  deleteImpact: institutionAdminProcedure.input(z.object({ partnershipId: idField }))
    .query(({ ctx, input }) => deleteImpact(ctx.db, ctx.user, input.partnershipId)),

  /** "Delete partner": the partnership ends (no new bookings, its users lose access); bookings and statistics stay. */
  delete: institutionAdminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    if (await endPartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input.partnershipId)) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),
});
