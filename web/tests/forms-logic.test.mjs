// The browser's form logic (src/forms/formLogic.ts) against the server's semantics (src/forms/form_fill.cpp):
// first the server's own unit test cases (tests/unit/forms_test.cpp), then every shipped definition in
// config/forms/*.json: computed values, required_if, visible_if and not_applicable, pruning of hidden answers,
// and the problems with their stable codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importTypeScript, shippedForms } from './support/typescript.mjs';

const logic = await importTypeScript('src/forms/formLogic.ts');
const { checkAnswers, compute, fill, holds, pruneHidden, visibleFields, formState, PROBLEM_CODES } = logic;
const forms = await shippedForms();
const TODAY = '2026-11-23';

/** The problems as "field:code", sorted (the server's tests compare sets). */
const codes = (problems) => problems.map((problem) => `${problem.path}:${problem.code}`).sort();
const complete = (form, answers) => checkAnswers(form, answers, { complete: true, today: TODAY });
const draft = (form, answers) => checkAnswers(form, answers, { complete: false, today: TODAY });
const computed = (form, answers) => compute(form, answers, TODAY);

// ---- The server's unit test form (tests/unit/forms_test.cpp RiskForm) -------------------------------------

const label = (text) => ({ zh: `中${text}`, en: text });
const riskForm = {
  code: 'risk_check',
  version: 2,
  title: label('Risk check'),
  sections: [
    {
      id: 'safety',
      title: label('Safety'),
      fields: [
        {
          id: 'injury',
          type: 'choice',
          label: label('Injury'),
          required: true,
          options: [
            { value: 'none', label: label('None') },
            { value: 'minor', label: label('Minor'), score: 3 },
            { value: 'serious', label: label('Serious'), score: 8 },
          ],
        },
        { id: 'injury_detail', type: 'textarea', label: label('Describe the injury'), max_length: 20, required_if: { field: 'injury', not_in: ['none'] } },
        { id: 'immediate_danger', type: 'boolean', label: label('Immediate danger'), score_if_true: 5 },
        { id: 'age', type: 'integer', label: label('Age'), min: 0, max: 17 },
        { id: 'seen_on', type: 'date', label: label('Seen on'), not_in_future: true },
        {
          id: 'concerns',
          type: 'multi_choice',
          label: label('Concerns'),
          max: 2,
          options: [
            { value: 'food', label: label('Food'), score: 1 },
            { value: 'school', label: label('School'), score: 2 },
            { value: 'housing', label: label('Housing'), score: 4 },
          ],
        },
      ],
    },
    {
      id: 'school',
      title: label('School'),
      visible_if: { field: 'age', at_least: 6 },
      fields: [{ id: 'school_name', type: 'text', label: label('School'), required: true }],
    },
  ],
  computed: [
    { id: 'score', kind: 'sum', label: label('Score'), fields: ['injury', 'immediate_danger', 'concerns'] },
    {
      id: 'level',
      kind: 'level',
      label: label('Level'),
      source: 'score',
      bands: [
        { from: 0, value: 'low', label: label('Low') },
        { from: 5, value: 'medium', label: label('Medium') },
        { from: 10, value: 'high', label: label('High') },
      ],
      overrides: [{ when: { field: 'immediate_danger', equals: true }, value: 'high' }],
    },
  ],
};

test('server case: computes the score and the level, trims text, keeps a repeated choice once', () => {
  const filled = fill(riskForm, { injury: 'minor', injury_detail: ' bruise ', concerns: ['school', 'school'] }, { complete: true, today: TODAY });
  assert.deepEqual(filled.problems, []);
  assert.deepEqual(filled.computed, { score: 5, level: 'medium' });
  assert.equal(filled.answers.injury_detail, 'bruise');
  assert.deepEqual(filled.answers.concerns, ['school']);
});

test('server case: an override raises the level but never lowers it', () => {
  assert.deepEqual(computed(riskForm, { injury: 'none', immediate_danger: true }), { score: 5, level: 'high' });
  assert.deepEqual(computed(riskForm, { injury: 'serious', injury_detail: 'burn', concerns: ['food', 'school'] }), { score: 11, level: 'high' });
  assert.deepEqual(computed(riskForm, { injury: 'serious', immediate_danger: false }), { score: 8, level: 'medium' });
});

