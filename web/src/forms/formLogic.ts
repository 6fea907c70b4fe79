/**
 * Forms as data, on the browser's side: the definition (docs/openapi.yaml `FormDefinition`), conditions,
 * computed values, visibility and the checks of the answers. Pure TypeScript with no React, so that the
 * tests can run it against the shipped definitions (config/forms/*.json).
 *
 * This mirrors the server (src/forms/form_fill.cpp `Fill`, `Holds`, `Compute`) exactly: the same answers
 * give the same computed values, the same visible questions and the same problems with the same codes. When
 * one of them changes, change the other (tests/forms-logic.test.mjs runs the server's own unit test cases).
 */

/** A text shown to people, in both languages of the console. */
export interface Label {
  zh: string;
  en: string;
}

export const FIELD_TYPES = ['text', 'textarea', 'integer', 'decimal', 'date', 'boolean', 'choice', 'multi_choice'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * A rule on answers and computed values: `{"field": id, <op>: value}` with op one of equals, not_equals, in,
 * not_in, answered, at_least; or `{"all": [...]}` / `{"any": [...]}`. Read like the server reads it: `all`
 * first, then `any`, then the first operator present in the order above.
 */
export interface FormCondition {
  all?: FormCondition[];
  any?: FormCondition[];
  field?: string;
  equals?: unknown;
  not_equals?: unknown;
  in?: unknown;
  not_in?: unknown;
  answered?: unknown;
  at_least?: unknown;
}

export interface FormOption {
  value: string;
  label: Label;
  /** What choosing it adds to a sum (0 when left out). */
  score?: number;
}

export interface FormField {
  id: string;
  type: FieldType;
  label: Label;
  help?: Label;
  required?: boolean;
  required_if?: FormCondition | null;
  visible_if?: FormCondition | null;
  /** Numbers: the smallest value; multi-choice: the fewest choices. */
  min?: number | null;
  /** Numbers: the largest value; multi-choice: the most choices. */
  max?: number | null;
  /** Text: the most characters (code points), 2000 when left out. */
  max_length?: number;
  /** Dates: not after today. */
  not_in_future?: boolean;
  /** Yes/no: what a "yes" adds to a sum. */
  score_if_true?: number;
  options?: FormOption[];
}

export interface FormSection {
  id: string;
  title: Label;
  visible_if?: FormCondition | null;
  fields: FormField[];
}

export interface FormBand {
  from: number;
  value: string;
  label: Label;
}

export interface FormComputed {
  id: string;
  kind: 'sum' | 'level';
  label: Label;
  /** sum: the fields added up. */
  fields?: string[];
  /** level: the sum it reads. */
  source?: string;
  /** level: ascending `from`; later bands rank higher. */
  bands?: FormBand[];
  /** level: raise to `value` when `when` holds (never lowers). */
  overrides?: { when: FormCondition; value: string }[];
}

export interface FormDefinition {
  code: string;
  version: number;
  title: Label;
  sections: FormSection[];
  computed?: FormComputed[];
}

/** Answers by field id, as the form keeps them (numbers, YYYY-MM-DD dates, booleans, option values). */
export type Answers = Record<string, unknown>;
/** Computed values by id: sums are numbers, levels are band values. */
export type ComputedValues = Record<string, number | string>;

/** The stable codes of the server's field errors for answers. */
export const PROBLEM_CODES = [
  'required',
  'invalid_type',
  'invalid_choice',
  'out_of_range',
  'too_long',
  'in_future',
  'invalid_date',
  'unknown_field',
  'not_applicable',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One problem with one answer, as the server reports it (its `field` is `path`). */
export interface FormProblem {
  /** The field id (the key of the answer). */
  field: string;
  /** `prefix` + the field id, as in the server's problem+json (for example `data.injury`). */
  path: string;
  code: ProblemCode;
  /** The server's message parameters: min, max (numbers or ∞), choices, expected. */
  params: Record<string, string>;
}

export interface CheckOptions {
  /** A submission: required questions must be answered. A draft may leave them open. */
  complete: boolean;
  /** Today as YYYY-MM-DD (for `not_in_future`). */
  today: string;
  /** Put before the field id in `path`; the server uses "data.". */
  prefix?: string;
}

export interface FilledForm {
  /** The answers as the server keeps them: refused ones left out, text trimmed, repeated choices once. */
  answers: Answers;
  computed: ComputedValues;
  problems: FormProblem[];
}

const DEFAULT_MAX_LENGTH = 2000;

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** Today in the browser's time zone, YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${String(now.getFullYear()).padStart(4, '0')}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Unanswered: missing, null, "" or []. (false and 0 are answers.) */
export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'number') return left === right;
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((entry, index) => jsonEqual(entry, right[index]));
  }
  if (left && right && typeof left === 'object' && typeof right === 'object' && !Array.isArray(left) && !Array.isArray(right)) {
    const leftKeys = Object.keys(left);
    const rightKeys = Object.keys(right);
    return (
      leftKeys.length === rightKeys.length &&
      leftKeys.every((key) => hasOwn(right, key) && jsonEqual((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]))
    );
  }
  return false;
}

