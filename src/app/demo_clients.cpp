#include "app/demo_clients.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <ranges>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "auth/staff_service.hpp"
#include "auth/unit_service.hpp"
#include "core/time.hpp"
#include "registry/duplicate_store.hpp"
#include "registry/family_service.hpp"
#include "registry/family_store.hpp"
#include "registry/identity.hpp"
#include "registry/matching.hpp"
#include "registry/person_service.hpp"
#include "registry/person_store.hpp"

namespace welfare::app {
namespace {

namespace json = boost::json;

// Every name, identity number, phone number and flat below is made up. Streets and districts are real places;
// the buildings are invented.

/// Every demo person's external reference starts with this, so that one look-up finds those already loaded.
constexpr std::string_view kRefPrefix = "DEMO-";

/// A residential address: region (county), district (township), street, building, flat; nullptr when absent.
struct DemoAddress {
  const char* region;
  const char* district;
  const char* street;
  const char* building;
  const char* flat;
};

constexpr DemoAddress kLeungHome{"香港島", "東區", "柴灣道 288 號", "興東邨 興福樓", "15樓 1508室"};
constexpr DemoAddress kHoHome{"香港島", "東區", "筲箕灣東大街 52 號", "福明樓", "3樓 A室"};
constexpr DemoAddress kSoHome{"香港島", "東區", "筲箕灣東大街 52 號", "福明樓", "3樓 B室"};
constexpr DemoAddress kChanHome{"香港島", "灣仔", "駱克道 301 號", "慧明閣", "8樓 C室"};
constexpr DemoAddress kGurungHome{"Hong Kong Island", "Eastern", "1021 King's Road", "Kam Fung Mansion", "Flat 6D"};
constexpr DemoAddress kAuHome{"香港島", "東區", "英皇道 1062 號", "康明大廈", "10樓 D室"};
constexpr DemoAddress kFungHome{"香港島", "東區", "小西灣道 23 號", "海欣苑 欣悅閣", "22樓 F室"};
constexpr DemoAddress kChanWaiKeungHome{"香港島", "東區", "渣華道 88 號", "華景樓", "6樓 2室"};
constexpr DemoAddress kChenWaiKeungHome{"九龍", "九龍城", "土瓜灣道 168 號", "美華大廈", "5樓 E室"};
constexpr DemoAddress kLiuHome{"九龍", "九龍城", "馬頭圍道 120 號", "福華樓", "12樓 3室"};
constexpr DemoAddress kChengHome{"九龍", "九龍城", "譚公道 45 號", "安華閣", "7樓 B室"};
constexpr DemoAddress kTamHome{"九龍", "九龍城", "土瓜灣道 210 號", "永福樓", "4樓 A室"};
constexpr DemoAddress kLauHome{"香港島", "東區", "筲箕灣道 350 號", "東興樓", "18樓 H室"};
constexpr DemoAddress kLinHome{"花蓮縣", "花蓮市", "中華路 215 號", nullptr, "3 樓"};
constexpr DemoAddress kPanHome{"花蓮縣", "花蓮市", "國聯一路 76 號", nullptr, nullptr};
constexpr DemoAddress kTsengHome{"花蓮縣", "花蓮市", "林森路 402 巷 8 號", nullptr, nullptr};
constexpr DemoAddress kZhangHome{"花蓮縣", "花蓮市", "中山路 530 號", nullptr, "5 樓之 2"};
constexpr DemoAddress kYangJianHome{"花蓮縣", "吉安鄉", "吉安路二段 118 號", nullptr, nullptr};
constexpr DemoAddress kYangCityHome{"花蓮縣", "花蓮市", "中正路 611 號", nullptr, "2 樓"};

/// One demo person, registered at `unit`. Identity numbers are written without their check digit, which is
/// computed (registry/identity.hpp) so that every number is valid. nullptr: not known.
struct DemoPerson {
  const char* ref;   ///< external reference: the key that makes loading idempotent
  const char* unit;  ///< code of the registering unit
  const char* chinese_name;
  const char* family_en;
  const char* given_en;
  const char* sex;
  const char* birth_date;  ///< YYYY-MM-DD, or YYYY when only the year is known
  const char* languages;   ///< space-separated codes
  const char* doc_type;    ///< hkid or twid
  const char* doc_stem;    ///< the number without its check digit
  const char* mobile;
  const char* home;
  DemoAddress address;
  bool protected_address;
};

// clang-format off
constexpr DemoPerson kPersons[] = {
  // ref, unit, Chinese name, family and given names in English, sex, born, languages;
  //   identity document (type, number without check digit), mobile, home phone, address, address protected
  // Eastern IFSC, three generations in Chai Wan: grandparents, parents, children.
  {"DEMO-HK-01", "IFSC-EAST",    "梁國華",   "LEUNG",    "Kwok Wah",   "male",   "1948-03-14", "yue",
   "hkid",  "C258146",   nullptr,        "2558 3164",   kLeungHome,        false},
  {"DEMO-HK-02", "IFSC-EAST",    "梁何秀蓮", "LEUNG HO", "Sau Lin",    "female", "1951-09-02", "yue hak",
   "hkid",  "D317205",   nullptr,        "2558 3164",   kLeungHome,        false},
  {"DEMO-HK-03", "IFSC-EAST",    "梁偉傑",   "LEUNG",    "Wai Kit",    "male",   "1976-11-20", "yue en",
   "hkid",  "E486913",   "9634 2871",    nullptr,       kLeungHome,        false},
  {"DEMO-HK-04", "IFSC-EAST",    "黃嘉敏",   "WONG",     "Ka Man",     "female", "1979-05-08", "yue en",
   "hkid",  "G604872",   "6197 3304",    nullptr,       kLeungHome,        false},
  {"DEMO-HK-05", "IFSC-EAST",    "梁卓希",   "LEUNG",    "Cheuk Hei",  "male",   "2010-02-17", "yue en",
   "hkid",  "S392517",   nullptr,        nullptr,       kLeungHome,        false},
  {"DEMO-HK-06", "IFSC-EAST",    "梁卓瑤",   "LEUNG",    "Cheuk Yiu",  "female", "2014-08-30", "yue",
   "hkid",  "S518204",   nullptr,        nullptr,       kLeungHome,        false},
  // An elderly woman living alone (only her year of birth is known) and the neighbour who looks after her.
  {"DEMO-HK-07", "IFSC-EAST",    "何亞妹",   "HO",       "Ah Mui",     "female", "1938",       "yue hak",
   "hkid",  "A073415",   nullptr,        "2567 4012",   kHoHome,           false},
  {"DEMO-HK-08", "IFSC-EAST",    "蘇麗珍",   "SO",       "Lai Chun",   "female", "1968-12-03", "yue",
   "hkid",  "D845102",   "9271 6640",    nullptr,       kSoHome,           false},
  // A mother and two children who left a violent home: the address must not be disclosed.
  {"DEMO-HK-09", "IFSC-EAST",    "陳美玲",   "CHAN",     "Mei Ling",   "female", "1988-07-19", "yue cmn",
   "hkid",  "R214563",   "5418 2093",    nullptr,       kChanHome,         true},
  {"DEMO-HK-10", "IFSC-EAST",    "李子軒",   "LEE",      "Tsz Hin",    "male",   "2015-04-11", "yue",
   "hkid",  "V104738",   nullptr,        nullptr,       kChanHome,         true},
  {"DEMO-HK-11", "IFSC-EAST",    "李子晴",   "LEE",      "Tsz Ching",  "female", "2018-10-02", "yue",
   nullptr, nullptr,     nullptr,        nullptr,       kChanHome,         true},
  // Other clients of the centre.
  {"DEMO-HK-12", "IFSC-EAST",    nullptr,    "GURUNG",   "Maya",       "female", "1990-01-25", "ne en",
   "hkid",  "M362081",   "6845 1120",    nullptr,       kGurungHome,       false},
  {"DEMO-HK-13", "IFSC-EAST",    "區德明",   "AU",       "Tak Ming",   "male",   "1961-06-30", "yue",
   "hkid",  "K521907",   "9352 7718",    nullptr,       kAuHome,           false},
  {"DEMO-HK-14", "IFSC-EAST",    "馮凱琳",   "FUNG",     "Hoi Lam",    "female", "2008-03-12", "yue en",
   "hkid",  "Y183052",   "6730 5582",    nullptr,       kFungHome,         false},
  {"DEMO-HK-15", "IFSC-EAST",    "陳偉強",   "CHAN",     "Wai Keung",  "male",   "1972-10-05", "yue",
   "hkid",  "K203948",   "9087 3356",    nullptr,       kChanWaiKeungHome, false},
  // Kowloon City IFSC: the caseworker of the Eastern centre sees these only as "known, contact the unit".
  // DEMO-HK-16 is DEMO-HK-15 again, from an English referral letter that spelt the surname CHEN.
  {"DEMO-HK-16", "IFSC-KC",      nullptr,    "CHEN",     "Wai Keung",  "male",   "1972-10-05", "yue",
   nullptr, nullptr,     "9087 3356",    nullptr,       kChenWaiKeungHome, false},
  {"DEMO-HK-17", "IFSC-KC",      "刘小红",   "LIU",      "Xiaohong",   "female", "1985-04-12", "cmn yue",
   nullptr, nullptr,     "5632 7781",    nullptr,       kLiuHome,          false},
  {"DEMO-HK-18", "IFSC-KC",      "鄭家豪",   "CHENG",    "Ka Ho",      "male",   "1983-02-14", "yue en",
   "hkid",  "P417306",   "9468 0215",    nullptr,       kChengHome,        false},
  {"DEMO-HK-19", "IFSC-KC",      "吳玉珍",   "NG",       "Yuk Chun",   "female", "1945-11-08", "yue",
   "hkid",  "B604129",   nullptr,        "2713 6048",   kTamHome,          false},
  {"DEMO-HK-20", "IFSC-KC",      "譚國強",   "TAM",      "Kwok Keung", "male",   "1943-01-26", "yue",
   "hkid",  "B311574",   nullptr,        "2713 6048",   kTamHome,          false},
  // DEMO-HK-17 again at the Eastern centre after she moved: Traditional characters, Cantonese spelling, the day
  // of birth with its digits swapped, the same mobile.
  {"DEMO-HK-21", "IFSC-EAST",    "劉小紅",   "LAU",      "Siu Hung",   "female", "1985-04-21", "cmn yue",
   "hkid",  "R870253",   "5632 7781",    nullptr,       kLauHome,          false},
  // Hualien City Office: a registered household of three generations, an Amis woman, a man living alone, a
  // young mother and her son (Wade–Giles, pinyin or no English name, as on their papers).
  {"DEMO-TW-01", "HUALIEN-CITY", "林金水",   nullptr,    nullptr,      "male",   "1952-07-03", "nan cmn",
   "twid",  "U10283746", nullptr,        "03-832 5617", kLinHome,          false},
  {"DEMO-TW-02", "HUALIEN-CITY", "林陳秀枝", nullptr,    nullptr,      "female", "1955-02-11", "nan",
   "twid",  "U20561839", nullptr,        "03-832 5617", kLinHome,          false},
  {"DEMO-TW-03", "HUALIEN-CITY", "林志豪",   "LIN",      "Chih-Hao",   "male",   "1980-09-27", "cmn nan",
   "twid",  "U10978254", "0928 417 356", nullptr,       kLinHome,          false},
  {"DEMO-TW-04", "HUALIEN-CITY", "林佩君",   "LIN",      "Pei-Chun",   "female", "2012-05-06", "cmn",
   "twid",  "U22417068", nullptr,        nullptr,       kLinHome,          false},
  {"DEMO-TW-05", "HUALIEN-CITY", "潘春美",   nullptr,    nullptr,      "female", "1963-08-21", "ami cmn",
   "twid",  "U20817345", "0937 582 104", nullptr,       kPanHome,          false},
  {"DEMO-TW-06", "HUALIEN-CITY", "曾文雄",   "TSENG",    "Wen-Hsiung", "male",   "1947-12-15", "nan cmn",
   "twid",  "U10365492", nullptr,        "03-835 2290", kTsengHome,        false},
  {"DEMO-TW-07", "HUALIEN-CITY", "張雅婷",   "ZHANG",    "Ya-Ting",    "female", "1994-12-05", "cmn",
   "twid",  "U22795013", "0955 620 318", nullptr,       kZhangHome,        false},
  {"DEMO-TW-08", "HUALIEN-CITY", "張宇辰",   nullptr,    nullptr,      "male",   "2019-06-14", "cmn",
   "twid",  "U12930586", nullptr,        nullptr,       kZhangHome,        false},
  // Ji'an Township Office, years ago without an ID number; then Hualien City Office after she moved.
  {"DEMO-TW-09", "JIAN",         "楊阿嬌",   nullptr,    nullptr,      "female", "1949-06-18", "nan",
   nullptr, nullptr,     nullptr,        "03-852 4471", kYangJianHome,     false},
  {"DEMO-TW-10", "HUALIEN-CITY", "楊阿嬌",   nullptr,    nullptr,      "female", "1949-06-18", "nan",
   "twid",  "U20649318", "0921 307 645", nullptr,       kYangCityHome,     false},
};
// clang-format on

/// The demo account that registers clients at a unit (the unit's caseworker or clerk); other units have none.
struct DemoDesk {
  const char* unit;
  const char* username;
};
constexpr DemoDesk kDesks[] = {{"IFSC-EAST", "worker"}, {"HUALIEN-CITY", "clerk"}};

/// Another name of a person: alias or former.
struct DemoAlias {
  const char* ref;
  const char* kind;
  const char* chinese_name;
  const char* family_en;
  const char* given_en;
};

// clang-format off
constexpr DemoAlias kAliases[] = {
  {"DEMO-HK-02", "former", "何秀蓮", "HO",     "Sau Lin"},
  {"DEMO-HK-04", "alias",  nullptr,  "WONG",   "Carmen"},
  {"DEMO-HK-09", "alias",  nullptr,  "CHAN",   "May"},
  {"DEMO-HK-13", "alias",  "歐德明", nullptr,  nullptr},
  {"DEMO-TW-02", "former", "陳秀枝", nullptr,  nullptr},
  {"DEMO-TW-05", "alias",  nullptr,  nullptr,  "Panay Kacaw"},
};
// clang-format on

/// "person is `kind` of related", as the registry stores a relationship (a parent is the person, the child the
/// related one).
struct DemoRelationship {
  const char* person;
  const char* kind;
  const char* related;
  const char* note;
};

// clang-format off
constexpr DemoRelationship kRelationships[] = {
  {"DEMO-HK-01", "spouse",  "DEMO-HK-02", nullptr},
  {"DEMO-HK-03", "spouse",  "DEMO-HK-04", nullptr},
  {"DEMO-HK-01", "parent",  "DEMO-HK-03", nullptr},
  {"DEMO-HK-02", "parent",  "DEMO-HK-03", nullptr},
  {"DEMO-HK-03", "parent",  "DEMO-HK-05", nullptr},
  {"DEMO-HK-04", "parent",  "DEMO-HK-05", nullptr},
  {"DEMO-HK-03", "parent",  "DEMO-HK-06", nullptr},
  {"DEMO-HK-04", "parent",  "DEMO-HK-06", nullptr},
  {"DEMO-HK-05", "sibling", "DEMO-HK-06", nullptr},
  {"DEMO-HK-08", "carer",   "DEMO-HK-07", "鄰居，每日探訪 / neighbour, visits every day"},
  {"DEMO-HK-09", "parent",  "DEMO-HK-10", nullptr},
  {"DEMO-HK-09", "parent",  "DEMO-HK-11", nullptr},
  {"DEMO-HK-10", "sibling", "DEMO-HK-11", nullptr},
  {"DEMO-HK-19", "spouse",  "DEMO-HK-20", nullptr},
  {"DEMO-TW-01", "spouse",  "DEMO-TW-02", nullptr},
  {"DEMO-TW-01", "parent",  "DEMO-TW-03", nullptr},
  {"DEMO-TW-02", "parent",  "DEMO-TW-03", nullptr},
  {"DEMO-TW-03", "parent",  "DEMO-TW-04", nullptr},
  {"DEMO-TW-07", "parent",  "DEMO-TW-08", nullptr},
};
// clang-format on

/// A household member and their role in it.
struct DemoMember {
  const char* ref;
  const char* role;
};

/// A household (its external reference makes loading idempotent) with up to six members.
struct DemoHousehold {
  const char* ref;
  const char* kind;
  const char* name;
  const char* unit;  ///< the unit that recorded it
  std::array<DemoMember, 6> members;
};

// clang-format off
constexpr DemoHousehold kHouseholds[] = {
  {"DEMO-HH-HK-01", "living_together", "梁家（柴灣）", "IFSC-EAST",
   {{{"DEMO-HK-03", "head"}, {"DEMO-HK-04", "spouse"}, {"DEMO-HK-01", "parent"}, {"DEMO-HK-02", "parent"},
     {"DEMO-HK-05", "child"}, {"DEMO-HK-06", "child"}}}},
  {"DEMO-HH-HK-02", "living_together", "陳美玲一家", "IFSC-EAST",
   {{{"DEMO-HK-09", "head"}, {"DEMO-HK-10", "child"}, {"DEMO-HK-11", "child"}}}},
  {"DEMO-HH-HK-03", "living_together", "譚家（土瓜灣）", "IFSC-KC",
   {{{"DEMO-HK-20", "head"}, {"DEMO-HK-19", "spouse"}}}},
  {"DEMO-HH-TW-01", "registered", "林金水戶", "HUALIEN-CITY",
   {{{"DEMO-TW-01", "head"}, {"DEMO-TW-02", "spouse"}, {"DEMO-TW-03", "child"}, {"DEMO-TW-04", "grandchild"}}}},
  {"DEMO-HH-TW-02", "registered", "張雅婷戶", "HUALIEN-CITY",
   {{{"DEMO-TW-07", "head"}, {"DEMO-TW-08", "child"}}}},
};
// clang-format on

/// A consent to share the person's record with another unit.
struct DemoConsent {
  const char* ref;
  const char* unit;
  const char* note;
};

constexpr DemoConsent kConsents[] = {
    {"DEMO-HK-18", "IFSC-EAST",
     "轉介東區綜合家庭服務中心跟進，服務使用者同意分享紀錄。Referred to the Eastern IFSC for follow-up; the client "
     "agreed to share his record."},
};

/// A person registered again at another unit: the later registration overrode the duplicate warning with a
/// reason, which puts the pair in the data stewards' review queue (source "registration", as the API does).
struct DemoDuplicate {
  const char* earlier;
  const char* later;
  const char* reason;
};

constexpr DemoDuplicate kDuplicates[] = {
    {"DEMO-HK-15", "DEMO-HK-16",
     "轉介信只有英文姓名，服務使用者表示未曾在其他中心登記。The referral letter gives an English name only; the "
     "client says he has not registered elsewhere."},
    {"DEMO-HK-17", "DEMO-HK-21",
     "出生日期與紀錄不同，服務使用者表示未曾在九龍城登記。The date of birth differs; the client says she never "
     "registered in Kowloon City."},
    {"DEMO-TW-09", "DEMO-TW-10",
     "申請人表示未曾在吉安鄉申請，待資料管理員查核。The applicant says she never applied in Ji'an; left for the "
     "data steward to check."},
};

[[noreturn]] void BadTable(const std::string& problem) {
  throw std::logic_error("the demo client tables are wrong: " + problem);
}

const DemoPerson& DemoOf(std::string_view ref) {
  const auto* found = std::ranges::find_if(kPersons, [&](const DemoPerson& demo) { return demo.ref == ref; });
  if (found == std::end(kPersons)) BadTable("no person " + std::string(ref));
  return *found;
}

/// The number as a person types it: an HKID with its check digit in brackets, a Taiwan ID with its last digit.
std::string TypedNumber(const DemoPerson& demo) {
  const std::string stem = demo.doc_stem;
  if (std::string_view(demo.doc_type) == "hkid") return stem + "(" + registry::HkidCheckDigit(stem) + ")";
  return stem + registry::TwidCheckDigit(stem);
}

/// The registration form of a demo person, as the console would send it.
json::object RegistrationBody(const DemoPerson& demo) {
  json::object body{{"sex", demo.sex}, {"birth_date", demo.birth_date}, {"protected_address", demo.protected_address}};
  auto put = [](json::object& object, const char* field, const char* value) {
    if (value != nullptr) object[field] = value;
  };
  put(body, "chinese_name", demo.chinese_name);
  put(body, "family_name_en", demo.family_en);
  put(body, "given_names_en", demo.given_en);
  json::array languages;
  for (const auto& code : registry::SplitLanguages(demo.languages)) languages.emplace_back(code);
  body["languages"] = std::move(languages);
  if (demo.doc_type != nullptr) {
    body["documents"] = json::array{json::object{{"doc_type", demo.doc_type}, {"number", TypedNumber(demo)}}};
  }
  json::array contacts;
  if (demo.mobile != nullptr) contacts.push_back(json::object{{"kind", "mobile"}, {"value", demo.mobile}});
  if (demo.home != nullptr) contacts.push_back(json::object{{"kind", "home"}, {"value", demo.home}});
  body["contacts"] = std::move(contacts);
  json::object address{{"kind", "residential"}};
  put(address, "region", demo.address.region);
  put(address, "district", demo.address.district);
  put(address, "street", demo.address.street);
  put(address, "building", demo.address.building);
  put(address, "flat", demo.address.flat);
  body["addresses"] = json::array{std::move(address)};
  json::array names;
  for (const auto& alias : kAliases) {
    if (std::string_view(alias.ref) != demo.ref) continue;
    json::object name{{"kind", alias.kind}};
    put(name, "chinese_name", alias.chinese_name);
    put(name, "family_name_en", alias.family_en);
    put(name, "given_names_en", alias.given_en);
    names.push_back(std::move(name));
  }
  body["names"] = std::move(names);
  return body;
}

std::string FieldErrorsText(const Error& error) {
  std::string text = error.code;
  for (const auto& field : error.fields) text += " " + field.field + ":" + field.code;
  return text;
}

/// Loads the demo clients in one transaction (see SeedDemoClients).
class Loader {
 public:
  Loader(Runtime& runtime, soci::session& sql)
      : runtime_(runtime), sql_(sql), store_(runtime.database().dialect()), duplicates_(runtime.database().dialect()),
        now_(FormatTime(Now())) {}

