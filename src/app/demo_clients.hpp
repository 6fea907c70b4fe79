/// \file Demo clients for the client registry: Hong Kong and Hualien families, a consent to share and likely
/// duplicates for the data steward (`welfare seed-demo --clients`; never loaded in production mode).
#pragma once

#include "app/runtime.hpp"

namespace welfare::app {

/// What loading the demo clients did.
struct DemoClientsSummary {
  int created = 0;          ///< persons registered now
  int existing = 0;         ///< demo persons already in the registry, left as they are
  int relationships = 0;    ///< family links added now
  int households = 0;       ///< households added now
  int consents = 0;         ///< consents to share added now
  int duplicate_pairs = 0;  ///< pairs put in the data stewards' review queue now
};

/// Registers the demo clients through the registry's own code, so that every row, search key, involvement and
/// audit entry is what a real registration writes. Needs the demo units and accounts (SeedDemo). Persons are
/// keyed on their external reference and links are added only with persons registered in the same run, so a
/// second run creates nothing. Throws when the demo tables are wrong (a programming error).
[[nodiscard]] DemoClientsSummary SeedDemoClients(Runtime& runtime);

}  // namespace welfare::app
