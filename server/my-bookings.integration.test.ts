/**
 * A partner's "My bookings" (bookings.myBookings) over HTTP: upcoming = not ended yet (one that started and still runs
 * included), past = ended, only the caller organisation's bookings at other institutions, soonest first / latest
 * first, paged, with the total — checked against the definition written out as a plain query over all bookings. The
 * procedure reads a start-bounded range of bookings_booked_by_org_start_idx and joins the names for the page only
 * (bench/load.ts found the former query scanning the whole table); this test keeps the answers the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, desc, eq, gte, lt, ne } from 'drizzle-orm';
import { DEMO, signIn, startHarness, type Browser, type Harness } from '../test/harness';
import { bookings, locations, organisations, physicianLocations, physicians, services, users } from '../db/schema';

let h: Harness;
let booker: Browser;
let someșId: number;
const now = Date.now();
const MIN = 60_000;
const inserted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  const { db } = h.database;
  // Clinica Someș's reception books at Centrul Medical Napoca (Someș is Napoca's partner, db/seed.ts).
  const [staff] = await db.select().from(users).where(eq(users.email, DEMO.staff.email));
  someșId = staff.organisationId;
  const [napoca] = await db.select().from(organisations).where(eq(organisations.name, 'Centrul Medical Napoca SRL'));
  const [loc] = await db.select().from(locations).where(eq(locations.organisationId, napoca.id)).limit(1);
  const [svc] = await db.select().from(services).where(eq(services.organisationId, napoca.id)).limit(1);
  const [ownLoc] = await db.select().from(locations).where(eq(locations.organisationId, someșId)).limit(1);
  const [ownSvc] = await db.select().from(services).where(eq(services.organisationId, someșId)).limit(1);
  // Physicians of our own, so that these rows never overlap the demo bookings.
  const [doc] = await db.insert(physicians).values({ organisationId: napoca.id, name: 'Dr. My Bookings' }).$returningId();
  await db.insert(physicianLocations).values({ physicianId: doc.id, locationId: loc.id });
  const [ownDoc] = await db.insert(physicians).values({ organisationId: someșId, name: 'Dr. Own Bookings' }).$returningId();
  const row = (startMin: number, minutes: number, over: Partial<typeof bookings.$inferInsert> = {}) => ({
    institutionId: napoca.id, locationId: loc.id, physicianId: doc.id, serviceId: svc.id, startsAt: new Date(now + startMin * MIN),
    endsAt: new Date(now + (startMin + minutes) * MIN), sourceChannel: 'partner' as const, bookedByUserId: staff.id,
    bookedByOrganisationId: someșId, priceMinor: 10_000, currency: 'RON', ...over,
  });
  const add = async (name: string, values: typeof bookings.$inferInsert) => { inserted[name] = (await db.insert(bookings).values(values).$returningId())[0].id; };
  await add('running', row(-120, 180)); // started two hours ago, ends in an hour: still upcoming
  await add('longRunning', row(-590, 595)); // started almost the longest booking ago, ends in 5 minutes
  await add('soon', row(3 * 24 * 60, 30));
  await add('justEnded', row(-31, 30)); // ended a minute ago: past
  await add('lastYear', row(-365 * 24 * 60, 30));
  await add('cancelledAhead', row(5 * 24 * 60, 30, { status: 'cancelled', cancelledAt: new Date() }));
  // Someș's own booking at Someș (not a partner booking) and another organisation's booking at Napoca: never listed.
  await add('own', row(24 * 60, 30, { institutionId: someșId, locationId: ownLoc.id, physicianId: ownDoc.id, serviceId: ownSvc.id, sourceChannel: 'phone' }));
  const [medplusBooker] = await db.select().from(users).where(eq(users.email, DEMO.partnerBooker.email));
  await add('otherOrg', row(2 * 24 * 60, 30, { bookedByUserId: medplusBooker.id, bookedByOrganisationId: medplusBooker.organisationId }));
  booker = h.browser();
  await signIn(booker, DEMO.staff.email, DEMO.staff.password);
});
afterAll(async () => { await h?.close(); });

/** The definition, as a plain query over all bookings (no index tricks): the oracle for the procedure's answers. */
async function expected(scope: 'upcoming' | 'past') {
  const at = new Date();
  const rows = await h.database.db.select({ id: bookings.id, startsAt: bookings.startsAt }).from(bookings)
    .where(and(eq(bookings.bookedByOrganisationId, someșId), ne(bookings.institutionId, someșId),
      scope === 'upcoming' ? gte(bookings.endsAt, at) : lt(bookings.endsAt, at)))
    .orderBy(scope === 'upcoming' ? asc(bookings.startsAt) : desc(bookings.startsAt), asc(bookings.id));
  return rows;
}

describe('bookings.myBookings', () => {
  it('upcoming: every booking not ended yet, the running ones included, soonest first, with the total', async () => {
    const all = await expected('upcoming');
    const page = await booker.api.bookings.myBookings.query({ scope: 'upcoming' });
    expect(page.total).toBe(all.length);
    const ids = page.items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([inserted.running, inserted.longRunning, inserted.soon, inserted.cancelledAhead]));
    expect(ids).not.toContain(inserted.justEnded);
    expect(ids).not.toContain(inserted.own);
    expect(ids).not.toContain(inserted.otherOrg);
    // Same bookings and order as the definition (equal start times may come in either order).
    expect(page.items.map((i) => i.startsAt)).toEqual(all.slice(0, page.pageSize).map((r) => r.startsAt.toISOString()));
    expect(new Set(ids)).toEqual(new Set(all.slice(0, page.pageSize).map((r) => r.id)));
    const running = page.items.find((i) => i.id === inserted.running)!;
    expect(running).toMatchObject({ institutionName: 'Centrul Medical Napoca SRL', physicianName: 'Dr. My Bookings', status: 'booked' });
  });

  it('past: every ended booking, latest first, paged without overlap, with the total', async () => {
    const all = await expected('past');
    expect(all.length).toBeGreaterThan(25); // the demo data and this file's rows fill more than one page
    const first = await booker.api.bookings.myBookings.query({ scope: 'past' });
    const second = await booker.api.bookings.myBookings.query({ scope: 'past', page: 2 });
    expect(first.total).toBe(all.length);
    expect(second.total).toBe(all.length);
    const seen = [...first.items, ...second.items];
    expect(new Set(seen.map((i) => i.id)).size).toBe(seen.length);
    expect(seen.map((i) => i.startsAt)).toEqual(all.slice(0, seen.length).map((r) => r.startsAt.toISOString()));
    expect(seen.map((i) => i.id)).toContain(inserted.justEnded); // ended a minute ago: among the latest
    expect(seen.map((i) => i.id)).not.toContain(inserted.running);
    expect(seen.map((i) => i.id)).not.toContain(inserted.own);
  });
});
