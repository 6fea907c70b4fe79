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

/** The auditor may export the audit trail as CSV (the administrator may not). */
export async function auditorExport(h, { newPage, accounts, clock }) {
  const auditor = accounts.find((account) => account.username === 'auditor');
  const { page } = await newPage();
  await page.goto('/audit');
  await h.check('auditor: signs in with password and one-time code', async () => {
    await signInWithPassword(page, auditor.username, auditor.password);
    await enterCode(page, await clock.next(auditor.totp_secret));
    await waitForConsole(page);
    await page.getByTestId('audit-table').waitFor({ timeout: TIMEOUT });
  });
  await h.check('auditor: "export CSV" downloads the audit trail with the cookie', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.getByTestId('export-csv').click()]);
    assert.equal(download.suggestedFilename(), 'audit-trail.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    assert.ok(csv.includes('actor_username') && csv.includes('staff.create'), 'CSV has a header and entries');
  });
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
