#include "auth/password.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <sodium.h>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace welfare::auth {
namespace {

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// One character repeated, or a run that only climbs or falls by one ("123456789012", "abcdefghijkl").
bool IsTooRegular(std::string_view text) {
  if (text.size() < 2) return true;
  const bool same = std::ranges::all_of(text, [&](char c) { return c == text.front(); });
  bool ascending = true;
  bool descending = true;
  for (size_t index = 1; index < text.size(); ++index) {
    const int step = static_cast<unsigned char>(text[index]) - static_cast<unsigned char>(text[index - 1]);
    ascending = ascending && (step == 1 || step == -9);
    descending = descending && (step == -1 || step == 9);
  }
  return same || ascending || descending;
}

/// A short piece repeated to fill the password ("abcabcabcabc", "passwordpassword").
bool IsRepetition(std::string_view text) {
  for (size_t period = 1; period <= text.size() / 2; ++period) {
    if (text.size() % period != 0) continue;
    bool repeats = true;
    for (size_t index = period; index < text.size() && repeats; ++index) repeats = text[index] == text[index - period];
    if (repeats) return true;
  }
  return false;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return hash;
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void CheckPasswordPolicy(std::string_view password, std::string_view username, const std::string& field,
                         FieldErrors& errors) {
  const size_t length = Utf8Length(password);
  if (length < kMinPasswordLength) {
    errors.Add(field, "too_short", {{"min", std::to_string(kMinPasswordLength)}});
    return;
  }
  if (password.size() > kMaxPasswordLength) {
    errors.Add(field, "too_long", {{"max", std::to_string(kMaxPasswordLength)}});
    return;
  }
  const std::string lowered = Lowered(password);
  if (IsCommonPassword(lowered)) {
    errors.Add(field, "password_common");
    return;
  }
  if (!username.empty() && username.size() >= 3 && lowered.find(Lowered(username)) != std::string::npos) {
    errors.Add(field, "password_contains_username");
    return;
  }
  if (IsTooRegular(lowered) || IsRepetition(lowered)) errors.Add(field, "password_too_simple");
}

std::string GenerateTemporaryPassword() {
  // 16 characters from an alphabet without look-alikes: about 80 bits.
  constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  std::string out;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) out.push_back('-');
    for (int index = 0; index < 4; ++index) {
      out.push_back(kAlphabet[RandomBelow(static_cast<uint32_t>(kAlphabet.size()))]);
    }
  }
  return out;
}

}  // namespace welfare::auth
