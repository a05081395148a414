/**
 * Reports and commission settlement in a real browser, against the demo data of Centrul Medical Napoca (seeded ~3
 * months back from 'now', with partner bookings from Clinica Someș and MedPlus in every past month):
 * - Napoca's administrator opens Reports / Statistics, picks "Last month", keeps only "Sent by partners", sees the
 *   Booking source (the partners' company names), the commission and the totals, and downloads the streamed CSV (its
 *   header row, and as many data rows as "Bookings: N" says);
 * - she runs the settlement of last month, watches it finish, sees one statement per partner with its net, opens
 *   MedPlus Diagnostic SRL's statement and issues it; MedPlus's administrator sees it under Commission statements with
 *   the same net, and the email with its /settlement-statements/<id> link arrives in MailDev;
 * - the statistics and settlement pages read in Romanian;
 * - a custom period ending before it starts is shown under its field, and no report is requested.
 * Only the settlement journey writes anything (one issued statement); on a retry or a repeat in the same database it
 * settles the month before instead, so it never meets a statement it issued itself. No test depends on today's date.
 * Screenshots of the key screens go to /work/notes/screens/ (outside the repository) for review.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { Temporal } from 'temporal-polyfill';
import { monthBack, monthName, newPage, shot, signIn, VIEWPORT } from './helpers';
import { waitForEmail } from './mail';

const ADMIN = { email: 'admin@centrul-napoca.ro', password: 'Napoca-Admin-2026', name: 'Mirela Bota' };
const PARTNER_ADMIN = { email: 'admin@medplus-diagnostic.ro', password: 'MedPlus-Admin-2026' };
const INSTITUTION = 'Centrul Medical Napoca SRL';
const MEDPLUS = 'MedPlus Diagnostic SRL';
const SOMES = 'Clinica Medicală Someș SRL';
const PARTNERS = [SOMES, MEDPLUS];
const REPORT_TABLE = 'Bookings of the period, one row per booking';
const CSV_HEADER = ['Booking ID', 'Date', 'Time', 'Time zone', 'Location', 'Physician', 'Service', 'Patient', 'Status', 'Payment status',
  'Booking source', 'Price', 'Currency', 'Commission', 'Commission currency', 'Payment location'];
/** An amount as the UI writes it in English: "1,234.50 RON". */
const MONEY = /^-?[\d,]+\.\d{2} [A-Z]{3}$/;

test.use({ viewport: VIEWPORT });

// ---- statistics -----------------------------------------------------------------------------------------------

