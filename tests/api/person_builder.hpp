/// \file Test data for persons: names, dates and numbers no other test uses, and a registration builder.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <boost/json.hpp>

#include "client.hpp"
#include "registry/identity.hpp"

namespace welfare::testing {

/// A number no other test uses, spelt in Chinese digits so it can be part of a Chinese name.
inline std::string UniqueChinese() {
  static std::atomic<int> counter{0};
  static const char* const kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  const std::string number = std::to_string(getpid() % 100000) + std::to_string(++counter);
  std::string text;
  for (char digit : number) text += kDigits[digit - '0'];
  return text;
}

/// Letters no other test uses (a romanised name part).
inline std::string UniqueLatin() {
  static std::atomic<int> counter{0};
  std::string text = "Ka";
  for (char digit : std::to_string(getpid() % 100000) + std::to_string(++counter)) text.push_back('a' + (digit - '0'));
  return text;
}

/// A date of birth few other tests use.
inline std::string UniqueBirthDate() {
  static std::atomic<int> counter{0};
  const int step = ++counter + getpid() % 97;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", 1940 + step % 60, 1 + step % 12, 1 + (step * 7) % 28);
  return text;
}

/// A valid HKID no other test uses.
inline std::string UniqueHkid() {
  static std::atomic<int> counter{0};
  char body[8];
  std::snprintf(body, sizeof body, "Z%06d", (getpid() * 37 + ++counter * 7919) % 1000000);
  return std::string(body) + registry::HkidCheckDigit(body);
}

/// A registration body for a new person.
struct PersonBuilder {
  std::string chinese_name = "陳" + UniqueChinese();
  std::string family = "CHAN";
  std::string given = "Tai " + UniqueLatin();
  std::string birth_date = UniqueBirthDate();
  std::string hkid = UniqueHkid();
  std::string phone = "9" + std::to_string(1000000 + (getpid() * 13) % 8999999);
  bool protected_address = false;

  [[nodiscard]] boost::json::object Body() const {
    return {{"chinese_name", chinese_name},
            {"family_name_en", family},
            {"given_names_en", given},
            {"sex", "male"},
            {"birth_date", birth_date},
            {"protected_address", protected_address},
            {"languages", boost::json::array{"yue", "en"}},
            {"documents", boost::json::array{boost::json::object{{"doc_type", "hkid"}, {"number", hkid}}}},
            {"contacts", boost::json::array{boost::json::object{{"kind", "mobile"}, {"value", phone}}}},
            {"addresses", boost::json::array{boost::json::object{{"district", "東區"}, {"street", "英皇道 1 號"}}}}};
  }
  /// Registers the person as `client`; returns the record.
  [[nodiscard]] boost::json::value Create(Client& client) const {
    const Reply reply = client.Post("/api/v1/persons", Body());
    if (reply.status != 201) throw std::runtime_error("register person: " + reply.body);
    return reply.Json();
  }
};

}  // namespace welfare::testing
