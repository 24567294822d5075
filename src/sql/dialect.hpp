// SPDX-License-Identifier: MIT
// What tells one SQL dialect from another, as data. The shared SQL store and the SQL text
// builders read these members and never ask which dialect they have: a new dialect is a new
// Dialect value in its backend's folder, not a new branch in shared code.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "optimist/table.hpp"

namespace optimist::sql {

struct Dialect {
  /// The quote around identifiers (validated as [A-Za-z_][A-Za-z0-9_]*, so never escaped):
  /// it keeps their case and lets them be keywords.
  char quote = '"';
  /// The stored type of each ColumnType, in the enum's order: integer, real, boolean, text.
  /// Booleans are stored as 0 or 1 on every dialect: one binding path, no text parsing.
  std::array<std::string_view, 4> types;
  /// The type and constraints of the primary key column: a 64-bit key the database assigns.
  std::string_view key_column;
  /// Appends the constraints that a non-key column `c` needs beyond NOT NULL;
  /// `version` is true for the version column. Null when there are none.
  void (*column_checks)(std::string& out, const Column& c, bool version) = nullptr;
  /// Appended to a text column where queries order or compare it (ORDER BY, <, >=), so
  /// that text sorts by code point (PostgreSQL: ` COLLATE "C"`, where the default collation
  /// sorts by locale); empty when the dialect compares text bytewise already. Equality needs
  /// none: it is bytewise under every deterministic collation, and stays index-friendly.
  std::string_view text_order;
  /// Appended to ` ASC` and to ` DESC` when queries sort a nullable column, so that NULL
  /// sorts first ascending and last descending (PostgreSQL sorts it the other way by
  /// default); empty where that is the default already. Never written for a column that
  /// cannot be NULL, whose order then matches an index on it.
  std::string_view nulls_first;
  std::string_view nulls_last;
  /// The most placeholders one statement may hold (SQLite: the default of
  /// SQLITE_MAX_VARIABLE_NUMBER, which a build may raise; PostgreSQL: the protocol's 16-bit
  /// count).
  std::size_t max_parameters = 0;
  /// Appended to a select of one row to lock it until the transaction ends; empty when a
  /// transaction excludes other writers already.
  std::string_view locking_read;
  /// Starts a transaction.
  std::string_view begin;
  /// The names of the columns of a stored table, one row each (none when there is no such
  /// table); one placeholder, `:table_name`.
  std::string_view stored_columns;
  /// The names of the indexes of a stored table, one row each; one placeholder,
  /// `:table_name`. Read so that only the missing unique indexes are created: even with IF
  /// NOT EXISTS, creating one locks the table against writers (PostgreSQL).
  std::string_view stored_indexes;
  /// Run inside a transaction before schema work, to serialise it with every other
  /// process's until that transaction ends. Empty: schema work needs no lock and runs
  /// without a transaction.
  std::string_view schema_lock;
  /// A failed statement keeps the connection's other cached statements from working right
  /// (SQLite: a failed statement, say busy, is not reset and keeps its read snapshot, so
  /// later reads would see the past and writes fail with BUSY_SNAPSHOT), so they are all
  /// dropped after each failure.
  bool failure_spoils_statements = false;
  /// Creating a table leaves its connection slower for every later transaction (PostgreSQL:
  /// the backend's lock table grows and never shrinks), so the connection is replaced after.
  bool schema_work_spoils_connection = false;
  /// Statements that keep the keys handed out by rolled-back inserts from being handed out
  /// again, run after a rollback in the same transaction; each binds `:table_name` and then
  /// `:seq` (the largest key handed out). Empty when the database never reuses a key (its
  /// key sequence is not transactional).
  std::span<const std::string_view> reserve_keys;
};

}  // namespace optimist::sql
