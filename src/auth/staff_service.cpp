#include "auth/staff_service.hpp"

#include <regex>

#include <fmt/format.h>

#include "auth/password.hpp"
#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "auth/unit_service.hpp"
#include "core/json.hpp"
#include "core/messages.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::auth {
namespace {

using db::FromNullable;
using db::Nullable;

constexpr const char* kStaffColumns =
    "SELECT id, username, display_name, email, unit_id, locale, status, locked_reason, throttled_until, "
    "CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END, must_change_password, last_sign_in_at, created_at, version "
    "FROM staff";

/// Output buffers for one staff row.
struct StaffRow {
  Staff staff;
  boost::optional<std::string> email, locked_reason, throttled_until, last_sign_in_at;
  int totp_enabled = 0;
  int must_change = 0;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(staff.id));
    statement.exchange(soci::into(staff.username));
    statement.exchange(soci::into(staff.display_name));
    statement.exchange(soci::into(email));
    statement.exchange(soci::into(staff.unit_id));
    statement.exchange(soci::into(staff.locale));
    statement.exchange(soci::into(staff.status));
    statement.exchange(soci::into(locked_reason));
    statement.exchange(soci::into(throttled_until));
    statement.exchange(soci::into(totp_enabled));
    statement.exchange(soci::into(must_change));
    statement.exchange(soci::into(last_sign_in_at));
    statement.exchange(soci::into(staff.created_at));
    statement.exchange(soci::into(staff.version));
  }
  [[nodiscard]] Staff Get() const {
    Staff out = staff;
    out.email = FromNullable(email);
    out.locked_reason = FromNullable(locked_reason);
    out.throttled_until = FromNullable(throttled_until);
    out.last_sign_in_at = FromNullable(last_sign_in_at);
    out.totp_enabled = totp_enabled != 0;
    out.must_change_password = must_change != 0;
    return out;
  }
};

/// One role_assignments row with the account it belongs to.
struct AssignmentRow {
  long long staff_id = 0;
  RoleAssignment assignment;
  boost::optional<long long> granted_by;

  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(staff_id));
    statement.exchange(soci::into(assignment.id));
    statement.exchange(soci::into(assignment.role));
    statement.exchange(soci::into(assignment.unit_id));
    statement.exchange(soci::into(assignment.granted_at));
    statement.exchange(soci::into(granted_by));
  }
  [[nodiscard]] std::pair<long long, RoleAssignment> Get() const {
    RoleAssignment out = assignment;
    out.granted_by = FromNullable(granted_by);
    return {staff_id, out};
  }
};

/// The role assignments of several accounts in one query (a page of the staff list).
std::map<long long, std::vector<RoleAssignment>> LoadAssignments(soci::session& sql,
                                                                 const std::vector<long long>& ids) {
  std::map<long long, std::vector<RoleAssignment>> out;
  if (ids.empty()) return out;
  std::string text = "SELECT staff_id, id, role_code, unit_id, granted_at, granted_by FROM role_assignments "
                     "WHERE staff_id IN (";
  std::vector<std::string> names;
  for (size_t index = 0; index < ids.size(); ++index) {
    names.push_back(fmt::format("i{}", index));
    text += (index ? ",:" : ":") + names.back();
  }
  text += ") ORDER BY staff_id, id";
  const auto rows = db::SelectRows<AssignmentRow>(sql, text, [&](soci::statement& select) {
    for (size_t index = 0; index < ids.size(); ++index) select.exchange(soci::use(ids[index], names[index]));
  });
  for (const auto& [staff_id, assignment] : rows) out[staff_id].push_back(assignment);
  return out;
}

std::vector<RoleAssignment> LoadAssignments(soci::session& sql, long long staff_id) {
  auto all = LoadAssignments(sql, std::vector<long long>{staff_id});
  return std::move(all[staff_id]);
}

