/**
 * Demo data: a clinic group in Cluj-Napoca with locations, physicians, schedules and services, its admin and staff
 * users, and three partner organisations. Runs only on an empty database, so running it twice never duplicates data.
 *
 * A second institution, Centrul Medical Napoca, has its own locations, physicians (some on odd/even weeks, one absence
 * and one day of extra hours in the coming weeks) and services; Clinica Someș and MedPlus are its active partners.
 * Both institutions get ~150 patients and ~3 months of past and ~4 weeks of future bookings from every source they
 * have (db/seed-bookings.ts), generated around the seeding time with a fixed-seed generator.
 *
 * Seeded bookings have NO lifecycle workflow (no workflow_outbox rows): no email ever goes to a demo patient, and
 * seeded future bookings stay 'booked' (they are not fulfilled automatically after their end).
 *
 * MedPlus is deliberately NOT a partner of Clinica Someș: the integration tests invite it there (partners, catalogue).
 * The rows of the first institution keep their ids and insert order (tests rely on them); everything new comes after.
 */
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { hashPassword } from '../server/auth/password';
import { createDatabase, DEFAULT_DATABASE_URL, type Db } from './client';
import { GTC_VERSIONS } from './gtc';
import { Temporal } from 'temporal-polyfill';
import type { Tx } from './client';
import { seedInstitutionBookings, type BookingSeedStats } from './seed-bookings';
import {
  channelServices, gtcAcceptances, gtcVersions, locations, organisations, partnershipLocations, partnerships, physicianLocations,
  physicianQualifications, physicians, qualifications, scheduleExceptions, schedules, services, users,
} from './schema';

/** The demo sign-ins, printed by the start script and listed in the README. */
export const DEMO_SIGN_INS = [
  { who: 'Institution admin (Clinica Someș)', email: 'admin@clinica-somes.ro', password: 'Somes-Admin-2026' },
  { who: 'Institution staff, can book to partner institution', email: 'receptie@clinica-somes.ro', password: 'Somes-Staff-2026' },
  { who: 'Partner admin (MedPlus Diagnostic)', email: 'admin@medplus-diagnostic.ro', password: 'MedPlus-Admin-2026' },
  { who: 'Partner booker (MedPlus Diagnostic)', email: 'programari@medplus-diagnostic.ro', password: 'MedPlus-Book-2026' },
  { who: 'Institution admin (Centrul Medical Napoca)', email: 'admin@centrul-napoca.ro', password: 'Napoca-Admin-2026' },
  { who: 'Institution staff (Centrul Medical Napoca), can book', email: 'receptie@centrul-napoca.ro', password: 'Napoca-Staff-2026' },
] as const;

const QUALIFICATIONS = ['Cardiologie', 'Dermatologie', 'Pediatrie', 'Oftalmologie', 'Ortopedie', 'Medicină internă'];

/** [qualification, name, minutes, price in RON] */
const SERVICES: [string, string, number, number][] = [
  ['Cardiologie', 'Consultație cardiologie', 30, 250], ['Cardiologie', 'EKG', 15, 100],
  ['Cardiologie', 'Ecografie cardiacă', 30, 350], ['Cardiologie', 'Holter EKG 24h', 20, 300],
  ['Dermatologie', 'Consultație dermatologie', 20, 220], ['Dermatologie', 'Dermatoscopie', 30, 280],
  ['Dermatologie', 'Excizie leziune cutanată', 45, 450],
  ['Pediatrie', 'Consultație pediatrie', 30, 200], ['Pediatrie', 'Control bilanț copil', 30, 180],
  ['Oftalmologie', 'Consultație oftalmologie', 30, 230], ['Oftalmologie', 'Examen fund de ochi', 20, 150],
  ['Oftalmologie', 'Tomografie OCT', 20, 300],
  ['Ortopedie', 'Consultație ortopedie', 30, 260], ['Ortopedie', 'Infiltrație articulară', 20, 350],
  ['Ortopedie', 'Ecografie musculo-scheletală', 30, 280],
  ['Medicină internă', 'Consultație medicină internă', 30, 200], ['Medicină internă', 'Ecografie abdominală', 30, 250],
  ['Medicină internă', 'Control rezultate analize', 15, 100], ['Medicină internă', 'Consultație nutriție', 45, 220],
  ['Cardiologie', 'Test de efort', 45, 400],
];

