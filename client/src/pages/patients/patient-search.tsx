/**
 * The patient search shared by the booking dialog and the Patients page (both on bookings.searchPatients): the typed
 * text becomes the query after a short pause, nothing is searched below three characters (a search, never a list), and
 * the results area says, in a polite live region, which state the search is in — not yet searched, searching, failed,
 * nothing found, or how many were found followed by the hits. Each screen renders one hit itself (a radio to pick in
 * the dialog, a button to open the patient on the page) and keeps its own query (key, freshness).
 */
import { createEffect, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { toUiError } from '../../trpc';
import type { PatientHit } from '../bookings/booking-api';

/** The server searches from this many characters on. */
export const MIN_QUERY_LENGTH = 3;
const SEARCH_DELAY_MS = 300;

/** The search field's text and the query it settles into after a pause, so that not every keystroke is a request. */
export function createPatientQuery() {
  const [text, setText] = createSignal('');
  const [query, setQuery] = createSignal('');
  createEffect(on(text, (value) => {
    const timer = setTimeout(() => setQuery(value.trim()), SEARCH_DELAY_MS);
    onCleanup(() => clearTimeout(timer));
  }, { defer: true }));
  return { text, setText, query, searchable: () => query().length >= MIN_QUERY_LENGTH };
}

export interface PatientSearchResultsProps {
  /** The settled query; below MIN_QUERY_LENGTH characters `idle` is shown instead of results. */
  query: string;
  search: { isPending: boolean; isError: boolean; error: unknown; data?: { patients: PatientHit[] } };
  /** What the area says before a search (may be nothing). */
  idle: JSX.Element;
  noResults: string;
  resultCount: (count: number) => string;
  /** The hits' list: its class, accessible name and, for a pick-one list, role="radiogroup". */
  list: { class: string; label: string; role?: 'radiogroup' };
  /** One hit, as a list item. */
  children: (hit: PatientHit) => JSX.Element;
}

export function PatientSearchResults(props: PatientSearchResultsProps) {
  const hits = () => props.search.data?.patients ?? [];
  return (
    <div aria-live="polite" class="patient-results">
      <Show when={props.query.length >= MIN_QUERY_LENGTH} fallback={props.idle}>
        <Show when={!props.search.isPending} fallback={<p class="muted">{t('booking.patient.searching')}</p>}>
          <Show when={!props.search.isError} fallback={<p class="field-error">{toUiError(props.search.error).message}</p>}>
            <Show when={hits().length > 0} fallback={<p>{props.noResults}</p>}>
              <p class="muted">{props.resultCount(hits().length)}</p>
              <ul class={props.list.class} role={props.list.role} aria-label={props.list.label}>
                <For each={hits()}>{(hit) => props.children(hit)}</For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Show>
    </div>
  );
}
