-- Files uploaded for import into the registry; the job that checks or applies one keeps its report.
CREATE TABLE imports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  file_name TEXT NOT NULL,
  content TEXT NOT NULL,
  unit_id INTEGER NOT NULL REFERENCES units(id),
  created_by INTEGER REFERENCES staff(id),
  created_at TEXT NOT NULL
);
