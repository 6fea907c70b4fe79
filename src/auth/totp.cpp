#include "auth/totp.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fmt/format.h>

#include "core/crypto.hpp"

namespace welfare::auth {

std::string NewTotpSecret() { return Base32Encode(RandomBytes(20)); }

int64_t TotpStep(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count() / 30;
}

std::string TotpCode(std::string_view base32_secret, int64_t step) {
  const auto key = Base32Decode(base32_secret).value_or(std::string());
  std::string counter(8, '\0');
  for (int index = 7; index >= 0; --index) {
    counter[static_cast<size_t>(index)] = static_cast<char>(step & 0xff);
    step >>= 8;
  }
  const auto digest = HmacSha1(key, counter);
  const int offset = digest[19] & 0x0f;
  const uint32_t binary =
      ((digest[offset] & 0x7fU) << 24) | (digest[offset + 1] << 16) | (digest[offset + 2] << 8) | digest[offset + 3];
  return fmt::format("{:06d}", binary % 1000000);
}

std::optional<int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code, TimePoint now,
                                  int64_t last_used_step) {
  std::string digits;
  for (char c : code) {
    if (c >= '0' && c <= '9')
      digits.push_back(c);
    else if (c != ' ')
      return std::nullopt;
  }
  if (digits.size() != 6) return std::nullopt;
  const int64_t current = TotpStep(now);
  for (int64_t step = current - 1; step <= current + 1; ++step) {
    if (step <= last_used_step) continue;
    if (ConstantTimeEquals(TotpCode(base32_secret, step), digits)) return step;
  }
  return std::nullopt;
}

std::string TotpUri(std::string_view base32_secret, std::string_view username) {
  const auto label = boost::urls::encode(fmt::format("OpenWelfare:{}", username), boost::urls::unreserved_chars);
  return fmt::format("otpauth://totp/{}?secret={}&issuer=OpenWelfare&algorithm=SHA1&digits=6&period=30", label,
                     base32_secret);
}

}  // namespace welfare::auth