bool IsValidEmail(const std::string& email) {
  static const std::regex pattern(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  return std::regex_match(email, pattern);
}

std::string Lowered(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void CheckLocale(JsonReader& reader, const std::optional<std::string>& locale) {
  if (locale && *locale != "zh-Hant" && *locale != "en")
    reader.Add("locale", "invalid_choice", {{"choices", "zh-Hant, en"}});
}

}  // namespace

bool IsValidUsername(const std::string& username) {
  static const std::regex pattern("^[a-z0-9][a-z0-9._-]{2,63}$");
  return std::regex_match(username, pattern);
}

boost::json::object ToJson(const RoleAssignment& assignment) {
  return {
      {"id", assignment.id},
      {"role", assignment.role},
      {"unit_id", assignment.unit_id},
      {"granted_at", assignment.granted_at},
      {"granted_by", assignment.granted_by ? boost::json::value(*assignment.granted_by) : boost::json::value(nullptr)}};
}

boost::json::object ToJson(const Staff& staff) {
  boost::json::object out;
  out["id"] = staff.id;
  out["username"] = staff.username;
  out["display_name"] = staff.display_name;
  out["email"] = NullIfEmpty(staff.email);
  out["unit_id"] = staff.unit_id;
  out["locale"] = staff.locale;
  out["status"] = staff.status;
  out["locked_reason"] = NullIfEmpty(staff.locked_reason);
  out["locked_until"] = NullIfEmpty(staff.throttled_until);
  out["totp_enabled"] = staff.totp_enabled;
  out["must_change_password"] = staff.must_change_password;
  out["last_sign_in_at"] = NullIfEmpty(staff.last_sign_in_at);
  out["created_at"] = staff.created_at;
  out["version"] = staff.version;
  boost::json::array roles;
  for (const auto& role : staff.roles) {
    roles.push_back(ToJson(role));
  }
  out["roles"] = std::move(roles);
  return out;
}

boost::json::object ToJson(const Role& role) {
  boost::json::array permissions;
  for (const auto& permission : role.permissions) permissions.emplace_back(permission);
  return {{"code", role.code},
          {"name_zh", role.name_zh},
          {"name_en", role.name_en},
          {"requires_totp", role.requires_totp},
          {"permissions", std::move(permissions)}};
}

std::optional<Staff> FindStaff(soci::session& sql, long long id) {
  StaffRow row;
  soci::statement select(sql);
  row.Bind(select);
  select.exchange(soci::use(id, "id"));
  select.alloc();
  select.prepare(std::string(kStaffColumns) + " WHERE id = :id");
  select.define_and_bind();
  if (!select.execute(true)) return std::nullopt;
  Staff staff = row.Get();
  staff.roles = LoadAssignments(sql, id);
  return staff;
}

std::optional<long long> FindStaffId(soci::session& sql, const std::string& username) {
  boost::optional<long long> id;
  const std::string lowered = Lowered(username);
  sql << "SELECT id FROM staff WHERE username = :username", soci::into(id), soci::use(lowered);
  return FromNullable(id);
}

void RevokeSessions(soci::session& sql, long long staff_id, std::optional<long long> except_session) {
  const std::string now = FormatTime(Now());
  const long long except = except_session.value_or(-1);
  sql << "UPDATE sessions SET revoked_at = :now WHERE staff_id = :staff AND revoked_at IS NULL AND id <> :except",
      soci::use(now), soci::use(staff_id), soci::use(except);
}

Result<std::vector<Role>> StaffService::Roles() {
  return database_.Read<std::vector<Role>>([&](soci::session& sql) -> Result<std::vector<Role>> {
    std::string code, name_zh, name_en;
    int requires_totp = 0;
    boost::optional<std::string> permission;
    soci::statement select =
        (sql.prepare << "SELECT r.code, r.name_zh, r.name_en, r.requires_totp, rp.permission FROM roles r "
                        "LEFT JOIN role_permissions rp ON rp.role_code = r.code ORDER BY r.sort_order, rp.permission",
         soci::into(code), soci::into(name_zh), soci::into(name_en), soci::into(requires_totp), soci::into(permission));
    select.execute(false);
    std::vector<Role> roles;
    while (select.fetch()) {
      if (roles.empty() || roles.back().code != code)
        roles.push_back(Role{code, name_zh, name_en, requires_totp != 0, {}});
      if (permission) roles.back().permissions.push_back(*permission);
    }
    return roles;
  });
}

Result<std::vector<Staff>> StaffService::List(const Context& context, const StaffQuery& query) {
  return database_.Read<std::vector<Staff>>([&](soci::session& sql) -> Result<std::vector<Staff>> {
    const auto scope = UnitsInScope(sql, context.principal, perm::kStaffRead);
    if (scope.empty()) return std::vector<Staff>{};
    if (query.unit_id && std::ranges::find(scope, *query.unit_id) == scope.end()) return std::vector<Staff>{};
    std::string where =
        " WHERE (CAST(:text AS TEXT) IS NULL OR username LIKE :text2 OR LOWER(display_name) LIKE :text3)"
        " AND (CAST(:unit AS BIGINT) IS NULL OR unit_id = :unit2)"
        " AND (CAST(:status AS TEXT) IS NULL OR status = :status2)"
        " AND id > :after";
    // The scope is a list of unit ids; each is bound as a parameter of its own.
    where += " AND unit_id IN (";
    for (size_t index = 0; index < scope.size(); ++index) where += fmt::format("{}:s{}", index ? "," : "", index);
    where += ") ORDER BY id LIMIT :limit";

    const auto text = query.text ? boost::optional<std::string>("%" + Lowered(*query.text) + "%") : boost::none;
    const auto unit = Nullable(query.unit_id);
    const auto status = Nullable(query.status);
    const long long after = query.after_id.value_or(0);
    const int limit = query.limit;
    std::vector<std::string> names;
    names.reserve(scope.size());
    for (size_t index = 0; index < scope.size(); ++index) names.push_back(fmt::format("s{}", index));
    auto staff = db::SelectRows<StaffRow>(sql, std::string(kStaffColumns) + where, [&](soci::statement& select) {
      select.exchange(soci::use(text, "text"));
      select.exchange(soci::use(text, "text2"));
      select.exchange(soci::use(text, "text3"));
      select.exchange(soci::use(unit, "unit"));
      select.exchange(soci::use(unit, "unit2"));
      select.exchange(soci::use(status, "status"));
      select.exchange(soci::use(status, "status2"));
      select.exchange(soci::use(after, "after"));
      for (size_t index = 0; index < scope.size(); ++index) select.exchange(soci::use(scope[index], names[index]));
      select.exchange(soci::use(limit, "limit"));
    });
    std::vector<long long> ids;
    for (const auto& member : staff) ids.push_back(member.id);
    auto roles = LoadAssignments(sql, ids);
    for (auto& member : staff) member.roles = std::move(roles[member.id]);
    return staff;
  });
}

Result<Staff> StaffService::Manageable(soci::session& sql, const Context& context, long long id,
                                       std::string_view permission) {
  auto staff = FindStaff(sql, id);
  if (!staff) return Fail(Error::NotFound("staff " + std::to_string(id)));
  if (auto allowed = RequireAt(sql, context.principal, permission, staff->unit_id); !allowed) {
    // Accounts outside the caller's scope are not revealed to exist.
    if (!AllowsAt(sql, context.principal, perm::kStaffRead, staff->unit_id)) {
      return Fail(Error::NotFound("staff outside scope"));
    }
    return Fail(allowed.error());
  }
  return *staff;
}

Result<Staff> StaffService::Get(const Context& context, long long id) {
  auto staff = database_.Read<Staff>(
      [&](soci::session& sql) -> Result<Staff> { return Manageable(sql, context, id, perm::kStaffRead); });
  // An account holds personal data (name, e-mail): who looked at it is recorded.
  if (staff) audit_.AppendNow(context.actor, {"staff.view", "staff", std::to_string(id), std::nullopt});
  return staff;
}

Result<long long> StaffService::CreateTrusted(soci::session& sql, const audit::Actor& actor, const NewStaff& staff) {
  const std::string now = FormatTime(Now());
  const std::string hash = HashPassword(staff.password);
  const std::string username = Lowered(staff.username);
  const auto email = Nullable(staff.email);
  const int must_change = staff.must_change_password ? 1 : 0;
  const auto totp = staff.totp_secret ? boost::optional<std::string>(key_.Seal(*staff.totp_secret)) : boost::none;
  long long id = 0;
  sql << "INSERT INTO staff (username, display_name, email, unit_id, locale, password_hash, must_change_password, "
         "totp_secret, created_at, updated_at) VALUES (:u, :d, :e, :unit, :locale, :hash, :must, :totp, :now, :now2) "
         "RETURNING id",
      soci::use(username), soci::use(staff.display_name), soci::use(email), soci::use(staff.unit_id),
      soci::use(staff.locale), soci::use(hash), soci::use(must_change), soci::use(totp), soci::use(now), soci::use(now),
      soci::into(id);
  audit::Changes changes;
  changes.Set("username", username).Set("display_name", staff.display_name).Set("unit_id", staff.unit_id);
  if (staff.email) changes.Set("email", *staff.email);
  audit_.Append(sql, actor, {"staff.create", "staff", std::to_string(id), changes.Take()});
  return id;
}

void StaffService::GrantTrusted(soci::session& sql, const audit::Actor& actor, long long staff_id,
                                const std::string& role, long long unit_id) {
  const std::string now = FormatTime(Now());
  const auto granted_by = Nullable(actor.user_id);
  long long id = 0;
  sql << "INSERT INTO role_assignments (staff_id, role_code, unit_id, granted_at, granted_by) "
         "VALUES (:staff, :role, :unit, :now, :by) RETURNING id",
      soci::use(staff_id), soci::use(role), soci::use(unit_id), soci::use(now), soci::use(granted_by), soci::into(id);
  audit_.Append(sql, actor,
                {"staff.role_grant", "staff", std::to_string(staff_id),
                 boost::json::object{{"assignment_id", id}, {"role", role}, {"unit_id", unit_id}}});
}

Result<Staff> StaffService::Create(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"username", "display_name", "email", "unit_id", "password", "locale"});
  NewStaff staff;
  staff.username = Lowered(reader.RequiredString("username", 3, 64));
  staff.display_name = reader.RequiredString("display_name", 1, 100);
  staff.email = reader.OptionalString("email", 0, 200);
  if (staff.email && staff.email->empty()) staff.email.reset();
  staff.unit_id = reader.RequiredInt("unit_id");
  staff.password = reader.RequiredString("password", 1, kMaxPasswordLength);
  const auto locale = reader.OptionalString("locale", 0, 10);
  CheckLocale(reader, locale);
  staff.locale = locale.value_or("zh-Hant");
  staff.must_change_password = true;
  if (!staff.username.empty() && !IsValidUsername(staff.username)) {
    reader.Add("username", "invalid_format", {{"hint", "a-z 0-9 . _ -"}});
  }
  if (staff.email && !IsValidEmail(*staff.email)) reader.Add("email", "invalid_format", {{"hint", "name@example.org"}});
  if (!staff.password.empty()) {
    FieldErrors password_errors;
    CheckPasswordPolicy(staff.password, staff.username, "password", password_errors);
    if (auto checked = password_errors.Finish(); !checked) {
      for (auto& field : checked.error().fields) reader.Add(field.field, field.code, field.params);
    }
  }
  return database_.Write<Staff>([&](soci::session& sql) -> Result<Staff> {
    const auto unit = staff.unit_id ? FindUnit(sql, staff.unit_id) : std::nullopt;
    if (staff.unit_id && !unit) reader.Add("unit_id", "not_found");
    if (!staff.username.empty() && FindStaffId(sql, staff.username)) reader.Add("username", "taken");
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    if (auto allowed = RequireAt(sql, context.principal, perm::kStaffManage, staff.unit_id); !allowed) {
      return Fail(allowed.error());
    }
    auto id = CreateTrusted(sql, context.actor, staff);
    if (!id) return Fail(id.error());
    return *FindStaff(sql, *id);
  });
}

