#include "registry/family_store.hpp"

#include <algorithm>

#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::registry {
namespace {

using db::FromNullable;
using db::Nullable;

struct RelationshipRow {
  Relationship relationship;
  boost::optional<std::string> started_on, ended_on, note;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(relationship.id));
    statement.exchange(soci::into(relationship.person_id));
    statement.exchange(soci::into(relationship.related_id));
    statement.exchange(soci::into(relationship.kind));
    statement.exchange(soci::into(started_on));
    statement.exchange(soci::into(ended_on));
    statement.exchange(soci::into(note));
    statement.exchange(soci::into(relationship.created_at));
  }
  [[nodiscard]] Relationship Get() const {
    Relationship out = relationship;
    out.started_on = FromNullable(started_on);
    out.ended_on = FromNullable(ended_on);
    out.note = FromNullable(note);
    return out;
  }
};

constexpr const char* kRelationshipColumns =
    "SELECT id, person_id, related_id, kind, started_on, ended_on, note, created_at FROM relationships";

struct HouseholdRow {
  Household household;
  boost::optional<std::string> name;
  boost::optional<long long> unit;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(household.id));
    statement.exchange(soci::into(household.kind));
    statement.exchange(soci::into(name));
    statement.exchange(soci::into(unit));
    statement.exchange(soci::into(household.version));
    statement.exchange(soci::into(household.created_at));
  }
  [[nodiscard]] Household Get() const {
    Household out = household;
    out.name = FromNullable(name);
    out.created_by_unit = FromNullable(unit);
    return out;
  }
};

struct MemberRow {
  HouseholdMember member;
  boost::optional<std::string> joined_on, left_on;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(member.id));
    statement.exchange(soci::into(member.household_id));
    statement.exchange(soci::into(member.person_id));
    statement.exchange(soci::into(member.role));
    statement.exchange(soci::into(joined_on));
    statement.exchange(soci::into(left_on));
  }
  [[nodiscard]] HouseholdMember Get() const {
    HouseholdMember out = member;
    out.joined_on = FromNullable(joined_on);
    out.left_on = FromNullable(left_on);
    return out;
  }
};

std::vector<HouseholdMember> Members(soci::session& sql, long long household_id) {
  return db::SelectRows<MemberRow>(
      sql,
      "SELECT id, household_id, person_id, role, joined_on, left_on FROM household_members "
      "WHERE household_id = :household ORDER BY id",
      [&](soci::statement& s) { s.exchange(soci::use(household_id, "household")); });
}

}  // namespace

std::string_view InverseRelationship(std::string_view kind) {
  if (kind == "parent") return "child";
  if (kind == "child") return "parent";
  if (kind == "guardian") return "ward";
  if (kind == "ward") return "guardian";
  if (kind == "carer") return "cared_for";
  if (kind == "cared_for") return "carer";
  return kind;
}

bool IsRelationshipKind(std::string_view kind) {
  for (std::string_view known :
       {"spouse", "parent", "child", "sibling", "guardian", "ward", "carer", "cared_for", "other"}) {
    if (kind == known) return true;
  }
  return false;
}

bool IsHouseholdRole(std::string_view role) {
  for (std::string_view known :
       {"head", "spouse", "child", "parent", "sibling", "grandparent", "grandchild", "other"}) {
    if (role == known) return true;
  }
  return false;
}

long long FamilyStore::InsertRelationship(soci::session& sql, Relationship& relationship) {
  const auto started = Nullable(relationship.started_on);
  const auto ended = Nullable(relationship.ended_on);
  const auto note = Nullable(relationship.note);
  sql << "INSERT INTO relationships (person_id, related_id, kind, started_on, ended_on, note, created_at) "
         "VALUES (:p, :r, :kind, :started, :ended, :note, :now) RETURNING id",
      soci::use(relationship.person_id), soci::use(relationship.related_id), soci::use(relationship.kind),
      soci::use(started), soci::use(ended), soci::use(note), soci::use(relationship.created_at),
      soci::into(relationship.id);
  return relationship.id;
}

