/**
 * Patient data rights in a real browser (1366×768, English and Romanian): an institution admin finds a patient on
 * Patients, exports the data as a JSON file, and erases the patient after typing the name; the patient is then never
 * found again. A patient with an active booking ahead cannot be erased (the panel says why); staff get no such page.
 * Screenshots go to /work/notes/screens/patients-*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import mysql from 'mysql2/promise';
import { newPage, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SCREENS = '/work/notes/screens';
mkdirSync(SCREENS, { recursive: true });
const DB_URL = 'mysql://root@127.0.0.1:3306/partner_module_e2e';
const SOMES_ADMIN = ['admin@clinica-somes.ro', 'Somes-Admin-2026'] as const;
const SOMES_STAFF = ['receptie@clinica-somes.ro', 'Somes-Staff-2026'] as const;
const SUFFIX = Date.now().toString(36).slice(-5).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);

let db: mysql.Connection;
let institutionId: number;

test.beforeAll(async () => {
  db = await mysql.createConnection({ uri: DB_URL });
  const [rows] = await db.query<mysql.RowDataPacket[]>('select organisation_id as id from users where email = ?', [SOMES_ADMIN[0]]);
  institutionId = rows[0].id;
});
test.afterAll(async () => { await db?.end(); });

/** A patient of Clinica Someș without bookings (entered by the clinic), with a name no demo patient has. */
async function newPatient(name: string, nationalId: string) {
  const [res] = await db.query<mysql.ResultSetHeader>(
    'insert into patients (institution_id, name, birth_date, national_id, phone, email, created_by_organisation_id) values (?, ?, ?, ?, ?, ?, ?)',
    [institutionId, name, '1987-06-15', nationalId, '+40 744 555 017', `${SUFFIX}@patient.example`, institutionId]);
  return res.insertId;
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENS}/patients-${name}.png` });

test('an admin exports a patient’s data as JSON and erases the patient, who is then never found again (English)', async ({ browser }) => {
  const name = `Eugenia Exportescu${SUFFIX}`;
  const id = await newPatient(name, '2870615125017');
  const page = await newPage(browser);
  await signIn(page, SOMES_ADMIN);
  await page.locator('.app-nav').getByRole('link', { name: 'Patients', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Patients', level: 1 })).toBeVisible();
  await expect(page.getByText('Type at least 3 characters to find a patient.')).toBeVisible();
  await expect(page.getByText('Choose a patient from the search results to export or erase their data.')).toBeVisible();
  await shot(page, 'en-empty');

  await page.getByLabel('Search by name, national ID, phone or birth date').fill(`Exportescu${SUFFIX}`);
  const hit = page.getByRole('button', { name: new RegExp(name) });
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(hit).toHaveAttribute('aria-pressed', 'true');
  const panel = page.locator('.patient-panel');
  await expect(panel.getByRole('heading', { name })).toBeVisible();
  await expect(panel.getByText('2870615125017')).toBeVisible();
  await expect(panel.getByText('+40 744 555 017')).toBeVisible();
  await shot(page, 'en-panel');

  // Export: a JSON file with everything about the patient.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export data (JSON)' }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^patient-${id}-data-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported.patient).toMatchObject({ id, name, nationalId: '2870615125017', phone: '+40 744 555 017', erasedAt: null });
  expect(exported.bookings).toEqual([]);
  await expect(panel.getByText(`Saved as ${download.suggestedFilename()}`)).toBeVisible();

  // Erase: the dialog says what happens and wants the name typed.
  await panel.getByRole('button', { name: 'Erase patient' }).click();
  const dialog = page.getByRole('alertdialog', { name: `Erase ${name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText(`The name becomes “Erased patient #${id}”`)).toBeVisible();
  await expect(dialog.getByText('Nobody can find or book the patient again.')).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Erase permanently' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('To confirm, type the patient’s name').fill('Eugenia');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('To confirm, type the patient’s name').fill(name.toLowerCase());
  await expect(confirm).toBeEnabled();
  await shot(page, 'en-erase-dialog');
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByText(`The patient was erased and is now “Erased patient #${id}”.`)).toBeVisible();
  await expect(panel.getByRole('heading', { name: `Erased patient #${id}` })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Erase patient' })).toHaveCount(0);
  await expect(panel.locator('.patient-facts').getByText('Not given')).toHaveCount(4);
  await shot(page, 'en-erased');

  const [rows] = await db.query<mysql.RowDataPacket[]>('select name, national_id, phone, email, birth_date, erased_at from patients where id = ?', [id]);
  expect(rows[0]).toMatchObject({ name: `Erased patient #${id}`, national_id: null, phone: null, email: null, birth_date: null });
  expect(rows[0].erased_at).not.toBeNull();

  // Never found again, by the old name or the national ID.
  const search = page.getByLabel('Search by name, national ID, phone or birth date');
  for (const q of [`Exportescu${SUFFIX}`, '2870615125017']) {
    await search.fill(q);
    await expect(page.getByText('No patient matches. Check the spelling. Erased patients are never found again.')).toBeVisible();
  }

  // Both are in the audit log, in words, without the patient's data.
  await page.locator('.app-nav').getByRole('link', { name: 'Audit log', exact: true }).click();
  const erasedRow = page.locator('tr', { hasText: 'Patient erased' }).first();
  await expect(erasedRow).toBeVisible();
  await expect(erasedRow).toContainText('Bookings kept');
  await expect(page.locator('tr', { hasText: 'Patient data exported' }).first()).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await shot(page, 'en-audit');
});