Result<Staff> StaffService::Update(const Context& context, long long id, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "display_name", "email", "unit_id", "locale"});
  const long long version = reader.RequiredInt("version");
  const auto display_name = reader.OptionalString("display_name", 1, 100);
  bool email_null = false;
  const auto email = reader.OptionalString("email", 0, 200);
  email_null = reader.Has("email") && (!email || email->empty());
  const auto unit_id = reader.OptionalInt("unit_id");
  const auto locale = reader.OptionalString("locale", 0, 10);
  CheckLocale(reader, locale);
  if (display_name && display_name->empty()) reader.Add("display_name", "required");
  if (email && !email->empty() && !IsValidEmail(*email)) {
    reader.Add("email", "invalid_format", {{"hint", "name@example.org"}});
  }
  return database_.Write<Staff>([&](soci::session& sql) -> Result<Staff> {
    auto current = Manageable(sql, context, id, perm::kStaffManage);
    if (!current) return Fail(current.error());
    Staff next = *current;
    if (display_name) next.display_name = *display_name;
    if (email_null)
      next.email.reset();
    else if (email)
      next.email = *email;
    if (locale) next.locale = *locale;
    if (unit_id && *unit_id != current->unit_id) {
      if (!FindUnit(sql, *unit_id)) {
        reader.Add("unit_id", "not_found");
      } else if (!AllowsAt(sql, context.principal, perm::kStaffManage, *unit_id)) {
        reader.Add("unit_id", "outside_scope");
      }
      next.unit_id = *unit_id;
    }
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));
    const std::string now = FormatTime(Now());
    const auto next_email = Nullable(next.email);
    soci::statement update =
        (sql.prepare << "UPDATE staff SET display_name = :d, email = :e, unit_id = :unit, locale = :locale, "
                        "version = version + 1, updated_at = :now WHERE id = :id AND version = :version",
         soci::use(next.display_name), soci::use(next_email), soci::use(next.unit_id), soci::use(next.locale),
         soci::use(now), soci::use(id), soci::use(version));
    update.execute(true);
    if (update.get_affected_rows() != 1) return Fail(Error::Conflict(current->version));
    audit::Changes changes;
    changes.Field("display_name", current->display_name, next.display_name)
        .Field("email", current->email.value_or(""), next.email.value_or(""))
        .Field("unit_id", current->unit_id, next.unit_id)
        .Field("locale", current->locale, next.locale);
    audit_.Append(sql, context.actor, {"staff.update", "staff", std::to_string(id), changes.Take()});
    return *FindStaff(sql, id);
  });
}

