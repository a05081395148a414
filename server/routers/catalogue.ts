/**
 * The institution's catalogue and schedules — the data partners book into: locations (with IANA time zones),
 * qualifications, physicians, services, weekly schedule rules and date exceptions. Institution admins only. Changes
 * never move or delete bookings; a schedule change that would leave future bookings outside working hours lists them
 * and is applied only when the caller confirms.
 * Each procedure: input → policy → one call into server/catalogue.
 */
import { z } from 'zod';
import { router, institutionAdminProcedure } from '../trpc';
import { idField } from '../validation';
import {
  deleteScheduleEntryInput, ruleInput, saveExceptionInput, saveLocationInput, savePhysicianInput, saveQualificationInput, saveServiceInput,
} from '../catalogue/schemas';
import { catalogueOverview, physicianSchedule } from '../catalogue/queries';
import {
  deleteException, deleteRule, saveException, saveLocation, savePhysician, saveQualification, saveRule, saveService,
} from '../catalogue/operations';

export const catalogueRouter = router({
  overview: institutionAdminProcedure.query(({ ctx }) => catalogueOverview(ctx.db, ctx.user.organisationId)),

  /**
   * Adds or changes a location. Working hours are local times, so a new time zone moves them against existing bookings:
   * bookings it would leave outside working hours are listed and the change needs `confirm`.
   */
  saveLocation: institutionAdminProcedure.input(saveLocationInput)
    .mutation(({ ctx, input }) => saveLocation(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  saveQualification: institutionAdminProcedure.input(saveQualificationInput)
    .mutation(({ ctx, input }) => saveQualification(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  savePhysician: institutionAdminProcedure.input(savePhysicianInput)
    .mutation(({ ctx, input }) => savePhysician(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  saveService: institutionAdminProcedure.input(saveServiceInput)
    .mutation(({ ctx, input }) => saveService(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  schedule: institutionAdminProcedure.input(z.object({ physicianId: idField }))
    .query(({ ctx, input }) => physicianSchedule(ctx.db, ctx.user, input.physicianId)),

  /** Adds or changes a weekly rule. Overlaps with the physician's other rules are refused; bookings left outside hours need confirm. */
  saveRule: institutionAdminProcedure.input(ruleInput)
    .mutation(({ ctx, input }) => saveRule(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  deleteRule: institutionAdminProcedure.input(deleteScheduleEntryInput)
    .mutation(({ ctx, input }) => deleteRule(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  saveException: institutionAdminProcedure.input(saveExceptionInput)
    .mutation(({ ctx, input }) => saveException(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  deleteException: institutionAdminProcedure.input(deleteScheduleEntryInput)
    .mutation(({ ctx, input }) => deleteException(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),
});
