// SPDX-License-Identifier: MIT
// The optimist locked update against the same hand-written prepared SOCI statement, in the
// same run, on the same kind of database: SQLite in memory, a SQLite WAL file, and
// PostgreSQL when OPTIMIST_BENCH_POSTGRES_URL is set. Prints optimist's throughput as a
// fraction of the raw statement's (medians of the repetitions).
//
// Both sides do the same work per iteration: one UPDATE ... SET "county" = ?, "version" =
// "version" + 1 WHERE "id" = ? AND "version" = ?, alternating two county values, and check
// that exactly one row changed.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "resources/address.hpp"
#include "sqlite/backend.hpp"  // optimist's pragma runner, for the raw SQLite sessions

namespace {

using app::Address;

struct Target {
  std::string name;  // e.g. "sqlite_memory"
  std::string url;   // for optimist::open
  // Opens the raw SOCI session on the same database, configured as optimist configures its
  // own connections.
  std::function<std::unique_ptr<soci::session>()> raw_session;
  // The raw side's schema: empty when optimist's schema code creates the table in the same
  // database (files, PostgreSQL); the CREATE TABLE optimist would run otherwise.
  std::string raw_schema;
  bool wall_time = false;  // measure wall-clock time rather than this thread's CPU time
};

const char* const counties[] = {"Pinellas", "Miami-Dade"};

void optimist_update(benchmark::State& state, const Target& target) {
  auto store = optimist::open(target.url).value();
  optimist::Resource<Address> addresses{store};
  Address a = addresses.create_or_throw(optimist::set<&Address::state>("FL"),
                                        optimist::set<&Address::county>(counties[0]));
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = addresses.update(a, optimist::set<&Address::county>(std::string(counties[++i & 1])));
    if (!r) {
      state.SkipWithError("update failed");
      break;
    }
    a = std::move(r).value();
  }
  state.SetItemsProcessed(state.iterations());
}

// The same update one layer down, through the store's DataLayer interface: no typed record,
// no validation. The gap to optimist_update is the typed layer's, the gap to raw_update the
// store's.
void data_layer_update(benchmark::State& state, const Target& target) {
  auto store = optimist::open(target.url).value();
  optimist::Resource<Address> addresses{store};
  const optimist::Table& table = addresses.table();
  const Address a = addresses.create_or_throw(optimist::set<&Address::state>("FL"),
                                              optimist::set<&Address::county>(counties[0]));
  std::int64_t version = a.version;
  std::array<optimist::Assignment, 1> change{};
  change[0].column = 3;  // county
  std::size_t i = 0;
  for (auto _ : state) {
    change[0].value = std::string(counties[++i & 1]);
    auto r = store->update(table, "update", a.id, version, change);
    if (!r) {
      state.SkipWithError("update failed");
      break;
    }
    version = r.value();
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_update(benchmark::State& state, const Target& target) {
  if (target.raw_schema.empty()) {  // optimist's schema code creates the table
    auto store = optimist::open(target.url).value();
    optimist::Resource<Address> addresses{store};
  }
  auto session = target.raw_session();
  if (!target.raw_schema.empty()) *session << target.raw_schema;
  long long id = 0;
  {
    soci::statement insert =
        (session->prepare << R"(INSERT INTO "addresses" ("version", "state", "county") )"
                             R"(VALUES (1, 'FL', 'Pinellas') RETURNING "id")",
         soci::into(id));
    insert.execute(true);
    while (insert.fetch()) {
    }
  }
  std::string county;
  long long version = 1;
  soci::statement update =
      (session->prepare
           << R"(UPDATE "addresses" SET "county" = :county, "version" = "version" + 1 )"
              R"(WHERE "id" = :id AND "version" = :version)",
       soci::use(county), soci::use(id), soci::use(version));
  std::size_t i = 0;
  for (auto _ : state) {
    county = counties[++i & 1];
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      state.SkipWithError("update changed no row");
      break;
    }
    ++version;
  }
  state.SetItemsProcessed(state.iterations());
}

// Remembers the median items/s of each benchmark while printing as usual.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.aggregate_name == "median") {
        const auto it = run.counters.find("items_per_second");
        if (it != run.counters.end()) medians_[run.run_name.function_name] = it->second;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  [[nodiscard]] const std::map<std::string, double>& medians() const { return medians_; }

 private:
  std::map<std::string, double> medians_;
};

