#include "registry/family_service.hpp"

#include <set>

#include "core/json.hpp"
#include "core/time.hpp"
#include "registry/dates.hpp"
#include "registry/json_values.hpp"
#include "registry/text.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

std::optional<std::string> OptionalDay(JsonReader& reader, const std::string& field) {
  auto text = reader.OptionalString(field, 0, 20);
  if (!text || text->empty()) return std::nullopt;
  auto date = ParsePartialDate(*text);
  if (!date || date->day == 0) {
    reader.Add(field, "invalid_date");
    return std::nullopt;
  }
  return date->text;
}

json::object MemberJson(const HouseholdMember& member) {
  return {{"id", member.id},
          {"person_id", member.person_id},
          {"role", member.role},
          {"joined_on", Text(member.joined_on)},
          {"left_on", Text(member.left_on)}};
}

HouseholdMember ReadMember(JsonReader& reader) {
  HouseholdMember member;
  member.person_id = reader.RequiredInt("person_id");
  member.role = reader.RequiredString("role", 1, 20);
  if (!member.role.empty() && !IsHouseholdRole(member.role)) {
    reader.Add("role", "invalid_choice",
               {{"choices", "head, spouse, child, parent, sibling, grandparent, grandchild, other"}});
  }
  member.joined_on = OptionalDay(reader, "joined_on");
  return member;
}

}  // namespace

json::object ToJson(const Relationship& relationship) {
  return {{"id", relationship.id},
          {"person_id", relationship.person_id},
          {"related_id", relationship.related_id},
          {"kind", relationship.kind},
          {"started_on", Text(relationship.started_on)},
          {"ended_on", Text(relationship.ended_on)},
          {"note", Text(relationship.note)},
          {"created_at", relationship.created_at}};
}

json::object ToJson(const Household& household) {
  json::array members;
  for (const auto& member : household.members) members.push_back(MemberJson(member));
  return {{"id", household.id},
          {"kind", household.kind},
          {"name", Text(household.name)},
          {"version", household.version},
          {"created_at", household.created_at},
          {"members", std::move(members)}};
}

Result<json::object> FamilyService::Family(const auth::Context& context, long long person_id) {
  return database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    auto views = persons_.Views(sql, context, {person_id});
    const auto self = views.find(person_id);
    if (self == views.end()) return Fail(Error::NotFound("person " + std::to_string(person_id)));
    if (self->second.access == Access::kNone) {
      return Fail(Error::Make(Canonical::kPermissionDenied, "access_restricted", "family"));
    }
    const auto relationships = store_.RelationshipsOf(sql, person_id);
    const auto households = store_.HouseholdsOf(sql, person_id);
    std::set<long long> others;
    for (const auto& relationship : relationships) {
      others.insert(relationship.person_id == person_id ? relationship.related_id : relationship.person_id);
    }
    for (const auto& household : households) {
      for (const auto& member : household.members) {
        if (member.person_id != person_id) others.insert(member.person_id);
      }
    }
    const auto other_views = persons_.Views(sql, context, {others.begin(), others.end()});
    auto brief = [&](long long id) -> json::value {
      const auto found = other_views.find(id);
      if (found == other_views.end()) return json::object{{"id", id}, {"access", "restricted"}};
      return persons_.BriefJson(found->second, context.locale);
    };
    json::array links;
    for (const auto& relationship : relationships) {
      const bool forward = relationship.person_id == person_id;
      const long long other = forward ? relationship.related_id : relationship.person_id;
      // "kind" is what the other person is to this one: a stored "A is parent of B" reads "B: child" on A's page.
      json::object link = ToJson(relationship);
      link["kind"] = std::string(forward ? InverseRelationship(relationship.kind) : relationship.kind);
      link["person"] = brief(other);
      links.push_back(std::move(link));
    }
    json::array homes;
    for (const auto& household : households) {
      json::object home = ToJson(household);
      json::array members;
      for (const auto& member : household.members) {
        json::object entry = MemberJson(member);
        entry["person"] =
            member.person_id == person_id ? persons_.BriefJson(self->second, context.locale) : brief(member.person_id);
        members.push_back(std::move(entry));
      }
      home["members"] = std::move(members);
      homes.push_back(std::move(home));
    }
    return json::object{{"relationships", std::move(links)}, {"households", std::move(homes)}};
  });
}

