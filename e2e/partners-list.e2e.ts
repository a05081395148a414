/**
 * Issue 10 item 4 in a real browser: the partners list shows one row per partner organisation. MedPlus is invited by
 * Clinica Someș, approves, is deleted (ended) and invited again: the default filter ("Current partners") shows it once,
 * waiting for approval, with its earlier partnership counted; "Ended and closed invitations" did show it while it had
 * ended; its page lists the earlier partnership, whose own page links the current one; withdrawn at the end, it is one
 * closed row again (MedPlus is no open partner of Clinica Someș for the journeys after). The table fits the page at
 * 1366×768 and 1920×1080, in English and Romanian: no horizontal scrolling, dates whole, names on at most two lines.
 */
import { expect, test, type Page } from '@playwright/test';
import { newPage, shot, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SOMES_ADMIN = { email: 'admin@clinica-somes.ro', password: 'Somes-Admin-2026' };
const MEDPLUS_ADMIN = { email: 'admin@medplus-diagnostic.ro', password: 'MedPlus-Admin-2026' };
const MEDPLUS = 'MedPlus Diagnostic SRL';

function menu(page: Page, name: string) {
  return page.locator('.app-nav').getByRole('link', { name, exact: true });
}

const medplusRows = (page: Page) => page.locator('.partners-table tbody tr').filter({ hasText: MEDPLUS });

async function inviteMedPlus(page: Page, contactEmail: string) {
  await menu(page, 'Administration / Partner Module').click();
  await page.getByRole('link', { name: 'Add New Partner' }).click();
  await page.getByLabel('Tax number').fill('RO31275800');
  await page.getByLabel('Registration number').fill('J12/2233/2013');
  await page.getByLabel('Company name').fill(MEDPLUS);
  await page.getByLabel('Headquarters address').fill('Calea Florești 58, Cluj-Napoca');
  await page.getByLabel('Contact name').fill('Alexandra-Ioana Constantinescu-Popovici');
  await page.getByLabel('Contact email').fill(contactEmail);
  await page.getByLabel('Contact phone').fill('+40 744 000 222');
  for (const box of await page.getByRole('group', { name: 'Locations the partner may book' }).getByRole('checkbox').all()) await box.check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Invitation' })).toContainText('Waiting for an answer', { timeout: 15_000 });
}

/** The table fits its page: no horizontal scrolling, no date cut, company and contact names on at most two lines. */
async function expectTableFits(page: Page) {
  const fit = await page.evaluate(() => {
    const wrap = document.querySelector('.partners-page .table-wrap') as HTMLElement;
    const lines = (el: Element) => {
      const style = getComputedStyle(el);
      return Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight));
    };
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      table: wrap.scrollWidth - wrap.clientWidth,
      datesCut: [...document.querySelectorAll('.partners-table td.cell-date')].filter((td) => td.scrollWidth > td.clientWidth).length,
      nameLines: Math.max(...[...document.querySelectorAll('.partners-table tbody .two-lines')].map(lines)),
    };
  });
  expect(fit).toEqual({ page: 0, table: 0, datesCut: 0, nameLines: expect.any(Number) });
  expect(fit.nameLines).toBeLessThanOrEqual(2);
}

