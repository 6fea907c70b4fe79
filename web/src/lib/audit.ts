/** Audit actions with a label in the locale files; others are shown by their code. */
export const KNOWN_ACTIONS = [
  'session.sign_in',
  'session.sign_in_failed',
  'session.sign_out',
  'session.sign_out_everywhere',
  'unit.create',
  'unit.update',
  'staff.create',
  'staff.view',
  'staff.update',
  'staff.password_reset',
  'staff.lock',
  'staff.unlock',
  'staff.totp_reset',
  'staff.role_grant',
  'staff.role_revoke',
  'me.password_change',
  'me.totp_enable',
  'me.preferences',
  'me.recovery_codes',
  'me.code_failed',
  'access.denied',
  'token.create',
  'token.revoke',
  'job.create',
  'audit.export',
  'person.create',
  'person.view',
  'person.update',
  'person.part_add',
  'person.part_remove',
  'person.duplicate_override',
  'person.register_at_unit',
  'person.involvement_end',
  'person.consent_add',
  'person.consent_withdraw',
  'person.break_glass',
  'person.merge',
  'person.unmerge',
  'duplicate.decide',
  'person.relationship_add',
  'person.relationship_remove',
  'household.create',
  'household.member_add',
  'household.member_leave',
  'person.import',
  'person.import_upload',
  'person.export',
] as const;

export const RECORD_TYPES = ['staff', 'unit', 'api_token', 'job', 'person', 'duplicate_pair', 'import'] as const;

export function actionKey(action: string): string | null {
  return (KNOWN_ACTIONS as readonly string[]).includes(action) ? `auditAction.${action.replace(/\./g, '_')}` : null;
}

export interface ChangeLine {
  field: string;
  from?: string;
  to?: string;
  value?: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

/** Turns `changes` ({field: {from, to}} or {field: value}) into display lines. */
export function changeLines(changes: unknown): ChangeLine[] {
  if (changes === null || changes === undefined) return [];
  if (typeof changes !== 'object' || Array.isArray(changes)) return [{ field: '', value: show(changes) }];
  return Object.entries(changes as Record<string, unknown>).map(([field, value]) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && ('from' in value || 'to' in value)) {
      const change = value as { from?: unknown; to?: unknown };
      return {
        field,
        ...('from' in change ? { from: show(change.from) } : {}),
        ...('to' in change ? { to: show(change.to) } : {}),
      };
    }
    return { field, value: show(value) };
  });
}
