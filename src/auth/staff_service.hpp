/// \file Staff accounts: creation, details, password resets, locks, second-factor resets and role grants.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"

namespace welfare::auth {

/// A role assignment as shown on an account.
struct RoleAssignment {
  long long id = 0;
  std::string role;
  long long unit_id = 0;
  std::string granted_at;
  std::optional<long long> granted_by;
};

/// One staff account (secrets excluded).
struct Staff {
  long long id = 0;
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  long long unit_id = 0;
  std::string locale = "zh-Hant";
  std::string status = "active";
  std::optional<std::string> locked_reason;
  std::optional<std::string> throttled_until;
  bool totp_enabled = false;
  bool must_change_password = false;
  std::optional<std::string> last_sign_in_at;
  std::string created_at;
  long long version = 1;
  std::vector<RoleAssignment> roles;
};

/// A role with its permissions.
struct Role {
  std::string code;
  std::string name_zh;
  std::string name_en;
  bool requires_totp = false;
  std::vector<std::string> permissions;
};

/// Staff list filters (keyset paging by id).
struct StaffQuery {
  std::optional<std::string> text;  ///< part of username or display name
  std::optional<long long> unit_id;
  std::optional<std::string> status;
  std::optional<long long> after_id;
  int limit = 50;
};

/// A new account for trusted creation (demo data, create-admin).
struct NewStaff {
  std::string username;
  std::string display_name;
  std::optional<std::string> email;
  long long unit_id = 0;
  std::string password;
  std::string locale = "zh-Hant";
  bool must_change_password = false;
  std::optional<std::string> totp_secret;  ///< base32, already confirmed
};

[[nodiscard]] boost::json::object ToJson(const Staff& staff);
[[nodiscard]] boost::json::object ToJson(const Role& role);
[[nodiscard]] boost::json::object ToJson(const RoleAssignment& assignment);
/// Reads an account with its roles; nullopt when absent.
[[nodiscard]] std::optional<Staff> FindStaff(soci::session& sql, long long id);
/// Finds an account id by username (case-insensitive).
[[nodiscard]] std::optional<long long> FindStaffId(soci::session& sql, const std::string& username);
/// True for a valid username: 3–64 of a-z 0-9 . _ -
[[nodiscard]] bool IsValidUsername(const std::string& username);

/// Use cases on staff accounts.
class StaffService {
 public:
  StaffService(db::Database& database, audit::AuditLog& audit, const SecretKey& key)
      : database_(database), audit_(audit), key_(key) {}

  [[nodiscard]] Result<std::vector<Role>> Roles();
  [[nodiscard]] Result<std::vector<Staff>> List(const Context& context, const StaffQuery& query);
  [[nodiscard]] Result<Staff> Get(const Context& context, long long id);
  /// Body: {username, display_name, email?, unit_id, password, locale?}.
  [[nodiscard]] Result<Staff> Create(const Context& context, const boost::json::object& body);
  /// Body: {version, display_name?, email?, unit_id?, locale?}.
  [[nodiscard]] Result<Staff> Update(const Context& context, long long id, const boost::json::object& body);
  /// Sets a random temporary password, to be changed at the next sign-in; signs the account out everywhere.
  [[nodiscard]] Result<std::string> ResetPassword(const Context& context, long long id);
  [[nodiscard]] Result<Staff> Lock(const Context& context, long long id, const boost::json::object& body);
  [[nodiscard]] Result<Staff> Unlock(const Context& context, long long id);
  [[nodiscard]] Result<Staff> ResetSecondFactor(const Context& context, long long id);
  /// Body: {role, unit_id}.
  [[nodiscard]] Result<RoleAssignment> GrantRole(const Context& context, long long id, const boost::json::object& body);
  [[nodiscard]] Status RevokeRole(const Context& context, long long id, long long assignment_id);

  /// Creates an account without access checks (demo data, first administrator); audited.
  [[nodiscard]] Result<long long> CreateTrusted(soci::session& sql, const audit::Actor& actor, const NewStaff& staff);
  /// Grants a role without access checks; audited.
  void GrantTrusted(soci::session& sql, const audit::Actor& actor, long long staff_id, const std::string& role,
                    long long unit_id);

 private:
  /// The account, when the caller may manage it (permission at the account's unit).
  [[nodiscard]] Result<Staff> Manageable(soci::session& sql, const Context& context, long long id,
                                         std::string_view permission);

  db::Database& database_;
  audit::AuditLog& audit_;
  const SecretKey& key_;
};

/// Revokes every live session of an account (sign out everywhere).
void RevokeSessions(soci::session& sql, long long staff_id, std::optional<long long> except_session = std::nullopt);

}  // namespace welfare::auth
