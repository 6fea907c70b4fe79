/// \file The SQL of family links: relationships, households and members.
#pragma once

#include <optional>
#include <vector>

#include <soci/soci.h>

#include "registry/family.hpp"

namespace welfare::registry {

/// Family statements (the same on both dialects).
class FamilyStore {
 public:
  long long InsertRelationship(soci::session& sql, Relationship& relationship);
  [[nodiscard]] std::optional<Relationship> FindRelationship(soci::session& sql, long long id);
  /// Relationships where the person is on either side.
  [[nodiscard]] std::vector<Relationship> RelationshipsOf(soci::session& sql, long long person_id);
  void DeleteRelationship(soci::session& sql, long long id);

  long long InsertHousehold(soci::session& sql, Household& household);
  [[nodiscard]] std::optional<Household> FindHousehold(soci::session& sql, long long id);
  /// The household an earlier import created for this key, if any.
  [[nodiscard]] std::optional<long long> HouseholdByRef(soci::session& sql, const std::string& external_ref);
  /// Households the person is or was a member of, with all their members.
  [[nodiscard]] std::vector<Household> HouseholdsOf(soci::session& sql, long long person_id);
  long long InsertMember(soci::session& sql, HouseholdMember& member, const std::string& now);
  void EndMembership(soci::session& sql, long long member_id, const std::string& left_on);
  void TouchHousehold(soci::session& sql, long long id, const std::string& now);
};

}  // namespace welfare::registry
