// SPDX-License-Identifier: MIT
#include "sql_session.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "sql/url.hpp"         // optimist's own decoding of URL query keys
#include "sqlite/backend.hpp"  // and its SOCI connection string and pragma runner

namespace bench {

namespace {

// Whether libpq knows the connection keyword `key` (its own list, not a copy of it).
bool libpq_knows(std::string_view key) {
  static const std::vector<std::string> keywords = [] {
    std::vector<std::string> out;
    const std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> all(PQconndefaults(),
                                                                             PQconninfoFree);
    for (const PQconninfoOption* o = all.get(); o != nullptr && o->keyword != nullptr; ++o) {
      out.emplace_back(o->keyword);
    }
    return out;
  }();
  return std::find(keywords.begin(), keywords.end(), key) != keywords.end();
}

// The PostgreSQL URL without the query parameters that libpq does not know (it refuses
// them): `--backend` may carry optimist's own (pool=, busy_timeout=...) for its strategies.
std::string libpq_url(std::string_view url) {
  const auto q = url.find('?');
  std::string out(url.substr(0, q));
  if (q == std::string_view::npos) return out;
  char separator = '?';
  for (std::string_view rest = url.substr(q + 1); !rest.empty();) {
    const auto amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto key = optimist::sql::percent_decode(item.substr(0, item.find('=')));
    if (!key || !libpq_knows(key.value())) continue;
    out += separator;
    out += item;
    separator = '&';
  }
  return out;
}

}  // namespace

SqlConnection sql_connection(const Config& config) {
  if (config.backend_kind == BackendKind::sqlite) {
    return {&soci::sqlite3, optimist::sqlite::connect_string(config.sqlite_path), true,
            config.sqlite_busy_timeout_ms, config.sqlite_synchronous};
  }
  return {&soci::postgresql, libpq_url(config.backend), false, 0, {}};
}

void open_session(soci::session& s, const SqlConnection& c) {
  s.open(*c.factory, c.parameters);
  if (c.sqlite) {
    // The busy timeout first, as optimist sets it: switching to WAL needs a lock that another
    // process may hold.
    optimist::sqlite::pragma(s, "PRAGMA busy_timeout = " + std::to_string(c.busy_timeout_ms));
    optimist::sqlite::pragma(s, "PRAGMA journal_mode=WAL");
    optimist::sqlite::pragma(s, "PRAGMA synchronous = " + c.synchronous);
  } else {
    // Keeps "relation already exists, skipping" off stderr, as optimist's own store does.
    soci::statement quiet = (s.prepare << "SET client_min_messages = warning");
    quiet.execute(true);
  }
}

void empty_table(soci::session& s, const SqlConnection& c, std::string_view table) {
  const std::string name(table);
  if (c.sqlite) {
    s << "DELETE FROM " + name;
  } else {
    s << "TRUNCATE " + name + " RESTART IDENTITY";
  }
}

bool empty_table(const Config& config, std::string_view table, std::string& error) {
  try {
    const SqlConnection c = sql_connection(config);
    soci::session s;
    open_session(s, c);
    empty_table(s, c, table);
    return true;
  } catch (const soci::soci_error& e) {
    error = "cannot empty table " + std::string(table) + ": " + e.get_error_message();
    return false;
  }
}

}  // namespace bench
