// SPDX-License-Identifier: MIT
// SQLite connections: a file in WAL mode, or a private in-memory database shared by the pool.
#include <fmt/format.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "sqlite/backend.hpp"

namespace optimist::sqlite {

namespace {

class SqliteConnector final : public sql::Connector {
 public:
  SqliteConnector(std::string_view dbname, const Target& target,
                  std::chrono::milliseconds busy_timeout)
      : connect_string_(connect_string(dbname)),
        memory_(target.memory),
        busy_timeout_(busy_timeout),
        synchronous_(target.synchronous),
        max_pages_(target.max_pages) {}

  /// Opens the connection that keeps an in-memory database alive while the store lives: a
  /// shared-cache memory database is dropped when its last connection closes.
  void keep_alive() {
    if (memory_) keeper_ = connect();
  }

  [[nodiscard]] const sql::Dialect& dialect() const noexcept override { return sqlite::dialect(); }
  [[nodiscard]] std::string_view backend() const noexcept override { return "sqlite"; }

  [[nodiscard]] std::unique_ptr<soci::session> connect() const override {
    auto s = std::make_unique<soci::session>(soci::sqlite3, connect_string_);
    // The busy timeout first: it bounds every wait below, enter_wal's too.
    pragma(*s, fmt::format("PRAGMA busy_timeout = {}", busy_timeout_.count()));
    if (!memory_) {
      enter_wal(*s);
      pragma(*s, fmt::format("PRAGMA synchronous = {}", pragma_name(synchronous_)));
    }
    if (max_pages_ > 0) pragma(*s, fmt::format("PRAGMA max_page_count = {}", max_pages_));
    return s;
  }

  [[nodiscard]] sql::DatabaseError describe(const soci::soci_error& e,
                                            soci::session* session) const override {
    return describe_error(e, session == nullptr);
  }
  [[nodiscard]] sql::Translated translate(const sql::DatabaseError& e) const override {
    return translate_error(e);
  }
  [[nodiscard]] std::unique_ptr<sql::Statement> prepare(
      soci::session& session, const std::string& text, std::vector<sql::Slot>& in,
      std::vector<sql::Slot>& out) const override {
    return prepare_statement(session, text, in, out);
  }

 private:
  // Switching to WAL takes the exclusive lock without SQLite's busy handler: when another
  // connection holds the file (several processes opening a new database at once), SQLite
  // reports it busy at once instead of waiting. So the switch is retried here, for as long
  // as the busy timeout lets any other wait last.
  void enter_wal(soci::session& s) const {
    const auto deadline = std::chrono::steady_clock::now() + busy_timeout_;
    while (true) {
      try {
        pragma(s, "PRAGMA journal_mode = WAL");
        return;
      } catch (const soci::sqlite3_soci_error& e) {
        if ((e.result() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
          throw;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  std::string connect_string_;
  bool memory_;
  std::chrono::milliseconds busy_timeout_;
  Synchronous synchronous_;
  std::int64_t max_pages_;
  std::unique_ptr<soci::session> keeper_;
};

std::string unique_memory_name() {
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("file:optimist_{}_{}?mode=memory&cache=shared", ::getpid(), ++counter);
}

}  // namespace

void pragma(soci::session& s, const std::string& text) {
  std::string ignored;
  soci::indicator ind = soci::i_ok;
  soci::statement st = (s.prepare << text, soci::into(ignored, ind));
  if (st.execute(true)) {
    while (st.fetch()) {
    }
  }
}

std::string_view pragma_name(Synchronous level) noexcept {
  static constexpr std::string_view names[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
  return names[static_cast<int>(level)];
}

std::string connect_string(std::string_view dbname) {
  // SOCI's connection string takes quoted values; quote only when needed.
  const bool plain = dbname.find_first_of(" \"'") == std::string_view::npos;
  return plain ? fmt::format("dbname={}", dbname) : fmt::format("dbname=\"{}\"", dbname);
}

Result<Target> parse_target(std::string_view target, sql::Settings& settings) {
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  if (path.empty()) return sql::malformed_url("sqlite: needs a file path or :memory:");

  OPTIMIST_TRY(params, sql::parse_query(query));
  Synchronous synchronous = Synchronous::normal;
  std::int64_t max_pages = 0;
  bool url_asks_group_commit = false;
  for (const sql::Parameter& p : params) {
    OPTIMIST_TRY(common, sql::apply_common(p, settings));
    if (common) continue;
    if (p.key == "synchronous") {
      if (p.value == "off") {
        synchronous = Synchronous::off;
      } else if (p.value == "normal") {
        synchronous = Synchronous::normal;
      } else if (p.value == "full") {
        synchronous = Synchronous::full;
      } else if (p.value == "extra") {
        synchronous = Synchronous::extra;
      } else {
        return sql::malformed_url("parameter synchronous needs off, normal, full or extra");
      }
      continue;
    }
    if (p.key == "group_commit") {
      if (p.value != "on" && p.value != "off") {
        return sql::malformed_url("parameter group_commit needs on or off");
      }
      settings.group_commit = p.value == "on";
      url_asks_group_commit = p.value == "on";
      continue;
    }
    if (p.key == "max_pages") {
      OPTIMIST_TRY(n, sql::number(p, 1, 4'294'967'294));
      max_pages = n;
      continue;
    }
    if (p.key == "group_wait_us") {
      OPTIMIST_TRY(n, sql::number(p, 0, 1'000'000));
      settings.group_wait = std::chrono::microseconds(n);
      continue;
    }
    if (p.key == "group_size") {
      OPTIMIST_TRY(n, sql::number(p, 1, 1024));
      settings.group_size = static_cast<std::size_t>(n);
      continue;
    }
    return sql::malformed_url(fmt::format("unknown parameter {} for sqlite:", p.key));
  }

  if (path == ":memory:") {
    // Connections to one shared-cache memory database lock whole tables and fail at once
    // with SQLITE_LOCKED instead of waiting (the busy timeout does not apply). One
    // connection serialises the store's calls instead, as the memory store does.
    if (!settings.pool_size_given) settings.pool_size = 1;
    if (settings.group_commit.value_or(false) && url_asks_group_commit) {
      return sql::malformed_url("group_commit needs a database file: memory has nothing to flush");
    }
    settings.group_commit = false;
    return Target{.path = {}, .memory = true, .synchronous = synchronous, .max_pages = max_pages};
  }
  // Group commit pays off where every commit waits for the disk.
  if (!settings.group_commit) {
    settings.group_commit = synchronous == Synchronous::full || synchronous == Synchronous::extra;
  }
  OPTIMIST_TRY(decoded, sql::percent_decode(path));
  if (decoded.find('\0') != std::string::npos) return sql::malformed_url("the path holds a NUL");
  return Target{.path = std::move(decoded),
                .memory = false,
                .synchronous = synchronous,
                .max_pages = max_pages};
}

Result<std::unique_ptr<sql::Connector>> make_connector(std::string_view url,
                                                       sql::Settings& settings) {
  OPTIMIST_TRY(parsed, parse_target(url.substr(url.find(':') + 1), settings));
  std::string dbname = parsed.memory ? unique_memory_name() : std::move(parsed.path);
  auto connector = std::make_unique<SqliteConnector>(dbname, parsed, settings.busy_timeout);
  try {
    connector->keep_alive();
  } catch (const soci::soci_error& e) {
    return translate_error(describe_error(e, true)).error;
  }
  return std::unique_ptr<sql::Connector>(std::move(connector));
}

}  // namespace optimist::sqlite