Result<Relationship> FamilyService::AddRelationship(const auth::Context& context, long long person_id,
                                                    const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"related_id", "kind", "started_on", "ended_on", "note"});
  Relationship relationship;
  relationship.person_id = person_id;
  relationship.related_id = reader.RequiredInt("related_id");
  relationship.kind = reader.RequiredString("kind", 1, 20);
  if (!relationship.kind.empty() && !IsRelationshipKind(relationship.kind)) {
    reader.Add("kind", "invalid_choice",
               {{"choices", "spouse, parent, child, sibling, guardian, ward, carer, cared_for, other"}});
  }
  relationship.started_on = OptionalDay(reader, "started_on");
  relationship.ended_on = OptionalDay(reader, "ended_on");
  if (auto note = reader.OptionalString("note", 0, 500); note && !note->empty())
    relationship.note = NormalizeText(*note);
  if (relationship.related_id == person_id) reader.Add("related_id", "self_relationship");
  if (relationship.started_on && relationship.ended_on && *relationship.ended_on < *relationship.started_on) {
    reader.Add("ended_on", "before_start", {{"started_on", *relationship.started_on}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Relationship>([&](soci::session& sql) -> Result<Relationship> {
    auto person = persons_.LoadForChange(sql, context, person_id);
    if (!person) return Fail(person.error());
    auto related = persons_.Views(sql, context, {relationship.related_id});
    if (!related.contains(relationship.related_id) || related.at(relationship.related_id).person.status != "active") {
      return Fail(Error::Validation({{"related_id", "not_found"}}));
    }
    for (const auto& existing : store_.RelationshipsOf(sql, person_id)) {
      const bool same_pair = (existing.person_id == person_id && existing.related_id == relationship.related_id) ||
                             (existing.related_id == person_id && existing.person_id == relationship.related_id);
      if (same_pair && !existing.ended_on) return Fail(Error::Validation({{"related_id", "taken"}}));
    }
    relationship.created_at = FormatTime(Now());
    store_.InsertRelationship(sql, relationship);
    const json::object recorded = ToJson(relationship);
    audit_.Append(sql, context.actor,
                  {"person.relationship_add", "person", std::to_string(person_id), json::object{{"to", recorded}}});
    audit_.Append(
        sql, context.actor,
        {"person.relationship_add", "person", std::to_string(relationship.related_id), json::object{{"to", recorded}}});
    return relationship;
  });
}

Status FamilyService::RemoveRelationship(const auth::Context& context, long long person_id, long long relationship_id) {
  auto removed = database_.Write<bool>([&](soci::session& sql) -> Result<bool> {
    auto person = persons_.LoadForChange(sql, context, person_id);
    if (!person) return Fail(person.error());
    auto relationship = store_.FindRelationship(sql, relationship_id);
    if (!relationship || (relationship->person_id != person_id && relationship->related_id != person_id)) {
      return Fail(Error::NotFound("relationship " + std::to_string(relationship_id)));
    }
    store_.DeleteRelationship(sql, relationship_id);
    const json::object recorded = ToJson(*relationship);
    for (long long id : {relationship->person_id, relationship->related_id}) {
      audit_.Append(sql, context.actor,
                    {"person.relationship_remove", "person", std::to_string(id), json::object{{"from", recorded}}});
    }
    return true;
  });
  if (!removed) return Fail(removed.error());
  return {};
}

Status FamilyService::RequireHouseholdAccess(soci::session& sql, const auth::Context& context,
                                             const Household& household, std::optional<long long> extra) {
  std::vector<long long> candidates;
  for (const auto& member : household.members) {
    if (!member.left_on) candidates.push_back(member.person_id);
  }
  if (extra) candidates.push_back(*extra);
  for (long long id : candidates) {
    if (persons_.LoadForChange(sql, context, id)) return {};
  }
  return Fail(Error::Make(Canonical::kPermissionDenied, "access_restricted", "household"));
}

Result<Household> FamilyService::CreateHousehold(const auth::Context& context, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"kind", "name", "members"});
  Household household;
  household.kind = reader.RequiredString("kind", 1, 20);
  if (!household.kind.empty() && household.kind != "registered" && household.kind != "living_together") {
    reader.Add("kind", "invalid_choice", {{"choices", "registered, living_together"}});
  }
  if (auto name = reader.OptionalString("name", 0, 120); name && !name->empty()) household.name = NormalizeText(*name);
  const auto* members = body.if_contains("members");
  if (members == nullptr || !members->is_array() || members->as_array().empty()) {
    reader.Add("members", "required");
  } else {
    size_t index = 0;
    for (const auto& item : members->as_array()) {
      const std::string prefix = "members." + std::to_string(index++);
      if (!item.is_object()) {
        reader.Add(prefix, "invalid_type", {{"expected", "object"}});
        continue;
      }
      JsonReader inner(item.as_object());
      household.members.push_back(ReadMember(inner));
      if (auto valid = inner.Finish(); !valid) {
        for (const auto& field : valid.error().fields) reader.Add(prefix + "." + field.field, field.code, field.params);
      }
    }
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Household>([&](soci::session& sql) -> Result<Household> {
    std::vector<long long> ids;
    for (const auto& member : household.members) ids.push_back(member.person_id);
    const auto views = persons_.Views(sql, context, ids);
    FieldErrors errors;
    for (size_t index = 0; index < ids.size(); ++index) {
      if (!views.contains(ids[index]) || views.at(ids[index]).person.status != "active") {
        errors.Add("members." + std::to_string(index) + ".person_id", "not_found");
      }
    }
    for (size_t index = 0; index < ids.size(); ++index) {
      if (std::find(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(index), ids[index]) !=
          ids.begin() + static_cast<std::ptrdiff_t>(index)) {
        errors.Add("members." + std::to_string(index) + ".person_id", "duplicate_in_request");
      }
    }
    if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
    if (auto allowed = RequireHouseholdAccess(sql, context, household, std::nullopt); !allowed) {
      return Fail(allowed.error());
    }
    household.created_at = FormatTime(Now());
    household.created_by_unit = context.principal.unit_id;
    store_.InsertHousehold(sql, household);
    const json::object recorded = ToJson(household);
    for (long long id : ids) {
      audit_.Append(sql, context.actor,
                    {"household.create", "person", std::to_string(id), json::object{{"to", recorded}}});
    }
    return *store_.FindHousehold(sql, household.id);
  });
}

Result<Household> FamilyService::AddMember(const auth::Context& context, long long household_id,
                                           const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"person_id", "role", "joined_on"});
  HouseholdMember member = ReadMember(reader);
  member.household_id = household_id;
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Household>([&](soci::session& sql) -> Result<Household> {
    auto household = store_.FindHousehold(sql, household_id);
    if (!household) return Fail(Error::NotFound("household " + std::to_string(household_id)));
    const auto views = persons_.Views(sql, context, {member.person_id});
    if (!views.contains(member.person_id) || views.at(member.person_id).person.status != "active") {
      return Fail(Error::Validation({{"person_id", "not_found"}}));
    }
    for (const auto& existing : household->members) {
      if (existing.person_id == member.person_id && !existing.left_on) {
        return Fail(Error::Validation({{"person_id", "taken"}}));
      }
    }
    if (auto allowed = RequireHouseholdAccess(sql, context, *household, member.person_id); !allowed) {
      return Fail(allowed.error());
    }
    const std::string now = FormatTime(Now());
    store_.InsertMember(sql, member, now);
    store_.TouchHousehold(sql, household_id, now);
    audit_.Append(sql, context.actor,
                  {"household.member_add", "person", std::to_string(member.person_id),
                   json::object{{"household_id", household_id}, {"role", member.role}}});
    return *store_.FindHousehold(sql, household_id);
  });
}

