// SPDX-License-Identifier: MIT
#include "support/backend.hpp"

#include <atomic>
#include <string>

#include "support/sql_databases.hpp"

namespace optimist::testing {

namespace {

// One directory for every SQLite file of this test process, removed at exit.
const TempDir& sqlite_dir() {
  static const TempDir dir;
  return dir;
}

Result<std::shared_ptr<Store>> open_sqlite_file() {
  static std::atomic<int> counter{0};
  const auto file = sqlite_dir().path() / ("contract" + std::to_string(++counter) + ".db");
  return optimist::open("sqlite:" + file.string());
}

}  // namespace

std::vector<Backend> backends() {
  const auto postgres = postgres_url();
  return {
      Backend{.name = "Memory", .open = [] { return optimist::open("memory:"); }},
      Backend{.name = "Sqlite", .open = open_sqlite_file, .iterations = 2'000},
      Backend{.name = "SqliteInMemory",
              .open = [] { return optimist::open("sqlite::memory:"); },
              .iterations = 5'000},
      Backend{.name = "Postgres",
              .open = [postgres]() -> Result<std::shared_ptr<Store>> {
                return optimist::open(fresh_postgres_url(*postgres));
              },
              .iterations = 500,
              .missing = postgres ? std::string() : std::string(postgres_missing)},
  };
}

void open_fresh_store(const Backend& backend, std::shared_ptr<Store>& store) {
  if (!backend.missing.empty()) {
    if (in_ci()) FAIL() << backend.missing << "; under CI=true that is a failure";
    GTEST_SKIP() << backend.missing;
  }
  auto opened = backend.open();
  ASSERT_TRUE(opened) << opened.error().message();
  store = std::move(opened).value();
}

}  // namespace optimist::testing
