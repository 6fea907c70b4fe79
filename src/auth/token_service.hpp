/// \file API tokens for partner systems: scoped to a unit and permissions, shown once, stored hashed, revocable.
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

/// A stored token (without its secret).
struct ApiToken {
  long long id = 0;
  std::string name;
  long long unit_id = 0;
  std::vector<std::string> scopes;
  std::string prefix;
  std::string created_at;
  std::optional<long long> created_by;
  std::optional<std::string> last_used_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
};

[[nodiscard]] boost::json::object ToJson(const ApiToken& token);

/// Token use cases.
class TokenService {
 public:
  TokenService(db::Database& database, audit::AuditLog& audit, const SecretKey& key)
      : database_(database), audit_(audit), key_(key) {}

  [[nodiscard]] Result<std::vector<ApiToken>> List(const Context& context);
  /// Body: {name, unit_id, scopes, expires_at?}. Returns the token and its secret (shown once).
  [[nodiscard]] Result<std::pair<ApiToken, std::string>> Create(const Context& context,
                                                                const boost::json::object& body);
  [[nodiscard]] Status Revoke(const Context& context, long long id);
  /// The principal of a bearer token, or nullopt (unknown, revoked, expired).
  [[nodiscard]] std::optional<Principal> Authenticate(const std::string& bearer);

 private:
  db::Database& database_;
  audit::AuditLog& audit_;
  const SecretKey& key_;
};

}  // namespace welfare::auth
