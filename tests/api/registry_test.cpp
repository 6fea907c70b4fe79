// The client registry through the API: registration with the duplicate check, search, the record and its
// history, and the need-to-know rule tried through every endpoint that returns person data.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/json.hpp>

#include "helpers.hpp"
#include "person_builder.hpp"
#include "registry/identity.hpp"

namespace welfare::testing {
namespace {

namespace json = boost::json;

std::string PersonPath(long long id) { return "/api/v1/persons/" + std::to_string(id); }

std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char character : text) {
    if (std::isalnum(character) || character == '-' || character == '.' || character == '_') {
      out.push_back(static_cast<char>(character));
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", character);
      out += buffer;
    }
  }
  return out;
}

json::array Hits(Client& client, const std::string& query) {
  const Reply reply = client.Get("/api/v1/persons?q=" + Encode(query));
  if (reply.status != 200) throw std::runtime_error("search: " + reply.body);
  return reply.Json().at("items").as_array();
}

const json::value* HitFor(const json::array& hits, long long id) {
  for (const auto& hit : hits) {
    if (Int(hit.at("person"), "id") == id) return &hit;
  }
  return nullptr;
}

/// A signed-in staff member of a unit with a role, made for one test.
Client StaffAt(const std::string& unit, const std::string& role) {
  StaffBuilder builder;
  builder.WithRole(role).WithUnit(unit);
  (void)builder.Create();
  return ReadyAccount(builder).first;
}

Client Clerk() {
  Client clerk(Port());
  if (SignIn(clerk, "clerk", "OpenWelfare-clerk-2026").status != 200) throw std::runtime_error("clerk sign-in");
  return clerk;
}

// ---------------------------------------------------------------------------------------------
TEST(Registry, RegisterSearchAndViewTheRecord) {
  Client worker = Worker();
  const PersonBuilder builder;
  const json::value person = builder.Create(worker);
  const long long id = Int(person, "id");
  EXPECT_EQ(Text(person, "access"), "full");
  EXPECT_EQ(Text(person, "access_reason"), "involvement");
  EXPECT_EQ(Text(person.at("documents").at(0), "number"), builder.hkid);
  EXPECT_EQ(Text(person, "birth_precision"), "full");

  // By identity number, typed with brackets and in lower case.
  std::string typed = builder.hkid;
  typed[0] = static_cast<char>(std::tolower(typed[0]));
  typed.insert(typed.size() - 1, "(");
  typed += ")";
  const auto by_document = Hits(worker, typed);
  ASSERT_NE(HitFor(by_document, id), nullptr) << typed;
  EXPECT_EQ(Text(HitFor(by_document, id)->at("reasons").at(0), "field"), "document");

  // By the Chinese name in Simplified characters with the date of birth.
  const auto by_name = Hits(worker, "陈" + builder.chinese_name.substr(3) + " " + builder.birth_date);
  ASSERT_NE(HitFor(by_name, id), nullptr);
  EXPECT_GE(Int(*HitFor(by_name, id), "score"), 50);

  // By the English name given first, with another romanisation of the surname.
  const auto by_english = Hits(worker, builder.given + " Chen");
  ASSERT_NE(HitFor(by_english, id), nullptr);
  // A hit is a summary: no documents or phone numbers.
  EXPECT_FALSE(HitFor(by_english, id)->at("person").as_object().contains("documents"));
  EXPECT_FALSE(HitFor(by_english, id)->at("person").as_object().contains("contacts"));

  // By phone number, with a country code.
  ASSERT_NE(HitFor(Hits(worker, "+852 " + builder.phone), id), nullptr);

  const Reply viewed = worker.Get(PersonPath(id));
  ASSERT_EQ(viewed.status, 200) << viewed.body;
  EXPECT_EQ(Text(viewed.Json(), "chinese_name"), builder.chinese_name);
  EXPECT_TRUE(Contains(Actions(AuditEntries("record_type=person&record_id=" + std::to_string(id))), "person.view"));
  EXPECT_TRUE(Contains(Actions(AuditEntries("record_type=person&record_id=" + std::to_string(id))), "person.create"));
  // The trail shows identity numbers masked only.
  for (const auto& entry : AuditEntries("record_type=person&record_id=" + std::to_string(id))) {
    EXPECT_EQ(json::serialize(entry).find(builder.hkid), std::string::npos);
  }
}

TEST(Registry, EmptyAndBadSearchesAreRefused) {
  Client worker = Worker();
  EXPECT_EQ(worker.Get("/api/v1/persons?q=").status, 422);
  EXPECT_EQ(worker.Get("/api/v1/persons?q=x&birth_date=1980-13-40").status, 422);
  Client ngo(Port());
  ASSERT_EQ(SignIn(ngo, "ngo", "OpenWelfare-ngo-2026").status, 200);
  EXPECT_EQ(ngo.Get("/api/v1/persons?q=chan").status, 403);
}

