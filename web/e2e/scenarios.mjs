// The browser scenarios: the acceptance walk of the console and the checks around it.
import assert from 'node:assert/strict';
import { tr } from './lib/harness.mjs';
import {
  TIMEOUT,
  confirm,
  currentLanguage,
  enterCode,
  expectHeading,
  go,
  pick,
  problemCode,
  sessionOf,
  signInWithPassword,
  switchLanguage,
  waitForConsole,
} from './lib/app.mjs';

/** Matches a field label exactly, with or without the required-field asterisk. */
function exactLabel(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

const SCREENS = [
  { path: '/units', title: 'units.title', name: 'units' },
  { path: '/staff', title: 'staff.title', name: 'staff' },
  { path: '/roles', title: 'roles.title', name: 'roles' },
  { path: '/audit', title: 'audit.title', name: 'audit' },
  { path: '/jobs', title: 'jobs.title', name: 'jobs' },
  { path: '/tokens', title: 'tokens.title', name: 'tokens' },
  { path: '/account', title: 'account.title', name: 'account' },
];

export async function signInPageAndWrongPassword(h, { newPage }) {
  const { page } = await newPage();
  await page.goto('/');
  for (const language of ['zh-Hant', 'en']) {
    await h.check(`sign-in page in ${language}`, async () => {
      await switchLanguage(page, language);
      await page.getByRole('heading', { name: tr(language, 'signIn.title') }).waitFor({ timeout: TIMEOUT });
      assert.equal(await currentLanguage(page), language);
      assert.equal(await page.title(), tr(language, 'app.documentTitle'));
    });
    await h.screen(page, `sign-in.${language}`);
    await h.check(`wrong password shows the localized error (${language})`, async () => {
      await signInWithPassword(page, 'supervisor', 'not-the-password-123');
      const problem = await problemCode(page);
      assert.equal(problem.code, 'invalid_credentials');
      const expected = language === 'en' ? 'Wrong username or password' : '帳號或密碼不正確';
      assert.ok(problem.text.includes(expected), `alert text "${problem.text}" lacks "${expected}"`);
    });
    await h.screen(page, `sign-in-error.${language}`);
  }
  await h.check('the language chosen before sign-in is kept in localStorage', async () => {
    await page.reload();
    await page.getByTestId('sign-in-form').waitFor({ timeout: TIMEOUT });
    assert.equal(await currentLanguage(page), 'en');
    await switchLanguage(page, 'zh-Hant');
    await page.reload();
    await page.getByTestId('sign-in-form').waitFor({ timeout: TIMEOUT });
    assert.equal(await currentLanguage(page), 'zh-Hant');
  });
}

/** The acceptance walk of the issue, as the demo administrator. Returns what later scenarios need. */
export async function acceptanceWalk(h, { newPage, accounts, clock }) {
  const admin = accounts.find((account) => account.username === 'admin');
  const { page, context } = await newPage();
  const suffix = Date.now().toString(36);
  const unitCode = `E2E-${suffix}`.toUpperCase();
  const username = `e2e.${suffix}`;
  const displayName = `測試社工 ${suffix}`;
  const out = { username, unitCode, page, context };

  await page.goto('/units');
  await h.check('admin: password step answers with the one-time code step', async () => {
    await signInWithPassword(page, admin.username, admin.password);
    const code = page.locator('input[autocomplete="one-time-code"]');
    await code.waitFor({ timeout: TIMEOUT });
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    await page.getByRole('button', { name: tr('zh-Hant', 'signIn.useRecoveryCode') }).waitFor();
  });
  await h.screen(page, 'sign-in-totp.zh-Hant');
  await switchLanguage(page, 'en');
  await h.screen(page, 'sign-in-totp.en');
  await page.getByRole('button', { name: tr('en', 'signIn.useRecoveryCode') }).click();
  await h.screen(page, 'sign-in-recovery.en');
  await switchLanguage(page, 'zh-Hant');
  await h.screen(page, 'sign-in-recovery.zh-Hant');
  await page.getByRole('button', { name: tr('zh-Hant', 'signIn.useAuthenticator') }).click();
  await h.check('admin: one-time code signs in to the console', async () => {
    await enterCode(page, await clock.next(admin.totp_secret));
    await waitForConsole(page);
    await expectHeading(page, 'zh-Hant', 'units.title');
    const header = await page.getByTestId('current-user').textContent();
    assert.ok(header?.includes('陳大文'), `header shows the user: ${header}`);
  });
  await h.check('admin: navigation shows every screen the permissions allow', async () => {
    for (const item of ['units', 'staff', 'roles', 'audit', 'jobs', 'tokens', 'account']) {
      assert.ok(await page.getByTestId(`nav-${item}`).isVisible(), `nav-${item}`);
    }
  });
  await h.check('switch to English: interface, html lang and saved preference', async () => {
    await switchLanguage(page, 'en');
    await expectHeading(page, 'en', 'units.title');
    await page.getByTestId('nav-units').getByText(tr('en', 'nav.units')).waitFor();
    assert.equal((await sessionOf(page)).user.locale, 'en');
    assert.equal(await page.evaluate(() => localStorage.getItem('openwelfare.language')), 'en');
  });
  await h.check('switch back to 繁體中文', async () => {
    await switchLanguage(page, 'zh-Hant');
    await expectHeading(page, 'zh-Hant', 'units.title');
    assert.equal((await sessionOf(page)).user.locale, 'zh-Hant');
  });

  await h.check(`create unit ${unitCode} under a district office`, async () => {
    await go(page, '/units');
    await page.getByTestId('unit-create').click();
    const form = page.getByTestId('unit-create-form');
    await form.waitFor();
    await pick(page, tr('zh-Hant', 'units.parent'), /SWD-EW/, form);
    await pick(page, tr('zh-Hant', 'units.kind'), tr('zh-Hant', 'unitKind.service_unit'), form);
    await form.getByLabel(tr('zh-Hant', 'units.code')).fill(unitCode);
    await form.getByLabel(tr('zh-Hant', 'units.nameZh')).fill(`灣仔測試服務單位 ${suffix}`);
    await form.getByLabel(tr('zh-Hant', 'units.nameEn')).fill(`Wan Chai Test Service Unit ${suffix}`);
    await form.locator('button[type="submit"]').click();
    await page.locator(`tr[data-code="${unitCode}"]`).waitFor({ timeout: TIMEOUT });
  });

  await h.check('edit a unit that someone else changed meanwhile: version conflict, reload, save', async () => {
    const session = await sessionOf(page);
    const units = await (await page.request.get('/api/v1/units')).json();
    const unit = units.items.find((item) => item.code === unitCode);
    const row = page.locator(`tr[data-code="${unitCode}"]`);
    await row.getByRole('button', { name: new RegExp(`^${tr('zh-Hant', 'common.edit')}|${unitCode}`) }).first().click();
    const dialog = page.getByRole('dialog', { name: tr('zh-Hant', 'units.editTitle') });
    await dialog.waitFor();
    const other = await page.request.patch(`/api/v1/units/${unit.id}`, {
      headers: { 'X-CSRF-Token': session.csrf_token },
      data: { version: unit.version, name_en: `Changed elsewhere ${suffix}` },
    });
    assert.equal(other.status(), 200, 'the concurrent change');
    await dialog.getByLabel(tr('zh-Hant', 'units.nameZh')).fill(`灣仔測試服務單位（修訂）${suffix}`);
    await dialog.locator('button[type="submit"]').click();
    assert.equal((await problemCode(page)).code, 'version_conflict');
    await h.screen(page, 'unit-conflict.zh-Hant');
    await dialog.getByTestId('reload-latest').click();
    await dialog.getByLabel(tr('zh-Hant', 'units.nameEn')).and(page.locator(`[value="Changed elsewhere ${suffix}"]`)).waitFor();
    await dialog.getByLabel(tr('zh-Hant', 'units.nameZh')).fill(`灣仔測試服務單位（修訂）${suffix}`);
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await row.getByText(`灣仔測試服務單位（修訂）${suffix}`).waitFor({ timeout: TIMEOUT });
  });

  await h.check(`create staff account ${username} in the new unit`, async () => {
    await go(page, '/staff');
    await page.getByTestId('staff-create').click();
    const form = page.getByTestId('staff-create-form');
    await form.waitFor();
    await form.getByLabel(tr('zh-Hant', 'staff.username')).fill(username);
    await form.getByLabel(tr('zh-Hant', 'staff.displayName')).fill(displayName);
    await form.getByLabel(tr('zh-Hant', 'staff.email')).fill(`${suffix}@example.org`);
    await pick(page, tr('zh-Hant', 'staff.unit'), new RegExp(unitCode), form);
    await form.getByTestId('generate-password').click();
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/staff\/\d+$/, { timeout: TIMEOUT });
    await page.getByRole('heading', { name: displayName }).waitFor();
    await page.getByTestId('badge-must-change').waitFor();
    out.staffPath = new URL(page.url()).pathname;
  });
  await h.screen(page, 'staff-detail.zh-Hant');

  await h.check('grant the auditor role scoped to the new unit', async () => {
    const form = page.getByTestId('grant-role-form');
    await pick(page, tr('zh-Hant', 'staff.role'), '稽核人員', form);
    await pick(page, tr('zh-Hant', 'staff.roleUnit'), new RegExp(unitCode), form);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-testid="role-assignments"] tr[data-role="auditor"]').waitFor({ timeout: TIMEOUT });
  });

  await h.check('reset its password: the temporary password is shown once with a copy button', async () => {
    await page.getByTestId('reset-password').click();
    await confirm(page);
    const dialog = page.getByTestId('temporary-password-dialog');
    await dialog.waitFor({ timeout: TIMEOUT });
    out.temporaryPassword = (await dialog.getByTestId('temporary-password').textContent())?.trim();
    assert.ok(out.temporaryPassword && out.temporaryPassword.length >= 12, 'temporary password');
    await dialog.getByRole('button', { name: tr('zh-Hant', 'common.copy') }).waitFor();
  });
  await h.screen(page, 'staff-temporary-password.zh-Hant');
  await page.getByTestId('temporary-password-dialog').getByRole('button', { name: tr('zh-Hant', 'common.done') }).click();

  await h.check('lock the account with a reason', async () => {
    await page.getByTestId('lock').click();
    const form = page.getByTestId('lock-form');
    await form.waitFor();
    await form.locator('button[type="submit"]').click();
    await form.getByText(tr('zh-Hant', 'validation.required')).waitFor();
    await form.getByLabel(tr('zh-Hant', 'staff.lockReason')).fill('測試：暫停使用');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('badge-locked').waitFor({ timeout: TIMEOUT });
    assert.ok((await page.getByTestId('locked-reason').textContent())?.includes('測試：暫停使用'));
  });
  await h.check('unlock the account', async () => {
    await page.getByTestId('unlock').click();
    await page.getByTestId('badge-active').waitFor({ timeout: TIMEOUT });
  });

  await h.check('audit trail shows each action with the admin as actor', async () => {
    await go(page, '/audit');
    await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT });
    for (const action of ['unit.create', 'staff.create', 'staff.role_grant', 'staff.password_reset', 'staff.lock', 'staff.unlock']) {
      const row = page.locator(`tr[data-action="${action}"][data-actor="admin"]`).first();
      await row.waitFor({ timeout: TIMEOUT });
      const label = tr('zh-Hant', `auditAction.${action.replace('.', '_')}`);
      assert.ok((await row.textContent())?.includes(label), `${action} row shows "${label}"`);
      const time = row.locator('time').first();
      assert.match((await time.getAttribute('title')) ?? '', /^\d{4}-\d\d-\d\dT/);
    }
  });
  await h.check('audit trail: the changes of the lock are shown (field: from → to)', async () => {
    const row = page.locator('tr[data-action="staff.lock"]').first();
    await row.getByRole('button', { name: tr('zh-Hant', 'audit.showChanges') }).click();
    const changes = page.getByTestId('changes').first();
    await changes.waitFor();
    const text = (await changes.textContent()) ?? '';
    assert.ok(text.includes('active') && text.includes('locked') && text.includes('→'), text);
  });
  await h.check('audit trail filters by action', async () => {
    await pick(page, tr('zh-Hant', 'audit.action'), /\(staff\.lock\)/);
    await page.getByRole('button', { name: tr('zh-Hant', 'common.search') }).click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('tr[data-testid="audit-row"]')];
      return rows.length > 0 && rows.every((row) => row.getAttribute('data-action') === 'staff.lock');
    }, null, { timeout: TIMEOUT });
    await page.getByRole('button', { name: tr('zh-Hant', 'common.clear') }).click();
  });
  await h.check('verify the trail: the job runs and reports the chain intact', async () => {
    await page.getByTestId('verify').click();
    await page.getByTestId('verify-ok').waitFor({ timeout: 60_000 });
  });
  await h.screen(page, 'audit-verified.zh-Hant');

  await h.check('API token: scopes limited to own permissions, token shown once, revoke', async () => {
    await go(page, '/tokens');
    await page.getByTestId('token-create').click();
    const form = page.getByTestId('token-create-form');
    await form.waitFor();
    assert.equal(await form.getByRole('checkbox', { name: /audit\.export/ }).count(), 0, 'admin lacks audit.export');
    await form.getByLabel(tr('zh-Hant', 'tokens.name')).fill(`e2e token ${suffix}`);
    await form.getByRole('checkbox', { name: /units\.read/ }).check();
    await form.locator('button[type="submit"]').click();
    const created = page.getByTestId('token-created');
    await created.waitFor({ timeout: TIMEOUT });
    const token = (await created.getByTestId('token-value').textContent())?.trim() ?? '';
    assert.match(token, /^ow_/);
    const answer = await fetch(new URL('/api/v1/units', page.url()), { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200, 'the new token reads units');
    await created.getByRole('button', { name: tr('zh-Hant', 'common.done') }).click();
    const row = page.locator(`tr[data-name="e2e token ${suffix}"]`);
    await row.getByRole('button', { name: tr('zh-Hant', 'tokens.revoke') }).click();
    await confirm(page);
    await row.getByText(tr('zh-Hant', 'tokens.states.revoked')).waitFor({ timeout: TIMEOUT });
  });
  return out;
}

