-- The roles of the foundation and their permissions. Later modules add permissions in their own migrations.
INSERT INTO roles (code, name_zh, name_en, requires_totp, sort_order) VALUES
  ('system_admin', '系統管理員', 'System administrator', 1, 10),
  ('auditor', '稽核人員', 'Auditor', 1, 20),
  ('supervisor', '督導', 'Supervisor', 0, 30),
  ('caseworker', '社工', 'Caseworker', 0, 40),
  ('township_clerk', '公所承辦人', 'Township clerk', 0, 50),
  ('county_reviewer', '縣府複審人員', 'County reviewer', 0, 60),
  ('ngo_submitter', '機構填報人員', 'NGO submitter', 0, 70),
  ('performance_officer', '服務表現監察主任', 'Performance officer', 0, 80),
  ('data_steward', '資料管理員', 'Data steward', 0, 90);

INSERT INTO role_permissions (role_code, permission) VALUES
  ('system_admin', 'units.read'), ('system_admin', 'units.manage'),
  ('system_admin', 'staff.read'), ('system_admin', 'staff.manage'), ('system_admin', 'roles.assign'),
  ('system_admin', 'audit.read'), ('system_admin', 'jobs.read'), ('system_admin', 'tokens.manage'),
  ('auditor', 'units.read'), ('auditor', 'staff.read'), ('auditor', 'audit.read'), ('auditor', 'audit.export'),
  ('auditor', 'jobs.read'),
  ('supervisor', 'units.read'), ('supervisor', 'staff.read'),
  ('caseworker', 'units.read'),
  ('township_clerk', 'units.read'),
  ('county_reviewer', 'units.read'), ('county_reviewer', 'staff.read'),
  ('ngo_submitter', 'units.read'),
  ('performance_officer', 'units.read'),
  ('data_steward', 'units.read'), ('data_steward', 'jobs.read');
