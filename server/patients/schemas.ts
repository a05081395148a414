/** Inputs of the patients router (data rights). Messages are i18n keys (server/errors.ts). */
import { z } from 'zod';
import { idField } from '../validation';

export const patientRef = z.object({ patientId: idField });

export const erasePatientInput = z.object({
  patientId: idField,
  /** The admin confirmed, knowing what erasure does (the dialog says it); anything but `true` changes nothing. */
  confirm: z.literal(true, { error: 'patients.erase_confirm_required' }),
});

export type ErasePatientInput = z.infer<typeof erasePatientInput>;
