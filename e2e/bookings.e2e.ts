/**
 * Booking journeys in a real browser, against the demo data of Centrul Medical Napoca (seeded relative to 'now'):
 * - MedPlus's booker books a new patient into a free slot of next week, sees it red, opens it (paid at partner, history),
 *   moves it to another free slot and cancels it with a reason;
 * - the patient of another booking cancels it through the link in the confirmation email (no sign-in), in a browser
 *   in another time zone, and sees the location's local time; the booker's calendar shows the slot free again;
 * - Napoca's reception enters a Phone booking in a free slot of the next 24 hours (or takes a booked appointment due
 *   within them) and marks it arrived;
 * - an invalid CNP is refused under the national ID field and nothing is booked;
 * - the "Book to partner" page and the booking dialog in Romanian.
 * Free slots are picked from the calendars at run time; no test depends on the time of day.
 * Screenshots of the key screens go to /work/notes/screens/ (outside the repository) for review.
 */
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { Temporal } from 'temporal-polyfill';
import { MONTHS, newPage, shot, signIn, VIEWPORT, ZONE } from './helpers';
import { linkIn, waitForEmail } from './mail';

const BOOKER = { email: 'programari@medplus-diagnostic.ro', password: 'MedPlus-Book-2026' };
const STAFF = { email: 'receptie@centrul-napoca.ro', password: 'Napoca-Staff-2026' };
/** Dr. Tudor Hossu's only service line at Napoca Mănăștur (Mon, Wed, Fri 10:00–16:00): one calendar, 20-minute slots. */
const SERVICE = 'Consultație ORL';
const HOUR = 3_600_000;

test.use({ viewport: VIEWPORT });

/**
 * Extra hours for a physician of Centrul Medical Napoca: one hour starting at the next quarter hour at least 20 minutes
 * from now (or at 00:15 the next day late in the evening), added by the institution admin through the catalogue API.
 */
async function addExtraHourSoon(browser: Browser) {
  const admin = await newPage(browser);
  await signIn(admin, { email: 'admin@centrul-napoca.ro', password: 'Napoca-Admin-2026' });
  const origin = new URL(admin.url()).origin;
  const overview = await admin.request.get(`${origin}/trpc/catalogue.overview`);
  expect(overview.ok()).toBe(true);
  const { physicians } = (await overview.json()).result.data as { physicians: { id: number; locationIds: number[] }[] };
  const doc = physicians.find((p) => p.locationIds.length > 0)!;
  let start = Temporal.Now.zonedDateTimeISO(ZONE).add({ minutes: 20 }).round({ smallestUnit: 'minute', roundingIncrement: 15, roundingMode: 'ceil' });
  if (start.hour * 60 + start.minute > 22 * 60 + 45) start = start.add({ days: 1 }).with({ hour: 0, minute: 15 });
  const end = start.add({ hours: 1 });
  const hhmm = (z: Temporal.ZonedDateTime) => z.toPlainTime().toString().slice(0, 5);
  const saved = await admin.request.post(`${origin}/trpc/catalogue.saveException`, {
    headers: { origin },
    data: { physicianId: doc.id, locationId: doc.locationIds[0], date: start.toPlainDate().toString(), kind: 'extra_hours', startTime: hhmm(start), endTime: hhmm(end) },
  });
  expect(saved.ok(), await saved.text()).toBe(true);
  await admin.context().close();
}

// ---- calendars ------------------------------------------------------------------------------------------------

/** The instant a slot's label names ("…Monday, 7 December 2026, 10:00–10:20…"), read on the location's clock. */
function slotStart(label: string): number {
  const m = /(\d{1,2}) ([A-Z][a-z]+) (\d{4}), (\d{2}):(\d{2})–/.exec(label);
  if (!m) throw new Error(`no date and time in the slot label "${label}"`);
  return Temporal.ZonedDateTime.from({
    timeZone: ZONE, year: Number(m[3]), month: MONTHS.indexOf(m[2]!) + 1, day: Number(m[1]), hour: Number(m[4]), minute: Number(m[5]),
  }).epochMilliseconds;
}