/** True when `answer` (one value, or the choices of a multi-choice) meets any of `candidates`. */
function meets(answer: unknown, candidates: unknown[]): boolean {
  const matches = (one: unknown) => candidates.some((candidate) => jsonEqual(one, candidate));
  if (Array.isArray(answer)) return answer.some(matches);
  return matches(answer);
}

function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.length;
  return null;
}

const FIELD_OPS = ['equals', 'not_equals', 'in', 'not_in', 'answered', 'at_least'] as const;

/** Whether `condition` holds for these answers and computed values (a field's answer, else a computed value). */
export function holds(condition: FormCondition, answers: Answers, computed: ComputedValues = {}): boolean {
  if (hasOwn(condition, 'all')) {
    const parts = Array.isArray(condition.all) ? condition.all : [];
    return parts.every((part) => holds(part, answers, computed));
  }
  if (hasOwn(condition, 'any')) {
    const parts = Array.isArray(condition.any) ? condition.any : [];
    return parts.some((part) => holds(part, answers, computed));
  }
  if (typeof condition.field !== 'string') return false;
  const op = FIELD_OPS.find((name) => hasOwn(condition, name));
  if (op === undefined) return false;
  const operand = condition[op];
  const field = condition.field;
  const answer = hasOwn(answers, field) ? answers[field] : hasOwn(computed, field) ? computed[field] : undefined;
  const answered = isAnswered(answer);
  switch (op) {
    case 'answered':
      return answered === (typeof operand !== 'boolean' || operand);
    case 'equals':
      return answered && meets(answer, [operand]);
    case 'not_equals':
      return !answered || !meets(answer, [operand]);
    case 'in':
      return answered && Array.isArray(operand) && meets(answer, operand);
    case 'not_in':
      return !answered || !Array.isArray(operand) || !meets(answer, operand);
    case 'at_least': {
      if (!answered || typeof operand !== 'number') return false;
      const number = numberOf(answer);
      return number !== null && number >= operand;
    }
  }
  return false;
}

/** Every field of the form, in order. */
export function allFields(form: FormDefinition): FormField[] {
  return form.sections.flatMap((section) => section.fields);
}

export function findField(form: FormDefinition, id: string): FormField | undefined {
  for (const section of form.sections) {
    for (const field of section.fields) if (field.id === id) return field;
  }
  return undefined;
}

/** The characters the server trims from text answers (space, tab, CR, LF, nothing else). */
function trim(text: string): string {
  return text.replace(/^[ \t\r\n]+/, '').replace(/[ \t\r\n]+$/, '');
}

