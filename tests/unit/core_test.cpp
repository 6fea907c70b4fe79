// Core: time, languages and the message catalog, the error model, JSON body reading.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/messages.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace welfare {
namespace {

TEST(Time, FormatsFixedWidthUtcThatSortsAsText) {
  const auto time = ParseTime("2026-11-22T10:00:00.000001Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(FormatTime(*time), "2026-11-22T10:00:00.000001Z");
  const auto later = ParseTime("2026-11-22T10:00:00.000010Z");
  ASSERT_TRUE(later);
  EXPECT_LT(FormatTime(*time), FormatTime(*later));
}

TEST(Time, ParsesDatesOffsetsAndShortForms) {
  EXPECT_EQ(FormatTime(*ParseTime("2026-01-02")), "2026-01-02T00:00:00.000000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2026-01-02T08:30")), "2026-01-02T08:30:00.000000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2026-01-02T08:30:00+08:00")), "2026-01-02T00:30:00.000000Z");
  EXPECT_EQ(FormatTime(*ParseTime("2026-01-02T00:30:00.5Z")), "2026-01-02T00:30:00.500000Z");
}

TEST(Time, RefusesNonsense) {
  for (const char* text :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2026-01-02T25:00", "2026-01-02T10:00:00X", "2026-1-2"}) {
    EXPECT_FALSE(ParseTime(text)) << text;
  }
}

TEST(Time, NowRoundTrips) {
  const auto now = Now();
  EXPECT_EQ(ParseTime(FormatTime(now)), now);
}

TEST(Locale, NegotiatesFromAcceptLanguage) {
  EXPECT_EQ(NegotiateLocale(""), Locale::kZhHant);
  EXPECT_EQ(NegotiateLocale("en"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("en-GB,en;q=0.9"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("zh-TW,zh;q=0.9,en;q=0.8"), Locale::kZhHant);
  EXPECT_EQ(NegotiateLocale("fr-FR, en;q=0.5"), Locale::kEn);
  EXPECT_EQ(NegotiateLocale("fr"), Locale::kZhHant);
  Locale parsed = Locale::kEn;
  EXPECT_TRUE(ParseLocaleTag("zh-Hant", parsed));
  EXPECT_EQ(parsed, Locale::kZhHant);
  EXPECT_FALSE(ParseLocaleTag("klingon", parsed));
  EXPECT_EQ(LocaleTag(Locale::kEn), "en");
}

TEST(Messages, EveryProblemCodeOfTheContractHasBothLanguages) {
  for (const char* code : {"validation_failed",
                           "malformed_json",
                           "unauthenticated",
                           "invalid_credentials",
                           "totp_required",
                           "totp_invalid",
                           "account_locked",
                           "too_many_attempts",
                           "password_change_required",
                           "totp_setup_required",
                           "permission_denied",
                           "csrf_failed",
                           "not_found",
                           "version_conflict",
                           "already_exists",
                           "method_not_allowed",
                           "payload_too_large",
                           "unsupported_media_type",
                           "internal",
                           "unavailable"}) {
    EXPECT_TRUE(HasProblemText(code)) << code;
    EXPECT_NE(ProblemTitle(code, Locale::kZhHant), ProblemTitle(code, Locale::kEn)) << code;
    EXPECT_FALSE(ProblemDetail(code, Locale::kEn).empty()) << code;
  }
}

TEST(Messages, FieldMessagesFillPlaceholders) {
  EXPECT_TRUE(HasFieldText("too_short"));
  EXPECT_EQ(FieldMessage("too_short", {{"min", "12"}}, Locale::kEn), "Use at least 12 characters.");
  EXPECT_EQ(FieldMessage("too_short", {{"min", "12"}}, Locale::kZhHant), "至少需要 12 個字元。");
}

TEST(Errors, FieldErrorsFinishOnlyWhenSomethingWasAdded) {
  FieldErrors errors;
  EXPECT_TRUE(errors.Finish());
  errors.Add("username", "required");
  const auto status = errors.Finish();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().canonical, Canonical::kInvalidArgument);
  EXPECT_EQ(status.error().code, "validation_failed");
  ASSERT_EQ(status.error().fields.size(), 1u);
  EXPECT_EQ(status.error().fields[0].field, "username");
}

TEST(Errors, ConflictCarriesTheCurrentVersion) {
  const Error error = Error::Conflict(7);
  EXPECT_EQ(error.code, "version_conflict");
  EXPECT_EQ(error.extra.at("current_version").as_int64(), 7);
}

TEST(Json, MalformedBodiesAreRefused) {
  EXPECT_EQ(ParseJsonObject("{").error().code, "malformed_json");
  EXPECT_EQ(ParseJsonObject("[1]").error().code, "malformed_json");
  EXPECT_TRUE(ParseJsonObject(R"({"a":1})"));
}

TEST(Json, ReaderCollectsEveryProblemAtOnce) {
  const auto object = boost::json::parse(R"({"name":"  陳大文  ","age":"x","extra":1,"tags":["a",2]})").as_object();
  JsonReader reader(object);
  EXPECT_EQ(reader.RequiredString("name", 1, 3), "陳大文");  // code points, not bytes
  reader.RequiredInt("age");
  reader.RequiredString("missing");
  reader.OptionalStringArray("tags");
  reader.RejectUnknown({"name", "age", "missing", "tags"});
  const auto status = reader.Finish();
  ASSERT_FALSE(status);
  std::map<std::string, std::string> by_field;
  for (const auto& field : status.error().fields) by_field[field.field] = field.code;
  EXPECT_EQ(by_field["age"], "invalid_type");
  EXPECT_EQ(by_field["missing"], "required");
  EXPECT_EQ(by_field["extra"], "unknown_field");
  EXPECT_TRUE(by_field.contains("tags"));
  EXPECT_FALSE(by_field.contains("name"));
}

TEST(Json, StringLimitsCountCodePoints) {
  const auto object = boost::json::parse(R"({"a":"","b":"abcdef"})").as_object();
  JsonReader reader(object);
  reader.RequiredString("a");
  reader.RequiredString("b", 1, 5);
  const auto status = reader.Finish();
  ASSERT_FALSE(status);
  ASSERT_EQ(status.error().fields.size(), 2u);
  EXPECT_EQ(status.error().fields[1].code, "too_long");
  EXPECT_EQ(Utf8Length("社會福利"), 4u);
}

TEST(DatabaseUrl, ParsesBothEnginesAndHidesPasswords) {
  const auto sqlite = db::ParseDatabaseUrl("sqlite://var/welfare.db");
  ASSERT_TRUE(sqlite);
  EXPECT_EQ(sqlite->dialect, db::Dialect::kSqlite);
  const auto pg = db::ParseDatabaseUrl("postgresql://app:s3cret@127.0.0.1:5433/welfare");
  ASSERT_TRUE(pg);
  EXPECT_EQ(pg->dialect, db::Dialect::kPostgresql);
  EXPECT_EQ(pg->display.find("s3cret"), std::string::npos);
  EXPECT_NE(pg->connect_string.find("s3cret"), std::string::npos);
  EXPECT_NE(pg->connect_string.find("dbname='welfare'"), std::string::npos) << pg->connect_string;
  EXPECT_NE(pg->connect_string.find("port='5433'"), std::string::npos) << pg->connect_string;
  EXPECT_FALSE(db::ParseDatabaseUrl("mysql://x"));
  EXPECT_FALSE(db::ParseDatabaseUrl("sqlite://"));
}

}  // namespace
}  // namespace welfare
