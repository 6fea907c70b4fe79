#include "auth/unit_service.hpp"

#include <array>
#include <regex>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "db/optional.hpp"
#include "db/rows.hpp"

namespace welfare::auth {
namespace {

constexpr std::array<std::string_view, 7> kKinds = {"department",      "region", "district",    "county",
                                                    "township_office", "ngo",    "service_unit"};

constexpr const char* kUnitColumns =
    "SELECT id, parent_id, kind, code, name_zh, name_en, active, version, created_at, updated_at FROM units";

/// Output buffers for one unit row.
struct UnitRow {
  Unit unit;
  boost::optional<long long> parent_id;
  int active = 1;
  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(unit.id));
    statement.exchange(soci::into(parent_id));
    statement.exchange(soci::into(unit.kind));
    statement.exchange(soci::into(unit.code));
    statement.exchange(soci::into(unit.name_zh));
    statement.exchange(soci::into(unit.name_en));
    statement.exchange(soci::into(active));
    statement.exchange(soci::into(unit.version));
    statement.exchange(soci::into(unit.created_at));
    statement.exchange(soci::into(unit.updated_at));
  }
  [[nodiscard]] Unit Get() const {
    Unit out = unit;
    out.parent_id = db::FromNullable(parent_id);
    out.active = active != 0;
    return out;
  }
};

template <class Uses>
std::vector<Unit> SelectUnits(soci::session& sql, const std::string& where, Uses&& bind_uses) {
  return db::SelectRows<UnitRow>(sql, std::string(kUnitColumns) + where, std::forward<Uses>(bind_uses));
}

bool IsValidCode(const std::string& code) {
  static const std::regex pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$");
  return std::regex_match(code, pattern);
}

void CheckKind(JsonReader& reader, const std::string& kind, const std::optional<Unit>& parent) {
  if (std::ranges::find(kKinds, kind) == kKinds.end()) {
    reader.Add("kind", "invalid_choice",
               {{"choices", "department, region, district, county, township_office, ngo, service_unit"}});
    return;
  }
  const std::string parent_kind = parent ? parent->kind : std::string();
  if (!KindAllowedUnder(kind, parent_kind)) {
    reader.Add(parent ? "kind" : "parent_id", "kind_not_allowed",
               {{"kind", kind}, {"parent", parent_kind.empty() ? "(top)" : parent_kind}});
  }
}

}  // namespace

bool KindAllowedUnder(std::string_view kind, std::string_view parent_kind) {
  if (parent_kind.empty()) return kind == "department" || kind == "county" || kind == "ngo";
  if (parent_kind == "department") return kind == "region" || kind == "district" || kind == "service_unit";
  if (parent_kind == "region") return kind == "district" || kind == "service_unit";
  if (parent_kind == "district") return kind == "service_unit";
  if (parent_kind == "county") return kind == "township_office" || kind == "service_unit";
  if (parent_kind == "township_office") return kind == "service_unit";
  if (parent_kind == "ngo") return kind == "service_unit";
  return false;
}

boost::json::object ToJson(const Unit& unit) {
  boost::json::object out;
  out["id"] = unit.id;
  out["parent_id"] = unit.parent_id ? boost::json::value(*unit.parent_id) : boost::json::value(nullptr);
  out["kind"] = unit.kind;
  out["code"] = unit.code;
  out["name_zh"] = unit.name_zh;
  out["name_en"] = unit.name_en;
  out["active"] = unit.active;
  out["version"] = unit.version;
  out["created_at"] = unit.created_at;
  out["updated_at"] = unit.updated_at;
  return out;
}

std::optional<Unit> FindUnit(soci::session& sql, long long id) {
  auto units = SelectUnits(sql, " WHERE id = :id", [&](soci::statement& s) { s.exchange(soci::use(id, "id")); });
  if (units.empty()) return std::nullopt;
  return units.front();
}

std::optional<Unit> FindUnitByCode(soci::session& sql, const std::string& code) {
  auto units =
      SelectUnits(sql, " WHERE code = :code", [&](soci::statement& s) { s.exchange(soci::use(code, "code")); });
  if (units.empty()) return std::nullopt;
  return units.front();
}

