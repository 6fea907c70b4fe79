// The JSON API through real HTTP against the real server binary, on SQLite or PostgreSQL (chosen by
// WELFARE_TEST_DIALECT). Each test asserts exact status codes and problem codes, refusals as well as
// the happy path. Tests create their own records with unique names, so their order does not matter,
// except the last suites, which tamper with the trail and stop the server.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <boost/json.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "client.hpp"
#include "environment.hpp"
#include "helpers.hpp"

namespace welfare::testing {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
TEST(System, HealthReadinessAndMetrics) {
  Client client(Port());
  EXPECT_EQ(client.Get("/healthz").status, 200);
  const Reply ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  const Reply metrics = client.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(metrics.Header("content-type").starts_with("text/plain")) << metrics.Header("content-type");
  EXPECT_NE(metrics.body.find("welfare_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("welfare_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("welfare_db_pool"), std::string::npos);
}

TEST(System, SecurityHeadersOnEveryResponse) {
  Client client(Port());
  for (const std::string target : {"/healthz", "/api/v1/session", "/", "/assets/app-1234.js", "/api/v1/nothing"}) {
    const Reply reply = client.Get(target);
    const std::string csp = reply.Header("content-security-policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("unsafe-inline' ;"), std::string::npos) << target;
    EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(reply.Header("referrer-policy"), "no-referrer") << target;
    EXPECT_FALSE(reply.Header("x-request-id").empty()) << target;
  }
}

TEST(System, ServesTheWebAppWithCachingAndCompression) {
  Client client(Port());
  const Reply asset = client.Send("GET", "/assets/app-1234.js", std::nullopt, {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.body, "gzip-bytes");
  EXPECT_EQ(asset.Header("content-encoding"), "gzip");
  EXPECT_NE(asset.Header("cache-control").find("immutable"), std::string::npos);
  const Reply route = client.Get("/staff/12");
  EXPECT_EQ(route.status, 200);
  EXPECT_NE(route.body.find("OpenWelfare"), std::string::npos);
  EXPECT_TRUE(route.Header("content-type").starts_with("text/html"));
  const Reply etag = client.Send("GET", "/assets/app-1234.js", std::nullopt, {{"If-None-Match", asset.Header("etag")}});
  EXPECT_EQ(etag.status, 304);
}

TEST(System, UnknownRoutesAndMethodsAreProblems) {
  Client client(Port());
  const Reply missing = client.Get("/api/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_EQ(missing.Code(), "route_not_found");
  const Reply wrong = client.Send("PUT", "/api/v1/units", json::object{});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Code(), "method_not_allowed");
  EXPECT_EQ(wrong.Header("allow"), "GET, POST");
  const Reply json = client.Get("/healthz");
  EXPECT_EQ(json.Header("content-type"), "application/json; charset=utf-8");
}

// ---------------------------------------------------------------------------------------------
TEST(SignIn, WrongPasswordIsRefusedInTheCallersLanguage) {
  Client chinese(Port(), "zh-Hant");
  const Reply zh = SignIn(chinese, "worker", "not-the-password");
  EXPECT_EQ(zh.status, 401);
  EXPECT_EQ(zh.Code(), "invalid_credentials");
  EXPECT_EQ(Text(zh.Json(), "title"), "帳號或密碼不正確");
  Client english(Port(), "en");
  const Reply en = SignIn(english, "nobody-at-all", "not-the-password");
  EXPECT_EQ(en.status, 401);
  EXPECT_EQ(en.Code(), "invalid_credentials");  // same answer as a wrong password: no user enumeration
  EXPECT_EQ(Text(en.Json(), "title"), "Wrong username or password");
  EXPECT_FALSE(Text(en.Json(), "request_id").empty());
  SignIn(english, "worker", "OpenWelfare-worker-2026");  // a success resets the account's failure count
}

TEST(SignIn, MissingFieldsGetFieldErrors) {
  Client client(Port());
  const Reply reply = client.Post("/api/v1/session", json::object{{"username", ""}, {"colour", "red"}});
  EXPECT_EQ(reply.status, 422);
  EXPECT_EQ(reply.Code(), "validation_failed");
  EXPECT_EQ(FieldCodes(reply),
            (std::set<std::string>{"username:required", "password:required", "colour:unknown_field"}));
  for (const auto& error : reply.Json().at("errors").as_array()) EXPECT_FALSE(Text(error, "message").empty());
}

TEST(SignIn, MalformedBodiesAreRefused) {
  Client client(Port());
  const Reply broken = client.Send("POST", "/api/v1/session", std::nullopt, {}, std::string("{\"username\":"));
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.Code(), "malformed_json");
  const Reply form = client.Send("POST", "/api/v1/session", std::nullopt, {}, std::string("username=a"),
                                 "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(form.Code(), "unsupported_media_type");
  // Announced as 2 MiB: refused from the headers, before the body is read.
  const Reply huge = client.Send("POST", "/api/v1/session", std::nullopt, {{"Content-Length", "2097152"}},
                                 std::string("{\"username\":\""));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(huge.Code(), "payload_too_large");
}

TEST(SignIn, SecondFactorIsRequiredForAdministrators) {
  Client client(Port());
  const Reply without = SignIn(client, "admin", "OpenWelfare-admin-2026");
  EXPECT_EQ(without.status, 401);
  EXPECT_EQ(without.Code(), "totp_required");
  EXPECT_TRUE(client.cookie().empty());
  const Reply wrong =
      SignIn(client, "admin", "OpenWelfare-admin-2026", "000000" == CurrentTotp(kAdminSecret) ? "111111" : "000000");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.Code(), "totp_invalid");
}

TEST(SignIn, SessionCookieAndShape) {
  Client client(Port());
  const Reply reply = SignIn(client, "worker", "OpenWelfare-worker-2026");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string cookie = reply.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
  const auto body = reply.Json();
  EXPECT_EQ(Text(body.at("user"), "username"), "worker");
  EXPECT_TRUE(body.at("restricted").is_null());
  EXPECT_EQ(Int(body, "idle_timeout_seconds"), 1800);
  const auto& permissions = body.at("user").at("permissions").as_array();
  EXPECT_NE(std::ranges::find(permissions, json::value("units.read")), permissions.end());
  EXPECT_EQ(std::ranges::find(permissions, json::value("staff.manage")), permissions.end());
  const Reply current = client.Get("/api/v1/session");
  EXPECT_EQ(current.status, 200);
  EXPECT_EQ(Text(current.Json(), "csrf_token"), Text(body, "csrf_token"));
}

TEST(SignIn, NoCookieMeansUnauthenticated) {
  Client client(Port());
  const Reply reply = client.Get("/api/v1/units");
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.Code(), "unauthenticated");
  Client forged(Port());
  const Reply bad = forged.Send("GET", "/api/v1/units", std::nullopt, {{"Cookie", "ow_session=forged-token"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Code(), "unauthenticated");
}

TEST(SignIn, SignOutEndsTheSession) {
  Client client = Worker();
  const std::string cookie = client.cookie();
  const Reply out = client.Delete("/api/v1/session");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.Header("set-cookie").find("Max-Age=0"), std::string::npos) << out.Header("set-cookie");
  Client replay(Port());
  const Reply after = replay.Send("GET", "/api/v1/session", std::nullopt, {{"Cookie", "ow_session=" + cookie}});
  EXPECT_EQ(after.status, 401);
}

TEST(SignIn, SignOutEverywhereEndsOtherSessions) {
  Client first = Worker();
  Client second = Worker();
  EXPECT_EQ(second.Delete("/api/v1/sessions").status, 204);
  EXPECT_EQ(first.Get("/api/v1/session").status, 401);
}

// ---------------------------------------------------------------------------------------------
TEST(Csrf, StateChangesNeedTheToken) {
  Client client = Worker();
  client.forget_csrf();
  const Reply without = client.Put("/api/v1/me/preferences", json::object{{"locale", "en"}});
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.Code(), "csrf_failed");
  client.set_csrf("wrong-token");
  EXPECT_EQ(client.Put("/api/v1/me/preferences", json::object{{"locale", "en"}}).Code(), "csrf_failed");
}

TEST(Access, DenialIsRefusedAndAudited) {
  Client worker = Worker();
  const Reply staff = worker.Get("/api/v1/staff");
  EXPECT_EQ(staff.status, 403);
  EXPECT_EQ(staff.Code(), "permission_denied");
  const Reply create = worker.Post(
      "/api/v1/units",
      json::object{{"parent_id", 1}, {"kind", "district"}, {"code", "X"}, {"name_zh", "x"}, {"name_en", "x"}});
  EXPECT_EQ(create.status, 403);
  const auto entries = AuditEntries("action=access.denied&actor=worker");
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(Text(entries[0], "actor_username"), "worker");
  EXPECT_FALSE(Text(entries[0], "request_id").empty());
}

TEST(Access, UnitScopedStaffSeeOnlyTheirOwnPart) {
  // The supervisor reads staff only at and below the family service centre.
  Client supervisor(Port());
  ASSERT_EQ(SignIn(supervisor, "supervisor", "OpenWelfare-supervisor-2026").status, 200);
  const Reply list = supervisor.Get("/api/v1/staff?limit=200");
  ASSERT_EQ(list.status, 200) << list.body;
  const long long centre = UnitId("IFSC-EAST");
  for (const auto& account : list.Json().at("items").as_array()) EXPECT_EQ(Int(account, "unit_id"), centre) << account;
  // Staff elsewhere are not there for them.
  const Reply admin_account = Admin().Get("/api/v1/staff?q=admin");
  const long long admin_id = Int(admin_account.Json().at("items").as_array().at(0), "id");
  const Reply hidden = supervisor.Get("/api/v1/staff/" + std::to_string(admin_id));
  EXPECT_EQ(hidden.status, 404);
}

// ---------------------------------------------------------------------------------------------
TEST(Units, CreateValidateAndConflict) {
  const long long parent = UnitId("SWD");
  const std::string code = Unique("U");
  const Reply created = Admin().Post("/api/v1/units", json::object{{"parent_id", parent},
                                                                   {"kind", "district"},
                                                                   {"code", code},
                                                                   {"name_zh", "測試區"},
                                                                   {"name_en", "Test district"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const long long id = Int(created.Json(), "id");
  EXPECT_EQ(Int(created.Json(), "version"), 1);

  const Reply duplicate = Admin().Post(
      "/api/v1/units",
      json::object{
          {"parent_id", parent}, {"kind", "district"}, {"code", code}, {"name_zh", "重複"}, {"name_en", "Duplicate"}});
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_EQ(FieldCodes(duplicate), std::set<std::string>{"code:taken"});

  const Reply invalid = Admin().Post(
      "/api/v1/units", json::object{{"parent_id", 999999}, {"kind", "galaxy"}, {"name_zh", "x"}, {"name_en", "x"}});
  EXPECT_EQ(invalid.status, 422);
  const auto fields = FieldCodes(invalid);
  EXPECT_EQ(fields, (std::set<std::string>{"kind:invalid_choice", "code:required", "parent_id:not_found"}))
      << invalid.body;

  const std::string target = "/api/v1/units/" + std::to_string(id);
  const Reply updated = Admin().Patch(target, json::object{{"version", 1}, {"name_en", "Test district (renamed)"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Int(updated.Json(), "version"), 2);
  const Reply stale = Admin().Patch(target, json::object{{"version", 1}, {"name_en", "Lost update"}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.Code(), "version_conflict");
  EXPECT_EQ(Int(stale.Json(), "current_version"), 2);
  EXPECT_EQ(Text(Admin().Get(target).Json(), "name_en"), "Test district (renamed)");
  EXPECT_EQ(Admin().Get("/api/v1/units/99999999").status, 404);

  const auto entries = AuditEntries("record_type=unit&record_id=" + std::to_string(id));
  EXPECT_EQ(Actions(entries), (std::vector<std::string>{"unit.update", "unit.create"}));
  const auto& change = entries.at(0).at("changes").at("name_en");
  EXPECT_EQ(Text(change, "from"), "Test district");
  EXPECT_EQ(Text(change, "to"), "Test district (renamed)");
  EXPECT_EQ(Text(entries.at(0), "actor_username"), "admin");
}

// ---------------------------------------------------------------------------------------------
TEST(Staff, FullAdministrationIsAudited) {
  StaffBuilder builder;
  const auto account = builder.Create();
  const std::string id = std::to_string(Int(account, "id"));
  const std::string base = "/api/v1/staff/" + id;
  EXPECT_EQ(Text(account, "status"), "active");
  EXPECT_TRUE(account.at("must_change_password").as_bool());

  const Reply granted =
      Admin().Post(base + "/roles", json::object{{"role", "caseworker"}, {"unit_id", UnitId("IFSC-EAST")}});
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(Text(granted.Json(), "role"), "caseworker");
  EXPECT_FALSE(granted.Json().at("granted_by").is_null());
  const Reply unknown_role =
      Admin().Post(base + "/roles", json::object{{"role", "emperor"}, {"unit_id", UnitId("IFSC-EAST")}});
  EXPECT_EQ(unknown_role.status, 422);

  // A first sign-in may only change the password.
  Client staff(Port());
  const Reply first = SignIn(staff, builder.username, builder.password);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Text(first.Json(), "restricted"), "password_change_required");
  const Reply blocked = staff.Get("/api/v1/units");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.Code(), "password_change_required");
  const Reply weak = staff.Post("/api/v1/me/password",
                                json::object{{"current_password", builder.password}, {"new_password", "password1234"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_TRUE(FieldCodes(weak).contains("new_password:password_common")) << weak.body;
  const std::string chosen = "Harbour-lantern-" + Unique("k");
  const Reply changed =
      staff.Post("/api/v1/me/password", json::object{{"current_password", builder.password}, {"new_password", chosen}});
  ASSERT_TRUE(changed.status == 200 || changed.status == 204) << changed.body;
  EXPECT_EQ(staff.Get("/api/v1/units").status, 200);

  // Reset: a temporary password, shown once; the old one stops working.
  const Reply reset = Admin().Post(base + "/password-reset", json::object{});
  ASSERT_EQ(reset.status, 200) << reset.body;
  const std::string temporary = Text(reset.Json(), "temporary_password");
  EXPECT_GE(temporary.size(), 12u);
  Client again(Port());
  EXPECT_EQ(SignIn(again, builder.username, chosen).status, 401);
  const Reply with_temporary = SignIn(again, builder.username, temporary);
  EXPECT_EQ(with_temporary.status, 200);
  EXPECT_EQ(Text(with_temporary.Json(), "restricted"), "password_change_required");

  // Lock: sessions end and sign-in is refused with 423 until unlocked.
  const long long version = Int(Admin().Get(base).Json(), "version");
  const Reply no_reason = Admin().Post(base + "/lock", json::object{});
  EXPECT_EQ(no_reason.status, 422);
  const Reply locked = Admin().Post(base + "/lock", json::object{{"reason", "調職離任"}});
  ASSERT_EQ(locked.status, 200) << locked.body;
  EXPECT_EQ(Text(locked.Json(), "status"), "locked");
  EXPECT_GT(Int(locked.Json(), "version"), version);
  EXPECT_EQ(again.Get("/api/v1/session").status, 401);
  Client refused(Port());
  const Reply locked_out = SignIn(refused, builder.username, temporary);
  EXPECT_EQ(locked_out.status, 423);
  EXPECT_EQ(locked_out.Code(), "account_locked");
  const Reply unlocked = Admin().Post(base + "/unlock", json::object{});
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(Text(unlocked.Json(), "status"), "active");
  EXPECT_EQ(SignIn(refused, builder.username, temporary).status, 200);

  // Revoke the role.
  const auto roles = Admin().Get(base).Json().at("roles").as_array();
  ASSERT_EQ(roles.size(), 1u);
  const Reply revoked = Admin().Delete(base + "/roles/" + std::to_string(Int(roles[0], "id")));
  EXPECT_EQ(revoked.status, 204);
  EXPECT_TRUE(Admin().Get(base).Json().at("roles").as_array().empty());

  const auto actions = Actions(AuditEntries("record_type=staff&record_id=" + id + "&limit=100"));
  for (const char* action : {"staff.create", "staff.view", "staff.role_grant", "staff.password_reset", "staff.lock",
                             "staff.unlock", "staff.role_revoke", "me.password_change", "session.sign_in"}) {
    EXPECT_TRUE(Contains(actions, action)) << action;
  }
  for (const auto& entry : AuditEntries("record_type=staff&record_id=" + id + "&actor=admin")) {
    EXPECT_EQ(Text(entry, "actor_username"), "admin");
    EXPECT_FALSE(Text(entry, "at").empty());
  }
}

TEST(Staff, ValidationAndConflicts) {
  const auto account = StaffBuilder().Create();
  const std::string base = "/api/v1/staff/" + std::to_string(Int(account, "id"));
  const Reply duplicate = Admin().Post("/api/v1/staff", json::object{{"username", Text(account, "username")},
                                                                     {"display_name", "x"},
                                                                     {"email", "x@example.org"},
                                                                     {"unit_id", UnitId("SWD")},
                                                                     {"password", "Some-long-password-1"},
                                                                     {"locale", "en"}});
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_EQ(FieldCodes(duplicate), std::set<std::string>{"username:taken"});
  const Reply invalid = Admin().Post("/api/v1/staff", json::object{{"username", "a b"},
                                                                   {"display_name", ""},
                                                                   {"email", "not-an-email"},
                                                                   {"unit_id", 999999},
                                                                   {"password", "short"},
                                                                   {"locale", "fr"}});
  EXPECT_EQ(invalid.status, 422);
  const auto fields = FieldCodes(invalid);
  for (const char* field : {"username:", "display_name:", "email:", "unit_id:", "password:", "locale:"}) {
    EXPECT_TRUE(std::ranges::any_of(fields, [&](const std::string& code) { return code.starts_with(field); }))
        << field << " in " << invalid.body;
  }
  const long long version = Int(account, "version");
  const Reply updated = Admin().Patch(base, json::object{{"version", version}, {"display_name", "新名字"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  const Reply stale = Admin().Patch(base, json::object{{"version", version}, {"display_name", "舊名字"}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.Code(), "version_conflict");
  EXPECT_EQ(Int(stale.Json(), "current_version"), version + 1);
}

TEST(Staff, ListFiltersAndPagesByKeyset) {
  const std::string marker = Unique("pager");
  for (int account_idx = 0; account_idx < 5; ++account_idx) {
    StaffBuilder builder;
    builder.username = marker + "n" + std::to_string(account_idx);
    builder.Create();
  }
  std::set<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    const Reply page = Admin().Get("/api/v1/staff?q=" + marker + "&limit=2" + (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& account : page.Json().at("items").as_array()) seen.insert(Text(account, "username"));
    const auto& next = page.Json().at("next_cursor");
    after = next.is_string() ? std::string(next.as_string()) : std::string();
    ++pages;
  } while (!after.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(Admin().Get("/api/v1/staff?limit=0").status, 422);
  EXPECT_EQ(Admin().Get("/api/v1/staff?status=sleeping").status, 422);
}

TEST(Staff, RepeatedFailuresThrottleTheAccount) {
  StaffBuilder builder;
  builder.Create();
  Client client(Port());
  for (int attempt = 0; attempt < 5; ++attempt)
    EXPECT_EQ(SignIn(client, builder.username, "wrong-password!").status, 401);
  const Reply throttled = SignIn(client, builder.username, builder.password);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Code(), "too_many_attempts");
  EXPECT_FALSE(Text(throttled.Json(), "locked_until").empty()) << throttled.body;
  EXPECT_GT(std::stoi(throttled.Header("retry-after")), 800) << throttled.body;  // about 15 minutes
  const auto entries = AuditEntries("action=session.sign_in_failed&actor=" + builder.username);
  EXPECT_EQ(entries.size(), 6u);
}

TEST(Staff, RolesThatNeedASecondFactorRestrictUntilEnrolled) {
  StaffBuilder builder;
  builder.unit_code = "SWD";
  builder.WithRole("auditor").Create();
  auto [client, password] = ReadyAccount(builder);
  const Reply session = client.Get("/api/v1/session");
  EXPECT_EQ(Text(session.Json(), "restricted"), "totp_setup_required");
  EXPECT_EQ(client.Get("/api/v1/audit").Code(), "totp_setup_required");

  const Reply setup = client.Post("/api/v1/me/totp/setup", json::object{});
  ASSERT_EQ(setup.status, 200) << setup.body;
  const std::string secret = Text(setup.Json(), "secret");
  EXPECT_TRUE(Text(setup.Json(), "otpauth_uri").starts_with("otpauth://totp/"));
  EXPECT_EQ(client.Post("/api/v1/me/totp/confirm", json::object{{"code", "12345"}}).status, 422);
  const Reply confirmed = client.Post("/api/v1/me/totp/confirm", json::object{{"code", FreshTotp(secret)}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const auto& codes = confirmed.Json().at("recovery_codes").as_array();
  ASSERT_EQ(codes.size(), 10u);
  EXPECT_TRUE(client.Get("/api/v1/session").Json().at("restricted").is_null());
  EXPECT_EQ(client.Get("/api/v1/audit").status, 200);

  // Replacing the authenticator needs a code from the current one.
  ASSERT_EQ(client.Post("/api/v1/me/totp/setup", json::object{}).status, 200);
  const Reply without_current = client.Post("/api/v1/me/totp/confirm", json::object{{"code", "123456"}});
  EXPECT_EQ(FieldCodes(without_current), std::set<std::string>{"current_code:required"}) << without_current.body;
  const Reply wrong_current =
      client.Post("/api/v1/me/totp/confirm", json::object{{"code", "123456"}, {"current_code", "000000"}});
  EXPECT_TRUE(FieldCodes(wrong_current).contains("current_code:totp_invalid")) << wrong_current.body;
  EXPECT_EQ(AuditEntries("action=me.code_failed&actor=" + builder.username).size(), 1u);

  // A recovery code stands in for the authenticator once.
  Client other(Port());
  EXPECT_EQ(SignIn(other, builder.username, password).Code(), "totp_required");
  const std::string recovery(codes[0].as_string());
  EXPECT_EQ(SignIn(other, builder.username, password, recovery).status, 200);
  Client replay(Port());
  EXPECT_EQ(SignIn(replay, builder.username, password, recovery).Code(), "totp_invalid");

  // The administrator clears the second factor; the account must enrol again.
  const std::string base = "/api/v1/staff/" + std::to_string(Int(session.Json().at("user"), "id"));
  EXPECT_EQ(Admin().Post(base + "/totp-reset", json::object{}).status, 200);
  Client after_reset(Port());
  const Reply signed_in = SignIn(after_reset, builder.username, password);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_EQ(Text(signed_in.Json(), "restricted"), "totp_setup_required");
}

TEST(Staff, GuessingTheCurrentPasswordEndsTheSession) {
  StaffBuilder builder;
  builder.Create();
  auto [client, password] = ReadyAccount(builder);
  for (int attempt = 0; attempt < 4; ++attempt) {
    const Reply wrong = client.Post("/api/v1/me/password", json::object{{"current_password", "not-it-" + Unique("g")},
                                                                        {"new_password", "Another-long-pass-77"}});
    EXPECT_TRUE(FieldCodes(wrong).contains("current_password:password_wrong")) << wrong.body;
  }
  EXPECT_EQ(client.Get("/api/v1/session").status, 200);
  client.Post("/api/v1/me/password",
              json::object{{"current_password", "not-it-last"}, {"new_password", "Another-long-pass-77"}});
  EXPECT_EQ(client.Get("/api/v1/session").status, 401);  // the fifth wrong guess ends it
  Client again(Port());
  EXPECT_EQ(SignIn(again, builder.username, password).Code(), "too_many_attempts");
  const auto entries = AuditEntries("action=me.code_failed&actor=" + builder.username);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_FALSE(Text(entries[0].at("changes"), "locked_until").empty());
}

TEST(Staff, PreferencesAreValidated) {
  Client client = Worker();
  EXPECT_EQ(client.Put("/api/v1/me/preferences", json::object{{"locale", "tlh"}}).status, 422);
  const Reply saved = client.Put("/api/v1/me/preferences", json::object{{"locale", "en"}});
  ASSERT_TRUE(saved.status == 200 || saved.status == 204) << saved.body;
  EXPECT_EQ(Text(client.Get("/api/v1/session").Json().at("user"), "locale"), "en");
  EXPECT_EQ(client.Put("/api/v1/me/preferences", json::object{{"locale", "zh-Hant"}}).status / 100, 2);
}

// ---------------------------------------------------------------------------------------------
TEST(ApiTokens, BearerTokensActWithinTheirScopes) {
  const Reply created = Admin().Post(
      "/api/v1/api-tokens",
      json::object{{"name", Unique("partner")}, {"unit_id", UnitId("SWD")}, {"scopes", json::array{"units.read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string token = Text(created.Json(), "token");
  ASSERT_TRUE(token.starts_with("ow_")) << token;
  Client partner(Port());
  partner.set_bearer(token);
  EXPECT_EQ(partner.Get("/api/v1/units").status, 200);
  EXPECT_EQ(partner.Get("/api/v1/staff").status, 403);
  EXPECT_EQ(partner.Post("/api/v1/units", json::object{}).status, 403);
  // A token has no staff session or account of its own.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/session"}, {"DELETE", "/api/v1/sessions"}, {"POST", "/api/v1/me/totp/setup"}}) {
    const Reply refused =
        partner.Send(method, target, method == "POST" ? std::optional<json::value>(json::object{}) : std::nullopt);
    EXPECT_EQ(refused.status, 403) << method << " " << target << " " << refused.body;
    EXPECT_EQ(refused.Code(), "permission_denied");
  }

  const Reply beyond = Admin().Post(
      "/api/v1/api-tokens",
      json::object{{"name", Unique("greedy")}, {"unit_id", UnitId("SWD")}, {"scopes", json::array{"audit.export"}}});
  EXPECT_EQ(beyond.status, 422) << beyond.body;

  // Every token works, whatever random characters it was given.
  for (int token_idx = 0; token_idx < 20; ++token_idx) {
    const Reply another = Admin().Post(
        "/api/v1/api-tokens",
        json::object{{"name", Unique("bulk")}, {"unit_id", UnitId("SWD")}, {"scopes", json::array{"units.read"}}});
    ASSERT_EQ(another.status, 201) << another.body;
    Client bulk(Port());
    bulk.set_bearer(Text(another.Json(), "token"));
    EXPECT_EQ(bulk.Get("/api/v1/units").status, 200) << Text(another.Json(), "token");
    EXPECT_EQ(Admin().Delete("/api/v1/api-tokens/" + std::to_string(Int(another.Json(), "id"))).status, 204);
  }

  const Reply listed = Admin().Get("/api/v1/api-tokens");
  EXPECT_EQ(listed.body.find(token), std::string::npos);  // never shown again
  EXPECT_EQ(Admin().Delete("/api/v1/api-tokens/" + std::to_string(Int(created.Json(), "id"))).status, 204);
  EXPECT_EQ(partner.Get("/api/v1/units").status, 401);
  Client garbage(Port());
  garbage.set_bearer("ow_nope_nope");
  EXPECT_EQ(garbage.Get("/api/v1/units").status, 401);
}

// ---------------------------------------------------------------------------------------------
TEST(Audit, ExportNeedsItsOwnPermissionAndIsCsv) {
  EXPECT_EQ(Admin().Get("/api/v1/audit/export").status, 403);
  const Reply csv = Auditor().Get("/api/v1/audit/export?action=session.");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(csv.Header("content-type").starts_with("text/csv")) << csv.Header("content-type");
  EXPECT_NE(csv.Header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBFid,at,")) << csv.body.substr(0, 100);  // BOM: Excel reads UTF-8
  EXPECT_NE(csv.body.find("session.sign_in"), std::string::npos);
  const Reply bad_query = Auditor().Get("/api/v1/audit?from=yesterday&limit=0");
  EXPECT_EQ(bad_query.status, 422);
  EXPECT_EQ(FieldCodes(bad_query), (std::set<std::string>{"from:invalid_format", "limit:out_of_range"}));
}

TEST(Audit, VerificationRunsAsABackgroundJob) {
  const Reply started = Admin().Post("/api/v1/audit/verify", json::object{});
  ASSERT_EQ(started.status, 202) << started.body;
  const std::string job = "/api/v1/jobs/" + std::to_string(Int(started.Json().at("job"), "id"));
  json::value body;
  for (int attempt = 0; attempt < 200; ++attempt) {
    body = Admin().Get(job).Json();
    if (Text(body, "status") == "succeeded" || Text(body, "status") == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(Text(body, "status"), "succeeded") << json::serialize(body);
  EXPECT_TRUE(body.at("result").at("ok").as_bool()) << json::serialize(body);
  EXPECT_GT(Int(body.at("result"), "entries_checked"), 10);
  EXPECT_EQ(Admin().Get("/api/v1/jobs").status, 200);
  EXPECT_EQ(FieldCodes(Admin().Get("/api/v1/jobs?status=zzz")), std::set<std::string>{"status:invalid_choice"});
  EXPECT_EQ(Worker().Get("/api/v1/jobs").status, 403);
}

// ---------------------------------------------------------------------------------------------
TEST(CommandLine, SeedDemoIsIdempotentAndPrintsTheAccounts) {
  auto& environment = ServerEnvironment::Get();
  const auto again = environment.Welfare({"seed-demo", "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const auto parsed = json::parse(again.output.substr(again.output.find('{')));
  const auto& accounts = parsed.at("accounts").as_array();
  EXPECT_EQ(accounts.size(), 8u);
  const Reply units = Admin().Get("/api/v1/units");
  std::set<std::string> codes;
  for (const auto& unit : units.Json().at("items").as_array()) {
    EXPECT_TRUE(codes.insert(Text(unit, "code")).second) << "unit " << Text(unit, "code") << " seeded twice";
  }
  const auto production = environment.Welfare({"seed-demo", "--production"});
  EXPECT_NE(production.exit_code, 0);
}

/// A system of its own for a test that must not change the shared database: a fresh database (a SQLite file, or a
/// PostgreSQL database beside the shared one) with its key file and, once started, a server on it. The server is
/// stopped and the database dropped at the end.
class ScratchSystem {
 public:
  explicit ScratchSystem(const std::string& name) : name_(name), environment_(ServerEnvironment::Get()) {
    key_file_ = (environment_.dir() / (name + ".key")).string();
    if (!environment_.postgresql()) {
      database_url_ = "sqlite://" + (environment_.dir() / (name + ".db")).string();
      return;
    }
    const std::string& shared = environment_.database_url();
    pg_database_ = shared.substr(shared.rfind('/') + 1) + "_" + name;
    soci::session admin(*soci::factory_postgresql(), PgConnectString(environment_.admin_url()));
    admin << "CREATE DATABASE " + pg_database_ + " OWNER welfare_app";
    database_url_ = shared.substr(0, shared.rfind('/') + 1) + pg_database_;
  }
  ScratchSystem(const ScratchSystem&) = delete;
  ScratchSystem& operator=(const ScratchSystem&) = delete;
  ~ScratchSystem() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (pg_database_.empty()) return;
    try {
      soci::session admin(*soci::factory_postgresql(), PgConnectString(environment_.admin_url()));
      admin << "DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)";
    } catch (const std::exception&) {  // the test cluster is removed afterwards anyway
    }
  }

  /// Runs the welfare binary on this system's database.
  [[nodiscard]] CommandResult Welfare(std::vector<std::string> args) const {
    args.insert(args.end(), {"--database", database_url_, "--secret-key-file", key_file_});
    return environment_.Welfare(args);
  }

  /// Starts a server on this system's database and waits until it is ready; returns its port.
  [[nodiscard]] unsigned short Serve() {
    const unsigned short port = FreePort();
    const std::string log = (environment_.dir() / (name_ + ".log")).string();
    pid_ = StartWelfareServer(std::getenv("WELFARE_BIN"), database_url_, key_file_, port,
                              {"--threads", "2", "--web-root", (environment_.dir() / "web").string()}, log);
    return port;
  }

 private:
  std::string name_;
  const ServerEnvironment& environment_;
  std::string database_url_;
  std::string key_file_;
  std::string pg_database_;
  pid_t pid_ = -1;
};

/// The `clients` summary of `seed-demo --clients --json`.
json::value ClientsSummary(const CommandResult& result) {
  if (result.exit_code != 0) throw std::runtime_error("seed-demo --clients failed: " + result.output);
  return json::parse(result.output.substr(result.output.find('{'))).at("clients");
}

/// Search hits of a signed-in client.
json::array SearchHits(Client& client, const std::string& query) {
  std::string encoded;
  for (unsigned char character : query) {
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", character);
    encoded += std::isalnum(character) ? std::string(1, static_cast<char>(character)) : std::string(escaped);
  }
  const Reply reply = client.Get("/api/v1/persons?q=" + encoded);
  if (reply.status != 200) throw std::runtime_error("search " + query + ": " + reply.body);
  return reply.Json().at("items").as_array();
}

TEST(CommandLine, SeedDemoClientsFillsAFreshRegistryOnce) {
  ScratchSystem system("demo_clients");
  const auto migrated = system.Welfare({"migrate"});
  ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  const json::value first = ClientsSummary(system.Welfare({"seed-demo", "--clients", "--json"}));
  const long long created = Int(first, "created");
  EXPECT_GE(created, 25);
  EXPECT_LE(created, 40);
  EXPECT_EQ(Int(first, "existing"), 0);
  EXPECT_GT(Int(first, "relationships"), 0);
  EXPECT_GT(Int(first, "households"), 0);
  EXPECT_EQ(Int(first, "consents"), 1);
  EXPECT_EQ(Int(first, "duplicate_pairs"), 3);

  // Running it again creates nothing.
  const json::value second = ClientsSummary(system.Welfare({"seed-demo", "--clients", "--json"}));
  EXPECT_EQ(Int(second, "created"), 0);
  EXPECT_EQ(Int(second, "existing"), created);
  for (const char* field : {"relationships", "households", "consents", "duplicate_pairs"}) {
    EXPECT_EQ(Int(second, field), 0) << field;
  }
  const auto text = system.Welfare({"seed-demo", "--clients"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("Demo clients: 0 registered now, " + std::to_string(created) + " already there"),
            std::string::npos)
      << text.output;
  const auto verified = system.Welfare({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;

  const unsigned short port = system.Serve();
  Client worker(port);
  ASSERT_EQ(SignIn(worker, "worker", "OpenWelfare-worker-2026").status, 200);
  // A client of the worker's own centre, by Chinese or English name: the whole record and the family.
  const auto by_chinese = SearchHits(worker, "梁偉傑");
  ASSERT_FALSE(by_chinese.empty());
  const json::value& leung = by_chinese.at(0).at("person");
  EXPECT_EQ(Text(leung, "access"), "full");
  EXPECT_EQ(Text(leung, "chinese_name"), "梁偉傑");
  const auto by_english = SearchHits(worker, "LEUNG Wai Kit");
  ASSERT_FALSE(by_english.empty());
  EXPECT_EQ(Int(by_english.at(0).at("person"), "id"), Int(leung, "id"));
  const Reply family = worker.Get("/api/v1/persons/" + std::to_string(Int(leung, "id")) + "/family");
  ASSERT_EQ(family.status, 200) << family.body;
  EXPECT_EQ(family.Json().at("relationships").as_array().size(), 5u);  // parents, wife, children
  ASSERT_EQ(family.Json().at("households").as_array().size(), 1u);
  EXPECT_EQ(family.Json().at("households").at(0).at("members").as_array().size(), 6u);
  // The domestic violence case: the address must not be disclosed.
  const auto mother = SearchHits(worker, "陳美玲 1988-07-19");
  ASSERT_FALSE(mother.empty());
  const Reply record = worker.Get("/api/v1/persons/" + std::to_string(Int(mother.at(0).at("person"), "id")));
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_TRUE(record.Json().at("protected_address").as_bool());
  // Registered at another unit: known, contact that unit, nothing else.
  const auto elsewhere = SearchHits(worker, "吳玉珍 1945-11-08");
  ASSERT_EQ(elsewhere.size(), 1u);
  const json::value& restricted = elsewhere.at(0).at("person");
  EXPECT_EQ(Text(restricted, "access"), "restricted");
  EXPECT_FALSE(restricted.as_object().contains("chinese_name"));
  EXPECT_EQ(Text(restricted.at("contact_units").at(0), "code"), "IFSC-KC");
  // Registered at another unit with a consent to share with the worker's centre.
  const auto consented = SearchHits(worker, "鄭家豪 1983-02-14");
  ASSERT_EQ(consented.size(), 1u);
  EXPECT_EQ(Text(consented.at(0).at("person"), "access"), "shared");
  EXPECT_EQ(Text(consented.at(0).at("person"), "access_reason"), "consent");

  // The Hualien clerk finds the township's clients, not Hong Kong's.
  Client clerk(port);
  ASSERT_EQ(SignIn(clerk, "clerk", "OpenWelfare-clerk-2026").status, 200);
  const auto township = SearchHits(clerk, "林金水");
  ASSERT_FALSE(township.empty());
  EXPECT_EQ(Text(township.at(0).at("person"), "access"), "full");
  EXPECT_TRUE(SearchHits(clerk, "梁偉傑").empty());

  // The data steward has the likely duplicates to review.
  Client steward(port);
  ASSERT_EQ(SignIn(steward, "steward", "OpenWelfare-steward-2026").status, 200);
  const Reply pairs = steward.Get("/api/v1/duplicates");
  ASSERT_EQ(pairs.status, 200) << pairs.body;
  ASSERT_EQ(pairs.Json().at("items").as_array().size(), 3u);
  for (const auto& item : pairs.Json().at("items").as_array()) {
    EXPECT_EQ(Text(item.at("pair"), "source"), "registration");
    EXPECT_FALSE(Text(item.at("pair"), "note").empty());
  }
}

TEST(CommandLine, ServeRefusesPendingMigrations) {
  auto& environment = ServerEnvironment::Get();
  const std::string empty = "sqlite://" + (environment.dir() / "empty.db").string();
  const auto refused = environment.Welfare({"serve", "--database", empty, "--port", "0"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("welfare migrate"), std::string::npos) << refused.output;
}

TEST(CommandLine, BehindAProxyTheForwardedAddressIsTheClient) {
  auto& environment = ServerEnvironment::Get();
  const unsigned short port = FreePort();
  const pid_t pid = environment.StartServer(port, {"--behind-proxy"}, (environment.dir() / "proxied.log").string());
  Client client(port);
  const std::string username = Unique("ghost");
  client.Send("POST", "/api/v1/session", json::object{{"username", username}, {"password", "whatever-it-is"}},
              {{"X-Forwarded-For", "198.51.100.1, 203.0.113.7"}});
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const auto entries = AuditEntries("action=session.sign_in_failed&actor=" + username);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(Text(entries[0], "client_ip"), "203.0.113.7");
  // Without the option the header is ignored: anyone could write it.
  Client direct(Port());
  const std::string other = Unique("ghost");
  direct.Send("POST", "/api/v1/session", json::object{{"username", other}, {"password", "whatever-it-is"}},
              {{"X-Forwarded-For", "203.0.113.7"}});
  const auto ignored = AuditEntries("action=session.sign_in_failed&actor=" + other);
  ASSERT_EQ(ignored.size(), 1u);
  EXPECT_EQ(Text(ignored[0], "client_ip"), "127.0.0.1");
}

TEST(CommandLine, HelpAndVersion) {
  auto& environment = ServerEnvironment::Get();
  for (const char* command : {"serve", "migrate", "seed-demo", "create-admin", "audit", "version"}) {
    const auto help = environment.Welfare({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command << help.output;
  }
  EXPECT_EQ(environment.Welfare({"version"}).exit_code, 0);
}

TEST(Storage, TheApplicationRoleCannotRewriteTheTrail) {
  auto& environment = ServerEnvironment::Get();
  if (!environment.postgresql()) GTEST_SKIP() << "PostgreSQL only; SQLite's triggers are covered by the unit tests";
  soci::session app(*soci::factory_postgresql(), PgConnectString(environment.database_url()));
  EXPECT_THROW(app << "UPDATE audit_entries SET action = 'x' WHERE id = 1", soci::soci_error);
  EXPECT_THROW(app << "DELETE FROM audit_entries WHERE id = 1", soci::soci_error);
}

}  // namespace
}  // namespace welfare::testing
