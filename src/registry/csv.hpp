/// \file Reading CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a UTF-8 byte order mark).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace welfare::registry {

/// Reads records one at a time from CSV text held in memory.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);
  /// The next record, or nullopt at the end; `error` is set on a quote that never closes.
  [[nodiscard]] std::optional<std::vector<std::string>> Next(std::string* error = nullptr);
  /// The 1-based line where the last record returned began.
  [[nodiscard]] size_t line() const { return record_line_; }

 private:
  std::string_view text_;
  size_t position_ = 0;
  size_t current_line_ = 1;
  size_t record_line_ = 0;
};

/// One field quoted for CSV output when needed.
[[nodiscard]] std::string CsvQuote(std::string_view field);

}  // namespace welfare::registry
