-- Client registry: persons, their names, identity documents, contacts, addresses, consents,
-- involvements (the need-to-know rule), emergency access, family links, duplicates and merges.
-- Identity numbers are stored sealed (secretbox) and found through a keyed hash; search keys are
-- 64-bit hashes of normalised name parts.

CREATE TABLE persons (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','merged')),
  merged_into INTEGER REFERENCES persons(id),
  chinese_name TEXT,
  chinese_key TEXT,
  family_name_en TEXT,
  given_names_en TEXT,
  sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN ('male','female','unknown')),
  birth_date TEXT,
  birth_precision TEXT CHECK (birth_precision IN ('full','year_month','year','estimated')),
  death_date TEXT,
  languages TEXT NOT NULL DEFAULT '',
  protected_address INTEGER NOT NULL DEFAULT 0 CHECK (protected_address IN (0,1)),
  registered_unit_id INTEGER NOT NULL REFERENCES units(id),
  external_ref TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX persons_birth ON persons(birth_date);
CREATE INDEX persons_merged_into ON persons(merged_into);

CREATE TABLE person_names (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('alias','former','merged')),
  chinese_name TEXT,
  family_name_en TEXT,
  given_names_en TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX person_names_person ON person_names(person_id);

CREATE TABLE person_documents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  doc_type TEXT NOT NULL CHECK (doc_type IN ('hkid','twid','passport','birth_cert','other')),
  number_sealed TEXT NOT NULL,
  number_hash TEXT NOT NULL,
  number_masked TEXT NOT NULL,
  issuer TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (doc_type, number_hash)
);
CREATE INDEX person_documents_person ON person_documents(person_id);
CREATE INDEX person_documents_hash ON person_documents(number_hash);

CREATE TABLE person_contacts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('mobile','home','work','email','other')),
  value TEXT NOT NULL,
  phone_key TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX person_contacts_person ON person_contacts(person_id);
CREATE INDEX person_contacts_phone ON person_contacts(phone_key);

CREATE TABLE person_addresses (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('residential','correspondence','other')),
  region TEXT,
  district TEXT,
  street TEXT,
  building TEXT,
  flat TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX person_addresses_person ON person_addresses(person_id);

CREATE TABLE person_consents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit_id INTEGER REFERENCES units(id),
  scope TEXT NOT NULL,
  given_on TEXT NOT NULL,
  withdrawn_on TEXT,
  note TEXT,
  recorded_by INTEGER REFERENCES staff(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX person_consents_person ON person_consents(person_id);

CREATE TABLE involvements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind IN ('registration','case','application','referral')),
  reference TEXT,
  summary TEXT,
  worker_id INTEGER REFERENCES staff(id),
  started_on TEXT NOT NULL,
  ended_on TEXT,
  created_by INTEGER REFERENCES staff(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX involvements_person ON involvements(person_id, unit_id);
CREATE INDEX involvements_unit ON involvements(unit_id, person_id);

CREATE TABLE break_glass (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  reason TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX break_glass_staff ON break_glass(staff_id, person_id, expires_at);
CREATE INDEX break_glass_person ON break_glass(person_id);

CREATE TABLE person_search_keys (
  search_key INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  PRIMARY KEY (search_key, person_id)
) WITHOUT ROWID;
CREATE INDEX person_search_keys_person ON person_search_keys(person_id);

CREATE TABLE relationships (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  related_id INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL CHECK (kind IN ('spouse','parent','child','sibling','guardian','ward','carer','cared_for','other')),
  started_on TEXT,
  ended_on TEXT,
  note TEXT,
  created_at TEXT NOT NULL,
  CHECK (person_id <> related_id)
);
CREATE INDEX relationships_person ON relationships(person_id);
CREATE INDEX relationships_related ON relationships(related_id);

CREATE TABLE households (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('registered','living_together')),
  name TEXT,
  created_by_unit INTEGER REFERENCES units(id),
  external_ref TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX households_external_ref ON households(external_ref);

CREATE TABLE household_members (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  household_id INTEGER NOT NULL REFERENCES households(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  role TEXT NOT NULL CHECK (role IN ('head','spouse','child','parent','sibling','grandparent','grandchild','other')),
  joined_on TEXT,
  left_on TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX household_members_household ON household_members(household_id);
CREATE INDEX household_members_person ON household_members(person_id);

CREATE TABLE duplicate_pairs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  left_id INTEGER NOT NULL REFERENCES persons(id),
  right_id INTEGER NOT NULL REFERENCES persons(id),
  weight REAL NOT NULL,
  probability REAL NOT NULL,
  agreements TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('batch','registration','import')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','merged','distinct','deferred')),
  job_id INTEGER,
  note TEXT,
  created_at TEXT NOT NULL,
  decided_by INTEGER REFERENCES staff(id),
  decided_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK (left_id < right_id),
  UNIQUE (left_id, right_id)
);
CREATE INDEX duplicate_pairs_status ON duplicate_pairs(status, probability, id);

CREATE TABLE person_merges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  survivor_id INTEGER NOT NULL REFERENCES persons(id),
  merged_id INTEGER NOT NULL REFERENCES persons(id),
  pair_id INTEGER REFERENCES duplicate_pairs(id),
  reason TEXT NOT NULL,
  moved TEXT NOT NULL,
  merged_by INTEGER REFERENCES staff(id),
  merged_at TEXT NOT NULL,
  undone_by INTEGER REFERENCES staff(id),
  undone_at TEXT
);
CREATE INDEX person_merges_survivor ON person_merges(survivor_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  kind TEXT NOT NULL,
  record_type TEXT,
  record_id TEXT,
  params TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX alerts_staff ON alerts(staff_id, read_at, id);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'persons.search'), ('caseworker', 'persons.read'), ('caseworker', 'persons.write'),
  ('supervisor', 'persons.search'), ('supervisor', 'persons.read'), ('supervisor', 'persons.write'),
  ('township_clerk', 'persons.search'), ('township_clerk', 'persons.read'), ('township_clerk', 'persons.write'),
  ('county_reviewer', 'persons.search'), ('county_reviewer', 'persons.read'),
  ('data_steward', 'persons.search'), ('data_steward', 'persons.read'), ('data_steward', 'persons.write'),
  ('data_steward', 'persons.merge'), ('data_steward', 'persons.import'), ('data_steward', 'persons.export'),
  ('auditor', 'persons.search');
