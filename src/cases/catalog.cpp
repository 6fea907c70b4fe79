// The configuration of case management in the database: versions of forms and service types, cached once parsed.
#include "cases/catalog.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "auth/permissions.hpp"
#include "auth/policy.hpp"
#include "auth/unit_service.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"

namespace welfare::cases {
namespace json = boost::json;

struct Catalog::Cache {
  std::map<std::pair<std::string, int>, forms::FormDefinition> forms;  ///< every version
  std::map<std::string, int> latest_form;
  std::map<std::string, ProvidedType> types;  ///< latest versions
};

namespace {

struct StoredRow {
  std::string code;
  int version = 0;
  std::string definition;
  std::string checksum;
  std::string source;
};

/// The latest stored version of `code` in `table`, if any.
std::optional<StoredRow> Latest(soci::session& sql, const std::string& table, const std::string& code) {
  StoredRow row;
  soci::indicator found = soci::i_null;
  sql << "SELECT code, version, definition, checksum, source FROM " + table +
             " WHERE code = :code ORDER BY version DESC LIMIT 1",
      soci::into(row.code, found), soci::into(row.version), soci::into(row.definition), soci::into(row.checksum),
      soci::into(row.source), soci::use(code);
  if (!sql.got_data()) return std::nullopt;
  return row;
}

/// A definition's checksum: its canonical JSON without the version, so that the same content loaded again is
/// recognised whatever version number the file carries.
std::string Checksum(json::object canonical) {
  canonical.erase("version");
  return Sha256Hex(json::serialize(canonical));
}

void Insert(soci::session& sql, const std::string& table, const std::string& code, int version,
            const json::object& definition, const std::string& checksum, Source source,
            std::optional<long long> staff_id) {
  const std::string text = json::serialize(definition);
  const std::string source_name = source == Source::kFile ? "file" : "api";
  const std::string now = FormatTime(Now());
  soci::indicator staff_indicator = staff_id ? soci::i_ok : soci::i_null;
  const long long staff = staff_id.value_or(0);
  sql << "INSERT INTO " + table +
             " (code, version, definition, checksum, source, created_by, created_at) "
             "VALUES (:code, :version, :definition, :checksum, :source, :staff, :now)",
      soci::use(code), soci::use(version), soci::use(text), soci::use(checksum), soci::use(source_name),
      soci::use(staff, staff_indicator), soci::use(now);
}

/// The unit ids of `codes`; unknown codes are reported under `units.N`.
std::vector<long long> UnitIds(soci::session& sql, const std::vector<std::string>& codes, FieldErrors& errors) {
  std::vector<long long> ids;
  for (size_t code_idx = 0; code_idx < codes.size(); ++code_idx) {
    if (auto unit = auth::FindUnitByCode(sql, codes[code_idx])) {
      ids.push_back(unit->id);
    } else {
      errors.Add("units." + std::to_string(code_idx), "not_found");
    }
  }
  return ids;
}

void ReplaceUnits(soci::session& sql, const std::string& code, const std::vector<long long>& unit_ids) {
  sql << "DELETE FROM service_type_units WHERE service_type = :code", soci::use(code);
  for (long long unit_id : unit_ids) {
    sql << "INSERT INTO service_type_units (service_type, unit_id) VALUES (:code, :unit)", soci::use(code),
        soci::use(unit_id);
  }
}

std::vector<std::string> StoredFormCodes(soci::session& sql) {
  std::vector<std::string> codes;
  std::string code;
  soci::statement select = (sql.prepare << "SELECT DISTINCT code FROM form_definitions", soci::into(code));
  select.execute();
  while (select.fetch()) codes.push_back(code);
  return codes;
}

Result<json::value> ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value value = json::parse(text.str(), ec);
  if (ec) {
    return Fail(Error::Validation({{"", "malformed_json", {{"detail", ec.message()}}}}));
  }
  return value;
}

std::vector<std::filesystem::path> JsonFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::ranges::sort(files);
  return files;
}

/// Prefixes every field error of `error` with the file it came from.
void AddFileErrors(FieldErrors& errors, const std::string& file, const Error& error) {
  if (error.fields.empty()) errors.Add(file, error.code);
  for (const auto& field : error.fields) {
    errors.Add(field.field.empty() ? file : file + ": " + field.field, field.code, field.params);
  }
}

}  // namespace