/** "10:00" of a slot label. */
function slotTime(label: string): string {
  return /, (\d{2}:\d{2})–/.exec(label)![1]!;
}

const freeSlots = (scope: Page | Locator) => scope.getByRole('button', { name: /^Free slot / });

/** Waits until the calendars on screen are the ones of the last request (placeholder data stays while fetching). */
async function calendarsSettled(scope: Page | Locator) {
  await expect(scope.locator('.calendars').first()).toBeVisible();
  await expect(scope.locator('.calendars[aria-busy="true"]')).toHaveCount(0);
}

/** Runs `action` (which makes the page load a week of calendars) and waits for that week to be on screen. */
async function loadingWeek(page: Page, scope: Page | Locator, action: () => Promise<unknown>) {
  const response = page.waitForResponse((r) => /bookings\.(calendars|institutionCalendar)/.test(r.url()) && r.ok());
  await action();
  await response;
  await calendarsSettled(scope);
}

async function labels(buttons: Locator): Promise<string[]> {
  return buttons.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

/** The first free slot on screen that starts within [from, to) (epoch ms), as its accessible name. */
async function freeSlotBetween(scope: Page | Locator, from: number, to = Infinity, except: string[] = []): Promise<string | undefined> {
  return (await labels(freeSlots(scope))).find((l) => !except.includes(l) && slotStart(l) >= from && slotStart(l) < to);
}

/** The booker's "Book to partner" page with the ORL consultation's calendars of next week. */
async function openBookNextWeek(page: Page) {
  await page.getByRole('link', { name: 'Book to partner' }).click();
  await expect(page.getByRole('heading', { name: 'Book to partner', level: 1 })).toBeVisible();
  await page.getByLabel('Service').selectOption({ label: SERVICE });
  await loadingWeek(page, page, () => page.getByRole('button', { name: 'Show calendars' }).click());
  await expect(page.getByRole('heading', { name: 'Dr. Tudor Hossu' })).toBeVisible();
  await loadingWeek(page, page, () => page.getByRole('button', { name: 'Next week', exact: true }).click());
}

/**
 * A free slot of the booker's calendars at least two days ahead (past any 24-hour cancellation window), going on to
 * the following weeks while the week on screen has none.
 */
async function pickFreeSlot(page: Page, except: string[] = []): Promise<string> {
  for (let week = 0; week < 4; week++) {
    const label = await freeSlotBetween(page, Date.now() + 48 * HOUR, Infinity, except);
    if (label) return label;
    await loadingWeek(page, page, () => page.getByRole('button', { name: 'Next week', exact: true }).click());
  }
  throw new Error('no free slot of the ORL consultation in the next four weeks');
}

/** The own (red) booking of `patient` in the calendar. */
const ownBooking = (scope: Page | Locator, patient: string) => scope.getByRole('button', { name: new RegExp(`^Booked: ${patient}, `) });

interface NewPatient { name: string; birthDate: string; phone: string; email?: string; cnp?: string }

/** The patient as given on a first run; on a retry or a repeat (same database) a distinct name and address. */
function distinct(p: NewPatient): NewPatient {
  const info = test.info();
  const n = info.retry + info.repeatEachIndex * 10;
  if (n === 0) return p;
  const tag = `${String.fromCharCode(65 + (n % 26))}${n >= 26 ? String.fromCharCode(65 + Math.floor(n / 26) % 26) : ''}`;
  return { ...p, name: `${p.name} ${tag}`, email: p.email?.replace('@', `.${tag.toLowerCase()}@`) };
}

async function fillNewPatient(dialog: Locator, p: NewPatient) {
  await dialog.getByLabel('Name', { exact: true }).fill(p.name);
  await dialog.getByLabel('Birth date').fill(p.birthDate);
  await dialog.getByLabel('Phone').fill(p.phone);
  if (p.email) await dialog.getByLabel('Email').fill(p.email);
  if (p.cnp) await dialog.getByLabel('National ID (CNP)').fill(p.cnp);
}

/** A valid Romanian CNP for a birth date (sex digit for the century, Cluj county, serial 123, check digit). */
function cnpFor(birthDate: string, female: boolean): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const sex = Number(y) >= 2000 ? (female ? 6 : 5) : (female ? 2 : 1);
  const body = `${sex}${y.slice(2)}${m}${d}12123`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9][i]!, 0);
  return `${body}${sum % 11 === 10 ? 1 : sum % 11}`;
}

