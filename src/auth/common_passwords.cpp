// The common-password check: exact phrases seen at the top of leaked-password rankings, and
// well-known base words padded with digits and symbols ("Password2026!", "welcome123456").
#include <algorithm>
#include <array>
#include <string_view>

#include "auth/password.hpp"

namespace welfare::auth {
namespace {

constexpr std::array<std::string_view, 52> kPhrases = {
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "qwertyuiop123",
    "qwertyuiopasdf",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "1qaz2wsx3edc4rfv",
    "zaq12wsxcde3",
    "qazwsxedcrfv",
    "asdfghjkl123",
    "iloveyou1234",
    "iloveyouforever",
    "letmeinplease",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "changeme1234",
    "welcome123456",
    "administrator",
    "administrator1",
    "adminadmin123",
    "trustno1trustno1",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "thequickbrownfox",
    "abcdefghijkl",
    "abcd1234abcd",
    "aa123456789a",
    "a123456789012",
    "qwerty123456",
    "qwertyqwerty",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "mypassword123",
    "superman12345",
    "football12345",
    "baseball12345",
    "sunshine12345",
    "princess12345",
    "starwars12345",
    "dragon1234567",
    "monkey1234567",
    "iloveyou123456",
    "987654321098",
    "000000000000",
    "111111111111",
    "asdfasdfasdf",
    "zxcvbnm123456",
};

constexpr std::array<std::string_view, 64> kBaseWords = {
    "password",  "passw0rd", "p@ssw0rd", "p@ssword", "pass",        "qwerty",   "qwertyuiop",    "asdfgh",
    "asdfghjkl", "zxcvbnm",  "iloveyou", "letmein",  "welcome",     "admin",    "administrator", "changeme",
    "monkey",    "dragon",   "football", "baseball", "sunshine",    "princess", "superman",      "batman",
    "master",    "shadow",   "michael",  "jennifer", "charlie",     "trustno1", "whatever",      "freedom",
    "starwars",  "computer", "secret",   "default",  "login",       "hello",    "abc",           "abcd",
    "qwer",      "test",     "guest",    "root",     "user",        "love",     "summer",        "winter",
    "spring",    "autumn",   "taiwan",   "hongkong", "openwelfare", "welfare",  "social",        "socialwork",
    "china",     "cheng",    "chen",     "wong",     "chan",        "lee",      "lin",           "wang",
};

bool IsPadding(char c) {
  return (c >= '0' && c <= '9') || std::string_view("!@#$%^&*()_-+=.?~ ").find(c) != std::string_view::npos;
}

}  // namespace

bool IsCommonPassword(std::string_view lowered) {
  if (std::ranges::find(kPhrases, lowered) != kPhrases.end()) return true;
  // Strip digits and symbols from both ends: what is left must not be a well-known word.
  size_t first = 0;
  size_t last = lowered.size();
  while (first < last && IsPadding(lowered[first])) ++first;
  while (last > first && IsPadding(lowered[last - 1])) --last;
  const std::string_view core = lowered.substr(first, last - first);
  if (core.empty()) return true;  // only digits and symbols
  for (auto word : kBaseWords) {
    if (core == word) return true;
    // The word repeated ("adminadmin", "loveloveLove").
    if (core.size() % word.size() == 0) {
      bool repeated = true;
      for (size_t pos = 0; pos < core.size() && repeated; pos += word.size())
        repeated = core.substr(pos, word.size()) == word;
      if (repeated) return true;
    }
  }
  return false;
}

}  // namespace welfare::auth