Result<std::string> StaffService::ResetPassword(const Context& context, long long id) {
  return database_.Write<std::string>([&](soci::session& sql) -> Result<std::string> {
    auto staff = Manageable(sql, context, id, perm::kStaffManage);
    if (!staff) return Fail(staff.error());
    const std::string password = GenerateTemporaryPassword();
    const std::string hash = HashPassword(password);
    const std::string now = FormatTime(Now());
    sql << "UPDATE staff SET password_hash = :hash, must_change_password = 1, failed_attempts = 0, "
           "throttled_until = NULL, version = version + 1, updated_at = :now WHERE id = :id",
        soci::use(hash), soci::use(now), soci::use(id);
    RevokeSessions(sql, id);
    audit_.Append(
        sql, context.actor,
        {"staff.password_reset", "staff", std::to_string(id),
         boost::json::object{{"must_change_password", {{"from", staff->must_change_password}, {"to", true}}}}});
    return password;
  });
}

Result<Staff> StaffService::Lock(const Context& context, long long id, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"reason"});
  const std::string reason = reader.RequiredString("reason", 1, 500);
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Staff>([&](soci::session& sql) -> Result<Staff> {
    auto staff = Manageable(sql, context, id, perm::kStaffManage);
    if (!staff) return Fail(staff.error());
    if (context.principal.staff_id == id) return Fail(Error::Validation({{"id", "self_action", {}}}));
    if (staff->status == "locked") return Fail(Error::Make(Canonical::kFailedPrecondition, "failed_precondition"));
    const std::string now = FormatTime(Now());
    sql << "UPDATE staff SET status = 'locked', locked_reason = :reason, version = version + 1, updated_at = :now "
           "WHERE id = :id",
        soci::use(reason), soci::use(now), soci::use(id);
    RevokeSessions(sql, id);
    audit_.Append(sql, context.actor,
                  {"staff.lock", "staff", std::to_string(id),
                   boost::json::object{{"status", {{"from", "active"}, {"to", "locked"}}}, {"reason", reason}}});
    return *FindStaff(sql, id);
  });
}

