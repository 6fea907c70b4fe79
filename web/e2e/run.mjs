// Browser tests of the web console against a real server on a fresh demo database.
// Usage: npm run e2e   (env: WELFARE_BIN, WELFARE_WEB_ROOT, E2E_ARTIFACTS)
import { access, mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ConsoleWatch, CSP_REPORTER, Harness } from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';
import { TotpClock } from './lib/totp.mjs';
import {
  acceptanceWalk,
  auditorExport,
  auditorSignIn,
  idleTimeout,
  newStaffFirstSignIn,
  registryEmergency,
  registryFamily,
  registryImport,
  registrySteward,
  registryWorker,
  signInPageAndWrongPassword,
  tour,
  workerPermissions,
} from './scenarios.mjs';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const bin = resolve(webDir, process.env.WELFARE_BIN ?? '../build/debug/src/app/welfare');
const webRoot = resolve(webDir, process.env.WELFARE_WEB_ROOT ?? '../web/dist');
const artifacts = resolve(webDir, process.env.E2E_ARTIFACTS ?? 'e2e-artifacts');
const started = Date.now();

let server = null;
let browser = null;
const harness = new Harness(artifacts);
const watches = [];

async function shutdown() {
  await browser?.close().catch(() => undefined);
  browser = null;
  if (server) {
    const running = server;
    server = null;
    const report = await running.stop().catch((error) => `stopping the server failed: ${error}`);
    harness.log(report);
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    void shutdown().finally(() => process.exit(130));
  });
}

try {
  await access(join(webRoot, 'index.html')).catch(() => {
    throw new Error(`${webRoot}/index.html is missing: run "npm run build" first`);
  });
  await rm(artifacts, { recursive: true, force: true });
  await mkdir(artifacts, { recursive: true });
  harness.log(`server: ${bin}\nweb root: ${webRoot}\nartifacts: ${artifacts}`);
  server = await startServer({ bin, webRoot, logFile: join(artifacts, 'server.log') });
  harness.log(`server ready at ${server.baseUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

  const newPage = async (options = {}) => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
      ...options,
    });
    context.setDefaultTimeout(30_000);
    await context.addInitScript(CSP_REPORTER);
    const watch = new ConsoleWatch();
    watch.attach(context);
    watches.push(watch);
    const page = await context.newPage();
    return { context, page, watch };
  };
  const shared = { newPage, accounts: server.accounts, clock: new TotpClock() };

  // E2E_ONLY=word runs only the scenarios whose name contains it (and those they need).
  const only = process.env.E2E_ONLY?.toLowerCase() ?? '';
  const wanted = (name) => name.toLowerCase().includes(only);
  const scenario = (name, fn) => (wanted(name) ? harness.scenario(name, fn) : Promise.resolve());

  await scenario('Sign-in page and wrong password', () => signInPageAndWrongPassword(harness, shared));
  let walk = null;
  await scenario('Acceptance walk (demo administrator)', async () => {
    walk = await acceptanceWalk(harness, shared);
  });
  if (walk) {
    await scenario('Every screen in both languages (accessibility, screenshots, tablet)', () => tour(harness, walk));
    await scenario('New staff account: first sign-in', () => newStaffFirstSignIn(harness, { ...shared, walk }));
  }
  await scenario('Caseworker permissions', () => workerPermissions(harness, shared));
  let registry = null;
  await scenario('Client registry: search, registration, duplicate warning, person page (caseworker, tablet)', async () => {
    registry = await registryWorker(harness, shared);
  });
  let auditor = null;
  const registryEmergencyName = 'Client registry: another unit, emergency access, alert to the auditor';
  await scenario('Auditor export', async () => {
    auditor = await auditorExport(harness, shared);
  });
  if (registry && !auditor && wanted(registryEmergencyName)) {
    await harness.scenario('Auditor sign-in (for the alert)', async () => {
      auditor = await auditorSignIn(harness, shared);
    });
  }
  if (registry && auditor) {
    await scenario(registryEmergencyName, () => registryEmergency(harness, { ...shared, registry, auditor }));
  }
  if (registry) {
    await scenario('Client registry: family links and households (caseworker, tablet)', () => registryFamily(harness, { ...shared, registry }));
  }
  let steward = null;
  if (registry) {
    await scenario('Client registry: duplicate review, merge and undo (data steward, tablet)', async () => {
      steward = await registrySteward(harness, { ...shared, registry });
    });
  }
  if (steward) {
    await scenario('Client registry: import and export (data steward, tablet)', () => registryImport(harness, { ...shared, registry, steward }));
  }
  await scenario('Idle timeout', () => idleTimeout(harness, shared));
  await harness.scenario('No console errors or CSP violations', async () => {
    await harness.check('no console errors, page errors or CSP violations in any page', async () => {
      const problems = watches.flatMap((watch) => watch.problems);
      if (problems.length > 0) throw new Error(problems.join('\n      '));
    });
  });
} catch (error) {
  harness.failures.push({ name: 'setup', error });
  harness.log(`\n✘ setup failed: ${error?.stack ?? error}`);
} finally {
  await shutdown();
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
harness.log(
  `\n${harness.passed}/${harness.checks} checks passed, ${harness.failures.length} failed; ` +
    `${harness.screenshots} screenshots, ${harness.axeRuns} axe runs; ${seconds} s`,
);
if (harness.failures.length > 0) {
  harness.log('failures:');
  for (const failure of harness.failures) harness.log(`  - ${failure.name}: ${String(failure.error?.message ?? failure.error).split('\n')[0]}`);
}
process.exitCode = harness.failures.length > 0 ? 1 : 0;
