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
  /**
   * The UI language stored in the browser, as a user's earlier choice (default 'en'); the browser's own locale
   * follows it (en-GB / ro-RO). null: nothing stored, the language is left to the browser (`browserLocale`).
   */
  locale?: 'en' | 'ro' | null;
  /** The browser's locale when it should differ from the stored language's (default en-GB, or ro-RO for 'ro'). */
  browserLocale?: string;
  /** false: the same as `locale: null` (kept for the journeys written before `locale`). */
  english?: boolean;
  viewport?: { width: number; height: number };
}

/** A page in a new browser context (its own cookies and storage); downloads are kept for the CSV checks. */
export async function newPage(browser: Browser, options: PageOptions = {}) {
  const stored = options.english === false ? null : options.locale === undefined ? 'en' : options.locale;
  const context = await browser.newContext({
    locale: options.browserLocale ?? (stored === 'ro' ? 'ro-RO' : 'en-GB'), timezoneId: options.timezoneId ?? ZONE,
    viewport: options.viewport ?? VIEWPORT, acceptDownloads: true,
  });
  if (stored) await context.addInitScript((value) => localStorage.setItem('pm_locale', value), stored);
  return context.newPage();
}

/**
 * Signs in through the sign-in form, in whatever language it is shown, and waits for the signed-in shell (its
 * navigation). `who`: an account, or [email, password].
 */
export async function signIn(page: Page, who: Account | readonly [string, string]) {
  const [email, password] = Array.isArray(who) ? who : [(who as Account).email, (who as Account).password];
  await page.goto('/sign-in');
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await expect(page.locator('.app-nav')).toBeVisible();
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
