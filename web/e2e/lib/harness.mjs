// A small browser-test harness: named checks with clear output, screenshots, axe and
// console/CSP watching for every page.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
let axeText = null;
async function axeSource() {
  axeText ??= await readFile(AXE_PATH, 'utf8');
  return axeText;
}

const localeDir = fileURLToPath(new URL('../../src/i18n/', import.meta.url));
export const texts = {
  'zh-Hant': JSON.parse(await readFile(join(localeDir, 'zh-Hant.json'), 'utf8')),
  en: JSON.parse(await readFile(join(localeDir, 'en.json'), 'utf8')),
};

/** Looks up a key of a locale file, e.g. tr('en', 'signIn.title'). */
export function tr(language, key, values = {}) {
  let node = texts[language];
  for (const part of key.split('.')) node = node?.[part];
  if (typeof node !== 'string') throw new Error(`no text ${language}:${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name) => String(values[name] ?? ''));
}

export class Harness {
  checks = 0;
  passed = 0;
  failures = [];
  screenshots = 0;
  axeRuns = 0;

  constructor(artifacts) {
    this.artifacts = artifacts;
  }

  log(text) {
    process.stdout.write(`${text}\n`);
  }

  /** One named check; a failure is recorded and thrown, which ends the current scenario. */
  async check(name, fn) {
    this.checks += 1;
    const started = Date.now();
    try {
      const value = await fn();
      this.passed += 1;
      this.log(`  ✔ ${name} (${Date.now() - started} ms)`);
      return value;
    } catch (error) {
      this.failures.push({ name, error });
      this.log(`  ✘ ${name}\n      ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n      ')}`);
      throw error;
    }
  }

  async scenario(name, fn) {
    this.log(`\n▶ ${name}`);
    try {
      await fn();
    } catch (error) {
      if (!this.failures.some((failure) => failure.error === error)) {
        this.failures.push({ name: `${name} (scenario)`, error });
        this.log(`  ✘ ${name} stopped: ${String(error?.stack ?? error).split('\n').slice(0, 4).join('\n      ')}`);
      }
    }
  }

  /** Screenshot + axe (serious and critical violations fail) for one screen. */
  async screen(page, name) {
    await mkdir(this.artifacts, { recursive: true });
    await page.waitForLoadState('networkidle').catch(() => undefined);
    // Half-faded text is not what people see: end transitions at once (on a loaded machine a fixed
    // wait is not always long enough), then give layout a moment to settle.
    await page
      .addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' })
      .catch(() => undefined);
    await page.waitForTimeout(400);
    await this.check(`screen ${name}: accessibility (axe) has no serious or critical violations`, async () => {
      await page.screenshot({ path: join(this.artifacts, `${name}.png`), fullPage: true });
      this.screenshots += 1;
      const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
      // page.addScriptTag({ path }) inserts an inline <script>, which the server's CSP
      // (script-src 'self') rightly blocks; the same file is evaluated through the DevTools
      // protocol instead, so the tests run under the production CSP.
      if (!hasAxe) await page.evaluate(await axeSource());
      const result = await page.evaluate(async () =>
        window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
      );
      this.axeRuns += 1;
      const bad = result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      if (bad.length > 0) {
        const detail = bad
          .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n        ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join('\n        ')}`)
          .join('\n      ');
        throw new Error(`axe violations on ${name}:\n      ${detail}`);
      }
    });
  }
}

/** Collects console errors, page errors and CSP violations of a browser context. */
export class ConsoleWatch {
  problems = [];

  attach(context) {
    context.on('page', (page) => this.#watch(page));
    for (const page of context.pages()) this.#watch(page);
  }

  #watch(page) {
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      const text = message.text();
      // The browser logs every 4xx answer of the API; those are expected answers, not errors.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
      if (message.type() === 'warning' && !/Content Security Policy|CSP/i.test(text)) return;
      this.problems.push(`${message.type()}: ${text} (${page.url()})`);
    });
    page.on('pageerror', (error) => this.problems.push(`pageerror: ${error.message} (${page.url()})`));
  }
}

/** Reports CSP violations as console errors so that the watcher sees them. */
export const CSP_REPORTER = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' at ' + event.sourceFile + ':' + event.lineNumber);
});`;
