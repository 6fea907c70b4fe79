/// \file Family links: typed relationships between persons, and households with their members.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace welfare::registry {

/// A relationship as stored: `person_id` is `kind` of `related_id` (person 1 is the parent of person 2).
struct Relationship {
  long long id = 0;
  long long person_id = 0;
  long long related_id = 0;
  std::string kind;  ///< spouse, parent, child, sibling, guardian, ward, carer, cared_for, other
  std::optional<std::string> started_on;
  std::optional<std::string> ended_on;
  std::optional<std::string> note;
  std::string created_at;
};

/// A person's membership of a household.
struct HouseholdMember {
  long long id = 0;
  long long household_id = 0;
  long long person_id = 0;
  std::string role;  ///< head, spouse, child, parent, sibling, grandparent, grandchild, other
  std::optional<std::string> joined_on;
  std::optional<std::string> left_on;
};

/// A registered household (戶籍) or people living together.
struct Household {
  long long id = 0;
  std::string kind;  ///< registered, living_together
  std::optional<std::string> name;
  std::optional<long long> created_by_unit;
  std::optional<std::string> external_ref;  ///< the household's key in an imported file
  long long version = 1;
  std::string created_at;
  std::vector<HouseholdMember> members;
};

/// The kind seen from the other side (parent ↔ child, guardian ↔ ward, carer ↔ cared_for).
[[nodiscard]] std::string_view InverseRelationship(std::string_view kind);
/// True for a relationship kind the registry knows.
[[nodiscard]] bool IsRelationshipKind(std::string_view kind);
/// True for a household role the registry knows.
[[nodiscard]] bool IsHouseholdRole(std::string_view role);

}  // namespace welfare::registry