test('server case: required and required_if hold only for a complete form', () => {
  assert.deepEqual(codes(complete(riskForm, { injury: 'serious' })), ['data.injury_detail:required']);
  assert.deepEqual(draft(riskForm, { injury: 'serious' }), []);
  // An unanswered question equals nothing, so "not none" holds and the detail is asked for too.
  assert.deepEqual(codes(complete(riskForm, {})), ['data.injury:required', 'data.injury_detail:required']);
});

test('server case: a hidden section is not required and may not be answered', () => {
  assert.deepEqual(codes(draft(riskForm, { injury: 'none', age: 4, school_name: 'Sunrise' })), ['data.school_name:not_applicable']);
  assert.deepEqual(codes(complete(riskForm, { injury: 'none', age: 9 })), ['data.school_name:required']);
  assert.deepEqual(pruneHidden(riskForm, { injury: 'none', age: 4, school_name: 'Sunrise' }, TODAY), { injury: 'none', age: 4 });
});

test('server case: wrong values are refused with stable codes', () => {
  const problems = checkAnswers(
    riskForm,
    {
      injury: 'fatal',
      injury_detail: 'more than twenty characters here',
      immediate_danger: 'yes',
      age: 18,
      seen_on: '2026-11-24',
      concerns: ['food', 'school', 'housing'],
      colour: 'red',
    },
    { complete: false, today: TODAY, prefix: 'answers.' },
  );
  assert.deepEqual(codes(problems), [
    'answers.age:out_of_range',
    'answers.colour:unknown_field',
    'answers.concerns:out_of_range',
    'answers.immediate_danger:invalid_type',
    'answers.injury:invalid_choice',
    'answers.injury_detail:too_long',
    'answers.seen_on:in_future',
  ]);
  const byField = Object.fromEntries(problems.map((problem) => [problem.field, problem.params]));
  assert.deepEqual(byField.age, { min: '0', max: '17' });
  assert.deepEqual(byField.concerns, { min: '-∞', max: '2' });
  assert.deepEqual(byField.injury_detail, { max: '20' });
  assert.deepEqual(byField.injury, { choices: 'none, minor, serious' });
  assert.deepEqual(byField.immediate_danger, { expected: 'true / false' });
  assert.deepEqual(codes(draft(riskForm, { seen_on: '2026-02-30', age: 2.5 })), ['data.age:invalid_type', 'data.seen_on:invalid_date']);
});

test('conditions: equals on a multi-choice means "includes"; unanswered is null, "" or []', () => {
  const answers = { many: ['a', 'b'], none: [], empty: '', nothing: null, no: false, zero: 0 };
  assert.equal(holds({ field: 'many', equals: 'b' }, answers), true);
  assert.equal(holds({ field: 'many', not_equals: 'b' }, answers), false);
  assert.equal(holds({ field: 'many', in: ['x', 'a'] }, answers), true);
  assert.equal(holds({ field: 'many', not_in: ['x', 'a'] }, answers), false);
  assert.equal(holds({ field: 'many', at_least: 2 }, answers), true);
  assert.equal(holds({ field: 'many', at_least: 3 }, answers), false);
  for (const field of ['none', 'empty', 'nothing', 'missing']) {
    assert.equal(holds({ field, answered: true }, answers), false, field);
    assert.equal(holds({ field, answered: false }, answers), true, field);
    assert.equal(holds({ field, not_equals: 'x' }, answers), true, field);
    assert.equal(holds({ field, not_in: ['x'] }, answers), true, field);
    assert.equal(holds({ field, in: ['x'] }, answers), false, field);
    assert.equal(holds({ field, at_least: 0 }, answers), false, field);
  }
  assert.equal(holds({ field: 'no', answered: true }, answers), true);
  assert.equal(holds({ field: 'no', equals: false }, answers), true);
  assert.equal(holds({ field: 'zero', equals: 0 }, answers), true);
  assert.equal(holds({ field: 'zero', at_least: 0 }, answers), true);
  assert.equal(holds({ field: 'zero', in: 'not a list' }, answers), false);
  assert.equal(holds({ field: 'zero', not_in: 'not a list' }, answers), true);
  // A computed value is tested like a field.
  assert.equal(holds({ field: 'level', equals: 'high' }, {}, { level: 'high' }), true);
  assert.equal(holds({ all: [{ field: 'no', equals: false }, { field: 'zero', equals: 1 }] }, answers), false);
  assert.equal(holds({ any: [{ field: 'no', equals: false }, { field: 'zero', equals: 1 }] }, answers), true);
  assert.equal(holds({ all: [] }, answers), true);
  assert.equal(holds({ any: [] }, answers), false);
});