test('a patient with an active booking ahead cannot be erased yet; Romanian; staff have no Patients page', async ({ browser }) => {
  const [rows] = await db.query<mysql.RowDataPacket[]>(
    `select p.national_id as cnp from patients p join bookings b on b.patient_id = p.id
      where p.institution_id = ? and p.national_id is not null and p.erased_at is null and b.status = 'booked' and b.ends_at > now(3)
      order by b.starts_at limit 1`, [institutionId]);
  const busyCnp: string = rows[0].cnp;
  const name = `Ileana Ștergătoru${SUFFIX}`;
  await newPatient(name, '2870615125017');

  const page = await newPage(browser, { locale: 'ro' });
  await signIn(page, SOMES_ADMIN);
  await page.locator('.app-nav').getByRole('link', { name: 'Pacienți', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Pacienți', level: 1 })).toBeVisible();
  const search = page.getByLabel('Căutare după nume, CNP, telefon sau data nașterii');

  await search.fill(busyCnp);
  await page.locator('.patients-hit').first().click();
  const panel = page.locator('.patient-panel');
  await expect(panel.getByRole('button', { name: 'Ștergere pacient' })).toBeDisabled();
  await expect(panel.getByText(/Ștergerea nu este încă posibilă: pacientul are rezervări active neîncheiate \(\d+\)\./)).toBeVisible();
  await expect(panel.locator('.patient-facts a').first()).toHaveAttribute('href', /^\/bookings\/\d+$/);
  await shot(page, 'ro-blocked');

  await search.fill(`Ștergătoru${SUFFIX}`);
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await expect(panel.getByRole('heading', { name })).toBeVisible();
  await panel.getByRole('button', { name: 'Ștergere pacient' }).click();
  const dialog = page.getByRole('alertdialog', { name: `Ștergeți pacientul ${name}?` });
  await expect(dialog.getByText('Ce face ștergerea:')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Ștergere definitivă' })).toBeDisabled();
  await shot(page, 'ro-erase-dialog');
  // Escape closes it and nothing changed.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('button', { name: 'Ștergere pacient' })).toBeFocused();
  await expect(panel.getByText('2870615125017')).toBeVisible();

  const staff = await newPage(browser);
  await signIn(staff, SOMES_STAFF);
  await expect(staff.locator('.app-nav').getByRole('link', { name: 'Patients', exact: true })).toHaveCount(0);
  await staff.goto('/patients');
  await expect(staff.getByText('You do not have permission', { exact: false })).toBeVisible();
});