Result<Staff> StaffService::Unlock(const Context& context, long long id) {
  return database_.Write<Staff>([&](soci::session& sql) -> Result<Staff> {
    auto staff = Manageable(sql, context, id, perm::kStaffManage);
    if (!staff) return Fail(staff.error());
    if (staff->status != "locked" && !staff->throttled_until) {
      return Fail(Error::Make(Canonical::kFailedPrecondition, "failed_precondition"));
    }
    const std::string now = FormatTime(Now());
    sql << "UPDATE staff SET status = 'active', locked_reason = NULL, failed_attempts = 0, throttled_until = NULL, "
           "version = version + 1, updated_at = :now WHERE id = :id",
        soci::use(now), soci::use(id);
    audit_.Append(sql, context.actor,
                  {"staff.unlock", "staff", std::to_string(id),
                   boost::json::object{{"status", {{"from", staff->status}, {"to", "active"}}}}});
    return *FindStaff(sql, id);
  });
}

Result<Staff> StaffService::ResetSecondFactor(const Context& context, long long id) {
  return database_.Write<Staff>([&](soci::session& sql) -> Result<Staff> {
    auto staff = Manageable(sql, context, id, perm::kStaffManage);
    if (!staff) return Fail(staff.error());
    if (context.principal.staff_id == id) return Fail(Error::Validation({{"id", "self_action", {}}}));
    const std::string now = FormatTime(Now());
    sql << "UPDATE staff SET totp_secret = NULL, totp_pending = NULL, version = version + 1, updated_at = :now "
           "WHERE id = :id",
        soci::use(now), soci::use(id);
    sql << "DELETE FROM recovery_codes WHERE staff_id = :id", soci::use(id);
    RevokeSessions(sql, id);
    audit_.Append(sql, context.actor,
                  {"staff.totp_reset", "staff", std::to_string(id),
                   boost::json::object{{"totp_enabled", {{"from", staff->totp_enabled}, {"to", false}}}}});
    return *FindStaff(sql, id);
  });
}