// ---- The shipped definitions --------------------------------------------------------------------------------

test('all eight shipped forms are read', () => {
  assert.deepEqual(Object.keys(forms).sort(), [
    'child_protection_intake',
    'child_protection_risk',
    'elderly_intake',
    'elderly_needs',
    'family_intake',
    'family_needs',
    'medical_social_intake',
    'residential_care_application',
  ]);
});

/** Every condition of a definition. */
function conditions(form) {
  const found = [];
  const walk = (condition) => {
    if (!condition) return;
    found.push(condition);
    for (const part of [...(condition.all ?? []), ...(condition.any ?? [])]) walk(part);
  };
  for (const section of form.sections) {
    walk(section.visible_if);
    for (const field of section.fields) {
      walk(field.required_if);
      walk(field.visible_if);
    }
  }
  for (const value of form.computed ?? []) for (const raise of value.overrides ?? []) walk(raise.when);
  return found;
}

test('every shipped form refers only to its own fields, sums and band values', () => {
  for (const form of Object.values(forms)) {
    const fields = new Set(logic.allFields(form).map((field) => field.id));
    const sums = new Set((form.computed ?? []).filter((value) => value.kind === 'sum').map((value) => value.id));
    const ids = new Set([...fields, ...(form.computed ?? []).map((value) => value.id)]);
    assert.equal(fields.size, logic.allFields(form).length, `${form.code}: field ids are unique`);
    for (const condition of conditions(form)) {
      if (condition.field !== undefined) assert.ok(ids.has(condition.field), `${form.code}: ${condition.field}`);
    }
    for (const value of form.computed ?? []) {
      for (const id of value.fields ?? []) assert.ok(fields.has(id), `${form.code}.${value.id}: ${id}`);
      if (value.kind === 'level') {
        assert.ok(sums.has(value.source), `${form.code}.${value.id}: source`);
        const bands = value.bands.map((band) => band.value);
        for (const raise of value.overrides ?? []) assert.ok(bands.includes(raise.value), `${form.code}.${value.id}: ${raise.value}`);
        value.bands.forEach((band, index) => index > 0 && assert.ok(band.from > value.bands[index - 1].from));
      }
    }
  }
});

/** A valid answer to every question (the first option, yes, the smallest number, today). */
function answerEverything(form) {
  const answers = {};
  for (const field of logic.allFields(form)) {
    const options = (field.options ?? []).map((option) => option.value);
    answers[field.id] = {
      text: 'x',
      textarea: 'Seen at home.',
      integer: field.min ?? 1,
      decimal: field.min ?? 1,
      date: TODAY,
      boolean: true,
      choice: options[0],
      multi_choice: options.slice(0, Math.max(1, field.min ?? 1)),
    }[field.type];
  }
  return answers;
}

test('every shipped form: a full set of answers, pruned, completes without problems', () => {
  for (const form of Object.values(forms)) {
    const answers = pruneHidden(form, answerEverything(form), TODAY);
    assert.deepEqual(complete(form, answers), [], form.code);
    const values = computed(form, answers);
    for (const value of form.computed ?? []) {
      if (value.kind === 'sum') assert.equal(typeof values[value.id], 'number', `${form.code}.${value.id}`);
      else assert.ok(value.bands.some((band) => band.value === values[value.id]), `${form.code}.${value.id}`);
    }
  }
});

