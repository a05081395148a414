/**
 * The Foundation journey in a real browser: the demo institution admin signs in, adds a user, the user opens the
 * emailed link (read from MailDev's inbox), sets a password, signs in, and switches the UI to Romanian.
 */
import { expect, test, type Page } from '@playwright/test';
import { waitForEmail } from './mail';

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an admin invites a user who sets a password, signs in and switches to Romanian', async ({ page, browser }) => {
  const email = `maria.rus.${Date.now()}@clinica-somes.ro`;

  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, 'admin@clinica-somes.ro', 'wrong-password-123');
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  await signIn(page, 'admin@clinica-somes.ro', 'Somes-Admin-2026');
  await expect(page.getByRole('heading', { name: 'Administration / Admin Users' })).toBeVisible();
  await expect(page.getByText('Diana Someșan').first()).toBeVisible();

  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Maria Rus');
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByLabel('Role').selectOption('staff');
  await dialog.getByLabel('Can book to partner institution').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter a valid email address.')).toBeVisible();
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Maria Rus/ });
  await expect(row).toContainText('Invited');

  const mail = await waitForEmail(email);
  const link = /https?:\/\/\S+\/set-password\?token=[A-Za-z0-9_%-]+/.exec(mail.text)?.[0];
  expect(link, 'the email contains a set-password link').toBeTruthy();

  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Bucharest' });
  const guest = await context.newPage();
  await guest.goto(link!);
  await expect(guest.getByText(email)).toBeVisible();
  await guest.getByLabel('New password', { exact: true }).fill('short');
  await guest.getByLabel('Repeat the password').fill('short');
  await guest.getByRole('button', { name: 'Set password' }).click();
  await expect(guest.getByText('The password must be at least 12 characters long.')).toBeVisible();
  await guest.getByLabel('New password', { exact: true }).fill('Maria-Rus-Password-1');
  await guest.getByLabel('Repeat the password').fill('Maria-Rus-Password-1');
  await guest.getByRole('button', { name: 'Set password' }).click();
  await expect(guest).toHaveURL(/\/sign-in/);
  await expect(guest.getByLabel('Email')).toHaveValue(email);
  await guest.getByLabel('Password').fill('Maria-Rus-Password-1');
  await guest.getByRole('button', { name: 'Sign in' }).click();
  await expect(guest.getByText('Maria Rus').first()).toBeVisible();

  await guest.getByLabel('Language').selectOption({ label: 'Română' });
  await expect(guest.locator('html')).toHaveAttribute('lang', 'ro');
  await expect(guest.getByRole('link', { name: 'Rezervări la partener' })).toBeVisible();
  await expect(guest.getByRole('button', { name: 'Deconectare' })).toBeVisible();

  // The admin's list now shows the user as active.
  await page.reload();
  await expect(page.getByRole('row', { name: /Maria Rus/ })).toContainText('Active');
  await context.close();
});
