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

/** A valid HKID no other run uses (Z + six digits + check digit), e.g. Z123456(3). */
function uniqueHkid() {
  const body = `Z${String(Date.now() % 1_000_000).padStart(6, '0')}`;
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
  const out = { hkid, chinese: first.chinese };

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
