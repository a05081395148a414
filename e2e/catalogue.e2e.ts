/**
 * Catalogue and schedules, and the audit log, in a real browser: a rule that would have a physician at two locations
 * at once is refused with a clear message and nothing saved; a valid rule is added; the audit log lists it in words.
 */
import { expect, test } from '@playwright/test';

test('an admin adds working hours, is stopped from double-booking a physician, and finds the change in the audit log', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('pm_locale', 'en'));
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('admin@clinica-somes.ro');
  await page.getByLabel('Password').fill('Somes-Admin-2026');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Catalogue and schedules' }).click();
  await expect(page.getByRole('heading', { name: 'Catalogue and schedules' })).toBeVisible();
  await page.getByRole('tab', { name: 'Physicians' }).click();
  await page.getByRole('link', { name: 'Schedule: Dr. Andrei Mureșan' }).click();
  await expect(page.getByRole('heading', { name: 'Working hours: Dr. Andrei Mureșan' })).toBeVisible();

  // Dr. Mureșan works Mondays 08:00–14:00 at Someș Central; Someș Mărăști at 10:00 would be the same time.
  await page.getByRole('button', { name: 'Add working hours' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Location').selectOption({ label: 'Someș Mărăști' });
  await dialog.getByLabel('Weekday').selectOption({ label: 'Monday' });
  await dialog.getByLabel('Start').fill('10:00');
  await dialog.getByLabel('End').fill('12:00');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('The physician already works at another location at this time.')).toBeVisible();

  await dialog.getByLabel('Start').fill('15:00');
  await dialog.getByLabel('End').fill('18:00');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: /^Edit: Monday 15:00–18:00, Someș Mărăști/ })).toBeVisible();

  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  // The entry reads in words: the action's label, the physician, and the rule's fields as on the form — no codes, no IDs.
  const entry = page.getByRole('row').filter({ hasText: 'Working hours added' }).first();
  await expect(entry).toContainText('Dr. Andrei Mureșan');
  await expect(entry.getByRole('definition').filter({ hasText: 'Someș Mărăști' })).toBeVisible();
  await expect(entry.locator('[data-field="locationId"]')).toContainText('LocationSomeș Mărăști');
  await expect(entry.locator('[data-field="weekday"]')).toContainText('WeekdayMonday');
  await expect(entry.locator('[data-field="startTime"]')).toContainText('Start15:00');
  await expect(entry.locator('[data-field="endTime"]')).toContainText('End18:00');
  await expect(entry).not.toContainText('schedule.create');
  await expect(entry).not.toContainText('{');
});