// ---- journeys -------------------------------------------------------------------------------------------------

test('a partner booker books a new patient into a free slot, sees it red, moves it and cancels it', async ({ browser }) => {
  const patient = distinct({
    name: 'Ilinca Brădean', birthDate: '1987-04-12', phone: '0744 123 456', email: 'ilinca.bradean@e2e-patients.example.ro',
  });
  patient.cnp = cnpFor(patient.birthDate, true);
  const page = await newPage(browser);
  await signIn(page, BOOKER);
  await openBookNextWeek(page);
  await shot(page, 'book-calendars-en', true);

  const first = await pickFreeSlot(page);
  await page.getByRole('button', { name: first, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New booking' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Service')).toHaveValue(/\d+/);
  await expect(dialog.getByLabel('Service').locator('option:checked')).toHaveText(/^Consultație ORL \(20 min\)/);
  await expect(dialog).toContainText('Dr. Tudor Hossu');
  await expect(dialog).toContainText('Napoca Mănăștur');
  await expect(dialog).toContainText(slotTime(first));
  await expect(dialog).toContainText('Paid at partner'); // MedPlus's patients pay at MedPlus
  // MedPlus has no access to Napoca's patient data: only "New patient".
  await expect(dialog.getByRole('tab', { name: 'Search existing patient' })).toHaveCount(0);
  await expect(dialog.getByRole('tab', { name: 'New patient' })).toHaveAttribute('aria-selected', 'true');
  await fillNewPatient(dialog, patient);
  await shot(page, 'booking-dialog');
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/^Booked: .* with Dr\. Tudor Hossu\.$/)).toBeVisible();

  // The slot is red with the patient's name; the free slot is gone.
  const booked = ownBooking(page, patient.name);
  await expect(booked).toHaveCount(1);
  await expect(booked).toHaveClass(/slot-booked/);
  await expect(booked).toContainText(patient.name);
  await expect(booked).toHaveAccessibleName(new RegExp(`${slotTime(first)}–`));
  await expect(page.getByRole('button', { name: first, exact: true })).toHaveCount(0);

  // Details: paid at partner, the patient, the history.
  await booked.click();
  const details = page.getByRole('dialog', { name: /^Consultație ORL, / });
  await expect(details).toBeVisible();
  await expect(details.locator('.badge-booking-booked')).toHaveText('Booked');
  await expect(details.locator('.badge-payment')).toHaveText('Paid at partner');
  await expect(details.getByRole('definition').filter({ hasText: 'At the partner' })).toBeVisible();
  await expect(details).toContainText(patient.name);
  await expect(details).toContainText(patient.email!);
  await expect(details).toContainText('Partner: MedPlus Diagnostic SRL');
  // The workflow's next step arrives on its own line (a live region), the details never waiting for it: the reminder.
  await expect(details.getByRole('status').filter({ hasText: /^Reminder at / })).toBeVisible();
  const history = details.locator('.booking-history > li');
  await expect(history).toHaveCount(1);
  await expect(history.first()).toContainText('Booked');
  await shot(page, 'booking-details');

  // Modify: move it to another free slot of the same week.
  await details.getByRole('button', { name: 'Modify' }).click();
  const move = page.getByRole('dialog', { name: 'Modify booking' });
  await expect(move).toBeVisible();
  await calendarsSettled(move);
  await expect(move.locator('.slot-current')).toContainText(slotTime(first));
  const target = await freeSlotBetween(move, Date.now() + HOUR, Infinity, [first]);
  expect(target, 'another free slot in the week of the booking').toBeTruthy();
  await move.getByRole('button', { name: target!, exact: true }).click();
  await expect(move.locator('.move-choice')).toContainText(`New time: `);
  await expect(move.locator('.move-choice')).toContainText(slotTime(target!));
  await shot(page, 'move-dialog');
  await move.getByRole('button', { name: 'Move the booking' }).click();
  await expect(move).toBeHidden();
  await expect(details.getByText(/^The booking was changed: /)).toBeVisible();
  await expect(details).toContainText(slotTime(target!));
  await expect(history).toHaveCount(2);
  await expect(history.nth(1)).toContainText('Moved');
  await expect(history.nth(1)).toContainText(`${slotTime(first)}`);
  await expect(history.nth(1)).toContainText(`${slotTime(target!)}`);
  await history.nth(1).scrollIntoViewIfNeeded();
  await shot(page, 'booking-details-history');
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(details).toBeHidden();

  // The old slot is green again, the new one red.
  await expect(page.getByRole('button', { name: first, exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: first, exact: true })).toHaveClass(/slot-free/);
  await expect(page.getByRole('button', { name: target!, exact: true })).toHaveCount(0);
  await expect(booked).toHaveAccessibleName(new RegExp(`${slotTime(target!)}–`));

  // Cancel with a reason.
  await booked.click();
  await expect(details).toBeVisible();
  await details.getByRole('button', { name: 'Delete (cancel)' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Cancel this booking?' });
  await confirm.getByRole('button', { name: 'Cancel the booking' }).click();
  await expect(confirm.getByText('Enter the reason for the cancellation.')).toBeVisible();
  await confirm.getByLabel('Reason for cancellation').fill('Pacienta a cerut anularea la telefon');
  await confirm.getByRole('button', { name: 'Cancel the booking' }).click();
  await expect(confirm).toBeHidden();
  await expect(details.locator('.badge-booking-cancelled')).toHaveText('Cancelled');
  await expect(details).toContainText('Pacienta a cerut anularea la telefon');
  await expect(history).toHaveCount(3);
  await expect(history.nth(2)).toContainText('Cancelled');
  await expect(details.getByRole('button', { name: 'Modify' })).toHaveCount(0);
  await details.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: target!, exact: true })).toBeVisible();
  await expect(ownBooking(page, patient.name)).toHaveCount(0);
  await page.context().close();
});

