/// \file Small JSON helpers shared by the registry's use cases.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <boost/json/value.hpp>

namespace welfare::registry {

/// JSON null or the text.
[[nodiscard]] inline boost::json::value Text(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}
/// JSON null or the number.
[[nodiscard]] inline boost::json::value Int(const std::optional<long long>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}
/// The shortest written reason accepted for an override, a merge or an undo (in characters).
inline constexpr size_t kMinimumReason = 10;

}  // namespace welfare::registry
