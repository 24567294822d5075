// SPDX-License-Identifier: MIT
// The SQLite dialect of the SQL store.
#pragma once

#include <memory>
#include <string_view>

#include "sql/sql_store.hpp"
#include "sql/url.hpp"

namespace optimist::sqlite {

/// A connector for `sqlite:PATH[?query]` or `sqlite::memory:[?query]` (`target` is the part
/// after `sqlite:`). Errors: invalid (malformed URL), unavailable (the in-memory database
/// could not be created).
[[nodiscard]] Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view target,
                                                                     sql::Settings& settings);

/// The one place SQLite errors become optimist errors, by SQLite result code.
[[nodiscard]] sql::Translated translate_error(const soci::soci_error& e, bool connecting);

}  // namespace optimist::sqlite
