// SPDX-License-Identifier: MIT
// The PostgreSQL dialect of the SQL store.
#pragma once

#include <memory>
#include <string_view>

#include "sql/sql_store.hpp"
#include "sql/url.hpp"

namespace optimist::postgresql {

/// A connector for `postgresql://[user[:password]@][host][:port][/dbname][?query]` (or
/// `postgres://`) or the libpq keyword form `postgresql:host=... dbname=...`; `url` is the
/// whole URL. Errors: invalid (malformed URL).
[[nodiscard]] Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view url,
                                                                     sql::Settings& settings);

/// The one place PostgreSQL errors become optimist errors, by SQLSTATE. `session` is the
/// session the error came from (null while connecting), asked whether it is still connected.
/// `password` is masked out of any text passed on.
[[nodiscard]] sql::Translated translate_error(const soci::soci_error& e, soci::session* session,
                                              std::string_view password);

}  // namespace optimist::postgresql
