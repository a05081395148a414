/**
 * A partner's page (/partners/:id): company data, contact person, status, settings, history (invited / accepted /
 * closed, GTC acceptance) and, while the invitation is pending, the invitation and the state of its durable process
 * as the workflow reports it (phase, whom it waits for, next reminder, expiry). The box follows the invitation by
 * itself: while it is on its way the page asks the server again every second (usePartner), then stops. Operators get
 * a link to the workflow in the Temporal Web UI when the build names that UI (VITE_TEMPORAL_UI_URL); nobody else
 * sees the workflow.
 *
 * Actions follow the status: Edit while active or pending; Resend and Withdraw while pending; Delete partner while
 * active (ends the partnership; the confirmation names the partner and its future bookings, which are kept).
 */
import { createEffect, createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { formatDateTime, t, tCount, type MessageKey } from '../../i18n';
import { errorKey, queryClient, toUiError, trpc } from '../../trpc';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { NotFoundPage, PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, Notice, type NoticeTone, QueryErrorState } from '../../ui/states';
import {
  countryName, formatCommission, isPendingStatus, paymentLocationLabel, statusLabel, yesNo,
} from './partner-format';
import { PartnersAccess } from './partners-access';
import { PartnerHistory } from './partner-history';
import { EarlierPartnerships } from './partners-list-history';
import {
  invitationInTransit, parsePartnershipId, PARTNERS_QUERY_KEY, takeNotice, useFormOptions, usePartner, type PartnerDetail,
} from './partners-data';
import { StatusBadge } from './status-badge';

type Dialog = 'withdraw' | 'delete';
type PageNotice = { tone: NoticeTone; text: () => string };

export function PartnerDetailPage() {
  const params = useParams<{ id: string }>();
  const id = () => parsePartnershipId(params.id);
  return (
    <PartnersAccess title={() => t('nav.partners')}>
      <Switch fallback={<NotFoundPage />}>
        <Match when={id()} keyed>
          {(partnershipId) => <PartnerDetailView id={partnershipId} />}
        </Match>
      </Switch>
    </PartnersAccess>
  );
}

/** The Temporal Web UI of the namespace (e.g. http://localhost:8233/namespaces/default), when the build names it. */
const TEMPORAL_UI_URL = (import.meta.env.VITE_TEMPORAL_UI_URL as string | undefined)?.replace(/\/+$/, '') || null;

function PartnerDetailView(props: { id: number }) {
  // After "Resend", the page waits for the new round (the one it replaces still shows until the workflow issues it).
  const [awaitRound, setAwaitRound] = createSignal<{ replaced: string | null; since: number } | null>(null);
  const partner = usePartner(() => props.id, awaitRound);
  const options = useFormOptions();
  const title = () => partner.data?.company.name ?? t('nav.partners');
  usePageTitle(title);

  const left = takeNotice(props.id);
  const [notice, setNotice] = createSignal<PageNotice | null>(left ? { tone: 'success', text: left } : null);
  const [dialog, setDialog] = createSignal<Dialog | null>(null);

  // Arriving from the form: once the partner is shown, its heading (and the notice under it) is where the user goes on.
  let focusHeadingOnLoad = !!left;
  createEffect(() => {
    if (!focusHeadingOnLoad || !partner.data) return;
    focusHeadingOnLoad = false;
    setTimeout(() => document.getElementById('page-title')?.focus(), 0);
  });

  const refresh = () => queryClient.invalidateQueries({ queryKey: PARTNERS_QUERY_KEY });

  const resend = useMutation(() => ({
    mutationFn: () => trpc.partners.resend.mutate({ partnershipId: props.id }),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      const p = partner.data;
      setAwaitRound({ replaced: p?.invitation?.sentAt ?? null, since: Date.now() });
      const email = p?.settings.contactEmail ?? '';
      setNotice({
        tone: 'success',
        text: p?.status === 'pending_approval'
          ? () => t('partners.notice.resentApproval')
          : () => t('partners.notice.resentRegistration', { email }),
      });
      await refresh();
    },
    onError: (err) => {
      setNotice({ tone: 'error', text: () => toUiError(err).message });
      void refresh();
    },
  }));

  const withdraw = useMutation(() => ({
    mutationFn: () => trpc.partners.withdraw.mutate({ partnershipId: props.id }),
    onSuccess: async () => {
      const company = partner.data?.company.name ?? '';
      await refresh();
      setNotice({ tone: 'success', text: () => t('partners.notice.withdrawn', { company }) });
      setDialog(null);
    },
  }));

  const remove = useMutation(() => ({
    mutationFn: () => trpc.partners.delete.mutate({ partnershipId: props.id }),
    onSuccess: async () => {
      const company = partner.data?.company.name ?? '';
      await refresh();
      setNotice({ tone: 'success', text: () => t('partners.notice.deleted', { company }) });
      setDialog(null);
    },
  }));

  const openDialog = (next: Dialog) => {
    setNotice(null);
    (next === 'withdraw' ? withdraw : remove).reset();
    setDialog(next);
  };
  const closeDialog = () => setDialog(null);
  const headingFocus = () => document.getElementById('page-title');

  /** In the order of the form (the institution's locations as formOptions lists them). */
  const locationNames = (p: PartnerDetail) => {
    const known = options.data?.locations ?? [];
    const ids = new Set(p.settings.locationIds);
    const unknown = p.settings.locationIds.filter((id) => !known.some((l) => l.id === id)).map((id) => `#${id}`);
    return [...known.filter((l) => ids.has(l.id)).map((l) => l.name), ...unknown];
  };

  return (
    <section aria-labelledby="page-title" class="partner-detail">
      <p class="back-link"><A href="/partners">{t('partners.detail.back')}</A></p>
      <Switch>
        <Match when={partner.isPending}>
          <PageHeader title={t('nav.partners')} />
          <Loading />
        </Match>
        <Match when={partner.isError && errorKey(partner.error) === 'partners.not_found'}>
          <PageHeader title={t('partners.detail.notFoundTitle')} />
          <EmptyState>{t('partners.not_found')}</EmptyState>
        </Match>
        <Match when={partner.isError && !partner.data}>
          <PageHeader title={t('nav.partners')} />
          <QueryErrorState message={t('partners.detail.loadError')} query={partner} />
        </Match>
        <Match when={partner.data}>
          {(p) => (
            <>
              <PageHeader
                title={p().company.name}
                actions={
                  <>
                    <Show when={p().status === 'active' || isPendingStatus(p().status)}>
                      <A href={`/partners/${props.id}/edit`} class="button">{t('partners.action.edit')}</A>
                    </Show>
                    <Show when={isPendingStatus(p().status)}>
                      <button type="button" class="button" disabled={resend.isPending} aria-busy={resend.isPending}
                        onClick={() => resend.mutate()}>
                        {resend.isPending ? t('partners.action.resending') : t('partners.action.resend')}
                      </button>
                      <button type="button" class="button button-danger-quiet" onClick={() => openDialog('withdraw')}>
                        {t('partners.action.withdraw')}
                      </button>
                    </Show>
                    <Show when={p().status === 'active'}>
                      <button type="button" class="button button-danger-quiet" onClick={() => openDialog('delete')}>
                        {t('partners.action.delete')}
                      </button>
                    </Show>
                  </>
                }
              />

              <Show when={notice()}>
                {(n) => <Notice tone={n().tone} onDismiss={() => setNotice(null)}>{n().text()}</Notice>}
              </Show>

              <p class="detail-status">
                <StatusBadge status={p().status} />
                <span class="muted">{t('partners.taxNumberValue', { taxNumber: p().company.taxNumber })}</span>
              </p>

              {/* While the invitation is open, what happens to it matters most. */}
              <Show when={isPendingStatus(p().status)}>
                <InvitationBox partner={p()} inTransit={invitationInTransit(p(), awaitRound()?.replaced)} />
              </Show>

              <div class="detail-grid">
                <DetailCard id="partner-company" title={t('partners.form.company')}>
                  <DetailRow label={t('partners.form.companyName')}>{p().company.name}</DetailRow>
                  <DetailRow label={t('partners.form.country')}>{countryName(p().company.country)}</DetailRow>
                  <DetailRow label={t('partners.form.taxNumber')}>{p().company.taxNumber}</DetailRow>
                  <DetailRow label={t('partners.form.registrationNumber')}>{p().company.registrationNumber ?? '–'}</DetailRow>
                  <DetailRow label={t('partners.form.address')}>{p().company.address ?? '–'}</DetailRow>
                </DetailCard>

                <DetailCard id="partner-contact" title={t('partners.form.contact')}>
                  <DetailRow label={t('partners.form.contactName')}>{p().settings.contactName}</DetailRow>
                  <DetailRow label={t('partners.form.contactEmail')}>
                    <a href={`mailto:${p().settings.contactEmail}`}>{p().settings.contactEmail}</a>
                  </DetailRow>
                  <DetailRow label={t('partners.form.contactPhone')}>
                    <a href={`tel:${p().settings.contactPhone.replace(/[^\d+]/g, '')}`}>{p().settings.contactPhone}</a>
                  </DetailRow>
                </DetailCard>

                <DetailCard id="partner-settings" title={t('partners.detail.settings')}>
                  <DetailRow label={t('partners.col.locations')}>
                    <Show when={!options.isPending} fallback={t('common.loading')}>
                      <ul class="plain-list">
                        <For each={locationNames(p())}>{(name) => <li>{name}</li>}</For>
                      </ul>
                    </Show>
                  </DetailRow>
                  <DetailRow label={t('partners.col.commission')}>
                    {formatCommission(p().settings.commissionType, p().settings.commissionValue, p().settings.commissionCurrency)}
                  </DetailRow>
                  <DetailRow label={t('partners.col.paymentLocation')}>{paymentLocationLabel(p().settings.paymentLocation)}</DetailRow>
                  <DetailRow label={t('partners.col.patientDataAccess')}>{yesNo(p().settings.patientDataAccess)}</DetailRow>
                </DetailCard>

                <DetailCard id="partner-history" title={t('partners.detail.history')}>
                  <DetailRow label={t('partners.col.status')}>{statusLabel(p().status)}</DetailRow>
                  <DetailRow label={t('partners.col.invitedAt')}>{formatDateTime(p().invitedAt)}</DetailRow>
                  <DetailRow label={t('partners.col.acceptedAt')}>
                    {p().acceptedAt ? formatDateTime(p().acceptedAt!) : t('partners.notYet')}
                  </DetailRow>
                  <Show when={p().closedAt}>
                    {(closed) => <DetailRow label={t('partners.detail.closedAt')}>{formatDateTime(closed())}</DetailRow>}
                  </Show>
                  <Show when={p().gtc}>
                    {(gtc) => (
                      <DetailRow label={t('partners.detail.gtc')}>
                        {t('partners.detail.gtcValue', { version: gtc().version, date: formatDateTime(gtc().acceptedAt) })}
                      </DetailRow>
                    )}
                  </Show>
                  <DetailRow label={t('partners.detail.futureBookings')}>{p().futureBookings}</DetailRow>
                </DetailCard>
              </div>

              <Show when={!isPendingStatus(p().status)}>
                <WorkflowLink id={p().workflow.id} />
              </Show>

              <EarlierPartnerships partnershipId={props.id} />

              <PartnerHistory partnershipId={props.id} />

              <Switch>
                <Match when={dialog() === 'withdraw'}>
                  <ConfirmDialog id="withdraw-partner" title={t('partners.withdraw.title')}
                    confirmLabel={t('partners.action.withdraw')} danger
                    pending={withdraw.isPending} error={withdraw.error}
                    onConfirm={() => withdraw.mutate()} onClose={closeDialog} returnFocus={headingFocus}>
                    <p>{t(p().invitation?.kind === 'approval' || p().status === 'pending_approval'
                      ? 'partners.withdraw.textApproval' : 'partners.withdraw.text', { company: p().company.name })}</p>
                  </ConfirmDialog>
                </Match>
                <Match when={dialog() === 'delete'}>
                  <DeleteDialog id={props.id} pending={remove.isPending} error={remove.error}
                    onConfirm={() => remove.mutate()} onClose={closeDialog} returnFocus={headingFocus} />
                </Match>
              </Switch>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

function DetailCard(props: { id: string; title: string; children: JSX.Element }) {
  return (
    <section class="card detail-card" aria-labelledby={`${props.id}-heading`}>
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      <dl class="detail-list">{props.children}</dl>
    </section>
  );
}

function DetailRow(props: { label: string; children: JSX.Element }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

const PHASES = ['sending', 'waiting', 'active', 'declined', 'expired', 'withdrawn', 'ended'] as const;

/** For operators: the partner's invitation workflow in the Temporal Web UI, when the build names that UI. */
function WorkflowLink(props: { id: string }) {
  return (
    <Show when={TEMPORAL_UI_URL}>
      {(base) => (
        <p class="muted workflow-id">
          <a href={`${base()}/workflows/${encodeURIComponent(props.id)}`} target="_blank" rel="noopener noreferrer">
            {t('partners.detail.workflowId', { id: props.id })}
          </a>
        </p>
      )}
    </Show>
  );
}

/**
 * The pending invitation as stored, and the live state of its workflow (null when Temporal does not answer). The box
 * is a polite live region: what changes while the invitation is on its way is read out.
 */
function InvitationBox(props: { partner: PartnerDetail; inTransit: boolean }) {
  const invitation = () => props.partner.invitation;
  const state = () => props.partner.workflow.state;
  const phaseLabel = (phase: string) =>
    (PHASES as readonly string[]).includes(phase) ? t(`partners.phase.${phase}` as MessageKey) : phase;
  return (
    <section class="card detail-card invitation-box" aria-labelledby="partner-invitation-heading" aria-live="polite"
      aria-busy={props.inTransit}>
      <h2 id="partner-invitation-heading">{t('partners.detail.invitation')}</h2>
      <Show when={invitation()}
        fallback={<p>{props.inTransit ? t('partners.detail.invitationOnItsWay') : t('partners.detail.noInvitation')}</p>}>
        {(inv) => (
          <dl class="detail-list">
            <DetailRow label={t('partners.detail.invitationKind')}>
              {inv().kind === 'approval' ? t('partners.invitationKind.approval') : t('partners.invitationKind.registration')}
            </DetailRow>
            <DetailRow label={t('partners.detail.sentAt')}>{formatDateTime(inv().sentAt)}</DetailRow>
            <DetailRow label={t('partners.detail.expiresAt')}>{formatDateTime(inv().expiresAt)}</DetailRow>
            <DetailRow label={t('partners.detail.remindersSent')}>{inv().remindersSent}</DetailRow>
          </dl>
        )}
      </Show>

      <h3>{t('partners.detail.process')}</h3>
      <Show when={state()} fallback={<p>{t('partners.detail.processUnavailable')}</p>}>
        {(s) => (
          <dl class="detail-list">
            <DetailRow label={t('partners.detail.phase')}>{phaseLabel(s().phase)}</DetailRow>
            <Show when={s().waitingFor}>
              {(who) => (
                <DetailRow label={t('partners.detail.waitingFor')}>
                  {who() === 'partner_admins' ? t('partners.waitingFor.partner_admins') : t('partners.waitingFor.contact_person')}
                </DetailRow>
              )}
            </Show>
            <Show when={s().phase === 'waiting' || s().nextReminderAt}>
              <DetailRow label={t('partners.detail.nextReminderAt')}>
                {s().nextReminderAt ? formatDateTime(s().nextReminderAt!) : t('partners.detail.noReminder')}
              </DetailRow>
            </Show>
            <Show when={s().expiresAt}>
              {(at) => <DetailRow label={t('partners.detail.expiresAt')}>{formatDateTime(at())}</DetailRow>}
            </Show>
          </dl>
        )}
      </Show>
      <WorkflowLink id={props.partner.workflow.id} />
    </section>
  );
}

/** "Delete partner": loads how many future bookings the partner has, so the confirmation can say they are kept. */
function DeleteDialog(props: {
  id: number; pending: boolean; error: unknown; onConfirm: () => void; onClose: () => void;
  returnFocus: () => HTMLElement | null;
}) {
  const impact = useQuery(() => ({
    queryKey: [...PARTNERS_QUERY_KEY, 'deleteImpact', props.id],
    queryFn: () => trpc.partners.deleteImpact.query({ partnershipId: props.id }),
    staleTime: 0,
  }));
  return (
    <ConfirmDialog id="delete-partner" title={t('partners.delete.title')}
      confirmLabel={t('partners.action.delete')} pendingLabel={t('partners.action.deleting')} danger
      pending={props.pending} error={props.error} confirmDisabled={!impact.data}
      onConfirm={props.onConfirm} onClose={props.onClose} returnFocus={props.returnFocus}>
      <Switch>
        <Match when={impact.isPending}>
          <Loading label={t('partners.delete.checking')} />
        </Match>
        <Match when={impact.isError}>
          <QueryErrorState message={t('error.load_failed')} query={impact} />
        </Match>
        <Match when={impact.data}>
          {(d) => (
            <p>
              {d().futureBookings === 0
                ? t('partners.delete.textNone', { company: d().companyName })
                : tCount('partners.delete.text', d().futureBookings, { company: d().companyName })}
            </p>
          )}
        </Match>
      </Switch>
    </ConfirmDialog>
  );
}
