/**
 * The public pages opened from an emailed link with a token (set password, partner registration): reading the token
 * from the address and asking the server what the link is for (useLinkInspection), and the page around the form of a
 * valid link (LinkStatePage): "checking the link", the error of a failed check with Retry, or — for a link that is
 * expired, used, replaced or unknown, also when it stops working while the page is open — a full page saying so,
 * whose heading gets the focus.
 */
import { createSignal, Match, onMount, Switch, type JSX } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { useQuery } from '@tanstack/solid-query';
import { t, type MessageKey } from '../i18n';
import { errorKey } from '../trpc';
import { usePageTitle } from './page';
import { PublicPage } from './public-page';
import { Loading, QueryErrorState } from './states';

/** The title and the text of the page for a link that cannot be used. */
export interface UnusableLinkText { title: MessageKey; text: MessageKey }

/** The states in which an invitation link cannot be used, as every such link has them. */
export const INVITATION_UNUSABLE = {
  invalid: { title: 'invitation.title.invalid', text: 'invitation.invalid' },
  expired: { title: 'invitation.title.expired', text: 'invitation.expired' },
  used: { title: 'invitation.title.used', text: 'invitation.used' },
  revoked: { title: 'invitation.title.revoked', text: 'invitation.revoked' },
} as const satisfies Record<string, UnusableLinkText>;

/** The states of a link whose server answer is T in which it cannot be used (a missing token is 'invalid'). */
export type UnusableState<T extends { state: string }> = Exclude<T['state'] | 'invalid', 'valid'>;

/** The token of the address, what the server says about it (`inspect`), and the link's state. */
export function useLinkInspection<T extends { state: string }>(queryKey: readonly string[], inspect: (token: string) => Promise<T>) {
  type Unusable = UnusableState<T>;
  const [search] = useSearchParams<{ token?: string }>();
  const token = () => (Array.isArray(search.token) ? search.token[0] : search.token) ?? '';

  const inspection = useQuery(() => ({
    queryKey: [...queryKey, token()],
    queryFn: () => inspect(token()),
    enabled: token() !== '',
    retry: false,
    staleTime: Infinity,
  }));

  // A link can stop working between opening the page and submitting it; the server then says why.
  const [lateState, setLateState] = createSignal<Unusable | null>(null);

  const state = (): T['state'] | Unusable | 'loading' | 'error' => {
    if (lateState()) return lateState()!;
    if (token() === '') return 'invalid';
    if (inspection.isPending) return 'loading';
    if (inspection.isError) return errorKey(inspection.error) === 'invitation.invalid' ? 'invalid' : 'error';
    return inspection.data?.state ?? 'invalid';
  };

  return { token, inspection, state, setLateState };
}

export type LinkInspection<T extends { state: string }> = ReturnType<typeof useLinkInspection<T>>;

export function LinkStatePage<T extends { state: string }>(props: {
  link: LinkInspection<T>;
  /** The page's title while the link is checked, when it is valid, and when it could not be checked. */
  title: string;
  checkingLabel: string;
  unusable: Record<UnusableState<T>, UnusableLinkText>;
  wide?: boolean;
  /** The page of a valid link. */
  children: JSX.Element;
}) {
  const state = () => props.link.state();
  usePageTitle(() => {
    const s = state();
    return s === 'valid' || s === 'loading' || s === 'error' ? props.title : t(props.unusable[s as UnusableState<T>].title);
  });

  return (
    <PublicPage wide={props.wide}>
      <Switch>
        <Match when={state() === 'loading'}>
          <Loading label={props.checkingLabel} />
        </Match>
        <Match when={state() === 'error'}>
          <h1>{props.title}</h1>
          <QueryErrorState message={t('error.load_failed')} query={props.link.inspection} />
        </Match>
        <Match when={state() === 'valid'}>
          {props.children}
        </Match>
        <Match when={state() !== 'valid'}>
          <UnusableLink text={props.unusable[state() as UnusableState<T>]} />
        </Match>
      </Switch>
    </PublicPage>
  );
}

function UnusableLink(props: { text: UnusableLinkText }) {
  let heading!: HTMLHeadingElement;
  onMount(() => heading.focus());
  return (
    <div class="unusable-link">
      <h1 ref={heading} tabindex="-1">{t(props.text.title)}</h1>
      <p>{t(props.text.text)}</p>
      <p><A href="/sign-in" class="button button-primary">{t('setPassword.goToSignIn')}</A></p>
    </div>
  );
}