Result<Household> FamilyService::EndMembership(const auth::Context& context, long long household_id,
                                               long long member_id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"left_on"});
  const auto left_on = OptionalDay(reader, "left_on");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<Household>([&](soci::session& sql) -> Result<Household> {
    auto household = store_.FindHousehold(sql, household_id);
    if (!household) return Fail(Error::NotFound("household " + std::to_string(household_id)));
    const auto member =
        std::ranges::find_if(household->members, [&](const auto& item) { return item.id == member_id; });
    if (member == household->members.end()) return Fail(Error::NotFound("member " + std::to_string(member_id)));
    if (member->left_on) return Fail(Error::Make(Canonical::kFailedPrecondition, "already_left"));
    if (auto allowed = RequireHouseholdAccess(sql, context, *household, std::nullopt); !allowed) {
      return Fail(allowed.error());
    }
    const std::string now = FormatTime(Now());
    const std::string left = left_on.value_or(now.substr(0, 10));
    if (member->joined_on && left < *member->joined_on) {
      return Fail(Error::Validation({{"left_on", "before_start", {{"started_on", *member->joined_on}}}}));
    }
    store_.EndMembership(sql, member_id, left);
    store_.TouchHousehold(sql, household_id, now);
    audit_.Append(sql, context.actor,
                  {"household.member_leave", "person", std::to_string(member->person_id),
                   json::object{{"household_id", household_id}, {"left_on", left}}});
    return *store_.FindHousehold(sql, household_id);
  });
}

}  // namespace welfare::registry