/** Every screen of the console in both languages: screenshot + axe. */
export async function tour(h, { page }) {
  for (const language of ['zh-Hant', 'en']) {
    await h.check(`tour: interface in ${language}`, async () => {
      await switchLanguage(page, language);
    });
    for (const screen of SCREENS) {
      await h.check(`tour: ${screen.name} (${language}) opens with its title`, async () => {
        await go(page, screen.path);
        await expectHeading(page, language, screen.title);
        await page.locator('[role="status"]').first().waitFor({ state: 'detached', timeout: TIMEOUT }).catch(() => undefined);
      });
      await h.screen(page, `${screen.name}.${language}`);
    }
    await h.check(`tour: staff detail (${language})`, async () => {
      await go(page, '/staff');
      await page.locator('tr[data-username="worker"] a').click();
      await page.waitForURL(/\/staff\/\d+$/, { timeout: TIMEOUT });
      await page.getByTestId('lock').waitFor({ timeout: TIMEOUT });
    });
    await h.screen(page, `staff-detail-worker.${language}`);
    await h.check(`tour: lock dialog (${language})`, async () => {
      await page.getByTestId('lock').click();
      await page.getByTestId('lock-form').waitFor();
    });
    await h.screen(page, `staff-lock.${language}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('lock-form').waitFor({ state: 'hidden' });
    await h.check(`tour: create-unit dialog (${language})`, async () => {
      await go(page, '/units');
      await page.getByTestId('unit-create').click();
      await page.getByTestId('unit-create-form').waitFor();
    });
    await h.screen(page, `unit-create.${language}`);
    await page.keyboard.press('Escape');
    await h.check(`tour: create-staff dialog (${language})`, async () => {
      await go(page, '/staff');
      await page.getByTestId('staff-create').click();
      await page.getByTestId('staff-create-form').waitFor();
    });
    await h.screen(page, `staff-create.${language}`);
    await page.keyboard.press('Escape');
    await h.check(`tour: page not found (${language})`, async () => {
      await page.goto('/no-such-page');
      await page.getByTestId('not-found').waitFor({ timeout: TIMEOUT });
    });
    await h.screen(page, `not-found.${language}`);
  }
  await h.check('tour: keyboard: the skip link is the first tab stop and moves focus to main', async () => {
    await page.goto('/units');
    await page.locator('main h1').waitFor();
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(text, tr('en', 'app.skipToContent'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main' || location.hash === '#main');
  });
  await h.check('tour: tablet width collapses the navigation into a burger', async () => {
    await page.setViewportSize({ width: 700, height: 1000 });
    const burger = page.getByRole('button', { name: tr('en', 'app.openMenu') });
    await burger.waitFor({ state: 'visible', timeout: TIMEOUT });
    await page.waitForFunction(() => (document.getElementById('app-navigation')?.getBoundingClientRect().right ?? 1) <= 1, null, {
      timeout: TIMEOUT,
    });
    assert.equal(await page.locator('#app-navigation').getAttribute('inert'), '', 'hidden navigation is out of the tab order');
    await burger.click();
    await page.getByTestId('nav-staff').waitFor({ state: 'visible' });
  });
  await h.screen(page, 'tablet-navigation.en');
  await h.check('tour: tablet: choosing a menu item closes the menu', async () => {
    await page.getByTestId('nav-staff').click();
    await expectHeading(page, 'en', 'staff.title');
    await page.waitForFunction(() => document.getElementById('app-navigation')?.hasAttribute('inert'), null, { timeout: TIMEOUT });
  });
  await h.screen(page, 'tablet-staff.en');
  await page.setViewportSize({ width: 1280, height: 900 });
  await switchLanguage(page, 'zh-Hant');
}

/** The new account signs in with the temporary password: forced password change, then TOTP enrolment. */
export async function newStaffFirstSignIn(h, { newPage, walk }) {
  const { page } = await newPage();
  const newPassword = `Harbour-lantern-${Date.now().toString(36)}-tide`;
  await page.goto('/');
  await h.check('new staff: temporary password leads to the forced password change', async () => {
    await signInWithPassword(page, walk.username, walk.temporaryPassword);
    await page.getByTestId('forced-password-change').waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'forced-password-change.zh-Hant');
  await switchLanguage(page, 'en');
  await h.screen(page, 'forced-password-change.en');
  await h.check('new staff: the restricted session cannot use the console API', async () => {
    const answer = await page.request.get('/api/v1/units');
    assert.equal(answer.status(), 403);
    assert.equal((await answer.json()).code, 'password_change_required');
  });
  await h.check('new staff: a too-short password is refused in the form', async () => {
    const form = page.getByTestId('change-password-form');
    await form.getByLabel(exactLabel(tr('en', 'password.current'))).fill(walk.temporaryPassword);
    await form.getByLabel(exactLabel(tr('en', 'password.new'))).fill('short');
    await form.getByLabel(exactLabel(tr('en', 'password.confirm'))).fill('short');
    await form.locator('button[type="submit"]').click();
    await form.getByText(tr('en', 'password.tooShort', { min: 12 })).waitFor();
  });
  await h.check('new staff: a common password is refused by the server, shown on the field', async () => {
    const form = page.getByTestId('change-password-form');
    await form.getByLabel(exactLabel(tr('en', 'password.new'))).fill('password1234');
    await form.getByLabel(exactLabel(tr('en', 'password.confirm'))).fill('password1234');
    await form.locator('button[type="submit"]').click();
    await form.getByText(/This is a common password/).waitFor({ timeout: TIMEOUT });
  });
  await h.check('new staff: a good new password is accepted; the auditor role then requires TOTP set-up', async () => {
    const form = page.getByTestId('change-password-form');
    await form.getByLabel(exactLabel(tr('en', 'password.new'))).fill(newPassword);
    await form.getByLabel(exactLabel(tr('en', 'password.confirm'))).fill(newPassword);
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('forced-totp-setup').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('totp-qr').waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'totp-enrolment.en');
  await switchLanguage(page, 'zh-Hant');
  await h.screen(page, 'totp-enrolment.zh-Hant');
  await switchLanguage(page, 'en');
  let recoveryCodes = [];
  let secret = '';
  await h.check('new staff: confirming with a code from the shown secret gives recovery codes once', async () => {
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    const { totp } = await import('./lib/totp.mjs');
    await page.locator('input[autocomplete="one-time-code"]').fill(totp(secret));
    await page.getByRole('button', { name: tr('en', 'totp.confirm') }).click();
    const panel = page.getByTestId('recovery-codes');
    await panel.waitFor({ timeout: TIMEOUT });
    recoveryCodes = (await panel.locator('li').allTextContents()).map((text) => text.trim());
    assert.equal(recoveryCodes.length, 10);
    assert.equal(await page.getByTestId('recovery-continue').isDisabled(), true, 'continue waits for the checkbox');
  });
  await h.screen(page, 'recovery-codes.en');
  await switchLanguage(page, 'zh-Hant');
  await h.screen(page, 'recovery-codes.zh-Hant');
  await switchLanguage(page, 'en');
  await h.check('new staff: after "I have saved them" the console opens with the auditor navigation', async () => {
    await page.getByTestId('saved-codes').check();
    await page.getByTestId('recovery-continue').click();
    await waitForConsole(page);
    assert.ok(await page.getByTestId('nav-audit').isVisible());
    assert.equal(await page.getByTestId('nav-tokens').count(), 0);
  });
  await h.check('new staff: signs out and back in with a recovery code', async () => {
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signed-out').waitFor({ timeout: TIMEOUT });
    await signInWithPassword(page, walk.username, newPassword);
    await page.getByRole('button', { name: tr('en', 'signIn.useRecoveryCode') }).click();
    await page.getByLabel(tr('en', 'signIn.recoveryCode')).fill(recoveryCodes[0]);
    await page.locator('form[data-testid="sign-in-form"] button[type="submit"]').click();
    await waitForConsole(page);
  });
  await h.check('new staff: a used recovery code is refused', async () => {
    await page.getByTestId('sign-out').click();
    await signInWithPassword(page, walk.username, newPassword);
    await page.getByRole('button', { name: tr('en', 'signIn.useRecoveryCode') }).click();
    await page.getByLabel(tr('en', 'signIn.recoveryCode')).fill(recoveryCodes[0]);
    await page.locator('form[data-testid="sign-in-form"] button[type="submit"]').click();
    assert.equal((await problemCode(page)).code, 'totp_invalid');
  });
  await h.screen(page, 'sign-in-recovery-used.en');
}

/** A caseworker sees neither Staff nor Audit, and a direct visit is refused politely. */
export async function workerPermissions(h, { newPage, accounts }) {
  const worker = accounts.find((account) => account.username === 'worker');
  const { page, context } = await newPage();
  await page.goto('/');
  await h.check('worker: signs in without a second factor', async () => {
    await signInWithPassword(page, worker.username, worker.password);
    await waitForConsole(page);
  });
  await h.check('worker: no Staff, Roles, Audit, Jobs or Tokens in the navigation', async () => {
    for (const hidden of ['staff', 'roles', 'audit', 'jobs', 'tokens']) {
      assert.equal(await page.getByTestId(`nav-${hidden}`).count(), 0, `nav-${hidden} hidden`);
    }
    assert.ok(await page.getByTestId('nav-units').isVisible());
    assert.ok(await page.getByTestId('nav-account').isVisible());
  });
  for (const language of ['zh-Hant', 'en']) {
    await h.check(`worker: a direct visit to /staff shows the localized "no permission" page (${language})`, async () => {
      await page.goto('/staff');
      await page.getByTestId('no-permission').waitFor({ timeout: TIMEOUT });
      await switchLanguage(page, language);
      await page.getByRole('heading', { name: tr(language, 'noPermission.title') }).waitFor();
    });
    await h.screen(page, `no-permission.${language}`);
  }
  await switchLanguage(page, 'zh-Hant');
  await h.check('worker: when the session ends, the next call leads to sign-in with "your session has ended"', async () => {
    await go(page, '/account');
    await context.clearCookies();
    await page.getByTestId('language-switch').click();
    await page.getByTestId('session-ended').waitFor({ timeout: TIMEOUT });
    const language = await currentLanguage(page);
    assert.ok((await page.getByTestId('session-ended').textContent())?.includes(tr(language, 'signIn.sessionEnded')));
  });
  await h.screen(page, 'session-ended.en');
}

/** The auditor signs in (password and one-time code) on the audit trail. */
export async function auditorSignIn(h, { newPage, accounts, clock }) {
  const auditor = accounts.find((account) => account.username === 'auditor');
  const { page } = await newPage();
  await page.goto('/audit');
  await h.check('auditor: signs in with password and one-time code', async () => {
    await signInWithPassword(page, auditor.username, auditor.password);
    await enterCode(page, await clock.next(auditor.totp_secret));
    await waitForConsole(page);
    await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT });
  });
  return { page };
}

/** The auditor may export the audit trail as CSV (the administrator may not). */
export async function auditorExport(h, shared) {
  const { page } = await auditorSignIn(h, shared);
  await h.check('auditor: "export CSV" downloads the audit trail with the cookie', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('export-csv').click()]);
    assert.equal(download.suggestedFilename(), 'audit-trail.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    assert.ok(csv.includes('actor_username') && csv.includes('staff.create'), 'CSV has a header and entries');
  });
  return { page };
}

/** Idle timeout: a warning two minutes before, "stay signed in" keeps the session, then it ends. */
export async function idleTimeout(h, { newPage, accounts }) {
  const supervisor = accounts.find((account) => account.username === 'supervisor');
  const { page } = await newPage();
  await page.clock.install();
  await page.goto('/');
  let idle = 0;
  await h.check('idle: supervisor signs in; the session reports its idle timeout', async () => {
    await signInWithPassword(page, supervisor.username, supervisor.password);
    await waitForConsole(page);
    idle = (await sessionOf(page)).idle_timeout_seconds;
    assert.ok(idle > 180, `idle_timeout_seconds ${idle}`);
  });
  await switchLanguage(page, 'en');
  await h.check('idle: the warning appears two minutes before the end', async () => {
    await page.clock.fastForward((idle - 115) * 1000);
    await page.getByRole('dialog', { name: tr('en', 'idle.title') }).waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'idle-warning.en');
  await h.check('idle: "stay signed in" refreshes the session and closes the warning', async () => {
    await page.getByRole('button', { name: tr('en', 'idle.stay') }).click();
    await page.getByRole('dialog', { name: tr('en', 'idle.title') }).waitFor({ state: 'hidden', timeout: TIMEOUT });
    assert.equal((await page.request.get('/api/v1/session')).status(), 200);
  });
  await switchLanguage(page, 'zh-Hant');
  await h.check('idle: the warning comes back after another idle period', async () => {
    await page.clock.fastForward((idle - 115) * 1000);
    await page.getByRole('dialog', { name: tr('zh-Hant', 'idle.title') }).waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'idle-warning.zh-Hant');
  await h.check('idle: without activity the session ends and sign-in says so', async () => {
    await page.clock.fastForward(200 * 1000);
    await page.getByTestId('session-ended').waitFor({ timeout: TIMEOUT });
    const answer = await page.request.get('/api/v1/session');
    assert.equal(answer.status(), 401, 'the server session was ended too');
  });
  await h.screen(page, 'session-ended.zh-Hant');
}

// ---------------------------------------------------------------------------------------------
// The client registry.

/** A valid HKID no other run uses (a letter, six digits, check digit), e.g. Z123456(3). */
function uniqueHkid(letter = 'Z') {
  const body = `${letter}${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const padded = ` ${body}`;
  let sum = 0;
  for (let index = 0; index < 8; index += 1) {
    const character = padded[index];
    const value = character === ' ' ? 36 : /[A-Z]/.test(character) ? character.charCodeAt(0) - 55 : Number(character);
    sum += value * (9 - index);
  }
  const check = (11 - (sum % 11)) % 11;
  const digit = check === 10 ? 'A' : String(check);
  return { typed: `${body}(${digit})`, canonical: `${body}${digit}` };
}

/** The page is no wider than the window (nothing to scroll sideways at tablet width). */
async function noSidewaysScroll(page) {
  const widths = await page.evaluate(() => ({ content: document.documentElement.scrollWidth, window: window.innerWidth }));
  assert.ok(widths.content <= widths.window, `page is ${widths.content}px wide in a ${widths.window}px window`);
}

/**
 * Switches the language while a dialog covers the header: the click is sent to the switch itself
 * (a person would close the dialog first; the test wants the same dialog in the other language).
 */
async function switchLanguageBehindDialog(page, to) {
  if ((await currentLanguage(page)) === to) return;
  await page.getByTestId('language-switch').first().dispatchEvent('click');
  await page.waitForFunction((language) => document.documentElement.lang === language, to, { timeout: TIMEOUT });
}

/** Screenshot + axe in both languages, ending in zh-Hant. */
async function bothLanguages(h, page, name, { dialog = false } = {}) {
  for (const language of ['en', 'zh-Hant']) {
    if (dialog) await switchLanguageBehindDialog(page, language);
    else await switchLanguage(page, language);
    await h.screen(page, `${name}.${language}`);
  }
}

async function fillRegistration(page, language, person) {
  const form = page.getByTestId('person-register-form');
  await form.waitFor({ timeout: TIMEOUT });
  await form.getByLabel(exactLabel(tr(language, 'person.chineseName'))).first().fill(person.chinese);
  await form.getByLabel(exactLabel(tr(language, 'person.familyNameEn'))).first().fill(person.family);
  await form.getByLabel(exactLabel(tr(language, 'person.givenNamesEn'))).first().fill(person.given);
  await form.getByRole('radio', { name: tr(language, 'sex.male') }).check();
  await form.getByLabel(exactLabel(tr(language, 'person.birthDate'))).fill(person.birth);
  if (person.hkid) {
    const document = form.getByRole('group', { name: tr(language, 'person.documentN', { n: 1 }) });
    await document.getByLabel(exactLabel(tr(language, 'person.docNumber'))).fill(person.hkid);
  }
  const contact = form.getByRole('group', { name: tr(language, 'person.contactN', { n: 1 }) });
  await contact.getByLabel(exactLabel(tr(language, 'person.contactValue'))).fill(person.phone);
  const address = form.getByRole('group', { name: tr(language, 'person.addressN', { n: 1 }) });
  await address.getByLabel(exactLabel(tr(language, 'person.district'))).fill('東區');
  await address.getByLabel(exactLabel(tr(language, 'person.street'))).fill(person.street);
  return form;
}

/** The caseworker: search, register, the duplicate warning and its override, the person page. */
export async function registryWorker(h, { newPage, accounts }) {
  const worker = accounts.find((account) => account.username === 'worker');
  const { page } = await newPage({ viewport: { width: 768, height: 1024 } });
  const hkid = uniqueHkid();
  const first = { chinese: '陳國強', family: 'CHAN', given: 'Kwok Keung', birth: '1975-03-14', hkid: hkid.typed, phone: '91234567', street: '英皇道 100 號' };
  const second = { chinese: '陈国强', family: 'CHEN', given: 'Kwok Keung', birth: '1975-03-14', hkid: null, phone: '61234567', street: '筲箕灣道 8 號' };
  const out = { hkid, chinese: first.chinese, page, first, second };

  await page.goto('/');
  await h.check('worker (tablet, 768 px): signs in and lands on the client search', async () => {
    await signInWithPassword(page, worker.username, worker.password);
    await waitForConsole(page);
    await switchLanguage(page, 'zh-Hant');
    await page.waitForURL((url) => url.pathname === '/persons', { timeout: TIMEOUT });
    await expectHeading(page, 'zh-Hant', 'person.searchTitle');
    await page.getByTestId('search-help').waitFor();
    assert.equal(
      await page.getByTestId('person-search-box').getAttribute('placeholder'),
      tr('zh-Hant', 'person.searchPlaceholder'),
      'the search box says what to type',
    );
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'persons-search');

  await h.check('worker: search by keyboard for someone not yet registered: "no one found", query kept in the address', async () => {
    await page.getByTestId('person-search-box').focus();
    await page.keyboard.type(first.chinese);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === first.chinese, { timeout: TIMEOUT });
    await page.getByRole('heading', { name: tr('zh-Hant', 'person.noResultsTitle') }).waitFor({ timeout: TIMEOUT });
    await page.reload();
    assert.equal(await page.getByTestId('person-search-box').inputValue(), first.chinese, 'the query comes back from the address');
    await page.getByRole('heading', { name: tr('zh-Hant', 'person.noResultsTitle') }).waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'persons-no-results.zh-Hant');

  await h.check('worker: "register a person" opens the registration form', async () => {
    await page.getByTestId('person-register').first().click();
    await page.waitForURL((url) => url.pathname === '/persons/new', { timeout: TIMEOUT });
    await expectHeading(page, 'zh-Hant', 'person.registerTitle');
    await page.getByTestId('possible-duplicates').getByText(tr('zh-Hant', 'person.possibleWaiting')).waitFor();
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-register');

  await h.check(`worker: registers ${first.chinese} (${first.family} ${first.given}, ${first.birth}, HKID): no possible duplicates`, async () => {
    const form = await fillRegistration(page, 'zh-Hant', first);
    await pick(page, tr('zh-Hant', 'person.languages'), tr('zh-Hant', 'personLanguage.yue'), form);
    await page.keyboard.press('Escape');
    await page.getByTestId('possible-none').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('person-register-submit').click();
    await page.waitForURL(/\/persons\/\d+$/, { timeout: TIMEOUT });
    out.firstId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('main h1', { hasText: first.chinese }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByTestId('access-badge').getAttribute('data-access'), 'full');
  });

  await h.check(`worker: registering ${second.chinese} (Simplified) / ${second.family} ${second.given} shows the first record while typing`, async () => {
    await page.goto('/persons/new');
    await fillRegistration(page, 'zh-Hant', second);
    const panel = page.getByTestId('possible-duplicates');
    await panel.locator(`[data-testid="hit"][data-person-id="${out.firstId}"]`).waitFor({ timeout: TIMEOUT });
    const reasons = (await panel.getByTestId('reasons').first().textContent()) ?? '';
    assert.ok(reasons.includes(tr('zh-Hant', 'matchField.chinese_name')), `reasons: ${reasons}`);
    assert.ok(reasons.includes(tr('zh-Hant', 'matchField.birth_date')), `reasons: ${reasons}`);
  });
  await h.screen(page, 'person-register-possible.zh-Hant');

  await h.check('worker: saving anyway shows the candidates beside what was typed', async () => {
    await page.getByTestId('person-register-submit').click();
    const review = page.getByTestId('duplicate-review');
    await review.waitFor({ timeout: TIMEOUT });
    await review.locator(`th[data-candidate="${out.firstId}"]`).waitFor();
    const table = (await review.getByTestId('duplicate-table').textContent()) ?? '';
    assert.ok(table.includes(second.chinese) && table.includes(first.chinese), 'both the typed and the existing name are shown');
    assert.ok(table.includes('CHEN Kwok Keung') && table.includes('CHAN Kwok Keung'), 'both romanisations are shown');
    await review.getByTestId('open-candidate').first().waitFor();
  });
  await bothLanguages(h, page, 'person-duplicates', { dialog: true });

  await h.check('worker: "this is a different person" needs a written reason', async () => {
    const review = page.getByTestId('duplicate-review');
    await review.getByTestId('different-person').click();
    const form = review.getByTestId('override-form');
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.overrideReason'))).fill('不是他');
    await form.getByTestId('override-submit').click();
    await form.getByText(tr('zh-Hant', 'person.reasonTooShort', { min: 10 })).waitFor({ timeout: TIMEOUT });
  });
  await h.screen(page, 'person-override.zh-Hant');
  await h.check('worker: with a reason the second record is created, and both records exist', async () => {
    const form = page.getByTestId('override-form');
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.overrideReason'))).fill('孿生兄弟：已核對出生證明書，證件號碼不同，住址亦不同');
    await form.getByTestId('override-submit').click();
    await page.waitForURL((url) => /^\/persons\/\d+$/.test(url.pathname) && url.pathname !== `/persons/${out.firstId}`, { timeout: TIMEOUT });
    out.secondId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('main h1', { hasText: second.chinese }).waitFor({ timeout: TIMEOUT });
    await page.goto(`/persons?q=${encodeURIComponent(`${first.chinese} ${first.birth}`)}`);
    for (const id of [out.firstId, out.secondId]) {
      await page.locator(`[data-testid="hit"][data-person-id="${id}"]`).waitFor({ timeout: TIMEOUT });
    }
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'persons-results');

  await h.check('worker: the override is in the change history of the new record', async () => {
    await page.goto(`/persons/${out.secondId}?tab=changes`);
    await page.locator('li[data-testid="change-row"][data-action="person.duplicate_override"]').waitFor({ timeout: TIMEOUT });
    const text = (await page.getByTestId('change-history').textContent()) ?? '';
    assert.ok(text.includes(tr('zh-Hant', 'auditAction.person_duplicate_override')), 'the action is shown by its label');
    assert.ok(text.includes('孿生兄弟'), 'the reason is shown');
  });
  await h.screen(page, 'person-changes.zh-Hant');

  await h.check('worker: finds the person by ID number (typed with brackets) and opens the record', async () => {
    await go(page, '/persons');
    await page.getByTestId('person-search-box').fill(hkid.typed);
    await page.getByTestId('person-search-submit').click();
    const hit = page.locator(`[data-testid="hit"][data-person-id="${out.firstId}"]`);
    await hit.waitFor({ timeout: TIMEOUT });
    assert.ok(((await hit.getByTestId('reasons').textContent()) ?? '').includes(tr('zh-Hant', 'matchField.document')));
    await hit.getByRole('link', { name: first.chinese }).click();
    await page.waitForURL((url) => url.pathname === `/persons/${out.firstId}`, { timeout: TIMEOUT });
  });
  await h.check('worker: the person page shows names, sex, date of birth, document, contact and address', async () => {
    await page.locator('main h1', { hasText: first.chinese }).waitFor({ timeout: TIMEOUT });
    const header = (await page.getByTestId('person-header').textContent()) ?? '';
    assert.ok(header.includes('CHAN Kwok Keung') && header.includes(first.birth) && header.includes(tr('zh-Hant', 'sex.male')), header);
    assert.equal((await page.getByTestId('document-number').first().textContent())?.trim(), hkid.canonical);
    assert.ok(((await page.getByTestId('part-contacts').textContent()) ?? '').includes(first.phone));
    assert.ok(((await page.getByTestId('part-addresses').textContent()) ?? '').includes(first.street));
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-details');
  await h.check('worker: adds an alias; it is listed and the change history records it', async () => {
    await page.getByTestId('part-names').getByTestId('add-names').click();
    const form = page.getByTestId('add-names-form');
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.givenNamesEn'))).fill('Ah Keung');
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await page.getByTestId('part-names').getByText('Ah Keung').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('tab-changes').click();
    await page.locator('li[data-testid="change-row"][data-action="person.part_add"]').waitFor({ timeout: TIMEOUT });
  });
  await h.check('worker: the edit dialog opens with the current details', async () => {
    await page.getByTestId('tab-details').click();
    await page.getByTestId('person-edit').click();
    const form = page.getByTestId('person-edit-form');
    await form.waitFor();
    assert.equal(await form.getByLabel(exactLabel(tr('zh-Hant', 'person.chineseName'))).inputValue(), first.chinese);
  });
  await h.screen(page, 'person-edit.zh-Hant');
  await page.keyboard.press('Escape');
  await page.getByTestId('person-edit-form').waitFor({ state: 'hidden' });
  await h.check('worker: service history lists the registration at the worker\'s unit', async () => {
    await page.getByTestId('tab-service').click();
    const item = page.getByTestId('involvement').first();
    await item.waitFor({ timeout: TIMEOUT });
    const text = (await item.textContent()) ?? '';
    assert.ok(text.includes('東區綜合家庭服務中心') && text.includes(tr('zh-Hant', 'person.ongoing')), text);
    assert.equal(await page.getByTestId('register-at-unit').count(), 0, 'already a client of this unit');
  });
  await bothLanguages(h, page, 'person-service');
  await h.check('worker: records a consent to share with one unit, then withdraws it', async () => {
    await page.getByTestId('tab-consents').click();
    await page.getByTestId('no-consents').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('add-consent').click();
    const form = page.getByTestId('add-consent-form');
    await form.waitFor();
    await pick(page, exactLabel(tr('zh-Hant', 'person.consentUnit')), /IFSC-KC/, form);
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.consentNote'))).fill('書面同意，轉介九龍城中心跟進');
    await form.locator('button[type="submit"]').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    const row = page.locator('li[data-testid="consent-row"]').first();
    await row.getByText(tr('zh-Hant', 'person.consentInForce')).waitFor({ timeout: TIMEOUT });
    assert.ok(((await row.textContent()) ?? '').includes('IFSC-KC'));
  });
  await h.screen(page, 'person-consents.zh-Hant');
  await h.check('worker: withdrawing the consent keeps it listed as withdrawn', async () => {
    const row = page.locator('li[data-testid="consent-row"]').first();
    await row.getByRole('button', { name: new RegExp(tr('zh-Hant', 'person.withdraw')) }).click();
    await confirm(page);
    await page.locator('li[data-testid="consent-row"][data-withdrawn="true"]').waitFor({ timeout: TIMEOUT });
  });

  await h.check('worker: an ID number already registered is refused on its own field (second document row)', async () => {
    await page.goto('/persons/new');
    const form = await fillRegistration(page, 'zh-Hant', { ...second, chinese: '李大文', family: 'LEE', given: 'Tai Man', birth: '1990', hkid: null });
    await form.getByTestId('add-documents').click();
    const row = form.getByRole('group', { name: tr('zh-Hant', 'person.documentN', { n: 2 }) });
    await row.getByLabel(exactLabel(tr('zh-Hant', 'person.docNumber'))).fill(hkid.typed);
    await page.getByTestId('person-register-submit').click();
    const error = row.locator('.mantine-InputWrapper-error');
    await error.waitFor({ timeout: TIMEOUT });
    assert.ok(((await error.textContent()) ?? '').includes(String(out.firstId)), 'the message names the record that has the number');
    assert.equal(await form.getByRole('group', { name: tr('zh-Hant', 'person.documentN', { n: 1 }) }).locator('.mantine-InputWrapper-error').count(), 0);
    assert.equal(new URL(page.url()).pathname, '/persons/new', 'nothing was created');
  });
  await h.screen(page, 'person-register-error.zh-Hant');
  return out;
}

/** Another unit's clerk: only "known — contact …", then emergency access; the auditor is alerted. */
export async function registryEmergency(h, { newPage, accounts, registry, auditor }) {
  const clerk = accounts.find((account) => account.username === 'clerk');
  const { page } = await newPage();
  const reason = '警方來電：當事人昏迷送院，需即時聯絡其家人及負責社工';
  await page.goto('/persons');
  await h.check('clerk (another unit): finds the person by ID number but sees only "known — contact IFSC-EAST"', async () => {
    await signInWithPassword(page, clerk.username, clerk.password);
    await waitForConsole(page);
    await switchLanguage(page, 'zh-Hant');
    await page.getByTestId('person-search-box').fill(registry.hkid.typed);
    await page.getByTestId('person-search-submit').click();
    const hit = page.locator(`[data-testid="hit"][data-person-id="${registry.firstId}"]`);
    await hit.waitFor({ timeout: TIMEOUT });
    assert.equal(await hit.getAttribute('data-access'), 'restricted');
    const text = (await hit.textContent()) ?? '';
    assert.ok(text.includes('IFSC-EAST'), text);
    const main = (await page.locator('main').textContent()) ?? '';
    assert.ok(!main.includes(registry.chinese) && !main.includes('Kwok Keung') && !main.includes('1975'), 'nothing of the person leaks');
  });
  await bothLanguages(h, page, 'persons-restricted-hit');
  await h.check('clerk: the record page says whom to contact and offers emergency access', async () => {
    await page.locator(`[data-testid="hit"][data-person-id="${registry.firstId}"] a`).first().click();
    await page.getByTestId('restricted-view').waitFor({ timeout: TIMEOUT });
    assert.ok(((await page.getByTestId('contact-units').textContent()) ?? '').includes('IFSC-EAST'));
    assert.ok(!((await page.locator('main').textContent()) ?? '').includes(registry.chinese));
  });
  await bothLanguages(h, page, 'person-restricted');
  await h.check('clerk: emergency access warns that supervisors and auditors are notified', async () => {
    await page.getByTestId('break-glass').click();
    const form = page.getByTestId('break-glass-form');
    await form.waitFor();
    assert.ok(((await form.textContent()) ?? '').includes(tr('zh-Hant', 'person.emergencyWarningNotified')));
  });
  await bothLanguages(h, page, 'person-break-glass', { dialog: true });
  await h.check('clerk: emergency access needs a reason of at least 20 characters', async () => {
    const form = page.getByTestId('break-glass-form');
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.emergencyReason'))).fill('緊急');
    await form.getByTestId('break-glass-submit').click();
    await form.getByText(tr('zh-Hant', 'person.reasonTooShort', { min: 20 })).waitFor({ timeout: TIMEOUT });
  });
  await h.check('clerk: with a reason the record opens under an emergency banner', async () => {
    const form = page.getByTestId('break-glass-form');
    await form.getByLabel(exactLabel(tr('zh-Hant', 'person.emergencyReason'))).fill(reason);
    await form.getByTestId('break-glass-submit').click();
    await page.getByTestId('emergency-banner').waitFor({ timeout: TIMEOUT });
    await page.locator('main h1', { hasText: registry.chinese }).waitFor();
    assert.equal(await page.getByTestId('access-badge').getAttribute('data-access'), 'emergency');
    assert.equal((await page.getByTestId('document-number').first().textContent())?.trim(), registry.hkid.canonical);
  });
  await bothLanguages(h, page, 'person-emergency');

  await h.check('auditor: the bell counts the unread alert; the drawer shows who, why and a link to the record', async () => {
    const auditorPage = auditor.page;
    await auditorPage.goto('/account');
    await waitForConsole(auditorPage);
    await switchLanguage(auditorPage, 'zh-Hant');
    await auditorPage.waitForFunction(() => Number(document.querySelector('[data-testid="alerts-bell"]')?.getAttribute('data-count')) > 0, null, {
      timeout: TIMEOUT,
    });
    await auditorPage.getByTestId('alerts-bell').click();
    const drawer = auditorPage.getByRole('dialog', { name: tr('zh-Hant', 'alerts.title') });
    await drawer.waitFor({ timeout: TIMEOUT });
    const alert = drawer.locator('[data-testid="alert"]', { hasText: reason });
    await alert.waitFor({ timeout: TIMEOUT });
    const text = (await alert.textContent()) ?? '';
    assert.ok(text.includes('承辦人 林淑芬') && text.includes(String(registry.firstId)), text);
    await alert.getByRole('link', { name: tr('zh-Hant', 'alerts.openRecord', { id: registry.firstId }) }).waitFor();
  });
  await bothLanguages(h, auditor.page, 'alerts', { dialog: true });
  await h.check('auditor: "mark as read" removes the alert from the unread list and the count', async () => {
    const auditorPage = auditor.page;
    const before = Number(await auditorPage.getByTestId('alerts-bell').getAttribute('data-count'));
    const drawer = auditorPage.getByRole('dialog', { name: tr('zh-Hant', 'alerts.title') });
    const alert = drawer.locator('[data-testid="alert"]', { hasText: reason });
    await alert.getByTestId('mark-read').click();
    await alert.waitFor({ state: 'detached', timeout: TIMEOUT });
    await auditorPage.waitForFunction(
      (count) => Number(document.querySelector('[data-testid="alerts-bell"]')?.getAttribute('data-count')) === count - 1,
      before,
      { timeout: TIMEOUT },
    );
    await auditorPage.keyboard.press('Escape');
  });
}

// ---------------------------------------------------------------------------------------------
// Family links, duplicate review and merges, import and export.

/** A state-changing API call from a signed-in page, with the session's CSRF token. */
async function apiPost(page, path, data) {
  const session = await sessionOf(page);
  return page.request.post(path, { headers: { 'X-CSRF-Token': session.csrf_token }, data });
}

/** Registers a person through the API (reviewing any possible duplicates); returns the record. */
async function registerByApi(page, person) {
  const body = {
    chinese_name: person.chinese,
    family_name_en: person.family,
    given_names_en: person.given,
    sex: person.sex,
    birth_date: person.birth,
    languages: ['yue'],
    protected_address: false,
    names: [],
    documents: person.hkid ? [{ doc_type: 'hkid', number: person.hkid }] : [],
    contacts: [],
    addresses: [],
  };
  let answer = await apiPost(page, '/api/v1/persons', body);
  if (answer.status() === 409) {
    const problem = await answer.json();
    assert.equal(problem.code, 'possible_duplicates', JSON.stringify(problem));
    const reviewed = problem.candidates.map((hit) => hit.person.id);
    answer = await apiPost(page, '/api/v1/persons', { ...body, duplicate_override: { reason: 'Checked: a different person, other ID number', reviewed_ids: reviewed } });
  }
  assert.equal(answer.status(), 201, `register ${person.chinese}: ${await answer.text()}`);
  return answer.json();
}

/**
 * Chooses a person in a PersonPicker by keyboard: types in its search box, presses Enter, then
 * Tab to the hit's "choose" button and Enter. Unless `picked` is false (the picker then clears
 * itself), waits until the chosen person is shown.
 */
async function pickPerson(scope, text, personId, { picked = true } = {}) {
  const search = scope.getByTestId('picker-search');
  await search.fill(text);
  await search.press('Enter');
  const hit = scope.locator(`[data-testid="picker-hit"][data-person-id="${personId}"]`);
  await hit.waitFor({ timeout: TIMEOUT });
  await hit.getByTestId('picker-choose').focus();
  await hit.getByTestId('picker-choose').press('Enter');
  if (picked) await scope.locator(`[data-testid="picked"][data-person-id="${personId}"]`).waitFor({ timeout: TIMEOUT });
  return hit;
}

/** The caseworker links family members (one they may not see) and creates a household. */
export async function registryFamily(h, { newPage, accounts, registry }) {
  const page = registry.page;
  const clerk = accounts.find((account) => account.username === 'clerk');
  const child = { chinese: '陳嘉儀', family: 'CHAN', given: 'Ka Yee', sex: 'female', birth: '2008-09-01', hkid: uniqueHkid('Y').typed };
  const sibling = { chinese: '陳國明', family: 'CHAN', given: 'Kwok Ming', sex: 'male', birth: '1971-06-30', hkid: uniqueHkid('X') };
  const name = registry.first.chinese;
  const out = {};

  await h.check('setup: the worker registers a daughter; a clerk of Hualien City registers a brother (not visible to the worker)', async () => {
    out.child = await registerByApi(page, child);
    const { page: clerkPage } = await newPage();
    const signIn = await clerkPage.request.post('/api/v1/session', { data: { username: clerk.username, password: clerk.password } });
    assert.equal(signIn.status(), 200, await signIn.text());
    out.sibling = await registerByApi(clerkPage, { ...sibling, hkid: sibling.hkid.typed });
    await clerkPage.context().close();
  });

  await h.check('worker: the Family tab of the record shows no family yet', async () => {
    await page.goto(`/persons/${registry.firstId}`);
    await page.getByTestId('tab-family').click();
    await page.getByTestId('no-relationships').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('households').getByTestId('empty').waitFor();
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-family-empty');

  await h.check('worker: links the daughter found by name (keyboard search in the picker): "child" from this side', async () => {
    await page.getByTestId('add-relationship').click();
    const form = page.getByTestId('add-relationship-form');
    await form.waitFor();
    await pickPerson(form, child.chinese, out.child.id);
    await pick(page, exactLabel(tr('zh-Hant', 'family.kindLabelNamed', { other: child.chinese, name })), tr('zh-Hant', 'relationshipKind.child'), form);
  });
  await bothLanguages(h, page, 'person-family-link', { dialog: true });
  await h.check('worker: saving lists the daughter as 子女 with a link to her record', async () => {
    const form = page.getByTestId('add-relationship-form');
    await form.getByTestId('add-relationship-submit').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    const row = page.locator(`[data-testid="relationship"][data-person-id="${out.child.id}"]`);
    await row.waitFor({ timeout: TIMEOUT });
    assert.equal(await row.getAttribute('data-kind'), 'child');
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(tr('zh-Hant', 'relationshipKind.child')) && text.includes(child.chinese), text);
  });

  await h.check('worker: links the brother by ID number: the hit shows only his number and whom to contact', async () => {
    await page.getByTestId('add-relationship').click();
    const form = page.getByTestId('add-relationship-form');
    await form.waitFor();
    const hit = await pickPerson(form, sibling.hkid.typed, out.sibling.id);
    assert.equal(await hit.count(), 0, 'the hit list gives way to the chosen person');
    await pick(page, exactLabel(tr('zh-Hant', 'family.kindLabelNamed', { other: tr('zh-Hant', 'person.recordNumber', { id: out.sibling.id }), name })), tr('zh-Hant', 'relationshipKind.sibling'), form);
    await form.getByTestId('add-relationship-submit').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    const row = page.locator(`[data-testid="relationship"][data-person-id="${out.sibling.id}"]`);
    await row.waitFor({ timeout: TIMEOUT });
    assert.equal(await row.locator('[data-testid="family-person"]').getAttribute('data-access'), 'restricted');
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes('HUALIEN-CITY') && text.includes(String(out.sibling.id)), text);
    assert.ok(!text.includes(sibling.chinese) && !text.includes('Kwok Ming'), 'nothing of the brother leaks');
  });

  await h.check('worker: creates a household "陳家": the worker\'s client as head, the daughter as child', async () => {
    await page.getByTestId('create-household').click();
    const form = page.getByTestId('create-household-form');
    await form.waitFor();
    await form.getByLabel(exactLabel(tr('zh-Hant', 'family.householdName'))).fill('陳家');
    // The picker clears itself after each choice: the chosen member joins the list above it instead.
    await pickPerson(form.getByTestId('household-picker'), child.chinese, out.child.id, { picked: false });
    const other = form.locator(`[data-testid="household-other"][data-person-id="${out.child.id}"]`);
    await other.waitFor({ timeout: TIMEOUT });
    await pick(page, exactLabel(tr('zh-Hant', 'family.roleOf', { name: child.chinese })), tr('zh-Hant', 'householdRole.child'), form);
  });
  await bothLanguages(h, page, 'person-household-create', { dialog: true });
  await h.check('worker: the household is listed with both members and their roles', async () => {
    const form = page.getByTestId('create-household-form');
    await form.getByTestId('create-household-submit').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    const household = page.getByTestId('household').first();
    await household.waitFor({ timeout: TIMEOUT });
    const text = (await household.textContent()) ?? '';
    assert.ok(text.includes('陳家') && text.includes(tr('zh-Hant', 'householdKind.living_together')), text);
    assert.ok(text.includes(tr('zh-Hant', 'householdRole.head')) && text.includes(tr('zh-Hant', 'householdRole.child')), text);
    assert.equal(await household.getByTestId('household-member').count(), 2);
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-family');

  await h.check('worker: on the daughter\'s record the same link reads "父母" and the household is there', async () => {
    await page.locator(`[data-testid="relationship"][data-person-id="${out.child.id}"] a`).first().click();
    await page.waitForURL((url) => url.pathname === `/persons/${out.child.id}`, { timeout: TIMEOUT });
    await page.getByTestId('tab-family').click();
    const row = page.locator(`[data-testid="relationship"][data-person-id="${registry.firstId}"]`);
    await row.waitFor({ timeout: TIMEOUT });
    assert.equal(await row.getAttribute('data-kind'), 'parent');
    await page.getByTestId('household').getByText('陳家').waitFor();
  });

  await h.check('worker: the daughter leaves the household; she stays listed as a former member', async () => {
    const member = page.locator(`[data-testid="household-member"][data-person-id="${out.child.id}"]`);
    await member.getByTestId('member-leave').click();
    const form = page.getByTestId('leave-form');
    await form.waitFor();
    await form.getByTestId('leave-submit').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await page.locator(`[data-testid="household-member"][data-person-id="${out.child.id}"][data-left="true"]`).waitFor({ timeout: TIMEOUT });
  });

  await h.check('worker: removes the link to the brother after confirming; the change history records links', async () => {
    await page.goto(`/persons/${registry.firstId}?tab=family`);
    const row = page.locator(`[data-testid="relationship"][data-person-id="${out.sibling.id}"]`);
    await row.getByTestId('remove-relationship').click();
    await confirm(page);
    await row.waitFor({ state: 'detached', timeout: TIMEOUT });
    await page.getByTestId('tab-changes').click();
    for (const action of ['person.relationship_add', 'person.relationship_remove', 'household.create']) {
      await page.locator(`li[data-testid="change-row"][data-action="${action}"]`).first().waitFor({ timeout: TIMEOUT });
    }
    const text = (await page.getByTestId('change-history').textContent()) ?? '';
    assert.ok(text.includes(tr('zh-Hant', 'auditAction.household_create')), 'the new actions are shown by their labels');
  });
  return out;
}

/** The data steward reviews the pair the worker's override created, merges it, and undoes the merge. */
export async function registrySteward(h, { newPage, accounts, registry }) {
  const steward = accounts.find((account) => account.username === 'steward');
  const { page } = await newPage({ viewport: { width: 768, height: 1024 } });
  const out = { page };
  await page.goto('/');
  await h.check('steward (tablet): signs in; the menu shows "duplicate records" with the number waiting', async () => {
    await signInWithPassword(page, steward.username, steward.password);
    await waitForConsole(page);
    await switchLanguage(page, 'zh-Hant');
    const burger = page.getByRole('button', { name: tr('zh-Hant', 'app.openMenu') });
    if (await burger.isVisible()) await burger.click();
    const badge = page.getByTestId('nav-duplicates').getByTestId('open-duplicates');
    await badge.waitFor({ timeout: TIMEOUT });
    assert.ok(Number(await badge.getAttribute('data-count')) >= 1);
    await page.getByTestId('nav-duplicates').click();
    await page.waitForURL((url) => url.pathname === '/duplicates', { timeout: TIMEOUT });
    await expectHeading(page, 'zh-Hant', 'duplicates.title');
  });
  await h.check('steward: the queue lists the pair (most probable first) with its reasons', async () => {
    const card = page.locator(`[data-testid="pair"][data-left="${registry.firstId}"][data-right="${registry.secondId}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    out.pairId = Number(await card.getAttribute('data-pair-id'));
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(registry.first.chinese) && text.includes(registry.second.chinese), text);
    assert.ok(text.includes(tr('zh-Hant', 'matchField.birth_date')), 'the reasons are shown');
    const scores = await page.locator('[data-testid="pair"] [data-testid="score"]').evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-score'))));
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'most probable first');
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'duplicates');
  await h.check('steward: the status filter shows merged pairs (none yet) and goes back', async () => {
    await page.getByTestId('status-filter').getByText(tr('zh-Hant', 'duplicateStatus.merged')).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'merged', { timeout: TIMEOUT });
    await page.getByTestId('empty').waitFor({ timeout: TIMEOUT });
    await page.goBack();
    await page.locator(`[data-testid="pair"][data-pair-id="${out.pairId}"]`).waitFor({ timeout: TIMEOUT });
  });

  await h.check('steward: "run duplicate detection" asks first: the whole registry, in the background, from a minimum probability', async () => {
    await page.getByTestId('detect-duplicates').click();
    const form = page.getByTestId('detect-form');
    await form.waitFor({ timeout: TIMEOUT });
    const text = (await form.textContent()) ?? '';
    assert.ok(text.includes(tr('zh-Hant', 'duplicates.detect.body')), text);
    const threshold = form.getByLabel(exactLabel(tr('zh-Hant', 'duplicates.detect.threshold')));
    assert.equal(await threshold.inputValue(), '90 %');
    await threshold.fill('');
    await form.getByTestId('detect-confirm').click();
    await form.getByText(tr('zh-Hant', 'duplicates.detect.thresholdRange')).waitFor();
    await threshold.fill('95');
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'duplicate-detect', { dialog: true });
  await h.check('steward: confirming starts the run; its progress shows until it succeeds, then the queue is reloaded', async () => {
    const form = page.getByTestId('detect-form');
    const request = page.waitForRequest((sent) => sent.method() === 'POST' && new URL(sent.url()).pathname === '/api/v1/duplicates/detect');
    // The queue is not asked for again until the run has succeeded.
    const reloaded = page.waitForResponse((answer) => new URL(answer.url()).pathname === '/api/v1/duplicates' && answer.status() === 200, { timeout: 120_000 });
    for (const pending of [request, reloaded]) pending.catch(() => undefined); // awaited below; a failure before then is reported there
    await form.getByTestId('detect-confirm').click();
    assert.deepEqual((await request).postDataJSON(), { threshold: 0.95 });
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await page.getByTestId('detection-run').waitFor({ timeout: TIMEOUT });
    await page.locator('[data-testid="detection-run"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    await reloaded;
    const summary = page.getByTestId('detection-summary');
    assert.ok(Number(await summary.getAttribute('data-persons')) >= 2, (await summary.textContent()) ?? '');
    await page.locator(`[data-testid="pair"][data-pair-id="${out.pairId}"]`).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByTestId('detect-duplicates').isEnabled(), true, 'another run can be started');
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'duplicate-detected');

  await h.check('steward: the review page shows both records field by field, differences marked', async () => {
    await page.locator(`[data-testid="pair"][data-pair-id="${out.pairId}"]`).getByTestId('review-pair').click();
    await page.waitForURL((url) => url.pathname === `/duplicates/${out.pairId}`, { timeout: TIMEOUT });
    const table = page.getByTestId('compare-table');
    await table.waitFor({ timeout: TIMEOUT });
    for (const [field, differs] of [['chinese_name', 'true'], ['family_name_en', 'true'], ['birth_date', 'false'], ['sex', 'false'], ['documents', 'true']]) {
      assert.equal(await table.locator(`tr[data-field="${field}"]`).getAttribute('data-differs'), differs, field);
    }
    const text = (await table.textContent()) ?? '';
    assert.ok(text.includes('CHAN') && text.includes('CHEN') && text.includes(registry.hkid.canonical), text);
    await page.getByTestId('pair-note').getByText('孿生兄弟').waitFor();
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'duplicate-review');

  await h.check('steward: merge keeps the older record by default and offers the fields that differ', async () => {
    await page.getByTestId('merge').click();
    const form = page.getByTestId('merge-form');
    await form.waitFor();
    assert.ok(await form.locator(`input[type="radio"][value="${registry.firstId}"]`).isChecked(), 'the older record is kept');
    const fields = await form.locator('[data-testid="take-fields"] input[type="checkbox"]').evaluateAll((nodes) => nodes.map((node) => node.value));
    assert.deepEqual(fields.sort(), ['chinese_name', 'family_name_en'], `takeable fields: ${fields}`);
    await form.locator('[data-testid="take-fields"] input[value="family_name_en"]').check();
    await form.getByLabel(exactLabel(tr('zh-Hant', 'merge.reasonLabel'))).fill('同一人');
    await form.getByTestId('merge-continue').click();
    await form.getByText(tr('zh-Hant', 'person.reasonTooShort', { min: 10 })).waitFor();
    await form.getByLabel(exactLabel(tr('zh-Hant', 'merge.reasonLabel'))).fill('已致電當事人核實：同一人，簡體字紀錄為誤登');
  });
  await bothLanguages(h, page, 'duplicate-merge', { dialog: true });
  await h.check('steward: the confirmation says what is kept and taken; merging shows the result', async () => {
    await page.getByTestId('merge-form').getByTestId('merge-continue').click();
    const step = page.getByTestId('merge-confirm-step');
    await step.waitFor();
    const text = (await step.textContent()) ?? '';
    assert.ok(text.includes(tr('zh-Hant', 'person.familyNameEn')) && text.includes(String(registry.secondId)), text);
    await step.getByTestId('merge-confirm').click();
    const result = page.getByTestId('merge-result');
    await result.waitFor({ timeout: TIMEOUT });
    assert.equal(Number(await result.getAttribute('data-survivor')), registry.firstId);
    await page.locator('[data-testid="pair-status"][data-status="merged"]').waitFor();
    assert.ok(((await result.getByTestId('merge-moved').textContent()) ?? '').includes(tr('zh-Hant', 'movedPart.person_contacts')));
  });
  await bothLanguages(h, page, 'duplicate-merged');

  await h.check('steward: the merged record says it was merged and links to the kept one', async () => {
    await page.getByTestId('open-merged').click();
    await page.waitForURL((url) => url.pathname === `/persons/${registry.secondId}`, { timeout: TIMEOUT });
    const notice = page.getByTestId('merged');
    await notice.waitFor({ timeout: TIMEOUT });
    assert.equal(Number(await notice.getAttribute('data-into')), registry.firstId);
    assert.ok(((await notice.textContent()) ?? '').includes(tr('zh-Hant', 'person.mergedIntoTitle', { id: registry.firstId })));
    await page.getByTestId('person-merges').getByTestId('merge-row').waitFor();
  });
  await bothLanguages(h, page, 'person-merged');
  await h.check('steward: following the link opens the kept record, which took the English family name and both phones', async () => {
    await page.getByTestId('merged-into').click();
    await page.waitForURL((url) => url.pathname === `/persons/${registry.firstId}`, { timeout: TIMEOUT });
    await page.locator('main h1', { hasText: registry.first.chinese }).waitFor({ timeout: TIMEOUT });
    const header = (await page.getByTestId('person-header').textContent()) ?? '';
    assert.ok(header.includes('CHEN Kwok Keung'), header);
    const contacts = (await page.getByTestId('part-contacts').textContent()) ?? '';
    assert.ok(contacts.includes(registry.first.phone) && contacts.includes(registry.second.phone), contacts);
    await page.getByTestId('tab-merges').click();
    await page.getByTestId('person-merges').getByTestId('merge-taken').waitFor();
  });
  await bothLanguages(h, page, 'person-merges');

  await h.check('steward: undoing the merge needs a reason', async () => {
    await page.getByTestId('person-merges').getByTestId('undo-merge').click();
    const form = page.getByTestId('undo-merge-form');
    await form.waitFor();
    await form.getByTestId('undo-merge-submit').click();
    await form.getByText(tr('zh-Hant', 'person.reasonTooShort', { min: 10 })).waitFor();
    await form.getByLabel(exactLabel(tr('zh-Hant', 'merge.undoReason'))).fill('合併有誤：兩人是孿生兄弟，證件號碼不同');
  });
  await bothLanguages(h, page, 'person-undo-merge', { dialog: true });
  await h.check('steward: after undoing, both records are back exactly as they were', async () => {
    await page.getByTestId('undo-merge-form').getByTestId('undo-merge-submit').click();
    await page.locator('[data-testid="merge-row"][data-undone="true"]').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('tab-details').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="person-header"]')?.textContent?.includes('CHAN Kwok Keung'), null, { timeout: TIMEOUT });
    const contacts = (await page.getByTestId('part-contacts').textContent()) ?? '';
    assert.ok(contacts.includes(registry.first.phone) && !contacts.includes(registry.second.phone), contacts);
    await page.goto(`/persons/${registry.secondId}`);
    await page.locator('main h1', { hasText: registry.second.chinese }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByTestId('merged').count(), 0);
    assert.ok(((await page.getByTestId('part-contacts').textContent()) ?? '').includes(registry.second.phone));
  });
  await h.check('steward: the pair is back in the queue; "not the same person" with a note settles it', async () => {
    await page.goto(`/duplicates/${out.pairId}`);
    await page.locator('[data-testid="pair-status"][data-status="open"]').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('distinct').click();
    const form = page.getByTestId('distinct-form');
    await form.waitFor();
    await form.getByLabel(exactLabel(tr('zh-Hant', 'duplicates.note'))).fill('孿生兄弟，已核對出生證明書');
    await form.getByTestId('distinct-submit').click();
    await form.waitFor({ state: 'hidden', timeout: TIMEOUT });
    await page.locator('[data-testid="pair-status"][data-status="distinct"]').waitFor({ timeout: TIMEOUT });
  });
  await h.check('steward: the change history of the merged record shows the merge and its undoing by their labels', async () => {
    await page.goto(`/persons/${registry.secondId}?tab=changes`);
    for (const action of ['person.merge', 'person.unmerge']) {
      const row = page.locator(`li[data-testid="change-row"][data-action="${action}"]`).first();
      await row.waitFor({ timeout: TIMEOUT });
      assert.ok(((await row.textContent()) ?? '').includes(tr('zh-Hant', `auditAction.${action.replace('.', '_')}`)), action);
    }
  });
  return out;
}

const IMPORT_COLUMNS = [
  'external_ref', 'chinese_name', 'family_name_en', 'given_names_en', 'aliases', 'sex', 'birth_date', 'birth_precision', 'death_date',
  'id_type', 'id_number', 'id_issuer', 'phone', 'email', 'region', 'district', 'street', 'building', 'languages', 'household_ref',
  'household_role',
];

function csvOf(rows) {
  return [IMPORT_COLUMNS.join(','), ...rows.map((row) => IMPORT_COLUMNS.map((column) => row[column] ?? '').join(','))].join('\n') + '\n';
}

/** The data steward imports a small file (a dry run with a bad row, then the corrected file) and exports a record. */
export async function registryImport(h, { steward, registry }) {
  const page = steward.page;
  const household = `H-${Date.now().toString(36)}`;
  const wife = { external_ref: 'R1', chinese_name: '何美華', family_name_en: 'HO', given_names_en: 'Mei Wah', sex: 'female', birth_date: '1985-02-03', birth_precision: 'full', id_type: 'hkid', id_number: uniqueHkid('W').typed, phone: '92345678', district: '東區', street: '筲箕灣道 20 號', languages: 'yue|en', household_ref: household, household_role: 'head' };
  const husband = { external_ref: 'R2', chinese_name: '黎志偉', family_name_en: 'LAI', given_names_en: 'Chi Wai', sex: 'male', birth_date: '1983-11-20', birth_precision: 'full', id_type: 'hkid', id_number: uniqueHkid('V').typed, district: '東區', street: '筲箕灣道 20 號', languages: 'yue', household_ref: household, household_role: 'spouse' };
  const broken = { ...husband, sex: 'robot', birth_date: '1983-02-30' };

  await h.check('steward: "import clients" opens the import page from the client search', async () => {
    await page.goto('/persons');
    await page.getByTestId('person-import').click();
    await page.waitForURL((url) => url.pathname === '/persons/import', { timeout: TIMEOUT });
    await expectHeading(page, 'zh-Hant', 'import.title');
    assert.equal(await page.getByTestId('import-check').isDisabled(), true, 'nothing to check without a file');
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-import');
  await h.check('steward: the template is a CSV made in the browser with the header row and one example row', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('download-template').click()]);
    assert.equal(download.suggestedFilename(), 'openwelfare-import-template.csv');
    const { readFile } = await import('node:fs/promises');
    const lines = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim().split(/\r?\n/);
    assert.equal(lines.length, 2);
    assert.equal(lines[0], IMPORT_COLUMNS.join(','));
  });
  await h.check('steward: a file with a wrong header is refused before upload', async () => {
    await page.locator('input[type="file"]').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('name,dob\n陳大文,1980-01-01\n') });
    await page.getByText(tr('zh-Hant', 'import.unknownColumns', { columns: 'name, dob' }), { exact: false }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByTestId('import-check').isDisabled(), true);
  });
  await h.check('steward: the dry run of a file with a bad row lists each problem by line and column (nothing saved)', async () => {
    await pick(page, exactLabel(tr('zh-Hant', 'import.unit')), /IFSC-EAST/);
    await page.locator('input[type="file"]').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf([wife, broken])) });
    await page.getByTestId('import-check').click();
    const report = page.locator('[data-testid="import-report"][data-outcome="errors"]');
    await report.waitFor({ timeout: 60_000 });
    assert.equal(await report.getAttribute('data-mode'), 'dry_run');
    for (const column of ['sex', 'birth_date']) {
      await page.locator(`[data-testid="import-error"][data-line="3"][data-column="${column}"]`).waitFor();
    }
    assert.equal(await page.getByTestId('import-apply').count(), 0, 'a file with errors cannot be applied');
    const answer = await page.request.get(`/api/v1/persons?q=${encodeURIComponent(wife.id_number)}`);
    assert.equal((await answer.json()).items.length, 0, 'nothing was saved');
  });
  await bothLanguages(h, page, 'person-import-errors');
  await h.check('steward: the row problems are shown in the language of the interface', async () => {
    const row = page.locator('[data-testid="import-error"][data-line="3"][data-column="sex"]');
    const zh = (await row.textContent()) ?? '';
    await switchLanguage(page, 'en');
    const en = (await row.textContent()) ?? '';
    assert.notEqual(zh, en, 'the message follows the language');
    assert.match(en, /[A-Za-z]{3}/);
    await switchLanguage(page, 'zh-Hant');
  });
  await h.check('steward: the corrected file, dropped on the page, checks as ready', async () => {
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'clients-corrected.csv', { type: 'text/csv' }));
      return data;
    }, csvOf([wife, husband]));
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    await page.getByTestId('import-check').click();
    await page.locator('[data-testid="import-report"][data-outcome="ready"]').waitFor({ timeout: 60_000 });
    assert.equal(Number(await page.getByTestId('count-valid').getAttribute('data-value')), 2);
  });
  await bothLanguages(h, page, 'person-import-ready');
  await h.check('steward: "import all rows" (confirmed) registers both and their household', async () => {
    await page.getByTestId('import-apply').click();
    await confirm(page);
    await page.locator('[data-testid="import-report"][data-outcome="applied"]').waitFor({ timeout: 60_000 });
    assert.equal(Number(await page.getByTestId('count-created').getAttribute('data-value')), 2);
    assert.equal(Number(await page.getByTestId('count-households').getAttribute('data-value')), 1);
    await noSidewaysScroll(page);
  });
  await bothLanguages(h, page, 'person-import-applied');

  await h.check('steward: the imported person is found, with the household on the Family tab', async () => {
    await page.goto(`/persons?q=${encodeURIComponent(wife.id_number)}`);
    const hit = page.locator('[data-testid="hit"]').first();
    await hit.waitFor({ timeout: TIMEOUT });
    await hit.getByRole('link').first().click();
    await page.locator('main h1', { hasText: wife.chinese_name }).waitFor({ timeout: TIMEOUT });
    await page.getByTestId('tab-family').click();
    const members = page.getByTestId('household').getByTestId('household-member');
    await members.nth(1).waitFor({ timeout: TIMEOUT });
    assert.equal(await members.count(), 2);
  });
  await h.check('steward: "Download (PDF)" gives the record as a PDF file', async () => {
    await page.goto(`/persons/${registry.firstId}`);
    await page.locator('main h1', { hasText: registry.first.chinese }).waitFor({ timeout: TIMEOUT });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-pdf').click()]);
    assert.equal(download.suggestedFilename(), `person-${registry.firstId}.pdf`);
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the file is a PDF');
    assert.ok(bytes.length > 1000, `PDF of ${bytes.length} bytes`);
  });
  await h.check('steward: "Download (JSON)" gives the whole record as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-json').click()]);
    assert.equal(download.suggestedFilename(), `person-${registry.firstId}.json`);
    const { readFile } = await import('node:fs/promises');
    const data = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.ok(JSON.stringify(data).includes(registry.first.chinese));
  });
  await h.screen(page, 'person-export.zh-Hant');
  await h.check('steward: the change history of the record shows the export', async () => {
    await page.getByTestId('tab-changes').click();
    const row = page.locator('li[data-testid="change-row"][data-action="person.export"]').first();
    await row.waitFor({ timeout: TIMEOUT });
    assert.ok(((await row.textContent()) ?? '').includes(tr('zh-Hant', 'auditAction.person_export')));
  });
}