test('the patient cancels another booking through the link in the confirmation email', async ({ browser }) => {
  const patient = distinct({ name: 'Petru Vlăduț', birthDate: '1979-11-03', phone: '0755 987 654', email: 'petru.vladut@e2e-patients.example.ro' });
  const booker = await newPage(browser);
  await signIn(booker, BOOKER);
  await openBookNextWeek(booker);
  const slot = await pickFreeSlot(booker);
  await booker.getByRole('button', { name: slot, exact: true }).click();
  const dialog = booker.getByRole('dialog', { name: 'New booking' });
  await fillNewPatient(dialog, patient);
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(dialog).toBeHidden();
  await expect(ownBooking(booker, patient.name)).toBeVisible();

  // The lifecycle workflow (outbox → Temporal) sends the confirmation with the cancel link.
  const email = await waitForEmail(patient.email!, /\/cancel-booking\?token=/, 30_000);
  const link = linkIn(email, '/cancel-booking');

  // A fresh browser, signed in to nothing, in New York: the appointment reads on the location's clock.
  const guest = await newPage(browser, { timezoneId: 'America/New_York' });
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: 'Cancel your appointment' })).toBeVisible();
  const when = guest.getByRole('definition').first();
  await expect(when).toContainText(slotTime(slot));
  await expect(when).toContainText(/EET|EEST|GMT\+[23]/);
  await expect(guest.getByText(SERVICE)).toBeVisible();
  await expect(guest.getByText('Dr. Tudor Hossu')).toBeVisible();
  await expect(guest.getByText('Napoca Mănăștur')).toBeVisible();
  await expect(guest.getByText(/^You can cancel online until /)).toBeVisible();
  await shot(guest, 'cancel-page');
  await guest.getByLabel('Reason (optional)').fill('Nu pot ajunge');
  await guest.getByRole('button', { name: 'Cancel the appointment' }).click();
  await expect(guest.getByRole('heading', { name: 'Appointment cancelled' })).toBeVisible();
  await expect(guest.getByText('Your appointment has been cancelled. The clinic has been informed.')).toBeVisible();
  await shot(guest, 'cancel-page-done');
  // The link cannot be used twice.
  await guest.reload();
  await expect(guest.getByText('This appointment has already been cancelled.')).toBeVisible();

  // The booker's calendar shows the slot free again.
  await loadingWeek(booker, booker, () => booker.reload());
  await expect(booker.getByRole('button', { name: slot, exact: true })).toBeVisible();
  await expect(ownBooking(booker, patient.name)).toHaveCount(0);
  await guest.context().close();
  await booker.context().close();
});

