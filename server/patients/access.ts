/**
 * Who may act on a patient's data rights: an administrator of the institution the patient belongs to. Another
 * institution's patient (or an unknown ID) is "not found", so that its existence does not leak; a non-admin is refused
 * even when called directly (the router's policy already refuses them).
 */
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { patients } from '../../db/schema';
import { AccessDenied } from '../authz';
import { DomainError } from '../errors';
import type { SessionUser } from '../auth/session';

export interface Actor { user: SessionUser; ip: string }

export type Patient = typeof patients.$inferSelect;

export function assertInstitutionAdmin(user: SessionUser) {
  if (!user.isInstitution || user.role !== 'admin') throw new DomainError('FORBIDDEN', 'auth.forbidden');
}

/** The caller's institution's patient (locked for update when asked), or NOT_FOUND. */
export async function institutionPatient(db: Executor, user: SessionUser, patientId: number, lock = false): Promise<Patient> {
  assertInstitutionAdmin(user);
  const q = db.select().from(patients).where(and(eq(patients.id, patientId), eq(patients.institutionId, user.organisationId)));
  const [p] = lock ? await q.for('update') : await q;
  if (!p) throw new AccessDenied('patients.not_found', 'patientId');
  return p;
}
