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

/** How long a choice may take to show before pick() makes it again, and how long it may take then. */
const CHOICE_SHOWN_MS = 5_000;
const OPTION_FIRST_TRY_MS = 15_000;

/**
 * What a Mantine Select or MultiSelect input shows: a Select its text, a MultiSelect (whose input
 * is the search field among the chips) the text of each chip.
 */
async function shownChoices(input) {
  return input.evaluate((element) => {
    const chips = element.closest('.mantine-PillGroup-group');
    if (!chips) return { multiple: false, values: [element.value.trim()] };
    return { multiple: true, values: [...chips.querySelectorAll('.mantine-Pill-label')].map((chip) => (chip.textContent ?? '').trim()) };
  });
}

async function shows(input, text) {
  return (await shownChoices(input)).values.includes(text);
}

async function waitUntilShown(input, text, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await shows(input, text)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Chooses an option of a Mantine Select or MultiSelect found by its label, and checks that the
 * choice took: the Select shows the option, or the MultiSelect has its chip. Under load a click on
 * an option is now and then lost (or the list was not open yet); then the list is opened again and
 * the option chosen once more. An option that already shows is never clicked again: that would
 * clear a Select (they allow deselecting) or take a MultiSelect's chip away.
 */
export async function pick(page, label, option, scope = page) {
  const input = scope.getByLabel(label, { exact: false }).first();
  const choice = page.getByRole('option', { name: option }).first();
  let chosen = null;
  let lastError = null;
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const retry = attempt > 1;
    try {
      if (chosen !== null && (await shows(input, chosen))) return; // the first click took, only late
      // A click on a Select that is not searchable opens or closes its list, so a retry clicks only when closed.
      if (!retry || (await input.getAttribute('data-expanded')) === null) await input.click();
      await choice.waitFor({ state: 'visible', timeout: retry ? TIMEOUT : OPTION_FIRST_TRY_MS });
      chosen = ((await choice.textContent()) ?? '').trim();
      const now = await shownChoices(input);
      if (now.values.includes(chosen)) {
        // Chosen already (before this call, or late). A Select closes its list on choosing; so here.
        if (!now.multiple && (await input.getAttribute('data-expanded')) !== null) await input.press('Escape');
        return;
      }
      await choice.click({ timeout: retry ? TIMEOUT : OPTION_FIRST_TRY_MS });
      if (await waitUntilShown(input, chosen, retry ? TIMEOUT : CHOICE_SHOWN_MS)) return;
      lastError = null;
    } catch (error) {
      lastError = error;
    }
  }
  const shown = await shownChoices(input).catch(() => null);
  const wanted = chosen === null ? String(option) : `"${chosen}"`;
  const state = shown === null ? 'cannot be read' : `shows ${JSON.stringify(shown.values)}`;
  throw new Error(
    `pick: the field labelled ${JSON.stringify(String(label))} did not take the option ${wanted} after two tries; it ${state}` +
      (lastError ? ` (last error: ${String(lastError.message ?? lastError).split('\n')[0]})` : ''),
  );
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