test('institution staff take a phone booking due within 24 hours and mark it arrived', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, STAFF);
  await loadingWeek(page, page, () => page.getByRole('link', { name: 'Bookings', exact: true }).click());
  await expect(page.getByRole('heading', { name: 'Bookings', level: 1 })).toBeVisible();
  await shot(page, 'institution-bookings', true);

  const now = Date.now();
  const nextWeekIfNeeded = async () => {
    if (Temporal.Instant.fromEpochMilliseconds(now + 24 * HOUR).toZonedDateTimeISO(ZONE).dayOfWeek
      < Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(ZONE).dayOfWeek) {
      await loadingWeek(page, page, () => page.getByRole('button', { name: 'Next week', exact: true }).click());
    }
  };
  // A free slot starting in the next 24 hours (a few minutes' margin, so that it is still ahead when confirmed).
  let free = await freeSlotBetween(page, now + 5 * 60_000, now + 24 * HOUR);
  if (!free) {
    await nextWeekIfNeeded();
    free = await freeSlotBetween(page, now + 5 * 60_000, now + 24 * HOUR);
  }
  if (!free) {
    // Nobody works in the next 24 hours (e.g. a Sunday): the institution admin adds an hour of extra hours, as a clinic
    // does for an extra shift, so that the journey runs whatever the day and time.
    await addExtraHourSoon(browser);
    await loadingWeek(page, page, () => page.reload());
    await nextWeekIfNeeded();
    free = await freeSlotBetween(page, now + 5 * 60_000, now + 24 * HOUR);
  }
  expect(free, 'a free slot within the next 24 hours').toBeTruthy();

  const patient = distinct({ name: 'Horia Sălăjan', birthDate: '1992-06-21', phone: '0722 333 444' });
  await page.getByRole('button', { name: free!, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New booking' });
  await expect(dialog.getByLabel('Booking source')).toHaveValue('phone');
  await dialog.getByRole('tab', { name: 'New patient' }).click();
  await fillNewPatient(dialog, patient);
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(dialog).toBeHidden();
  const appointment = ownBooking(page, patient.name);
  await expect(appointment).toBeVisible();
  await appointment.click();
  const details = page.getByRole('dialog', { name: /, / });
  await expect(details.locator('.badge-booking-booked')).toHaveText('Booked');
  await expect(details).toContainText('Phone');
  const arrived = details.getByRole('button', { name: 'Mark arrived' });
  await expect(arrived).toBeEnabled();
  await arrived.click();
  await expect(details.getByText('Status set: Arrived.')).toBeVisible();
  await expect(details.locator('.badge-booking-arrived')).toHaveText('Arrived');
  await expect(details.getByRole('button', { name: 'Undo "Arrived"' })).toBeVisible();
  const change = details.locator('.booking-history > li').filter({ hasText: 'Status changed' });
  await expect(change).toHaveCount(1);
  await expect(change).toContainText(/Status: Booked\s*→\s*Arrived/);
  await expect(change).toContainText('Sorina Chiorean');
  await shot(page, 'institution-booking-arrived');
  await change.scrollIntoViewIfNeeded();
  await shot(page, 'institution-booking-history');
  await details.getByRole('button', { name: 'Close' }).click();
  // The calendar shows the status on the slot.
  await expect(page.getByRole('button', { name: /^Arrived: / }).first()).toBeVisible();
  await page.context().close();
});