// SOCI 4.0.3 mangles URIs (it splits its connection string at '='): hand it libpq's own
// reading of the URI as keyword=value pairs.
std::string keyword_form(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    throw std::runtime_error("OPTIMIST_BENCH_POSTGRES_URL is not a libpq URI");
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    out += o->keyword;
    out += "='";
    for (const char* c = o->val; *c != '\0'; ++c) {
      if (*c == '\'' || *c == '\\') out += '\\';
      out += *c;
    }
    out += "' ";
  }
  PQconninfoFree(options);
  return out;
}

std::string temp_file(const char* name) {
  return (std::filesystem::temp_directory_path() /
          fmt::format("optimist-bench-{}-{}", ::getpid(), name))
      .string();
}

void remove_sqlite(const std::string& file) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);

  const std::string file = temp_file("wal.db");
  remove_sqlite(file);
  std::vector<Target> targets;
  // optimist's sqlite::memory: is a named shared-cache memory database; the raw side opens
  // one of its own of the same kind (the store's name is private).
  const std::string memory_name =
      fmt::format("file:optimist_bench_{}?mode=memory&cache=shared", ::getpid());
  targets.push_back({"sqlite_memory", "sqlite::memory:",
                     [memory_name] {
                       auto s =
                           std::make_unique<soci::session>(soci::sqlite3, "dbname=" + memory_name);
                       optimist::sqlite::pragma(*s, "PRAGMA busy_timeout = 5000");
                       return s;
                     },
                     R"(CREATE TABLE IF NOT EXISTS "addresses" )"
                     R"(("id" INTEGER PRIMARY KEY AUTOINCREMENT, )"
                     R"("version" INTEGER NOT NULL, "state" TEXT NOT NULL, )"
                     R"("county" TEXT NOT NULL))"});
  targets.push_back({"sqlite_wal_file", "sqlite:" + file,
                     [file] {
                       auto s = std::make_unique<soci::session>(soci::sqlite3, "dbname=" + file);
                       optimist::sqlite::pragma(*s, "PRAGMA busy_timeout = 5000");
                       optimist::sqlite::pragma(*s, "PRAGMA journal_mode = WAL");
                       optimist::sqlite::pragma(*s, "PRAGMA synchronous = NORMAL");
                       return s;
                     },
                     ""});
  if (const char* pg = std::getenv("OPTIMIST_BENCH_POSTGRES_URL"); pg != nullptr && *pg != '\0') {
    const std::string url = pg;
    targets.push_back(
        {"postgresql", url,
         [url] { return std::make_unique<soci::session>(soci::postgresql, keyword_form(url)); }, "",
         true});
  }

  for (const Target& t : targets) {
    // SQLite works in this thread: CPU time, steadier than wall time on a shared machine.
    // PostgreSQL mostly waits for the server: wall time.
    auto* o = benchmark::RegisterBenchmark(("optimist/" + t.name).c_str(),
                                           [t](benchmark::State& s) { optimist_update(s, t); });
    auto* r = benchmark::RegisterBenchmark(("raw_soci/" + t.name).c_str(),
                                           [t](benchmark::State& s) { raw_update(s, t); });
    auto* d = benchmark::RegisterBenchmark(("data_layer/" + t.name).c_str(),
                                           [t](benchmark::State& s) { data_layer_update(s, t); });
    if (t.wall_time) {
      o->UseRealTime();
      r->UseRealTime();
      d->UseRealTime();
    }
  }

  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  for (const Target& t : targets) {
    const auto& m = reporter.medians();
    const auto r = m.find("raw_soci/" + t.name);
    if (r == m.end() || r->second <= 0) continue;
    for (const char* side : {"optimist", "data_layer"}) {
      const auto o = m.find(side + ("/" + t.name));
      if (o == m.end()) continue;
      fmt::print("ratio {}/raw_soci {:<16} {:.3f}x  ({:.0f} vs {:.0f} updates/s)\n", side, t.name,
                 o->second / r->second, o->second, r->second);
    }
  }
  remove_sqlite(file);
  benchmark::Shutdown();
  return 0;
}
