/**
 * Issue 10, items 5 and 6, in a real browser:
 * - Traffic Channels with 50+ partner columns, at 1366×768 and 1920×1080: the matrix is its own scroll container that
 *   fits in the viewport (both scrollbars on screen, the page itself does not scroll), and after scrolling it down and
 *   right the header row with the partner names and the service column are still in view.
 * - Add New Partner says which path the invitation takes while the form is filled in: MedPlus (a company with users)
 *   gets an approval request, a new tax number a registration email; its registry data can be copied into the form;
 *   an invalid number says nothing; saving takes the announced path.
 * With SCREENS_DIR set, screenshots in English and Romanian are written there.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { newPage, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

const SOMES_ADMIN = ['admin@clinica-somes.ro', 'Somes-Admin-2026'] as const;
const SCREENS_DIR = process.env.SCREENS_DIR;
const VIEWPORTS = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }] as const;
const PARTNER_COLUMNS = 52;

async function screenshot(page: Page, name: string) {
  if (!SCREENS_DIR) return;
  await page.screenshot({ path: `${SCREENS_DIR}/${name}.png` });
}

/** Invites partners through the API as the signed-in admin (same-origin fetch from the page, as the app does). */
async function invitePartners(page: Page, count: number) {
  const created = await page.evaluate(async (n) => {
    const options = await (await fetch('/trpc/partners.formOptions')).json();
    const locationId = options.result.data.locations[0].id as number;
    const run = Date.now().toString(36).toUpperCase();
    let ok = 0;
    for (let i = 1; i <= n; i++) {
      const res = await fetch('/trpc/partners.create', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          country: 'DE', taxNumber: `DE${run}${String(i).padStart(3, '0')}`, registrationNumber: `HRB ${1000 + i}`,
          companyName: `Praxisgemeinschaft Partner ${String(i).padStart(2, '0')} GmbH`, address: `Hauptstraße ${i}, Berlin`,
          contactName: 'Anna Schmidt', contactEmail: `kontakt${i}.${run.toLowerCase()}@partner-praxis.de`, contactPhone: '+49 30 1234567',
          locationIds: [locationId], commission: { type: 'none' }, paymentLocation: 'institution', patientDataAccess: false,
        }),
      });
      if (res.ok) ok++;
    }
    return ok;
  }, count);
  expect(created).toBe(count);
}

/** What is painted at a point of the page: the closest table cell's class and text. */
async function cellAt(page: Page, x: number, y: number) {
  return page.evaluate(([px, py]) => {
    const cell = document.elementFromPoint(px, py)?.closest('th, td');
    return cell ? { className: cell.className, text: cell.textContent ?? '', inHead: !!cell.closest('thead') } : null;
  }, [x, y] as const);
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not visible');
  return b;
}

