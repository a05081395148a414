/**
 * Pure rules of patient data rights (export and erasure), unit-tested in rules.test.ts:
 * - the anonymised name an erased patient keeps (bookings, calendars, statistics and CSVs show it);
 * - which logged patient searches could have been about the patient: the query is personal data typed by a user, so
 *   erasure blanks it in the audit log (and the export lists those searches). A query counts when the booking search
 *   (server/bookings/patients.ts) would have found the patient with it — the start of the name or of a word of it, the
 *   full national ID, the full phone number, the birth date — or when it contains the national ID, phone or email.
 */

/** The name an erased patient keeps: no personal data, still tells one booking's patient from another's. */
export function erasedName(patientId: number): string {
  return `Erased patient #${patientId}`;
}

export interface PatientPersonalData {
  name: string;
  birthDate: string | null;
  nationalId: string | null;
  phone: string | null;
  email: string | null;
}

const digitsOf = (s: string) => s.replace(/[\s().+/-]/g, '');
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** A date as the search accepts it (1980-04-21, 21.04.1980, 21/04/1980) → YYYY-MM-DD. */
function asDate(q: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(q)) return q;
  const m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(q);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : null;
}

/** Whether a logged search query may have been about this patient (see the module comment). */
export function searchQueryConcerns(query: string, p: PatientPersonalData): boolean {
  const q = fold(query);
  if (!q) return false;
  const name = fold(p.name);
  if (name.startsWith(q) || name.includes(` ${q}`)) return true;
  const digits = digitsOf(query);
  if (p.nationalId && digits.length >= 6 && (digits === p.nationalId || digits.includes(p.nationalId) || p.nationalId.startsWith(digits))) return true;
  const phone = p.phone ? digitsOf(p.phone) : '';
  if (phone && digits.length >= 6 && (digits === phone || digits.includes(phone) || phone.endsWith(digits))) return true;
  if (p.birthDate && asDate(query.trim()) === p.birthDate) return true;
  if (p.email && q.includes(p.email.toLowerCase())) return true;
  return false;
}
