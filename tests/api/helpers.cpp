// Helpers shared by the API test files: clients signed in as the demo accounts, builders, audit look-ups.
#include "helpers.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

namespace welfare::testing {

namespace json = boost::json;

unsigned short Port() { return ServerEnvironment::Get().port(); }

/// A name no other test uses.
std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(getpid() % 10000) + "x" + std::to_string(++counter);
}

std::string Text(const json::value& value, std::string_view key) {
  const auto* member = value.as_object().if_contains(key);
  return member != nullptr && member->is_string() ? std::string(member->as_string()) : std::string();
}
long long Int(const json::value& value, std::string_view key) {
  return value.as_object().at(key).to_number<long long>();
}

/// The field codes of a validation problem, as "field:code".
std::set<std::string> FieldCodes(const Reply& reply) {
  std::set<std::string> out;
  const auto body = reply.Json();
  if (!body.is_object() || !body.as_object().contains("errors")) return out;
  for (const auto& error : body.at("errors").as_array()) out.insert(Text(error, "field") + ":" + Text(error, "code"));
  return out;
}

/// Signs a client in and keeps its CSRF token, like the console does.
Reply SignIn(Client& client, const std::string& username, const std::string& password, const std::string& totp) {
  json::object body{{"username", username}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  Reply reply = client.Post("/api/v1/session", body);
  if (reply.status == 200) client.set_csrf(Text(reply.Json(), "csrf_token"));
  return reply;
}

/// Waits until the next 30-second TOTP step so a fresh code is not refused as a replay.
std::string FreshTotp(const std::string& secret) {
  static std::map<std::string, std::string> last_used;
  std::string code = CurrentTotp(secret);
  while (last_used[secret] == code) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    code = CurrentTotp(secret);
  }
  last_used[secret] = code;
  return code;
}

const char* const kAdminSecret = "OWDEMOADMINSECRETAAAAAAAAAAAAAAA";
const char* const kAuditorSecret = "OWDEMOAUDITORSECRETAAAAAAAAAAAAA";

/// One signed-in administrator shared by the tests (a TOTP code works once per 30 seconds).
Client& Admin() {
  static Client client = [] {
    Client admin(Port());
    const Reply reply = SignIn(admin, "admin", "OpenWelfare-admin-2026", FreshTotp(kAdminSecret));
    if (reply.status != 200) throw std::runtime_error("admin sign-in failed: " + reply.body);
    return admin;
  }();
  return client;
}

Client& Auditor() {
  static Client client = [] {
    Client auditor(Port());
    const Reply reply = SignIn(auditor, "auditor", "OpenWelfare-auditor-2026", FreshTotp(kAuditorSecret));
    if (reply.status != 200) throw std::runtime_error("auditor sign-in failed: " + reply.body);
    return auditor;
  }();
  return client;
}

Client Worker() {
  Client worker(Port());
  const Reply reply = SignIn(worker, "worker", "OpenWelfare-worker-2026");
  if (reply.status != 200) throw std::runtime_error("worker sign-in failed: " + reply.body);
  return worker;
}

/// The id of a demo unit by code.
long long UnitId(const std::string& code) {
  const Reply reply = Admin().Get("/api/v1/units");
  for (const auto& unit : reply.Json().at("items").as_array()) {
    if (Text(unit, "code") == code) return Int(unit, "id");
  }
  throw std::runtime_error("no unit " + code);
}

json::value StaffBuilder::Create() const {
  const Reply created = Admin().Post("/api/v1/staff", json::object{{"username", username},
                                                                   {"display_name", "測試 " + username},
                                                                   {"email", username + "@example.org"},
                                                                   {"unit_id", UnitId(unit_code)},
                                                                   {"password", password},
                                                                   {"locale", "zh-Hant"}});
  if (created.status != 201) throw std::runtime_error("create staff: " + created.body);
  if (!role.empty()) {
    const Reply granted = Admin().Post("/api/v1/staff/" + std::to_string(Int(created.Json(), "id")) + "/roles",
                                       json::object{{"role", role}, {"unit_id", UnitId(unit_code)}});
    if (granted.status != 201) throw std::runtime_error("grant role: " + granted.body);
  }
  return created.Json();
}

/// Signs a new account in and changes its first password; returns the client and the new password.
std::pair<Client, std::string> ReadyAccount(const StaffBuilder& builder) {
  Client client(Port());
  const Reply first = SignIn(client, builder.username, builder.password);
  if (first.status != 200) throw std::runtime_error("first sign-in: " + first.body);
  const std::string new_password = "Changed-password-" + Unique("q");
  const Reply changed = client.Post(
      "/api/v1/me/password", json::object{{"current_password", builder.password}, {"new_password", new_password}});
  if (changed.status != 200 && changed.status != 204) throw std::runtime_error("change password: " + changed.body);
  return {std::move(client), new_password};
}

/// Audit entries matching a query string, newest first.
json::array AuditEntries(const std::string& query) {
  const Reply reply = Admin().Get("/api/v1/audit?" + query);
  if (reply.status != 200) throw std::runtime_error("audit search: " + reply.body);
  return reply.Json().at("items").as_array();
}
std::vector<std::string> Actions(const json::array& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) out.push_back(Text(entry, "action"));
  return out;
}
bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::ranges::find(list, value) != list.end();
}

}  // namespace welfare::testing
