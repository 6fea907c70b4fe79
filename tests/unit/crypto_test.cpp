// Crypto wrappers against published test vectors, and the secret box.
#include <gtest/gtest.h>

#include <set>

#include "core/crypto.hpp"

namespace welfare {
namespace {

class Crypto : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
};

TEST_F(Crypto, Base32MatchesRfc4648) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi"), "foobar");
  EXPECT_FALSE(Base32Decode("MZXW1"));
}

TEST_F(Crypto, HmacSha1MatchesRfc2202) {
  const auto mac = HmacSha1("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size())),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_F(Crypto, Sha256MatchesKnownValue) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(Crypto, RandomValuesAreDistinctAndInRange) {
  std::set<std::string> tokens;
  for (int attempt = 0; attempt < 100; ++attempt) tokens.insert(RandomToken());
  EXPECT_EQ(tokens.size(), 100u);
  EXPECT_EQ(RandomToken(32).size(), 43u);  // base64url of 32 bytes, unpadded
  for (int attempt = 0; attempt < 1000; ++attempt) EXPECT_LT(RandomBelow(7), 7u);
}

TEST_F(Crypto, ConstantTimeEqualsComparesWholeValues) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

TEST_F(Crypto, SecretBoxOpensOnlyItsOwnUnalteredText) {
  const auto key = SecretKey::FromBytes(std::string(32, 'k'));
  const auto other = SecretKey::FromBytes(std::string(32, 'o'));
  const std::string sealed = key.Seal("totp secret");
  EXPECT_NE(sealed.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 0u);
  EXPECT_EQ(key.Open(sealed), "totp secret");
  EXPECT_NE(key.Seal("totp secret"), sealed);  // fresh nonce each time
  EXPECT_FALSE(other.Open(sealed));
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(key.Open(altered));
  EXPECT_FALSE(key.Open("short"));
}

TEST_F(Crypto, KeyedHashDependsOnKeyAndInput) {
  const auto key = SecretKey::FromBytes(std::string(32, 'k'));
  const auto other = SecretKey::FromBytes(std::string(32, 'o'));
  EXPECT_EQ(key.KeyedHash("a"), key.KeyedHash("a"));
  EXPECT_NE(key.KeyedHash("a"), key.KeyedHash("b"));
  EXPECT_NE(key.KeyedHash("a"), other.KeyedHash("a"));
}

}  // namespace
}  // namespace welfare
