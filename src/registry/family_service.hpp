/// \file Use cases of family links: the family of a person (each member shown as the caller may see them),
/// relationships and households — access-checked and audited on every record they touch.
#pragma once

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "db/database.hpp"
#include "registry/family.hpp"
#include "registry/family_store.hpp"
#include "registry/person_service.hpp"

namespace welfare::registry {

/// Family links of persons.
class FamilyService {
 public:
  FamilyService(db::Database& database, audit::AuditLog& audit, PersonService& persons)
      : database_(database), audit_(audit), persons_(persons) {}

  /// {relationships: [...], households: [...]} with each other person as the caller may see them.
  [[nodiscard]] Result<boost::json::object> Family(const auth::Context& context, long long person_id);
  /// Body {related_id, kind, started_on?, ended_on?, note?}: "person is <kind> of related".
  [[nodiscard]] Result<Relationship> AddRelationship(const auth::Context& context, long long person_id,
                                                     const boost::json::object& body);
  [[nodiscard]] Status RemoveRelationship(const auth::Context& context, long long person_id, long long relationship_id);
  /// Body {kind, name?, members: [{person_id, role, joined_on?}]}; the caller must be on the case team of one member.
  [[nodiscard]] Result<Household> CreateHousehold(const auth::Context& context, const boost::json::object& body);
  /// Body {person_id, role, joined_on?}.
  [[nodiscard]] Result<Household> AddMember(const auth::Context& context, long long household_id,
                                            const boost::json::object& body);
  /// Body {left_on?}.
  [[nodiscard]] Result<Household> EndMembership(const auth::Context& context, long long household_id,
                                                long long member_id, const boost::json::object& body);

 private:
  /// Permission to change a household: the caller is on the case team of one current member or of `extra`.
  [[nodiscard]] Status RequireHouseholdAccess(soci::session& sql, const auth::Context& context,
                                              const Household& household, std::optional<long long> extra);
  db::Database& database_;
  audit::AuditLog& audit_;
  PersonService& persons_;
  FamilyStore store_;
};

/// The API form of a relationship and of a household (members without person details).
[[nodiscard]] boost::json::object ToJson(const Relationship& relationship);
[[nodiscard]] boost::json::object ToJson(const Household& household);

}  // namespace welfare::registry