/** [name, qualifications, [location index, weekdays, start, end][]] */
const PHYSICIANS: [string, string[], [number, number[], string, string][]][] = [
  ['Dr. Andrei Mureșan', ['Cardiologie'], [[0, [1, 3, 5], '08:00', '14:00'], [1, [2, 4], '12:00', '18:00']]],
  ['Dr. Ioana Pop', ['Cardiologie', 'Medicină internă'], [[0, [2, 4], '09:00', '15:00']]],
  ['Dr. Mihai Rusu', ['Dermatologie'], [[1, [1, 2, 3], '10:00', '16:00'], [2, [5], '09:00', '13:00']]],
  ['Dr. Elena Dumitrescu', ['Dermatologie'], [[0, [4, 5], '13:00', '19:00']]],
  ['Dr. Cristina Moldovan', ['Pediatrie'], [[2, [1, 2, 3, 4], '08:00', '13:00']]],
  ['Dr. Radu Pavel', ['Pediatrie'], [[1, [1, 3, 5], '14:00', '20:00']]],
  ['Dr. Ana Câmpean', ['Oftalmologie'], [[0, [1, 2, 3, 4, 5], '08:00', '12:00']]],
  ['Dr. Sorin Lazăr', ['Ortopedie'], [[1, [2, 4], '08:00', '14:00'], [2, [1, 3], '14:00', '19:00']]],
  ['Dr. Gabriela Trif', ['Medicină internă'], [[2, [2, 4, 5], '09:00', '17:00']]],
  ['Dr. Vlad Crișan', ['Ortopedie', 'Medicină internă'], [[0, [1, 3], '15:00', '20:00']]],
];

const NAPOCA_QUALIFICATIONS = ['Neurologie', 'Endocrinologie', 'Obstetrică-Ginecologie', 'ORL', 'Cardiologie'];

/** Centrul Medical Napoca: [qualification, name, minutes, price in RON] */
const NAPOCA_SERVICES: [string, string, number, number][] = [
  ['Neurologie', 'Consultație neurologie', 30, 250], ['Neurologie', 'Electroencefalogramă (EEG)', 45, 300],
  ['Neurologie', 'Electromiografie (EMG)', 60, 450],
  ['Endocrinologie', 'Consultație endocrinologie', 30, 230], ['Endocrinologie', 'Ecografie tiroidiană', 20, 200],
  ['Obstetrică-Ginecologie', 'Consultație ginecologie', 30, 250], ['Obstetrică-Ginecologie', 'Ecografie transvaginală', 20, 220],
  ['Obstetrică-Ginecologie', 'Test Babeș-Papanicolau', 15, 120],
  ['ORL', 'Consultație ORL', 20, 200], ['ORL', 'Audiogramă', 30, 150],
  ['Cardiologie', 'Consultație cardiologie', 30, 270], ['Cardiologie', 'EKG', 15, 90],
];

/** [name, qualifications, [location index, weekdays, start, end, week parity][]]; ISO weeks for odd/even. */
const NAPOCA_PHYSICIANS: [string, string[], [number, number[], string, string, 'every' | 'odd' | 'even'][]][] = [
  ['Dr. Lucian Bercea', ['Neurologie'], [[0, [1, 3], '08:00', '14:00', 'every'], [2, [5], '12:00', '18:00', 'every']]],
  ['Dr. Adriana Suciu', ['Endocrinologie'], [[1, [2, 4], '09:00', '15:00', 'every'], [0, [5], '08:00', '12:00', 'odd']]],
  ['Dr. Carmen Oltean', ['Obstetrică-Ginecologie'], [[0, [2, 4], '13:00', '19:00', 'every'], [2, [1], '08:00', '14:00', 'odd'], [1, [1], '08:00', '14:00', 'even']]],
  ['Dr. Tudor Hossu', ['ORL'], [[1, [1, 3, 5], '10:00', '16:00', 'every']]],
  ['Dr. Simona Rațiu', ['Cardiologie'], [[2, [2, 3, 4], '08:00', '13:00', 'every'], [0, [6], '09:00', '13:00', 'even']]],
  ['Dr. Florin Cozma', ['Cardiologie', 'Neurologie'], [[1, [2, 4], '15:00', '20:00', 'every'], [0, [3], '14:00', '19:00', 'every']]],
];

