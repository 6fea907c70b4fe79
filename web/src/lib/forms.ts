import { isApiError } from '../api/client';

interface FieldErrorSink {
  setFieldError: (path: string, error: string) => void;
  values: object;
}

/**
 * Puts the server's field errors (problem+json errors[]) on the matching form fields.
 * Returns the error to show in an alert when it is not (only) about known fields.
 */
export function applyProblem(form: FieldErrorSink, error: unknown, aliases: Record<string, string> = {}): unknown {
  if (!isApiError(error) || error.errors.length === 0) return error;
  let unmatched = false;
  for (const problem of error.errors) {
    const field = aliases[problem.field] ?? problem.field;
    if (field in form.values) form.setFieldError(field, problem.message);
    else unmatched = true;
  }
  return unmatched ? error : null;
}
