-- Case management: forms and service types as configuration, enquiries, intakes, referrals, cases and their parts
-- (people involved, allocations, assessments, service plans, notes, reviews, transfers, history), and waiting
-- lists. Answers to forms are JSON text with the form's code and version beside them.

CREATE TABLE form_definitions (
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  checksum TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('file','api')),
  created_by INTEGER REFERENCES staff(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE TABLE service_types (
  code TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  checksum TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('file','api')),
  created_by INTEGER REFERENCES staff(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE TABLE service_type_units (
  service_type TEXT NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  PRIMARY KEY (service_type, unit_id)
);
CREATE INDEX service_type_units_unit ON service_type_units(unit_id);

CREATE TABLE case_counters (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  next_number INTEGER NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE enquiries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  received_at TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('phone','walk_in','email','letter','other_unit','online')),
  person_id INTEGER REFERENCES persons(id),
  contact_name TEXT,
  contact_phone TEXT,
  service_type TEXT,
  summary TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open','closed')),
  outcome TEXT CHECK (outcome IN ('information_given','intake','referred_elsewhere','no_further_action')),
  outcome_note TEXT,
  intake_id INTEGER,
  recorded_by INTEGER NOT NULL REFERENCES staff(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX enquiries_unit ON enquiries(unit_id, state, received_at);
CREATE INDEX enquiries_person ON enquiries(person_id);

CREATE TABLE intakes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  enquiry_id INTEGER REFERENCES enquiries(id),
  referral_id INTEGER,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  service_type TEXT NOT NULL,
  form_code TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  computed TEXT NOT NULL DEFAULT '{}',
  interviewed_on TEXT,
  worker_id INTEGER REFERENCES staff(id),
  state TEXT NOT NULL CHECK (state IN ('draft','completed')),
  outcome TEXT CHECK (outcome IN ('open_case','refer','end')),
  outcome_note TEXT,
  case_id INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX intakes_unit ON intakes(unit_id, state, created_at);
CREATE INDEX intakes_person ON intakes(person_id);
CREATE INDEX intakes_worker ON intakes(worker_id, state);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  reference TEXT NOT NULL UNIQUE,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  service_type TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('unallocated','active','closure_requested','transfer_requested','closed','transferred')),
  worker_id INTEGER REFERENCES staff(id),
  opened_at TEXT NOT NULL,
  allocated_at TEXT,
  risk_level TEXT,
  risk_assessed_at TEXT,
  next_review_on TEXT,
  closure_reason TEXT,
  closing_summary TEXT,
  closed_at TEXT,
  transferred_from INTEGER REFERENCES cases(id),
  intake_id INTEGER REFERENCES intakes(id),
  referral_id INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cases_unit ON cases(unit_id, state, opened_at);
CREATE INDEX cases_worker ON cases(worker_id, state);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_review ON cases(unit_id, next_review_on) WHERE state IN ('active','closure_requested','transfer_requested');
CREATE INDEX cases_risk ON cases(unit_id, risk_level) WHERE state IN ('unallocated','active','closure_requested','transfer_requested');

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  from_unit_id INTEGER NOT NULL REFERENCES units(id),
  to_unit_id INTEGER NOT NULL REFERENCES units(id),
  service_type TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  intake_id INTEGER REFERENCES intakes(id),
  reason TEXT NOT NULL,
  urgency TEXT NOT NULL CHECK (urgency IN ('urgent','high','normal')),
  state TEXT NOT NULL CHECK (state IN ('sent','accepted','declined','withdrawn')),
  respond_by TEXT NOT NULL,
  sent_by INTEGER NOT NULL REFERENCES staff(id),
  sent_at TEXT NOT NULL,
  responded_by INTEGER REFERENCES staff(id),
  responded_at TEXT,
  response_note TEXT,
  accepted_case_id INTEGER REFERENCES cases(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX referrals_to ON referrals(to_unit_id, state, respond_by);
CREATE INDEX referrals_from ON referrals(from_unit_id, state, sent_at);
CREATE INDEX referrals_person ON referrals(person_id);
CREATE INDEX referrals_case ON referrals(case_id);

CREATE TABLE case_members (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  person_id INTEGER NOT NULL REFERENCES persons(id),
  role TEXT NOT NULL CHECK (role IN ('client','parent','child','spouse','sibling','carer','guardian','other')),
  added_by INTEGER NOT NULL REFERENCES staff(id),
  added_at TEXT NOT NULL,
  removed_at TEXT,
  PRIMARY KEY (case_id, person_id)
);
CREATE INDEX case_members_person ON case_members(person_id);

CREATE TABLE case_allocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  worker_id INTEGER NOT NULL REFERENCES staff(id),
  allocated_by INTEGER NOT NULL REFERENCES staff(id),
  allocated_at TEXT NOT NULL,
  ended_at TEXT,
  reason TEXT
);
CREATE INDEX case_allocations_case ON case_allocations(case_id, id);

CREATE TABLE case_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  actor_id INTEGER REFERENCES staff(id),
  at TEXT NOT NULL,
  note TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE assessments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  tool TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  computed TEXT NOT NULL DEFAULT '{}',
  risk_level TEXT,
  state TEXT NOT NULL CHECK (state IN ('draft','completed')),
  assessed_on TEXT,
  author_id INTEGER NOT NULL REFERENCES staff(id),
  completed_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX assessments_case ON assessments(case_id, id);

CREATE TABLE service_plans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  plan_version INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft','submitted','returned','approved','superseded')),
  content TEXT NOT NULL DEFAULT '{}',
  review_on TEXT,
  author_id INTEGER NOT NULL REFERENCES staff(id),
  submitted_at TEXT,
  decided_by INTEGER REFERENCES staff(id),
  decided_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (case_id, plan_version)
);
CREATE INDEX service_plans_state ON service_plans(state, case_id);

CREATE TABLE plan_comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id INTEGER NOT NULL REFERENCES service_plans(id),
  action TEXT NOT NULL,
  comment TEXT,
  author_id INTEGER NOT NULL REFERENCES staff(id),
  at TEXT NOT NULL
);
CREATE INDEX plan_comments_plan ON plan_comments(plan_id, id);

