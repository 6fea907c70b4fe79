#include "registry/merge_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "registry/json_values.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

json::value Parsed(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(text) : value;
}

std::vector<long long> IdArray(const json::object& moved, std::string_view key) {
  std::vector<long long> ids;
  if (const auto* value = moved.if_contains(key); value != nullptr && value->is_array()) {
    for (const auto& id : value->as_array()) ids.push_back(id.to_number<long long>());
  }
  return ids;
}

json::array IdJson(const std::vector<long long>& ids) {
  json::array out;
  for (long long id : ids) out.push_back(id);
  return out;
}

/// The value of a takeable main field, as JSON.
json::value FieldValue(const Person& person, const std::string& field) {
  if (field == "chinese_name") return Text(person.chinese_name);
  if (field == "family_name_en") return Text(person.family_name_en);
  if (field == "given_names_en") return Text(person.given_names_en);
  if (field == "sex") return json::value(person.sex);
  if (field == "birth_date") return Text(person.birth_date);
  if (field == "birth_precision") return Text(person.birth_precision);
  if (field == "death_date") return Text(person.death_date);
  return nullptr;
}

void SetField(Person& person, const std::string& field, const json::value& value) {
  auto text = [&]() -> std::optional<std::string> {
    if (value.is_string()) return std::string(value.as_string());
    return std::nullopt;
  };
  if (field == "chinese_name") person.chinese_name = text();
  if (field == "family_name_en") person.family_name_en = text();
  if (field == "given_names_en") person.given_names_en = text();
  if (field == "sex") person.sex = text().value_or("unknown");
  if (field == "birth_date") person.birth_date = text();
  if (field == "birth_precision") person.birth_precision = text();
  if (field == "death_date") person.death_date = text();
}

Error Merged(const Person& person) {
  Error error = Error::Make(Canonical::kFailedPrecondition, "record_merged");
  error.extra["merged_into"] = Int(person.merged_into);
  return error;
}

}  // namespace

const std::vector<std::string>& MergeService::TakeableFields() {
  static const std::vector<std::string> fields = {"chinese_name", "family_name_en",  "given_names_en", "sex",
                                                  "birth_date",   "birth_precision", "death_date"};
  return fields;
}

json::object ToJson(const DuplicatePair& pair) {
  return {{"id", pair.id},
          {"left_id", pair.left_id},
          {"right_id", pair.right_id},
          {"weight", pair.weight},
          {"probability", pair.probability},
          {"agreements", Parsed(pair.agreements)},
          {"source", pair.source},
          {"status", pair.status},
          {"job_id", Int(pair.job_id)},
          {"note", Text(pair.note)},
          {"created_at", pair.created_at},
          {"decided_by", Int(pair.decided_by)},
          {"decided_at", Text(pair.decided_at)},
          {"version", pair.version}};
}

json::object ToJson(const MergeRecord& merge) {
  return {{"id", merge.id},
          {"survivor_id", merge.survivor_id},
          {"merged_id", merge.merged_id},
          {"pair_id", Int(merge.pair_id)},
          {"reason", merge.reason},
          {"moved", Parsed(merge.moved)},
          {"merged_by", Int(merge.merged_by)},
          {"merged_at", merge.merged_at},
          {"undone_by", Int(merge.undone_by)},
          {"undone_at", Text(merge.undone_at)}};
}

Result<std::vector<PairDetail>> MergeService::ListPairs(const auth::Context& /*context*/, const std::string& status,
                                                        const std::optional<std::string>& after, int limit) {
  std::optional<std::pair<double, long long>> cursor;
  if (after && !after->empty()) {
    const size_t colon = after->find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument("cursor");
      cursor = std::make_pair(std::stod(after->substr(0, colon)), std::stoll(after->substr(colon + 1)));
    } catch (const std::exception&) {
      return Fail(Error::Validation({{"after", "invalid_format", {{"hint", "probability:id"}}}}));
    }
  }
  return database_.Read<std::vector<PairDetail>>([&](soci::session& sql) -> Result<std::vector<PairDetail>> {
    std::vector<PairDetail> details;
    for (const auto& pair : duplicates_.Pairs(sql, status, cursor, limit)) {
      PairDetail detail{pair, persons_.StewardView(sql, pair.left_id), persons_.StewardView(sql, pair.right_id)};
      details.push_back(std::move(detail));
    }
    return details;
  });
}

