/// \file Batch duplicate detection over the whole registry: loads every active person for the linkage
/// model, runs it, and puts the probable pairs in the data stewards' review queue.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "db/database.hpp"
#include "registry/linkage.hpp"

namespace welfare::registry {

/// Every active person of the registry in the linkage's form (names normalised, documents as keyed hashes,
/// keyed by LinkageDocumentKind; dates of birth as LinkageBirthDate).
[[nodiscard]] std::vector<LinkageRecord> LoadLinkageRecords(soci::session& sql);

/// The kind under which the linkage compares a document ("hkid" in "hkid:<hash>"): a Hong Kong birth certificate
/// (issuer Hong Kong or not given) carries the number of the identity card the child is issued later, so it is
/// compared as "hkid"; every other kind is itself.
[[nodiscard]] std::string LinkageDocumentKind(std::string_view doc_type, std::string_view issuer);

/// A stored date of birth as the linkage compares it: an estimated date (stored as "YYYY-07-01", precision
/// "estimated") says only the year, so it becomes "YYYY"; other dates are stored at their own precision.
[[nodiscard]] std::string LinkageBirthDate(std::string_view birth_date, std::string_view precision);

/// Runs detection and queues new pairs (pairs already queued, decided or merged are left as they are).
/// Returns {persons, comparisons, pairs_found, pairs_queued, seconds, model}.
[[nodiscard]] Result<boost::json::object> DetectDuplicates(db::Database& database, audit::AuditLog& audit,
                                                           const audit::Actor& actor, const LinkageOptions& options,
                                                           std::optional<long long> job_id,
                                                           const std::function<void(long long, long long)>& progress);

}  // namespace welfare::registry
