/**
 * The app shell around every signed-in page: it requires a signed-in user (else it sends the visitor to the sign-in
 * page and back afterwards), shows the header (product, user and organisation, language, sign out) and the left
 * navigation for the user's organisation type and role, and hands the user to the pages through CurrentUserContext.
 */
import { createEffect, createMemo, For, Match, on, Show, Switch, type JSX } from 'solid-js';
import { A, Navigate, useLocation, useNavigate } from '@solidjs/router';
import { useMutation } from '@tanstack/solid-query';
import { CurrentUserContext, signInPath, useCurrentUser, useMe } from './auth';
import { adoptUserLocale, setTimeZone, t, type MessageKey } from './i18n';
import { queryClient, trpc, type Me } from './trpc';
import { LanguageSelect } from './ui/language-select';
import { modalOpen } from './ui/modal';
import { Loading, QueryErrorState } from './ui/states';
import { ForbiddenPage, InPreparationPage } from './ui/page';
import { useInvitations } from './pages/partner-portal/portal-data';

interface NavItem {
  href: string; label: MessageKey; adminOnly?: boolean; bookerOnly?: boolean;
  /** For an administrator or a "Can book to partner institution" holder (the partner side of the reports). */
  reporterOnly?: boolean;
  /** Shown only while there is something in it (an institution's invitations received from other institutions). */
  onlyWhenInvitations?: boolean;
}

const INSTITUTION_NAV: NavItem[] = [
  { href: '/partners', label: 'nav.partners', adminOnly: true },
  { href: '/traffic-channels', label: 'nav.trafficChannels', adminOnly: true },
  { href: '/catalogue', label: 'nav.catalogue', adminOnly: true },
  { href: '/bookings', label: 'nav.bookings' },
  { href: '/users', label: 'nav.adminUsers', adminOnly: true },
  { href: '/book', label: 'nav.book' },
  // An institution that is itself another institution's partner: its bookers' own bookings there.
  { href: '/my-bookings', label: 'nav.myBookings', bookerOnly: true },
  { href: '/statistics', label: 'nav.statistics' },
  { href: '/partner-statistics', label: 'nav.partnerStatistics' },
  { href: '/settlements', label: 'nav.settlements', adminOnly: true },
  // The statements other institutions issued to this one as their partner (an institution can be a partner too).
  { href: '/settlement-statements', label: 'nav.settlementStatements', adminOnly: true },
  // An institution can itself be invited as another institution's partner; its administrators answer here. Named for
  // what it holds (the invitations it sent are its partners), and shown only when it holds something.
  { href: '/invitations', label: 'nav.invitationsReceived', adminOnly: true, onlyWhenInvitations: true },
  // Patient data rights: export everything stored about a patient, or erase the patient.
  { href: '/patients', label: 'nav.patients', adminOnly: true },
  { href: '/audit', label: 'nav.audit', adminOnly: true },
];

const PARTNER_NAV: NavItem[] = [
  { href: '/book', label: 'nav.book' },
  { href: '/my-bookings', label: 'nav.myBookings' },
  { href: '/institutions', label: 'nav.institutions' },
  // The same name as the institution's report; here: the partner's own bookings per institution.
  { href: '/partner-statistics', label: 'nav.partnerStatistics', reporterOnly: true },
  { href: '/settlement-statements', label: 'nav.settlementStatements', adminOnly: true },
  { href: '/invitations', label: 'nav.invitations', adminOnly: true },
  { href: '/users', label: 'nav.users', adminOnly: true },
];

export function navItems(me: Me): NavItem[] {
  const items = me.organisation.isInstitution ? INSTITUTION_NAV : PARTNER_NAV;
  return items.filter((item) => (!item.adminOnly || me.role === 'admin') && (!item.bookerOnly || me.canBookPartner)
    && (!item.reporterOnly || me.role === 'admin' || me.canBookPartner));
}

/** The title of the users page for this user's organisation type (the same words as its navigation link). */
export function usersPageTitle(me: Me): string {
  return t(me.organisation.isInstitution ? 'nav.adminUsers' : 'nav.users');
}

