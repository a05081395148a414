/** Small query helpers shared by the API and the activities. */
import { and, eq } from 'drizzle-orm';
import type { Executor } from './client';
import { users } from './schema';

/** The active administrators of an organisation: who receives its notifications and may answer for it. */
export async function activeAdmins(db: Executor, organisationId: number) {
  return db.select({ id: users.id, email: users.email }).from(users)
    .where(and(eq(users.organisationId, organisationId), eq(users.role, 'admin'), eq(users.status, 'active')));
}
