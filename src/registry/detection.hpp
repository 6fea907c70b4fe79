/// \file Batch duplicate detection over the whole registry: loads every active person for the linkage
/// model, runs it, and puts the probable pairs in the data stewards' review queue.
#pragma once

#include <functional>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "db/database.hpp"
#include "registry/linkage.hpp"

namespace welfare::registry {

/// Every active person of the registry in the linkage's form (names normalised, documents as keyed hashes).
[[nodiscard]] std::vector<LinkageRecord> LoadLinkageRecords(soci::session& sql);

/// Runs detection and queues new pairs (pairs already queued, decided or merged are left as they are).
/// Returns {persons, comparisons, pairs_found, pairs_queued, seconds, model}.
[[nodiscard]] Result<boost::json::object> DetectDuplicates(db::Database& database, audit::AuditLog& audit,
                                                           const audit::Actor& actor, const LinkageOptions& options,
                                                           std::optional<long long> job_id,
                                                           const std::function<void(long long, long long)>& progress);

}  // namespace welfare::registry
