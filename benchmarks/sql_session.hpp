// SPDX-License-Identifier: MIT
// The bench's own SOCI sessions on the configured SQL backend: the raw baseline's, and the
// one that prepares optimist's table before a run. Not optimist's code path.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "config.hpp"

namespace bench {

/// How to reach the configured SQL backend with SOCI.
struct SqlConnection {
  const soci::backend_factory* factory = nullptr;
  std::string parameters;
  bool sqlite = false;
  std::int64_t busy_timeout_ms = 0;  ///< SQLite: as optimist sets it (SOCI's timeout= is in s)
  std::string synchronous;           ///< SQLite: the PRAGMA synchronous level, as optimist's
};

/// The connection for `config`'s SQLite file or PostgreSQL URL: the same file, durability
/// and busy timeout as optimist's connector uses; for PostgreSQL the URL less the query
/// parameters libpq does not know (optimist's own, such as pool= and busy_timeout=).
[[nodiscard]] SqlConnection sql_connection(const Config& config);

/// Opens `s` on `c` and sets it up as optimist sets up its connections (SQLite: busy timeout,
/// then WAL, then PRAGMA synchronous; PostgreSQL: server notices off). Throws
/// soci::soci_error.
void open_session(soci::session& s, const SqlConnection& c);

/// Empties `table` (an identifier needing no quoting) so that a run starts on the same
/// physical table whatever ran before. PostgreSQL: TRUNCATE ... RESTART IDENTITY, a new empty
/// file, since a table's pages keep the count and fill an earlier run left them with, and the
/// fill decides how often the server prunes updated rows' old versions. SQLite: DELETE FROM,
/// which drops every page of the table. Throws soci::soci_error.
void empty_table(soci::session& s, const SqlConnection& c, std::string_view table);

/// empty_table() on a session of its own, opened and closed here. False with `error` set
/// (one line) on failure.
bool empty_table(const Config& config, std::string_view table, std::string& error);

}  // namespace bench