  DemoClientsSummary Run() {
    for (auto& [ref, id] : store_.ByExternalRefPrefix(sql_, std::string(kRefPrefix))) ids_.emplace(ref, id);
    for (const auto& demo : kPersons) AddPerson(demo);
    for (const auto& demo : kRelationships) AddRelationship(demo);
    for (const auto& demo : kHouseholds) AddHousehold(demo);
    for (const auto& demo : kConsents) AddConsent(demo);
    for (const auto& demo : kDuplicates) AddDuplicate(demo);
    return summary_;
  }

 private:
  long long UnitId(const char* code) {
    auto found = units_.find(code);
    if (found != units_.end()) return found->second;
    auto unit = auth::FindUnitByCode(sql_, code);
    if (!unit) BadTable(std::string("no unit ") + code + " (run the demo units first)");
    return units_.emplace(code, unit->id).first->second;
  }

  /// The demo account registering at a unit, if the unit has one.
  std::optional<long long> DeskStaff(const char* unit) {
    for (const auto& desk : kDesks) {
      if (std::string_view(desk.unit) == unit) return auth::FindStaffId(sql_, desk.username);
    }
    return std::nullopt;
  }

  /// The command-line actor, at the unit the record belongs to.
  audit::Actor ActorAt(const char* unit) {
    audit::Actor actor = actor_;
    actor.unit_id = UnitId(unit);
    return actor;
  }

