/// \file The access policy: role grants per unit, applied to the unit and everything below it.
#pragma once

#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "auth/principal.hpp"
#include "core/error.hpp"

namespace welfare::auth {

/// Loads a staff member's role grants with their permissions.
[[nodiscard]] std::vector<Grant> LoadGrants(soci::session& sql, long long staff_id);
/// The unit and all its ancestors, nearest first.
[[nodiscard]] std::vector<long long> UnitAncestry(soci::session& sql, long long unit_id);
/// True when a grant of the permission sits at the unit or one of its ancestors.
[[nodiscard]] bool AllowsAt(soci::session& sql, const Principal& principal, std::string_view permission,
                            long long unit_id);
/// permission_denied (with the unit in the log detail) unless AllowsAt holds.
[[nodiscard]] Status RequireAt(soci::session& sql, const Principal& principal, std::string_view permission,
                               long long unit_id);
/// Every unit id the permission reaches (granted units and their descendants).
[[nodiscard]] std::vector<long long> UnitsInScope(soci::session& sql, const Principal& principal,
                                                  std::string_view permission);
/// True when any of the principal's roles requires a second factor.
[[nodiscard]] bool RequiresSecondFactor(soci::session& sql, long long staff_id);

}  // namespace welfare::auth
