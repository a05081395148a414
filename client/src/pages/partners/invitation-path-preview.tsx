/**
 * Add New Partner: as soon as the country and tax number identify an organisation (or clearly none), say which path
 * the invitation will take — an approval request to the organisation's administrators in the app, or a registration
 * email to the contact person — and show the company's registry data found by the tax number, with a button that
 * copies it into the form. The server is asked once typing pauses; invalid numbers, errors and answers for a number
 * no longer in the field show nothing. The region is polite: screen readers hear the result when it appears.
 */
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import { useQuery } from '@tanstack/solid-query';
import { t } from '../../i18n';
import { trpc, type RouterInputs } from '../../trpc';
import { PARTNERS_QUERY_KEY } from './partners-data';
import { PREVIEW_DEBOUNCE_MS, previewMessage, sameCompany, worthPreviewing, type RegistryCompany } from './invitation-path';

type PreviewInput = RouterInputs['partners']['invitationPreview'];

export interface InvitationPathPreviewProps {
  country: string;
  taxNumber: string;
  /** The form's company fields, to offer copying the registry data only when they differ. */
  company: { companyName: string; registrationNumber: string; address: string };
  onUseCompany: (company: RegistryCompany) => void;
}

export function InvitationPathPreview(props: InvitationPathPreviewProps) {
  const current = () => ({ country: props.country, taxNumber: props.taxNumber.trim() });
  const [asked, setAsked] = createSignal(current());
  createEffect(on(() => [props.country, props.taxNumber.trim()] as const, ([country, taxNumber]) => {
    const timer = setTimeout(() => setAsked({ country, taxNumber }), PREVIEW_DEBOUNCE_MS);
    onCleanup(() => clearTimeout(timer));
  }, { defer: true }));
  /** The answer belongs to what the field holds now (not to a number typed over since). */
  const settled = () => asked().country === current().country && asked().taxNumber === current().taxNumber;

  const preview = useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'invitationPreview', asked()],
    // One of formOptions.countries (the select offers nothing else); the server validates it anyway.
    queryFn: () => trpc.partners.invitationPreview.query(asked() as PreviewInput),
    enabled: worthPreviewing(asked().taxNumber),
    staleTime: 15_000,
    retry: false,
  }));

  const message = () => (settled() && worthPreviewing(asked().taxNumber) && !preview.isError ? previewMessage(preview.data) : null);

  return (
    <div class="invitation-preview-region" aria-live="polite" id="partner-invitation-path">
      <Show when={message()}>
        {(m) => (
          <div class={`invitation-preview invitation-preview-${m().kind}`}>
            <Show when={m().kind !== 'blocked'}>
              <p class="invitation-preview-title">{t('partners.preview.title')}</p>
            </Show>
            <p>{t(m().key)}</p>
            <Show when={m().company}>
              {(company) => (
                <div class="invitation-preview-company">
                  <p class="invitation-preview-found">{t('partners.preview.found')}</p>
                  <dl class="detail-list">
                    <div><dt>{t('partners.form.companyName')}</dt><dd>{company().name}</dd></div>
                    <div><dt>{t('partners.form.registrationNumber')}</dt><dd>{company().registrationNumber}</dd></div>
                    <div><dt>{t('partners.form.address')}</dt><dd>{company().address}</dd></div>
                  </dl>
                  <Show when={m().kind !== 'blocked' && !sameCompany(company(), props.company)}>
                    <p class="muted">{t('partners.preview.recordKept')}</p>
                    <button type="button" class="button button-small" onClick={() => props.onUseCompany(company())}>
                      {t('partners.preview.useCompany')}
                    </button>
                  </Show>
                </div>
              )}
            </Show>
          </div>
        )}
      </Show>
    </div>
  );
}
