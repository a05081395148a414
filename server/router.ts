/** The root router: one router per feature. The client imports only the AppRouter type. */
import { router } from './trpc';
import { authRouter } from './routers/auth';
import { usersRouter } from './routers/users';
import { partnersRouter } from './routers/partners';
import { partnerPortalRouter } from './routers/partner-portal';
import { catalogueRouter } from './routers/catalogue';
import { trafficChannelsRouter } from './routers/traffic-channels';
import { auditRouter } from './routers/audit';
import { bookingsRouter } from './routers/bookings';
import { settlementsRouter } from './routers/settlements';
import { statisticsRouter } from './routers/statistics';
import { patientsRouter } from './routers/patients';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  partners: partnersRouter,
  partnerPortal: partnerPortalRouter,
  catalogue: catalogueRouter,
  trafficChannels: trafficChannelsRouter,
  audit: auditRouter,
  bookings: bookingsRouter,
  settlements: settlementsRouter,
  statistics: statisticsRouter,
  patients: patientsRouter,
});

export type AppRouter = typeof appRouter;
