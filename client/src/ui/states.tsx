/**
 * Shared page states: loading, error (with a retry button), empty, not permitted, in preparation, and notices.
 * Each explains itself in words; loading and notices are announced politely, errors assertively.
 */
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import { toUiError } from '../trpc';

export function Loading(props: { label?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {props.label ?? t('common.loading')}
    </p>
  );
}

export function ErrorState(props: { message: string; detail?: string; onRetry?: () => void; retrying?: boolean }) {
  return (
    <div class="state state-error" role="alert">
      <p class="state-title">{props.message}</p>
      <Show when={props.detail && props.detail !== props.message}><p>{props.detail}</p></Show>
      <Show when={props.onRetry}>
        <button type="button" class="button" onClick={() => props.onRetry?.()} disabled={props.retrying}>
          {props.retrying ? t('common.loading') : t('common.retry')}
        </button>
      </Show>
    </div>
  );
}

/** The error state of a failed query: its message as detail, and a retry that refetches it. */
export function QueryErrorState(props: { message: string; query: { error: unknown; refetch: () => unknown; isFetching: boolean } }) {
  return (
    <ErrorState message={props.message} detail={toUiError(props.query.error).message}
      onRetry={() => void props.query.refetch()} retrying={props.query.isFetching} />
  );
}

export function EmptyState(props: { children: JSX.Element }) {
  return <div class="state state-empty"><p>{props.children}</p></div>;
}

export type NoticeTone = 'success' | 'info' | 'error';

/** A message above the content. Success and info are polite status messages; errors are alerts. */
export function Notice(props: { tone: NoticeTone; children: JSX.Element; onDismiss?: () => void }) {
  return (
    <div class={`notice notice-${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      <p>{props.children}</p>
      <Show when={props.onDismiss}>
        <button type="button" class="button button-quiet button-small" onClick={() => props.onDismiss?.()}>
          {t('common.dismiss')}
        </button>
      </Show>
    </div>
  );
}