test('every shipped form: an empty form is a valid draft, and complete it lists exactly the required questions', () => {
  for (const form of Object.values(forms)) {
    assert.deepEqual(draft(form, {}), [], form.code);
    const problems = complete(form, {});
    assert.ok(problems.every((problem) => problem.code === 'required'), form.code);
    const state = formState(form, {}, TODAY);
    const expected = logic
      .allFields(form)
      .filter((field) => state.visible.fields.has(field.id) && (field.required || (field.required_if && holds(field.required_if, {}, state.computed))))
      .map((field) => field.id);
    assert.deepEqual(problems.map((problem) => problem.field), expected, form.code);
    // Every plainly required question (no condition on it) is among them.
    for (const field of logic.allFields(form).filter((entry) => entry.required && !entry.visible_if)) {
      assert.ok(expected.includes(field.id), `${form.code}.${field.id}`);
    }
    // No answers: every sum is 0 and every level is its lowest band.
    for (const value of form.computed ?? []) {
      assert.equal(computed(form, {})[value.id], value.kind === 'sum' ? 0 : value.bands[0].value, `${form.code}.${value.id}`);
    }
  }
});

// child_protection_risk ----------------------------------------------------------------------------------------

const risk = forms.child_protection_risk;
const noConcerns = {
  injury_severity: 'none',
  sexual_abuse_disclosure: false,
  neglect_severity: 'none',
  pattern_of_harm: 'none',
  child_age_group: 'age_12_to_17',
  child_disability: false,
  left_unsupervised: false,
  caregiver_substance_use: 'none',
  caregiver_mental_health: 'no_concern',
  domestic_violence: 'none',
  caregiver_response: 'acknowledges',
  perpetrator_access: false,
  previous_reports: 'none',
  protective_caregiver: 'no',
  support_network: 'none',
  worker_analysis: 'No concerns found on the home visit.',
};
const protective = { protective_caregiver: 'yes', support_network: 'strong', professional_contact: true, safety_plan: true };

test('child_protection_risk: no concerns is low; protective factors lower the score', () => {
  assert.deepEqual(complete(risk, noConcerns), []);
  assert.deepEqual(computed(risk, noConcerns), { risk_score: 0, risk_level: 'low' });
  assert.deepEqual(computed(risk, { ...noConcerns, ...protective }), { risk_score: -8, risk_level: 'low' });
  const concerns = {
    ...noConcerns,
    injury_severity: 'moderate', // 6
    high_risk_injury_site: true, // 3
    pattern_of_harm: 'repeated', // 3
    child_age_group: 'age_6_to_11', // 1
    caregiver_response: 'minimises', // 2
    previous_reports: 'one', // 2
    previous_substantiated: false,
  };
  assert.deepEqual(complete(risk, concerns), []);
  assert.deepEqual(computed(risk, concerns), { risk_score: 17, risk_level: 'high' });
  assert.deepEqual(computed(risk, { ...concerns, protective_caregiver: 'yes', support_network: 'strong' }), { risk_score: 12, risk_level: 'medium' });
  assert.deepEqual(computed(risk, { ...concerns, ...protective }), { risk_score: 9, risk_level: 'medium' });
});

test('child_protection_risk: immediate-safety overrides give high whatever the score', () => {
  const safe = { ...noConcerns, ...protective };
  assert.deepEqual(computed(risk, { ...safe, sexual_abuse_disclosure: true }), { risk_score: 2, risk_level: 'high' });
  assert.deepEqual(computed(risk, { ...safe, child_age_group: 'under_3', left_unsupervised: true }), { risk_score: -1, risk_level: 'high' });
  assert.deepEqual(computed(risk, { ...safe, neglect_severity: 'severe' }), { risk_score: -2, risk_level: 'high' });
  assert.deepEqual(computed(risk, { ...safe, judged_high_risk: true }), { risk_score: -8, risk_level: 'high' });
  // The worker's judgement needs its reason.
  assert.deepEqual(codes(complete(risk, { ...safe, judged_high_risk: true })), ['data.judgement_reason:required']);
  assert.deepEqual(complete(risk, { ...safe, judged_high_risk: true, judgement_reason: 'Father returned home.' }), []);
  // A moderate injury is at least medium, even when protective factors bring the score below the band.
  assert.deepEqual(computed(risk, { ...safe, injury_severity: 'moderate' }), { risk_score: -2, risk_level: 'medium' });
  // An override to medium does not lower a high score.
  const high = { ...noConcerns, caregiver_substance_use: 'current', caregiver_mental_health: 'unstable', domestic_violence: 'current', caregiver_response: 'denies_or_blames' };
  assert.deepEqual(computed(risk, high), { risk_score: 16, risk_level: 'high' });
  // "Under 3 and unsupervised" needs both.
  assert.equal(computed(risk, { ...safe, child_age_group: 'under_3' }).risk_level, 'low');
});

