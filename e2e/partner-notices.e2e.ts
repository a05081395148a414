/**
 * Issue 10, item 3 in a real browser: when the institution ends a partnership, the partner's admins are emailed (in
 * their language) and the partner's "My institutions" lists the partnership as ended, with the date, under its active
 * ones — never "not yet a partner of any institution". Checked at 1366×768 in English and Romanian (screenshots in
 * test-results/).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { waitForEmail } from './mail';

test.describe.configure({ mode: 'serial' });

const SOMES_ADMIN = ['admin@clinica-somes.ro', 'Somes-Admin-2026'] as const;
const MEDPLUS_ADMIN = ['admin@medplus-diagnostic.ro', 'MedPlus-Admin-2026'] as const;
const SOMES = 'Clinica Medicală Someș SRL';
const NAPOCA = 'Centrul Medical Napoca SRL';

async function newPage(browser: Browser, locale: 'en' | 'ro') {
  const context = await browser.newContext({ locale: locale === 'ro' ? 'ro-RO' : 'en-GB', timezoneId: 'Europe/Bucharest', viewport: { width: 1366, height: 768 } });
  await context.addInitScript((value) => localStorage.setItem('pm_locale', value), locale);
  return context.newPage();
}

async function signIn(page: Page, [email, password]: readonly [string, string]) {
  await page.goto('/sign-in');
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('.app-nav')).toBeVisible();
}

/** A tRPC call from the signed-in page (same origin, its session cookie). */
async function call<T>(page: Page, procedure: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  return page.evaluate(async ({ procedure, input, kind }) => {
    const res = kind === 'mutation'
      ? await fetch(`/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })
      : await fetch(input === undefined ? `/trpc/${procedure}` : `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
    const body = await res.json();
    if (!res.ok) throw new Error(`${procedure}: ${JSON.stringify(body)}`);
    return body.result.data;
  }, { procedure, input, kind }) as Promise<T>;
}

test('an ended partnership: the partner is emailed and sees it as ended on My institutions (en, ro)', async ({ browser }) => {
  const admin = await newPage(browser, 'en');
  await signIn(admin, SOMES_ADMIN);
  const options = await call<{ locations: { id: number }[] }>(admin, 'partners.formOptions', undefined, 'query');
  const { partnershipId } = await call<{ partnershipId: number }>(admin, 'partners.create', {
    country: 'RO', taxNumber: '31275800', registrationNumber: 'J12/2233/2013', companyName: 'MedPlus Diagnostic SRL', address: 'x',
    contactName: 'Bogdan Marin', contactEmail: MEDPLUS_ADMIN[0], contactPhone: '0722000000', locationIds: [options.locations[0].id],
    commission: { type: 'percent', percent: '12.5' }, paymentLocation: 'partner', patientDataAccess: false,
  });

  const partner = await newPage(browser, 'en');
  await signIn(partner, MEDPLUS_ADMIN);
  await call(partner, 'partnerPortal.approve', { partnershipId });
  await partner.goto('/institutions');
  await expect(partner.getByRole('heading', { name: SOMES, level: 2 })).toBeVisible();
  await expect(partner.getByRole('heading', { name: 'Ended partnerships' })).toHaveCount(0);

  // The institution deletes the partner through its page.
  await admin.goto(`/partners/${partnershipId}`);
  await admin.getByRole('button', { name: /Delete partner/ }).click();
  const dialog = admin.getByRole('alertdialog', { name: 'Delete partner' });
  await dialog.getByRole('button', { name: 'Delete partner' }).click();
  await expect(admin.getByText('Ended', { exact: true }).first()).toBeVisible();

  // Bogdan Marin (Romanian) is told in Romanian.
  const mail = await waitForEmail(MEDPLUS_ADMIN[0], /a încheiat parteneriatul cu MedPlus Diagnostic SRL/);
  expect(mail.subject).toBe(`Parteneriat încheiat — ${SOMES}`);

  // English: Napoca stays active above; Someș is listed as ended, with the date.
  await partner.reload();
  await expect(partner.getByRole('heading', { name: NAPOCA, level: 2 })).toBeVisible();
  const ended = partner.locator('.ended-partnerships');
  await expect(ended.getByRole('heading', { name: 'Ended partnerships' })).toBeVisible();
  const card = ended.locator(`[data-partnership-id="${partnershipId}"]`);
  await expect(card.getByRole('heading', { name: SOMES })).toBeVisible();
  await expect(card.getByText('Ended', { exact: true })).toBeVisible();
  await expect(card.getByText('Ended on')).toBeVisible();
  await expect(card.getByText('Locations granted')).toBeVisible();
  await expect(card.getByText('12.5 %')).toBeVisible();
  await expect(partner.getByText(/not yet a partner of any institution/)).toHaveCount(0);
  await card.scrollIntoViewIfNeeded();
  await partner.screenshot({ path: 'test-results/partner-ended-en.png' });

  // Romanian.
  const ro = await newPage(browser, 'ro');
  await signIn(ro, MEDPLUS_ADMIN);
  await ro.goto('/institutions');
  const endedRo = ro.locator('.ended-partnerships');
  await expect(endedRo.getByRole('heading', { name: 'Parteneriate încheiate' })).toBeVisible();
  const cardRo = endedRo.locator(`[data-partnership-id="${partnershipId}"]`);
  await expect(cardRo.getByText('Încheiat', { exact: true })).toBeVisible();
  await expect(cardRo.getByText('Încheiat la')).toBeVisible();
  await expect(cardRo.getByText('12,5 %')).toBeVisible();
  await cardRo.scrollIntoViewIfNeeded();
  await ro.screenshot({ path: 'test-results/partner-ended-ro.png' });

  // The page fits 1366 px: no horizontal scrolling.
  expect(await ro.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});
