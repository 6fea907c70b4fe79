/** Shapes of the OpenWelfare JSON API (docs/api.md). */

export type Locale = 'zh-Hant' | 'en';

export const PERMISSIONS = [
  'units.read',
  'units.manage',
  'staff.read',
  'staff.manage',
  'roles.assign',
  'audit.read',
  'audit.export',
  'jobs.read',
  'tokens.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type Restriction = 'password_change_required' | 'totp_setup_required';

export interface SessionRole {
  id: number;
  role: string;
  unit_id: number;
}

export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  unit_id: number;
  locale: Locale;
  totp_enabled: boolean;
  must_change_password: boolean;
  roles: SessionRole[];
  permissions: string[];
}

export interface Session {
  user: SessionUser;
  csrf_token: string;
  expires_at: string;
  idle_timeout_seconds: number;
  restricted: Restriction | null;
}

export const UNIT_KINDS = [
  'department',
  'region',
  'district',
  'county',
  'township_office',
  'ngo',
  'service_unit',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface Unit {
  id: number;
  parent_id: number | null;
  kind: UnitKind;
  code: string;
  name_zh: string;
  name_en: string;
  active: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Role {
  code: string;
  name_zh: string;
  name_en: string;
  permissions: string[];
  requires_totp: boolean;
}

export interface RoleAssignment {
  id: number;
  role: string;
  unit_id: number;
  granted_at: string;
  granted_by: number | null;
}

export type StaffStatus = 'active' | 'locked';

export interface Staff {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  unit_id: number;
  locale: Locale;
  status: StaffStatus;
  locked_reason: string | null;
  locked_until: string | null;
  totp_enabled: boolean;
  must_change_password: boolean;
  last_sign_in_at: string | null;
  created_at: string;
  version: number;
  roles: RoleAssignment[];
}

export interface Change {
  from?: unknown;
  to?: unknown;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_token_id: number | null;
  unit_id: number | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  request_id: string;
  client_ip: string;
  changes: Record<string, unknown> | string | null;
  hash: string;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  id: number;
  kind: string;
  status: JobStatus;
  progress_done: number;
  progress_total: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  result: Record<string, unknown> | null;
  created_by: number | null;
}

export interface ApiToken {
  id: number;
  name: string;
  unit_id: number;
  scopes: string[];
  prefix: string;
  created_at: string;
  created_by: number | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface TotpSetup {
  secret: string;
  otpauth_uri: string;
}

export interface RecoveryCodes {
  recovery_codes: string[];
}