TEST(Registry, ValidationNamesEveryField) {
  Client worker = Worker();
  const Reply reply = worker.Post(
      "/api/v1/persons",
      json::object{{"sex", "robot"},
                   {"birth_date", "1980-02-30"},
                   {"death_date", "2100-01-01"},
                   {"languages", json::array{"Cantonese!"}},
                   {"documents", json::array{json::object{{"doc_type", "hkid"}, {"number", "A123456(4)"}},
                                             json::object{{"doc_type", "twid"}, {"number", "A3"}},
                                             json::object{{"doc_type", "library"}, {"number", "123"}}}},
                   {"contacts", json::array{json::object{{"kind", "mobile"}, {"value", "123"}},
                                            json::object{{"kind", "email"}, {"value", "not-an-address"}}}}});
  ASSERT_EQ(reply.status, 422) << reply.body;
  const auto codes = FieldCodes(reply);
  for (const char* expected :
       {"chinese_name:name_required", "sex:invalid_choice", "birth_date:invalid_date", "death_date:in_future",
        "languages:invalid_language", "documents.0.number:check_digit", "documents.1.number:invalid_format",
        "documents.2.doc_type:invalid_choice", "contacts.0.value:invalid_phone", "contacts.1.value:invalid_email"}) {
    EXPECT_TRUE(codes.contains(expected)) << expected << " in " << reply.body;
  }
  worker.set_language("zh-Hant");
  const Reply chinese = worker.Post("/api/v1/persons", json::object{{"sex", "male"}});
  EXPECT_NE(chinese.body.find("請至少填寫中文姓名或英文姓名"), std::string::npos) << chinese.body;
}

