/// \file Helpers shared by the API test files.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "client.hpp"
#include "environment.hpp"

namespace welfare::testing {

/// The port of the test server.
[[nodiscard]] unsigned short Port();
/// A name no other test uses.
[[nodiscard]] std::string Unique(const std::string& prefix);
/// A string member of a JSON object ("" when absent or not a string).
[[nodiscard]] std::string Text(const boost::json::value& value, std::string_view key);
/// A number member of a JSON object.
[[nodiscard]] long long Int(const boost::json::value& value, std::string_view key);
/// The field codes of a validation problem, as "field:code".
[[nodiscard]] std::set<std::string> FieldCodes(const Reply& reply);
/// Signs a client in and keeps its CSRF token, like the console does.
Reply SignIn(Client& client, const std::string& username, const std::string& password, const std::string& totp = "");
/// Waits until the next 30-second TOTP step so a fresh code is not refused as a replay.
[[nodiscard]] std::string FreshTotp(const std::string& secret);
extern const char* const kAdminSecret;
extern const char* const kAuditorSecret;
/// One signed-in administrator shared by the tests (a TOTP code works once per 30 seconds).
[[nodiscard]] Client& Admin();
/// One signed-in auditor shared by the tests.
[[nodiscard]] Client& Auditor();
/// A new session of the demo caseworker (IFSC-EAST).
[[nodiscard]] Client Worker();
/// The id of a demo unit by code.
[[nodiscard]] long long UnitId(const std::string& code);

/// Builds a staff account through the API; the password must be changed at first sign-in.
struct StaffBuilder {
  std::string username = Unique("staff");
  std::string password = "Initial-password-" + Unique("p");
  std::string unit_code = "IFSC-EAST";
  std::string role;

  StaffBuilder& WithRole(std::string code) {
    role = std::move(code);
    return *this;
  }
  StaffBuilder& WithUnit(std::string code) {
    unit_code = std::move(code);
    return *this;
  }
  /// Creates the account (and grants the role at the unit); returns its JSON.
  [[nodiscard]] boost::json::value Create() const;
};

/// Signs a new account in and changes its first password; returns the client and the new password.
[[nodiscard]] std::pair<Client, std::string> ReadyAccount(const StaffBuilder& builder);
/// Audit entries matching a query string, newest first.
[[nodiscard]] boost::json::array AuditEntries(const std::string& query);
/// The actions of audit entries.
[[nodiscard]] std::vector<std::string> Actions(const boost::json::array& entries);
[[nodiscard]] bool Contains(const std::vector<std::string>& list, const std::string& value);

}  // namespace welfare::testing
