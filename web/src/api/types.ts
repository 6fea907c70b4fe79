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
  'persons.search',
  'persons.read',
  'persons.write',
  'persons.merge',
  'persons.import',
  'persons.export',
  'cases.read',
  'cases.write',
  'cases.supervise',
  'referrals.respond',
  'waitlists.read',
  'waitlists.manage',
  'service_types.manage',
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

/** The client registry (docs/api.md, /api/v1/persons). */
export type PersonAccess = 'full' | 'shared' | 'restricted';
export type Sex = 'male' | 'female' | 'unknown';
export type BirthPrecision = 'full' | 'year_month' | 'year' | 'estimated';
export const SEXES: readonly Sex[] = ['male', 'female', 'unknown'];
export const NAME_KINDS = ['alias', 'former'] as const;
export const DOCUMENT_TYPES = ['hkid', 'twid', 'passport', 'birth_cert', 'other'] as const;
export const CONTACT_KINDS = ['mobile', 'home', 'work', 'email', 'other'] as const;
export const ADDRESS_KINDS = ['residential', 'correspondence', 'other'] as const;
export type NameKind = (typeof NAME_KINDS)[number];
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export type ContactKind = (typeof CONTACT_KINDS)[number];
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export interface ContactUnit {
  id: number;
  code?: string;
  name_zh?: string;
  name_en?: string;
}

export interface PersonName {
  id: number;
  kind: NameKind;
  chinese_name: string | null;
  family_name_en: string | null;
  given_names_en: string | null;
}

export interface PersonDocument {
  id: number;
  doc_type: DocumentType;
  /** The full number; null when it cannot be shown. */
  number: string | null;
  number_masked: string;
  issuer: string | null;
}

export interface PersonContact {
  id: number;
  kind: ContactKind;
  value: string;
}

export interface PersonAddress {
  id: number;
  kind: AddressKind;
  region: string | null;
  district: string | null;
  street: string | null;
  building: string | null;
  flat: string | null;
}

export interface PersonConsent {
  id: number;
  /** null: every unit of the department. */
  unit_id: number | null;
  scope: string;
  given_on: string;
  withdrawn_on: string | null;
  note: string | null;
  recorded_by: number | null;
  created_at: string;
}

/** What everybody may see of a person: that the department knows them, and whom to contact. */
export interface RestrictedPerson {
  id: number;
  status: string;
  merged_into: number | null;
  access: 'restricted';
  contact_units: ContactUnit[];
}

/** The main fields, which a search hit also carries. */
export interface PersonSummary {
  id: number;
  status: string;
  merged_into: number | null;
  access: 'full' | 'shared';
  access_reason: string;
  contact_units: ContactUnit[];
  chinese_name: string | null;
  family_name_en: string | null;
  given_names_en: string | null;
  sex: Sex;
  birth_date: string | null;
  birth_precision: BirthPrecision | null;
  death_date: string | null;
  registered_unit_id: number;
  names: PersonName[];
  /** Search hits only: the district of the address, when it may be shown. */
  district?: string | null;
}

export interface PersonRecord extends PersonSummary {
  emergency_until: string | null;
  languages: string[];
  protected_address: boolean;
  address_hidden: boolean;
  documents: PersonDocument[];
  contacts: PersonContact[];
  addresses: PersonAddress[];
  consents: PersonConsent[];
  version: number;
  created_at: string;
  updated_at: string;
}

export type Person = PersonRecord | RestrictedPerson;

export interface MatchReason {
  field: string;
  level: string;
}

export interface SearchHit {
  person: PersonSummary | RestrictedPerson;
  score: number;
  reasons: MatchReason[];
}

export interface SearchResult {
  items: SearchHit[];
  truncated: boolean;
}

export interface Involvement {
  id: number;
  person_id: number;
  unit_id: number;
  kind: string;
  reference: string | null;
  summary: string | null;
  worker_id: number | null;
  started_on: string;
  ended_on: string | null;
  created_at: string;
}

export interface AlertParams {
  staff_id?: number;
  username?: string;
  display_name?: string;
  person_id?: number;
  reason?: string;
  expires_at?: string;
  reference?: string;
  risk_level?: string;
}

export interface StaffAlert {
  id: number;
  kind: string;
  record_type: string | null;
  record_id: string | null;
  params: AlertParams;
  created_at: string;
  read_at: string | null;
}

/** Duplicate review and merges (docs/api.md, /api/v1/duplicates). */
export const DUPLICATE_STATUSES = ['open', 'deferred', 'distinct', 'merged'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];