Result<std::vector<Unit>> UnitService::List(const Context& /*context*/) {
  constexpr auto kCacheLifetime = std::chrono::seconds(5);
  const unsigned long long generation = generation_.load(std::memory_order_acquire);
  {
    std::lock_guard lock(cache_mutex_);
    if (cached_ && cached_generation_ == generation && std::chrono::steady_clock::now() - cached_at_ < kCacheLifetime) {
      return *cached_;
    }
  }
  auto units = database_.Read<std::vector<Unit>>([&](soci::session& sql) -> Result<std::vector<Unit>> {
    return SelectUnits(sql, " ORDER BY parent_id IS NOT NULL, parent_id, code", [](soci::statement&) {});
  });
  if (units) {
    std::lock_guard lock(cache_mutex_);
    cached_ = *units;
    cached_generation_ = generation;
    cached_at_ = std::chrono::steady_clock::now();
  }
  return units;
}

Result<Unit> UnitService::Get(const Context& /*context*/, long long id) {
  return database_.Read<Unit>([&](soci::session& sql) -> Result<Unit> {
    auto unit = FindUnit(sql, id);
    if (!unit) return Fail(Error::NotFound("unit " + std::to_string(id)));
    return *unit;
  });
}

Result<Unit> UnitService::CreateTrusted(soci::session& sql, const audit::Actor& actor, const Unit& unit) {
  const std::string now = FormatTime(Now());
  const int active = unit.active ? 1 : 0;
  long long id = 0;
  const auto parent_id = db::Nullable(unit.parent_id);
  sql << "INSERT INTO units (parent_id, kind, code, name_zh, name_en, active, version, created_at, updated_at) "
         "VALUES (:parent, :kind, :code, :zh, :en, :active, 1, :now, :now2) RETURNING id",
      soci::use(parent_id), soci::use(unit.kind), soci::use(unit.code), soci::use(unit.name_zh),
      soci::use(unit.name_en), soci::use(active), soci::use(now), soci::use(now), soci::into(id);
  audit::Changes changes;
  changes.Set("kind", unit.kind).Set("code", unit.code).Set("name_zh", unit.name_zh).Set("name_en", unit.name_en);
  if (unit.parent_id) changes.Set("parent_id", *unit.parent_id);
  audit_.Append(sql, actor, {"unit.create", "unit", std::to_string(id), changes.Take()});
  auto created = FindUnit(sql, id);
  if (!created) return Fail(Error::Internal("unit vanished after insert"));
  return *created;
}

Result<Unit> UnitService::Create(const Context& context, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"parent_id", "kind", "code", "name_zh", "name_en"});
  Unit unit;
  unit.parent_id = reader.OptionalInt("parent_id");
  unit.kind = reader.RequiredString("kind", 1, 40);
  unit.code = reader.RequiredString("code", 1, 40);
  unit.name_zh = reader.RequiredString("name_zh", 1, 120);
  unit.name_en = reader.RequiredString("name_en", 1, 200);
  if (!unit.code.empty() && !IsValidCode(unit.code)) {
    reader.Add("code", "invalid_format", {{"hint", "A-Z a-z 0-9 . _ -"}});
  }
  return database_.Write<Unit>([&](soci::session& sql) -> Result<Unit> {
    std::optional<Unit> parent;
    if (unit.parent_id) {
      parent = FindUnit(sql, *unit.parent_id);
      if (!parent) reader.Add("parent_id", "not_found");
    }
    if (!unit.kind.empty()) CheckKind(reader, unit.kind, parent);
    if (!unit.code.empty() && FindUnitByCode(sql, unit.code)) reader.Add("code", "taken");
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    // A top-level unit needs the permission at some top-level unit; a child needs it at the parent.
    if (parent) {
      if (auto allowed = RequireAt(sql, context.principal, perm::kUnitsManage, parent->id); !allowed) {
        return Fail(allowed.error());
      }
    } else {
      bool at_top = false;
      for (long long granted : context.principal.UnitsWith(perm::kUnitsManage)) {
        auto granted_unit = FindUnit(sql, granted);
        at_top = at_top || (granted_unit && !granted_unit->parent_id);
      }
      if (!at_top) return Fail(Error::Make(Canonical::kPermissionDenied, "permission_denied", "top-level unit"));
    }
    return CreateTrusted(sql, context.actor, unit);
  });
}

