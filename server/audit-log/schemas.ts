/** Inputs of the audit log page and of a partner's change history (server/audit-log/queries.ts). */
import { z } from 'zod';
import { cursorIdField, idField } from '../validation';

const dateTime = z.string().datetime({ offset: true, error: 'audit.period_invalid' });

export const auditListInput = z.object({
  userId: idField.optional(),
  action: z.string().trim().max(64, 'validation.too_long').regex(/^[a-z_.]*$/, 'validation.invalid').optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
  beforeId: cursorIdField.optional(),
}).refine((v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to), { path: ['to'], message: 'audit.period_invalid' });
export type AuditListInput = z.infer<typeof auditListInput>;

export const partnershipHistoryInput = z.object({ partnershipId: idField, beforeId: cursorIdField.optional() });
export type PartnershipHistoryInput = z.infer<typeof partnershipHistoryInput>;