test('child_protection_risk: required_if only when complete, visible_if hides and refuses answers', () => {
  const reported = { ...noConcerns, previous_reports: 'two_or_more' };
  assert.deepEqual(codes(complete(risk, reported)), ['data.previous_substantiated:required']);
  assert.deepEqual(draft(risk, reported), []);
  assert.equal(visibleFields(risk, noConcerns, undefined, TODAY).has('previous_substantiated'), false);
  assert.equal(visibleFields(risk, reported, undefined, TODAY).has('previous_substantiated'), true);
  // "not_in" holds while the question it reads is unanswered: the injury site is asked until "no injury".
  assert.equal(visibleFields(risk, {}, undefined, TODAY).has('high_risk_injury_site'), true);
  const hidden = { ...noConcerns, high_risk_injury_site: true };
  assert.deepEqual(codes(draft(risk, hidden)), ['data.high_risk_injury_site:not_applicable']);
  // As on the server, a hidden answer still counts in the sum: the console prunes it before anyone sees it.
  assert.equal(computed(risk, hidden).risk_score, 3);
  const pruned = pruneHidden(risk, hidden, TODAY);
  assert.equal('high_risk_injury_site' in pruned, false);
  assert.deepEqual(complete(risk, pruned), []);
  assert.equal(computed(risk, pruned).risk_score, 0);
  // Nothing hidden: the same object comes back (no needless re-render).
  assert.equal(pruneHidden(risk, noConcerns, TODAY), noConcerns);
});

// elderly_needs and family_needs -------------------------------------------------------------------------------

const elderly = forms.elderly_needs;
const independent = Object.fromEntries(
  logic
    .allFields(elderly)
    .filter((field) => field.type === 'choice')
    .map((field) => [field.id, field.options[0].value]),
);

test('elderly_needs: bands, overrides and multi-choice scores', () => {
  assert.deepEqual(computed(elderly, independent), { impairment_score: 0, care_need_level: 'mild' });
  const some = { ...independent };
  for (const id of ['adl_bathing', 'adl_dressing', 'adl_toileting', 'adl_transfer', 'adl_eating', 'adl_locomotion']) some[id] = 'supervision';
  for (const id of ['iadl_meals', 'iadl_housework', 'iadl_medication', 'iadl_finances', 'iadl_shopping_transport']) some[id] = 'some_help';
  assert.deepEqual(computed(elderly, some), { impairment_score: 11, care_need_level: 'mild' });
  assert.deepEqual(computed(elderly, { ...some, cognition: 'mild' }), { impairment_score: 12, care_need_level: 'moderate' });
  // A repeated choice counts once (the server keeps it once before adding up).
  assert.equal(computed(elderly, { medical_conditions: ['dementia', 'dementia', 'stroke', 'hypertension'] }).impairment_score, 4);
  // "in" on a multi-choice: any of the listed choices.
  assert.deepEqual(computed(elderly, { ...independent, special_treatments: ['oxygen', 'tube_feeding'] }), { impairment_score: 5, care_need_level: 'severe' });
  assert.deepEqual(computed(elderly, { ...independent, cognition: 'moderate' }), { impairment_score: 3, care_need_level: 'moderate' });
  assert.deepEqual(computed(elderly, { ...independent, falls_90_days: 'two_or_more' }), { impairment_score: 3, care_need_level: 'moderate' });
  const dependent = { ...independent, lives_alone: true, behaviour_problems: true };
  for (const id of ['adl_bathing', 'adl_dressing', 'adl_toileting', 'adl_eating', 'adl_locomotion']) dependent[id] = 'dependent';
  assert.deepEqual(computed(elderly, dependent), { impairment_score: 24, care_need_level: 'moderate' });
  assert.deepEqual(computed(elderly, { ...dependent, iadl_meals: 'full_help' }), { impairment_score: 26, care_need_level: 'moderate' });
  assert.deepEqual(computed(elderly, { ...dependent, iadl_meals: 'full_help', iadl_finances: 'full_help' }), { impairment_score: 28, care_need_level: 'severe' });
  // A refused answer counts for nothing.
  const refused = { ...independent, adl_bathing: 'sometimes', medical_conditions: ['dementia', 'flu'] };
  assert.deepEqual(computed(elderly, refused), { impairment_score: 0, care_need_level: 'mild' });
  assert.deepEqual(codes(draft(elderly, refused)), ['data.adl_bathing:invalid_choice', 'data.medical_conditions:invalid_choice']);
});

