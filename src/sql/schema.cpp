// SPDX-License-Identifier: MIT
// Schema work of the SQL store: creating a missing table and the missing unique indexes of its
// identities, and checking a stored table's columns. A table created before its definition
// had an identity gets the index when the definition next opens on it; one that PostgreSQL
// created with a column's inline UNIQUE already has it, named as Table::index_name says.
#include <fmt/format.h>

#include <set>

#include "sql/sql_store.hpp"

namespace optimist::sql {

Result<void> Operations::ensure_schema(Connection& c, const Table& table) {
  using Names = std::set<std::string, std::less<>>;
  Names stored;
  std::vector<FieldError> missing;
  bool changed = false;  // a table or an index was created
  auto done = guarded(c, [&]() -> Result<void> {
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
      const auto read = [&](std::string_view query, Names& into) {
        std::string one;
        soci::statement names = (s.prepare << std::string(query), soci::use(name), soci::into(one));
        if (!names.execute(true)) return;
        do {
          into.insert(one);
        } while (names.fetch());
      };
      const auto run = [&](const std::string& text) {
        soci::statement statement = (s.prepare << text);
        statement.execute(true);
        changed = true;
      };
      read(dialect_.stored_columns, stored);
      Names indexes;
      if (stored.empty()) {
        run(create_table(dialect_, table));
        read(dialect_.stored_columns, stored);
      } else {
        read(dialect_.stored_indexes, indexes);
      }
      for (const Column& col : table.columns) {
        if (!stored.contains(col.name)) missing.push_back({col.name, FieldReason::missing_column});
      }
      if (missing.empty()) {
        for (const Identity& identity : table.identities) {
          if (!indexes.contains(table.index_name(identity))) {
            run(create_unique_index(dialect_, table, identity));
          }
        }
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
  });
  if (changed && dialect_.schema_work_spoils_connection) c.broken = true;
  if (!done) {
    name_identity(table, done.error());  // stored rows that break an identity
    return done;
  }
  if (missing.empty()) return ok();
  Error e =
      make_error(ErrorKind::invalid_definition,
                 fmt::format("the stored table {} lacks columns the definition needs", table.name));
  e.fields = std::move(missing);
  return e;
}

}  // namespace optimist::sql
