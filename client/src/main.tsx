/**
 * Entry point of the browser client: the query client, the routes, and what happens when the session ends while the
 * user works (back to the sign-in page with "Your session has ended", returning to the same page afterwards).
 */
import { render } from 'solid-js/web';
import { lazy, onCleanup, type JSX } from 'solid-js';
import { Route, Router, useLocation, useNavigate } from '@solidjs/router';
import { QueryClientProvider } from '@tanstack/solid-query';
import { queryClient, onSessionEnded } from './trpc';
import { signInPath } from './auth';
import { AppShell, HomeRedirect } from './shell';
import { SignInPage } from './pages/sign-in';
import { SetPasswordPage } from './pages/set-password';
import { ForgotPasswordPage } from './pages/forgot-password';
import { ResetPasswordPage } from './pages/reset-password';
import { UsersPage } from './pages/users/users-page';
import { PartnersPage } from './pages/partners/partners-list-page';
import { PartnerNewPage } from './pages/partners/partner-new-page';
import { PartnerDetailPage } from './pages/partners/partner-detail-page';
import { PartnerEditPage } from './pages/partners/partner-edit-page';
import { InvitationsPage } from './pages/partner-portal/invitations-page';
import { InstitutionsPage } from './pages/partner-portal/institutions-page';
import { PartnerRegistrationPage } from './pages/partner-portal/partner-registration';
import { TrafficChannelsPage } from './pages/traffic-channels/traffic-channels-page';
import { CataloguePage } from './pages/catalogue/catalogue-page';
import { PhysicianSchedulePage } from './pages/catalogue/schedule-page';
import { AuditPage } from './pages/audit/audit-page';
import { PatientsPage } from './pages/patients/patients-page';
import { BookPage } from './pages/bookings/book-page';
import { MyBookingsPage } from './pages/bookings/my-bookings-page';
import { InstitutionBookingsPage } from './pages/bookings/institution-bookings-page';
import { BookingDetailsPage } from './pages/bookings/booking-details';
import { CancelBookingPage } from './pages/cancel-booking';
// The reports carry the table and chart libraries: loaded when first opened, not with every page.
const StatisticsPage = lazy(() => import('./pages/reports/statistics-page').then((m) => ({ default: m.StatisticsPage })));
const PartnerStatisticsPage = lazy(() => import('./pages/reports/partner-submitted-page').then((m) => ({ default: m.PartnerStatisticsPage })));
const SettlementsPage = lazy(() => import('./pages/settlements/settlements-page').then((m) => ({ default: m.SettlementsPage })));
const InstitutionStatementPage = lazy(() => import('./pages/settlements/statement-page').then((m) => ({ default: m.InstitutionStatementPage })));
const StatementLinkPage = lazy(() => import('./pages/settlements/statement-page').then((m) => ({ default: m.StatementLinkPage })));
const PartnerStatementsPage = lazy(() => import('./pages/settlements/partner-statements-page').then((m) => ({ default: m.PartnerStatementsPage })));
import { NotFoundPage } from './ui/page';
import './styles.css';

const PUBLIC_PATHS = ['/sign-in', '/set-password', '/forgot-password', '/reset-password', '/partner-registration', '/cancel-booking'];

function Root(props: { children?: JSX.Element }) {
  const navigate = useNavigate();
  const location = useLocation();

  onCleanup(onSessionEnded(() => {
    if (PUBLIC_PATHS.includes(location.pathname)) return;
    navigate(signInPath(location.pathname + location.search, 'signed_out'), { replace: true });
    // Forget the previous user's data once the pages that showed it are gone.
    setTimeout(() => queryClient.clear(), 0);
  }));

  return <>{props.children}</>;
}

function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Router root={Root}>
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/set-password" component={SetPasswordPage} />
        <Route path="/forgot-password" component={ForgotPasswordPage} />
        <Route path="/reset-password" component={ResetPasswordPage} />
        <Route path="/partner-registration" component={PartnerRegistrationPage} />
        <Route path="/cancel-booking" component={CancelBookingPage} />
        <Route path="/" component={AppShell}>
          <Route path="/" component={HomeRedirect} />
          <Route path="/users" component={UsersPage} />
          <Route path="/partners" component={PartnersPage} />
          <Route path="/partners/new" component={PartnerNewPage} />
          <Route path="/partners/:id" component={PartnerDetailPage} />
          <Route path="/partners/:id/edit" component={PartnerEditPage} />
          <Route path="/invitations" component={InvitationsPage} />
          <Route path="/institutions" component={InstitutionsPage} />
          <Route path="/traffic-channels" component={TrafficChannelsPage} />
          <Route path="/catalogue" component={CataloguePage} />
          <Route path="/catalogue/physicians/:id/schedule" component={PhysicianSchedulePage} />
          <Route path="/audit" component={AuditPage} />
          <Route path="/patients" component={PatientsPage} />
          <Route path="/book" component={BookPage} />
          <Route path="/bookings" component={InstitutionBookingsPage} />
          <Route path="/bookings/:id" component={BookingDetailsPage} />
          <Route path="/statistics" component={StatisticsPage} />
          <Route path="/partner-statistics" component={PartnerStatisticsPage} />
          <Route path="/settlements" component={SettlementsPage} />
          <Route path="/settlements/statements/:id" component={InstitutionStatementPage} />
          <Route path="/settlement-statements" component={PartnerStatementsPage} />
          <Route path="/settlement-statements/:id" component={StatementLinkPage} />
          <Route path="/my-bookings" component={MyBookingsPage} />
          <Route path="*" component={NotFoundPage} />
        </Route>
      </Router>
    </QueryClientProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');
render(() => <App />, root);