test('an invalid national ID is shown under the field and nothing is booked', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, BOOKER);
  await openBookNextWeek(page);
  const slot = await pickFreeSlot(page);
  await page.getByRole('button', { name: slot, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New booking' });
  const cnp = dialog.getByLabel('National ID (CNP)');
  await fillNewPatient(dialog, { name: 'Dorin Cuc', birthDate: '1990-02-14', phone: '0733 111 222', cnp: '1900214123456' });
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(cnp).toHaveAttribute('aria-invalid', 'true');
  await expect(cnp).toHaveAccessibleDescription(/This national ID \(CNP\) is not valid: it must have 13 digits and a matching check digit\./);
  await expect(cnp).toBeFocused();
  await expect(dialog.getByText('Check the highlighted fields.')).toBeVisible();
  await shot(page, 'booking-dialog-cnp-error');

  // A valid CNP of another birth date is refused too.
  await cnp.fill(cnpFor('1991-02-14', false));
  await dialog.getByRole('button', { name: 'Confirm booking' }).click();
  await expect(cnp).toHaveAccessibleDescription(/The national ID \(CNP\) does not match the birth date\./);
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('Dorin Cuc'); // nothing typed is lost

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await loadingWeek(page, page, () => page.reload());
  await expect(page.getByRole('button', { name: slot, exact: true })).toBeVisible();
  await expect(ownBooking(page, 'Dorin Cuc')).toHaveCount(0);
  await page.context().close();
});

test('"Book to partner" and the booking dialog read in Romanian', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, BOOKER);
  await page.getByLabel('Language').selectOption({ label: 'Română' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'ro');
  await page.getByRole('link', { name: 'Rezervări la partener' }).click();
  await expect(page.getByRole('heading', { name: 'Rezervări la partener', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/Rezervări la partener/);
  const filters = page.getByRole('search', { name: 'Filtre pentru calendare' });
  for (const label of ['Locație', 'Calificare', 'Medic', 'Serviciu']) await expect(filters.getByLabel(label)).toBeVisible();
  await filters.getByLabel('Serviciu').selectOption({ label: SERVICE });
  await loadingWeek(page, page, () => page.getByRole('button', { name: 'Afișare calendare' }).click());
  await loadingWeek(page, page, () => page.getByRole('button', { name: /^Săptămâna următoare/ }).click());
  await shot(page, 'book-calendars-ro', true);

  const free = page.getByRole('button', { name: /^Interval liber / }).first();
  await free.click();
  const dialog = page.getByRole('dialog', { name: 'Rezervare nouă' });
  await expect(dialog).toBeVisible();
  for (const label of ['Serviciu', 'Nume', 'Data nașterii', 'Telefon', 'E-mail', 'CNP']) {
    await expect(dialog.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expect(dialog.getByRole('tab', { name: 'Pacient nou' })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Confirmare rezervare' })).toBeVisible();
  await shot(page, 'booking-dialog-ro');
  await page.context().close();
});

test('a booking\'s details read in Romanian, the next step on a line of its own', async ({ browser }) => {
  const page = await newPage(browser);
  await signIn(page, BOOKER);
  await page.getByLabel('Language').selectOption({ label: 'Română' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'ro');
  await page.getByRole('link', { name: 'Rezervările mele' }).click(); // not page.goto: the test's init script would set English again
  const open = page.locator('tbody tr').filter({ has: page.locator('.badge-booking-booked') }).first().locator('.link-button');
  await expect(open).toBeVisible();
  // Hold the next-step answer back: the details must come without it, the line saying that it is being checked.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/trpc/bookings.workflowStep**', async (route) => { await held; await route.continue(); });
  await open.click();
  const details = page.getByRole('dialog');
  await expect(details.getByRole('heading', { name: 'Istoric' })).toBeVisible();
  await expect(details.getByRole('status').filter({ hasText: 'Se verifică pasul următor…' })).toBeVisible();
  await shot(page, 'booking-details-next-step-loading-ro');
  release();
  // An upcoming booking: its next step, or — when the workflow does not answer in time — a quiet note, or — for a
  // seeded demo booking, which has no lifecycle workflow — that nothing automatic is planned; never an error.
  await expect(details.getByRole('status').filter({
    hasText: /^(Memento la |Se finalizează automat la |Pasul următor nu este disponibil acum|Pentru această rezervare nu este planificat niciun memento)/,
  })).toBeVisible();
  await shot(page, 'booking-details-ro');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await page.context().close();
});
