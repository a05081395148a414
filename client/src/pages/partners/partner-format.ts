/**
 * How partnership settings read on screen, shared by the institution's partner pages and the partner's own pages:
 * status labels, commission ("12.5 %", "25.00 RON per booking"), payment location, country names. Numbers are
 * formatted with Intl in the current UI language; the values themselves are integers from the API (basis points for
 * percentages, minor units for amounts).
 */
import { intlLocale, t, type MessageKey } from '../../i18n';

export const PARTNERSHIP_STATUSES = [
  'pending_approval', 'pending_registration', 'active', 'declined', 'expired', 'withdrawn', 'ended',
] as const;
export type PartnershipStatus = (typeof PARTNERSHIP_STATUSES)[number];

export type CommissionType = 'none' | 'percent' | 'fixed';
export type PaymentLocation = 'partner' | 'institution';

export function statusLabel(status: string): string {
  const key = `partners.status.${status}`;
  return (PARTNERSHIP_STATUSES as readonly string[]).includes(status) ? t(key as MessageKey) : status;
}

/** True while the partner has not answered the invitation yet. */
export function isPendingStatus(status: string): boolean {
  return status === 'pending_approval' || status === 'pending_registration';
}

/** 1250 basis points → "12.5" (en) / "12,5" (ro). */
export function formatPercentNumber(basisPoints: number): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 2 }).format(basisPoints / 100);
}

/** 2550 minor units → "25.50 RON" (en) / "25,50 RON" (ro). */
export function formatMoney(minor: number, currency: string): string {
  const amount = new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(minor / 100);
  return `${amount} ${currency}`;
}

export function formatCommission(type: string, value: number, currency: string | null | undefined): string {
  if (type === 'percent') return t('partners.commission.percent', { percent: formatPercentNumber(value) });
  if (type === 'fixed') return t('partners.commission.fixed', { amount: formatMoney(value, currency ?? '') });
  return t('partners.commission.none');
}

export function paymentLocationLabel(location: string): string {
  return location === 'partner' ? t('partners.payment.partner') : t('partners.payment.institution');
}

export function yesNo(value: boolean): string {
  return value ? t('common.yes') : t('common.no');
}

/** "RO" → "Romania" / "România" (the code itself when the browser has no name for it). */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([intlLocale()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Basis points as the text a user would type into the form: 1250 → "12.5", 1000 → "10". */
export function basisPointsToInput(basisPoints: number): string {
  return (basisPoints / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** Minor units as the text a user would type into the form: 2550 → "25.50". */
export function minorToInput(minor: number): string {
  return (minor / 100).toFixed(2);
}
