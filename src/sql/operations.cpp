// SPDX-License-Identifier: MIT
// The data layer's operations on one leased connection (see operations.hpp).
#include "sql/operations.hpp"

#include <fmt/format.h>

#include "sql/binding.hpp"
#include "version_limit.hpp"

namespace optimist::sql {

namespace {

using detail::ErrorBox;

[[gnu::noinline]] ErrorBox stale(std::int64_t stored) {
  Error e = make_error(ErrorKind::stale_record);
  e.stored_version = stored;
  return e;
}

[[gnu::noinline]] ErrorBox bad_value(const Table& t, std::size_t column) {
  Error e = make_error(ErrorKind::invalid);
  e.fields.push_back({t.columns[column].name, FieldReason::wrong_type});
  return e;
}

[[gnu::noinline]] ErrorBox bad_column(const Table& t, std::size_t column) {
  Error e = make_error(ErrorKind::invalid);
  e.fields.push_back({column < t.columns.size() ? t.columns[column].name : std::string("?"),
                      FieldReason::not_accepted});
  return e;
}

}  // namespace

void name_identity(const Table& table, Error& e) {
  if (e.kind != ErrorKind::conflict) return;
  for (const Identity& identity : table.identities) {
    std::string columns;
    for (std::size_t c : identity.columns) {
      if (!columns.empty()) columns += ", ";
      columns += table.columns[c].name;
    }
    if (e.constraint == columns || e.constraint == table.index_name(identity)) {
      e.constraint = identity.name;
      return;
    }
  }
}

Result<Row> Operations::get(Connection& c, const Table& table, std::int64_t key, bool lock) {
  return guarded(c, [&]() -> Result<Row> {
    Prepared& p = prepared(c, table, lock ? Op::get_for_update : Op::get, 0);
    p.in[0].set_integer(key);
    if (!p.statement->execute()) return failure(ErrorKind::not_found);
    Row row = read_row(p.out);
    p.statement->finish();
    return row;
  });
}

Result<std::vector<Row>> Operations::select(Connection& c, const Table& table, const Selection& s) {
  const BoundText q = select_rows(dialect_, table, s);
  return guarded(c, [&]() -> Result<std::vector<Row>> {
    Prepared& p = query(c, table, q, true);
    std::vector<Row> rows;
    if (s.limit) rows.reserve(std::min<std::size_t>(*s.limit, 1024));
    for (bool more = p.statement->execute(); more; more = p.statement->next()) {
      rows.push_back(read_row(p.out));
    }
    return rows;
  });
}

Result<std::int64_t> Operations::count(Connection& c, const Table& table, const Condition& where) {
  const BoundText q = count_rows(dialect_, table, where);
  return guarded(c, [&]() -> Result<std::int64_t> {
    Prepared& p = query(c, table, q, false);
    if (!p.statement->execute()) return failure(ErrorKind::internal, "the count returned no row");
    const std::int64_t n = p.out[0].integer;
    p.statement->finish();
    return n;
  });
}

Result<std::int64_t> Operations::insert(Connection& c, const Table& table, const Row& row) {
  if (row.size() != table.columns.size()) {
    return failure(ErrorKind::internal, "row size does not match the table");
  }
  auto r = guarded(c, [&]() -> Result<std::int64_t> {
    Prepared& p = prepared(c, table, Op::insert, 0);
    for (std::size_t i = 0; i < p.in.size(); ++i) {
      const std::size_t col = p.in_column[i];
      if (!set_slot(p.in[i], row[col])) return bad_value(table, col);
    }
    if (!p.statement->execute()) {
      return failure(ErrorKind::internal, "the insert returned no key");
    }
    const std::int64_t key = p.out[0].integer;
    p.statement->finish();
    return key;
  });
  if (!r) name_identity(table, r.assume_error());
  return r;
}

Result<std::int64_t> Operations::probe(Connection& c, const Table& table, std::int64_t key,
                                       std::int64_t expected, bool found_is_ok) {
  Prepared& p = prepared(c, table, Op::probe, 0);
  p.in[0].set_integer(key);
  if (!p.statement->execute()) return failure(ErrorKind::not_found);
  const std::int64_t stored = p.out[0].integer;
  p.statement->finish();
  if (stored == expected && found_is_ok) return stored;
  return stale(stored);
}

Result<std::int64_t> Operations::update(Connection& c, const Table& table, std::int64_t key,
                                        std::int64_t expected,
                                        std::span<const Assignment> changes) {
  std::uint64_t mask = 0;
  std::size_t bad = 0;
  if (!column_mask(table, changes, mask, bad)) return bad_column(table, bad);
  auto r = guarded(c, [&]() -> Result<std::int64_t> {
    if (mask == 0) return probe(c, table, key, expected, true);
    Prepared& p = prepared(c, table, Op::update, mask);
    const bool single = changes.size() == 1;
    for (const Assignment& a : changes) {
      if (!set_slot(p.in[single ? 0 : rank(mask, a.column)], a.value)) {
        return bad_value(table, a.column);
      }
    }
    const std::size_t n = changes.size();
    p.in[n].set_integer(key);
    p.in[n + 1].set_integer(expected);
    p.statement->execute();
    if (p.statement->affected_rows() == 1) return expected + 1;
    return probe(c, table, key, expected, false);
  });
  if (!r) name_identity(table, r.assume_error());
  return r;
}

Result<Row> Operations::increment(Connection& c, const Table& table, std::int64_t key,
                                  std::span<const Increment> deltas,
                                  std::optional<std::int64_t> expected) {
  std::uint64_t mask = 0;
  std::size_t bad = 0;
  if (!column_mask(table, deltas, mask, bad)) return bad_column(table, bad);
  for (const Increment& d : deltas) {
    const ColumnType t = table.columns[d.column].type;
    const bool fits = (t == ColumnType::integer && std::holds_alternative<std::int64_t>(d.delta)) ||
                      (t == ColumnType::real && (std::holds_alternative<std::int64_t>(d.delta) ||
                                                 std::holds_alternative<double>(d.delta)));
    if (!fits) {
      return failure(ErrorKind::internal,
                     fmt::format("column {} cannot be incremented by that delta",
                                 table.columns[d.column].name));
    }
  }
  auto r = guarded(c, [&]() -> Result<Row> {
    const Op op = expected ? Op::increment_checked : Op::increment;
    Prepared& p = prepared(c, table, op, mask);
    for (const Increment& d : deltas) {
      (void)set_slot(p.in[rank(mask, d.column)], d.delta);
    }
    const std::size_t n = deltas.size();
    p.in[n].set_integer(key);
    p.in[n + 1].set_integer(expected.value_or(table.version_max));
    // The returned row, not affected_rows(): after RETURNING, SQLite reports a stale count.
    if (p.statement->execute()) {
      Row row = read_row(p.out);
      p.statement->finish();  // an unfinished UPDATE ... RETURNING keeps SQLite's write lock
      return row;
    }
    p.statement->finish();
    // No row: the record is gone or, checked, stale; unchecked, it is at the version limit.
    auto missed = probe(c, table, key, expected.value_or(0), false);
    if (!expected && !missed && missed.error().kind == ErrorKind::stale_record) {
      return version_limit_error(table);
    }
    return std::move(missed).error();
  });
  // An overflow the database reported without naming the column: it is an incremented
  // column of the type it names (the first, when several are incremented at once).
  if (!r) {
    name_identity(table, r.assume_error());
    const ColumnType type =
        r.error().detail == real_overflow ? ColumnType::real : ColumnType::integer;
    for (FieldError& f : r.error().fields) {
      if (!f.field.empty() || f.reason != FieldReason::out_of_range) continue;
      for (const Increment& d : deltas) {
        if (table.columns[d.column].type == type) {
          f.field = table.columns[d.column].name;
          break;
        }
      }
    }
  }
  return r;
}

Result<void> Operations::destroy(Connection& c, const Table& table, std::int64_t key,
                                 std::int64_t expected) {
  return guarded(c, [&]() -> Result<void> {
    Prepared& p = prepared(c, table, Op::destroy, 0);
    p.in[0].set_integer(key);
    p.in[1].set_integer(expected);
    p.statement->execute();
    if (p.statement->affected_rows() == 1) return ok();
    OPTIMIST_TRY(stored, probe(c, table, key, expected, false));
    (void)stored;
    return failure(ErrorKind::internal, "destroy removed no row");
  });
}

}  // namespace optimist::sql
