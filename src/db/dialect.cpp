#include "db/dialect.hpp"

namespace welfare::db {

std::string IdListCondition(Dialect dialect, const std::string& column, const std::string& name) {
  if (dialect == Dialect::kPostgresql) return column + " = ANY(CAST(:" + name + " AS bigint[]))";
  return column + " IN (SELECT value FROM json_each(:" + name + "))";
}

std::string IdListValue(Dialect dialect, const std::vector<long long>& ids) {
  std::string text = dialect == Dialect::kPostgresql ? "{" : "[";
  for (size_t id_idx = 0; id_idx < ids.size(); ++id_idx) {
    if (id_idx > 0) text += ',';
    text += std::to_string(ids[id_idx]);
  }
  text += dialect == Dialect::kPostgresql ? "}" : "]";
  return text;
}

}  // namespace welfare::db
