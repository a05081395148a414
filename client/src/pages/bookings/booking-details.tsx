/**
 * A booking's details, as a dialog over a calendar or list and as the page /bookings/:id: when (the location's
 * clock), who, what, source, money, status, the lifecycle's next step (loaded on its own, never holding up the rest)
 * and the history; and the actions the server allows (`can`): modify (another free slot of the same physician and
 * location, and/or another allowed service), cancel with a reason, and for institution staff mark arrived / no-show /
 * undo and set the payment status. Every change sends the booking's version; a "changed in the meantime" answer
 * reloads it.
 */
import { createSignal, For, Match, Show, Switch } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { useCurrentUser } from '../../auth';
import { formatCalendarDate, formatDateTime, t } from '../../i18n';
import { errorKey, queryClient, toUiError, trpc } from '../../trpc';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Field, fieldAria } from '../../ui/field';
import { Modal } from '../../ui/modal';
import { PageHeader, usePageTitle } from '../../ui/page';
import { EmptyState, Loading, Notice, QueryErrorState } from '../../ui/states';
import { formatCommission } from '../partners/partner-format';
import {
  BOOKINGS_QUERY_KEY, parseBookingId, useBooking, useBookingOptions, useBookingWorkflowStep, useInstitutionOptions,
  type BookingDetails, type BookingSide,
} from './booking-api';
import {
  bookingStatusLabel, eventChanges, eventTypeLabel, formatAppointment, formatPrice, paymentStatusLabel, sourceLabel,
  STAFF_PAYMENT_STATUSES, zoneName,
} from './booking-format';
import { differsFromBrowser } from './booking-time';
import { MoveDialog } from './move-dialog';

/** Whether the user acts as the institution holding this booking, or as the partner that booked it. */
export function useSideOf() {
  const me = useCurrentUser();
  return (booking: { institutionId: number }): BookingSide =>
    me().organisation.isInstitution && booking.institutionId === me().organisation.id ? 'institution' : 'partner';
}

/** Service names for the history, from the options of the side the user acts on. */
export function useServiceNames(side: () => BookingSide) {
  const booker = useBookingOptions(() => side() === 'partner');
  const own = useInstitutionOptions(() => side() === 'institution');
  return (id: number): string | undefined => {
    if (side() === 'institution') return own.data?.services.find((s) => s.id === id)?.name;
    for (const i of booker.data?.institutions ?? []) {
      const s = i.services.find((x) => x.id === id);
      if (s) return s.name;
    }
    return undefined;
  };
}

export function BookingDetailsDialog(props: { bookingId: number; onClose: () => void; returnFocus?: () => HTMLElement | null | undefined }) {
  return (
    <Modal labelledBy="booking-details-title" onClose={props.onClose} returnFocus={props.returnFocus} class="modal-wide">
      <div class="dialog-form">
        <BookingDetailsView bookingId={props.bookingId} headingId="booking-details-title" headingLevel={2} onClose={props.onClose} />
      </div>
    </Modal>
  );
}

export function BookingDetailsPage() {
  const params = useParams<{ id: string }>();
  const id = () => parseBookingId(params.id);
  usePageTitle(() => t('booking.details.title'));
  return (
    <section aria-labelledby="page-title" class="booking-details-page">
      <Show when={id()} fallback={<><PageHeader title={t('booking.details.title')} /><EmptyState>{t('bookings.not_found')}</EmptyState></>}>
        {(bookingId) => <BookingDetailsView bookingId={bookingId()} headingId="page-title" headingLevel={1} />}
      </Show>
    </section>
  );
}

type Dialog = null | 'move' | 'cancel';