  long long IdOf(const char* ref) {
    const auto found = ids_.find(ref);
    if (found == ids_.end()) BadTable(std::string("no person ") + ref);
    return found->second;
  }

  [[nodiscard]] bool CreatedNow(const char* ref) const { return created_.contains(ref); }

  void AddPerson(const DemoPerson& demo) {
    if (ids_.contains(demo.ref)) {
      ++summary_.existing;
      return;
    }
    auto person = runtime_.persons().PersonFromBody(RegistrationBody(demo));
    if (!person) BadTable(std::string(demo.ref) + ": " + FieldErrorsText(person.error()));
    person->external_ref = demo.ref;
    // A number someone has registered already (by hand, before loading the demo clients) is left off.
    std::erase_if(person->documents, [&](const registry::PersonDocument& document) {
      return store_.DocumentOwner(sql_, document.doc_type, document.number_hash).has_value();
    });
    runtime_.persons().InsertTrusted(sql_, ActorAt(demo.unit), DeskStaff(demo.unit), *person, UnitId(demo.unit),
                                     json::object{{"source", "seed-demo"}});
    ids_[demo.ref] = person->id;
    created_.insert(demo.ref);
    ++summary_.created;
  }

  void AddRelationship(const DemoRelationship& demo) {
    if (!registry::IsRelationshipKind(demo.kind)) BadTable(std::string("relationship kind ") + demo.kind);
    if (!CreatedNow(demo.person) && !CreatedNow(demo.related)) return;
    registry::Relationship relationship;
    relationship.person_id = IdOf(demo.person);
    relationship.related_id = IdOf(demo.related);
    relationship.kind = demo.kind;
    if (demo.note != nullptr) relationship.note = demo.note;
    const auto linked = families_.RelationshipsOf(sql_, relationship.person_id);
    if (std::ranges::any_of(linked, [&](const registry::Relationship& link) {
          return link.person_id == relationship.related_id || link.related_id == relationship.related_id;
        })) {
      return;
    }
    relationship.created_at = now_;
    families_.InsertRelationship(sql_, relationship);
    const json::object recorded = registry::ToJson(relationship);
    const audit::Actor actor = ActorAt(DemoOf(demo.person).unit);
    for (long long id : {relationship.person_id, relationship.related_id}) {
      runtime_.audit().Append(
          sql_, actor, {"person.relationship_add", "person", std::to_string(id), json::object{{"to", recorded}}});
    }
    ++summary_.relationships;
  }

