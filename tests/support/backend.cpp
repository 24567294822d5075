// SPDX-License-Identifier: MIT
#include "support/backend.hpp"

#include <atomic>
#include <string>
#include <string_view>

#include "backends.hpp"
#include "support/sql_databases.hpp"

namespace optimist::testing {

namespace {

// One directory for every SQLite file of this test process, removed at exit.
const TempDir& sqlite_dir() {
  static const TempDir dir;
  return dir;
}

// A fresh SQLite file, opened with the URL query `query` (may be empty).
Result<std::shared_ptr<Store>> open_sqlite_file(std::string_view query) {
  static std::atomic<int> counter{0};
  const auto file = sqlite_dir().path() / ("contract" + std::to_string(++counter) + ".db");
  return optimist::open("sqlite:" + file.string() + std::string(query));
}

}  // namespace

std::vector<Backend> backends() {
  const auto postgres = postgres_url();
  // Per backend of the registry (src/backends.hpp), the ways the suite opens it.
  const std::vector<std::pair<std::string_view, Backend>> ways{
      {"memory", Backend{.name = "Memory", .open = [] { return optimist::open("memory:"); }}},
      {"sqlite",
       Backend{.name = "Sqlite", .open = [] { return open_sqlite_file(""); }, .iterations = 2'000}},
      // Every call outside a caller's transaction goes through group commit (README, "Group
      // commit"); synchronous=NORMAL keeps the suite fast, the grouping is the same.
      {"sqlite", Backend{.name = "SqliteGroupCommit",
                         .open = [] { return open_sqlite_file("?group_commit=on"); },
                         .iterations = 2'000}},
      {"sqlite", Backend{.name = "SqliteInMemory",
                         .open = [] { return optimist::open("sqlite::memory:"); },
                         .iterations = 5'000}},
      {"postgresql", Backend{.name = "Postgres",
                             .open = [postgres]() -> Result<std::shared_ptr<Store>> {
                               return optimist::open(fresh_postgres_url(*postgres));
                             },
                             .iterations = 500,
                             .missing = postgres ? std::string() : std::string(postgres_missing)}},
  };
  std::vector<Backend> out;
  for (const auto& backend : optimist::backends::all()) {
    bool tested = false;
    for (const auto& [name, way] : ways) {
      if (name != backend.name) continue;
      out.push_back(way);
      tested = true;
    }
    // A backend in the registry that the suite does not know how to open is a failure.
    if (!tested) {
      out.push_back(Backend{
          .name = "Unknown",
          .open = [] { return Result<std::shared_ptr<Store>>(make_error(ErrorKind::internal)); },
          .missing = "the contract suite does not open backend " + std::string(backend.name)});
    }
  }
  return out;
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
