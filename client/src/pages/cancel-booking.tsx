/**
 * The patient's cancel page (/cancel-booking?token=...), opened from the booking confirmation email without signing
 * in: the appointment on the location's clock, and Cancel with an optional reason — or why it cannot be cancelled
 * here (the online cancellation window has passed, it is already cancelled, the link is not valid). The language is
 * the browser's, with the usual switch.
 */
import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { useMutation, useQuery } from '@tanstack/solid-query';
import { t } from '../i18n';
import { errorKey, toUiError, trpc } from '../trpc';
import { Field, fieldAria } from '../ui/field';
import { usePageTitle } from '../ui/page';
import { PublicPage } from '../ui/public-page';
import { Loading, Notice, QueryErrorState } from '../ui/states';
import { formatAppointment } from './bookings/booking-format';

export function CancelBookingPage() {
  usePageTitle(() => t('cancelLink.title'));
  const [search] = useSearchParams<{ token?: string }>();
  const token = () => (Array.isArray(search.token) ? search.token[0] : search.token) ?? '';
  const info = useQuery(() => ({
    queryKey: ['bookings', 'cancelLink', token()],
    queryFn: () => trpc.bookings.cancelLinkInfo.query({ token: token() }),
    enabled: token() !== '',
    retry: false,
    staleTime: Infinity,
  }));
  const [reason, setReason] = createSignal('');
  const [done, setDone] = createSignal(false);
  const cancel = useMutation(() => ({
    mutationFn: () => trpc.bookings.cancelByLink.mutate({ token: token(), reason: reason().trim() || undefined }),
    onSuccess: () => setDone(true),
    onError: () => void info.refetch(),
  }));

  const invalid = () => token() === '' || (info.isError && errorKey(info.error) === 'bookings.link_invalid');

  return (
    <PublicPage>
      <Switch>
        <Match when={invalid()}>
          <Heading text={t('cancelLink.invalidTitle')} />
          <p>{t('bookings.link_invalid')} {t('cancelLink.callClinic')}</p>
        </Match>
        <Match when={info.isPending}><Loading label={t('cancelLink.checking')} /></Match>
        <Match when={info.isError}>
          <h1>{t('cancelLink.title')}</h1>
          <QueryErrorState message={t('error.load_failed')} query={info} />
        </Match>
        <Match when={info.data}>
          {(a) => (
            <>
              <Show when={done()} fallback={<Heading text={t('cancelLink.title')} />}>
                <Heading text={t('cancelLink.doneTitle')} />
                <Notice tone="success">{t('cancelLink.done')}</Notice>
              </Show>
              <dl class="summary">
                <div><dt>{t('booking.field.when')}</dt><dd>{formatAppointment(a().startsAt, a().timeZone)}</dd></div>
                <div><dt>{t('booking.field.service')}</dt><dd>{a().serviceName}</dd></div>
                <div><dt>{t('booking.field.physician')}</dt><dd>{a().physicianName}</dd></div>
                <div><dt>{t('booking.field.institution')}</dt><dd>{a().institutionName}</dd></div>
                <div><dt>{t('booking.field.location')}</dt><dd>{a().locationName}</dd></div>
              </dl>
              <Show when={!done()}>
                <Switch>
                  <Match when={a().status === 'cancelled'}>
                    <Notice tone="info">{t('bookings.already_cancelled')}</Notice>
                  </Match>
                  <Match when={!a().cancellable}>
                    <Notice tone="info">
                      {a().status === 'booked' ? t('bookings.link_window_passed') : t('cancelLink.notCancellable')}
                    </Notice>
                  </Match>
                  <Match when={true}>
                    <p class="muted">{t('cancelLink.until', { until: formatAppointment(a().cancellableUntil, a().timeZone) })}</p>
                    <Show when={cancel.error}>{(e) => <Notice tone="error">{toUiError(e()).message}</Notice>}</Show>
                    <form class="form" noValidate onSubmit={(e) => { e.preventDefault(); if (!cancel.isPending) cancel.mutate(); }}>
                      <Field id="cancel-link-reason" label={t('cancelLink.reason')}>
                        <textarea {...fieldAria('cancel-link-reason')} rows={3} maxLength={500}
                          value={reason()} onInput={(e) => setReason(e.currentTarget.value)} />
                      </Field>
                      <div class="form-actions">
                        <button type="submit" class="button button-danger" disabled={cancel.isPending} aria-busy={cancel.isPending}>
                          {cancel.isPending ? t('booking.cancel.pending') : t('cancelLink.submit')}
                        </button>
                      </div>
                    </form>
                  </Match>
                </Switch>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </PublicPage>
  );
}

function Heading(props: { text: string }) {
  let h!: HTMLHeadingElement;
  onMount(() => h.focus());
  return <h1 ref={h} tabindex="-1">{props.text}</h1>;
}