Result<long long> MergeService::CountOpenPairs(const auth::Context& /*context*/) {
  return database_.Read<long long>(
      [&](soci::session& sql) -> Result<long long> { return duplicates_.CountPairs(sql, "open"); });
}

Result<PairDetail> MergeService::GetPair(const auth::Context& context, long long id) {
  auto detail = database_.Read<PairDetail>([&](soci::session& sql) -> Result<PairDetail> {
    auto pair = duplicates_.FindPair(sql, id);
    if (!pair) return Fail(Error::NotFound("pair " + std::to_string(id)));
    return PairDetail{*pair, persons_.StewardView(sql, pair->left_id), persons_.StewardView(sql, pair->right_id)};
  });
  if (detail) {
    for (long long person_id : {detail->pair.left_id, detail->pair.right_id}) {
      audit_.AppendNow(context.actor, {"person.view", "person", std::to_string(person_id),
                                       json::object{{"access", "duplicate_review"}, {"pair_id", id}}});
    }
  }
  return detail;
}

Result<DuplicatePair> MergeService::Decide(const auth::Context& context, long long id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "decision", "note"});
  const long long version = reader.RequiredInt("version");
  const std::string decision = reader.RequiredString("decision", 1, 20);
  const auto note = reader.OptionalString("note", 0, 1000);
  if (!decision.empty() && decision != "distinct" && decision != "deferred" && decision != "open") {
    reader.Add("decision", "invalid_choice", {{"choices", "distinct, deferred, open"}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<DuplicatePair>([&](soci::session& sql) -> Result<DuplicatePair> {
    auto pair = duplicates_.FindPair(sql, id);
    if (!pair) return Fail(Error::NotFound("pair " + std::to_string(id)));
    if (pair->status == "merged") {
      return Fail(Error::Make(Canonical::kFailedPrecondition, "invalid_transition", "pair already merged"));
    }
    if (pair->version != version) return Fail(Error::Conflict(pair->version));
    const std::string now = FormatTime(Now());
    if (!duplicates_.DecidePair(sql, id, version, decision, note, context.principal.staff_id, now)) {
      return Fail(Error::Conflict(pair->version));
    }
    audit_.Append(sql, context.actor,
                  {"duplicate.decide", "duplicate_pair", std::to_string(id),
                   json::object{{"status", json::object{{"from", pair->status}, {"to", decision}}},
                                {"left_id", pair->left_id},
                                {"right_id", pair->right_id},
                                {"note", Text(note)}}});
    return *duplicates_.FindPair(sql, id);
  });
}

Result<MergeRecord> MergeService::Merge(const auth::Context& context, long long survivor_id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"merged_id", "reason", "pair_id", "take_from_merged"});
  const long long merged_id = reader.RequiredInt("merged_id");
  const std::string reason = reader.RequiredString("reason", 1, 2000);
  const auto pair_id = reader.OptionalInt("pair_id");
  const auto take = reader.OptionalStringArray("take_from_merged").value_or(std::vector<std::string>{});
  if (!reason.empty() && Utf8Length(reason) < kMinimumReason) {
    reader.Add("reason", "reason_too_short", {{"min", std::to_string(kMinimumReason)}});
  }
  for (const auto& field : take) {
    if (std::ranges::find(TakeableFields(), field) == TakeableFields().end()) {
      reader.Add("take_from_merged", "invalid_choice",
                 {{"choices", "chinese_name, family_name_en, given_names_en, sex, birth_date, birth_precision, "
                              "death_date"}});
    }
  }
  if (merged_id == survivor_id) reader.Add("merged_id", "same_record");
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<MergeRecord>([&](soci::session& sql) -> Result<MergeRecord> {
    auto survivor = store_.Load(sql, survivor_id);
    auto merged = store_.Load(sql, merged_id);
    if (!survivor) return Fail(Error::NotFound("person " + std::to_string(survivor_id)));
    if (!merged) return Fail(Error::Validation({{"merged_id", "not_found"}}));
    if (survivor->status != "active") return Fail(Merged(*survivor));
    if (merged->status != "active") return Fail(Merged(*merged));
    if (duplicates_.Related(sql, survivor_id, merged_id)) {
      return Fail(Error::Validation({{"merged_id", "related_records"}}));
    }
    std::optional<DuplicatePair> pair;
    if (pair_id) {
      pair = duplicates_.FindPair(sql, *pair_id);
      if (!pair || std::min(survivor_id, merged_id) != pair->left_id ||
          std::max(survivor_id, merged_id) != pair->right_id) {
        return Fail(Error::Validation({{"pair_id", "not_found"}}));
      }
    } else {
      pair = duplicates_.FindPairOf(sql, survivor_id, merged_id);
    }
    const std::string now = FormatTime(Now());
    json::object moved;
    for (const auto& table : PersonOwnedTables()) {
      const auto ids = duplicates_.OwnedRows(sql, table, merged_id);
      duplicates_.MoveRows(sql, table, "person_id", ids, merged_id, survivor_id);
      moved[table] = IdJson(ids);
    }
    for (const std::string column : {"person_id", "related_id"}) {
      const auto ids = duplicates_.RelationshipRows(sql, column, merged_id);
      duplicates_.MoveRows(sql, "relationships", column, ids, merged_id, survivor_id);
      moved["relationships." + column] = IdJson(ids);
    }
    // The merged record's own names stay findable on the survivor.
    PersonName kept;
    kept.kind = "merged";
    kept.chinese_name = merged->chinese_name;
    kept.family_name_en = merged->family_name_en;
    kept.given_names_en = merged->given_names_en;
    json::array added_names;
    if (kept.chinese_name || kept.family_name_en || kept.given_names_en) {
      store_.InsertName(sql, survivor_id, kept, now);
      added_names.push_back(kept.id);
    }
    moved["added_names"] = std::move(added_names);
    Person next = *survivor;
    json::object before;
    json::object after;
    for (const auto& field : take) {
      before[field] = FieldValue(*survivor, field);
      SetField(next, field, FieldValue(*merged, field));
      after[field] = FieldValue(next, field);
    }
    moved["survivor_before"] = std::move(before);
    moved["survivor_after"] = after;
    if (!store_.UpdateMain(sql, next, survivor->version, now)) return Fail(Error::Conflict(survivor->version));
    duplicates_.SetStatus(sql, merged_id, "merged", survivor_id, now);
    store_.ReplaceSearchKeys(sql, Person{.id = merged_id, .status = "merged"});
    auto reloaded = store_.Load(sql, survivor_id);
    store_.ReplaceSearchKeys(sql, *reloaded);

    MergeRecord merge;
    merge.survivor_id = survivor_id;
    merge.merged_id = merged_id;
    merge.pair_id = pair ? std::optional<long long>(pair->id) : std::nullopt;
    merge.reason = reason;
    merge.moved = json::serialize(moved);
    merge.merged_by = context.principal.staff_id;
    merge.merged_at = now;
    duplicates_.InsertMerge(sql, merge);
    if (pair) {
      if (!duplicates_.DecidePair(sql, pair->id, pair->version, "merged", std::nullopt, context.principal.staff_id,
                                  now)) {
        return Fail(Error::Conflict(pair->version));
      }
    }
    json::object counts;
    for (const auto& [table, ids] : moved) {
      if (ids.is_array()) counts[table] = ids.as_array().size();
    }
    audit_.Append(sql, context.actor,
                  {"person.merge", "person", std::to_string(survivor_id),
                   json::object{{"merge_id", merge.id},
                                {"merged_id", merged_id},
                                {"reason", reason},
                                {"moved", std::move(counts)},
                                {"fields", json::object{{"from", moved["survivor_before"]}, {"to", after}}}}});
    audit_.Append(sql, context.actor,
                  {"person.merge", "person", std::to_string(merged_id),
                   json::object{{"merge_id", merge.id}, {"merged_into", survivor_id}, {"reason", reason}}});
    return merge;
  });
}