test('family_needs: any severe need is at least moderate, a severe safety need is high; choices within min and max', () => {
  const family = forms.family_needs;
  const none = Object.fromEntries(
    logic
      .allFields(family)
      .filter((field) => field.type === 'choice')
      .map((field) => [field.id, 'no_need']),
  );
  assert.deepEqual(computed(family, none), { needs_score: 0, need_level: 'low' });
  assert.deepEqual(computed(family, { ...none, financial: 'severe' }), { needs_score: 3, need_level: 'moderate' });
  assert.deepEqual(computed(family, { ...none, family_safety: 'severe' }), { needs_score: 3, need_level: 'high' });
  const mild = Object.fromEntries(Object.keys(none).map((id) => [id, 'mild']));
  assert.deepEqual(computed(family, mild), { needs_score: 11, need_level: 'moderate' });
  const moderate = Object.fromEntries(Object.keys(none).map((id) => [id, 'moderate']));
  assert.deepEqual(computed(family, moderate), { needs_score: 22, need_level: 'high' });
  assert.deepEqual(computed(family, { ...mild, parenting: 'not_applicable', caregiving: 'not_applicable', employment_education: 'not_applicable' }), {
    needs_score: 8,
    need_level: 'moderate',
  });

  const four = draft(family, { priority_needs: ['financial', 'housing', 'parenting', 'caregiving'] });
  assert.deepEqual(codes(four), ['data.priority_needs:out_of_range']);
  assert.deepEqual(four[0].params, { min: '1', max: '3' });
  assert.deepEqual(draft(family, { priority_needs: ['financial', 'financial', 'housing', 'parenting'] }), []);
  assert.ok(codes(complete(family, { priority_needs: [] })).includes('data.priority_needs:required'));
});

// The intake forms and the application ----------------------------------------------------------------------

test('family_intake: numbers, dates, text lengths and types', () => {
  const intake = forms.family_intake;
  assert.deepEqual(computed(intake, {}), {});
  const problems = draft(intake, {
    household_size: 0,
    children_under_18: 2.5,
    contact_date: '2026-11-24',
    reason_for_contact: '家'.repeat(2001),
    urgency: 'URGENT',
    consent_to_service: 'no',
    presenting_problems: 'housing',
  });
  assert.deepEqual(codes(problems), [
    'data.children_under_18:invalid_type',
    'data.consent_to_service:invalid_type',
    'data.contact_date:in_future',
    'data.household_size:out_of_range',
    'data.presenting_problems:invalid_type',
    'data.reason_for_contact:too_long',
    'data.urgency:invalid_choice',
  ]);
  assert.deepEqual(problems.find((problem) => problem.field === 'household_size').params, { min: '1', max: '20' });
  assert.deepEqual(problems.find((problem) => problem.field === 'reason_for_contact').params, { max: '2000' });
  assert.deepEqual(codes(draft(intake, { household_size: 21, children_under_18: -1 })), ['data.children_under_18:out_of_range', 'data.household_size:out_of_range']);
  assert.deepEqual(codes(draft(intake, { household_size: '3' })), ['data.household_size:invalid_type']);
  assert.deepEqual(draft(intake, { household_size: 20, children_under_18: 0 }), []);
  // Dates: real calendar days written YYYY-MM-DD, today allowed.
  for (const bad of ['2025-02-29', '2024-13-01', '2024-2-9', '2024-04-31', '24-02-29']) {
    assert.deepEqual(codes(draft(intake, { contact_date: bad })), ['data.contact_date:invalid_date'], bad);
  }
  assert.deepEqual(codes(draft(intake, { contact_date: 20240229 })), ['data.contact_date:invalid_type']);
  for (const good of ['2024-02-29', '2000-02-29', TODAY]) assert.deepEqual(draft(intake, { contact_date: good }), [], good);
  // Length in characters (code points) after trimming, as the server counts.
  assert.deepEqual(draft(intake, { reason_for_contact: ` ${'家'.repeat(2000)}\n` }), []);
  assert.deepEqual(draft(intake, { reason_for_contact: '😀'.repeat(2000) }), []);
  assert.equal(fill(intake, { reason_for_contact: '\t 在家 \r\n' }, { complete: false, today: TODAY }).answers.reason_for_contact, '在家');
});

