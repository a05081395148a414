/**
 * How working hours read on screen: weekday names in the UI language (ISO 1 = Monday … 7 = Sunday), "Every week" /
 * "Odd weeks" / "Even weeks", times as HH:MM (the API sends HH:MM:SS; rule times are the location's local time),
 * validity periods and date exceptions.
 */
import { formatCalendarDate, intlLocale, t, type MessageKey } from '../../i18n';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const WEEK_PARITIES = ['every', 'odd', 'even'] as const;
export type WeekParity = (typeof WEEK_PARITIES)[number];

/** 1 → "Monday" / "luni". 1 January 2024 was a Monday. */
export function weekdayName(weekday: number): string {
  const date = new Date(Date.UTC(2024, 0, weekday));
  const name = new Intl.DateTimeFormat(intlLocale(), { weekday: 'long', timeZone: 'UTC' }).format(date);
  return name.charAt(0).toLocaleUpperCase(intlLocale()) + name.slice(1);
}

const PARITY_LABEL: Record<WeekParity, MessageKey> = {
  every: 'schedule.parity.every',
  odd: 'schedule.parity.odd',
  even: 'schedule.parity.even',
};

export function parityLabel(parity: string): string {
  return parity in PARITY_LABEL ? t(PARITY_LABEL[parity as WeekParity]) : parity;
}

/** "08:30:00" → "08:30" (what a time input takes and the API expects). */
export function shortTime(time: string | null | undefined): string {
  return time ? time.slice(0, 5) : '';
}

export function timeRange(start: string | null, end: string | null): string {
  return start && end ? `${shortTime(start)}–${shortTime(end)}` : t('schedule.allDay');
}

export function validityText(from: string, to: string | null): string {
  return to === null
    ? t('schedule.validFromOnly', { from: formatCalendarDate(from) })
    : t('schedule.validRange', { from: formatCalendarDate(from), to: formatCalendarDate(to) });
}

export function exceptionKindLabel(kind: string): string {
  return kind === 'absence' ? t('schedule.kind.absence') : kind === 'extra_hours' ? t('schedule.kind.extra_hours') : kind;
}
