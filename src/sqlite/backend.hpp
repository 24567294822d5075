// SPDX-License-Identifier: MIT
// The SQLite dialect of the SQL store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sql/sql_store.hpp"
#include "sql/url.hpp"

namespace optimist::sqlite {

/// SQLite's `PRAGMA synchronous` levels.
enum class Synchronous { off, normal, full, extra };

/// The level as `PRAGMA synchronous` spells it: OFF, NORMAL, FULL or EXTRA.
[[nodiscard]] std::string_view pragma_name(Synchronous level) noexcept;

/// Runs one pragma on `s` and finishes it: a pragma may return a row, and an unfinished
/// statement would hold the connection's snapshot. Throws soci::soci_error.
void pragma(soci::session& s, const std::string& text);

/// What an `sqlite:` URL asks for.
struct Target {
  std::string path;  ///< the percent-decoded file path; empty for `:memory:`
  bool memory = false;
  Synchronous synchronous = Synchronous::normal;
  std::int64_t max_pages = 0;  ///< `max_pages=N`: the most pages the database may hold; 0: any
};

/// Parses `target` (the part after `sqlite:`) and applies its common parameters to
/// `settings`, without opening anything. Errors: invalid (malformed URL).
[[nodiscard]] Result<Target> parse_target(std::string_view target, sql::Settings& settings);

/// SOCI's connection string for the database file (or shared-cache URI) `dbname`, quoted
/// when it holds a space or a quote.
[[nodiscard]] std::string connect_string(std::string_view dbname);

/// SQLite's SQL: types, key column, locks, catalogue, what a failure spoils.
[[nodiscard]] const sql::Dialect& dialect() noexcept;

/// A connector for `sqlite:PATH[?query]` or `sqlite::memory:[?query]` (`url` is the whole
/// URL). Errors: invalid (malformed URL), unavailable (the in-memory database
/// could not be created).
[[nodiscard]] Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view url,
                                                                     sql::Settings& settings);

/// A failure SQLite reported with result code `code` (primary or extended) and `message`, on
/// a connection that is `lost` or not, as a DatabaseError.
[[nodiscard]] sql::DatabaseError database_error(int code, std::string message, bool lost);

/// Prepares `text` on the sqlite3 connection of `session`, a SQLite session, as
/// Connector::prepare promises; the statement runs through the sqlite3 API directly and
/// throws its failures as sql::DatabaseFailure.
[[nodiscard]] std::unique_ptr<sql::Statement> prepare_statement(soci::session& session,
                                                                const std::string& text,
                                                                std::vector<sql::Slot>& in,
                                                                std::vector<sql::Slot>& out);

/// What a SOCI error says (`connecting`: no session came up), as a DatabaseError.
[[nodiscard]] sql::DatabaseError describe_error(const soci::soci_error& e, bool connecting);

/// The one place SQLite failures become optimist errors, by SQLite result code.
[[nodiscard]] sql::Translated translate_error(const sql::DatabaseError& e);

}  // namespace optimist::sqlite
