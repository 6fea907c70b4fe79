#include "auth/policy.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "db/optional.hpp"

namespace welfare::auth {

std::vector<Grant> LoadGrants(soci::session& sql, long long staff_id) {
  long long assignment_id = 0;
  long long unit_id = 0;
  std::string role;
  boost::optional<std::string> permission;
  soci::statement select =
      (sql.prepare << "SELECT ra.id, ra.role_code, ra.unit_id, rp.permission FROM role_assignments ra "
                      "LEFT JOIN role_permissions rp ON rp.role_code = ra.role_code "
                      "WHERE ra.staff_id = :staff ORDER BY ra.id",
       soci::into(assignment_id), soci::into(role), soci::into(unit_id), soci::into(permission), soci::use(staff_id));
  select.execute(false);
  std::vector<Grant> grants;
  while (select.fetch()) {
    if (grants.empty() || grants.back().assignment_id != assignment_id) {
      grants.push_back(Grant{assignment_id, role, unit_id, {}});
    }
    if (permission) grants.back().permissions.insert(*permission);
  }
  return grants;
}

std::vector<long long> UnitAncestry(soci::session& sql, long long unit_id) {
  std::vector<long long> ancestry;
  long long id = 0;
  soci::statement select =
      (sql.prepare << "WITH RECURSIVE up(id, parent_id, depth) AS ("
                      " SELECT id, parent_id, 0 FROM units WHERE id = :unit"
                      " UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id"
                      " WHERE up.depth < 64)"
                      " SELECT id FROM up ORDER BY depth",
       soci::into(id), soci::use(unit_id));
  select.execute(false);
  while (select.fetch()) ancestry.push_back(id);
  return ancestry;
}

bool AllowsAt(soci::session& sql, const Principal& principal, std::string_view permission, long long unit_id) {
  const auto granted = principal.UnitsWith(permission);
  if (granted.empty()) return false;
  const auto ancestry = UnitAncestry(sql, unit_id);
  return std::ranges::any_of(ancestry, [&](long long id) { return std::ranges::find(granted, id) != granted.end(); });
}

Status RequireAt(soci::session& sql, const Principal& principal, std::string_view permission, long long unit_id) {
  if (AllowsAt(sql, principal, permission, unit_id)) return {};
  return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied",
                          std::string(permission) + " not granted at unit " + std::to_string(unit_id)));
}

std::vector<long long> UnitsInScope(soci::session& sql, const Principal& principal, std::string_view permission) {
  const auto granted = principal.UnitsWith(permission);
  if (granted.empty()) return {};
  // Walk the tree once from the roots: a unit is in scope when it or an ancestor is granted.
  std::map<long long, std::vector<long long>> children;
  std::vector<long long> roots;
  long long id = 0;
  boost::optional<long long> parent;
  soci::statement select = (sql.prepare << "SELECT id, parent_id FROM units", soci::into(id), soci::into(parent));
  select.execute(false);
  while (select.fetch()) {
    if (parent) {
      children[*parent].push_back(id);
    } else {
      roots.push_back(id);
    }
  }
  std::set<long long> in_scope;
  std::vector<long long> stack(granted.begin(), granted.end());
  while (!stack.empty()) {
    const long long unit = stack.back();
    stack.pop_back();
    if (!in_scope.insert(unit).second) continue;
    const auto found = children.find(unit);
    if (found != children.end()) stack.insert(stack.end(), found->second.begin(), found->second.end());
  }
  return {in_scope.begin(), in_scope.end()};
}

bool RequiresSecondFactor(soci::session& sql, long long staff_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM role_assignments ra JOIN roles r ON r.code = ra.role_code "
         "WHERE ra.staff_id = :staff AND r.requires_totp = 1",
      soci::into(count), soci::use(staff_id);
  return count > 0;
}

}  // namespace welfare::auth
