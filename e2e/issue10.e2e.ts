/**
 * Issue 10 in a real browser, so it stays fixed:
 * - B1: after "Save" the partner's Invitation box follows the invitation by itself (no reload) to "Waiting for an answer".
 * - B2: right after inviting a user the users list says "Invitation sent …, expires …" (never "No valid invitation link").
 * - B3: Add partner, Edit partner, the user dialog and the catalogue dialogs ask before typed input is thrown away.
 * - B4: the registration page opens in the email's language, the person can switch, and the account keeps the choice.
 * - The clinic's menu shows "Invitations received" only while another institution's invitation waits there; the
 *   partners section stays marked on its sub-pages; the approval path's Withdraw does not speak of an emailed link;
 *   the detail page lists locations in the form's order; the Temporal workflow ID is not shown to clinic admins.
 */
import { expect, test, type Page } from '@playwright/test';
import { newPage, signIn } from './helpers';
import { waitForEmail } from './mail';

test.describe.configure({ mode: 'serial' });

const SOMES_ADMIN = ['admin@clinica-somes.ro', 'Somes-Admin-2026'] as const;
const NAPOCA_ADMIN = ['admin@centrul-napoca.ro', 'Napoca-Admin-2026'] as const;

/** A link of the main menu (the pages have links of the same names). */
function menu(page: Page, name: string) {
  return page.locator('.app-nav').getByRole('link', { name, exact: true });
}

async function fillNewPartner(page: Page, p: { taxNumber: string; company: string; email: string }) {
  await page.getByLabel('Tax number').fill(p.taxNumber);
  await page.getByLabel('Registration number').fill('J12/1010/2021');
  await page.getByLabel('Company name').fill(p.company);
  await page.getByLabel('Headquarters address').fill('Str. Republicii 1, Cluj-Napoca');
  await page.getByLabel('Contact name').fill('Ioana Pop');
  await page.getByLabel('Contact email').fill(p.email);
  await page.getByLabel('Contact phone').fill('+40 744 000 111');
}

test('B1, B3, small things: the partner page follows the invitation by itself; unsaved partner input is not lost silently', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  const partnersLink = menu(admin, 'Administration / Partner Module');
  await partnersLink.click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();
  await expect(admin.getByRole('heading', { name: 'Add New Partner' })).toBeVisible();
  // The section stays marked in the menu on its sub-pages.
  await expect(partnersLink).toHaveClass(/\bactive\b/);
  await expect(partnersLink).toHaveCSS('font-weight', '600');

  // B3: a menu item with typed input asks first; staying keeps the input, discarding leaves.
  await admin.getByLabel('Company name').fill('Clinica Leave Guard SRL');
  await menu(admin, 'Traffic Channels').click();
  const ask = admin.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(admin).toHaveURL(/\/partners\/new$/);
  await expect(admin.getByLabel('Company name')).toHaveValue('Clinica Leave Guard SRL');
  await menu(admin, 'Traffic Channels').click();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(admin.getByRole('heading', { name: 'Traffic Channels' })).toBeVisible();

  // Nothing typed: no question.
  await menu(admin, 'Administration / Partner Module').click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();
  await menu(admin, 'Audit log').click();
  await expect(admin.getByRole('heading', { name: 'Audit log' })).toBeVisible();

  await menu(admin, 'Administration / Partner Module').click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();
  await fillNewPartner(admin, { taxNumber: 'RO31415920', company: 'Policlinica Euler SRL', email: 'office@policlinica-euler.ro' });
  // Ticked in reverse order: the detail page lists them as the form does.
  const boxes = admin.getByRole('group', { name: 'Locations the partner may book' }).getByRole('checkbox');
  const formOrder = await boxes.evaluateAll((els) => els.map((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? ''));
  await boxes.nth(2).check();
  await boxes.nth(0).check();
  await admin.getByRole('button', { name: 'Save' }).click();

  // B1: no reload — the box moves on to "Waiting for an answer" by itself.
  await expect(admin.getByText('A registration email was sent to office@policlinica-euler.ro')).toBeVisible();
  const box = admin.getByRole('region', { name: 'Invitation' });
  await expect(box).toContainText('Waiting for an answer', { timeout: 15_000 });
  await expect(box).toContainText('Next reminder');
  await expect(box).toContainText('The contact person');
  await expect(box).not.toContainText('No invitation has been sent yet');
  await expect(admin.getByText(/partner-invitation:\d+/)).toHaveCount(0);
  const listed = await admin.getByRole('region', { name: 'Settings' }).locator('li').allTextContents();
  expect(listed).toEqual([formOrder[0], formOrder[2]]);
  await expect(partnersLink).toHaveClass(/\bactive\b/);

  // The registration path's Withdraw speaks of the emailed link.
  await admin.getByRole('button', { name: 'Withdraw invitation' }).click();
  await expect(admin.getByRole('alertdialog')).toContainText('The link in the email stops working');
  await admin.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();

  // B3 on Edit partner: a changed field asks before the menu takes the user away; Save passes.
  await admin.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(partnersLink).toHaveClass(/\bactive\b/);
  await admin.getByLabel('Contact phone').fill('+40 744 000 222');
  await menu(admin, 'Bookings').click();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(admin.getByLabel('Contact phone')).toHaveValue('+40 744 000 222');
  await admin.getByRole('button', { name: 'Save' }).click();
  // Saved: the contact line links the new number, and the change history records it.
  await expect(admin.getByRole('link', { name: '+40 744 000 222' })).toBeVisible();
  await expect(admin.locator('#partner-changes')).toContainText('+40 744 000 222', { timeout: 15_000 });
  await expect(ask).toBeHidden();
});

