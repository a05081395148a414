/**
 * Wall-clock times in an IANA time zone, without a date library: what instant "2025-03-30 10:00 in Europe/Bucharest"
 * is (for the audit log's period filter, whose inputs are in the organisation's time zone), and which calendar day it
 * is now in a zone (the default "valid from" of a working-hours rule). Pure functions, no UI imports.
 */

function zoneParts(instant: number, zone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instant));
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** How far `zone`'s wall clock is ahead of UTC at `instant` (milliseconds; negative west of Greenwich). */
export function zoneOffsetMs(instant: number, zone: string): number {
  const p = zoneParts(instant, zone);
  const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The value of a datetime-local input ("2025-01-15T10:00"), read as a wall-clock time in `zone`, as an ISO instant
 * ("2025-01-15T08:00:00.000Z" for Europe/Bucharest in winter). Null when the value is not a complete date and time.
 * A time skipped by a daylight-saving change counts as the same clock time after the change.
 */
export function zonedLocalToIso(value: string, zone: string): string | null {
  const m = LOCAL_DATE_TIME.exec(value.trim());
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (Number.isNaN(wall)) return null;
  // First guess with the offset at the wall time itself, then correct once with the offset at the guessed instant.
  const guess = wall - zoneOffsetMs(wall, zone);
  const corrected = wall - zoneOffsetMs(guess, zone);
  return new Date(corrected).toISOString();
}

/** Today's calendar date in `zone`, as YYYY-MM-DD. */
export function todayInZone(zone: string, now: Date = new Date()): string {
  const p = zoneParts(now.getTime(), zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