std::shared_ptr<const Catalog::Cache> Catalog::Current() {
  {
    std::lock_guard lock(mutex_);
    if (cache_) return cache_;
  }
  auto cache = std::make_shared<Cache>();
  auto loaded = database_.Read<bool>([&](soci::session& sql) -> Result<bool> {
    StoredRow row;
    soci::statement forms_select = (sql.prepare << "SELECT code, version, definition FROM form_definitions",
                                    soci::into(row.code), soci::into(row.version), soci::into(row.definition));
    forms_select.execute();
    while (forms_select.fetch()) {
      auto form = forms::ParseDefinition(json::parse(row.definition));
      if (!form) continue;  // stored only after the same check; a later, stricter reader must not stop the server
      form->version = row.version;
      cache->forms[{row.code, row.version}] = std::move(*form);
      int& latest = cache->latest_form[row.code];
      latest = std::max(latest, row.version);
    }
    soci::statement types_select =
        (sql.prepare << "SELECT t.code, t.version, t.definition FROM service_types t WHERE t.version = "
                        "(SELECT MAX(version) FROM service_types l WHERE l.code = t.code)",
         soci::into(row.code), soci::into(row.version), soci::into(row.definition));
    types_select.execute();
    while (types_select.fetch()) {
      auto type = ParseServiceType(json::parse(row.definition));
      if (!type) continue;
      type->version = row.version;
      cache->types[row.code] = ProvidedType{std::move(*type), {}};
    }
    std::string code;
    long long unit_id = 0;
    soci::statement units_select = (sql.prepare << "SELECT service_type, unit_id FROM service_type_units "
                                                   "ORDER BY service_type, unit_id",
                                    soci::into(code), soci::into(unit_id));
    units_select.execute();
    while (units_select.fetch()) {
      if (auto found = cache->types.find(code); found != cache->types.end()) found->second.unit_ids.push_back(unit_id);
    }
    return true;
  });
  if (!loaded) return std::make_shared<Cache>();
  std::lock_guard lock(mutex_);
  if (!cache_) cache_ = cache;
  return cache_;
}

void Catalog::Invalidate() {
  std::lock_guard lock(mutex_);
  cache_.reset();
}

Result<forms::FormDefinition> Catalog::Form(const std::string& code, std::optional<int> version) {
  const auto cache = Current();
  if (!version) {
    const auto latest = cache->latest_form.find(code);
    if (latest == cache->latest_form.end()) return Fail(Error::NotFound("form " + code));
    version = latest->second;
  }
  const auto found = cache->forms.find({code, *version});
  if (found == cache->forms.end()) return Fail(Error::NotFound("form " + code + " v" + std::to_string(*version)));
  return found->second;
}

std::vector<forms::FormDefinition> Catalog::Forms() {
  const auto cache = Current();
  std::vector<forms::FormDefinition> out;
  for (const auto& [code, version] : cache->latest_form) out.push_back(cache->forms.at({code, version}));
  return out;
}

Result<ProvidedType> Catalog::Type(const std::string& code) {
  const auto cache = Current();
  const auto found = cache->types.find(code);
  if (found == cache->types.end()) return Fail(Error::NotFound("service type " + code));
  return found->second;
}

std::vector<ProvidedType> Catalog::Types() {
  const auto cache = Current();
  std::vector<ProvidedType> out;
  for (const auto& [code, type] : cache->types) out.push_back(type);
  return out;
}

Result<forms::FormDefinition> Catalog::SaveForm(const auth::Context& context, const json::value& body) {
  auto parsed = forms::ParseDefinition(body);
  if (!parsed) return Fail(parsed.error());
  auto saved = database_.Write<forms::FormDefinition>([&](soci::session& sql) -> Result<forms::FormDefinition> {
    if (auto allowed =
            auth::RequireAt(sql, context.principal, auth::perm::kServiceTypesManage, context.principal.unit_id);
        !allowed) {
      return Fail(allowed.error());
    }
    forms::FormDefinition form = *parsed;
    const std::string checksum = Checksum(forms::DefinitionJson(form));
    const auto latest = Latest(sql, "form_definitions", form.code);
    if (latest && latest->checksum == checksum) {
      form.version = latest->version;
      return form;
    }
    form.version = latest ? latest->version + 1 : 1;
    Insert(sql, "form_definitions", form.code, form.version, forms::DefinitionJson(form), checksum, Source::kApi,
           context.principal.staff_id);
    audit_.Append(sql, context.actor,
                  {"form.version", "form", form.code, json::object{{"version", form.version}, {"source", "api"}}});
    return form;
  });
  Invalidate();
  return saved;
}

