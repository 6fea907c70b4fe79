#include "registry/csv.hpp"

namespace welfare::registry {

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) position_ = 3;
}

std::optional<std::vector<std::string>> CsvReader::Next(std::string* error) {
  // Blank lines between records are skipped.
  while (position_ < text_.size() && (text_[position_] == '\n' || text_[position_] == '\r')) {
    if (text_[position_] == '\n') ++current_line_;
    ++position_;
  }
  if (position_ >= text_.size()) return std::nullopt;
  record_line_ = current_line_;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  while (position_ < text_.size()) {
    const char character = text_[position_++];
    if (quoted) {
      if (character == '"') {
        if (position_ < text_.size() && text_[position_] == '"') {
          field.push_back('"');
          ++position_;
        } else {
          quoted = false;
        }
      } else {
        if (character == '\n') ++current_line_;
        field.push_back(character);
      }
      continue;
    }
    if (character == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (character == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (character == '\r' || character == '\n') {
      if (character == '\r' && position_ < text_.size() && text_[position_] == '\n') ++position_;
      ++current_line_;
      break;
    } else {
      field.push_back(character);
    }
  }
  if (quoted && error != nullptr) *error = "unclosed_quote";
  fields.push_back(std::move(field));
  return fields;
}

std::string CsvQuote(std::string_view field) {
  std::string out(field);
  if (!out.empty() && std::string_view("=+-@").find(out.front()) != std::string_view::npos) out.insert(0, "'");
  if (out.find_first_of(",\"\r\n") == std::string::npos) return out;
  std::string quoted = "\"";
  for (char character : out) {
    if (character == '"') quoted += '"';
    quoted += character;
  }
  return quoted + "\"";
}

}  // namespace welfare::registry
