/**
 * The API client: a vanilla tRPC client on the same origin (the session cookie travels automatically), the shared
 * TanStack QueryClient, and the translation of API errors into texts for the user.
 *
 * Only the router's TYPE is imported from the server; the client never imports server code.
 * When a query fails because the session has ended, the registered handler (set up in main.tsx, where the router's
 * navigate is available) sends the user to the sign-in page with the message "Your session has ended".
 */
import { createTRPCClient, httpBatchLink, httpLink, splitLink, TRPCClientError } from '@trpc/client';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/solid-query';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/router';
import { formatDateTime, t, tKey, type Params } from './i18n';

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type Me = NonNullable<RouterOutputs['auth']['me']>;

/** Calls that wait for Temporal (a workflow query): never batched, so that they hold up no other answer. */
const UNBATCHED = new Set(['bookings.workflowStep']);

export const trpc = createTRPCClient<AppRouter>({
  links: [splitLink({
    condition: (op) => UNBATCHED.has(op.path),
    true: httpLink({ url: '/trpc' }),
    // maxItems: the server refuses batches of more than 10 calls (MAX_BATCH_SIZE in server/app.ts).
    false: httpBatchLink({ url: '/trpc', maxItems: 10 }),
  })],
});

/** What the server puts in `error.data` (see errorFormatter in server/trpc.ts). */
interface ErrorData {
  code?: string;
  httpStatus?: number;
  key?: string;
  params?: Record<string, string | number>;
  fieldErrors?: Record<string, { key: string; message: string }[]>;
}

function errorData(err: unknown): ErrorData | undefined {
  if (err instanceof TRPCClientError && err.data && typeof err.data === 'object') return err.data as ErrorData;
  return undefined;
}

/** The tRPC error code ('UNAUTHORIZED', 'FORBIDDEN', ...) of an error, if it came from the API. */
export function errorCode(err: unknown): string | undefined {
  return errorData(err)?.code;
}

/** The i18n key of an API error, if the server sent one. */
export function errorKey(err: unknown): string | undefined {
  return errorData(err)?.key;
}

/** An error as the UI shows it: one general message and at most one message per input field. */
export interface UiError {
  message: string;
  fieldErrors: Record<string, string>;
  key?: string;
  code?: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Parameters for display: ISO times (e.g. `until` of auth.locked) become local date-times. */
function displayParams(params: ErrorData['params']): Params | undefined {
  if (!params) return undefined;
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] = typeof value === 'string' && ISO_DATE_TIME.test(value) ? formatDateTime(value) : value;
  }
  return out;
}

/** Turns any error of an API call into translated texts (reactive on the locale when called inside JSX). */
export function toUiError(err: unknown): UiError {
  const data = errorData(err);
  if (!(err instanceof TRPCClientError) || !data) {
    // No structured answer: the network failed, or something answered that is not our API.
    const offline = err instanceof TypeError || (err instanceof TRPCClientError && err.cause instanceof TypeError)
      || (err instanceof Error && /fetch|network/i.test(err.message));
    return { message: t(offline ? 'error.network' : 'error.internal'), fieldErrors: {} };
  }
  const fieldErrors: Record<string, string> = {};
  for (const [field, errors] of Object.entries(data.fieldErrors ?? {})) {
    const first = errors[0];
    if (first) fieldErrors[field] = tKey(first.key, undefined, first.message);
  }
  const message = data.key
    ? tKey(data.key, displayParams(data.params), err.message)
    : Object.keys(fieldErrors).length > 0 ? t('error.check_fields')
    : data.code === 'INTERNAL_SERVER_ERROR' ? t('error.internal')
    : err.message || t('error.internal');
  return { message, fieldErrors, key: data.key, code: data.code };
}

/**
 * The message to show above a form: "Check the highlighted fields" when every field error is shown next to one of
 * the form's fields, otherwise the error's own message.
 */
export function formMessage(error: UiError, formFields: readonly string[]): string {
  const fields = Object.keys(error.fieldErrors);
  if (fields.length > 0 && fields.every((f) => formFields.includes(f))) return t('error.check_fields');
  return error.message;
}

let sessionEndedHandler: (() => void) | null = null;

/** Registers what happens when the API says the session has ended (main.tsx: go to the sign-in page). */
export function onSessionEnded(handler: () => void): () => void {
  sessionEndedHandler = handler;
  return () => { if (sessionEndedHandler === handler) sessionEndedHandler = null; };
}

function isClientError(err: unknown): boolean {
  const status = errorData(err)?.httpStatus;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError(err) {
      if (errorCode(err) === 'UNAUTHORIZED') sessionEndedHandler?.();
    },
  }),
  mutationCache: new MutationCache({
    onError(err) {
      // Not every UNAUTHORIZED mutation means that: a failed sign-in is UNAUTHORIZED too.
      if (errorKey(err) === 'auth.signed_out') sessionEndedHandler?.();
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Retrying does not help when the server refused the request; it may when the network hiccupped.
      retry: (failures, err) => !isClientError(err) && failures < 2,
    },
    mutations: { retry: false },
  },
});