Result<MergeRecord> MergeService::Undo(const auth::Context& context, long long merge_id, const json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"reason"});
  const std::string reason = reader.RequiredString("reason", 1, 2000);
  if (!reason.empty() && Utf8Length(reason) < kMinimumReason) {
    reader.Add("reason", "reason_too_short", {{"min", std::to_string(kMinimumReason)}});
  }
  if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
  return database_.Write<MergeRecord>([&](soci::session& sql) -> Result<MergeRecord> {
    auto merge = duplicates_.FindMerge(sql, merge_id);
    if (!merge) return Fail(Error::NotFound("merge " + std::to_string(merge_id)));
    if (merge->undone_at) return Fail(Error::Make(Canonical::kFailedPrecondition, "already_undone"));
    auto survivor = store_.Find(sql, merge->survivor_id);
    auto merged = store_.Find(sql, merge->merged_id);
    if (!survivor || !merged) return Fail(Error::Internal("merged records missing"));
    // A later merge of the survivor into another record must be undone first.
    if (survivor->status != "active")
      return Fail(Error::Make(Canonical::kFailedPrecondition, "undo_later_merge_first"));
    if (merged->status != "merged" || merged->merged_into != merge->survivor_id) {
      return Fail(Error::Make(Canonical::kFailedPrecondition, "invalid_transition", "merged record changed"));
    }
    const json::object moved = Parsed(merge->moved).as_object();
    const std::string now = FormatTime(Now());
    json::object returned;
    for (const auto& table : PersonOwnedTables()) {
      const auto ids = IdArray(moved, table);
      returned[table] = duplicates_.MoveRows(sql, table, "person_id", ids, merge->survivor_id, merge->merged_id);
    }
    for (const std::string column : {"person_id", "related_id"}) {
      const auto ids = IdArray(moved, "relationships." + column);
      returned["relationships." + column] =
          duplicates_.MoveRows(sql, "relationships", column, ids, merge->survivor_id, merge->merged_id);
    }
    duplicates_.DeleteNames(sql, IdArray(moved, "added_names"));
    // Fields taken from the merged record go back unless someone changed them since.
    Person next = *survivor;
    json::array kept_changes;
    if (const auto* before = moved.if_contains("survivor_before"); before != nullptr && before->is_object()) {
      const auto& after = moved.at("survivor_after").as_object();
      for (const auto& [field, value] : before->as_object()) {
        const std::string name(field);
        if (FieldValue(*survivor, name) == after.at(field)) {
          SetField(next, name, value);
        } else {
          kept_changes.push_back(json::value(name));
        }
      }
    }
    if (!store_.UpdateMain(sql, next, survivor->version, now)) return Fail(Error::Conflict(survivor->version));
    duplicates_.SetStatus(sql, merge->merged_id, "active", std::nullopt, now);
    for (long long person_id : {merge->survivor_id, merge->merged_id}) {
      auto reloaded = store_.Load(sql, person_id);
      store_.ReplaceSearchKeys(sql, *reloaded);
    }
    duplicates_.MarkUndone(sql, merge_id, context.principal.staff_id, now);
    if (merge->pair_id) {
      if (auto pair = duplicates_.FindPair(sql, *merge->pair_id)) {
        (void)duplicates_.DecidePair(sql, pair->id, pair->version, "open", std::nullopt, context.principal.staff_id,
                                     now);
      }
    }
    for (long long person_id : {merge->survivor_id, merge->merged_id}) {
      audit_.Append(sql, context.actor,
                    {"person.unmerge", "person", std::to_string(person_id),
                     json::object{{"merge_id", merge_id},
                                  {"survivor_id", merge->survivor_id},
                                  {"merged_id", merge->merged_id},
                                  {"reason", reason},
                                  {"returned", returned},
                                  {"kept_changes", kept_changes}}});
    }
    return *duplicates_.FindMerge(sql, merge_id);
  });
}

Result<std::vector<MergeRecord>> MergeService::MergesOf(const auth::Context& context, long long person_id) {
  const bool steward = context.principal.Has(auth::perm::kPersonsMerge);
  return database_.Read<std::vector<MergeRecord>>([&](soci::session& sql) -> Result<std::vector<MergeRecord>> {
    auto person = store_.Find(sql, person_id);
    if (!person) return Fail(Error::NotFound("person " + std::to_string(person_id)));
    if (!steward && persons_.AccessFor(sql, context, *person) == Access::kNone) {
      return Fail(Error::Make(Canonical::kPermissionDenied, "access_restricted"));
    }
    return duplicates_.MergesOf(sql, person_id);
  });
}

}  // namespace welfare::registry