/** Services each partner may NOT book at Centrul Medical Napoca (every other one is ticked in its column). */
const SOMES_UNTICKED = ['Electromiografie (EMG)', 'Test Babeș-Papanicolau'];
const MEDPLUS_UNTICKED = ['Electromiografie (EMG)'];

const DAY_MS = 86_400_000;

/** Centrul Medical Napoca with its catalogue, users and its two active partnerships (Clinica Someș and MedPlus). */
async function seedSecondInstitution(tx: Tx, hashes: string[], now: Date) {
  const [napoca] = await tx.insert(organisations).values({
    name: 'Centrul Medical Napoca SRL', country: 'RO', taxNumber: '41293064', registrationNumber: 'J12/3377/2019',
    address: 'Str. Observatorului 34, 400363 Cluj-Napoca, Cluj', isInstitution: true, currency: 'RON', timeZone: 'Europe/Bucharest',
  }).$returningId();
  const locationRows = [
    { name: 'Napoca Zorilor', address: 'Str. Observatorului 34, Cluj-Napoca' },
    { name: 'Napoca Mănăștur', address: 'Calea Mănăștur 68, Cluj-Napoca' },
    { name: 'Napoca Gheorgheni', address: 'Str. Alexandru Vaida Voevod 53, Cluj-Napoca' },
  ];
  const locationIds: number[] = [];
  for (const l of locationRows) {
    const [row] = await tx.insert(locations).values({ ...l, organisationId: napoca.id, timeZone: 'Europe/Bucharest' }).$returningId();
    locationIds.push(row.id);
  }
  const qualificationIds = new Map<string, number>();
  for (const name of NAPOCA_QUALIFICATIONS) {
    const [row] = await tx.insert(qualifications).values({ organisationId: napoca.id, name }).$returningId();
    qualificationIds.set(name, row.id);
  }
  await tx.insert(services).values(NAPOCA_SERVICES.map(([q, name, minutes, price]) => ({
    organisationId: napoca.id, qualificationId: qualificationIds.get(q)!, name, durationMinutes: minutes,
    priceMinor: price * 100, currency: 'RON', cancellationWindowHours: 24,
  })));
  const serviceRows = await tx.select({ id: services.id, name: services.name }).from(services).where(eq(services.organisationId, napoca.id));
  const physicianIds = new Map<string, number>();
  for (const [name, quals, rules] of NAPOCA_PHYSICIANS) {
    const [p] = await tx.insert(physicians).values({ organisationId: napoca.id, name }).$returningId();
    physicianIds.set(name, p.id);
    await tx.insert(physicianQualifications).values(quals.map((q) => ({ physicianId: p.id, qualificationId: qualificationIds.get(q)! })));
    const locs = [...new Set(rules.map((r) => r[0]))];
    await tx.insert(physicianLocations).values(locs.map((i) => ({ physicianId: p.id, locationId: locationIds[i] })));
    await tx.insert(schedules).values(rules.flatMap(([loc, days, start, end, weekParity]) => days.map((weekday) => ({
      physicianId: p.id, locationId: locationIds[loc], weekday, startTime: `${start}:00`, endTime: `${end}:00`, weekParity, validFrom: '2025-09-01',
    }))));
  }
  // Coming weeks: Dr. Hossu is away on his second Wednesday from now; Dr. Suciu works an extra Saturday morning at Mănăștur.
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('Europe/Bucharest').toPlainDate();
  const nextWeekday = (from: Temporal.PlainDate, weekday: number) => from.add({ days: ((weekday - from.dayOfWeek + 7) % 7) || 7 });
  await tx.insert(scheduleExceptions).values([
    { physicianId: physicianIds.get('Dr. Tudor Hossu')!, locationId: null, date: nextWeekday(today.add({ days: 7 }), 3).toString(), kind: 'absence' },
    { physicianId: physicianIds.get('Dr. Adriana Suciu')!, locationId: locationIds[1], date: nextWeekday(today.add({ days: 10 }), 6).toString(),
      kind: 'extra_hours', startTime: '09:00:00', endTime: '13:00:00' },
  ]);

  const [adminId, staffId] = [DEMO_SIGN_INS[4], DEMO_SIGN_INS[5]].map((s) => s.email);
  await tx.insert(users).values([
    { organisationId: napoca.id, name: 'Mirela Bota', role: 'admin', canBookPartner: true, email: adminId, passwordHash: hashes[4], status: 'active', locale: 'ro' },
    { organisationId: napoca.id, name: 'Sorina Chiorean', role: 'staff', canBookPartner: true, email: staffId, passwordHash: hashes[5], status: 'active', locale: 'ro' },
  ]);
  const byEmail = async (email: string) => (await tx.select().from(users).where(eq(users.email, email)))[0];
  const napocaAdmin = await byEmail(adminId);
  const napocaStaff = await byEmail(staffId);
  const somesAdmin = await byEmail(DEMO_SIGN_INS[0].email);
  const medplusAdmin = await byEmail(DEMO_SIGN_INS[2].email);

  // Clinica Someș: 10 % commission, patients pay at Napoca, may search Napoca's patients; Zorilor and Mănăștur only.
  const someșInvited = new Date(now.getTime() - 200 * DAY_MS);
  const [someș] = await tx.insert(partnerships).values({
    institutionId: napoca.id, partnerOrganisationId: somesAdmin.organisationId, status: 'active',
    contactName: 'Diana Someșan', contactEmail: DEMO_SIGN_INS[0].email, contactPhone: '+40 264 450 120',
    commissionType: 'percent', commissionValue: 1000, commissionCurrency: null, paymentLocation: 'institution', patientDataAccess: true,
    invitedByUserId: napocaAdmin.id, invitedAt: someșInvited, acceptedAt: new Date(someșInvited.getTime() + 26 * 3_600_000), updatedAt: new Date(someșInvited.getTime() + 26 * 3_600_000),
  }).$returningId();
  // MedPlus: 25.00 RON per booking, patients pay at MedPlus, no access to Napoca's patients; all three locations.
  const medplusInvited = new Date(now.getTime() - 150 * DAY_MS);
  const [medplus] = await tx.insert(partnerships).values({
    institutionId: napoca.id, partnerOrganisationId: medplusAdmin.organisationId, status: 'active',
    contactName: 'Bogdan Marin', contactEmail: DEMO_SIGN_INS[2].email, contactPhone: '+40 264 598 311',
    commissionType: 'fixed', commissionValue: 2500, commissionCurrency: 'RON', paymentLocation: 'partner', patientDataAccess: false,
    invitedByUserId: napocaAdmin.id, invitedAt: medplusInvited, acceptedAt: new Date(medplusInvited.getTime() + 4 * 3_600_000), updatedAt: new Date(medplusInvited.getTime() + 4 * 3_600_000),
  }).$returningId();
  await tx.insert(partnershipLocations).values([
    { partnershipId: someș.id, locationId: locationIds[0] }, { partnershipId: someș.id, locationId: locationIds[1] },
    ...locationIds.map((locationId) => ({ partnershipId: medplus.id, locationId })),
  ]);
  // Clinica Someș had no contract before: its admin accepted the GTC when approving. MedPlus had accepted it already.
  const [gtc] = await tx.select({ id: gtcVersions.id }).from(gtcVersions).where(eq(gtcVersions.version, GTC_VERSIONS[0].version));
  await tx.insert(gtcAcceptances).values({ organisationId: somesAdmin.organisationId, userId: somesAdmin.id, gtcVersionId: gtc.id, partnershipId: someș.id,
    acceptedAt: new Date(someșInvited.getTime() + 26 * 3_600_000), ip: null });
  await tx.insert(channelServices).values([
    ...serviceRows.flatMap((s) => ['online', 'phone'].map((channelKey) => ({ institutionId: napoca.id, serviceId: s.id, channelKey }))),
    ...serviceRows.filter((s) => !SOMES_UNTICKED.includes(s.name))
      .map((s) => ({ institutionId: napoca.id, serviceId: s.id, channelKey: `partnership:${someș.id}`, partnershipId: someș.id })),
    ...serviceRows.filter((s) => !MEDPLUS_UNTICKED.includes(s.name))
      .map((s) => ({ institutionId: napoca.id, serviceId: s.id, channelKey: `partnership:${medplus.id}`, partnershipId: medplus.id })),
  ]);
  return { napocaId: napoca.id, napocaStaffIds: [napocaStaff.id, napocaAdmin.id], someșId: somesAdmin.organisationId };
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(organisations);
  return n === 0;
}

