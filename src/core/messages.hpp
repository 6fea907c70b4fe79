/// \file The server's message catalog: every text a person can see from the API, in zh-Hant and English.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace welfare {

/// The languages the system speaks.
enum class Locale { kZhHant, kEn };

/// Picks the best supported language from an Accept-Language header (default zh-Hant).
[[nodiscard]] Locale NegotiateLocale(std::string_view accept_language);
/// "zh-Hant" or "en".
[[nodiscard]] std::string_view LocaleTag(Locale locale);
/// Parses "zh-Hant"/"en" (also "zh-TW", "zh-HK", "en-GB"...); false when unsupported.
[[nodiscard]] bool ParseLocaleTag(std::string_view tag, Locale& out);

/// Short title of a problem code (e.g. "version_conflict").
[[nodiscard]] std::string ProblemTitle(std::string_view code, Locale locale);
/// What went wrong and how to fix it, for a problem code.
[[nodiscard]] std::string ProblemDetail(std::string_view code, Locale locale);
/// The message for one field error; `{name}` placeholders are filled from params.
[[nodiscard]] std::string FieldMessage(std::string_view code, const std::map<std::string, std::string>& params,
                                       Locale locale);
/// True when the catalog has both languages for the problem code (used by tests).
[[nodiscard]] bool HasProblemText(std::string_view code);
/// True when the catalog has both languages for the field error code (used by tests).
[[nodiscard]] bool HasFieldText(std::string_view code);

}  // namespace welfare
