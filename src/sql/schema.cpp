// SPDX-License-Identifier: MIT
// Schema work of the SQL store: creating a missing table and checking a stored one.
#include <fmt/format.h>

#include <set>

#include "sql/sql_store.hpp"

namespace optimist::sql {

Result<void> Operations::ensure_schema(Connection& c, const Table& table) {
  std::set<std::string, std::less<>> stored;
  bool created = false;
  OPTIMIST_TRYV(guarded(c, [&]() -> Result<void> {
    soci::session& s = *c.session;
    const bool locked = !dialect_.schema_lock.empty();
    if (locked) {
      soci::statement begin = (s.prepare << "BEGIN");
      begin.execute(true);
      soci::statement lock = (s.prepare << std::string(dialect_.schema_lock));
      lock.execute(true);
    }
    try {
      std::string name = table.name;
      std::string column;
      soci::statement columns =
          (s.prepare << std::string(dialect_.stored_columns), soci::use(name), soci::into(column));
      const auto read_columns = [&] {
        if (!columns.execute(true)) return;
        do {
          stored.insert(column);
        } while (columns.fetch());
      };
      read_columns();
      if (stored.empty()) {
        soci::statement create = (s.prepare << create_table(dialect_, table));
        create.execute(true);
        created = true;
        read_columns();
      }
      if (locked) {
        soci::statement commit = (s.prepare << "COMMIT");
        commit.execute(true);
      }
    } catch (const soci::soci_error&) {
      if (locked) {
        try {
          soci::statement rollback = (s.prepare << "ROLLBACK");
          rollback.execute(true);
        } catch (const soci::soci_error&) {
          c.broken = true;
        }
      }
      throw;
    }
    return ok();
  }));
  if (created && dialect_.schema_work_spoils_connection) c.broken = true;
  std::vector<FieldError> missing;
  for (const Column& col : table.columns) {
    if (!stored.contains(col.name)) missing.push_back({col.name, FieldReason::missing_column});
  }
  if (missing.empty()) return ok();
  Error e =
      make_error(ErrorKind::invalid_definition,
                 fmt::format("the stored table {} lacks columns the definition needs", table.name));
  e.fields = std::move(missing);
  return e;
}

}  // namespace optimist::sql
