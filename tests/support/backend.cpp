// SPDX-License-Identifier: MIT
#include "support/backend.hpp"

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "backends.hpp"
#include "support/sql_databases.hpp"

namespace optimist::testing {

namespace {

// One directory for every SQLite file of this test process, removed at exit.
const TempDir& sqlite_dir() {
  static const TempDir dir;
  return dir;
}

// The URL of each store opened by open_remembered, for open_again. An entry of a store that
// is gone is replaced when its address is reused: every store of those backends is opened
// through open_remembered.
struct Urls {
  std::mutex mutex;
  std::unordered_map<const Store*, std::string> of;
};

Urls& urls() {
  static Urls urls;
  return urls;
}

Result<std::shared_ptr<Store>> open_remembered(std::string url) {
  OPTIMIST_TRY(store, optimist::open(url));
  const std::lock_guard lock(urls().mutex);
  urls().of[store.get()] = std::move(url);
  return store;
}

Result<std::shared_ptr<Store>> open_again(const std::shared_ptr<Store>& store) {
  std::string url;
  {
    const std::lock_guard lock(urls().mutex);
    const auto it = urls().of.find(store.get());
    if (it == urls().of.end()) {
      return make_error(ErrorKind::internal, "the store was not opened by open_remembered");
    }
    url = it->second;
  }
  return optimist::open(url);
}

Result<std::shared_ptr<Store>> same_store(const std::shared_ptr<Store>& store) {
  return store;
}

// A fresh SQLite file, opened with the URL query `query` (may be empty).
Result<std::shared_ptr<Store>> open_sqlite_file(std::string_view query) {
  static std::atomic<int> counter{0};
  const auto file = sqlite_dir().path() / ("contract" + std::to_string(++counter) + ".db");
  return open_remembered("sqlite:" + file.string() + std::string(query));
}

}  // namespace

std::vector<Backend> backends() {
  const auto postgres = postgres_url();
  // Per backend of the registry (src/backends.hpp), the ways the suite opens it.
  const std::vector<std::pair<std::string_view, Backend>> ways{
      {"memory", Backend{.name = "Memory",
                         .open = [] { return optimist::open("memory:"); },
                         .reopen = same_store}},
      {"sqlite", Backend{.name = "Sqlite",
                         .open = [] { return open_sqlite_file(""); },
                         .reopen = open_again,
                         .iterations = 2'000}},
      // Every call outside a caller's transaction goes through group commit (README, "Group
      // commit"); synchronous=NORMAL keeps the suite fast, the grouping is the same.
      {"sqlite", Backend{.name = "SqliteGroupCommit",
                         .open = [] { return open_sqlite_file("?group_commit=on"); },
                         .reopen = open_again,
                         .iterations = 2'000}},
      {"sqlite", Backend{.name = "SqliteInMemory",
                         .open = [] { return optimist::open("sqlite::memory:"); },
                         .reopen = same_store,
                         .iterations = 5'000}},
      {"postgresql", Backend{.name = "Postgres",
                             .open = [postgres]() -> Result<std::shared_ptr<Store>> {
                               return open_remembered(fresh_postgres_url(*postgres));
                             },
                             .reopen = open_again,
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