std::optional<Relationship> FamilyStore::FindRelationship(soci::session& sql, long long id) {
  auto rows = db::SelectRows<RelationshipRow>(sql, std::string(kRelationshipColumns) + " WHERE id = :id",
                                              [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<Relationship> FamilyStore::RelationshipsOf(soci::session& sql, long long person_id) {
  return db::SelectRows<RelationshipRow>(
      sql, std::string(kRelationshipColumns) + " WHERE person_id = :a OR related_id = :b ORDER BY id",
      [&](soci::statement& s) {
        s.exchange(soci::use(person_id, "a"));
        s.exchange(soci::use(person_id, "b"));
      });
}

void FamilyStore::DeleteRelationship(soci::session& sql, long long id) {
  sql << "DELETE FROM relationships WHERE id = :id", soci::use(id);
}

long long FamilyStore::InsertHousehold(soci::session& sql, Household& household) {
  const auto name = Nullable(household.name);
  const auto unit = Nullable(household.created_by_unit);
  const auto external_ref = Nullable(household.external_ref);
  sql << "INSERT INTO households (kind, name, created_by_unit, external_ref, version, created_at, updated_at) "
         "VALUES (:kind, :name, :unit, :ref, 1, :now, :now2) RETURNING id",
      soci::use(household.kind), soci::use(name), soci::use(unit), soci::use(external_ref),
      soci::use(household.created_at), soci::use(household.created_at), soci::into(household.id);
  for (auto& member : household.members) {
    member.household_id = household.id;
    InsertMember(sql, member, household.created_at);
  }
  return household.id;
}

std::optional<Household> FamilyStore::FindHousehold(soci::session& sql, long long id) {
  auto rows = db::SelectRows<HouseholdRow>(
      sql, "SELECT id, kind, name, created_by_unit, version, created_at FROM households WHERE id = :id",
      [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (rows.empty()) return std::nullopt;
  Household household = rows.front();
  household.members = Members(sql, id);
  return household;
}

std::optional<long long> FamilyStore::HouseholdByRef(soci::session& sql, const std::string& external_ref) {
  long long id = 0;
  soci::indicator found = soci::i_null;
  sql << "SELECT id FROM households WHERE external_ref = :ref ORDER BY id LIMIT 1", soci::use(external_ref),
      soci::into(id, found);
  if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
  return id;
}

std::vector<Household> FamilyStore::HouseholdsOf(soci::session& sql, long long person_id) {
  auto rows = db::SelectRows<HouseholdRow>(
      sql,
      "SELECT id, kind, name, created_by_unit, version, created_at FROM households WHERE id IN "
      "(SELECT household_id FROM household_members WHERE person_id = :person) ORDER BY id",
      [&](soci::statement& s) { s.exchange(soci::use(person_id, "person")); });
  for (auto& household : rows) household.members = Members(sql, household.id);
  return rows;
}

long long FamilyStore::InsertMember(soci::session& sql, HouseholdMember& member, const std::string& now) {
  const auto joined = Nullable(member.joined_on);
  const auto left = Nullable(member.left_on);
  sql << "INSERT INTO household_members (household_id, person_id, role, joined_on, left_on, created_at) "
         "VALUES (:h, :p, :role, :joined, :left, :now) RETURNING id",
      soci::use(member.household_id), soci::use(member.person_id), soci::use(member.role), soci::use(joined),
      soci::use(left), soci::use(now), soci::into(member.id);
  return member.id;
}

void FamilyStore::EndMembership(soci::session& sql, long long member_id, const std::string& left_on) {
  sql << "UPDATE household_members SET left_on = :left WHERE id = :id", soci::use(left_on), soci::use(member_id);
}

void FamilyStore::TouchHousehold(soci::session& sql, long long id, const std::string& now) {
  sql << "UPDATE households SET version = version + 1, updated_at = :now WHERE id = :id", soci::use(now), soci::use(id);
}

}  // namespace welfare::registry
