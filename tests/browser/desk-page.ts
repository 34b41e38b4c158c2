// What the desk's browser tests share: signing in through the login page, and screenshots without the toasts.
import type { Page } from 'playwright-core';
import { PASSWORD } from '../integration/desk-harness';
import type { TestBrowser } from '../support/browser';

/** Toasts fade by themselves after a few seconds; screenshots should show the page under them. */
export const hideToasts = (page: Page) => page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));

export async function shot(browser: TestBrowser, page: Page, name: string): Promise<string> {
  await hideToasts(page);
  return browser.screenshot(page, name);
}

/** Signs in on the login page the console sends a signed-out person to, and waits for the live stream. */
export async function signIn(page: Page, baseUrl: string, username: string, path = '/desk/'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === path);
  if (path === '/desk/') await page.locator('#conn[data-state=live]').waitFor();
}

/** Whether the page is wider than the screen (a phone layout must never scroll sideways). */
export const overflowsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
