/// \file Who is making a request: a staff member through a session, or a partner system through a token.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/messages.hpp"

namespace welfare::auth {

/// A role held at a unit; it applies to that unit and every unit below it.
struct Grant {
  long long assignment_id = 0;
  std::string role;
  long long unit_id = 0;
  std::set<std::string, std::less<>> permissions;
};

/// The authenticated caller.
struct Principal {
  std::optional<long long> staff_id;
  std::optional<long long> token_id;
  std::optional<long long> session_id;
  std::string username;  ///< the staff username, or "token:<name>"
  std::string display_name;
  long long unit_id = 0;  ///< home unit (staff) or the token's unit
  Locale locale = Locale::kZhHant;
  std::vector<Grant> grants;
  std::string csrf_token;                 ///< empty for tokens
  std::optional<std::string> restricted;  ///< password_change_required / totp_setup_required
  std::string expires_at;                 ///< when the session or token ends (empty: never)

  /// True when any grant carries the permission (anywhere in the tree).
  [[nodiscard]] bool Has(std::string_view permission) const {
    for (const auto& grant : grants) {
      if (grant.permissions.contains(permission)) return true;
    }
    return false;
  }
  /// Units where the permission was granted (each covers its subtree).
  [[nodiscard]] std::vector<long long> UnitsWith(std::string_view permission) const {
    std::vector<long long> units;
    for (const auto& grant : grants) {
      if (grant.permissions.contains(permission)) units.push_back(grant.unit_id);
    }
    return units;
  }
};

}  // namespace welfare::auth
