/// \file Expected failures as values: a canonical code, a stable machine code and field details.
#pragma once

#include <expected>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

namespace welfare {

/// Canonical error classes (after absl::StatusCode); each maps to one HTTP status family.
enum class Canonical {
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kAlreadyExists,
  kConflict,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

/// One problem with one input field; `code` is stable and translated by the message catalog.
struct FieldError {
  std::string field;
  std::string code;
  std::map<std::string, std::string> params;
};

/// An expected failure. `code` is the stable machine code clients see (e.g. "version_conflict").
struct Error {
  Canonical canonical = Canonical::kInternal;
  std::string code;
  std::vector<FieldError> fields;
  boost::json::object extra;  ///< extra members for the problem document (e.g. current_version)
  std::string internal;       ///< detail for the server log only, never sent to a client

  [[nodiscard]] static Error Make(Canonical canonical, std::string code, std::string internal = {});
  [[nodiscard]] static Error Validation(std::vector<FieldError> fields);
  [[nodiscard]] static Error NotFound(std::string internal = {});
  [[nodiscard]] static Error Internal(std::string internal);
  [[nodiscard]] static Error Conflict(long long current_version);
};

template <class T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

/// Shorthand for returning an error from a function that returns Result<T>.
[[nodiscard]] inline std::unexpected<Error> Fail(Error error) { return std::unexpected<Error>(std::move(error)); }

/// Collects field errors while validating input; `Finish()` yields the error if any were added.
class FieldErrors {
 public:
  /// Adds a problem with one field.
  void Add(std::string field, std::string code, std::map<std::string, std::string> params = {});
  /// True when nothing was added.
  [[nodiscard]] bool Empty() const { return fields_.empty(); }
  /// The validation error, or success when no field had a problem.
  [[nodiscard]] Status Finish() const;

 private:
  std::vector<FieldError> fields_;
};

}  // namespace welfare
