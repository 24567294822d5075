// SPDX-License-Identifier: MIT
// SQLite's SQL, as a Dialect.
#include "sqlite/backend.hpp"

namespace optimist::sqlite {

namespace {

void quoted(std::string& out, const std::string& name) {
  out += '"';
  out += name;
  out += '"';
}

// SQLite turns an integer that overflows into a REAL, and a real one into Inf (9e999),
// instead of failing; these checks make `c = c + n` past the range fail, naming the column,
// as PostgreSQL does. The version column needs none: versions never pass their maximum.
void range_checks(std::string& out, const Column& c, bool version) {
  const bool integer = c.type == ColumnType::integer && !version;
  if (!integer && c.type != ColumnType::real) return;
  out += " CONSTRAINT ";
  quoted(out, c.name);
  out += " CHECK (";
  if (c.nullable) {
    quoted(out, c.name);
    out += " IS NULL OR ";
  }
  out += integer ? "typeof(" : "abs(";
  quoted(out, c.name);
  out += integer ? ") = 'integer')" : ") < 9e999)";
}

// sqlite_sequence, where AUTOINCREMENT keeps each table's largest key handed out, is
// written in the transaction: a rollback takes it back, and the next insert would get a
// rolled-back key again. Raising it after the rollback keeps those keys spent.
constexpr std::string_view reserve[] = {
    "INSERT INTO sqlite_sequence (name, seq) SELECT k.name, k.seq FROM (SELECT :table_name AS "
    "name, :seq AS seq) AS k WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = k.name)",
    "UPDATE sqlite_sequence SET seq = max(sqlite_sequence.seq, k.seq) FROM (SELECT :table_name AS "
    "name, :seq AS seq) AS k WHERE sqlite_sequence.name = k.name",
};

const sql::Dialect sqlite_dialect{
    .quote = '"',
    .types = {"INTEGER", "REAL", "INTEGER", "TEXT"},
    // INTEGER PRIMARY KEY is the 64-bit rowid itself. AUTOINCREMENT stops SQLite from
    // handing a destroyed record's key (the largest) to the next insert, where a holder of
    // the destroyed copy could then update or destroy a stranger at the same version.
    .key_column = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .column_checks = &range_checks,
    // BEGIN IMMEDIATE holds the write lock already.
    .text_order = "",
    .nulls_first = "",
    .nulls_last = "",
    .max_parameters = 32766,
    .locking_read = "",
    // Take the write lock now, so that a transaction never fails half-way for a lock it
    // could not upgrade.
    .begin = "BEGIN IMMEDIATE",
    .stored_columns = "SELECT \"name\" FROM pragma_table_info(:table_name)",
    .stored_indexes = "SELECT \"name\" FROM pragma_index_list(:table_name)",
    .schema_lock = "",
    .failure_spoils_statements = true,
    .schema_work_spoils_connection = false,
    .reserve_keys = reserve,
};

}  // namespace

const sql::Dialect& dialect() noexcept {
  return sqlite_dialect;
}

}  // namespace optimist::sqlite
