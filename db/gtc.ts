/**
 * The General Terms and Conditions that a new partner accepts, versioned. A published version is never edited: a new
 * text gets a new version, added here and inserted by `ensureReferenceData` on the next migration run.
 */
import { gtcVersions } from './schema';
import type { Db } from './client';

export const GTC_VERSIONS = [
  {
    version: '2026-01',
    publishedAt: new Date('2026-01-01T00:00:00Z'),
    bodyEn: `GENERAL TERMS AND CONDITIONS FOR PARTNERS OF THE PARTNER MODULE — version 2026-01

1. Parties and subject. These terms govern the use of the Partner Module by a legal entity (the "Partner") that an institution using the booking system (the "Institution") has invited as a partner. The Partner may book appointments into the Institution's calendars on behalf of its patients, only for the services and locations the Institution has authorised.

2. Legal entity. Only legal entities may become partners. The Partner confirms that the company data provided (name, tax number, registration number, registered address) are correct and will keep them up to date.

3. Users. After accepting these terms the Partner may add any number of its own users. The Partner is responsible for its users, for granting the permission "Can book to partner institution" only to persons authorised to book, and for deactivating users who leave.

4. Bookings. Bookings are made in the name of the patient with the patient's consent. The Partner records correct patient contact details and informs the patient of the appointment. The Partner may modify or cancel only its own bookings, within the Institution's cancellation rules.

5. Patient data. Where the Institution grants access to patient data, the Partner may search the Institution's existing patients only to make a booking. Downloading, exporting, copying or any other use of patient data is prohibited. All access is logged. Both parties process personal data under Regulation (EU) 2016/679 (GDPR); the Partner keeps the confidentiality of health data.

6. Commission and payment. Commission, if any, and the payment location (at the Partner or at the Institution) are set by the Institution for each partnership and shown to the Partner. The settings in force when a booking is made apply to that booking. Commission is due only for fulfilled appointments and is settled monthly on the basis of the statements produced by the system.

7. Suspension and end. The Institution may change the partnership settings or end the partnership at any time; bookings already made remain valid unless cancelled. The Partner may stop using the module at any time.

8. Liability. Each party is liable for its own acts and for its users. The system operator provides the module as a service and is not a party to the medical services booked.

9. Changes to these terms. New versions are published with a new version number; continued use after a new version requires acceptance of that version.

10. Law. These terms are governed by Romanian law; disputes are settled by the competent courts of the Institution's registered office.`,
    bodyRo: `TERMENII ȘI CONDIȚIILE GENERALE PENTRU PARTENERII MODULULUI PARTENER — versiunea 2026-01

1. Părți și obiect. Prezentele condiții reglementează utilizarea Modulului Partener de către o persoană juridică (denumită „Partener”) pe care o instituție care utilizează sistemul de rezervări (denumită „Instituție”) a invitat-o ca partener. Partenerul poate face rezervări în calendarele Instituției în numele pacienților săi, doar pentru serviciile și locațiile autorizate de Instituție.

2. Persoană juridică. Doar persoanele juridice pot deveni parteneri. Partenerul confirmă că datele societății furnizate (denumire, cod fiscal, număr de înregistrare, sediu social) sunt corecte și le va menține actualizate.

3. Utilizatori. După acceptarea acestor condiții, Partenerul poate adăuga un număr nelimitat de utilizatori proprii. Partenerul răspunde pentru utilizatorii săi, pentru acordarea permisiunii „Poate rezerva la instituția partenerului” doar persoanelor autorizate să facă rezervări și pentru dezactivarea utilizatorilor care pleacă.

4. Rezervări. Rezervările se fac în numele pacientului, cu acordul acestuia. Partenerul înregistrează date de contact corecte ale pacientului și îl informează despre programare. Partenerul poate modifica sau anula doar propriile rezervări, în limitele regulilor de anulare ale Instituției.

5. Datele pacienților. Dacă Instituția acordă acces la datele pacienților, Partenerul poate căuta printre pacienții existenți ai Instituției doar pentru a face o rezervare. Descărcarea, exportul, copierea sau orice altă utilizare a datelor pacienților sunt interzise. Toate accesările sunt înregistrate. Ambele părți prelucrează datele cu caracter personal conform Regulamentului (UE) 2016/679 (GDPR); Partenerul păstrează confidențialitatea datelor privind sănătatea.

6. Comision și plată. Comisionul, dacă există, și locul plății (la Partener sau la Instituție) sunt stabilite de Instituție pentru fiecare parteneriat și sunt afișate Partenerului. Setările în vigoare la data rezervării se aplică acelei rezervări. Comisionul este datorat doar pentru programările onorate și se decontează lunar, pe baza situațiilor generate de sistem.

7. Suspendare și încetare. Instituția poate modifica setările parteneriatului sau poate înceta parteneriatul oricând; rezervările deja făcute rămân valabile, cu excepția celor anulate. Partenerul poate înceta oricând utilizarea modulului.

8. Răspundere. Fiecare parte răspunde pentru propriile fapte și pentru utilizatorii săi. Operatorul sistemului furnizează modulul ca serviciu și nu este parte la serviciile medicale rezervate.

9. Modificarea condițiilor. Versiunile noi se publică cu un număr nou de versiune; utilizarea în continuare după publicarea unei versiuni noi necesită acceptarea acesteia.

10. Legea aplicabilă. Prezentele condiții sunt guvernate de legea română; litigiile se soluționează de instanțele competente de la sediul Instituției.`,
  },
] as const;

export const CURRENT_GTC_VERSION = GTC_VERSIONS[GTC_VERSIONS.length - 1].version;

/** Reference data every database needs (not demo data): the published GTC versions. Idempotent. */
export async function ensureReferenceData(db: Db): Promise<void> {
  for (const v of GTC_VERSIONS) {
    await db.insert(gtcVersions).ignore().values({ version: v.version, bodyEn: v.bodyEn, bodyRo: v.bodyRo, publishedAt: v.publishedAt });
  }
}
