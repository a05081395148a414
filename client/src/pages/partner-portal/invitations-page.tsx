/**
 * Partner invitations (/invitations), for administrators of any organisation: the institutions that invite this
 * organisation as a partner, with what each grants (locations, commission, payment location, access to patient data)
 * and until when the invitation is open. Approve makes the partnership active; Decline (after a confirmation) closes it.
 *
 * An organisation that has not accepted the current General Terms and Conditions reads them here and ticks the
 * acceptance before its first approval; the accepted version is sent with the approval and recorded by the server.
 */
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { useMutation } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatDateTime, t } from '../../i18n';
import { queryClient, toUiError, trpc } from '../../trpc';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ForbiddenPage, PageHeader, usePageTitle } from '../../ui/page';
import { QueryView } from '../../ui/query-view';
import { EmptyState, Notice, type NoticeTone } from '../../ui/states';
import { GtcCheckbox, GtcText } from './gtc';
import { PartnershipTerms } from './partnership-terms';
import { PORTAL_QUERY_KEY, useInvitations, type PartnerInvitation } from './portal-data';

type PageNotice = { tone: NoticeTone; text: () => string };

export function InvitationsPage() {
  const me = useCurrentUser();
  // An institution sends invitations too (its partners): here it reads those it received from other institutions.
  const title = () => t(me().organisation.isInstitution ? 'portal.invitations.titleReceived' : 'portal.invitations.title');
  return (
    <Show when={me().role === 'admin'} fallback={<ForbiddenPage title={title} />}>
      <Invitations title={title} />
    </Show>
  );
}

function Invitations(props: { title: () => string }) {
  usePageTitle(props.title);
  const me = useCurrentUser();
  const invitations = useInvitations();
  const [gtcAccepted, setGtcAccepted] = createSignal(false);
  const [gtcError, setGtcError] = createSignal<(() => string) | null>(null);
  const [notice, setNotice] = createSignal<PageNotice | null>(null);
  const [declining, setDeclining] = createSignal<PartnerInvitation | null>(null);
  let gtcCheckbox: HTMLInputElement | undefined;

  const gtc = () => invitations.data?.gtc ?? null;
  const list = () => invitations.data?.invitations ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: PORTAL_QUERY_KEY });
  const focusHeading = () => document.getElementById('page-title');

  const approve = useMutation(() => ({
    mutationFn: ({ invitation, gtcVersion }: { invitation: PartnerInvitation; gtcVersion?: string }) =>
      trpc.partnerPortal.approve.mutate({ partnershipId: invitation.id, acceptGtcVersion: gtcVersion }),
    onMutate: () => { setNotice(null); setGtcError(null); },
    onSuccess: async (_result, { invitation }) => {
      const institution = invitation.institutionName;
      await refresh();
      setGtcAccepted(false);
      setNotice({ tone: 'success', text: () => t('portal.notice.approved', { institution }) });
      focusHeading()?.focus(); // the card and its buttons are gone
    },
    onError: (err) => {
      const ui = toUiError(err);
      const gtcProblem = ui.fieldErrors.acceptGtc;
      if (gtcProblem) {
        setGtcError(() => () => toUiError(err).fieldErrors.acceptGtc);
        gtcCheckbox?.focus();
      } else {
        setNotice({ tone: 'error', text: () => toUiError(err).message });
      }
      void refresh(); // the invitation may have expired or been withdrawn meanwhile
    },
  }));

  const decline = useMutation(() => ({
    mutationFn: (invitation: PartnerInvitation) => trpc.partnerPortal.decline.mutate({ partnershipId: invitation.id }),
    onSuccess: async (_result, invitation) => {
      const institution = invitation.institutionName;
      await refresh();
      setNotice({ tone: 'success', text: () => t('portal.notice.declined', { institution }) });
      setDeclining(null);
    },
    onError: () => void refresh(),
  }));

  const startApprove = (invitation: PartnerInvitation) => {
    const current = gtc();
    if (current && !gtcAccepted()) {
      setNotice(null);
      setGtcError(() => () => t('gtc.must_accept'));
      gtcCheckbox?.focus();
      return;
    }
    approve.mutate({ invitation, gtcVersion: current ? current.version : undefined });
  };

  const openDecline = (invitation: PartnerInvitation) => {
    setNotice(null);
    decline.reset();
    setDeclining(invitation);
  };

  const busy = () => approve.isPending || decline.isPending;
  const approving = (invitation: PartnerInvitation) => approve.isPending && approve.variables?.invitation.id === invitation.id;

  return (
    <section aria-labelledby="page-title" class="portal-page">
      <PageHeader title={props.title()} />
      <p class="lead">
        {t(me().organisation.isInstitution ? 'portal.invitations.introReceived' : 'portal.invitations.intro')}
      </p>

      <Show when={notice()}>
        {(n) => <Notice tone={n().tone} onDismiss={() => setNotice(null)}>{n().text()}</Notice>}
      </Show>

      <QueryView query={invitations} loadError={t('portal.invitations.loadError')}>
        <Switch>
          <Match when={list().length === 0}>
            <EmptyState>{t('portal.invitations.empty')}</EmptyState>
          </Match>
          <Match when={true}>
            <Show when={gtc()}>
              {(current) => (
                <section class="card gtc-block" aria-labelledby="gtc-heading">
                  <h2 id="gtc-heading">{t('portal.gtc.title')}</h2>
                  <p>{t('portal.invitations.gtcIntro')}</p>
                  <GtcText gtc={current()} id="invitations-gtc" />
                  <GtcCheckbox id="invitations-gtc-accept" version={current().version}
                    ref={(el) => (gtcCheckbox = el)}
                    checked={gtcAccepted()} error={gtcError()?.() ?? undefined}
                    onChange={(checked) => { setGtcAccepted(checked); if (checked) setGtcError(null); }} />
                </section>
              )}
            </Show>

            <ul class="card-list">
              <For each={list()}>
                {(invitation) => (
                  <li>
                    <article class="card invitation-card" aria-labelledby={`invitation-${invitation.id}-title`}>
                      <h2 id={`invitation-${invitation.id}-title`}>{invitation.institutionName}</h2>
                      <dl class="detail-list">
                        <PartnershipTerms terms={invitation} />
                        <div>
                          <dt>{t('portal.invitedAt')}</dt>
                          <dd>{formatDateTime(invitation.invitedAt)}</dd>
                        </div>
                        <Show when={invitation.expiresAt}>
                          {(expires) => (
                            <div>
                              <dt>{t('portal.expiresAt')}</dt>
                              <dd>{formatDateTime(expires())}</dd>
                            </div>
                          )}
                        </Show>
                      </dl>
                      <div class="form-actions">
                        <button type="button" class="button button-primary" disabled={busy()} aria-busy={approving(invitation)}
                          onClick={() => startApprove(invitation)}>
                          {approving(invitation) ? t('common.saving') : t('portal.approve')}
                        </button>
                        <button type="button" class="button button-danger-quiet" disabled={busy()}
                          onClick={() => openDecline(invitation)}>
                          {t('portal.decline')}
                        </button>
                      </div>
                    </article>
                  </li>
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      </QueryView>

      <Show when={declining()}>
        {(invitation) => (
          <ConfirmDialog id="decline-invitation" title={t('portal.decline.title')} confirmLabel={t('portal.decline')} danger
            pending={decline.isPending} error={decline.error}
            onConfirm={() => decline.mutate(invitation())} onClose={() => setDeclining(null)} returnFocus={focusHeading}>
            <p>{t('portal.decline.text', { institution: invitation().institutionName })}</p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