test('Traffic Channels with 50+ partners: the matrix scrolls inside the viewport, partner names and services stay in view', async ({ browser }) => {
  const setup = await newPage(browser, { viewport: VIEWPORTS[0] });
  await signIn(setup, SOMES_ADMIN);
  await invitePartners(setup, PARTNER_COLUMNS);
  await setup.context().close();

  for (const viewport of VIEWPORTS) {
    for (const locale of ['en', 'ro'] as const) {
      const page = await newPage(browser, { viewport, locale });
      await signIn(page, SOMES_ADMIN);
      await page.goto('/traffic-channels');
      const matrix = page.locator('.traffic-wrap');
      await expect(matrix.locator('tbody tr[data-service-id]').first()).toBeVisible();
      const partnerHeads = matrix.locator('thead th.col-partner');
      expect(await partnerHeads.count()).toBeGreaterThanOrEqual(PARTNER_COLUMNS);
      // Let the matrix fit itself to the viewport.
      await expect.poll(() => matrix.evaluate((el) => el.style.getPropertyValue('--traffic-height'))).not.toBe('');
      await page.waitForTimeout(200);

      // Its own scroll container, wholly on screen: both scrollbars visible, the page itself does not scroll.
      const wrap = await box(matrix);
      expect(wrap.y + wrap.height).toBeLessThanOrEqual(viewport.height);
      const sizes = await matrix.evaluate((el) => ({
        sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight,
        page: document.scrollingElement!.scrollHeight - window.innerHeight,
      }));
      expect(sizes.sw).toBeGreaterThan(sizes.cw);
      expect(sizes.sh).toBeGreaterThan(sizes.ch);
      expect(sizes.page).toBeLessThanOrEqual(1);
      await screenshot(page, `traffic-${viewport.width}-${locale}-top`);

      // Scroll the matrix down and to the right, as a user would with the wheel.
      await page.mouse.move(wrap.x + wrap.width / 2, wrap.y + wrap.height / 2);
      await page.mouse.wheel(0, 5000);
      await page.mouse.wheel(3000, 0);
      await expect.poll(() => matrix.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
      await expect.poll(() => matrix.evaluate((el) => el.scrollLeft)).toBeGreaterThan(1000);
      await page.waitForTimeout(200);
      const after = await box(matrix);
      expect(after.y).toBeCloseTo(wrap.y, 0);

      // The header row is still at the matrix's top: a partner's name over the columns, "Service" in the corner …
      const serviceWidth = (await box(matrix.locator('thead th.col-service'))).width;
      const top = await cellAt(page, after.x + serviceWidth + 40, after.y + 12);
      expect(top?.inHead).toBe(true);
      expect(top?.className).toContain('col-partner');
      expect(top?.text).toMatch(/Partner \d\d GmbH/);
      const corner = await cellAt(page, after.x + 12, after.y + 12);
      expect(corner?.inHead).toBe(true);
      expect(corner?.className).toContain('col-service');
      // … and the service column on the left, below it.
      const left = await cellAt(page, after.x + 12, after.y + after.height - 40);
      expect(left?.inHead).toBe(false);
      expect(left?.className).toContain('col-service');
      await screenshot(page, `traffic-${viewport.width}-${locale}-scrolled`);

      // The last partner's column can be reached and ticked; its header is in view above the cell.
      await matrix.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
      const lastName = (await partnerHeads.last().locator('.channel-name').textContent())!;
      const lastRow = matrix.locator('tbody tr[data-service-id]').last();
      const lastCell = lastRow.locator('input[type=checkbox]').last();
      await lastCell.check();
      await expect(lastCell).toBeChecked();
      await expect(page.locator('.save-bar-status')).toContainText(locale === 'en' ? '1 unsaved change' : '1');
      const head = await box(partnerHeads.last());
      const cell = await box(lastCell);
      expect(head.y).toBeGreaterThanOrEqual(after.y - 1);
      expect(cell.y).toBeGreaterThan(head.y + head.height - 1);
      expect(await lastCell.getAttribute('aria-label')).toContain(lastName);
      await page.locator('.save-bar .form-actions button').nth(1).click(); // Discard changes
      await expect(lastCell).not.toBeChecked();
      await page.context().close();
    }
  }
});

test('Add New Partner says which path the invitation takes as soon as the tax number identifies the company', async ({ browser }) => {
  const page = await newPage(browser, { viewport: VIEWPORTS[0] });
  await signIn(page, SOMES_ADMIN);
  await page.goto('/partners/new');
  await expect(page.getByRole('heading', { name: 'Add New Partner' })).toBeVisible();
  const path = page.locator('#partner-invitation-path');

  // MedPlus has users: its administrators approve in the app. Its registry data is shown (never its users).
  await page.getByLabel('Tax number').fill('RO 31275800');
  await expect(path).toContainText('How the partner is invited');
  await expect(path).toContainText('its administrators receive an approval request in the app');
  await expect(path).toContainText('MedPlus Diagnostic SRL');
  await expect(path).toContainText('J12/2233/2013');
  await expect(path).toContainText('Calea Florești 58');
  await expect(path).not.toContainText('@');
  await screenshot(page, 'preview-1366-en-approval');
  await path.getByRole('button', { name: 'Use this company data' }).click();
  await expect(page.getByLabel('Company name')).toHaveValue('MedPlus Diagnostic SRL');
  await expect(page.getByLabel('Registration number')).toHaveValue('J12/2233/2013');
  await expect(path.getByRole('button', { name: 'Use this company data' })).toHaveCount(0);

  // Half-typed or invalid numbers say nothing (no error while typing).
  await page.getByLabel('Tax number').fill('RO 4242420');
  await page.waitForTimeout(800);
  await expect(path).toBeEmpty();
  await expect(page.getByText('check digit')).toHaveCount(0);

  // A tax number new to the system: the contact person gets a registration email.
  await page.getByLabel('Tax number').fill('RO 42424206');
  await expect(path).toContainText('This tax number is new to the system: the contact person receives a registration email');
  await expect(path).not.toContainText('MedPlus');
  await screenshot(page, 'preview-1366-en-registration');

  // Back to MedPlus, fill in the rest and save: the invitation takes the path announced.
  await page.getByLabel('Tax number').fill('RO31275800');
  await expect(path).toContainText('approval request');
  await page.getByLabel('Contact name').fill('Bogdan Marin');
  await page.getByLabel('Contact email').fill('contact@medplus-diagnostic.ro');
  await page.getByLabel('Contact phone').fill('+40 264 598 311');
  await page.getByRole('checkbox', { name: 'Someș Central' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The partner already has a contract in the system: its administrators were notified')).toBeVisible();
  // Leave the demo as it was: MedPlus is not Someș's partner.
  await page.getByRole('button', { name: 'Withdraw invitation' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Withdraw invitation' }).click();
  await expect(page.getByText('The invitation to MedPlus Diagnostic SRL is withdrawn.')).toBeVisible();

  // Romanian, at both sizes.
  for (const viewport of VIEWPORTS) {
    const ro = await newPage(browser, { viewport, locale: 'ro' });
    await signIn(ro, SOMES_ADMIN);
    await ro.goto('/partners/new');
    await ro.getByLabel('Cod fiscal').fill('RO31275800');
    const roPath = ro.locator('#partner-invitation-path');
    await expect(roPath).toContainText('administratorii săi primesc în aplicație o cerere de aprobare');
    await screenshot(ro, `preview-${viewport.width}-ro-approval`);
    await ro.getByLabel('Cod fiscal').fill('RO42424214');
    await expect(roPath).toContainText('persoana de contact primește un e-mail de înregistrare');
    await screenshot(ro, `preview-${viewport.width}-ro-registration`);
    await ro.context().close();
  }
  await page.context().close();
});
