/**
 * Patients of an institution. Partners with "access to patient data" may SEARCH them — at least 3 characters, at most
 * 10 results, name + birth year + masked national ID, every search audited — never list, page or export them.
 */
import { and, eq, isNull, like, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { patients } from '../../db/schema';
import { writeAudit } from '../audit';
import { maskNationalId } from '../domain/cnp';
import { DomainError } from '../errors';
import { AccessDenied } from '../authz';
import type { SessionUser } from '../auth/session';
import { bookerScope } from './scope';
import { patientRef, verifyPatientRef } from '../domain/invitation-token';

/** How long a search result can be used to book that patient. */
const PATIENT_REF_TTL_MS = 2 * 3_600_000;
import type { PatientChoice } from './schemas';

export const SEARCH_LIMIT = 10;

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A date the user may type: 1980-04-21, 21.04.1980 or 21/04/1980 → YYYY-MM-DD. */
function asDate(q: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q);
  if (m) return q;
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(q);
  if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return null;
}

/** Whether the caller may search the institution's patients: its own institution, or a partnership with access. */
export async function assertPatientAccess(db: Executor, user: SessionUser, institutionId: number) {
  if (user.isInstitution && user.organisationId === institutionId) return;
  if (!user.canBookPartner) throw new AccessDenied('bookings.no_partnership', 'institutionId');
  const scope = await bookerScope(db, user, institutionId);
  if (!scope.partnership?.patientDataAccess) throw new DomainError('FORBIDDEN', 'bookings.patient_access_denied', 'query');
}

export async function searchPatients(db: Executor, user: SessionUser, input: { institutionId: number; query: string }, ip: string, secret: string) {
  await assertPatientAccess(db, user, input.institutionId);
  const q = input.query.trim();
  const digits = q.replace(/[\s().+/-]/g, '');
  const date = asDate(q);
  const text = escapeLike(q);
  const conditions = [like(patients.name, `${text}%`), like(patients.name, `% ${text}%`)];
  // A national ID or phone number finds a patient only when typed in full: a prefix search would let anyone rebuild
  // a patient's CNP or phone a digit at a time from the result count.
  if (/^\d{13}$/.test(digits)) conditions.push(eq(patients.nationalId, digits));
  if (/^\d{9,15}$/.test(digits)) {
    conditions.push(eq(sql`REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(${patients.phone}, ' ', ''), '-', ''), '.', ''), '(', ''), ')', '')`, digits));
  }
  if (date) conditions.push(eq(patients.birthDate, date));
  const rows = await db.select({ id: patients.id, name: patients.name, birthDate: patients.birthDate, nationalId: patients.nationalId })
    // An erased patient (server/patients/) is never found again, not even by its anonymised name.
    .from(patients).where(and(eq(patients.institutionId, input.institutionId), isNull(patients.erasedAt), or(...conditions)))
    .orderBy(patients.name).limit(SEARCH_LIMIT);
  // Written to the institution's log (whose patients were searched) and, for a partner, to its own log as well.
  await Promise.all([...new Set([input.institutionId, user.organisationId])].map((organisationId) => writeAudit(db, {
    organisationId, actorUserId: user.id, action: 'patients.search', objectType: 'institution',
    objectId: input.institutionId, after: { query: q, resultCount: rows.length }, ip,
  })));
  const expiresAt = Date.now() + PATIENT_REF_TTL_MS;
  return {
    patients: rows.map((r) => ({
      // Only erasure empties the birth date, and erased patients are not searched.
      id: r.id, name: r.name, birthYear: Number(r.birthDate!.slice(0, 4)), nationalIdMasked: r.nationalId ? maskNationalId(r.nationalId) : null,
      ref: patientRef(secret, user.id, r.id, expiresAt),
    })),
  };
}

/**
 * The booking's patient: an existing one (the institution's own staff, or a partner with access to patient data), or a
 * new one entered now, which belongs to the institution and records who entered it.
 */
export async function resolvePatient(
  tx: Executor, choice: PatientChoice,
  ctx: { institutionId: number; user: SessionUser; mayUseExisting: boolean; requireRef?: { secret: string } },
): Promise<number> {
  if (choice.kind === 'existing') {
    if (!ctx.mayUseExisting) throw new DomainError('FORBIDDEN', 'bookings.patient_access_denied', 'patient.patientId');
    // A partner books an existing patient only through a handle its own search returned (not by a guessed ID).
    if (ctx.requireRef && !verifyPatientRef(ctx.requireRef.secret, choice.ref, ctx.user.id, choice.patientId)) {
      throw new AccessDenied('patients.not_found', 'patient.patientId');
    }
    // Locked until the booking commits: an erasure running at the same moment (server/patients/erase.ts locks the
    // same row first) either waits and then sees this booking (and refuses while it is active), or finishes first and
    // this read sees the patient erased. Without the lock a booking could attach to a patient erased meanwhile.
    const [p] = await tx.select({ id: patients.id }).from(patients)
      .where(and(eq(patients.id, choice.patientId), eq(patients.institutionId, ctx.institutionId), isNull(patients.erasedAt)))
      .for('update');
    if (!p) throw new AccessDenied('patients.not_found', 'patient.patientId');
    return p.id;
  }
  const [created] = await tx.insert(patients).values({
    institutionId: ctx.institutionId, name: choice.name, birthDate: choice.birthDate, phone: choice.phone,
    email: choice.email ?? null, nationalId: choice.nationalId ?? null,
    createdByOrganisationId: ctx.user.organisationId, createdByUserId: ctx.user.id,
  }).$returningId();
  return created.id;
}
