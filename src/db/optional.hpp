/// \file Moving nullable values between std::optional and SOCI (which binds boost::optional).
#pragma once

#include <optional>

#include <boost/optional.hpp>
#include <soci/boost-optional.h>

namespace welfare::db {

/// std::optional → boost::optional, for soci::use.
template <class T>
[[nodiscard]] boost::optional<T> Nullable(const std::optional<T>& value) {
  return value ? boost::optional<T>(*value) : boost::none;
}

/// boost::optional → std::optional, after soci::into.
template <class T>
[[nodiscard]] std::optional<T> FromNullable(const boost::optional<T>& value) {
  return value ? std::optional<T>(*value) : std::nullopt;
}

}  // namespace welfare::db
