/**
 * What the browser journeys share: a page in a fresh browser context (1366×768, the institutions' time zone, English
 * unless asked otherwise), signing in through the form, screenshots for review, and the calendar arithmetic the
 * journeys do on the institution's clock.
 */
import { mkdirSync } from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { Temporal } from 'temporal-polyfill';

/** Screenshots of key screens, outside the repository, for review. */
export const SCREENS = '/work/notes/screens';
export const VIEWPORT = { width: 1366, height: 768 };
/** The demo institutions' time zone. */
export const ZONE = 'Europe/Bucharest';

export interface Account { email: string; password: string }

export async function shot(page: Page, name: string, fullPage = false) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage });
}

export interface PageOptions {
  /** The browser's time zone (default: the institutions'). */
  timezoneId?: string;
  /** false: the UI language is left to the browser (en-GB) and to the user's choice; default: English stored. */
  english?: boolean;
  viewport?: { width: number; height: number };
}

/** A page in a new browser context (its own cookies and storage); downloads are kept for the CSV checks. */
export async function newPage(browser: Browser, options: PageOptions = {}) {
  const context = await browser.newContext({
    locale: 'en-GB', timezoneId: options.timezoneId ?? ZONE, viewport: options.viewport ?? VIEWPORT, acceptDownloads: true,
  });
  if (options.english !== false) await context.addInitScript(() => localStorage.setItem('pm_locale', 'en'));
  return context.newPage();
}

/** Signs in through the English sign-in form and waits for the signed-in shell. */
export async function signIn(page: Page, who: Account) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** English month names, as the UI writes them in slot labels and headings. */
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'YYYY-MM' of the month `back` months before this one, on the institution's clock. */
export function monthBack(back: number): string {
  return Temporal.Now.plainDateISO(ZONE).toPlainYearMonth().subtract({ months: back }).toString();
}

/** "October 2026", as the English UI names a month. */
export function monthName(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}