Result<Unit> UnitService::Update(const Context& context, long long id, const boost::json::object& body) {
  JsonReader reader(body);
  reader.RejectUnknown({"version", "parent_id", "code", "name_zh", "name_en", "active"});
  const long long version = reader.RequiredInt("version");
  const auto name_zh = reader.OptionalString("name_zh", 1, 120);
  const auto name_en = reader.OptionalString("name_en", 1, 200);
  const auto code = reader.OptionalString("code", 1, 40);
  const auto active = reader.OptionalBool("active");
  bool parent_null = false;
  const auto parent_id = reader.OptionalInt("parent_id", &parent_null);
  if (name_zh && name_zh->empty()) reader.Add("name_zh", "required");
  if (name_en && name_en->empty()) reader.Add("name_en", "required");
  if (code && !IsValidCode(*code)) reader.Add("code", "invalid_format", {{"hint", "A-Z a-z 0-9 . _ -"}});
  return database_.Write<Unit>([&](soci::session& sql) -> Result<Unit> {
    auto current = FindUnit(sql, id);
    if (!current) return Fail(Error::NotFound("unit " + std::to_string(id)));
    if (auto allowed = RequireAt(sql, context.principal, perm::kUnitsManage, id); !allowed)
      return Fail(allowed.error());
    Unit next = *current;
    if (name_zh) next.name_zh = *name_zh;
    if (name_en) next.name_en = *name_en;
    if (code) next.code = *code;
    if (active) next.active = *active;
    const bool moving = parent_null ? current->parent_id.has_value() : (parent_id && parent_id != current->parent_id);
    if (moving) {
      next.parent_id = parent_null ? std::nullopt : parent_id;
      std::optional<Unit> parent;
      if (next.parent_id) {
        parent = FindUnit(sql, *next.parent_id);
        if (!parent) {
          reader.Add("parent_id", "not_found");
        } else if (const auto ancestry = UnitAncestry(sql, *next.parent_id);
                   std::ranges::find(ancestry, id) != ancestry.end()) {
          reader.Add("parent_id", "cycle");
        } else if (auto allowed = RequireAt(sql, context.principal, perm::kUnitsManage, parent->id); !allowed) {
          return Fail(allowed.error());
        }
      }
      if (!next.parent_id || parent) CheckKind(reader, next.kind, parent);
    }
    if (code && *code != current->code && FindUnitByCode(sql, *code)) reader.Add("code", "taken");
    if (auto valid = reader.Finish(); !valid) return Fail(valid.error());
    if (version != current->version) return Fail(Error::Conflict(current->version));

    const std::string now = FormatTime(Now());
    const int active_flag = next.active ? 1 : 0;
    long long updated = 0;
    const auto new_parent = db::Nullable(next.parent_id);
    soci::statement update =
        (sql.prepare
             << "UPDATE units SET parent_id = :parent, code = :code, name_zh = :zh, name_en = :en, "
                "active = :active, version = version + 1, updated_at = :now WHERE id = :id AND version = :version",
         soci::use(new_parent), soci::use(next.code), soci::use(next.name_zh), soci::use(next.name_en),
         soci::use(active_flag), soci::use(now), soci::use(id), soci::use(version));
    update.execute(true);
    updated = update.get_affected_rows();
    if (updated != 1) return Fail(Error::Conflict(current->version));

    audit::Changes changes;
    changes.Field("code", current->code, next.code)
        .Field("name_zh", current->name_zh, next.name_zh)
        .Field("name_en", current->name_en, next.name_en)
        .Field("active", current->active, next.active);
    if (moving) {
      changes.Field("parent_id", current->parent_id ? boost::json::value(*current->parent_id) : boost::json::value(),
                    next.parent_id ? boost::json::value(*next.parent_id) : boost::json::value());
    }
    audit_.Append(sql, context.actor, {"unit.update", "unit", std::to_string(id), changes.Take()});
    return *FindUnit(sql, id);
  });
}

}  // namespace welfare::auth
