/// \file Small wrappers over libsodium (random, hashes, secretbox) and OpenSSL (HMAC-SHA1 for TOTP).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace welfare {

/// Initialises libsodium; call once at start-up (safe to call again).
void InitCrypto();

/// `count` bytes from the system's secure random source.
[[nodiscard]] std::string RandomBytes(size_t count);
/// A URL-safe token of `bytes` random bytes (256 bits by default).
[[nodiscard]] std::string RandomToken(size_t bytes = 32);
/// A uniformly random integer in [0, upper).
[[nodiscard]] uint32_t RandomBelow(uint32_t upper);

/// Lower-case hex SHA-256 of the input.
[[nodiscard]] std::string Sha256Hex(std::string_view data);
/// Lower-case hex encoding.
[[nodiscard]] std::string HexEncode(std::string_view bytes);
/// URL-safe base64 without padding.
[[nodiscard]] std::string Base64UrlEncode(std::string_view bytes);
/// RFC 4648 base32 without padding (as authenticator apps expect).
[[nodiscard]] std::string Base32Encode(std::string_view bytes);
/// Decodes base32, ignoring spaces and case; nullopt on a bad character.
[[nodiscard]] std::optional<std::string> Base32Decode(std::string_view text);
/// HMAC-SHA1 (RFC 2104), the TOTP default of authenticator apps.
[[nodiscard]] std::array<uint8_t, 20> HmacSha1(std::string_view key, std::string_view message);
/// Compares in time independent of where the inputs differ.
[[nodiscard]] bool ConstantTimeEquals(std::string_view left, std::string_view right);

/// The server's master key: encrypts secrets at rest and keys lookup hashes.
class SecretKey {
 public:
  /// Reads the key file, creating it (mode 0600) with a fresh random key when missing.
  [[nodiscard]] static SecretKey LoadOrCreate(const std::filesystem::path& file);
  /// A key from raw bytes (tests).
  [[nodiscard]] static SecretKey FromBytes(std::string bytes);

  /// Encrypts with XSalsa20-Poly1305 (secretbox); the output is base64url(nonce || ciphertext).
  [[nodiscard]] std::string Seal(std::string_view plaintext) const;
  /// Decrypts what Seal produced; nullopt when it was altered or made with another key.
  [[nodiscard]] std::optional<std::string> Open(std::string_view sealed) const;
  /// Hex BLAKE2b keyed hash, for looking up secrets without storing them (tokens, recovery codes).
  [[nodiscard]] std::string KeyedHash(std::string_view data) const;

 private:
  std::string bytes_;
};

}  // namespace welfare