test('family_intake: questions that follow the referral source, the risks and the consent', () => {
  const intake = forms.family_intake;
  const base = {
    contact_date: '2026-11-20',
    reason_for_contact: 'Rent arrears.',
    presenting_problems: ['financial'],
    household_size: 3,
    household_type: 'nuclear',
    child_safety_concern: false,
    violence_concern: false,
    suicide_risk: false,
    urgency: 'normal',
    consent_to_service: true,
    consent_to_share: true,
    screening_recommendation: 'open_case',
  };
  assert.deepEqual(codes(complete(intake, base)), ['data.referral_source:required']);
  assert.deepEqual(codes(complete(intake, { ...base, referral_source: 'other' })), ['data.referral_source_other:required']);
  assert.deepEqual(codes(complete(intake, { ...base, referral_source: 'school' })), ['data.referring_agency:required']);
  assert.deepEqual(complete(intake, { ...base, referral_source: 'self' }), []);
  assert.deepEqual(codes(complete(intake, { ...base, referral_source: 'school', referral_source_other: 'church' })), [
    'data.referral_source_other:not_applicable',
    'data.referring_agency:required',
  ]);
  const ok = { ...base, referral_source: 'self' };
  assert.deepEqual(codes(complete(intake, { ...ok, violence_concern: true })), ['data.risk_details:required']);
  // false is an answer: "no consent" asks for the reason.
  assert.deepEqual(codes(complete(intake, { ...ok, consent_to_service: false })), ['data.no_consent_reason:required']);
  assert.deepEqual(codes(complete(intake, { ...ok, presenting_problems: ['financial', 'other'] })), ['data.problems_other:required']);
  assert.deepEqual(codes(complete(intake, { ...ok, screening_recommendation: 'refer_external' })), ['data.referral_destination:required']);
  // Changing the source hides the question about "other" and prunes its answer.
  const changed = pruneHidden(intake, { ...ok, referral_source: 'police', referral_source_other: 'church', referring_agency: 'Police' }, TODAY);
  assert.deepEqual(Object.keys(changed).includes('referral_source_other'), false);
  assert.deepEqual(complete(intake, changed), []);
});

test('child_protection_intake: ranges, required_if on a choice, unknown fields', () => {
  const intake = forms.child_protection_intake;
  const problems = draft(intake, { child_age: 18, colour: 'red', empty_unknown: null });
  assert.deepEqual(codes(problems), ['data.child_age:out_of_range', 'data.colour:unknown_field', 'data.empty_unknown:unknown_field']);
  assert.deepEqual(problems[0].params, { min: '0', max: '17' });
  assert.ok(codes(complete(intake, { child_safe_now: 'unsafe' })).includes('data.immediate_action:required'));
  assert.ok(!codes(complete(intake, { child_safe_now: 'safe' })).includes('data.immediate_action:required'));
  assert.deepEqual(codes(draft(intake, { immediate_action: ['police_report'], child_safe_now: 'safe' })), []);
  // An anonymous referrer has no contact to ask for.
  assert.equal(visibleFields(intake, { referral_source: 'anonymous' }, undefined, TODAY).has('referrer_contact'), false);
  assert.equal(visibleFields(intake, { referral_source: 'school' }, undefined, TODAY).has('referrer_contact'), true);
  assert.equal(visibleFields(intake, {}, undefined, TODAY).has('referrer_contact'), true);
  assert.deepEqual(codes(draft(intake, { referral_source: 'anonymous', referrer_contact: '  ' })), ['data.referrer_contact:not_applicable']);
  assert.deepEqual(draft(intake, { referral_source: 'anonymous', referrer_contact: '' }), []);
});

