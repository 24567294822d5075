// SPDX-License-Identifier: MIT
// The SQL text of every statement the SQL store runs on a table, built in one place for
// every dialect: the few that differ read the Dialect's members. Pure functions of a Table:
// no database, no SOCI, so the exact strings are tested as golden strings. Values are never spliced
// in: every value is a named placeholder, bound in the order the placeholders appear (listed next
// to each function).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "optimist/table.hpp"
#include "sql/dialect.hpp"

namespace optimist::sql {

/// Placeholders are named after the column they carry: `:state` for a value of "state",
/// `:id` (the key column's name) for the key and `:version` (the version column's name) for
/// the expected version. Column names are unique in a Table and updates never assign the key
/// or the version, so no two placeholders of one statement share a name.

/// `CREATE TABLE IF NOT EXISTS` with the dialect's types, key column and checks, and NOT
/// NULL for non-nullable columns. No placeholders.
[[nodiscard]] std::string create_table(const Dialect& d, const Table& t);

/// `CREATE UNIQUE INDEX IF NOT EXISTS` of `identity` (one of t's), named Table::index_name,
/// over its columns in their order. No placeholders.
[[nodiscard]] std::string create_unique_index(const Dialect& d, const Table& t,
                                              const Identity& identity);

/// Every column of one row, in column order. Binds: key.
[[nodiscard]] std::string select_row(const Dialect& d, const Table& t);

/// As select_row, with the dialect's locking read after it (`FOR UPDATE` on PostgreSQL;
/// nothing on SQLite, whose `BEGIN IMMEDIATE` already holds the write lock). Binds: key.
[[nodiscard]] std::string select_row_for_update(const Dialect& d, const Table& t);

/// Inserts every column but the key and returns the assigned key.
/// Binds: each non-key column, in column order.
[[nodiscard]] std::string insert_row(const Dialect& d, const Table& t);

/// The locked update of the columns in `assigned` (column indices, ascending), bumping the
/// version. Binds: each assigned column in the given order, then key, then expected version.
[[nodiscard]] std::string locked_update(const Dialect& d, const Table& t,
                                        std::span<const std::size_t> assigned);

/// The locked delete. Binds: key, expected version.
[[nodiscard]] std::string locked_destroy(const Dialect& d, const Table& t);

/// The version of one row, to tell a stale record from a missing one. Binds: key.
[[nodiscard]] std::string version_probe(const Dialect& d, const Table& t);

/// Adds a delta to each column in `columns` (ascending), bumps the version and returns every
/// column of the changed row, in column order. With `checked`, filters on the expected
/// version; without, on a version below the table's version_max, so that it never wraps.
/// Binds: each delta in the given order, key, then the expected version (checked) or
/// version_max.
[[nodiscard]] std::string increment(const Dialect& d, const Table& t,
                                    std::span<const std::size_t> columns, bool checked);

/// Savepoint number `depth` (1 for the outermost) of a transaction: opening it, closing it
/// with its writes kept, and undoing its writes (which leaves it open: release it after).
[[nodiscard]] std::string savepoint(std::size_t depth);
[[nodiscard]] std::string release_savepoint(std::size_t depth);
[[nodiscard]] std::string rollback_to_savepoint(std::size_t depth);

/// `text` with each `:name` placeholder replaced by `marker`, followed by its number (1, 2,
/// ... in order of appearance) when `numbered`: PostgreSQL's `$1`, SQLite's `?`, which binds
/// by position as well and prepares in time linear in the number of placeholders (a name is
/// looked up among the names before it). Quoted identifiers, strings and `::` casts are left
/// as they are.
[[nodiscard]] std::string positional_placeholders(std::string_view text, char marker,
                                                  bool numbered);

}  // namespace optimist::sql
