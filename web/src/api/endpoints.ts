/** One typed function per API call of docs/api.md. */
import { api, download, request, type Query } from './client';
import type {
  ApiToken,
  AuditEntry,
  CreatedApiToken,
  Job,
  Locale,
  Page,
  RecoveryCodes,
  Role,
  RoleAssignment,
  Session,
  Staff,
  TotpSetup,
  Unit,
  UnitKind,
} from './types';

export interface SignInInput {
  username: string;
  password: string;
  totp?: string;
}

export const sessionApi = {
  current: () => api.get<Session>('/api/v1/session'),
  signIn: (input: SignInInput) => request<Session>('POST', '/api/v1/session', { body: input, anonymous: true }),
  signOut: () => api.delete<void>('/api/v1/session'),
  signOutEverywhere: () => api.delete<void>('/api/v1/sessions'),
};

export const meApi = {
  setLocale: (locale: Locale) => api.put<void>('/api/v1/me/preferences', { locale }),
  changePassword: (current_password: string, new_password: string) =>
    api.post<void>('/api/v1/me/password', { current_password, new_password }),
  startTotp: () => api.post<TotpSetup>('/api/v1/me/totp/setup'),
  confirmTotp: (code: string, currentCode?: string) =>
    api.post<RecoveryCodes>('/api/v1/me/totp/confirm', currentCode ? { code, current_code: currentCode } : { code }),
  regenerateRecoveryCodes: (code: string) => api.post<RecoveryCodes>('/api/v1/me/recovery-codes', { code }),
};

export interface NewUnit {
  parent_id: number | null;
  kind: UnitKind;
  code: string;
  name_zh: string;
  name_en: string;
}

export interface UnitChanges {
  version: number;
  name_zh?: string;
  name_en?: string;
  code?: string;
  active?: boolean;
}

export const unitsApi = {
  list: () => api.get<Page<Unit>>('/api/v1/units'),
  get: (id: number) => api.get<Unit>(`/api/v1/units/${id}`),
  create: (unit: NewUnit) => api.post<Unit>('/api/v1/units', unit),
  update: (id: number, changes: UnitChanges) => api.patch<Unit>(`/api/v1/units/${id}`, changes),
};

export interface StaffFilters {
  q?: string;
  unit_id?: number | null;
  status?: string | null;
}

export interface NewStaff {
  username: string;
  display_name: string;
  email: string;
  unit_id: number;
  password: string;
  locale: Locale;
}

export interface StaffChanges {
  version: number;
  display_name?: string;
  email?: string;
  unit_id?: number;
}

export const staffApi = {
  roles: () => api.get<{ items: Role[] }>('/api/v1/roles'),
  list: (filters: StaffFilters, after: string | null, limit = 50) =>
    api.get<Page<Staff>>('/api/v1/staff', {
      q: filters.q,
      unit_id: filters.unit_id,
      status: filters.status,
      limit,
      after,
    }),
  get: (id: number) => api.get<Staff>(`/api/v1/staff/${id}`),
  create: (staff: NewStaff) => api.post<Staff>('/api/v1/staff', staff),
  update: (id: number, changes: StaffChanges) => api.patch<Staff>(`/api/v1/staff/${id}`, changes),
  resetPassword: (id: number) => api.post<{ temporary_password: string }>(`/api/v1/staff/${id}/password-reset`),
  lock: (id: number, reason: string) => api.post<Staff>(`/api/v1/staff/${id}/lock`, { reason }),
  unlock: (id: number) => api.post<Staff>(`/api/v1/staff/${id}/unlock`),
  resetTotp: (id: number) => api.post<Staff>(`/api/v1/staff/${id}/totp-reset`),
  grantRole: (id: number, role: string, unit_id: number) =>
    api.post<RoleAssignment>(`/api/v1/staff/${id}/roles`, { role, unit_id }),
  revokeRole: (id: number, assignmentId: number) => api.delete<void>(`/api/v1/staff/${id}/roles/${assignmentId}`),
};

export interface AuditFilters {
  actor?: string;
  action?: string;
  record_type?: string;
  record_id?: string;
  from?: string;
  to?: string;
}

function auditQuery(filters: AuditFilters): Query {
  return { ...filters };
}

export const auditApi = {
  search: (filters: AuditFilters, after: string | null, limit = 50) =>
    api.get<Page<AuditEntry>>('/api/v1/audit', { ...auditQuery(filters), limit, after }),
  exportCsv: (filters: AuditFilters) => download('/api/v1/audit/export', auditQuery(filters), 'audit-trail.csv'),
  verify: () => api.post<{ job: Job }>('/api/v1/audit/verify'),
};

export const jobsApi = {
  list: () => api.get<Page<Job>>('/api/v1/jobs', { limit: 100 }),
  get: (id: number) => api.get<Job>(`/api/v1/jobs/${id}`),
};

export interface NewApiToken {
  name: string;
  unit_id: number;
  scopes: string[];
  expires_at?: string;
}

export const tokensApi = {
  list: () => api.get<Page<ApiToken>>('/api/v1/api-tokens'),
  create: (token: NewApiToken) => api.post<CreatedApiToken>('/api/v1/api-tokens', token),
  revoke: (id: number) => api.delete<void>(`/api/v1/api-tokens/${id}`),
};
