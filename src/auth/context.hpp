/// \file What every use case receives about its caller.
#pragma once

#include "audit/audit_log.hpp"
#include "auth/principal.hpp"

namespace welfare::auth {

/// The caller of a use case: who they are (for access checks) and how to record them (audit).
struct Context {
  const Principal& principal;
  audit::Actor actor;
  Locale locale = Locale::kZhHant;
};

}  // namespace welfare::auth