  void AddHousehold(const DemoHousehold& demo) {
    auto members = demo.members | std::views::filter([](const DemoMember& member) { return member.ref != nullptr; });
    if (std::ranges::none_of(members, [&](const DemoMember& member) { return CreatedNow(member.ref); })) return;
    if (families_.HouseholdByRef(sql_, demo.ref)) return;
    registry::Household household;
    household.kind = demo.kind;
    household.name = demo.name;
    household.created_by_unit = UnitId(demo.unit);
    household.external_ref = demo.ref;
    household.created_at = now_;
    for (const auto& member : members) {
      if (!registry::IsHouseholdRole(member.role)) BadTable(std::string("household role ") + member.role);
      household.members.push_back(registry::HouseholdMember{.person_id = IdOf(member.ref), .role = member.role});
    }
    families_.InsertHousehold(sql_, household);
    const json::object recorded = registry::ToJson(household);
    const audit::Actor actor = ActorAt(demo.unit);
    for (const auto& member : household.members) {
      runtime_.audit().Append(
          sql_, actor,
          {"household.create", "person", std::to_string(member.person_id), json::object{{"to", recorded}}});
    }
    ++summary_.households;
  }

  void AddConsent(const DemoConsent& demo) {
    if (!CreatedNow(demo.ref)) return;
    const long long person_id = IdOf(demo.ref);
    registry::PersonConsent consent;
    consent.unit_id = UnitId(demo.unit);
    consent.scope = "share_record";
    consent.given_on = now_.substr(0, 10);
    consent.note = demo.note;
    store_.InsertConsent(sql_, person_id, consent, now_);
    const auto current = store_.Find(sql_, person_id);
    if (!current || !store_.Touch(sql_, person_id, current->version, now_)) {
      throw std::runtime_error("demo person " + std::string(demo.ref) + " changed while its consent was added");
    }
    runtime_.audit().Append(sql_, ActorAt(DemoOf(demo.ref).unit),
                            {"person.consent_add", "person", std::to_string(person_id),
                             json::object{{"consent_id", consent.id},
                                          {"unit_id", *consent.unit_id},
                                          {"scope", consent.scope},
                                          {"given_on", consent.given_on}}});
    ++summary_.consents;
  }