test('item 7 and the approval path: "Invitations received" appears only while another institution’s invitation waits', async ({ browser }) => {
  const napoca = await newPage(browser);
  await signIn(napoca, NAPOCA_ADMIN);
  await expect(menu(napoca, 'Invitations received')).toHaveCount(0);
  await expect(menu(napoca, 'Invitations')).toHaveCount(0);

  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  await menu(admin, 'Administration / Partner Module').click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();
  await fillNewPartner(admin, { taxNumber: 'RO41293064', company: 'Centrul Medical Napoca SRL', email: 'admin@centrul-napoca.ro' });
  await admin.getByRole('group', { name: 'Locations the partner may book' }).getByRole('checkbox').first().check();
  await admin.getByRole('button', { name: 'Save' }).click();
  const box = admin.getByRole('region', { name: 'Invitation' });
  await expect(box).toContainText('Waiting for an answer', { timeout: 15_000 });
  await expect(box).toContainText('The partner’s administrators');

  await napoca.reload();
  const received = menu(napoca, 'Invitations received');
  await expect(received).toBeVisible();
  await received.click();
  await expect(napoca.getByRole('heading', { name: 'Partner invitations received' })).toBeVisible();
  await expect(napoca.getByRole('heading', { name: 'Clinica Medicală Someș SRL' })).toBeVisible();

  // Withdrawing an approval-path invitation: no emailed link to speak of.
  await admin.getByRole('button', { name: 'Withdraw invitation' }).click();
  const dialog = admin.getByRole('alertdialog');
  await expect(dialog).toContainText('disappears from the partner’s invitations');
  await expect(dialog).not.toContainText('link in the email');
  await dialog.getByRole('button', { name: 'Withdraw invitation' }).click();
  await expect(dialog).toBeHidden();

  await menu(napoca, 'Audit log').click();
  await napoca.reload();
  await expect(napoca.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(menu(napoca, 'Invitations received')).toHaveCount(0);
});

test('B2, B3: right after inviting a user the list says when the invitation was sent; dialogs ask before dropping input', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  await expect(admin.getByRole('heading', { name: 'Administration / Admin Users' })).toBeVisible();

  // B3: Escape and Cancel with typed input ask; staying keeps the input.
  await admin.getByRole('button', { name: 'Add user' }).click();
  const dialog = admin.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Andrei Invitat');
  await admin.keyboard.press('Escape');
  const ask = admin.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog.getByLabel('Name')).toHaveValue('Andrei Invitat');

  const email = `andrei.invitat.${Date.now()}@clinica-somes.ro`;
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  // B2: without a reload, never "No valid invitation link"; the sent and expiry times appear by themselves.
  const row = admin.getByRole('row', { name: /Andrei Invitat/ });
  await expect(row).toContainText('Invited');
  await expect(row).not.toContainText('No valid invitation link');
  await expect(row).toContainText(/Invitation sent .+, expires .+/, { timeout: 15_000 });
  await expect(row).not.toContainText('No valid invitation link');

  // Resend: the row follows the new round too.
  await row.getByRole('button', { name: 'Resend invitation' }).click();
  await expect(admin.getByText(`A new invitation was sent to ${email}`)).toBeVisible();
  await expect(row).not.toContainText('No valid invitation link');
  await expect(row).toContainText(/Invitation sent .+, expires .+/, { timeout: 15_000 });

  // Nothing typed: Cancel closes at once.
  await admin.getByRole('button', { name: 'Add user' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(ask).toBeHidden();

  // Catalogue dialogs: the same question; discarding closes.
  await menu(admin, 'Catalogue and schedules').click();
  await admin.getByRole('tab', { name: 'Qualifications' }).click();
  await admin.getByRole('button', { name: 'Add qualification' }).click();
  await dialog.getByLabel('Name').fill('Dermatologie');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(dialog).toBeHidden();
});

test('B4: the registration page opens in the email’s language, the person switches, and the account keeps the choice', async ({ browser }) => {
  const admin = await newPage(browser);
  await signIn(admin, SOMES_ADMIN);
  await menu(admin, 'Administration / Partner Module').click();
  await admin.getByRole('link', { name: 'Add New Partner' }).click();
  const contact = 'office@cabinet-fibonacci.ro';
  await fillNewPartner(admin, { taxNumber: 'RO16180331', company: 'Cabinet Fibonacci SRL', email: contact });
  await admin.getByRole('group', { name: 'Locations the partner may book' }).getByRole('checkbox').first().check();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText(`A registration email was sent to ${contact}`)).toBeVisible();

  // A Romanian company: the email is Romanian, and so is the page it links to, whatever the browser's language.
  const mail = await waitForEmail(contact, /partner-registration/);
  expect(mail.subject).toContain('Înregistrarea partenerului');
  const link = /https?:\/\/\S+\/partner-registration\?\S+/.exec(mail.text)?.[0];
  expect(link).toMatch(/[?&]lang=ro\b/);

  const person = await newPage(browser, { locale: null, browserLocale: 'en-GB' });
  await person.goto(link!);
  await expect(person.getByRole('heading', { name: 'Înregistrarea partenerului' })).toBeVisible();

  // The person switches to English: the page follows, and a reload keeps it.
  await person.getByLabel('Limba').selectOption('en');
  await expect(person.getByRole('heading', { name: 'Partner registration' })).toBeVisible();
  await expect(person).toHaveURL(/[?&]lang=en\b/);
  await person.reload();
  await expect(person.getByRole('heading', { name: 'Partner registration' })).toBeVisible();

  await person.getByLabel('Your name').fill('Leonardo Fibonacci');
  await person.getByLabel('New password', { exact: true }).fill('Fibonacci-Password-2026');
  await person.getByLabel('Repeat the password').fill('Fibonacci-Password-2026');
  await person.getByRole('checkbox', { name: /I have read and accept the General Terms and Conditions/ }).check();
  await person.getByRole('button', { name: 'Register and accept' }).click();
  await expect(person).toHaveURL(/\/sign-in/);

  // The account keeps English: signed in from a Romanian browser that never chose a language, the app is English.
  const elsewhere = await newPage(browser, { locale: null, browserLocale: 'ro-RO' });
  await elsewhere.goto('/sign-in');
  await expect(elsewhere.getByRole('heading', { name: 'Autentificare' })).toBeVisible();
  await signIn(elsewhere, [contact, 'Fibonacci-Password-2026']);
  await expect(elsewhere.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(menu(elsewhere, 'My institutions')).toBeVisible();
});