Result<ProvidedType> Catalog::SaveType(const auth::Context& context, const json::value& body) {
  auto saved = database_.Write<ProvidedType>([&](soci::session& sql) -> Result<ProvidedType> {
    if (auto allowed =
            auth::RequireAt(sql, context.principal, auth::perm::kServiceTypesManage, context.principal.unit_id);
        !allowed) {
      return Fail(allowed.error());
    }
    const auto known = StoredFormCodes(sql);
    auto parsed = ParseServiceType(body, &known);
    FieldErrors errors;
    if (!parsed) return Fail(parsed.error());
    ProvidedType provided{*parsed, UnitIds(sql, parsed->units, errors)};
    if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
    const std::string checksum = Checksum(ServiceTypeJson(provided.type));
    const auto latest = Latest(sql, "service_types", provided.type.code);
    if (latest && latest->checksum == checksum) {
      provided.type.version = latest->version;
      return provided;
    }
    provided.type.version = latest ? latest->version + 1 : 1;
    Insert(sql, "service_types", provided.type.code, provided.type.version, ServiceTypeJson(provided.type), checksum,
           Source::kApi, context.principal.staff_id);
    ReplaceUnits(sql, provided.type.code, provided.unit_ids);
    audit_.Append(sql, context.actor,
                  {"service_type.version", "service_type", provided.type.code,
                   json::object{{"version", provided.type.version}, {"source", "api"}}});
    return provided;
  });
  Invalidate();
  return saved;
}

Result<LoadReport> Catalog::LoadDirectory(const std::filesystem::path& dir, const audit::Actor& actor) {
  FieldErrors errors;
  std::vector<forms::FormDefinition> forms;
  std::vector<ServiceType> types;
  std::vector<std::string> file_forms;
  for (const auto& path : JsonFiles(dir / "forms")) {
    const std::string file = "forms/" + path.filename().string();
    auto value = ReadJsonFile(path);
    if (!value) {
      AddFileErrors(errors, file, value.error());
      continue;
    }
    auto form = forms::ParseDefinition(*value);
    if (!form) {
      AddFileErrors(errors, file, form.error());
      continue;
    }
    if (form->code + ".json" != path.filename().string()) errors.Add(file + ": code", "file_name_mismatch");
    file_forms.push_back(form->code);
    forms.push_back(std::move(*form));
  }
  for (const auto& path : JsonFiles(dir / "service-types")) {
    const std::string file = "service-types/" + path.filename().string();
    auto value = ReadJsonFile(path);
    if (!value) {
      AddFileErrors(errors, file, value.error());
      continue;
    }
    auto type = ParseServiceType(*value);
    if (!type) {
      AddFileErrors(errors, file, type.error());
      continue;
    }
    if (type->code + ".json" != path.filename().string()) errors.Add(file + ": code", "file_name_mismatch");
    types.push_back(std::move(*type));
  }
  if (auto valid = errors.Finish(); !valid) return Fail(valid.error());
  auto report = database_.Write<LoadReport>([&](soci::session& sql) -> Result<LoadReport> {
    LoadReport done;
    FieldErrors problems;
    auto store = [&](const std::string& table, const std::string& kind, const std::string& code,
                     json::object definition) -> std::optional<int> {
      const std::string checksum = Checksum(definition);
      const auto latest = Latest(sql, table, code);
      if (latest && latest->checksum == checksum) {
        done.unchanged.push_back(kind + " " + code + ": version " + std::to_string(latest->version));
        return std::nullopt;
      }
      if (latest && latest->source == "api") {
        done.kept.push_back(kind + " " + code + ": version " + std::to_string(latest->version) +
                            " was changed through the API; the file was not applied");
        return std::nullopt;
      }
      const int version = latest ? latest->version + 1 : 1;
      definition["version"] = version;
      Insert(sql, table, code, version, definition, checksum, Source::kFile, actor.user_id);
      audit_.Append(sql, actor,
                    {kind == "form" ? "form.version" : "service_type.version", kind == "form" ? "form" : "service_type",
                     code, json::object{{"version", version}, {"source", "file"}}});
      done.added.push_back(kind + " " + code + ": version " + std::to_string(version));
      return version;
    };
    for (const auto& form : forms) (void)store("form_definitions", "form", form.code, forms::DefinitionJson(form));
    auto known = StoredFormCodes(sql);
    for (const auto& type : types) {
      const std::string file = "service-types/" + type.code + ".json";
      for (const auto& code : type.FormCodes()) {
        if (std::ranges::find(known, code) == known.end()) problems.Add(file + ": " + code, "not_found");
      }
      // Shipped types name the demo units; where a unit does not exist (a real deployment) it is left out, and an
      // administrator chooses the units through the API.
      std::vector<long long> unit_ids;
      for (const auto& code : type.units) {
        if (auto unit = auth::FindUnitByCode(sql, code)) {
          unit_ids.push_back(unit->id);
        } else {
          done.warnings.push_back("service type " + type.code + ": no unit " + code + "; left out");
        }
      }
      const auto before = Latest(sql, "service_types", type.code);
      (void)store("service_types", "service type", type.code, ServiceTypeJson(type));
      // The units of a shipped type follow the units that exist now (demo units may come after the first load).
      if (!before || before->source == "file") ReplaceUnits(sql, type.code, unit_ids);
    }
    if (auto valid = problems.Finish(); !valid) return Fail(valid.error());
    return done;
  });
  Invalidate();
  return report;
}

}  // namespace welfare::cases