export function BookingDetailsView(props: { bookingId: number; headingId: string; headingLevel: 1 | 2; onClose?: () => void }) {
  const query = useBooking(() => props.bookingId);
  // Asked at once beside the details (same cache entry as the next-step line below), never waited for by them.
  useBookingWorkflowStep(() => props.bookingId);
  const sideOf = useSideOf();
  const [notice, setNotice] = createSignal<(() => string) | null>(null);

  const Heading = (p: { text: string }) => props.headingLevel === 1
    ? <PageHeader title={p.text} />
    : <h2 id={props.headingId}>{p.text}</h2>;

  return (
    <Switch>
      <Match when={query.isPending}>
        <Heading text={t('booking.details.title')} />
        <Loading />
      </Match>
      <Match when={query.isError && !query.data}>
        <Heading text={t('booking.details.title')} />
        <Show when={errorKey(query.error) === 'bookings.not_found'} fallback={<QueryErrorState message={t('error.load_failed')} query={query} />}>
          <EmptyState>{t('bookings.not_found')}</EmptyState>
        </Show>
        <Show when={props.onClose}>
          <div class="form-actions"><button type="button" class="button" onClick={() => props.onClose?.()}>{t('common.close')}</button></div>
        </Show>
      </Match>
      <Match when={query.data}>
        {(b) => (
          <>
            <Heading text={t('booking.details.heading', { service: b().serviceName, when: formatAppointment(b().startsAt, b().timeZone) })} />
            <Show when={notice()}>{(n) => <Notice tone="success" onDismiss={() => setNotice(null)}>{n()()}</Notice>}</Show>
            <Details booking={b()} side={sideOf(b())} onNotice={(n) => setNotice(() => n)}
              onReload={() => void query.refetch()} onClose={props.onClose} />
          </>
        )}
      </Match>
    </Switch>
  );
}

