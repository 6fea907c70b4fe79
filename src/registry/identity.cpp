#include "registry/identity.hpp"

#include <array>
#include <cctype>

namespace welfare::registry {
namespace {

bool IsUpper(char character) { return character >= 'A' && character <= 'Z'; }
bool IsDigit(char character) { return character >= '0' && character <= '9'; }

std::string Compact(std::string_view number) {
  std::string out;
  for (unsigned char character : number) {
    if (std::isalnum(character)) out.push_back(static_cast<char>(std::toupper(character)));
  }
  return out;
}

/// HKID: one or two letters, six digits, a check digit (0–9 or A).
bool HkidShape(std::string_view number) {
  const size_t letters = number.size() == 9 ? 2 : 1;
  if (number.size() != 8 && number.size() != 9) return false;
  for (size_t index = 0; index < letters; ++index) {
    if (!IsUpper(number[index])) return false;
  }
  for (size_t index = letters; index < letters + 6; ++index) {
    if (!IsDigit(number[index])) return false;
  }
  return IsDigit(number.back()) || number.back() == 'A';
}

/// Taiwan ID: a letter, 1/2 (citizens) or 8/9 (residents since 2021), eight more digits.
bool TwidShape(std::string_view number) {
  if (number.size() != 10 || !IsUpper(number[0])) return false;
  for (size_t index = 1; index < 10; ++index) {
    if (!IsDigit(number[index])) return false;
  }
  return number[1] == '1' || number[1] == '2' || number[1] == '8' || number[1] == '9';
}

/// The two-digit value of a Taiwan ID's first letter (A=10 … with I, O, W, X, Y, Z out of order).
int TwidLetterValue(char letter) {
  static constexpr std::array<int, 26> kValues = {10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
                                                  22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33};
  return kValues[static_cast<size_t>(letter - 'A')];
}

int TwidPartialSum(std::string_view first_nine) {
  const int letter = TwidLetterValue(first_nine[0]);
  int sum = letter / 10 + (letter % 10) * 9;
  for (size_t index = 1; index < 9; ++index) sum += (first_nine[index] - '0') * static_cast<int>(9 - index);
  return sum;
}

}  // namespace

bool IsDocumentType(std::string_view type) {
  return type == "hkid" || type == "twid" || type == "passport" || type == "birth_cert" || type == "other";
}

char HkidCheckDigit(std::string_view letters_and_digits) {
  // Weights 9..2 over eight positions; a one-letter number is padded with a space worth 36.
  std::string padded =
      letters_and_digits.size() == 7 ? " " + std::string(letters_and_digits) : std::string(letters_and_digits);
  int sum = 0;
  for (size_t index = 0; index < 8; ++index) {
    const char character = padded[index];
    int value = 0;
    if (character == ' ')
      value = 36;
    else if (IsUpper(character))
      value = character - 'A' + 10;
    else
      value = character - '0';
    sum += value * static_cast<int>(9 - index);
  }
  const int check = (11 - sum % 11) % 11;
  return check == 10 ? 'A' : static_cast<char>('0' + check);
}

bool HkidCheckDigitValid(std::string_view canonical) {
  if (!HkidShape(canonical)) return false;
  return HkidCheckDigit(canonical.substr(0, canonical.size() - 1)) == canonical.back();
}

char TwidCheckDigit(std::string_view first_nine) {
  return static_cast<char>('0' + (10 - TwidPartialSum(first_nine) % 10) % 10);
}

bool TwidChecksumValid(std::string_view canonical) {
  if (!TwidShape(canonical)) return false;
  return (TwidPartialSum(canonical.substr(0, 9)) + (canonical[9] - '0')) % 10 == 0;
}

std::optional<std::string> CanonicalDocumentNumber(std::string_view type, std::string_view number,
                                                   std::string* problem) {
  std::string canonical = Compact(number);
  auto fail = [&](const char* code) -> std::optional<std::string> {
    if (problem != nullptr) *problem = code;
    return std::nullopt;
  };
  if (canonical.empty()) return fail("required");
  if (type == "hkid") {
    if (!HkidShape(canonical)) return fail("invalid_format");
    if (!HkidCheckDigitValid(canonical)) return fail("check_digit");
  } else if (type == "twid") {
    if (!TwidShape(canonical)) return fail("invalid_format");
    if (!TwidChecksumValid(canonical)) return fail("check_digit");
  } else if (canonical.size() < 3 || canonical.size() > 30) {
    return fail("invalid_format");
  }
  return canonical;
}

std::string MaskDocumentNumber(std::string_view canonical) {
  if (canonical.size() <= 3) return std::string(canonical.size(), '*');
  std::string masked(canonical);
  for (size_t index = 1; index + 2 < masked.size(); ++index) masked[index] = '*';
  return masked;
}

std::optional<std::string> GuessDocumentType(std::string_view text) {
  const std::string canonical = Compact(text);
  if (HkidCheckDigitValid(canonical)) return "hkid";
  if (TwidChecksumValid(canonical)) return "twid";
  return std::nullopt;
}

}  // namespace welfare::registry
