/// \file Running a SELECT into typed rows: one place for SOCI's statement dance.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

namespace welfare::db {

/// Runs `sql_text` and collects every row. `Row` binds its columns with `Bind(statement)` and
/// builds a value with `Get()`; `bind_uses(statement)` adds the statement's parameters.
template <class Row, class Uses>
[[nodiscard]] auto SelectRows(soci::session& sql, const std::string& sql_text, Uses&& bind_uses) {
  Row row;
  soci::statement select(sql);
  row.Bind(select);
  bind_uses(select);
  select.alloc();
  select.prepare(sql_text);
  select.define_and_bind();
  select.execute(false);
  std::vector<decltype(row.Get())> rows;
  while (select.fetch()) rows.push_back(row.Get());
  return rows;
}

}  // namespace welfare::db
