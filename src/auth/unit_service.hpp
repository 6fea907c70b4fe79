/// \file Organisation units: the tree of departments, regions, districts, counties, offices, NGOs and service units.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "audit/audit_log.hpp"
#include "auth/context.hpp"
#include "db/database.hpp"

namespace welfare::auth {

/// One organisation unit.
struct Unit {
  long long id = 0;
  std::optional<long long> parent_id;
  std::string kind;
  std::string code;
  std::string name_zh;
  std::string name_en;
  bool active = true;
  long long version = 1;
  std::string created_at;
  std::string updated_at;
};

/// The API form of a unit.
[[nodiscard]] boost::json::object ToJson(const Unit& unit);
/// True when a unit of `kind` may sit under a unit of `parent_kind` (empty = top level).
[[nodiscard]] bool KindAllowedUnder(std::string_view kind, std::string_view parent_kind);

/// Use cases on units: read the tree, create, rename, move, deactivate.
class UnitService {
 public:
  UnitService(db::Database& database, audit::AuditLog& audit) : database_(database), audit_(audit) {}

  [[nodiscard]] Result<std::vector<Unit>> List(const Context& context);
  [[nodiscard]] Result<Unit> Get(const Context& context, long long id);
  /// Body: {parent_id, kind, code, name_zh, name_en}.
  [[nodiscard]] Result<Unit> Create(const Context& context, const boost::json::object& body);
  /// Body: {version, name_zh?, name_en?, code?, active?, parent_id?}.
  [[nodiscard]] Result<Unit> Update(const Context& context, long long id, const boost::json::object& body);
  /// Creates a unit without access checks (demo data, first administrator); audited all the same.
  [[nodiscard]] Result<Unit> CreateTrusted(soci::session& sql, const audit::Actor& actor, const Unit& unit);
  /// Forgets the cached tree; called after each state-changing request. A change made by another
  /// process on the same database is seen within the cache's lifetime (5 seconds).
  void InvalidateCache() { generation_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  db::Database& database_;
  audit::AuditLog& audit_;
  /// The whole tree is read on every page of the console and changes rarely: kept for a moment.
  std::mutex cache_mutex_;
  std::optional<std::vector<Unit>> cached_;
  unsigned long long cached_generation_ = 0;
  std::chrono::steady_clock::time_point cached_at_;
  std::atomic<unsigned long long> generation_{0};
};

/// Reads one unit (no access check); nullopt when absent.
[[nodiscard]] std::optional<Unit> FindUnit(soci::session& sql, long long id);
/// Reads one unit by code.
[[nodiscard]] std::optional<Unit> FindUnitByCode(soci::session& sql, const std::string& code);

}  // namespace welfare::auth
