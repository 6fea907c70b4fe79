/** One typed function per API call of docs/api.md. */
import { api, download, request, type Query } from './client';
import type {
  ApiToken,
  AuditEntry,
  CreatedApiToken,
  DuplicateItem,
  DuplicatePair,
  DuplicateStatus,
  Family,
  FormDefinition,
  Household,
  HouseholdKind,
  HouseholdRole,
  ImportStarted,
  Job,
  Locale,
  Involvement,
  MergeRecord,
  Page,
  Person,
  PersonRecord,
  RelationshipKind,
  RecoveryCodes,
  Role,
  RoleAssignment,
  SearchResult,
  Session,
  Sex,
  Staff,
  StaffAlert,
  TakeableField,
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

export interface PersonSearch {
  q?: string;
  birth_date?: string;
  district?: string;
  phone?: string;
}

/** The main fields of a person, as the registration form and the edit dialog send them. */
export interface PersonMain {
  chinese_name: string;
  family_name_en: string;
  given_names_en: string;
  sex: Sex;
  birth_date: string;
  birth_precision?: 'estimated' | '';
  death_date?: string;
  languages: string[];
  protected_address: boolean;
}

export interface NewName {
  kind: string;
  chinese_name: string;
  family_name_en: string;
  given_names_en: string;
}

export interface NewDocument {
  doc_type: string;
  number: string;
  issuer?: string;
}

export interface NewContact {
  kind: string;
  value: string;
}

export interface NewAddress {
  kind: string;
  region: string;
  district: string;
  street: string;
  building: string;
  flat: string;
}

export interface Registration extends PersonMain {
  names: NewName[];
  documents: NewDocument[];
  contacts: NewContact[];
  addresses: NewAddress[];
  unit_id?: number;
  duplicate_override?: { reason: string; reviewed_ids: number[] };
}

export type PersonPart = 'names' | 'documents' | 'contacts' | 'addresses';
export type PartInput = NewName | NewDocument | NewContact | NewAddress;

export interface NewConsent {
  version: number;
  unit_id: number | null;
  scope: 'share_record';
  given_on?: string;
  note?: string;
}

const personPath = (id: number) => `/api/v1/persons/${id}`;

export const personsApi = {
  search: (search: PersonSearch, limit = 20) => api.get<SearchResult>('/api/v1/persons', { ...search, limit }),
  duplicateCheck: (registration: Registration, signal?: AbortSignal) =>
    request<SearchResult>('POST', '/api/v1/persons/duplicate-check', { body: registration, ...(signal ? { signal } : {}) }),
  create: (registration: Registration) => api.post<PersonRecord>('/api/v1/persons', registration),
  get: (id: number) => api.get<Person>(personPath(id)),
  update: (id: number, changes: Partial<PersonMain> & { version: number }) => api.patch<PersonRecord>(personPath(id), changes),
  addPart: (id: number, part: PersonPart, version: number, input: PartInput) =>
    api.post<PersonRecord>(`${personPath(id)}/${part}`, { version, ...input }),
  removePart: (id: number, part: PersonPart, partId: number, version: number) =>
    request<PersonRecord>('DELETE', `${personPath(id)}/${part}/${partId}`, { query: { version } }),
  involvements: (id: number) => api.get<Page<Involvement>>(`${personPath(id)}/involvements`),
  registerAtUnit: (id: number, summary: string) => api.post<Involvement>(`${personPath(id)}/involvements`, { summary }),
  endInvolvement: (id: number, involvementId: number) =>
    api.post<Involvement>(`${personPath(id)}/involvements/${involvementId}/end`, {}),
  addConsent: (id: number, consent: NewConsent) => api.post<PersonRecord>(`${personPath(id)}/consents`, consent),
  withdrawConsent: (id: number, consentId: number, version: number) =>
    api.post<PersonRecord>(`${personPath(id)}/consents/${consentId}/withdraw`, { version }),
  breakGlass: (id: number, reason: string) => api.post<PersonRecord>(`${personPath(id)}/break-glass`, { reason }),
  changes: (id: number, after: string | null, limit = 50) =>
    api.get<Page<AuditEntry>>(`${personPath(id)}/changes`, { limit, after }),
};

export const alertsApi = {
  /** A background poll: it does not count as the user being active (see client.ts). */
  list: (unreadOnly: boolean) =>
    request<Page<StaffAlert>>('GET', '/api/v1/alerts', { query: { unread: unreadOnly ? 'true' : null, limit: 50 }, background: true }),
  markRead: (id: number) => api.post<void>(`/api/v1/alerts/${id}/read`),
};

export type DuplicateDecision = 'distinct' | 'deferred' | 'open';

export interface MergeInput {
  merged_id: number;
  pair_id?: number;
  reason: string;
  take_from_merged: TakeableField[];
}

export const duplicatesApi = {
  list: (status: DuplicateStatus, after: string | null, limit = 20) =>
    api.get<Page<DuplicateItem>>('/api/v1/duplicates', { status, after, limit }),
  countOpen: () => api.get<{ open: number }>('/api/v1/duplicates/count'),
  /** Starts batch detection over the whole registry; `threshold` is a probability from 0.5 to 0.999. */
  detect: (threshold: number) => api.post<{ job: Job }>('/api/v1/duplicates/detect', { threshold }),
  get: (id: number) => api.get<DuplicateItem>(`/api/v1/duplicates/${id}`),
  decide: (id: number, version: number, decision: DuplicateDecision, note?: string) =>
    api.post<DuplicatePair>(`/api/v1/duplicates/${id}/decision`, { version, decision, ...(note ? { note } : {}) }),
  merge: (survivorId: number, input: MergeInput) => api.post<MergeRecord>(`${personPath(survivorId)}/merge`, input),
  undo: (mergeId: number, reason: string) => api.post<MergeRecord>(`/api/v1/merges/${mergeId}/undo`, { reason }),
  mergesOf: (personId: number) => api.get<Page<MergeRecord>>(`${personPath(personId)}/merges`),
};

export interface NewRelationship {
  related_id: number;
  /** This person is <kind> of the related one. */
  kind: RelationshipKind;
  started_on?: string;
  note?: string;
}

export interface NewMember {
  person_id: number;
  role: HouseholdRole;
  joined_on?: string;
}

export interface NewHousehold {
  kind: HouseholdKind;
  name?: string;
  members: NewMember[];
}

export const familyApi = {
  get: (personId: number) => api.get<Family>(`${personPath(personId)}/family`),
  addRelationship: (personId: number, relationship: NewRelationship) =>
    api.post<unknown>(`${personPath(personId)}/relationships`, relationship),
  removeRelationship: (personId: number, relationshipId: number) =>
    api.delete<void>(`${personPath(personId)}/relationships/${relationshipId}`),
  createHousehold: (household: NewHousehold) => api.post<Household>('/api/v1/households', household),
  addMember: (householdId: number, member: NewMember) => api.post<Household>(`/api/v1/households/${householdId}/members`, member),
  leave: (householdId: number, memberId: number, leftOn?: string) =>
    api.post<Household>(`/api/v1/households/${householdId}/members/${memberId}/leave`, leftOn ? { left_on: leftOn } : {}),
};

export interface ImportRequest {
  mode: 'dry_run' | 'apply';
  unit_id: number;
  file_name: string;
  accept_duplicates?: boolean;
  reason?: string;
}

export const importsApi = {
  /** Uploads the CSV file as is; the check (and the apply) runs as a background job. */
  upload: (options: ImportRequest, file: Blob) =>
    request<ImportStarted>('POST', '/api/v1/imports', {
      query: {
        mode: options.mode,
        unit_id: options.unit_id,
        file_name: options.file_name,
        accept_duplicates: options.accept_duplicates ? 'true' : null,
        reason: options.reason,
      },
      raw: { body: file, type: 'text/csv; charset=utf-8' },
    }),
};

export const exportApi = {
  person: (id: number, format: 'pdf' | 'json') =>
    download(`${personPath(id)}/export`, { format }, `person-${id}.${format}`, format === 'pdf' ? 'application/pdf' : 'application/json'),
};

export const formsApi = {
  /** The latest version of every form definition (never paged). */
  list: () => api.get<Page<FormDefinition>>('/api/v1/forms'),
  /** One version of a definition, the latest when `version` is left out. */
  get: (code: string, version?: number) =>
    api.get<FormDefinition>(`/api/v1/forms/${encodeURIComponent(code)}`, version === undefined ? undefined : { version }),
};