Result<RoleAssignment> StaffService::GrantRole(const Context& context, long long id, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"role", "unit_id"});
  const std::string role = reader.RequiredString("role", 1, 40);
  const long long unit_id = reader.RequiredInt("unit_id");
  return database_.Write<RoleAssignment>([&](soci::session& sql) -> Result<RoleAssignment> {
    auto staff = Manageable(sql, context, id, perm::kRolesAssign);
    if (!staff) return Fail(staff.error());
    int role_exists = 0;
    sql << "SELECT COUNT(*) FROM roles WHERE code = :role", soci::into(role_exists), soci::use(role);
    if (!role.empty() && role_exists == 0) reader.Add("role", "not_found");
    if (unit_id != 0 && !FindUnit(sql, unit_id)) reader.Add("unit_id", "not_found");
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    if (context.principal.staff_id == id) return Fail(Error::Validation({{"role", "self_action", {}}}));
    if (!AllowsAt(sql, context.principal, perm::kRolesAssign, unit_id)) {
      return Fail(Error::Validation({{"unit_id", "outside_scope", {}}}));
    }
    for (const auto& existing : staff->roles) {
      if (existing.role == role && existing.unit_id == unit_id) {
        return Fail(Error::Make(Canonical::kAlreadyExists, "already_exists"));
      }
    }
    GrantTrusted(sql, context.actor, id, role, unit_id);
    return LoadAssignments(sql, id).back();
  });
}

Status StaffService::RevokeRole(const Context& context, long long id, long long assignment_id) {
  return database_.Write<void>([&](soci::session& sql) -> Status {
    auto staff = Manageable(sql, context, id, perm::kRolesAssign);
    if (!staff) return Fail(staff.error());
    const auto found = std::ranges::find_if(staff->roles, [&](const auto& role) { return role.id == assignment_id; });
    if (found == staff->roles.end()) return Fail(Error::NotFound("assignment"));
    if (!AllowsAt(sql, context.principal, perm::kRolesAssign, found->unit_id)) {
      return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied", "revoke outside scope"));
    }
    if (context.principal.staff_id == id) return Fail(Error::Validation({{"assignment_id", "self_action", {}}}));
    sql << "DELETE FROM role_assignments WHERE id = :id", soci::use(assignment_id);
    audit_.Append(
        sql, context.actor,
        {"staff.role_revoke", "staff", std::to_string(id),
         boost::json::object{{"assignment_id", assignment_id}, {"role", found->role}, {"unit_id", found->unit_id}}});
    return {};
  });
}

}  // namespace welfare::auth
