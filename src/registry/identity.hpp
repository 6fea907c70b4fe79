/// \file Identity documents: the kinds the registry knows, their number formats and check digits.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace welfare::registry {

/// The identity document kinds, as stored and sent: hkid, twid, passport, birth_cert, other.
[[nodiscard]] bool IsDocumentType(std::string_view type);

/// A document number in its canonical form (upper case, no spaces, brackets or hyphens:
/// "a123456(3)" → "A1234563"), or nullopt with `problem` set to a field error code
/// (invalid_format, check_digit) when the number cannot be a valid number of that kind.
[[nodiscard]] std::optional<std::string> CanonicalDocumentNumber(std::string_view type, std::string_view number,
                                                                 std::string* problem);

/// True when a Hong Kong Identity Card number (canonical form) has a correct check digit.
[[nodiscard]] bool HkidCheckDigitValid(std::string_view canonical);
/// True when a Taiwan national identification number (canonical form) has a correct checksum.
[[nodiscard]] bool TwidChecksumValid(std::string_view canonical);
/// The check digit of the first 7 or 8 characters of an HKID ('0'–'9' or 'A'); used by generators.
[[nodiscard]] char HkidCheckDigit(std::string_view letters_and_digits);
/// The last digit that makes a 9-character Taiwan ID prefix valid; used by generators.
[[nodiscard]] char TwidCheckDigit(std::string_view first_nine);

/// A number as shown to people who may see that the document exists but not the number:
/// the first character and the last two, the rest as '*' ("A1234563" → "A*****63").
[[nodiscard]] std::string MaskDocumentNumber(std::string_view canonical);

/// Guesses the kind of a number typed into the search box (hkid or twid by their checks), else nullopt.
[[nodiscard]] std::optional<std::string> GuessDocumentType(std::string_view text);

}  // namespace welfare::registry
