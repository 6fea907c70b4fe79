#include "registry/export_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/time.hpp"
#include "registry/json_values.hpp"
#include "registry/merge_service.hpp"
#include "registry/pdf.hpp"

namespace welfare::registry {
namespace {

namespace json = boost::json;

/// Labels of the PDF in both languages.
struct Label {
  const char* key;
  const char* zh;
  const char* en;
};
constexpr Label kLabels[] = {
    {"title", "個人資料查閱 — 本署持有的個人資料", "Data access request — personal data held by the department"},
    {"exported", "匯出時間", "Exported at"},
    {"by", "匯出人員", "Exported by"},
    {"record", "紀錄編號", "Record number"},
    {"details", "基本資料", "Personal particulars"},
    {"chinese_name", "中文姓名", "Chinese name"},
    {"family_name_en", "英文姓氏", "Family name"},
    {"given_names_en", "英文名字", "Given names"},
    {"sex", "性別", "Sex"},
    {"birth_date", "出生日期", "Date of birth"},
    {"death_date", "死亡日期", "Date of death"},
    {"languages", "語言", "Languages"},
    {"names", "其他姓名", "Other names"},
    {"documents", "身分證明文件", "Identity documents"},
    {"contacts", "聯絡方式", "Contact details"},
    {"addresses", "地址", "Addresses"},
    {"consents", "資料分享同意", "Consents to share"},
    {"involvements", "服務紀錄", "Service history"},
    {"family", "家庭關係", "Family links"},
    {"households", "家戶", "Households"},
    {"merges", "紀錄合併", "Record merges"},
    {"history", "修改紀錄", "Change history"},
    {"none", "（無）", "(none)"},
};

std::string L(std::string_view key, Locale locale) {
  for (const auto& label : kLabels) {
    if (key == label.key) return locale == Locale::kEn ? label.en : label.zh;
  }
  return std::string(key);
}

std::string Str(const json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_null()) return "";
  return json::serialize(value);
}

json::value ParsedChanges(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(text) : value;
}

std::string Join(std::initializer_list<std::string> parts) {
  std::string joined;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!joined.empty()) joined += "  ";
    joined += part;
  }
  return joined;
}

}  // namespace

Result<json::object> ExportService::Collect(const auth::Context& context, long long person_id,
                                            const std::string& format) {
  auto collected = database_.Read<json::object>([&](soci::session& sql) -> Result<json::object> {
    PersonView view = persons_.StewardView(sql, person_id);
    if (view.person.created_at.empty()) return Fail(Error::NotFound("person " + std::to_string(person_id)));
    view.access = Access::kFull;
    view.access_reason = "data_access_request";
    json::object person = persons_.ToJson(view, context.locale);
    PersonStore store(database_.dialect());
    json::array involvements;
    for (const auto& involvement : store.Involvements(sql, person_id)) {
      involvements.push_back(json::object{{"unit_id", involvement.unit_id},
                                          {"kind", involvement.kind},
                                          {"summary", Text(involvement.summary)},
                                          {"started_on", involvement.started_on},
                                          {"ended_on", Text(involvement.ended_on)}});
    }
    json::array relationships;
    for (const auto& relationship : families_.RelationshipsOf(sql, person_id)) {
      const bool forward = relationship.person_id == person_id;
      relationships.push_back(
          json::object{{"kind", std::string(forward ? InverseRelationship(relationship.kind) : relationship.kind)},
                       {"related_person_id", forward ? relationship.related_id : relationship.person_id},
                       {"started_on", Text(relationship.started_on)},
                       {"ended_on", Text(relationship.ended_on)}});
    }
    json::array households;
    for (const auto& household : families_.HouseholdsOf(sql, person_id)) {
      for (const auto& member : household.members) {
        if (member.person_id != person_id) continue;
        households.push_back(json::object{{"household_id", household.id},
                                          {"kind", household.kind},
                                          {"role", member.role},
                                          {"joined_on", Text(member.joined_on)},
                                          {"left_on", Text(member.left_on)}});
      }
    }
    json::array merges;
    for (const auto& merge : duplicates_.MergesOf(sql, person_id)) {
      merges.push_back(json::object{{"survivor_id", merge.survivor_id},
                                    {"merged_id", merge.merged_id},
                                    {"merged_at", merge.merged_at},
                                    {"undone_at", Text(merge.undone_at)}});
    }
    return json::object{{"format", "openwelfare.person-export/1"},   {"exported_at", FormatTime(Now())},
                        {"exported_by", context.principal.username}, {"person", std::move(person)},
                        {"involvements", std::move(involvements)},   {"relationships", std::move(relationships)},
                        {"households", std::move(households)},       {"merges", std::move(merges)}};
  });
  if (!collected) return Fail(collected.error());
  audit::Query query;
  query.record_type = "person";
  query.record_id = std::to_string(person_id);
  query.limit = 1000;
  json::array history;
  for (const auto& entry : audit_.Search(query)) {
    if (entry.action == "person.view" || entry.action == "person.export") continue;
    history.push_back(json::object{{"at", entry.at},
                                   {"action", entry.action},
                                   {"unit_id", Int(entry.unit_id)},
                                   {"changes", entry.changes ? ParsedChanges(*entry.changes) : json::value(nullptr)}});
  }
  (*collected)["history"] = std::move(history);
  return collected;
}

