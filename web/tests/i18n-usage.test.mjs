// Every literal translation key used in the source exists in the locale files, and every
// key of a known dynamic family (unit kinds, audit actions, …) is present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../src/', import.meta.url));
const en = JSON.parse(readFileSync(join(root, 'i18n/en.json'), 'utf8'));

function has(object, path) {
  let node = object;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false;
    node = node[part];
  }
  return typeof node === 'string';
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

test('literal keys used in the source exist', () => {
  const missing = [];
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    const patterns = [/\bt\(\s*'([a-zA-Z0-9_.]+)'/g, /\blabel: '([a-z]+\.[a-zA-Z0-9_]+)'/g, /i18n\.t\(\s*'([a-zA-Z0-9_.]+)'/g];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (!has(en, match[1])) missing.push(`${file.slice(root.length)}: ${match[1]}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('dynamic key families are complete', () => {
  const families = {
    unitKind: ['department', 'region', 'district', 'county', 'township_office', 'ngo', 'service_unit'],
    'staff.status': ['active', 'locked'],
    'jobs.status': ['queued', 'running', 'succeeded', 'failed'],
    'tokens.states': ['active', 'revoked', 'expired'],
    recordType: ['staff', 'unit', 'api_token', 'job', 'person', 'duplicate_pair', 'import'],
    permission: [
      'units_read', 'units_manage', 'staff_read', 'staff_manage', 'roles_assign', 'audit_read', 'audit_export', 'jobs_read', 'tokens_manage',
      'persons_search', 'persons_read', 'persons_write', 'persons_merge', 'persons_import', 'persons_export',
    ],
    sex: ['male', 'female', 'unknown'],
    birthPrecision: ['full', 'year_month', 'year', 'estimated'],
    nameKind: ['alias', 'former'],
    docType: ['hkid', 'twid', 'passport', 'birth_cert', 'other'],
    contactKind: ['mobile', 'home', 'work', 'email', 'other'],
    addressKind: ['residential', 'correspondence', 'other'],
    involvementKind: ['registration'],
    consentScope: ['share_record'],
    'person.access': ['full', 'shared', 'emergency', 'restricted'],
    duplicateStatus: ['open', 'deferred', 'distinct', 'merged'],
    'duplicates.empty': ['open', 'deferred', 'distinct', 'merged'],
    duplicateSource: ['registration', 'import', 'batch'],
    mergeField: ['chinese_name', 'family_name_en', 'given_names_en', 'sex', 'birth_date', 'birth_precision', 'death_date'],
    movedPart: [
      'person_names', 'person_documents', 'person_contacts', 'person_addresses', 'person_consents', 'involvements', 'break_glass',
      'household_members', 'relationships', 'added_names',
    ],
    relationshipKind: ['spouse', 'parent', 'child', 'sibling', 'guardian', 'ward', 'carer', 'cared_for', 'other'],
    householdKind: ['registered', 'living_together'],
    householdKindHint: ['registered', 'living_together'],
    householdRole: ['head', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other'],
    jobKind: ['audit_verify', 'registry_import'],
  };
  for (const outcome of ['empty', 'errors', 'ready', 'duplicates', 'duplicates_not_accepted', 'applied']) {
    families[`importOutcome.${outcome}`] = ['title', 'body'];
  }
  const missing = [];
  for (const [family, members] of Object.entries(families)) {
    for (const member of members) if (!has(en, `${family}.${member}`)) missing.push(`${family}.${member}`);
  }
  // The match reasons and languages are listed in lib/persons.ts.
  const persons = readFileSync(join(root, 'lib/persons.ts'), 'utf8');
  for (const [list, family] of [['MATCH_FIELDS', 'matchField'], ['MATCH_LEVELS', 'matchLevel'], ['LANGUAGE_CODES', 'personLanguage']]) {
    const body = persons.slice(persons.indexOf(list), persons.indexOf('] as const', persons.indexOf(list)));
    for (const match of body.matchAll(/'([a-z_]+)'/g)) if (!has(en, `${family}.${match[1]}`)) missing.push(`${family}.${match[1]}`);
  }
  const audit = readFileSync(join(root, 'lib/audit.ts'), 'utf8');
  const actions = audit.slice(audit.indexOf('KNOWN_ACTIONS'), audit.indexOf('] as const'));
  for (const match of actions.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) {
    const key = `auditAction.${match[1].replace(/\./g, '_')}`;
    if (!has(en, key)) missing.push(key);
  }
  assert.deepEqual(missing, []);
});

test('no visible text is hard-coded in JSX (outside the language names)', () => {
  const offenders = [];
  for (const file of sources(root).filter((name) => name.endsWith('.tsx'))) {
    const text = readFileSync(file, 'utf8');
    // Text between a closing > and an opening < that contains letters or CJK characters.
    for (const match of text.matchAll(/(?<!=)>\s*([^<>{}\n]*[A-Za-z\u4e00-\u9fff][^<>{}\n]*)\s*</g)) {
      const snippet = match[1].trim();
      if (!snippet || /^[)=;,&|?:.\s\w]*=>/.test(snippet)) continue;
      if (/^(\w+\s*)?(=>|&&|\|\||\?)/.test(snippet)) continue;
      if (/[=();]/.test(snippet)) continue;
      offenders.push(`${file.slice(root.length)}: ${snippet}`);
    }
  }
  assert.deepEqual(offenders, []);
});