export interface DuplicatePair {
  id: number;
  left_id: number;
  right_id: number;
  weight: number;
  /** 0 … 1 */
  probability: number;
  /** "field:level", e.g. "chinese_name:exact". */
  agreements: string[];
  source: string;
  status: DuplicateStatus;
  job_id: number | null;
  note: string | null;
  created_at: string;
  decided_by: number | null;
  decided_at: string | null;
  version: number;
}

export interface DuplicateItem {
  pair: DuplicatePair;
  left: PersonRecord;
  right: PersonRecord;
}

/** The `result` of a registry.detect_duplicates job (docs/openapi.yaml, DuplicateDetectionSummary). */
export interface DuplicateDetectionSummary {
  persons: number;
  comparisons: number;
  pairs_found: number;
  pairs_queued: number;
  seconds: number;
}

/** The main fields a merge may take from the merged record. */
export const TAKEABLE_FIELDS = ['chinese_name', 'family_name_en', 'given_names_en', 'sex', 'birth_date', 'birth_precision', 'death_date'] as const;
export type TakeableField = (typeof TAKEABLE_FIELDS)[number];

export interface MergeRecord {
  id: number;
  survivor_id: number;
  merged_id: number;
  pair_id: number | null;
  reason: string;
  /** Rows moved per table ({"person_documents": [ids]…}), and the survivor's fields before and after. */
  moved: Record<string, unknown>;
  merged_by: number | null;
  merged_at: string;
  undone_by: number | null;
  undone_at: string | null;
}

/** Family links (docs/api.md, /api/v1/persons/{id}/family). */
export const RELATIONSHIP_KINDS = ['spouse', 'parent', 'child', 'sibling', 'guardian', 'ward', 'carer', 'cared_for', 'other'] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];
export const HOUSEHOLD_KINDS = ['registered', 'living_together'] as const;
export type HouseholdKind = (typeof HOUSEHOLD_KINDS)[number];
export const HOUSEHOLD_ROLES = ['head', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other'] as const;
export type HouseholdRole = (typeof HOUSEHOLD_ROLES)[number];

/** A family member as the caller may see them: the main fields, or only the number and whom to contact. */
export type FamilyPerson = PersonSummary | (Omit<RestrictedPerson, 'status' | 'merged_into' | 'contact_units'> & {
  status?: string;
  merged_into?: number | null;
  contact_units?: ContactUnit[];
});

export interface FamilyRelationship {
  id: number;
  person_id: number;
  related_id: number;
  /** What the other person is to this one. */
  kind: RelationshipKind;
  started_on: string | null;
  ended_on: string | null;
  note: string | null;
  created_at: string;
  person: FamilyPerson;
}

export interface HouseholdMember {
  id: number;
  person_id: number;
  role: HouseholdRole;
  joined_on: string | null;
  left_on: string | null;
  person?: FamilyPerson;
}

export interface Household {
  id: number;
  kind: HouseholdKind;
  name: string | null;
  version: number;
  created_at: string;
  members: HouseholdMember[];
}

export interface Family {
  relationships: FamilyRelationship[];
  households: Household[];
}

/** The report of a registry import (the result of its job). */
export const IMPORT_OUTCOMES = ['empty', 'errors', 'ready', 'duplicates', 'duplicates_not_accepted', 'applied'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export interface ImportRowError {
  line: number;
  column: string;
  code: string;
  message: Partial<Record<Locale, string>>;
}

export interface ImportFileDuplicate {
  line: number;
  other_line: number;
  score: number;
  reasons: MatchReason[];
}

export interface ImportRegistryDuplicate {
  line: number;
  person_id: number;
  score: number;
  reasons: MatchReason[];
}

export interface ImportReport {
  rows: number;
  valid: number;
  error_count: number;
  errors: ImportRowError[];
  duplicate_count: number;
  duplicates_in_file: ImportFileDuplicate[];
  duplicates_in_registry: ImportRegistryDuplicate[];
  registry_checked?: boolean;
  applied: boolean;
  created: number;
  households: number;
  outcome: ImportOutcome;
}

export interface ImportStarted {
  import_id: number;
  job: Job;
}

/** Forms as data (GET /api/v1/forms): the shapes live with the logic that reads them. */
export type {
  Answers as FormAnswers,
  FormComputed,
  FormCondition,
  FormDefinition,
  FormField,
  FormOption,
  FormSection,
  Label,
} from '../forms/formLogic';
