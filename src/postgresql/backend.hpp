// SPDX-License-Identifier: MIT
// The PostgreSQL dialect of the SQL store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sql/sql_store.hpp"
#include "sql/url.hpp"

namespace optimist::postgresql {

/// What a PostgreSQL URL becomes: libpq's keyword string, and the password it holds (to be
/// masked out of error text).
struct Conninfo {
  std::string conninfo;
  std::string password;
};

/// Parses `url` (the whole URL, as for make_connector) into a libpq keyword string that
/// libpq accepts, and applies the common parameters to `settings`, without connecting.
/// Errors: invalid (malformed URL).
[[nodiscard]] Result<Conninfo> parse_url(std::string_view url, sql::Settings& settings);

/// PostgreSQL's SQL: types, key column, locks, catalogue, what a failure spoils.
[[nodiscard]] const sql::Dialect& dialect() noexcept;

/// A connector for `postgresql://[user[:password]@][host][:port][/dbname][?query]` (or
/// `postgres://`) or the libpq keyword form `postgresql:host=... dbname=...`; `url` is the
/// whole URL. Errors: invalid (malformed URL).
[[nodiscard]] Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view url,
                                                                     sql::Settings& settings);

/// Prepares `text` (placeholders written `:name`) on the libpq connection of `session`, a
/// PostgreSQL session, as Connector::prepare promises; the statement runs through libpq
/// directly; its failures are thrown as sql::DatabaseFailure (`password` is masked out).
[[nodiscard]] std::unique_ptr<sql::Statement> prepare_statement(soci::session& session,
                                                                std::string_view password,
                                                                const std::string& text,
                                                                std::vector<sql::Slot>& in,
                                                                std::vector<sql::Slot>& out);

/// A failure the server reported with SQLSTATE `code` (empty: none) and the full `message`
/// (DETAIL lines included: they name the column), on a connection that is `lost` or not, as
/// a DatabaseError; `password` is masked out of the message.
[[nodiscard]] sql::DatabaseError database_error(std::string code, const std::string& message,
                                                bool lost, std::string_view password);

/// What a SOCI error raised on `session` (null when connecting) says, as a DatabaseError.
[[nodiscard]] sql::DatabaseError describe_error(const soci::soci_error& e, soci::session* session,
                                                std::string_view password);

/// The one place PostgreSQL failures become optimist errors, by SQLSTATE.
[[nodiscard]] sql::Translated translate_error(const sql::DatabaseError& e);

}  // namespace optimist::postgresql
