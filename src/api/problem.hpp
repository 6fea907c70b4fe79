/// \file The one mapper from Error to an RFC 9457 problem+json response, in the caller's language.
#pragma once

#include "core/error.hpp"
#include "http/request.hpp"

namespace welfare::api {

/// The HTTP status of an error.
[[nodiscard]] unsigned StatusOf(const Error& error);
/// The problem+json response for an error.
[[nodiscard]] http::Response Problem(const Error& error, Locale locale, const std::string& request_id);
/// The problem+json response for a code the server itself detects (no route, bad request...).
[[nodiscard]] http::Response Problem(std::string_view code, unsigned status, Locale locale,
                                     const std::string& request_id = {});

}  // namespace welfare::api
