/**
 * Forgot password in a real browser, in English and in Romanian (1366×768): "Forgot password?" on the sign-in page
 * (carrying the address typed there) → "Check your email" (the same for an unknown address, which gets nothing) → the
 * emailed link (read from MailDev) opens the reset page in the user's language → a too-short password is refused with
 * the field named → the new password is set → the user's session on another device has ended → signing in with the new
 * password works → the link cannot be used again → a fourth request for one address within the hour is refused.
 * Each journey uses a user made for it (invited by the demo admin through the API, password set from the invitation),
 * so no demo password changes. Screenshots go to /work/notes/screens/ (outside the repository) for review.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { waitForEmail, type MailDevEmail } from './mail';

test.describe.configure({ mode: 'serial' });

const SCREENS = '/work/notes/screens';
mkdirSync(SCREENS, { recursive: true });
const VIEWPORT = { width: 1366, height: 768 };

async function newPage(browser: Browser, locale: 'en-GB' | 'ro-RO') {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Bucharest', viewport: VIEWPORT });
  return context.newPage();
}

function resetLinkIn(mail: MailDevEmail): string {
  const link = /https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_%-]+&lang=(?:en|ro)/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no reset link in: ${mail.text}`);
  return link;
}

/** A new active user of Clinica Someș with a known password, made through the API as the demo admin would. */
async function makeUser(browser: Browser, locale: 'en' | 'ro', password: string): Promise<string> {
  const admin = await newPage(browser, 'en-GB');
  await admin.goto('/sign-in');
  await admin.locator('input[type=email]').fill('admin@clinica-somes.ro');
  await admin.locator('input[type=password]').fill('Somes-Admin-2026');
  await admin.locator('button[type=submit]').click();
  await expect(admin.locator('.app-nav')).toBeVisible();
  const origin = new URL(admin.url()).origin;
  const email = `reset.${locale}.${Date.now()}@clinica-somes.ro`;
  const created = await admin.request.post(`${origin}/trpc/users.create`, {
    headers: { origin }, data: { name: locale === 'ro' ? 'Ioana Mureșan' : 'Emma Stone', email, role: 'staff', canBookPartner: false, locale },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const invitation = await waitForEmail(email, /set-password/);
  const token = new URL(/https?:\/\/\S+\/set-password\?token=[A-Za-z0-9_%-]+/.exec(invitation.text)![0]).searchParams.get('token');
  const accepted = await admin.request.post(`${origin}/trpc/auth.acceptInvitation`, { headers: { origin }, data: { token, password, passwordConfirm: password } });
  expect(accepted.ok(), await accepted.text()).toBe(true);
  await admin.context().close();
  return email;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('.app-nav')).toBeVisible();
}

const JOURNEYS = [
  {
    lang: 'en' as const, browserLocale: 'en-GB' as const, oldPassword: 'Emma-Old-Password-1', newPassword: 'Emma-New-Password-2',
    t: {
      forgot: 'Forgot password?', forgotTitle: 'Reset your password', send: 'Email me a link', sentTitle: 'Check your email',
      subject: 'Reset your password — Partner Module', resetTitle: 'Choose a new password', newPassword: 'New password',
      repeat: 'Repeat the password', change: 'Change password', tooShort: 'The password must be at least 12 characters long.',
      changed: 'Your password has been changed and you were signed out everywhere.', signIn: 'Sign in', used: 'This link has already been used',
      anotherAddress: 'Use another address', badEmail: 'Enter a valid email address.',
      limited: 'Too many password reset requests for this email address. Try again after',
    },
  },
  {
    lang: 'ro' as const, browserLocale: 'ro-RO' as const, oldPassword: 'Ioana-Parola-Veche-1', newPassword: 'Ioana-Parola-Noua-2',
    t: {
      forgot: 'Ați uitat parola?', forgotTitle: 'Resetarea parolei', send: 'Trimiteți-mi linkul', sentTitle: 'Verificați-vă e-mailul',
      subject: 'Resetarea parolei — Modul Partener', resetTitle: 'Alegeți o parolă nouă', newPassword: 'Parola nouă',
      repeat: 'Repetați parola', change: 'Schimbați parola', tooShort: 'Parola trebuie să aibă cel puțin 12 caractere.',
      changed: 'Parola a fost schimbată și ați fost deconectat(ă) peste tot.', signIn: 'Autentificare', used: 'Acest link a fost deja folosit',
      anotherAddress: 'Folosiți altă adresă', badEmail: 'Introduceți o adresă de e-mail validă.',
      limited: 'Prea multe cereri de resetare a parolei pentru această adresă de e-mail. Încercați din nou după',
    },
  },
];

for (const j of JOURNEYS) {
  test(`forgot password, reset by the emailed link, every other session ended (${j.lang})`, async ({ browser }) => {
    const { t } = j;
    const email = await makeUser(browser, j.lang, j.oldPassword);

    // The user is signed in on another device.
    const other = await newPage(browser, j.browserLocale);
    await signIn(other, email, j.oldPassword);

    const page = await newPage(browser, j.browserLocale);
    await page.goto('/sign-in');
    const unknown = `nobody.${Date.now()}@example.com`;
    await page.locator('input[type=email]').fill(unknown);
    await page.getByRole('link', { name: t.forgot }).click();
    await expect(page).toHaveURL(/\/forgot-password\?email=nobody/);
    await expect(page.getByRole('heading', { name: t.forgotTitle })).toBeVisible();
    // An unknown address gets the same answer.
    await page.getByRole('button', { name: t.send }).click();
    await expect(page.getByRole('heading', { name: t.sentTitle })).toBeFocused();
    const unknownAnswer = await page.locator('.notice').innerText();

    await page.getByRole('button', { name: t.anotherAddress }).click();
    // A malformed address is refused next to the field, which gets the focus back.
    await page.locator('input[type=email]').fill('not-an-address');
    await page.getByRole('button', { name: t.send }).click();
    await expect(page.getByText(t.badEmail)).toBeVisible();
    await expect(page.locator('input[type=email]')).toBeFocused();
    await page.locator('input[type=email]').fill(email);
    await page.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-request.png` });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: t.sentTitle })).toBeVisible();
    expect((await page.locator('.notice').innerText()).replace(email, 'X')).toBe(unknownAnswer.replace(/nobody\.\d+@example\.com/, 'X'));
    await page.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-sent.png` });

    const mail = await waitForEmail(email, /reset-password/);
    expect(mail.subject).toBe(t.subject);
    const link = resetLinkIn(mail);

    // The link opens in the user's language even in a browser set to the other one.
    const reset = await newPage(browser, j.lang === 'ro' ? 'en-GB' : 'ro-RO');
    await reset.goto(link);
    await expect(reset.getByRole('heading', { name: t.resetTitle })).toBeVisible();
    await expect(reset.locator('html')).toHaveAttribute('lang', j.lang);
    await expect(reset.getByText(email)).toBeVisible();
    await expect(reset.getByLabel(t.newPassword, { exact: true })).toBeFocused();
    await reset.getByLabel(t.newPassword, { exact: true }).fill('short');
    await reset.getByLabel(t.repeat).fill('short');
    await reset.getByRole('button', { name: t.change }).click();
    await expect(reset.getByText(t.tooShort)).toBeVisible();
    await expect(reset.getByLabel(t.newPassword, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(reset.getByLabel(t.newPassword, { exact: true })).toBeFocused();
    await reset.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-reset-error.png` });
    await reset.getByLabel(t.newPassword, { exact: true }).fill(j.newPassword);
    await reset.getByLabel(t.repeat).fill(j.newPassword);
    await reset.getByRole('button', { name: t.change }).click();
    await expect(reset).toHaveURL(/\/sign-in\?.*passwordReset=1/);
    await expect(reset.getByText(t.changed)).toBeVisible();
    await expect(reset.locator('input[type=email]')).toHaveValue(email);
    await reset.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-signed-out.png` });
    await reset.locator('input[type=password]').fill(j.newPassword);
    await reset.getByRole('button', { name: t.signIn, exact: true }).click();
    await expect(reset.locator('.app-nav')).toBeVisible();

    // The other device's session has ended: its cookie no longer signs anyone in, and the app shows the sign-in page.
    const origin = new URL(other.url()).origin;
    const me = await other.request.get(`${origin}/trpc/auth.me`);
    expect((await me.json()).result.data).toBeNull();
    await other.reload();
    await expect(other).toHaveURL(/\/sign-in/);

    // The link works once.
    await reset.goto(link);
    await expect(reset.getByRole('heading', { name: t.used })).toBeVisible();
    await reset.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-used.png` });

    // The fourth request for one address within the hour is refused, saying until when (the same for any address).
    for (let n = 2; n <= 4; n++) {
      await page.getByRole('button', { name: t.anotherAddress }).click();
      await page.locator('input[type=email]').fill(unknown);
      await page.getByRole('button', { name: t.send }).click();
      if (n < 4) await expect(page.getByRole('heading', { name: t.sentTitle })).toBeVisible();
    }
    await expect(page.getByRole('alert')).toContainText(t.limited);
    await page.screenshot({ path: `${SCREENS}/forgot-password-${j.lang}-limited.png` });

    for (const p of [page, reset, other]) await p.context().close();
  });
}