test('elderly_intake: a question shown while another is unanswered or not "none"', () => {
  const intake = forms.elderly_intake;
  assert.equal(visibleFields(intake, {}, undefined, TODAY).has('carer_coping'), true);
  assert.equal(visibleFields(intake, { main_carer: 'none' }, undefined, TODAY).has('carer_coping'), false);
  assert.ok(codes(complete(intake, { main_carer: 'child' })).includes('data.carer_coping:required'));
  // "not_in" holds while the carer is unanswered, so the question is shown and required then too.
  assert.ok(codes(complete(intake, {})).includes('data.carer_coping:required'));
  assert.ok(!codes(complete(intake, { main_carer: 'none' })).includes('data.carer_coping:required'));
  assert.equal(visibleFields(intake, { services_requested: ['home_care', 'other'] }, undefined, TODAY).has('services_other'), true);
  assert.equal(visibleFields(intake, { services_requested: ['home_care'] }, undefined, TODAY).has('services_other'), false);
  assert.deepEqual(codes(draft(intake, { age: 49 })), ['data.age:out_of_range']);
});

test('medical_social_intake: a hidden question is not required even when its required_if holds', () => {
  const intake = forms.medical_social_intake;
  const inpatient = {
    patient_status: 'inpatient',
    expected_discharge_date: '2026-12-01',
    presenting_needs: ['discharge_planning'],
    care_arrangement: 'inadequate',
  };
  assert.deepEqual(draft(intake, inpatient), []);
  const discharged = pruneHidden(intake, { ...inpatient, patient_status: 'discharged' }, TODAY);
  assert.deepEqual(discharged, { patient_status: 'discharged', presenting_needs: ['discharge_planning'] });
  const missing = codes(complete(intake, discharged));
  assert.ok(!missing.includes('data.care_arrangement:required'));
  assert.ok(codes(complete(intake, { ...discharged, patient_status: 'outpatient' })).includes('data.care_arrangement:required'));
  // expected_discharge_date has no not_in_future: a future date is fine.
  assert.deepEqual(draft(intake, { patient_status: 'inpatient', expected_discharge_date: '2030-01-01' }), []);
});

test('residential_care_application: pruning follows a chain of hidden questions', () => {
  const application = forms.residential_care_application;
  const carer = { no_carer: false, carer_unable_to_continue: true, carer_unable_reason: 'Daughter has had surgery.' };
  assert.deepEqual(draft(application, carer), []);
  const noCarer = { ...carer, no_carer: true };
  // The server refuses the hidden answer; the reason still shows, as its question reads that answer.
  assert.deepEqual(codes(draft(application, noCarer)), ['data.carer_unable_to_continue:not_applicable']);
  // Once that answer is gone, the reason hides too; pruning removes both.
  assert.deepEqual(pruneHidden(application, noCarer, TODAY), { no_carer: true });
  assert.deepEqual(draft(application, pruneHidden(application, noCarer, TODAY)), []);
  assert.ok(codes(complete(application, { no_carer: false })).includes('data.carer_unable_to_continue:required'));
  assert.ok(!codes(complete(application, { no_carer: true })).includes('data.carer_unable_to_continue:required'));
  assert.deepEqual(codes(draft(application, { declaration: ['confirmed', 'maybe'] })), ['data.declaration:invalid_choice']);
  assert.deepEqual(codes(complete(application, { declaration: [] })).filter((entry) => entry.startsWith('data.declaration')), ['data.declaration:required']);
});

test('as on the server, text of only spaces is kept as "" (answered for required, unanswered for conditions)', () => {
  const intake = forms.family_intake;
  const spaces = { reason_for_contact: '   ', referral_source_other: ' ' };
  const problems = codes(complete(intake, spaces));
  assert.ok(!problems.includes('data.reason_for_contact:required'));
  assert.ok(problems.includes('data.referral_source_other:not_applicable'));
  assert.equal(holds({ field: 'reason_for_contact', answered: true }, fill(intake, spaces, { complete: false, today: TODAY }).answers), false);
});

test('every problem code has a message in both languages', () => {
  const load = (name) => JSON.parse(readFileSync(new URL(`../src/i18n/${name}.json`, import.meta.url), 'utf8'));
  for (const locale of [load('en'), load('zh-Hant')]) {
    for (const code of PROBLEM_CODES) assert.equal(typeof locale.forms.problem[code], 'string', code);
    for (const key of ['notWholeNumber', 'notNumber', 'atLeast', 'atMost', 'choicesBetween', 'choicesAtLeast', 'choicesAtMost']) {
      assert.equal(typeof locale.forms.problem[key], 'string', key);
    }
  }
});
