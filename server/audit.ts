/** The audit log: who did what to which object, with before/after values. Never put patient data or secrets here. */
import type { Executor } from '../db/client';
import { auditLog } from '../db/schema';

export interface AuditEntry {
  organisationId: number | null;
  actorUserId: number | null;
  action: string;
  objectType: string;
  objectId: string | number | null;
  before?: unknown;
  after?: unknown;
  ip?: string;
}

export async function writeAudit(db: Executor, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    organisationId: e.organisationId, actorUserId: e.actorUserId, action: e.action, objectType: e.objectType,
    objectId: e.objectId === null ? null : String(e.objectId), before: e.before ?? null, after: e.after ?? null, ip: e.ip ?? null,
  });
}