function Details(props: { booking: BookingDetails; side: BookingSide; onNotice: (n: () => string) => void; onReload: () => void; onClose?: () => void }) {
  const b = () => props.booking;
  const [dialog, setDialog] = createSignal<Dialog>(null);
  const serviceNames = useServiceNames(() => props.side);
  let actionsBox!: HTMLDivElement;

  const afterChange = async (message: () => string) => {
    await queryClient.invalidateQueries({ queryKey: BOOKINGS_QUERY_KEY });
    props.onNotice(message);
  };
  const onStale = (err: unknown) => {
    if (errorKey(err) === 'bookings.stale') props.onReload();
  };

  const setStatus = useMutation(() => ({
    mutationFn: (status: 'arrived' | 'noshow' | 'booked') =>
      trpc.bookings.setStatus.mutate({ bookingId: b().id, version: b().version, status }),
    onSuccess: (_r, status) => afterChange(() => t('booking.notice.status', { status: bookingStatusLabel(status) })),
    onError: onStale,
  }));
  const [payment, setPayment] = createSignal<string>('');
  const setPaymentStatus = useMutation(() => ({
    mutationFn: (paymentStatus: (typeof STAFF_PAYMENT_STATUSES)[number]) =>
      trpc.bookings.setPaymentStatus.mutate({ bookingId: b().id, version: b().version, paymentStatus }),
    onSuccess: (_r, p) => { setPayment(''); return afterChange(() => t('booking.notice.payment', { status: paymentStatusLabel(p) })); },
    onError: onStale,
  }));
  // Which staff marks the server takes now: arrival from 24 h before the start, no-show once it started, undo until fulfilment.
  const marks = () => ({ arrived: b().can.markArrived, noshow: b().can.markNoShow });
  const actionError = () => setStatus.error ?? setPaymentStatus.error;
  const zoneNote = () => differsFromBrowser(b().timeZone) ? t('booking.calendar.zone', { zone: zoneName(b().timeZone) }) : '';
  const paymentChoice = () => payment()
    || ((STAFF_PAYMENT_STATUSES as readonly string[]).includes(b().paymentStatus) ? b().paymentStatus : '');

  return (
    <div class="booking-details">
      <div class="detail-status">
        <span class={`badge badge-booking-${b().status}`}>{bookingStatusLabel(b().status)}</span>
        <span class="badge badge-payment">{paymentStatusLabel(b().paymentStatus)}</span>
        <Show when={b().status === 'booked' || b().status === 'arrived'}>
          <NextStep bookingId={b().id} timeZone={b().timeZone} />
        </Show>
      </div>

      <div class="detail-grid">
        <div>
          <h3>{t('booking.details.appointment')}</h3>
          <dl class="detail-list">
            <div><dt>{t('booking.field.when')}</dt><dd>{formatAppointment(b().startsAt, b().timeZone)} – {formatAppointment(b().endsAt, b().timeZone).split(', ').pop()}
              <Show when={zoneNote()}><span class="cell-note">{zoneNote()}</span></Show></dd></div>
            <div><dt>{t('booking.field.institution')}</dt><dd>{b().institutionName}</dd></div>
            <div><dt>{t('booking.field.location')}</dt><dd>{b().locationName}</dd></div>
            <div><dt>{t('booking.field.physician')}</dt><dd>{b().physicianName}</dd></div>
            <div><dt>{t('booking.field.service')}</dt><dd>{t('booking.dialog.serviceOption', { name: b().serviceName, minutes: b().durationMinutes })}</dd></div>
            <div><dt>{t('booking.field.source')}</dt><dd>{sourceLabel(b().source)}</dd></div>
            <div><dt>{t('booking.field.bookedBy')}</dt><dd>{b().bookedByName ?? '—'} <span class="cell-note">{formatDateTime(b().createdAt)}</span></dd></div>
            <Show when={b().cancellationReason}>
              <div><dt>{t('booking.field.reason')}</dt><dd>{b().cancellationReason}</dd></div>
            </Show>
          </dl>
        </div>
        <div>
          <h3>{t('booking.field.patient')}</h3>
          <Show when={b().patient} fallback={<p class="muted">{t('booking.details.noPatient')}</p>}>
            {(p) => (
              <dl class="detail-list">
                <div><dt>{t('booking.patient.name')}</dt><dd>{p().name}</dd></div>
                <Show when={p().birthDate}>{(d) => <div><dt>{t('booking.patient.birthDate')}</dt><dd>{formatCalendarDate(d())}</dd></div>}</Show>
                <Show when={p().phone}>{(ph) => <div><dt>{t('booking.patient.phone')}</dt><dd>{ph()}</dd></div>}</Show>
                <div><dt>{t('booking.patient.email')}</dt><dd>{p().email ?? '—'}</dd></div>
                <div><dt>{t('booking.patient.nationalId')}</dt><dd>{p().nationalIdMasked ?? '—'}</dd></div>
                <Show when={p().restricted}><p class="muted">{t('booking.details.patientRestricted')}</p></Show>
              </dl>
            )}
          </Show>
          <h3>{t('booking.details.money')}</h3>
          <dl class="detail-list">
            <div><dt>{t('booking.field.price')}</dt><dd>{formatPrice(b().priceMinor, b().currency)}</dd></div>
            <Show when={b().partnershipId !== null}>
              <div><dt>{t('booking.field.commission')}</dt><dd>{formatCommission(b().commission.type, b().commission.value, b().commission.currency)}</dd></div>
            </Show>
            <Show when={b().paymentLocation}>
              <div><dt>{t('booking.field.paymentLocation')}</dt>
                <dd>{b().paymentLocation === 'partner' ? t('partners.payment.partner') : t('partners.payment.institution')}</dd></div>
            </Show>
            <div><dt>{t('booking.field.paymentStatus')}</dt><dd>{paymentStatusLabel(b().paymentStatus)}</dd></div>
          </dl>
        </div>
      </div>

      <div ref={actionsBox} tabindex="-1" class="form-error-box">
        <Show when={actionError()}>{(e) => <Notice tone="error">{toUiError(e()).message}</Notice>}</Show>
      </div>

      <div class="form-actions booking-actions">
        <Show when={b().can.modify}>
          <button type="button" class="button button-primary" onClick={() => setDialog('move')}>{t('booking.action.modify')}</button>
        </Show>
        <Show when={b().can.cancel}>
          <button type="button" class="button button-danger-quiet" onClick={() => setDialog('cancel')}>{t('booking.action.cancel')}</button>
        </Show>
        <Show when={b().can.mark}>
          <Show when={b().status === 'booked'} fallback={
            <button type="button" class="button" disabled={setStatus.isPending || !b().can.undoMark} onClick={() => setStatus.mutate('booked')}>
              {t('booking.action.undoMark', { status: bookingStatusLabel(b().status) })}
            </button>
          }>
            <button type="button" class="button" disabled={setStatus.isPending || !marks().arrived}
              aria-describedby={marks().arrived ? undefined : 'mark-hint'} onClick={() => setStatus.mutate('arrived')}>
              {t('booking.action.arrived')}
            </button>
            <button type="button" class="button" disabled={setStatus.isPending || !marks().noshow}
              aria-describedby={marks().noshow ? undefined : 'mark-hint'} onClick={() => setStatus.mutate('noshow')}>
              {t('booking.action.noshow')}
            </button>
          </Show>
        </Show>
        <Show when={props.onClose}>
          <button type="button" class="button" onClick={() => props.onClose?.()}>{t('common.close')}</button>
        </Show>
      </div>

      <Show when={b().can.mark && b().status === 'booked' && (!marks().arrived || !marks().noshow)}>
        <p id="mark-hint" class="muted">{marks().arrived ? t('booking.mark.noshowLater') : t('booking.mark.later')}</p>
      </Show>

      <Show when={b().can.setPayment}>
        <form class="payment-form" onSubmit={(e) => {
          e.preventDefault();
          const value = paymentChoice();
          if (value && value !== b().paymentStatus) setPaymentStatus.mutate(value as (typeof STAFF_PAYMENT_STATUSES)[number]);
        }}>
          <Field id={`payment-${b().id}`} label={t('booking.field.paymentStatus')}>
            <select {...fieldAria(`payment-${b().id}`)} onChange={(e) => setPayment(e.currentTarget.value)}>
              <Show when={!(STAFF_PAYMENT_STATUSES as readonly string[]).includes(b().paymentStatus)}>
                <option value="" selected>{paymentStatusLabel(b().paymentStatus)}</option>
              </Show>
              <For each={STAFF_PAYMENT_STATUSES}>
                {(p) => <option value={p} selected={paymentChoice() === p}>{paymentStatusLabel(p)}</option>}
              </For>
            </select>
          </Field>
          <button type="submit" class="button" disabled={setPaymentStatus.isPending || !paymentChoice() || paymentChoice() === b().paymentStatus}>
            {setPaymentStatus.isPending ? t('common.saving') : t('booking.action.savePayment')}
          </button>
        </form>
      </Show>

      <h3>{t('booking.details.history')}</h3>
      <ol class="booking-history">
        <For each={b().events}>
          {(event) => (
            <li>
              <span class="history-what">{eventTypeLabel(event.type)}</span>
              <span class="cell-note">
                {formatDateTime(event.at)} · {event.actorName ?? (event.actorKind === 'patient' ? t('booking.actor.patient')
                  : event.actorKind === 'system' ? t('booking.actor.system') : '—')}
              </span>
              <Show when={event.type !== 'created'}>
                <ul class="history-changes">
                  <For each={eventChanges(event, { timeZone: b().timeZone, serviceName: serviceNames })}>
                    {(c) => (
                      <li>
                        {c.label}: <Show when={c.before !== null}>{c.before} <span aria-label={t('booking.history.to')}>→</span> </Show>{c.after}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={!props.onClose}>
        <p class="back-link"><A href={props.side === 'institution' ? '/bookings' : '/my-bookings'}>{t('booking.details.back')}</A></p>
      </Show>

      <Show when={dialog() === 'move'}>
        <MoveDialog booking={b()} side={props.side} onClose={() => setDialog(null)}
          onMoved={(message) => { setDialog(null); void afterChange(message); }}
          onStale={props.onReload} returnFocus={() => actionsBox} />
      </Show>
      <Show when={dialog() === 'cancel'}>
        <CancelBookingDialog booking={b()} onClose={() => setDialog(null)}
          onCancelled={(message) => { setDialog(null); void afterChange(message); }} returnFocus={() => actionsBox} />
      </Show>
    </div>
  );
}

/**
 * The lifecycle workflow's next step, loaded apart from the details (which never wait for it): a small progress line,
 * then the step, or a quiet "not available right now" when Temporal or the worker does not answer in time. One live
 * region (role=status) throughout, so a screen reader hears the answer when it comes.
 */
function NextStep(props: { bookingId: number; timeZone: string }) {
  const step = useBookingWorkflowStep(() => props.bookingId);
  return (
    <span class="muted next-step" role="status" aria-live="polite">
      <Switch>
        <Match when={step.isPending}>
          <span class="spinner spinner-small" aria-hidden="true" />{t('booking.details.nextStepLoading')}
        </Match>
        <Match when={step.data?.status === 'step' && step.data.nextStep}>
          {(next) => next().kind === 'reminder'
            ? t('booking.details.nextReminder', { at: formatAppointment(next().at, props.timeZone) })
            : t('booking.details.nextFulfilment', { at: formatAppointment(next().at, props.timeZone) })}
        </Match>
        <Match when={step.isError || step.data?.status === 'unavailable'}>{t('booking.details.nextStepUnavailable')}</Match>
        {/* Demo or imported bookings have no lifecycle: say that nothing will be sent, rather than nothing at all. */}
        <Match when={step.data?.status === 'none'}>{t('booking.details.nextStepNone')}</Match>
      </Switch>
    </span>
  );
}

function CancelBookingDialog(props: { booking: BookingDetails; onClose: () => void; onCancelled: (m: () => string) => void; returnFocus?: () => HTMLElement | null | undefined }) {
  const [reason, setReason] = createSignal('');
  const [missing, setMissing] = createSignal(false);
  const cancel = useMutation(() => ({
    mutationFn: () => trpc.bookings.cancel.mutate({ bookingId: props.booking.id, reason: reason().trim() }),
    onSuccess: () => {
      const when = formatAppointment(props.booking.startsAt, props.booking.timeZone);
      props.onCancelled(() => t('booking.notice.cancelled', { when }));
    },
  }));
  const reasonError = () => (missing() ? t('bookings.reason_required') : cancel.error ? toUiError(cancel.error).fieldErrors.reason : undefined);
  return (
    <ConfirmDialog id="cancel-booking" title={t('booking.cancel.title')} confirmLabel={t('booking.cancel.confirm')}
      pendingLabel={t('booking.cancel.pending')} danger pending={cancel.isPending} error={cancel.error}
      onClose={props.onClose} returnFocus={props.returnFocus}
      onConfirm={() => {
        if (reason().trim() === '') { setMissing(true); document.getElementById('cancel-reason')?.focus(); return; }
        setMissing(false);
        cancel.mutate();
      }}>
      <p>{t('booking.cancel.text', {
        service: props.booking.serviceName, when: formatAppointment(props.booking.startsAt, props.booking.timeZone),
        patient: props.booking.patient?.name ?? '—',
      })}</p>
      <Field id="cancel-reason" label={t('booking.field.reason')} error={reasonError()}>
        <textarea {...fieldAria('cancel-reason', undefined, reasonError())} rows={3} maxLength={500} required
          value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
      </Field>
    </ConfirmDialog>
  );
}
