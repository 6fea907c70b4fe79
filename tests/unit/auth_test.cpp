// Passwords and one-time codes: the policy, hashing, RFC 6238 vectors and replay protection.
#include <gtest/gtest.h>

#include <algorithm>

#include "auth/password.hpp"
#include "auth/totp.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"

namespace welfare::auth {
namespace {

TimePoint AtUnixSeconds(long long seconds) { return TimePoint(std::chrono::seconds(seconds)); }

/// RFC 6238 appendix B (SHA-1 column); the 6-digit codes are the last six of the 8-digit ones.
TEST(Totp, MatchesRfc6238Vectors) {
  InitCrypto();
  const std::string secret = Base32Encode("12345678901234567890");
  EXPECT_EQ(TotpCode(secret, TotpStep(AtUnixSeconds(59))), "287082");
  EXPECT_EQ(TotpCode(secret, TotpStep(AtUnixSeconds(1111111109))), "081804");
  EXPECT_EQ(TotpCode(secret, TotpStep(AtUnixSeconds(1111111111))), "050471");
  EXPECT_EQ(TotpCode(secret, TotpStep(AtUnixSeconds(1234567890))), "005924");
  EXPECT_EQ(TotpCode(secret, TotpStep(AtUnixSeconds(2000000000))), "279037");
}

TEST(Totp, AcceptsOneStepOfDriftAndRefusesReplay) {
  const std::string secret = Base32Encode("12345678901234567890");
  const TimePoint now = AtUnixSeconds(1234567890);
  const int64_t step = TotpStep(now);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, step), now, 0), step);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, step - 1), now, 0), step - 1);
  EXPECT_EQ(VerifyTotp(secret, TotpCode(secret, step + 1), now, 0), step + 1);
  EXPECT_FALSE(VerifyTotp(secret, TotpCode(secret, step - 2), now, 0));
  EXPECT_FALSE(VerifyTotp(secret, TotpCode(secret, step), now, step));  // already used
  EXPECT_FALSE(VerifyTotp(secret, "abcdef", now, 0));
  EXPECT_FALSE(VerifyTotp(secret, "", now, 0));
}

TEST(Totp, NewSecretsAreRandomAndMakeAUri) {
  InitCrypto();
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 32u);  // 160 bits
  EXPECT_NE(secret, NewTotpSecret());
  const std::string uri = TotpUri(secret, "admin");
  EXPECT_TRUE(uri.starts_with("otpauth://totp/")) << uri;
  EXPECT_NE(uri.find("secret=" + secret), std::string::npos) << uri;
}

TEST(Password, HashesVerifyOnlyTheSamePassword) {
  InitCrypto();
  const std::string hash = HashPassword("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", hash));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
  EXPECT_NE(HashPassword("correct horse battery staple"), hash);  // salted
}

std::vector<std::string> PolicyCodes(std::string_view password, std::string_view username) {
  FieldErrors errors;
  CheckPasswordPolicy(password, username, "password", errors);
  const auto status = errors.Finish();
  std::vector<std::string> codes;
  if (!status) {
    for (const auto& field : status.error().fields) codes.push_back(field.code);
  }
  return codes;
}

TEST(Password, PolicyRefusesShortCommonAndNameBasedPasswords) {
  EXPECT_EQ(PolicyCodes("short", "amy"), std::vector<std::string>{"too_short"});
  EXPECT_FALSE(PolicyCodes("password1234", "amy").empty());
  EXPECT_FALSE(PolicyCodes("Chen.Da-wen-2026", "chen.da-wen").empty());
  EXPECT_FALSE(PolicyCodes(std::string(300, 'a'), "amy").empty());
  EXPECT_TRUE(PolicyCodes("tea-kettle-harbour-19", "amy").empty());
  EXPECT_TRUE(IsCommonPassword("password"));
}

TEST(Password, TemporaryPasswordsPassThePolicy) {
  InitCrypto();
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::string temporary = GenerateTemporaryPassword();
    EXPECT_TRUE(PolicyCodes(temporary, "someone").empty()) << temporary;
  }
  EXPECT_NE(GenerateTemporaryPassword(), GenerateTemporaryPassword());
}

}  // namespace
}  // namespace welfare::auth
