// FormRenderer (src/forms/FormRenderer.tsx) rendered to HTML in Node: the right inputs, both languages,
// computed values, hidden questions, errors on the fields and the read-only view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importTypeScript, shippedForms } from './support/typescript.mjs';

const { renderForm } = await importTypeScript('tests/support/render-form.tsx', { withPackages: true });
const forms = await shippedForms();
const risk = forms.child_protection_risk;
const TODAY = '2026-11-23';

const count = (html, pattern) => (html.match(pattern) ?? []).length;
// assert.match would print the whole page (and Mantine's style sheet) when it fails.
const has = (html, pattern) => assert.ok(pattern.test(html), `expected ${pattern}`);
const hasNot = (html, pattern) => assert.ok(!pattern.test(html), `did not expect ${pattern}`);
/** The opening tag of the element with this data-testid. */
const tag = (html, testId) => new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';
const attribute = (html, testId, name) => {
  const match = new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  assert.ok(match, `no element ${testId}`);
  return new RegExp(`${name}="([^"]*)"`).exec(match[0])?.[1];
};

test('renders the sections, questions and computed values in English and in Chinese', async () => {
  const en = await renderForm({ definition: risk, value: {}, onChange: () => {}, today: TODAY }, 'en');
  has(en, /Child Protection Risk Assessment/);
  has(en, /Version 1/);
  has(en, /Incident and injury/);
  has(en, /The child&#x27;s injury/);
  has(en, /Risk score: 0/);
  has(en, /Risk level: Low risk/);
  hasNot(en, /兒童的傷勢/);
  // Follow-up questions are hidden until they apply.
  hasNot(en, /A previous maltreatment case was substantiated/);
  hasNot(en, /data-testid="field-judgement_reason"/);
  // Yes/no and short choice lists are buttons, the analysis a text area.
  assert.ok(count(en, /role="radio"/g) > 40);
  has(en, /<textarea[^>]*data-testid="field-worker_analysis"/);

  const zh = await renderForm({ definition: risk, value: {}, onChange: () => {}, today: TODAY }, 'zh-Hant');
  has(zh, /兒童受虐風險評估/);
  has(zh, /第 1 版/);
  has(zh, /兒童的傷勢/);
  has(zh, /風險級別：低風險/);
  has(zh, /風險分數：0/);
  hasNot(zh, /The child&#x27;s injury/);
});

test('a high level is shown in red; answers show the questions that follow from them', async () => {
  const value = { injury_severity: 'serious', previous_reports: 'one', judged_high_risk: true };
  const html = await renderForm({ definition: risk, value, onChange: () => {}, today: TODAY }, 'en');
  assert.equal(attribute(html, 'computed-risk_level', 'data-value'), 'high');
  assert.equal(attribute(html, 'computed-risk_level', 'data-rank'), '2');
  has(html, /Risk level: High risk/);
  has(html, /Risk score: 12/);
  has(html, /A previous maltreatment case was substantiated/);
  has(html, /data-testid="field-judgement_reason"/);
  has(html, /--badge-bg:var\(--mantine-color-red-9\)/);
});

test('the right input for each type: a drop-down list for long lists, check boxes, numbers and dates', async () => {
  const intake = forms.family_intake;
  const html = await renderForm({ definition: intake, value: {}, onChange: () => {}, today: TODAY }, 'en');
  // referral_source has 9 options: a drop-down list, not 9 buttons.
  has(html, /<input[^>]*data-testid="field-referral_source"/);
  hasNot(html, /role="radio"[^>]*data-value="village_officer"/);
  assert.ok(count(html, /role="checkbox"/g) >= 15);
  // Dates as elsewhere in the console: the browser's date input, not after today when so defined.
  has(tag(html, 'field-contact_date'), /^<input[^>]*type="date"/);
  has(tag(html, 'field-contact_date'), /max="2026-11-23"/);
  // A whole number from 1: the digit keypad.
  has(tag(html, 'field-household_size'), /^<input[^>]*inputMode="numeric"/);
  has(tag(html, 'field-referral_source'), /^<input[^>]*aria-haspopup="listbox"/);
  has(tag(html, 'field-reason_for_contact'), /^<textarea/);
  // Required questions carry aria-required (and the asterisk); optional ones do not.
  has(tag(html, 'field-household_size'), /aria-required="true"/);
  hasNot(tag(html, 'field-children_under_18'), /aria-required/);
  has(html, /People in the household \(including the service user\)<span[^>]*aria-hidden="true"> \*<\/span>/);
});

test('field errors appear on their fields; live checks report a number out of range', async () => {
  const intake = forms.family_intake;
  const html = await renderForm(
    { definition: intake, value: { household_size: 30 }, errors: { urgency: 'Server says: choose one.' }, onChange: () => {}, today: TODAY },
    'en',
  );
  has(html, /Server says: choose one\./);
  has(html, /Enter a number from 1 to 20\./);
});

test('read-only: answers as text with the form version, no inputs', async () => {
  const value = { injury_severity: 'minor', high_risk_injury_site: false, sexual_abuse_disclosure: true, worker_analysis: 'Seen at home.' };
  const html = await renderForm({ definition: risk, value, readOnly: true, today: TODAY }, 'en');
  hasNot(html, /<input|<textarea|role="radio"/);
  has(html, /Version 1/);
  has(html, /<dd[^>]*>Minor \(e\.g\. bruising, redness; no treatment needed\)<\/dd>/);
  has(html, /<dd[^>]*>Yes<\/dd>/);
  has(html, /<dd[^>]*>No<\/dd>/);
  has(html, /<dd[^>]*>Seen at home\.<\/dd>/);
  has(html, /Not answered/);
  has(html, /Risk level: High risk/);
  const zh = await renderForm({ definition: risk, value, readOnly: true, today: TODAY }, 'zh-Hant');
  has(zh, /<dd[^>]*>是<\/dd>/);
  has(zh, /未填寫/);
});
