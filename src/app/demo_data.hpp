/// \file Demo organisations, offices and staff accounts (never loaded in production mode).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/runtime.hpp"

namespace welfare::app {

/// One demo log-in, as printed for the person trying the system.
struct DemoAccount {
  std::string username;
  std::string password;
  std::vector<std::string> roles;
  std::optional<std::string> totp_secret;
};

/// Loads the demo data; running it again changes nothing. Returns the demo log-ins.
[[nodiscard]] std::vector<DemoAccount> SeedDemo(Runtime& runtime);

}  // namespace welfare::app
