/**
 * How audit log entries read on screen: a friendly label for each action code the server writes (the raw code is
 * always shown as well), a label for the families of codes this client does not know yet (partnership.*, user.*,
 * schedule*, …), and labels for object types. Unknown codes and types show as they are.
 */
import { hasMessage, t, type MessageKey } from '../../i18n';

/** Families of action codes, longest prefix first: a code the client does not know still gets its family's label. */
const ACTION_FAMILIES: readonly [prefix: string, key: MessageKey][] = [
  ['schedule_exception.', 'audit.family.schedule_exception'],
  ['schedule', 'audit.family.schedule'],
  ['partnership.', 'audit.family.partnership'],
  ['user.', 'audit.family.user'],
  ['auth.', 'audit.family.auth'],
  ['authz.', 'audit.family.authz'],
  ['traffic_channels.', 'audit.family.traffic_channels'],
  ['location.', 'audit.family.location'],
  ['qualification.', 'audit.family.qualification'],
  ['physician.', 'audit.family.physician'],
  ['service.', 'audit.family.service'],
  ['booking.', 'audit.family.booking'],
  ['patient.', 'audit.family.patient'],
  ['settlement.', 'audit.family.settlement'],
];

/** "partnership.approve" → "Invitation approved"; an unknown code of a known family → the family ("Partners"). */
export function actionLabel(code: string): string | null {
  const key = `audit.action.${code}`;
  if (hasMessage(key)) return t(key);
  const family = ACTION_FAMILIES.find(([prefix]) => code.startsWith(prefix));
  return family ? t(family[1]) : null;
}

/** "partnership" → "Partner"; unknown types as they are. */
export function objectTypeLabel(type: string): string {
  const key = `audit.object.${type}`;
  return hasMessage(key) ? t(key) : type;
}

/** Before/after values for the Details disclosure: pretty-printed JSON, or null when there is nothing to show. */
export function prettyJson(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // MySQL JSON columns can come back as text.
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
