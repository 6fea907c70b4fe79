/// \file Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace welfare::auth {

/// A new random 160-bit secret, base32 encoded.
[[nodiscard]] std::string NewTotpSecret();
/// The 6-digit code of a base32 secret for a time step (RFC 4226 dynamic truncation).
[[nodiscard]] std::string TotpCode(std::string_view base32_secret, int64_t step);
/// The time step of a moment (Unix seconds / 30).
[[nodiscard]] int64_t TotpStep(TimePoint time);
/// The step a code matches within ±1 step of `now`, if it is newer than `last_used_step` (no replay).
[[nodiscard]] std::optional<int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, TimePoint now,
                                                int64_t last_used_step);
/// otpauth:// URI for authenticator apps (as a QR code).
[[nodiscard]] std::string TotpUri(std::string_view base32_secret, std::string_view username);

}  // namespace welfare::auth
