#include "core/json.hpp"

#include <boost/json/parse.hpp>

namespace welfare {

Result<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body.empty() ? std::string_view("{}") : body, ec);
  if (ec || !value.is_object()) return Fail(Error::Make(Canonical::kInvalidArgument, "malformed_json", ec.message()));
  return std::move(value.as_object());
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

boost::json::value NullIfEmpty(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  return boost::json::value(*text);
}

std::string JsonReader::RequiredString(std::string_view field, size_t min_length, size_t max_length) {
  const auto* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) {
    errors_.Add(std::string(field), "required");
    return {};
  }
  auto result = OptionalString(field, min_length, max_length);
  if (result && result->empty() && min_length > 0) errors_.Add(std::string(field), "required");
  return result.value_or(std::string());
}

std::optional<std::string> JsonReader::OptionalString(std::string_view field, size_t min_length, size_t max_length) {
  const auto* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_string()) {
    errors_.Add(std::string(field), "invalid_type", {{"expected", "string"}});
    return std::nullopt;
  }
  std::string text = Trim(value->as_string());
  const size_t length = Utf8Length(text);
  if (!text.empty() && length < min_length) {
    errors_.Add(std::string(field), "too_short", {{"min", std::to_string(min_length)}});
  } else if (length > max_length) {
    errors_.Add(std::string(field), "too_long", {{"max", std::to_string(max_length)}});
  }
  return text;
}

long long JsonReader::RequiredInt(std::string_view field) {
  const auto* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) {
    errors_.Add(std::string(field), "required");
    return 0;
  }
  return OptionalInt(field).value_or(0);
}

std::optional<long long> JsonReader::OptionalInt(std::string_view field, bool* null_out) {
  const auto* value = object_.if_contains(field);
  if (null_out != nullptr) *null_out = value != nullptr && value->is_null();
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64() && value->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<long long>(value->as_uint64());
  }
  errors_.Add(std::string(field), "invalid_type", {{"expected", "integer"}});
  return std::nullopt;
}

std::optional<bool> JsonReader::OptionalBool(std::string_view field) {
  const auto* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_bool()) return value->as_bool();
  errors_.Add(std::string(field), "invalid_type", {{"expected", "true/false"}});
  return std::nullopt;
}

std::optional<std::vector<std::string>> JsonReader::OptionalStringArray(std::string_view field) {
  const auto* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_array()) {
    errors_.Add(std::string(field), "invalid_type", {{"expected", "array of strings"}});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : value->as_array()) {
    if (!item.is_string()) {
      errors_.Add(std::string(field), "invalid_type", {{"expected", "array of strings"}});
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

void JsonReader::RejectUnknown(std::initializer_list<std::string_view> known) {
  for (const auto& member : object_) {
    bool is_known = false;
    for (auto name : known) is_known = is_known || member.key() == name;
    if (!is_known) errors_.Add(std::string(member.key()), "unknown_field");
  }
}

}  // namespace welfare
