/**
 * Messages for the problems of a form's answers: those found in the browser (formLogic `checkAnswers`, in the
 * interface language) and those the server sent back (problem+json `errors[]`, already in the language asked for).
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../api/client';
import { findField, type FormDefinition, type FormField, type FormProblem } from './formLogic';

const INFINITE = new Set(['∞', '-∞', '']);

function bounded(value: string | undefined): string | null {
  return value === undefined || INFINITE.has(value) ? null : value;
}

/** The message for one problem found in the browser. */
export function problemMessage(t: TFunction, problem: FormProblem, field: FormField | undefined): string {
  switch (problem.code) {
    case 'invalid_type':
      if (field?.type === 'integer') return t('forms.problem.notWholeNumber');
      if (field?.type === 'decimal') return t('forms.problem.notNumber');
      if (field?.type === 'date') return t('forms.problem.invalid_date');
      return t('forms.problem.invalid_type');
    case 'out_of_range': {
      const min = bounded(problem.params.min);
      const max = bounded(problem.params.max);
      const choices = field?.type === 'multi_choice';
      if (min !== null && max !== null) {
        return choices ? t('forms.problem.choicesBetween', { min, max }) : t('forms.problem.out_of_range', { min, max });
      }
      if (min !== null) return choices ? t('forms.problem.choicesAtLeast', { min }) : t('forms.problem.atLeast', { min });
      return choices ? t('forms.problem.choicesAtMost', { max: max ?? '' }) : t('forms.problem.atMost', { max: max ?? '' });
    }
    case 'too_long':
      return t('forms.problem.too_long', { max: problem.params.max ?? '' });
    default:
      return t(`forms.problem.${problem.code}`);
  }
}

/** The first problem of each field as a message, by field id (what FormRenderer's `errors` takes). */
export function problemsByField(t: TFunction, form: FormDefinition, problems: FormProblem[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const problem of problems) {
    if (messages[problem.field] === undefined) messages[problem.field] = problemMessage(t, problem, findField(form, problem.field));
  }
  return messages;
}

/**
 * The server's field errors for a form's answers (paths such as `data.injury`), by field id, and whether the
 * error holds anything else (then show it in a ProblemAlert too).
 */
export function serverFieldErrors(
  form: FormDefinition,
  error: unknown,
  prefix = 'data.',
): { fields: Record<string, string>; other: boolean } {
  const fields: Record<string, string> = {};
  if (!isApiError(error)) return { fields, other: Boolean(error) };
  let other = error.errors.length === 0;
  for (const problem of error.errors) {
    const id = problem.field.startsWith(prefix) ? problem.field.slice(prefix.length) : null;
    if (id !== null && findField(form, id) && problem.code !== 'unknown_field') {
      if (fields[id] === undefined) fields[id] = problem.message;
    } else {
      other = true;
    }
  }
  return { fields, other };
}
