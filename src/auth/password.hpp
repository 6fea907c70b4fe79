/// \file Password hashing (Argon2id) and the password policy.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace welfare::auth {

/// Minimum length of a password, in characters.
inline constexpr size_t kMinPasswordLength = 12;
/// Maximum length accepted (longer input is refused before hashing).
inline constexpr size_t kMaxPasswordLength = 256;

/// Argon2id hash in libsodium's self-describing string form.
[[nodiscard]] std::string HashPassword(std::string_view password);
/// Compares a password with a stored hash (constant time inside libsodium).
[[nodiscard]] bool VerifyPassword(std::string_view password, const std::string& hash);
/// Checks the policy; problems are added to `errors` under `field`.
void CheckPasswordPolicy(std::string_view password, std::string_view username, const std::string& field,
                         FieldErrors& errors);
/// True when the lower-cased password is on the list of common passwords.
[[nodiscard]] bool IsCommonPassword(std::string_view lowered);
/// A random password that passes the policy (for resets), e.g. "kq7m-2xpd-9tfw-hc4r".
[[nodiscard]] std::string GenerateTemporaryPassword();

}  // namespace welfare::auth