TEST(Registry, RegistrationWarnsOfLikelyDuplicatesAndKeepsTheOverride) {
  Client worker = Worker();
  const PersonBuilder first;
  const long long first_id = Int(first.Create(worker), "id");

  PersonBuilder again = first;
  again.hkid = UniqueHkid();
  again.phone = "61234567";
  const int day = std::stoi(first.birth_date.substr(8, 2));
  char near_day[4];
  std::snprintf(near_day, sizeof near_day, "%02d", day <= 25 ? day + 3 : day - 3);
  again.birth_date = first.birth_date.substr(0, 8) + near_day;  // recorded three days off
  again.family = "Chen";
  const Reply warned = worker.Post("/api/v1/persons", again.Body());
  ASSERT_EQ(warned.status, 409) << warned.body;
  EXPECT_EQ(warned.Code(), "possible_duplicates");
  const auto& candidates = warned.Json().at("candidates").as_array();
  ASSERT_NE(HitFor(candidates, first_id), nullptr) << warned.body;

  json::object body = again.Body();
  body["duplicate_override"] = json::object{{"reason", "short"}, {"reviewed_ids", json::array{first_id}}};
  Reply refused = worker.Post("/api/v1/persons", body);
  ASSERT_EQ(refused.status, 422);
  EXPECT_TRUE(FieldCodes(refused).contains("duplicate_override.reason:reason_too_short")) << refused.body;

  body["duplicate_override"] = json::object{
      {"reason", "Different person: twin brother, confirmed by birth certificate"}, {"reviewed_ids", json::array{}}};
  refused = worker.Post("/api/v1/persons", body);
  ASSERT_EQ(refused.status, 422);
  EXPECT_TRUE(FieldCodes(refused).contains("duplicate_override.reviewed_ids:candidates_not_reviewed")) << refused.body;

  body["duplicate_override"] =
      json::object{{"reason", "Different person: twin brother, confirmed by birth certificate"},
                   {"reviewed_ids", json::array{first_id}}};
  const Reply created = worker.Post("/api/v1/persons", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const long long second_id = Int(created.Json(), "id");
  const auto entries = AuditEntries("action=person.duplicate_override&record_id=" + std::to_string(second_id));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(json::serialize(entries.at(0)).find("twin brother"), std::string::npos);

  // The same identity number cannot be registered twice, whatever the override.
  json::object copy = first.Body();
  copy["chinese_name"] = "林" + UniqueChinese();
  copy["duplicate_override"] = body["duplicate_override"];
  const Reply taken = worker.Post("/api/v1/persons", copy);
  ASSERT_EQ(taken.status, 422) << taken.body;
  EXPECT_TRUE(FieldCodes(taken).contains("documents.0.number:document_registered")) << taken.body;

  // The form can ask before it submits.
  const Reply checked = worker.Post("/api/v1/persons/duplicate-check", again.Body());
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_NE(HitFor(checked.Json().at("items").as_array(), first_id), nullptr);
}

TEST(Registry, ChangesAreVersionedAndKeptAsHistory) {
  Client worker = Worker();
  const json::value person = PersonBuilder{}.Create(worker);
  const long long id = Int(person, "id");
  const long long version = Int(person, "version");
  Reply stale = worker.Patch(PersonPath(id), json::object{{"version", version + 5}, {"sex", "female"}});
  ASSERT_EQ(stale.status, 409);
  EXPECT_EQ(stale.Code(), "version_conflict");
  const std::string month = Text(person, "birth_date").substr(0, 7);
  Reply changed = worker.Patch(PersonPath(id), json::object{{"version", version}, {"birth_date", month}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Text(changed.Json(), "birth_precision"), "year_month");

  const std::string alias = "Ah " + UniqueLatin();
  Reply added = worker.Post(
      PersonPath(id) + "/names",
      json::object{{"version", Int(changed.Json(), "version")}, {"kind", "alias"}, {"given_names_en", alias}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_NE(HitFor(Hits(worker, alias), id), nullptr);
  const long long name_id = Int(added.Json().at("names").at(0), "id");
  Reply removed = worker.Delete(PersonPath(id) + "/names/" + std::to_string(name_id) +
                                "?version=" + std::to_string(Int(added.Json(), "version")));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(HitFor(Hits(worker, alias), id), nullptr);

  const Reply history = worker.Get(PersonPath(id) + "/changes");
  ASSERT_EQ(history.status, 200) << history.body;
  std::vector<std::string> actions;
  for (const auto& entry : history.Json().at("items").as_array()) actions.push_back(Text(entry, "action"));
  EXPECT_EQ(actions,
            (std::vector<std::string>{"person.part_remove", "person.part_add", "person.update", "person.create"}));
  const auto& update = history.Json().at("items").at(2).at("changes").at("birth_date");
  EXPECT_EQ(Text(update, "from"), Text(person, "birth_date"));
  EXPECT_EQ(Text(update, "to"), month);
}

TEST(Registry, AnUnrelatedUnitCannotReadTheRecordThroughAnyEndpoint) {
  Client worker = Worker();
  PersonBuilder builder;
  builder.protected_address = true;
  const json::value person = builder.Create(worker);
  const long long id = Int(person, "id");
  const long long version = Int(person, "version");
  const long long involvement_id = [&] {
    const Reply involvements = worker.Get(PersonPath(id) + "/involvements");
    return Int(involvements.Json().at("items").at(0), "id");
  }();
  const long long document_id = Int(person.at("documents").at(0), "id");

  Client clerk = Clerk();
  auto leaks = [&](const Reply& reply) {
    return reply.body.find(builder.chinese_name) != std::string::npos ||
           reply.body.find(builder.given) != std::string::npos || reply.body.find(builder.hkid) != std::string::npos ||
           reply.body.find(builder.phone) != std::string::npos || reply.body.find("英皇道") != std::string::npos;
  };
  // Reads show only that the person is known and whom to contact.
  const Reply viewed = clerk.Get(PersonPath(id));
  ASSERT_EQ(viewed.status, 200);
  EXPECT_EQ(Text(viewed.Json(), "access"), "restricted");
  EXPECT_EQ(Text(viewed.Json().at("contact_units").at(0), "code"), "IFSC-EAST");
  EXPECT_FALSE(leaks(viewed)) << viewed.body;
  const Reply searched = clerk.Get("/api/v1/persons?q=" + Encode(builder.hkid));
  ASSERT_EQ(searched.status, 200);
  ASSERT_NE(HitFor(searched.Json().at("items").as_array(), id), nullptr);
  EXPECT_FALSE(leaks(searched)) << searched.body;
  EXPECT_FALSE(leaks(clerk.Get("/api/v1/persons?q=" + Encode(builder.chinese_name + " " + builder.birth_date))));
  const Reply checked = clerk.Post("/api/v1/persons/duplicate-check", builder.Body());
  EXPECT_FALSE(leaks(checked)) << checked.body;
  json::object again = builder.Body();
  again["documents"] = json::array{};
  const Reply warned = clerk.Post("/api/v1/persons", again);
  EXPECT_EQ(warned.status, 409) << warned.body;
  EXPECT_FALSE(leaks(warned)) << warned.body;
  // Every other endpoint refuses.
  const std::string path = PersonPath(id);
  const std::vector<std::pair<Reply, std::string>> refused = {
      {clerk.Get(path + "/involvements"), "involvements"},
      {clerk.Get(path + "/changes"), "changes"},
      {clerk.Patch(path, json::object{{"version", version}, {"sex", "female"}}), "update"},
      {clerk.Post(path + "/names", json::object{{"version", version}, {"chinese_name", "王五"}}), "add name"},
      {clerk.Post(path + "/contacts", json::object{{"version", version}, {"kind", "mobile"}, {"value", "98765432"}}),
       "add contact"},
      {clerk.Delete(path + "/documents/" + std::to_string(document_id) + "?version=" + std::to_string(version)),
       "remove document"},
      {clerk.Post(path + "/consents", json::object{{"version", version}}), "add consent"},
      {clerk.Post(path + "/consents/1/withdraw", json::object{{"version", version}}), "withdraw consent"},
      {clerk.Post(path + "/involvements/" + std::to_string(involvement_id) + "/end", json::object{}),
       "end involvement"},
  };
  for (const auto& [reply, what] : refused) {
    EXPECT_EQ(reply.status, 403) << what << ": " << reply.body;
    EXPECT_FALSE(leaks(reply)) << what;
  }
  EXPECT_EQ(Int(worker.Get(path).Json(), "version"), version) << "a refused change changed the record";

  // A consent to share with the clerk's unit opens the record, without the protected address.
  const Reply consented =
      worker.Post(path + "/consents",
                  json::object{{"version", version}, {"unit_id", UnitId("HUALIEN-CITY")}, {"note", "書面同意"}});
  ASSERT_EQ(consented.status, 201) << consented.body;
  const Reply shared = clerk.Get(path);
  EXPECT_EQ(Text(shared.Json(), "access"), "shared");
  EXPECT_EQ(Text(shared.Json(), "chinese_name"), builder.chinese_name);
  EXPECT_TRUE(shared.Json().at("address_hidden").as_bool());
  EXPECT_TRUE(shared.Json().at("addresses").as_array().empty());
  EXPECT_TRUE(shared.Json().at("contacts").as_array().empty());
  const long long consent_id = Int(consented.Json().at("consents").at(0), "id");
  const Reply withdrawn = worker.Post(path + "/consents/" + std::to_string(consent_id) + "/withdraw",
                                      json::object{{"version", Int(consented.Json(), "version")}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(Text(clerk.Get(path).Json(), "access"), "restricted");
}

TEST(Registry, EmergencyAccessIsTimeLimitedRecordedAndRaised) {
  Client worker = Worker();
  const PersonBuilder builder;
  const long long id = Int(builder.Create(worker), "id");
  Client clerk = Clerk();
  const Reply short_reason = clerk.Post(PersonPath(id) + "/break-glass", json::object{{"reason", "need it"}});
  ASSERT_EQ(short_reason.status, 422);
  EXPECT_TRUE(FieldCodes(short_reason).contains("reason:reason_too_short"));
  const std::string reason = "Police report: client found unconscious, next of kin needed now";
  const Reply opened = clerk.Post(PersonPath(id) + "/break-glass", json::object{{"reason", reason}});
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(Text(opened.Json(), "access"), "shared");
  EXPECT_EQ(Text(opened.Json(), "access_reason"), "emergency");
  EXPECT_FALSE(Text(opened.Json(), "emergency_until").empty());
  EXPECT_EQ(Text(clerk.Get(PersonPath(id)).Json(), "chinese_name"), builder.chinese_name);
  const auto entries = AuditEntries("action=person.break_glass&record_id=" + std::to_string(id));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(json::serialize(entries.at(0)).find("unconscious"), std::string::npos);

  auto raised = [&](Client& client) {
    const Reply alerts = client.Get("/api/v1/alerts?unread=true");
    for (const auto& alert : alerts.Json().at("items").as_array()) {
      if (Text(alert, "kind") == "break_glass" && Text(alert, "record_id") == std::to_string(id)) {
        return Int(alert, "id");
      }
    }
    return 0LL;
  };
  const long long auditor_alert = raised(Auditor());
  EXPECT_NE(auditor_alert, 0);
  // The clerk's unit has no supervisor in the demo; the county's reviewer is not one either — so only auditors.
  EXPECT_EQ(raised(clerk), 0);
  EXPECT_EQ(Auditor().Post("/api/v1/alerts/" + std::to_string(auditor_alert) + "/read", json::object{}).status, 204);
  EXPECT_EQ(raised(Auditor()), 0);
  EXPECT_EQ(clerk.Post("/api/v1/alerts/" + std::to_string(auditor_alert) + "/read", json::object{}).status, 404);
}

TEST(Registry, RegisteringAtMyUnitGivesTheTeamAccessUntilItEnds) {
  Client worker = Worker();
  const PersonBuilder builder;
  const long long id = Int(builder.Create(worker), "id");
  Client other = StaffAt("IFSC-KC", "caseworker");
  EXPECT_EQ(Text(other.Get(PersonPath(id)).Json(), "access"), "restricted");
  const Reply vague = other.Get("/api/v1/persons?q=" + Encode(builder.given));
  EXPECT_EQ(HitFor(vague.Json().at("items").as_array(), id), nullptr) << "a vague query lists a restricted person";
  const Reply registered =
      other.Post(PersonPath(id) + "/involvements", json::object{{"summary", "Walk-in enquiry about housing"}});
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_EQ(Text(other.Get(PersonPath(id)).Json(), "access"), "full");
  const Reply history = other.Get(PersonPath(id) + "/involvements");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.Json().at("items").as_array().size(), 2u);
  const Reply ended =
      other.Post(PersonPath(id) + "/involvements/" + std::to_string(Int(registered.Json(), "id")) + "/end",
                 json::object{{"ended_on", "2000-01-01"}});
  EXPECT_EQ(ended.status, 422) << ended.body;
  const Reply closed = other.Post(
      PersonPath(id) + "/involvements/" + std::to_string(Int(registered.Json(), "id")) + "/end", json::object{});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Text(other.Get(PersonPath(id)).Json(), "access"), "restricted");
  EXPECT_TRUE(
      Contains(Actions(AuditEntries("record_type=person&record_id=" + std::to_string(id))), "person.register_at_unit"));
}

Client Steward() {
  Client steward(Port());
  if (SignIn(steward, "steward", "OpenWelfare-steward-2026").status != 200) throw std::runtime_error("steward sign-in");
  return steward;
}

/// The id of the queued pair of two records, looked for page by page in the steward's open queue; 0 when absent.
long long QueuedPairId(Client& steward, long long left_id, long long right_id) {
  std::optional<std::string> cursor;
  for (int page = 0; page < 20; ++page) {
    const Reply queue = steward.Get("/api/v1/duplicates?limit=50" + (cursor ? "&after=" + *cursor : std::string()));
    if (queue.status != 200) throw std::runtime_error("duplicate queue: " + queue.body);
    for (const auto& item : queue.Json().at("items").as_array()) {
      if (Int(item.at("pair"), "left_id") == left_id && Int(item.at("pair"), "right_id") == right_id) {
        return Int(item.at("pair"), "id");
      }
    }
    if (queue.Json().at("next_cursor").is_null()) break;
    cursor = std::string(queue.Json().at("next_cursor").as_string());
  }
  return 0;
}

TEST(Registry, TheOpenPairCountFollowsTheQueue) {
  Client worker = Worker();
  EXPECT_EQ(worker.Get("/api/v1/duplicates/count").status, 403);
  Client anonymous(Port());
  EXPECT_EQ(anonymous.Get("/api/v1/duplicates/count").status, 401);
  Client steward = Steward();
  auto open_pairs = [&steward] {
    const Reply reply = steward.Get("/api/v1/duplicates/count");
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.Json().as_object().size(), 1u) << reply.body;
    return Int(reply.Json(), "open");
  };
  const long long before = open_pairs();

  // A caseworker registers the same person again with an override: one more pair waits for a decision.
  const PersonBuilder first;
  const long long first_id = Int(first.Create(worker), "id");
  PersonBuilder again = first;
  again.hkid = UniqueHkid();
  again.phone = "6" + first.phone.substr(1);
  json::object body = again.Body();
  body["duplicate_override"] =
      json::object{{"reason", "Client insists this is a different person"}, {"reviewed_ids", json::array{first_id}}};
  const Reply created = worker.Post("/api/v1/persons", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const long long pair_id = QueuedPairId(steward, first_id, Int(created.Json(), "id"));
  ASSERT_NE(pair_id, 0) << "the override put the pair in the review queue";
  EXPECT_EQ(open_pairs(), before + 1);

  // Decided pairs are no longer counted.
  const Reply pair = steward.Get("/api/v1/duplicates/" + std::to_string(pair_id));
  ASSERT_EQ(pair.status, 200) << pair.body;
  const Reply deferred = steward.Post("/api/v1/duplicates/" + std::to_string(pair_id) + "/decision",
                                      json::object{{"version", Int(pair.Json().at("pair"), "version")},
                                                   {"decision", "deferred"},
                                                   {"note", "Waiting for the birth certificate"}});
  ASSERT_EQ(deferred.status, 200) << deferred.body;
  EXPECT_EQ(open_pairs(), before);
}

TEST(Registry, StewardsMergeDuplicatesAndCanUndoExactly) {
  Client worker = Worker();
  const PersonBuilder first;
  const json::value kept = first.Create(worker);
  const long long kept_id = Int(kept, "id");
  PersonBuilder second = first;
  second.hkid = UniqueHkid();
  second.phone = "6" + first.phone.substr(1);
  second.chinese_name = "陈" + first.chinese_name.substr(3);
  json::object body = second.Body();
  body["duplicate_override"] =
      json::object{{"reason", "Client insists this is a different person"}, {"reviewed_ids", json::array{kept_id}}};
  const Reply created = worker.Post("/api/v1/persons", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const long long merged_id = Int(created.Json(), "id");

  // Only data stewards see the queue.
  EXPECT_EQ(worker.Get("/api/v1/duplicates").status, 403);
  Client steward = Steward();
  const long long pair_id = QueuedPairId(steward, kept_id, merged_id);
  ASSERT_NE(pair_id, 0) << "the override put the pair in the review queue";
  const Reply pair = steward.Get("/api/v1/duplicates/" + std::to_string(pair_id));
  ASSERT_EQ(pair.status, 200) << pair.body;
  EXPECT_EQ(Text(pair.Json().at("left"), "chinese_name"), first.chinese_name);
  EXPECT_EQ(Text(pair.Json().at("right"), "access_reason"), "duplicate_review");
  EXPECT_EQ(Text(pair.Json().at("pair"), "source"), "registration");

  const Reply short_reason =
      steward.Post(PersonPath(kept_id) + "/merge", json::object{{"merged_id", merged_id}, {"reason", "dup"}});
  EXPECT_EQ(short_reason.status, 422);
  EXPECT_EQ(steward
                .Post(PersonPath(kept_id) + "/merge",
                      json::object{{"merged_id", kept_id}, {"reason", "Same person, confirmed by phone"}})
                .status,
            422);
  const Reply merged = steward.Post(PersonPath(kept_id) + "/merge",
                                    json::object{{"merged_id", merged_id},
                                                 {"pair_id", pair_id},
                                                 {"reason", "Same person: confirmed with the client by phone"},
                                                 {"take_from_merged", json::array{"birth_date"}}});
  ASSERT_EQ(merged.status, 201) << merged.body;
  const long long merge_id = Int(merged.Json(), "id");

  // The survivor keeps both identity numbers, both phones, the merged record's names and its birth date.
  const Reply survivor = worker.Get(PersonPath(kept_id));
  ASSERT_EQ(survivor.status, 200);
  EXPECT_EQ(survivor.Json().at("documents").as_array().size(), 2u);
  EXPECT_EQ(survivor.Json().at("contacts").as_array().size(), 2u);
  EXPECT_EQ(Text(survivor.Json().at("names").at(0), "kind"), "merged");
  EXPECT_EQ(Text(survivor.Json(), "birth_date"), second.birth_date);
  const Reply gone = worker.Get(PersonPath(merged_id));
  EXPECT_EQ(Text(gone.Json(), "status"), "merged");
  EXPECT_EQ(Int(gone.Json(), "merged_into"), kept_id);
  const auto by_second_document = Hits(worker, second.hkid);
  ASSERT_EQ(by_second_document.size(), 1u);
  EXPECT_EQ(Int(by_second_document.at(0).at("person"), "id"), kept_id);
  EXPECT_EQ(worker.Patch(PersonPath(merged_id), json::object{{"version", 1}, {"sex", "female"}}).Code(),
            "record_merged");
  // Twice is refused.
  EXPECT_EQ(steward
                .Post(PersonPath(kept_id) + "/merge",
                      json::object{{"merged_id", merged_id}, {"reason", "Same person, merging again"}})
                .Code(),
            "record_merged");

  const Reply undone = steward.Post("/api/v1/merges/" + std::to_string(merge_id) + "/undo",
                                    json::object{{"reason", "Wrong merge: they are twins after all"}});
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_FALSE(Text(undone.Json(), "undone_at").empty());
  const Reply restored = worker.Get(PersonPath(kept_id));
  EXPECT_EQ(restored.Json().at("documents").as_array().size(), 1u);
  EXPECT_EQ(Text(restored.Json().at("documents").at(0), "number"), first.hkid);
  EXPECT_TRUE(restored.Json().at("names").as_array().empty());
  EXPECT_EQ(Text(restored.Json(), "birth_date"), first.birth_date);
  const Reply back = worker.Get(PersonPath(merged_id));
  EXPECT_EQ(Text(back.Json(), "status"), "active");
  EXPECT_EQ(Text(back.Json().at("documents").at(0), "number"), second.hkid);
  EXPECT_EQ(Int(Hits(worker, second.hkid).at(0).at("person"), "id"), merged_id);
  EXPECT_EQ(steward
                .Post("/api/v1/merges/" + std::to_string(merge_id) + "/undo",
                      json::object{{"reason", "Wrong merge: they are twins after all"}})
                .Code(),
            "already_undone");
  const Reply merges = worker.Get(PersonPath(kept_id) + "/merges");
  ASSERT_EQ(merges.status, 200) << merges.body;
  EXPECT_EQ(merges.Json().at("items").as_array().size(), 1u);
  const auto actions = Actions(AuditEntries("record_type=person&record_id=" + std::to_string(merged_id)));
  EXPECT_TRUE(Contains(actions, "person.merge"));
  EXPECT_TRUE(Contains(actions, "person.unmerge"));
  // The pair is back in the queue and can be marked as two different people.
  const Reply reopened = steward.Get("/api/v1/duplicates/" + std::to_string(pair_id));
  EXPECT_EQ(Text(reopened.Json().at("pair"), "status"), "open");
  const Reply distinct = steward.Post("/api/v1/duplicates/" + std::to_string(pair_id) + "/decision",
                                      json::object{{"version", Int(reopened.Json().at("pair"), "version")},
                                                   {"decision", "distinct"},
                                                   {"note", "Twins"}});
  ASSERT_EQ(distinct.status, 200) << distinct.body;
  EXPECT_EQ(Text(distinct.Json(), "status"), "distinct");
}

TEST(Registry, FamilyLinksShowEachMemberAsTheCallerMaySeeThem) {
  Client worker = Worker();
  const long long mother = Int(PersonBuilder{}.Create(worker), "id");
  PersonBuilder child_builder;
  child_builder.chinese_name = "黃" + UniqueChinese();
  child_builder.family = "WONG";
  const long long child = Int(child_builder.Create(worker), "id");
  Client clerk = Clerk();
  PersonBuilder father_builder;
  father_builder.chinese_name = "林" + UniqueChinese();
  father_builder.family = "LAM";
  const long long father = Int(father_builder.Create(clerk), "id");

  const Reply linked =
      worker.Post(PersonPath(mother) + "/relationships", json::object{{"related_id", child}, {"kind", "parent"}});
  ASSERT_EQ(linked.status, 201) << linked.body;
  EXPECT_EQ(worker.Post(PersonPath(mother) + "/relationships", json::object{{"related_id", child}, {"kind", "parent"}})
                .status,
            422);
  EXPECT_EQ(worker.Post(PersonPath(mother) + "/relationships", json::object{{"related_id", mother}, {"kind", "spouse"}})
                .status,
            422);
  // The worker may link a family member they cannot see; the link then shows only whom to contact.
  ASSERT_EQ(
      worker.Post(PersonPath(child) + "/relationships", json::object{{"related_id", father}, {"kind", "child"}}).status,
      201);
  const Reply household =
      worker.Post("/api/v1/households",
                  json::object{{"kind", "living_together"},
                               {"members", json::array{json::object{{"person_id", mother}, {"role", "head"}},
                                                       json::object{{"person_id", child}, {"role", "child"}}}}});
  ASSERT_EQ(household.status, 201) << household.body;

  const Reply family = worker.Get(PersonPath(child) + "/family");
  ASSERT_EQ(family.status, 200) << family.body;
  const auto& links = family.Json().at("relationships").as_array();
  ASSERT_EQ(links.size(), 2u);
  for (const auto& link : links) {
    const long long other = Int(link.at("person"), "id");
    if (other == mother) {
      EXPECT_EQ(Text(link, "kind"), "parent");
      EXPECT_EQ(Text(link.at("person"), "access"), "full");
    } else {
      EXPECT_EQ(other, father);
      EXPECT_EQ(Text(link, "kind"), "parent");
      EXPECT_EQ(Text(link.at("person"), "access"), "restricted");
      EXPECT_EQ(family.body.find(father_builder.chinese_name), std::string::npos);
    }
  }
  EXPECT_EQ(family.Json().at("households").at(0).at("members").as_array().size(), 2u);
  const Reply from_mother = worker.Get(PersonPath(mother) + "/family");
  EXPECT_EQ(Text(from_mother.Json().at("relationships").at(0), "kind"), "child");

  // Outside the need-to-know the family is not shown, and households cannot be changed.
  EXPECT_EQ(clerk.Get(PersonPath(child) + "/family").status, 403);
  const long long household_id = Int(household.Json(), "id");
  EXPECT_EQ(clerk
                .Post("/api/v1/households/" + std::to_string(household_id) + "/members",
                      json::object{{"person_id", child}, {"role", "other"}})
                .status,
            422);  // already a member
  const long long member_id = Int(household.Json().at("members").at(1), "id");
  EXPECT_EQ(clerk
                .Post("/api/v1/households/" + std::to_string(household_id) + "/members/" + std::to_string(member_id) +
                          "/leave",
                      json::object{})
                .status,
            403);
  const Reply left = worker.Post("/api/v1/households/" + std::to_string(household_id) + "/members/" +
                                     std::to_string(member_id) + "/leave",
                                 json::object{});
  ASSERT_EQ(left.status, 200) << left.body;
  EXPECT_FALSE(Text(left.Json().at("members").at(1), "left_on").empty());
  EXPECT_TRUE(Contains(Actions(AuditEntries("record_type=person&record_id=" + std::to_string(child))),
                       "person.relationship_add"));
}

/// Uploads a CSV file for import and waits for its job; returns the job's report.
json::value RunImport(Client& client, const std::string& csv, const std::string& query) {
  const Reply started = client.Send("POST", "/api/v1/imports?" + query, std::nullopt, {}, csv, "text/csv");
  if (started.status != 202) throw std::runtime_error("import upload: " + started.body);
  const std::string job = "/api/v1/jobs/" + std::to_string(Int(started.Json().at("job"), "id"));
  json::value body;
  for (int attempt = 0; attempt < 300; ++attempt) {
    body = client.Get(job).Json();
    if (Text(body, "status") == "succeeded" || Text(body, "status") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (Text(body, "status") != "succeeded") throw std::runtime_error("import job: " + json::serialize(body));
  return body.at("result");
}

TEST(Registry, ImportsCheckEveryRowAndApplyAllOrNothing) {
  const std::string header =
      "external_ref,chinese_name,family_name_en,given_names_en,aliases,sex,birth_date,birth_precision,death_date,"
      "id_type,id_number,id_issuer,phone,email,region,district,street,building,languages,household_ref,"
      "household_role\n";
  const PersonBuilder one;
  PersonBuilder two;
  two.chinese_name = "何" + UniqueChinese();
  two.family = "HO";
  const std::string household = Unique("H");
  const std::string good = header + "A1," + one.chinese_name + ",CHAN," + one.given + ",,male," + one.birth_date +
                           ",full,,hkid," + one.hkid + ",,," + ",,東區,,,yue," + household + ",head\n" + "A2," +
                           two.chinese_name + ",HO," + two.given + ",,female," + two.birth_date + ",full,,hkid," +
                           two.hkid + ",,,,,東區,,,yue," + household + ",spouse\n";
  const std::string bad = good + "A3,,,,,robot,1990-02-30,full,,hkid,A123456(4),,123,,,,,,,,\n";
  Client steward = Steward();
  EXPECT_EQ(Worker().Send("POST", "/api/v1/imports", std::nullopt, {}, good, "text/csv").status, 403);
  EXPECT_EQ(steward.Send("POST", "/api/v1/imports", std::nullopt, {}, good, "application/json").status, 415);

  const json::value checked = RunImport(steward, bad, "mode=apply&unit_id=" + std::to_string(UnitId("IFSC-EAST")));
  EXPECT_EQ(Text(checked, "outcome"), "errors") << json::serialize(checked);
  EXPECT_FALSE(checked.at("applied").as_bool());
  std::set<std::string> problems;
  for (const auto& error : checked.at("errors").as_array()) {
    problems.insert(std::to_string(Int(error, "line")) + ":" + Text(error, "column") + ":" + Text(error, "code"));
    EXPECT_FALSE(Text(error.at("message"), "zh-Hant").empty());
  }
  for (const char* expected : {"4:chinese_name:name_required", "4:sex:invalid_choice", "4:birth_date:invalid_date",
                               "4:id_number:check_digit", "4:phone:invalid_phone"}) {
    EXPECT_TRUE(problems.contains(expected)) << expected << " in " << json::serialize(checked);
  }
  EXPECT_TRUE(Hits(steward, one.hkid).empty()) << "a refused import saved nothing";

  const json::value dry = RunImport(steward, good, "mode=dry_run&unit_id=" + std::to_string(UnitId("IFSC-EAST")));
  EXPECT_EQ(Text(dry, "outcome"), "ready") << json::serialize(dry);
  const json::value applied = RunImport(steward, good, "mode=apply&unit_id=" + std::to_string(UnitId("IFSC-EAST")));
  ASSERT_EQ(Text(applied, "outcome"), "applied") << json::serialize(applied);
  EXPECT_EQ(Int(applied, "created"), 2);
  EXPECT_EQ(Int(applied, "households"), 1);
  Client worker = Worker();
  const auto found = Hits(worker, one.hkid);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(Text(found.at(0).at("person"), "access"), "full");
  const Reply family = worker.Get(PersonPath(Int(found.at(0).at("person"), "id")) + "/family");
  EXPECT_EQ(family.Json().at("households").at(0).at("members").as_array().size(), 2u);

  // The same file again: the identity numbers are registered, so every row is refused.
  const json::value again = RunImport(steward, good, "mode=apply&unit_id=" + std::to_string(UnitId("IFSC-EAST")));
  EXPECT_EQ(Text(again, "outcome"), "errors");
  // Without the documents the rows are likely duplicates of the registry: refused unless accepted with a reason.
  std::string no_documents = good;
  for (const auto& number : {one.hkid, two.hkid}) no_documents.replace(no_documents.find(number), number.size(), "");
  for (int repeat = 0; repeat < 2; ++repeat) no_documents.replace(no_documents.find(",hkid,"), 6, ",,");
  const json::value duplicates =
      RunImport(steward, no_documents, "mode=apply&unit_id=" + std::to_string(UnitId("IFSC-EAST")));
  EXPECT_EQ(Text(duplicates, "outcome"), "duplicates_not_accepted") << json::serialize(duplicates);
  EXPECT_EQ(duplicates.at("duplicates_in_registry").as_array().size(), 2u);
  EXPECT_EQ(steward
                .Send("POST", "/api/v1/imports?mode=apply&accept_duplicates=true&reason=x", std::nullopt, {},
                      no_documents, "text/csv")
                .status,
            422);
}

TEST(Registry, DataAccessRequestsExportEverythingAsJsonAndPdf) {
  Client worker = Worker();
  const PersonBuilder builder;
  const long long id = Int(builder.Create(worker), "id");
  EXPECT_EQ(worker.Get(PersonPath(id) + "/export").status, 403);
  Client steward = Steward();
  const Reply exported = steward.Get(PersonPath(id) + "/export?format=json");
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(Text(exported.Json().at("person"), "chinese_name"), builder.chinese_name);
  EXPECT_EQ(Text(exported.Json().at("person").at("documents").at(0), "number"), builder.hkid);
  EXPECT_EQ(exported.Json().at("involvements").as_array().size(), 1u);
  EXPECT_FALSE(exported.Json().at("history").as_array().empty());
  EXPECT_NE(exported.Header("content-disposition").find("person-" + std::to_string(id) + ".json"), std::string::npos);
  const Reply pdf = steward.Get(PersonPath(id) + "/export?format=pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  EXPECT_TRUE(pdf.body.starts_with("%PDF-"));
  EXPECT_GT(pdf.body.size(), 1000u);
  EXPECT_EQ(steward.Get(PersonPath(id) + "/export?format=doc").status, 422);
  EXPECT_EQ(steward.Get("/api/v1/persons/999999999/export").status, 404);
  const auto actions = Actions(AuditEntries("action=person.export&record_id=" + std::to_string(id)));
  EXPECT_EQ(actions.size(), 2u);
}

TEST(Registry, BatchDuplicateDetectionRunsAsAJob) {
  Client steward = Steward();
  EXPECT_EQ(Worker().Post("/api/v1/duplicates/detect", json::object{}).status, 403);
  EXPECT_TRUE(FieldCodes(steward.Post("/api/v1/duplicates/detect", json::object{{"threshold", 2}}))
                  .contains("threshold:out_of_range"));
  const Reply started = steward.Post("/api/v1/duplicates/detect", json::object{{"threshold", 0.95}});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job = "/api/v1/jobs/" + std::to_string(Int(started.Json().at("job"), "id"));
  json::value body;
  for (int attempt = 0; attempt < 300; ++attempt) {
    body = steward.Get(job).Json();
    if (Text(body, "status") == "succeeded" || Text(body, "status") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(Text(body, "status"), "succeeded") << json::serialize(body);
  EXPECT_GT(Int(body.at("result"), "persons"), 0);
  EXPECT_TRUE(Contains(Actions(AuditEntries("action=duplicate.detect")), "duplicate.detect"));
}

}  // namespace
}  // namespace welfare::testing
