/// \file The SQL that differs between SQLite and PostgreSQL, in one place.
#pragma once

#include <string>
#include <vector>

#include "db/database.hpp"

namespace welfare::db {

/// A condition "column is one of the ids bound as :name", with the ids bound as one text value
/// (a JSON array on SQLite, read with json_each; an array literal on PostgreSQL, cast to bigint[]).
[[nodiscard]] std::string IdListCondition(Dialect dialect, const std::string& column, const std::string& name);
/// The text to bind for IdListCondition.
[[nodiscard]] std::string IdListValue(Dialect dialect, const std::vector<long long>& ids);

}  // namespace welfare::db
