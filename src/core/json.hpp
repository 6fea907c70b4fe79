/// \file Reading request bodies field by field, collecting every problem at once.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace welfare {

/// Parses a request body as a JSON object; malformed_json on failure.
[[nodiscard]] Result<boost::json::object> ParseJsonObject(std::string_view body);

/// Reads typed fields from a JSON object; every problem is recorded, none stops the reading.
class JsonReader {
 public:
  explicit JsonReader(const boost::json::object& object) : object_(object) {}

  /// A required string, trimmed, with length limits (in Unicode code points).
  std::string RequiredString(std::string_view field, size_t min_length = 1, size_t max_length = 200);
  /// An optional string; nullopt when absent (null counts as absent).
  std::optional<std::string> OptionalString(std::string_view field, size_t min_length = 0, size_t max_length = 200);
  /// A required integer.
  long long RequiredInt(std::string_view field);
  /// An optional integer; `null_out` is set when the field is explicitly null.
  std::optional<long long> OptionalInt(std::string_view field, bool* null_out = nullptr);
  /// An optional boolean.
  std::optional<bool> OptionalBool(std::string_view field);
  /// An optional array of strings.
  std::optional<std::vector<std::string>> OptionalStringArray(std::string_view field);
  /// True when the field is present (even null).
  [[nodiscard]] bool Has(std::string_view field) const { return object_.contains(field); }
  /// Records unknown_field for every member not in `known`.
  void RejectUnknown(std::initializer_list<std::string_view> known);
  /// Adds a problem found by the caller.
  void Add(std::string field, std::string code, std::map<std::string, std::string> params = {}) {
    errors_.Add(std::move(field), std::move(code), std::move(params));
  }
  /// The validation error, if any field had a problem.
  [[nodiscard]] Status Finish() const { return errors_.Finish(); }

 private:
  const boost::json::object& object_;
  FieldErrors errors_;
};

/// Number of Unicode code points in UTF-8 text.
[[nodiscard]] size_t Utf8Length(std::string_view text);
/// Text with leading and trailing ASCII white space removed.
[[nodiscard]] std::string Trim(std::string_view text);
/// JSON null when empty, else the string.
[[nodiscard]] boost::json::value NullIfEmpty(const std::optional<std::string>& text);

}  // namespace welfare
