/**
 * "Which invitation path?" without UI: what Add New Partner says about the tax number typed so far, from the server's
 * preview (partners.invitationPreview, the same rule the save applies). Invalid or half-typed numbers say nothing.
 */
import type { MessageKey } from '../../i18n';
import type { RouterOutputs } from '../../trpc';

export type InvitationPreview = RouterOutputs['partners']['invitationPreview'];
export type RegistryCompany = { name: string; registrationNumber: string; address: string };

/** How long typing must pause before the server is asked. */
export const PREVIEW_DEBOUNCE_MS = 400;

/** Whether the text is worth asking about (the server answers anything shorter as invalid anyway). */
export function worthPreviewing(taxNumber: string): boolean {
  return taxNumber.replace(/\s+/g, '').length >= 2;
}

export interface PreviewMessage {
  /** 'approval' / 'registration': the path; 'blocked': saving would be refused. */
  kind: 'approval' | 'registration' | 'blocked';
  key: MessageKey;
  company: RegistryCompany | null;
}

export function previewMessage(preview: InvitationPreview | undefined): PreviewMessage | null {
  if (!preview) return null;
  switch (preview.outcome) {
    case 'invalid': return null;
    case 'self': return { kind: 'blocked', key: 'partners.self', company: null };
    case 'duplicate': return { kind: 'blocked', key: 'partners.duplicate', company: preview.company };
    case 'approval': return { kind: 'approval', key: 'partners.preview.approval', company: preview.company };
    case 'registration':
      return {
        kind: 'registration',
        key: preview.company ? 'partners.preview.registrationExisting' : 'partners.preview.registrationNew',
        company: preview.company,
      };
  }
}

/** Whether the form's company fields already hold the registry data (then "Use this company data" is not offered). */
export function sameCompany(company: RegistryCompany, values: { companyName: string; registrationNumber: string; address: string }): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ');
  return norm(values.companyName) === norm(company.name) && norm(values.registrationNumber) === norm(company.registrationNumber)
    && norm(values.address) === norm(company.address);
}
