/**
 * The partner's side of the Partner Module: pending invitations (approve / decline), the institutions it works with
 * (read-only settings), and the public registration of a new partner with acceptance of the GTC. A partner sees only
 * partnerships of its own organisation. Each procedure: input → policy → one call into server/partners.
 */
import { z } from 'zod';
import { router, publicProcedure, adminProcedure, authedProcedure } from '../trpc';
import { idField } from '../validation';
import { limitAnonymous } from '../auth/limits';
import { registerPartnerInput, registrationTokenField } from '../partners/schemas';
import { endedPartnershipsOfPartner, inspectRegistration, partnershipsOfPartner, pendingInvitationsOfPartner } from '../partners/queries';
import { approvePartnership, declinePartnership, registerPartner } from '../partners/operations';
import { invitationTimings } from '../partners/paths';

/** Kept here for the callers that import it from the router (server/routers/users.ts). */
export { hasAcceptedCurrentGtc } from '../partners/queries';

export const partnerPortalRouter = router({
  /** Pending invitations to the caller's organisation (partner admins answer them). */
  invitations: adminProcedure.query(({ ctx }) => pendingInvitationsOfPartner(ctx.db, ctx.user)),

  /** The institutions the caller's organisation works with: active partnerships only, settings read-only. */
  institutions: authedProcedure.query(({ ctx }) => partnershipsOfPartner(ctx.db, ctx.user, ['active'])),

  /** Partnerships the institutions ended (latest per institution, none where active again), with the end date. */
  endedPartnerships: authedProcedure.query(({ ctx }) => endedPartnershipsOfPartner(ctx.db, ctx.user)),

  approve: adminProcedure.input(z.object({ partnershipId: idField, acceptGtcVersion: z.string().max(32).optional() }))
    .mutation(async ({ ctx, input }) => {
      if (await approvePartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input)) ctx.workflows.dispatchSoon();
      return { ok: true as const };
    }),

  decline: adminProcedure.input(z.object({ partnershipId: idField })).mutation(async ({ ctx, input }) => {
    if (await declinePartnership(ctx.db, { user: ctx.user, ip: ctx.ip }, input.partnershipId)) ctx.workflows.dispatchSoon();
    return { ok: true as const };
  }),

  /** What the registration page shows for a link: the invitation and the full GTC, or why the link cannot be used. */
  inspectRegistration: publicProcedure.input(z.object({ token: registrationTokenField }))
    .query(({ ctx, input }) => inspectRegistration(ctx.db, input.token)),

  /** Registers the new partner's first administrator and records the GTC acceptance (version, time, user, IP). */
  register: publicProcedure.input(registerPartnerInput).mutation(async ({ ctx, input }) => {
    await limitAnonymous(ctx.db, ctx.config, ctx.ip, input.token);
    const { email } = await registerPartner(ctx.db, ctx.ip, input, invitationTimings(ctx.config));
    ctx.workflows.dispatchSoon();
    return { ok: true as const, email };
  }),
});