/** A length in code points, as the server counts. */
function codePoints(text: string): number {
  return Array.from(text).length;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A real calendar date written YYYY-MM-DD. */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A number as the server writes it in messages (whole numbers without a decimal point). */
function numberText(value: number): string {
  return String(value);
}

function choicesOf(field: FormField): string {
  return (field.options ?? []).map((option) => option.value).join(', ');
}

function maxLengthOf(field: FormField): number {
  if (typeof field.max_length !== 'number') return DEFAULT_MAX_LENGTH;
  return Math.floor(Math.min(Math.max(field.max_length, 1), 100000));
}

/** The `max_length` of a text field as the server applies it. */
export function maxLength(field: FormField): number {
  return maxLengthOf(field);
}

type Report = (code: ProblemCode, params?: Record<string, string>) => void;

/** Checks one answered field: the answer as kept, or undefined after recording why not. */
function normalise(field: FormField, value: unknown, today: string, report: Report): unknown {
  const wrongType = (expected: string) => {
    report('invalid_type', { expected });
    return undefined;
  };
  const inRange = (number: number) => {
    const min = typeof field.min === 'number' ? field.min : null;
    const max = typeof field.max === 'number' ? field.max : null;
    if ((min !== null && number < min) || (max !== null && number > max)) {
      report('out_of_range', { min: min !== null ? numberText(min) : '-∞', max: max !== null ? numberText(max) : '∞' });
      return false;
    }
    return true;
  };
  const known = (entry: unknown) => typeof entry === 'string' && (field.options ?? []).some((option) => option.value === entry);
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (typeof value !== 'string') return wrongType('text');
      const text = trim(value);
      const most = maxLengthOf(field);
      if (codePoints(text) > most) {
        report('too_long', { max: String(most) });
        return undefined;
      }
      return text;
    }
    case 'integer': {
      if (typeof value !== 'number') return wrongType('integer');
      if (Math.floor(value) !== value || Math.abs(value) > 1e15) return wrongType('integer');
      if (!inRange(value)) return undefined;
      return value;
    }
    case 'decimal': {
      if (typeof value !== 'number') return wrongType('number');
      if (!Number.isFinite(value)) return wrongType('number');
      if (!inRange(value)) return undefined;
      return value;
    }
    case 'date': {
      if (typeof value !== 'string') return wrongType('YYYY-MM-DD');
      if (!isDate(value)) {
        report('invalid_date');
        return undefined;
      }
      if (field.not_in_future && value > today) {
        report('in_future');
        return undefined;
      }
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType('true / false');
      return value;
    case 'choice':
      if (!known(value)) {
        report('invalid_choice', { choices: choicesOf(field) });
        return undefined;
      }
      return value;
    case 'multi_choice': {
      if (!Array.isArray(value)) return wrongType('array');
      const chosen: string[] = [];
      for (const entry of value) {
        if (!known(entry)) {
          report('invalid_choice', { choices: choicesOf(field) });
          return undefined;
        }
        if (!chosen.includes(entry as string)) chosen.push(entry as string);
      }
      if (!inRange(chosen.length)) return undefined;
      return chosen;
    }
  }
  return undefined;
}

/** What a field's answer adds to a sum: its options' scores, a "yes" score, or its number. */
function scoreOf(field: FormField | undefined, answer: unknown): number {
  if (!field || !isAnswered(answer)) return 0;
  const optionScore = (chosen: unknown) => (field.options ?? []).find((option) => option.value === chosen)?.score ?? 0;
  switch (field.type) {
    case 'choice':
      return optionScore(answer);
    case 'multi_choice':
      return Array.isArray(answer) ? answer.reduce<number>((total, entry) => total + optionScore(entry), 0) : 0;
    case 'boolean':
      return answer === true ? (field.score_if_true ?? 0) : 0;
    case 'integer':
    case 'decimal':
      return typeof answer === 'number' ? answer : 0;
    default:
      return 0;
  }
}

/** The computed values of answers already kept (see `fill`), in the order of the definition. */
function computeKept(form: FormDefinition, kept: Answers): ComputedValues {
  const computed: ComputedValues = {};
  for (const value of form.computed ?? []) {
    if (value.kind === 'sum') {
      let total = 0;
      for (const id of value.fields ?? []) total += scoreOf(findField(form, id), kept[id]);
      computed[value.id] = total;
      continue;
    }
    const bands = value.bands ?? [];
    if (bands.length === 0) continue;
    const source = value.source !== undefined && hasOwn(computed, value.source) ? computed[value.source] : undefined;
    const score = typeof source === 'number' ? source : 0;
    let rank = 0;
    bands.forEach((band, index) => {
      if (score >= band.from) rank = index;
    });
    for (const raise of value.overrides ?? []) {
      if (!holds(raise.when, kept, computed)) continue;
      for (let index = rank + 1; index < bands.length; index += 1) {
        if (bands[index]?.value === raise.value) rank = index;
      }
    }
    computed[value.id] = bands[rank]?.value ?? '';
  }
  return computed;
}

/**
 * What the server's `Fill` does: checks every answer (types, choices, ranges, lengths, dates), computes the
 * values from the answers it keeps, then reports answers to hidden questions (`not_applicable`) and, for a
 * complete form, unanswered required questions. Problems come in the server's order.
 */