test('a company deleted and invited again is one row with its current partnership; earlier ones are on its page', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  await inviteMedPlus(admin, 'first.contact@medplus-diagnostic.ro');

  const medplus = await newPage(browser);
  await signIn(medplus, MEDPLUS_ADMIN);
  await menu(medplus, 'Invitations').click();
  const invitation = medplus.locator('article.invitation-card').filter({ hasText: 'Clinica Medicală Someș SRL' });
  await invitation.getByRole('button', { name: 'Approve' }).click();
  await expect(medplus.getByText('You are now a partner of Clinica Medicală Someș SRL')).toBeVisible();

  // Delete partner: the partnership ends.
  await menu(admin, 'Administration / Partner Module').click();
  await medplusRows(admin).getByRole('link', { name: MEDPLUS }).click();
  await expect(admin.getByRole('heading', { name: MEDPLUS, level: 1 })).toBeVisible();
  await expect(admin.locator('.detail-status')).toContainText('Active');
  await admin.getByRole('button', { name: 'Delete partner' }).click();
  await admin.getByRole('alertdialog').getByRole('button', { name: 'Delete partner' }).click();
  await expect(admin.locator('.detail-status')).toContainText('Ended');
  const endedUrl = admin.url();

  // Not a current partner any more; listed under "Ended and closed invitations".
  await admin.getByRole('link', { name: 'All partners' }).click();
  await expect(admin.getByLabel('Status')).toHaveValue('current');
  await expect(admin.getByText('Partners shown:').or(admin.getByText('You have no current partners'))).toBeVisible();
  await expect(medplusRows(admin)).toHaveCount(0);
  await admin.getByLabel('Status').selectOption('ended');
  await expect(medplusRows(admin)).toHaveCount(1);
  await expect(medplusRows(admin)).toContainText('Ended');
  await expect(admin).toHaveURL(/status=ended/);

  // Invited again: one row, waiting for approval, with its earlier partnership counted — under "Current" and "All".
  await inviteMedPlus(admin, 'second.contact@medplus-diagnostic.ro');
  const currentUrl = admin.url();
  await menu(admin, 'Administration / Partner Module').click();
  await expect(admin.getByLabel('Status')).toHaveValue('current');
  await expect(medplusRows(admin)).toHaveCount(1);
  await expect(medplusRows(admin)).toContainText('Waiting for approval');
  await expect(medplusRows(admin)).toContainText('second.contact@medplus-diagnostic.ro');
  await expect(medplusRows(admin)).toContainText('1 earlier partnership');
  await admin.getByLabel('Status').selectOption('all');
  await expect(medplusRows(admin)).toHaveCount(1);
  await admin.getByLabel('Status').selectOption('ended');
  await expect(medplusRows(admin)).toHaveCount(0);
  await admin.getByLabel('Status').selectOption('current');

  // The partner's page lists the earlier partnership; that one's page links the current one.
  await medplusRows(admin).getByRole('link', { name: MEDPLUS }).click();
  await expect(admin).toHaveURL(currentUrl);
  const earlier = admin.getByRole('region', { name: 'Earlier partnerships' });
  await expect(earlier).toContainText('Ended');
  await earlier.getByRole('link', { name: /^Invited / }).click();
  await expect(admin).toHaveURL(endedUrl);
  const current = admin.getByRole('region', { name: 'Earlier partnerships' });
  await expect(current).toContainText('This is an earlier partnership with this company.');
  await expect(current).toContainText('Waiting for approval');
  await current.getByRole('link', { name: /^Invited / }).click();
  await expect(admin).toHaveURL(currentUrl);

  // Withdrawn (so that MedPlus is no open partner of Someș for the journeys after this one): still one row, now under
  // "Ended and closed invitations", with the ended partnership as its earlier one.
  await admin.getByRole('button', { name: 'Withdraw invitation' }).click();
  await admin.getByRole('alertdialog').getByRole('button', { name: 'Withdraw invitation' }).click();
  await expect(admin.locator('.detail-status')).toContainText('Withdrawn');
  await admin.getByRole('link', { name: 'All partners' }).click();
  await expect(medplusRows(admin)).toHaveCount(0);
  await admin.getByLabel('Status').selectOption('ended');
  await expect(medplusRows(admin)).toHaveCount(1);
  await expect(medplusRows(admin)).toContainText('Withdrawn');
  await expect(medplusRows(admin)).toContainText('1 earlier partnership');
});

test('the partners table fits the page at 1366×768 and 1920×1080, in English and Romanian', async ({ browser }) => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }]) {
    for (const language of ['en', 'ro'] as const) {
      // The language is this browser's stored choice (switching in the UI would also change the account's language).
      const admin = await newPage(browser, { viewport });
      await signIn(admin, SOMES_ADMIN);
      if (language === 'ro') await admin.context().addInitScript(() => localStorage.setItem('pm_locale', 'ro'));
      await admin.goto('/partners?status=all');
      await expect(medplusRows(admin)).toHaveCount(1);
      if (language === 'ro') {
        await expect(admin.getByLabel('Stare')).toHaveValue('all');
        await expect(admin.getByRole('option', { name: 'Parteneri actuali' })).toHaveCount(1);
        await expect(medplusRows(admin)).toContainText('1 parteneriat anterior');
      } else {
        await expect(medplusRows(admin)).toContainText('1 earlier partnership');
      }
      await expectTableFits(admin);
      await shot(admin, `partners-list-${language}-${viewport.width}`);
      await admin.context().close();
    }
  }
});
