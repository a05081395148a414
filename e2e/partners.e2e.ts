/**
 * Partner Module journeys in a real browser: the institution admin adds a brand-new partner; its contact person
 * registers from the emailed link and accepts the GTC, then adds a booker; the institution sees the partner as active.
 * Then the institution authorises a service in the partner's Traffic Channels column and takes it away again: the
 * partner's booker sees it appear and disappear on "My institutions".
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { linkIn, waitForEmail } from './mail';

const COMPANY = 'Policlinica Arcadia SRL';
const CONTACT = 'office@arcadia-medical.ro';
const BOOKER = 'receptie@arcadia-medical.ro';

test.describe.configure({ mode: 'serial' });

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Bucharest' });
  await context.addInitScript(() => localStorage.setItem('pm_locale', 'en'));
  return context.newPage();
}

test('an institution adds a brand-new partner, who registers, accepts the GTC and adds a booker', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin, 'admin@clinica-somes.ro', 'Somes-Admin-2026');
  await admin.getByRole('link', { name: 'Administration / Partner Module' }).click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();

  await admin.getByLabel('Tax number').fill('RO27182819'); // wrong check digit
  await admin.getByLabel('Registration number').fill('J12/777/2020');
  await admin.getByLabel('Company name').fill(COMPANY);
  await admin.getByLabel('Headquarters address').fill('Str. Observatorului 90, Cluj-Napoca');
  await admin.getByLabel('Contact name').fill('Carmen Arcadia');
  await admin.getByLabel('Contact email').fill(CONTACT);
  await admin.getByLabel('Contact phone').fill('+40 744 555 666');
  await admin.getByRole('checkbox', { name: 'Someș Central' }).check();
  await admin.getByRole('radio', { name: 'Percentage' }).check();
  await admin.getByLabel('Commission percentage').fill('150');
  await admin.getByRole('radio', { name: 'At the partner' }).check();
  await admin.getByRole('group', { name: 'Access to patient data' }).getByRole('radio', { name: 'No' }).check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText('check digit does not match')).toBeVisible();
  await expect(admin.getByText('The percentage must be between 0 and 100.')).toBeVisible();
  await expect(admin.getByLabel('Company name')).toHaveValue(COMPANY); // nothing typed is lost

  await admin.getByLabel('Tax number').fill('RO 27182818');
  await admin.getByLabel('Commission percentage').fill('12.5');
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText(`A registration email was sent to ${CONTACT}`)).toBeVisible();
  await expect(admin.getByText('Waiting for registration').first()).toBeVisible();
  // The workflow ID is for operators (a link to the Temporal UI only when the build names it), not for clinic admins.
  await expect(admin.getByText(/partner-invitation:\d+/)).toHaveCount(0);

  const registration = await waitForEmail(CONTACT, /partner-registration/);
  const partner = await newPage(browser);
  await partner.goto(linkIn(registration, '/partner-registration'));
  await expect(partner.getByRole('heading', { name: 'Partner registration' })).toBeVisible();
  await expect(partner.locator('[role=region][aria-label="General Terms and Conditions"]')).toContainText('GENERAL TERMS AND CONDITIONS');
  await partner.getByLabel('Your name').fill('Carmen Arcadia');
  await partner.getByLabel('New password', { exact: true }).fill('Arcadia-Password-2026');
  await partner.getByLabel('Repeat the password').fill('Arcadia-Password-2026');
  await partner.getByRole('button', { name: 'Register and accept' }).click();
  await expect(partner.getByText('Accept the General Terms and Conditions to continue.')).toBeVisible();
  await partner.getByRole('checkbox', { name: /I have read and accept the General Terms and Conditions/ }).check();
  await partner.getByRole('button', { name: 'Register and accept' }).click();
  await expect(partner).toHaveURL(/\/sign-in/);
  await partner.getByLabel('Password').fill('Arcadia-Password-2026');
  await partner.getByRole('button', { name: 'Sign in' }).click();
  await expect(partner.getByText('Carmen Arcadia').first()).toBeVisible();

  await partner.getByRole('link', { name: 'Users' }).click();
  await partner.getByRole('button', { name: 'Add user' }).click();
  const dialog = partner.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Radu Receptie');
  await dialog.getByLabel('Email').fill(BOOKER);
  await dialog.getByLabel('Can book to partner institution').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(partner.getByRole('row', { name: /Radu Receptie/ })).toContainText('Invited');

  await admin.getByRole('link', { name: 'Administration / Partner Module' }).click();
  await expect(admin.getByRole('row', { name: new RegExp(COMPANY) })).toContainText('Active');
  await expect(admin.getByRole('row', { name: new RegExp(COMPANY) })).toContainText('12.5');
});

test('unticking a service in the partner’s traffic channel column removes it from what the booker may book', async ({ browser }) => {
  // The booker invited in the previous test sets a password from the emailed link.
  const invitation = await waitForEmail(BOOKER, /set-password/);
  const booker = await newPage(browser);
  await booker.goto(linkIn(invitation, '/set-password'));
  await booker.getByLabel('New password', { exact: true }).fill('Radu-Receptie-2026');
  await booker.getByLabel('Repeat the password').fill('Radu-Receptie-2026');
  await booker.getByRole('button', { name: 'Set password' }).click();
  await expect(booker).toHaveURL(/\/sign-in/);
  await booker.getByLabel('Password').fill('Radu-Receptie-2026');
  await booker.getByRole('button', { name: 'Sign in' }).click();
  await booker.getByRole('link', { name: 'My institutions' }).click();
  await expect(booker.getByText('Clinica Medicală Someș SRL')).toBeVisible();
  await expect(booker.getByText('No services are authorised yet')).toBeVisible();

  const admin = await newPage(browser);
  await signIn(admin, 'admin@clinica-somes.ro', 'Somes-Admin-2026');
  await admin.getByRole('link', { name: 'Traffic Channels' }).click();
  await expect(admin.getByRole('heading', { name: 'Traffic Channels' })).toBeVisible();
  await admin.getByRole('checkbox', { name: `EKG — ${COMPANY}` }).check();
  await admin.getByRole('checkbox', { name: `Consultație cardiologie — ${COMPANY}` }).check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText('Changes saved')).toBeVisible();

  await booker.reload();
  await expect(booker.getByText('EKG', { exact: true })).toBeVisible();
  await expect(booker.getByText('Consultație cardiologie', { exact: true })).toBeVisible();

  await admin.getByRole('checkbox', { name: `EKG — ${COMPANY}` }).uncheck();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText('Changes saved')).toBeVisible();

  await booker.reload();
  await expect(booker.getByText('Consultație cardiologie', { exact: true })).toBeVisible();
  await expect(booker.getByText('EKG', { exact: true })).toHaveCount(0);
});
