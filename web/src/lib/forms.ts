import { isApiError } from '../api/client';

interface FieldErrorSink {
  setFieldError: (path: string, error: string) => void;
  values: object;
}

/** Whether a form has a value at a path such as "email" or "documents.0.number". */
function hasPath(values: object, path: string): boolean {
  let node: unknown = values;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

/**
 * Puts the server's field errors (problem+json errors[]) on the matching form fields, also
 * those of list items ("documents.0.number").
 * Returns the error to show in an alert when it is not (only) about known fields.
 */
export function applyProblem(form: FieldErrorSink, error: unknown, aliases: Record<string, string> = {}): unknown {
  if (!isApiError(error) || error.errors.length === 0) return error;
  let unmatched = false;
  for (const problem of error.errors) {
    const field = aliases[problem.field] ?? problem.field;
    if (hasPath(form.values, field)) form.setFieldError(field, problem.message);
    else unmatched = true;
  }
  return unmatched ? error : null;
}
