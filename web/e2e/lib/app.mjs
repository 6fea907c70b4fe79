// Page helpers that know the console's screens.
import assert from 'node:assert/strict';
import { tr } from './harness.mjs';

export const TIMEOUT = 30_000;

export async function currentLanguage(page) {
  return page.evaluate(() => document.documentElement.lang);
}

/** Clicks the language switch and waits until the page is in the other language. */
export async function switchLanguage(page, to) {
  if ((await currentLanguage(page)) === to) return;
  await page.getByTestId('language-switch').first().click();
  await page.waitForFunction((language) => document.documentElement.lang === language, to, { timeout: TIMEOUT });
}

/** Chooses an option of a Mantine Select found by its label. */
export async function pick(page, label, option, scope = page) {
  const input = scope.getByLabel(label, { exact: false }).first();
  await input.click();
  const choice = page.getByRole('option', { name: option }).first();
  await choice.waitFor({ state: 'visible', timeout: TIMEOUT });
  await choice.click();
}

export async function signInWithPassword(page, username, password) {
  const form = page.getByTestId('sign-in-form');
  await form.waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[data-testid="sign-in-form"] button[type="submit"]').click();
}

export async function enterCode(page, code) {
  const input = page.locator('input[autocomplete="one-time-code"]');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(code);
  await page.locator('form[data-testid="sign-in-form"] button[type="submit"]').click();
}

export async function waitForConsole(page) {
  await page.locator('nav#app-navigation').waitFor({ state: 'attached', timeout: TIMEOUT });
}

export async function go(page, path) {
  // Client-side navigation through the menu when the link is there, otherwise a page load.
  const link = page.getByTestId(`nav-${path.slice(1)}`);
  if ((await link.count()) > 0 && (await link.isVisible())) await link.click();
  else await page.goto(path);
  await page.waitForURL((url) => url.pathname === path, { timeout: TIMEOUT });
}

export async function heading(page) {
  return (await page.locator('main h1').first().textContent())?.trim();
}

export async function expectHeading(page, language, key) {
  await page.locator('main h1', { hasText: tr(language, key) }).first().waitFor({ state: 'visible', timeout: TIMEOUT });
}

export async function problemCode(page) {
  const alert = page.getByTestId('problem').first();
  await alert.waitFor({ state: 'visible', timeout: TIMEOUT });
  return { code: await alert.getAttribute('data-code'), text: (await alert.textContent()) ?? '' };
}

export async function confirm(page) {
  const button = page.getByTestId('confirm');
  await button.waitFor({ state: 'visible', timeout: TIMEOUT });
  await button.click();
}

export async function sessionOf(page) {
  const response = await page.request.get('/api/v1/session');
  assert.equal(response.status(), 200, 'GET /api/v1/session');
  return response.json();
}