CREATE TABLE case_notes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  contact_at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('home_visit','office_interview','phone','meeting','email','supervision','other')),
  participants TEXT NOT NULL DEFAULT '[]',
  body TEXT NOT NULL,
  sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0,1)),
  corrects_id INTEGER REFERENCES case_notes(id),
  author_id INTEGER NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id, contact_at, id);
CREATE INDEX case_notes_corrects ON case_notes(corrects_id);

CREATE TABLE case_reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  due_on TEXT,
  held_on TEXT NOT NULL,
  summary TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('continue','revise_plan','close')),
  next_review_on TEXT,
  author_id INTEGER NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews(case_id, id);

CREATE TABLE case_transfers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  from_unit_id INTEGER NOT NULL REFERENCES units(id),
  to_unit_id INTEGER NOT NULL REFERENCES units(id),
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('requested','accepted','declined','withdrawn')),
  requested_by INTEGER NOT NULL REFERENCES staff(id),
  requested_at TEXT NOT NULL,
  responded_by INTEGER REFERENCES staff(id),
  responded_at TEXT,
  response_note TEXT,
  new_case_id INTEGER REFERENCES cases(id)
);
CREATE INDEX case_transfers_case ON case_transfers(case_id, id);
CREATE INDEX case_transfers_to ON case_transfers(to_unit_id, state);

CREATE TABLE waitlist_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  service_type TEXT NOT NULL,
  district TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  unit_id INTEGER NOT NULL REFERENCES units(id),
  applied_at TEXT NOT NULL,
  form_code TEXT NOT NULL,
  form_version INTEGER NOT NULL,
  answers TEXT NOT NULL DEFAULT '{}',
  priority_points INTEGER NOT NULL DEFAULT 0,
  priority_reasons TEXT NOT NULL DEFAULT '[]',
  state TEXT NOT NULL CHECK (state IN ('waiting','offered','placed','withdrawn','removed')),
  version INTEGER NOT NULL DEFAULT 1,
  created_by INTEGER NOT NULL REFERENCES staff(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX waitlist_entries_list ON waitlist_entries(service_type, district, state, priority_points, applied_at);
CREATE INDEX waitlist_entries_person ON waitlist_entries(person_id);

CREATE TABLE waitlist_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id INTEGER NOT NULL REFERENCES waitlist_entries(id),
  action TEXT NOT NULL,
  state_after TEXT NOT NULL,
  priority_points INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES staff(id),
  note TEXT,
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX waitlist_events_entry ON waitlist_events(entry_id, id);
CREATE INDEX waitlist_events_at ON waitlist_events(at);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('caseworker', 'cases.read'), ('caseworker', 'cases.write'), ('caseworker', 'referrals.respond'),
  ('caseworker', 'waitlists.read'), ('caseworker', 'waitlists.manage'),
  ('supervisor', 'cases.read'), ('supervisor', 'cases.write'), ('supervisor', 'cases.supervise'),
  ('supervisor', 'referrals.respond'), ('supervisor', 'waitlists.read'), ('supervisor', 'waitlists.manage'),
  ('system_admin', 'service_types.manage');
