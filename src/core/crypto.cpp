#include "core/crypto.hpp"

#include <fstream>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/stat.h>

namespace welfare {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const unsigned char* Bytes(std::string_view data) { return reinterpret_cast<const unsigned char*>(data.data()); }

}  // namespace

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string RandomBytes(size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string RandomToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

uint32_t RandomBelow(uint32_t upper) { return randombytes_uniform(upper); }

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, Bytes(data), data.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '=') continue;
    const char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    const auto index = kBase32Alphabet.find(upper);
    if (index == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(index);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::array<uint8_t, 20> HmacSha1(std::string_view key, std::string_view message) {
  std::array<uint8_t, 20> digest{};
  unsigned int length = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), Bytes(message), message.size(), digest.data(), &length);
  return digest;
}

bool ConstantTimeEquals(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  return sodium_memcmp(left.data(), right.data(), left.size()) == 0;
}

SecretKey SecretKey::LoadOrCreate(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    const std::string key = HexEncode(RandomBytes(crypto_secretbox_KEYBYTES));
    const mode_t old_mask = umask(077);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << key << "\n";
    out.close();
    umask(old_mask);
    if (!out) throw std::runtime_error("cannot write the secret key file " + file.string());
  }
  std::ifstream in(file);
  std::string hex;
  in >> hex;
  std::string bytes(crypto_secretbox_KEYBYTES, '\0');
  size_t length = 0;
  if (hex.size() != crypto_secretbox_KEYBYTES * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), hex.data(), hex.size(), nullptr,
                     &length, nullptr) != 0 ||
      length != bytes.size()) {
    throw std::runtime_error("the secret key file " + file.string() + " does not hold a 64-digit hex key");
  }
  return FromBytes(std::move(bytes));
}

SecretKey SecretKey::FromBytes(std::string bytes) {
  if (bytes.size() != crypto_secretbox_KEYBYTES) throw std::invalid_argument("secret key must be 32 bytes");
  SecretKey key;
  key.bytes_ = std::move(bytes);
  return key;
}

std::string SecretKey::Seal(std::string_view plaintext) const {
  std::string out = RandomBytes(crypto_secretbox_NONCEBYTES);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + crypto_secretbox_NONCEBYTES;
  crypto_secretbox_easy(cipher, Bytes(plaintext), plaintext.size(), Bytes(out), Bytes(bytes_));
  return Base64UrlEncode(out);
}

std::optional<std::string> SecretKey::Open(std::string_view sealed) const {
  std::string raw(sealed.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), sealed.data(), sealed.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  raw.resize(length);
  if (raw.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
  std::string plain(raw.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                 Bytes(raw) + crypto_secretbox_NONCEBYTES, raw.size() - crypto_secretbox_NONCEBYTES,
                                 Bytes(raw), Bytes(bytes_)) != 0) {
    return std::nullopt;
  }
  return plain;
}

std::string SecretKey::KeyedHash(std::string_view data) const {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, Bytes(data), data.size(), Bytes(bytes_), bytes_.size());
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace welfare
