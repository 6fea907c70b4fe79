#include "core/error.hpp"

namespace welfare {

Error Error::Make(Canonical canonical, std::string code, std::string internal) {
  Error error;
  error.canonical = canonical;
  error.code = std::move(code);
  error.internal = std::move(internal);
  return error;
}

Error Error::Validation(std::vector<FieldError> fields) {
  Error error = Make(Canonical::kInvalidArgument, "validation_failed");
  error.fields = std::move(fields);
  return error;
}

Error Error::NotFound(std::string internal) { return Make(Canonical::kNotFound, "not_found", std::move(internal)); }

Error Error::Internal(std::string internal) { return Make(Canonical::kInternal, "internal", std::move(internal)); }

Error Error::Conflict(long long current_version) {
  Error error = Make(Canonical::kConflict, "version_conflict");
  error.extra["current_version"] = current_version;
  return error;
}

void FieldErrors::Add(std::string field, std::string code, std::map<std::string, std::string> params) {
  fields_.push_back(FieldError{std::move(field), std::move(code), std::move(params)});
}

Status FieldErrors::Finish() const {
  if (fields_.empty()) return {};
  return Fail(Error::Validation(fields_));
}

}  // namespace welfare