void ExportService::Record(const auth::Context& context, long long person_id, const std::string& format) {
  audit_.AppendNow(context.actor,
                   {"person.export", "person", std::to_string(person_id), json::object{{"format", format}}});
}

Result<json::object> ExportService::Json(const auth::Context& context, long long person_id) {
  auto data = Collect(context, person_id, "json");
  if (data) Record(context, person_id, "json");
  return data;
}

Result<std::string> ExportService::Pdf(const auth::Context& context, long long person_id) {
  auto data = Collect(context, person_id, "pdf");
  if (!data) return Fail(data.error());
  const Locale locale = context.locale;
  const auto& person = data->at("person").as_object();
  using Kind = PdfLine::Kind;
  std::vector<PdfLine> lines;
  lines.push_back({Kind::kTitle, "", L("title", locale)});
  lines.push_back({Kind::kField, L("record", locale), std::to_string(person_id)});
  lines.push_back({Kind::kField, L("exported", locale), Str(data->at("exported_at"))});
  lines.push_back({Kind::kField, L("by", locale), Str(data->at("exported_by"))});
  lines.push_back({Kind::kHeading, "", L("details", locale)});
  for (const char* field : {"chinese_name", "family_name_en", "given_names_en", "sex", "birth_date", "death_date"}) {
    lines.push_back({Kind::kField, L(field, locale), Str(person.at(field))});
  }
  std::string languages;
  for (const auto& language : person.at("languages").as_array()) languages += Str(language) + " ";
  lines.push_back({Kind::kField, L("languages", locale), languages});
  auto section = [&](const char* key, const json::array& items, auto&& describe) {
    lines.push_back({Kind::kHeading, "", L(key, locale)});
    if (items.empty()) lines.push_back({Kind::kText, "", L("none", locale)});
    for (const auto& item : items) lines.push_back({Kind::kText, "", describe(item.as_object())});
  };
  section("names", person.at("names").as_array(), [](const json::object& name) {
    return Join({Str(name.at("kind")) + ":", Str(name.at("chinese_name")), Str(name.at("family_name_en")),
                 Str(name.at("given_names_en"))});
  });
  section("documents", person.at("documents").as_array(), [](const json::object& document) {
    return Join({Str(document.at("doc_type")), Str(document.at("number")), Str(document.at("issuer"))});
  });
  section("contacts", person.at("contacts").as_array(), [](const json::object& contact) {
    return Join({Str(contact.at("kind")), Str(contact.at("value"))});
  });
  section("addresses", person.at("addresses").as_array(), [](const json::object& address) {
    return Join({Str(address.at("region")), Str(address.at("district")), Str(address.at("street")),
                 Str(address.at("building")), Str(address.at("flat"))});
  });
  section("consents", person.at("consents").as_array(), [](const json::object& consent) {
    return Join({Str(consent.at("scope")), "unit " + Str(consent.at("unit_id")), Str(consent.at("given_on")),
                 consent.at("withdrawn_on").is_null() ? "" : "→ " + Str(consent.at("withdrawn_on"))});
  });
  section("involvements", data->at("involvements").as_array(), [](const json::object& involvement) {
    return Join({Str(involvement.at("started_on")) + " – " + Str(involvement.at("ended_on")),
                 Str(involvement.at("kind")), "unit " + Str(involvement.at("unit_id")),
                 Str(involvement.at("summary"))});
  });
  section("family", data->at("relationships").as_array(), [](const json::object& link) {
    return Join({Str(link.at("kind")), "#" + Str(link.at("related_person_id")), Str(link.at("started_on"))});
  });
  section("households", data->at("households").as_array(), [](const json::object& household) {
    return Join({"#" + Str(household.at("household_id")), Str(household.at("kind")), Str(household.at("role"))});
  });
  section("merges", data->at("merges").as_array(), [](const json::object& merge) {
    return Join({Str(merge.at("merged_at")), "#" + Str(merge.at("merged_id")) + " → #" + Str(merge.at("survivor_id")),
                 merge.at("undone_at").is_null() ? "" : "undone " + Str(merge.at("undone_at"))});
  });
  section("history", data->at("history").as_array(), [](const json::object& entry) {
    return Join({Str(entry.at("at")).substr(0, 19), Str(entry.at("action")), Str(entry.at("changes"))});
  });
  auto pdf = RenderPdf(lines, "OpenWelfare · " + L("title", locale));
  if (pdf) Record(context, person_id, "pdf");
  return pdf;
}

}  // namespace welfare::registry