/** The input of a statistics.institution request (batched GET: ?input={"0":{…}}), or null for another request. */
function statisticsInput(url: string): { period?: { kind: string }; scope?: string } | null {
  if (!/\/trpc\/[^?]*statistics\.institution/.test(url)) return null;
  const u = new URL(url);
  const procs = u.pathname.replace(/^\/trpc\//, '').split(',');
  const inputs = JSON.parse(u.searchParams.get('input') ?? '{}') as Record<string, { json?: unknown } | undefined>;
  const raw = inputs[String(procs.indexOf('statistics.institution'))];
  return ((raw && typeof raw === 'object' && 'json' in raw ? raw.json : raw) ?? {}) as { period?: { kind: string }; scope?: string };
}

const reportRegion = (page: Page) => page.getByRole('region', { name: REPORT_TABLE });

/** Runs `action` (which asks for a report matching `wanted`) and waits until that report is on screen. */
async function loadingReport(page: Page, wanted: (input: NonNullable<ReturnType<typeof statisticsInput>>) => boolean, action: () => Promise<unknown>) {
  const response = page.waitForResponse((r) => { const i = statisticsInput(r.url()); return !!i && wanted(i) && r.ok(); });
  await action();
  await response;
  await expect(reportRegion(page)).toHaveAttribute('aria-busy', 'false');
}

/** "Bookings: 1,234" → 1234. */
async function bookingCount(page: Page): Promise<number> {
  const status = page.getByRole('status').filter({ hasText: /^Bookings: [\d,]+$/ });
  await expect(status).toBeVisible();
  return Number((await status.textContent())!.replace(/^Bookings: /, '').replace(/,/g, ''));
}

/** The texts of one column of a table, found by its header's name. */
async function columnTexts(table: Locator, header: string): Promise<string[]> {
  return table.evaluate((el, name) => {
    const heads = [...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    const index = heads.findIndex((h) => h === name || h.startsWith(name));
    if (index < 0) throw new Error(`no column "${name}" in ${heads.join(' | ')}`);
    return [...el.querySelectorAll('tbody tr')].map((tr) => (tr.children[index] as HTMLElement | undefined)?.innerText.trim() ?? '');
  }, header);
}

/** Parses CSV text (RFC 4180: quoted cells, "" inside quotes, newlines inside quotes), BOM stripped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function openStatistics(page: Page) {
  await page.getByRole('link', { name: 'Reports / Statistics', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Reports / Statistics', level: 1 })).toBeVisible();
  await expect(reportRegion(page)).toHaveAttribute('aria-busy', 'false');
}

async function pickLastMonth(page: Page) {
  await loadingReport(page, (i) => i.period?.kind === 'lastMonth', () => page.getByRole('radio', { name: 'Last month' }).check());
  await expect(page).toHaveURL(/[?&]period=lastMonth/);
}

// ---- journeys -------------------------------------------------------------------------------------------------

test('an institution admin reports last month\'s partner bookings, exports the CSV, settles the month and issues MedPlus\'s statement; MedPlus sees it', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await newPage(browser);
  await signIn(page, ADMIN);

  // ---- Reports / Statistics: last month, sent by partners.
  await openStatistics(page);
  await pickLastMonth(page);
  const allLastMonth = await bookingCount(page);
  await loadingReport(page, (i) => i.period?.kind === 'lastMonth' && i.scope === 'partners',
    () => page.getByRole('radio', { name: 'Sent by partners' }).check());
  await expect(page).toHaveURL(/[?&]scope=partners/);
  await expect(page.getByRole('radio', { name: 'Sent by partners' })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'Last month' })).toBeChecked();
  const count = await bookingCount(page);
  expect(count, 'last month has partner bookings in the demo data').toBeGreaterThan(0);
  expect(count).toBeLessThan(allLastMonth);

  const table = reportRegion(page).getByRole('table', { name: REPORT_TABLE });
  await expect(table.getByRole('columnheader', { name: /^Booking source/ })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /^Commission/ })).toBeVisible();
  const sources = await columnTexts(table, 'Booking source');
  expect(sources.length).toBe(Math.min(count, 25));
  for (const s of sources) expect(PARTNERS.some((p) => s.startsWith(p)), `a partner's company name as the source, not "${s}"`).toBe(true);
  const commissions = await columnTexts(table, 'Commission');
  for (const c of commissions) expect(c).toMatch(new RegExp(`${MONEY.source}|^—$`));
  expect(commissions.some((c) => MONEY.test(c)), 'some booking of last month carries a commission').toBe(true);

  // Totals per currency: the bookings add up to the count, and the commission is an amount.
  const totals = page.getByRole('group', { name: 'Totals per currency' });
  await expect(totals).toBeVisible();
  const ron = totals.locator('dl').filter({ hasText: 'Totals in RON' });
  await expect(ron).toBeVisible();
  const totalBookings = await totals.locator('dl').evaluateAll((dls) => dls.reduce((sum, dl) => {
    const dd = [...dl.querySelectorAll('div')].find((d) => d.querySelector('dt')?.textContent === 'Bookings')?.querySelector('dd');
    return sum + Number((dd?.textContent ?? '0').replace(/,/g, ''));
  }, 0));
  expect(totalBookings).toBe(count);
  await expect(ron.locator('div').filter({ hasText: 'Commission (completed bookings)' }).getByRole('definition')).toHaveText(MONEY);

  await shot(page, 'statistics-partners-last-month');

  // Both partners appear in the per-partner chart's figures.
  const perPartner = page.locator('figure').filter({ has: page.getByRole('heading', { name: 'Bookings and commission per partner', level: 3 }) });
  await perPartner.getByText('Show the figures as a table').click();
  for (const p of PARTNERS) await expect(perPartner.getByRole('rowheader', { name: p, exact: true })).toBeVisible();

  // ---- CSV: streamed with progress, saved as a download; its rows are the filtered bookings.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  await expect(page.getByText(`CSV saved: ${count.toLocaleString('en-GB')} rows.`, { exact: true }).first()).toBeAttached();
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = parseCsv(readFileSync((await download.path())!, 'utf8')).filter((r) => r.length > 1 || r[0] !== '');
  expect(csv[0]).toEqual(CSV_HEADER);
  expect(csv.length - 1, 'data rows in the CSV = "Bookings: N"').toBe(count);
  const sourceColumn = CSV_HEADER.indexOf('Booking source');
  expect(new Set(csv.slice(1).map((r) => r[sourceColumn]))).toEqual(new Set(PARTNERS));
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeEnabled();

  // ---- Commission settlement of last month (the month before on a retry/repeat in the same database).
  const info = test.info();
  const month = monthBack(1 + info.retry + info.repeatEachIndex);
  await page.getByRole('link', { name: 'Commission settlement', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Commission settlement', level: 1 })).toBeVisible();
  const monthField = page.getByLabel('Month', { exact: true });
  if (month === monthBack(1)) await expect(monthField).toHaveValue(month); // last month is the default
  else await monthField.selectOption(month);
  await expect(page).toHaveTitle(/Commission settlement/);
  const runsRegion = page.getByRole('region', { name: 'Settlement runs' });
  const runRows = runsRegion.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(runsRegion.or(page.getByText('No settlement has run yet.'))).toBeVisible();
  const runsBefore = await runRows.count();

  const run = page.getByRole('button', { name: `Run settlement for ${monthName(month)}` });
  const started = page.waitForResponse((r) => r.url().includes('settlements.start') && r.request().method() === 'POST');
  await run.click();
  expect((await started).ok(), 'settlements.start answered').toBe(true);
  // The run is listed at once; while it is queued or running the page polls its progress (bar, disabled button);
  // when it has finished, its summary replaces them.
  await expect(runRows).toHaveCount(runsBefore + 1);
  const ourRun = runRows.first(); // newest first
  await expect(ourRun.getByRole('rowheader')).toHaveText(monthName(month));
  await expect(ourRun).toContainText(`${ADMIN.name} (manual)`);
  await expect(ourRun).toContainText('Completed', { timeout: 60_000 });
  await expect(ourRun).toContainText('2 / 2');
  const finished = page.getByText(/^Settlement finished .*: \d+ statements, \d+ lines\.$/);
  await expect(finished).toBeVisible();
  await expect(finished).toContainText(': 2 statements,');
  await expect(page.getByRole('progressbar', { name: 'Settlement progress' })).toHaveCount(0);
  await expect(run).toBeEnabled();

  // One statement per partner, each with its net in one direction.
  const statements = page.getByRole('region', { name: `Statements for ${monthName(month)}` });
  await expect(statements.getByRole('row').filter({ has: page.getByRole('cell') })).toHaveCount(2);
  const somesRow = statements.getByRole('row').filter({ has: page.getByRole('rowheader', { name: SOMES }) });
  const medplusRow = statements.getByRole('row').filter({ has: page.getByRole('rowheader', { name: MEDPLUS }) });
  await expect(somesRow).toContainText('Draft');
  await expect(medplusRow).toContainText('Draft');
  // Someș: 10 % commission, its patients pay at Napoca → Napoca pays Someș the commission.
  await expect(somesRow.getByRole('listitem')).toHaveText(/^Institution pays partner [\d,]+\.\d{2} RON$/);
  // MedPlus: 25.00 RON per booking, its patients pay at MedPlus → MedPlus pays Napoca price − commission.
  const medplusNet = medplusRow.getByRole('listitem');
  await expect(medplusNet).toHaveText(/^Partner pays institution [\d,]+\.\d{2} RON$/);
  const net = (await medplusNet.textContent())!.trim();
  const netAmount = net.replace(/^Partner pays institution /, '');
  await shot(page, 'settlement-month', true);

  // ---- MedPlus's statement: issue it.
  await medplusRow.getByRole('link', { name: MEDPLUS }).click();
  await expect(page.getByRole('heading', { name: `Commission statement: ${MEDPLUS}, ${monthName(month)}`, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/settlements\/statements\/\d+$/);
  const statementId = /\/settlements\/statements\/(\d+)$/.exec(page.url())![1]!;
  const meta = page.locator('.statement-meta');
  const metaValue = (term: string) => meta.locator('div').filter({ has: page.getByRole('term').filter({ hasText: term }) }).getByRole('definition');
  await expect(metaValue('Statement no.')).toHaveText(statementId);
  await expect(metaValue('Month')).toHaveText(monthName(month));
  await expect(meta.locator('.badge-statement')).toHaveText('Draft');
  const netDetail = page.getByRole('definition').filter({ hasText: `${MEDPLUS} pays ${INSTITUTION} ${netAmount}` });
  await expect(netDetail).toBeVisible();
  await expect(page.getByRole('region', { name: 'Bookings', exact: true }).getByRole('row').filter({ has: page.getByRole('cell') }).first()).toContainText('25.00 RON per booking');

  await page.getByRole('button', { name: 'Issue statement' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Issue this statement?' });
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(`The statement of ${MEDPLUS} for ${monthName(month)} will be issued`);
  await shot(page, 'statement-issue-confirm');
  await confirm.getByRole('button', { name: 'Issue and email the partner' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(/^The statement is issued; \d+ email\(s\) to the partner are on their way\.$/)).toBeVisible();
  await expect(meta.locator('.badge-statement')).toHaveText('Issued');
  await expect(metaValue('Issued')).toContainText(`by ${ADMIN.name}`);
  await expect(page.getByRole('button', { name: 'Issue statement' })).toHaveCount(0);
  await expect(netDetail).toBeVisible(); // issuing never changes the figures
  await shot(page, 'statement-issued', true);

  // Back on the month: MedPlus issued, Someș still a draft.
  await page.getByRole('link', { name: 'Back to Commission settlement' }).click();
  await expect(medplusRow).toContainText('Issued');
  await expect(somesRow).toContainText('Draft');
  await expect(medplusRow.getByRole('listitem')).toHaveText(net);
  await page.context().close();

  // ---- MedPlus's administrator: Commission statements.
  const partner = await newPage(browser);
  await signIn(partner, PARTNER_ADMIN);
  await partner.getByRole('link', { name: 'Commission statements', exact: true }).click();
  await expect(partner.getByRole('heading', { name: 'Commission statements', level: 1 })).toBeVisible();
  const fromNapoca = partner.getByRole('region', { name: INSTITUTION, exact: true }).first();
  const issuedRow = fromNapoca.getByRole('row').filter({ has: partner.getByRole('rowheader', { name: monthName(month) }) });
  await expect(issuedRow).toHaveCount(1);
  await expect(issuedRow).toContainText('Issued');
  await expect(issuedRow.getByRole('listitem')).toHaveText(net);
  await shot(partner, 'partner-statements');
  await issuedRow.getByRole('link', { name: monthName(month) }).click();
  await expect(partner).toHaveURL(new RegExp(`/settlement-statements/${statementId}$`));
  await expect(partner.getByRole('heading', { name: `Commission statement: ${MEDPLUS}, ${monthName(month)}`, level: 1 })).toBeVisible();
  await expect(partner.getByRole('definition').filter({ hasText: `${MEDPLUS} pays ${INSTITUTION} ${netAmount}` })).toBeVisible();
  await expect(partner.getByRole('button', { name: 'Issue statement' })).toHaveCount(0);
  await expect(partner.getByRole('heading', { name: 'Mark as paid' })).toHaveCount(0);

  // ---- The partner's email, with the statement's link.
  const email = await waitForEmail(PARTNER_ADMIN.email, new RegExp(`/settlement-statements/${statementId}(?!\\d)`), 60_000);
  const link = new RegExp(`https?://\\S+/settlement-statements/${statementId}(?!\\d)`).exec(email.text)![0];
  await partner.goto(link);
  await expect(partner.getByRole('heading', { name: `Commission statement: ${MEDPLUS}, ${monthName(month)}`, level: 1 })).toBeVisible();
  await expect(partner.locator('.statement-meta .badge-statement')).toHaveText('Issued');
  await partner.context().close();
});

test('the statistics and settlement pages read in Romanian', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByLabel('Language').selectOption({ label: 'Română' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'ro');

  await page.getByRole('link', { name: 'Rapoarte / Statistici', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Rapoarte / Statistici', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/Rapoarte \/ Statistici/);
  await shot(page, 'statistics-ro');

  await page.getByRole('link', { name: 'Calcul comision', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Calcul comision', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/Calcul comision/);
  await shot(page, 'settlement-ro');
  await page.context().close();
});

test('a custom period ending before it starts is shown under its field and no report is requested', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await openStatistics(page);
  await pickLastMonth(page);
  const lastMonth = await bookingCount(page);

  // Custom dates, first set to exactly last month: the same bookings.
  const first = Temporal.PlainYearMonth.from(monthBack(1)).toPlainDate({ day: 1 });
  const last = Temporal.PlainYearMonth.from(monthBack(1)).toPlainDate({ day: Temporal.PlainYearMonth.from(monthBack(1)).daysInMonth });
  await loadingReport(page, (i) => i.period?.kind === 'custom', () => page.getByRole('radio', { name: 'Custom dates' }).check());
  const from = page.getByLabel('From', { exact: true });
  const to = page.getByLabel('To (inclusive)');
  await loadingReport(page, (i) => i.period?.kind === 'custom', () => from.fill(first.toString()));
  await loadingReport(page, (i) => i.period?.kind === 'custom', () => to.fill(last.toString()));
  expect(await bookingCount(page)).toBe(lastMonth);
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
  // The hint names the dates the report covers ("1 Oct 2026 – 31 Oct 2026 · Days are counted in …").
  const range = page.getByText(new RegExp(`^1 \\S+ ${first.year} – ${last.day} \\S+ ${last.year}`));
  await expect(range).toBeVisible();

  // The end before the start: the field says so, the report asks for nothing.
  const requests: string[] = [];
  page.on('request', (r) => { if (statisticsInput(r.url())) requests.push(r.url()); });
  const before = first.subtract({ days: 1 }).toString();
  await to.fill(before);
  await expect(to).toHaveValue(before);
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(to).toHaveAccessibleDescription('The end of the period must not be before its start.');
  await expect(from).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Correct the period to see the report.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Bookings: / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  await expect(range).toHaveCount(0); // no longer the dates of a report on screen
  await expect(page).toHaveURL(new RegExp(`[?&]to=${before}`));
  await shot(page, 'statistics-period-error');

  const whileInvalid = requests.length;

  // Corrected: the same report again (from the cache; no error left).
  await to.fill(last.toString());
  await expect(to).not.toHaveAttribute('aria-invalid', 'true');
  expect(await bookingCount(page)).toBe(lastMonth);
  await expect(range).toBeVisible();
  expect(whileInvalid, 'no report was requested while the period was invalid').toBe(0);
  expect(requests.filter((u) => decodeURIComponent(u).includes(before)), 'no report was ever requested for the bad period').toEqual([]);
  await page.context().close();
});