export function fill(form: FormDefinition, answers: Answers, options: CheckOptions): FilledForm {
  const prefix = options.prefix ?? 'data.';
  const problems: FormProblem[] = [];
  const kept: Answers = {};
  for (const [key, value] of Object.entries(answers)) {
    const report: Report = (code, params = {}) => problems.push({ field: key, path: prefix + key, code, params });
    const field = findField(form, key);
    if (!field) {
      report('unknown_field');
      continue;
    }
    if (!isAnswered(value)) continue;
    const answer = normalise(field, value, options.today, report);
    if (answer !== undefined) kept[key] = answer;
  }
  const computed = computeKept(form, kept);
  for (const section of form.sections) {
    const sectionShown = !section.visible_if || holds(section.visible_if, kept, computed);
    for (const field of section.fields) {
      const report: Report = (code) => problems.push({ field: field.id, path: prefix + field.id, code, params: {} });
      const shown = sectionShown && (!field.visible_if || holds(field.visible_if, kept, computed));
      const answered = hasOwn(kept, field.id);
      if (!shown) {
        if (answered) report('not_applicable');
        continue;
      }
      const required = Boolean(field.required) || Boolean(field.required_if && holds(field.required_if, kept, computed));
      // An answer given but refused (wrong type, out of range) already has its problem.
      if (options.complete && required && !answered && !isAnswered(answers[field.id])) report('required');
    }
  }
  return { answers: kept, computed, problems };
}

/** The problems the server would report for these answers (the same codes, fields and order). */
export function checkAnswers(form: FormDefinition, answers: Answers, options: CheckOptions): FormProblem[] {
  return fill(form, answers, options).problems;
}

/** The answers as the server keeps them (refused answers left out), which conditions and sums read. */
export function keptAnswers(form: FormDefinition, answers: Answers, today: string = localToday()): Answers {
  return fill(form, answers, { complete: false, today }).answers;
}

/**
 * The computed values: sums of option scores, `score_if_true` and numbers; levels read from ascending bands of
 * a sum and raised (never lowered) by the overrides that hold. Answers the server would refuse count as
 * unanswered.
 */
export function compute(form: FormDefinition, answers: Answers, today: string = localToday()): ComputedValues {
  return fill(form, answers, { complete: false, today }).computed;
}

/** What is shown for some answers: the visible sections and the visible fields (by id). */
export interface Visibility {
  sections: Set<string>;
  fields: Set<string>;
}

/** The visible sections and fields for these answers (`computed` as returned by `compute`). */
export function visibility(
  form: FormDefinition,
  answers: Answers,
  computed?: ComputedValues,
  today: string = localToday(),
): Visibility {
  const filled = fill(form, answers, { complete: false, today });
  const values = computed ?? filled.computed;
  const sections = new Set<string>();
  const fields = new Set<string>();
  for (const section of form.sections) {
    if (section.visible_if && !holds(section.visible_if, filled.answers, values)) continue;
    sections.add(section.id);
    for (const field of section.fields) {
      if (!field.visible_if || holds(field.visible_if, filled.answers, values)) fields.add(field.id);
    }
  }
  return { sections, fields };
}

/** The ids of the questions shown for these answers (a question of a hidden section is hidden). */
export function visibleFields(form: FormDefinition, answers: Answers, computed?: ComputedValues, today?: string): Set<string> {
  return visibility(form, answers, computed, today).fields;
}

/** Everything a form shows for some answers, worked out once. */
export interface FormState extends FilledForm {
  visible: Visibility;
  /** The visible questions that must be answered before the form is complete (`required` or `required_if`). */
  required: Set<string>;
}

/** The kept answers, computed values, visibility, required questions and draft problems of these answers. */
export function formState(form: FormDefinition, answers: Answers, today: string = localToday()): FormState {
  const filled = fill(form, answers, { complete: false, today });
  const visible = visibility(form, answers, filled.computed, today);
  const required = new Set<string>();
  for (const field of allFields(form)) {
    if (!visible.fields.has(field.id)) continue;
    if (field.required || (field.required_if && holds(field.required_if, filled.answers, filled.computed))) required.add(field.id);
  }
  return { ...filled, visible, required };
}

/**
 * The answers without those of questions that are hidden now, repeated until nothing else hides (a removed
 * answer can hide the questions that depended on it). Returns `answers` itself when nothing was removed.
 * Answers to unknown fields are left alone.
 */
export function pruneHidden(form: FormDefinition, answers: Answers, today: string = localToday()): Answers {
  let current = answers;
  for (;;) {
    const shown = visibleFields(form, current, undefined, today);
    const hidden = Object.keys(current).filter((key) => findField(form, key) !== undefined && !shown.has(key));
    if (hidden.length === 0) return current;
    const next: Answers = { ...current };
    for (const key of hidden) delete next[key];
    current = next;
  }
}
