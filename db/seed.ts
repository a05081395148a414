/**
 * Demo data: a clinic group in Cluj-Napoca with locations, physicians, schedules and services, its admin and staff
 * users, and three partner organisations. Runs only on an empty database, so running it twice never duplicates data.
 */
import { fileURLToPath } from 'node:url';
import { count, eq } from 'drizzle-orm';
import { hashPassword } from '../server/auth/password';
import { createDatabase, DEFAULT_DATABASE_URL, type Db } from './client';
import { GTC_VERSIONS } from './gtc';
import {
  channelServices, gtcAcceptances, gtcVersions, locations, organisations, physicianLocations, physicianQualifications, physicians, qualifications, schedules,
  services, users,
} from './schema';

/** The demo sign-ins, printed by the start script and listed in the README. */
export const DEMO_SIGN_INS = [
  { who: 'Institution admin (Clinica Someș)', email: 'admin@clinica-somes.ro', password: 'Somes-Admin-2026' },
  { who: 'Institution staff, can book to partner institution', email: 'receptie@clinica-somes.ro', password: 'Somes-Staff-2026' },
  { who: 'Partner admin (MedPlus Diagnostic)', email: 'admin@medplus-diagnostic.ro', password: 'MedPlus-Admin-2026' },
  { who: 'Partner booker (MedPlus Diagnostic)', email: 'programari@medplus-diagnostic.ro', password: 'MedPlus-Book-2026' },
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

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(organisations);
  return n === 0;
}

/** Seeds the demo data if the database has no organisations yet; returns whether it seeded. */
export async function seedDemoData(db: Db): Promise<boolean> {
  if (!(await isDatabaseEmpty(db))) return false;
  const hashes = await Promise.all(DEMO_SIGN_INS.map((s) => hashPassword(s.password)));
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
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const database = createDatabase(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, 1);
  seedDemoData(database.db)
    .then((seeded) => console.log(seeded ? 'Demo data seeded.' : 'The database already has data: seed skipped.'))
    .catch((err) => { console.error(err); process.exitCode = 1; })
    .finally(() => database.close());
}
