/**
 * Patient data rights, for institution administrators (server/patients/): a patient's details for the Patients page,
 * the data-subject export (one JSON document; a mutation, since it writes an audit entry — the client saves the answer
 * as a file) and erasure (anonymised, bookings and statistics kept). Patients are found with bookings.searchPatients.
 * Another institution's patient is NOT_FOUND; staff and partners are refused by the policy.
 */
import { router, institutionAdminProcedure } from '../trpc';
import { patientDetails } from '../patients/details';
import { exportPatient } from '../patients/export';
import { erasePatient } from '../patients/erase';
import { erasePatientInput, patientRef } from '../patients/schemas';

export const patientsRouter = router({
  get: institutionAdminProcedure.input(patientRef).query(({ ctx, input }) => patientDetails(ctx.db, ctx.user, input.patientId)),

  export: institutionAdminProcedure.input(patientRef).mutation(({ ctx, input }) =>
    exportPatient(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),

  erase: institutionAdminProcedure.input(erasePatientInput).mutation(({ ctx, input }) =>
    erasePatient(ctx.db, { user: ctx.user, ip: ctx.ip }, input)),
});