export function AppShell(props: { children?: JSX.Element }) {
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  let hadUser = false;

  // Sends the visitor to sign in when there is no session (or it has just ended), then back to this page.
  createEffect(on(() => me.data, (user) => {
    if (user) {
      hadUser = true;
      adoptUserLocale(user.locale);
      setTimeZone(user.organisation.timeZone); // times are shown in the organisation's time zone
    } else if (user === null) {
      const here = location.pathname + location.search;
      navigate(signInPath(here, hadUser ? 'signed_out' : undefined), { replace: true });
    }
  }));

  return (
    <Switch>
      <Match when={me.data}>
        {(user) => (
          <CurrentUserContext.Provider value={user}>
            <Layout>{props.children}</Layout>
          </CurrentUserContext.Provider>
        )}
      </Match>
      <Match when={me.isError && !me.data}>
        <main id="main" class="page-center" tabindex="-1">
          <QueryErrorState message={t('error.load_failed')} query={me} />
        </main>
      </Match>
      <Match when={true}>
        <main id="main" class="page-center" tabindex="-1">
          <Loading label={t('shell.checkingSession')} />
        </main>
      </Match>
    </Switch>
  );
}

function Layout(props: { children?: JSX.Element }) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const location = useLocation();
  const received = useInvitations(() => me().organisation.isInstitution && me().role === 'admin');
  // Kept while its page is open, so answering the last invitation does not pull the link from under the user.
  const showItem = (item: NavItem) => !item.onlyWhenInvitations || location.pathname === item.href
    || (received.data?.invitations.length ?? 0) > 0;

  const signOut = useMutation(() => ({
    mutationFn: () => trpc.auth.signOut.mutate(),
    onSettled: () => {
      // Whatever the answer, show the sign-in page, then forget the user's data (once no page shows it any more).
      navigate('/sign-in', { replace: true });
      setTimeout(() => queryClient.clear(), 0);
    },
  }));

  const skipToMain = (event: MouseEvent) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };

  return (
    <div class="app" inert={modalOpen()} aria-hidden={modalOpen() ? 'true' : undefined}>
      <a class="skip-link" href="#main" onClick={skipToMain}>{t('shell.skipToContent')}</a>
      <header class="app-header">
        <A href="/" class="brand">{t('app.name')}</A>
        <div class="header-tools">
          <div class="account" aria-label={t('shell.account')} role="group">
            <span class="account-name">{me().name}</span>
            <span class="account-org">{me().organisation.name}</span>
          </div>
          <LanguageSelect signedIn />
          <button type="button" class="button button-quiet" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            {signOut.isPending ? t('shell.signingOut') : t('shell.signOut')}
          </button>
        </div>
      </header>
      <div class="app-body">
        <nav class="app-nav" aria-label={t('shell.mainNav')}>
          <ul>
            <For each={navItems(me()).filter(showItem)}>
              {(item) => <li><A href={item.href}>{t(item.label)}</A></li>}
            </For>
          </ul>
        </nav>
        <main id="main" class="app-main" tabindex="-1">
          {props.children}
        </main>
      </div>
    </div>
  );
}

/**
 * `/`: an institution's administrators start at the users page, a partner's administrators at My institutions
 * (where a new partner also finds the way to its invitations), everyone else at "Book to partner".
 */
export function HomeRedirect() {
  const me = useCurrentUser();
  const start = me().role !== 'admin'
    ? (me().organisation.isInstitution && !me().canBookPartner ? '/bookings' : '/book')
    : me().organisation.isInstitution ? '/users' : '/institutions';
  return <Navigate href={start} />;
}

/** A navigation entry whose screen is not built yet; users outside its audience see "no permission". */
export function PlaceholderRoute(props: { title: MessageKey; audience: 'institution' | 'partner' | 'all' }) {
  const me = useCurrentUser();
  const allowed = createMemo(() => props.audience === 'all'
    || (props.audience === 'institution') === me().organisation.isInstitution);
  return (
    <Show when={allowed()} fallback={<ForbiddenPage title={() => t(props.title)} />}>
      <InPreparationPage title={() => t(props.title)} />
    </Show>
  );
}
