/**
 * Issue 10, item 3 in a real browser: when the institution ends a partnership, the partner's admins are emailed (in
 * their language) and the partner's "My institutions" lists the partnership as ended, with the date — never "not yet a
 * partner of any institution". Checked at 1366×768 in English and Romanian (screenshots in test-results/). A new
 * company registers for this, so the demo partners (MedPlus) keep the history the other journeys expect.
 */
import { expect, test, type Page } from '@playwright/test';
import { newPage, signIn } from './helpers';
import { linkIn, waitForEmail } from './mail';

test.describe.configure({ mode: 'serial' });

const SOMES_ADMIN = ['admin@clinica-somes.ro', 'Somes-Admin-2026'] as const;
const SOMES = 'Clinica Medicală Someș SRL';
/** A new company of its own (no other journey uses it): it registers, then Someș ends the partnership. */
const AURORA = 'Clinica Aurora SRL';
const AURORA_ADMIN = ['elena@clinica-aurora.ro', 'Aurora-Admin-2026'] as const;

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
  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  const options = await call<{ locations: { id: number }[] }>(admin, 'partners.formOptions', undefined, 'query');
  const { partnershipId } = await call<{ partnershipId: number }>(admin, 'partners.create', {
    country: 'RO', taxNumber: 'RO41072659', registrationNumber: 'J12/4107/2019', companyName: AURORA, address: 'Str. Aurorei 3, Cluj-Napoca',
    contactName: 'Elena Aurora', contactEmail: AURORA_ADMIN[0], contactPhone: '0722000333', locationIds: [options.locations[0].id],
    commission: { type: 'percent', percent: '12.5' }, paymentLocation: 'partner', patientDataAccess: false,
  });

  // Its contact person registers through the emailed link (in English) and sees Someș as an active institution.
  const token = new URL(linkIn(await waitForEmail(AURORA_ADMIN[0], /partner-registration/), '/partner-registration')).searchParams.get('token')!;
  const partner = await newPage(browser);
  await partner.goto('/sign-in');
  const page = await call<{ gtc: { version: string } }>(partner, 'partnerPortal.inspectRegistration', { token }, 'query');
  await call(partner, 'partnerPortal.register', {
    token, name: 'Elena Aurora', password: AURORA_ADMIN[1], passwordConfirm: AURORA_ADMIN[1], gtcVersion: page.gtc.version, acceptGtc: true, locale: 'en',
  });
  await signIn(partner, AURORA_ADMIN);
  await partner.goto('/institutions');
  await expect(partner.getByRole('heading', { name: SOMES, level: 2 })).toBeVisible();
  await expect(partner.getByRole('heading', { name: 'Ended partnerships' })).toHaveCount(0);

  // The institution deletes the partner through its page.
  await admin.goto(`/partners/${partnershipId}`);
  await admin.getByRole('button', { name: /Delete partner/ }).click();
  const dialog = admin.getByRole('alertdialog', { name: 'Delete partner' });
  await dialog.getByRole('button', { name: 'Delete partner' }).click();
  await expect(admin.getByText('Ended', { exact: true }).first()).toBeVisible();

  // Its admin is told, in English (the language she registered in).
  const mail = await waitForEmail(AURORA_ADMIN[0], /ended its partnership with Clinica Aurora SRL/);
  expect(mail.subject).toBe(`Partnership ended — ${SOMES}`);

  // English: no active institution any more, said so; Someș is listed as ended, with the date.
  await partner.reload();
  await expect(partner.getByText('Your organisation is not an active partner of any institution at the moment.')).toBeVisible();
  await expect(partner.getByText(/not yet a partner of any institution/)).toHaveCount(0);
  const ended = partner.locator('.ended-partnerships');
  await expect(ended.getByRole('heading', { name: 'Ended partnerships' })).toBeVisible();
  const card = ended.locator(`[data-partnership-id="${partnershipId}"]`);
  await expect(card.getByRole('heading', { name: SOMES })).toBeVisible();
  await expect(card.getByText('Ended', { exact: true })).toBeVisible();
  await expect(card.getByText('Ended on')).toBeVisible();
  await expect(card.getByText('Locations granted')).toBeVisible();
  await expect(card.getByText('12.5 %')).toBeVisible();
  await partner.screenshot({ path: 'test-results/partner-ended-en.png' });

  // Romanian.
  const ro = await newPage(browser, { locale: 'ro' });
  await signIn(ro, AURORA_ADMIN);
  await ro.goto('/institutions');
  await expect(ro.getByText('În prezent, organizația dvs. nu este partenerul activ al niciunei instituții.')).toBeVisible();
  const endedRo = ro.locator('.ended-partnerships');
  await expect(endedRo.getByRole('heading', { name: 'Parteneriate încheiate' })).toBeVisible();
  const cardRo = endedRo.locator(`[data-partnership-id="${partnershipId}"]`);
  await expect(cardRo.getByText('Încheiat', { exact: true })).toBeVisible();
  await expect(cardRo.getByText('Încheiat la')).toBeVisible();
  await expect(cardRo.getByText('Locații acordate')).toBeVisible();
  await expect(cardRo.getByText('12,5 %')).toBeVisible();
  await ro.screenshot({ path: 'test-results/partner-ended-ro.png' });

  // The page fits 1366 px: no horizontal scrolling.
  expect(await ro.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
});