  void AddDuplicate(const DemoDuplicate& demo) {
    if (!CreatedNow(demo.earlier) && !CreatedNow(demo.later)) return;
    const long long earlier_id = IdOf(demo.earlier);
    const long long later_id = IdOf(demo.later);
    const auto loaded = store_.LoadForMatching(sql_, {earlier_id, later_id});  // merged records are left out
    const auto earlier = std::ranges::find(loaded, earlier_id, &registry::Person::id);
    const auto later = std::ranges::find(loaded, later_id, &registry::Person::id);
    if (earlier == loaded.end() || later == loaded.end()) return;
    // The score the registration's duplicate check gave the earlier record.
    const registry::MatchScore score = registry::ScoreCandidate(registry::QueryFromPerson(*later), *earlier, false);
    if (score.score < registry::kLikelyDuplicateScore) {
      BadTable(std::string(demo.later) + " scores " + std::to_string(score.score) + " against " + demo.earlier +
               ", too low for the registration to have warned");
    }
    registry::DuplicatePair pair =
        registry::PairFromScore(later_id, earlier_id, score, "registration", std::string(demo.reason), now_);
    if (!duplicates_.InsertPair(sql_, pair)) return;
    runtime_.audit().Append(
        sql_, ActorAt(DemoOf(demo.later).unit),
        {"person.duplicate_override", "person", std::to_string(later_id),
         json::object{{"reason", demo.reason},
                      {"candidates", json::array{json::object{{"person_id", earlier_id}, {"score", score.score}}}}}});
    ++summary_.duplicate_pairs;
  }

  Runtime& runtime_;
  soci::session& sql_;
  registry::PersonStore store_;
  registry::FamilyStore families_;
  registry::DuplicateStore duplicates_;
  const std::string now_;
  const audit::Actor actor_ = CommandLineActor("seed-demo");
  std::map<std::string, long long, std::less<>> ids_;
  std::map<std::string, long long, std::less<>> units_;
  std::set<std::string, std::less<>> created_;
  DemoClientsSummary summary_;
};

}  // namespace

DemoClientsSummary SeedDemoClients(Runtime& runtime) {
  auto loaded = runtime.database().Write<DemoClientsSummary>(
      [&](soci::session& sql) -> Result<DemoClientsSummary> { return Loader(runtime, sql).Run(); });
  if (!loaded) throw std::runtime_error("demo clients could not be loaded: " + loaded.error().internal);
  return *loaded;
}

}  // namespace welfare::app