export interface DemoSeedReport { seconds: number; bookings: Record<string, BookingSeedStats> }

/**
 * Seeds the demo data if the database has no organisations yet; returns whether it seeded. `now` anchors the bookings
 * (past and future) and the exceptions in the coming weeks; `report` receives counts and the time taken.
 */
export async function seedDemoData(db: Db, options: { now?: Date; report?: (r: DemoSeedReport) => void } = {}): Promise<boolean> {
  if (!(await isDatabaseEmpty(db))) return false;
  const started = performance.now();
  const now = options.now ?? new Date();
  const hashes = await Promise.all(DEMO_SIGN_INS.map((s) => hashPassword(s.password)));
  const stats: Record<string, BookingSeedStats> = {};
  await db.transaction(async (tx) => {
    const [clinic] = await tx.insert(organisations).values({
      name: 'Clinica Medicală Someș SRL', country: 'RO', taxNumber: '18590427', registrationNumber: 'J12/1450/2006',
      address: 'Str. Memorandumului 12, 400114 Cluj-Napoca, Cluj', isInstitution: true, currency: 'RON', timeZone: 'Europe/Bucharest',
    }).$returningId();
    const [medplus] = await tx.insert(organisations).values({
      name: 'MedPlus Diagnostic SRL', country: 'RO', taxNumber: '31275800', registrationNumber: 'J12/2233/2013',
      address: 'Calea Florești 58, 400512 Cluj-Napoca, Cluj', timeZone: 'Europe/Bucharest',
    }).$returningId();
    await tx.insert(organisations).values([
      { name: 'Call Center Transilvania SRL', country: 'RO', taxNumber: '44721904', registrationNumber: 'J12/3120/2021',
        address: 'Str. Fabricii 7, 400632 Cluj-Napoca, Cluj', timeZone: 'Europe/Bucharest' },
      { name: 'Cabinet Medical Individual Dr. Maria Ionescu', country: 'RO', taxNumber: '38192655', registrationNumber: 'CMI 1187/2017',
        address: 'Str. Horea 40, 400275 Cluj-Napoca, Cluj', timeZone: 'Europe/Bucharest' },
    ]);

    const locationRows = [
      { name: 'Someș Central', address: 'Str. Memorandumului 12, Cluj-Napoca' },
      { name: 'Someș Mărăști', address: 'Str. Aurel Vlaicu 3, Cluj-Napoca' },
      { name: 'Someș Florești', address: 'Str. Avram Iancu 150, Florești' },
    ];
    const locationIds: number[] = [];
    for (const l of locationRows) {
      const [row] = await tx.insert(locations).values({ ...l, organisationId: clinic.id, timeZone: 'Europe/Bucharest' }).$returningId();
      locationIds.push(row.id);
    }
    const qualificationIds = new Map<string, number>();
    for (const name of QUALIFICATIONS) {
      const [row] = await tx.insert(qualifications).values({ organisationId: clinic.id, name }).$returningId();
      qualificationIds.set(name, row.id);
    }
    await tx.insert(services).values(SERVICES.map(([q, name, minutes, price]) => ({
      organisationId: clinic.id, qualificationId: qualificationIds.get(q)!, name, durationMinutes: minutes,
      priceMinor: price * 100, currency: 'RON', cancellationWindowHours: 24,
    })));
    // Every service can be booked online and by phone; partner columns start empty.
    const serviceRows = await tx.select({ id: services.id }).from(services).where(eq(services.organisationId, clinic.id));
    await tx.insert(channelServices).values(serviceRows.flatMap((s) => ['online', 'phone'].map((channelKey) => ({ institutionId: clinic.id, serviceId: s.id, channelKey }))));
    for (const [name, quals, rules] of PHYSICIANS) {
      const [p] = await tx.insert(physicians).values({ organisationId: clinic.id, name }).$returningId();
      await tx.insert(physicianQualifications).values(quals.map((q) => ({ physicianId: p.id, qualificationId: qualificationIds.get(q)! })));
      const locs = [...new Set(rules.map((r) => r[0]))];
      await tx.insert(physicianLocations).values(locs.map((i) => ({ physicianId: p.id, locationId: locationIds[i] })));
      await tx.insert(schedules).values(rules.flatMap(([loc, days, start, end]) => days.map((weekday) => ({
        physicianId: p.id, locationId: locationIds[loc], weekday, startTime: `${start}:00`, endTime: `${end}:00`,
        weekParity: 'every' as const, validFrom: '2026-01-01',
      }))));
    }

    const people = [
      { organisationId: clinic.id, name: 'Diana Someșan', role: 'admin' as const, canBookPartner: true },
      { organisationId: clinic.id, name: 'Raluca Pintea', role: 'staff' as const, canBookPartner: true },
      { organisationId: medplus.id, name: 'Bogdan Marin', role: 'admin' as const, canBookPartner: true },
      { organisationId: medplus.id, name: 'Irina Vaida', role: 'staff' as const, canBookPartner: true },
    ];
    await tx.insert(users).values(people.map((p, i) => ({
      ...p, email: DEMO_SIGN_INS[i].email, passwordHash: hashes[i], status: 'active' as const, locale: i === 0 ? 'en' as const : 'ro' as const,
    })));
    // MedPlus "already has a contract in the system": it accepted the GTC when it joined another institution.
    const [medplusAdmin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_SIGN_INS[2].email));
    await tx.insert(gtcVersions).ignore().values({ ...GTC_VERSIONS[0] });
    const [gtc] = await tx.select({ id: gtcVersions.id }).from(gtcVersions).where(eq(gtcVersions.version, GTC_VERSIONS[0].version));
    await tx.insert(gtcAcceptances).values({ organisationId: medplus.id, userId: medplusAdmin.id, gtcVersionId: gtc.id, acceptedAt: new Date('2026-03-02T09:15:00Z'), ip: null });

    const second = await seedSecondInstitution(tx, hashes, now);
    const [someșStaff] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_SIGN_INS[1].email));
    const [someșAdmin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, DEMO_SIGN_INS[0].email));
    stats['Clinica Medicală Someș SRL'] = await seedInstitutionBookings(tx, {
      institutionId: clinic.id, seed: 20260101, staffUserIds: [someșStaff.id, someșAdmin.id], institutionPatients: 150, partnerPatients: 0,
      weights: { online: 45, phone: 35, staff: 20, partner: 0 }, pastDays: 91, futureDays: 28,
    }, now);
    stats['Centrul Medical Napoca SRL'] = await seedInstitutionBookings(tx, {
      institutionId: second.napocaId, seed: 20260202, staffUserIds: second.napocaStaffIds, institutionPatients: 100, partnerPatients: 25,
      weights: { online: 30, phone: 22, staff: 12, partner: 18 }, pastDays: 91, futureDays: 28,
    }, now);
  });
  options.report?.({ seconds: (performance.now() - started) / 1000, bookings: stats });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const database = createDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 1);
  seedDemoData(database.db, { report: (r) => console.log(JSON.stringify(r, null, 2)) })
    .then((seeded) => console.log(seeded ? 'Demo data seeded.' : 'The database already has data: seed skipped.'))
    .catch((err) => { console.error(err); process.exitCode = 1; })
    .finally(() => database.close());
}
