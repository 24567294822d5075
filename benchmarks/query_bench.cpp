// SPDX-License-Identifier: MIT
// Reads of many records through optimist against the same hand-written prepared statements,
// in the same run, on the same database: SQLite in memory, a SQLite WAL file, and PostgreSQL
// when OPTIMIST_BENCH_POSTGRES_URL is set. Prints optimist's throughput as a fraction of each
// baseline's (medians of the repetitions).
//
// The table holds 5000 tags (benchmarks/tag_rows.hpp), 50 for each of 100 owners, spread
// over the table, with an index on owner_id that the setup creates for both sides. Two reads:
//
//   by_owner    the 50 tags of one owner, by id: Resource<Tag>::all(eq<&Tag::owner_id>(o)),
//               against SELECT ... WHERE "owner_id" = ? ORDER BY "id";
//   keyset_page a page of 50 after the cursor of the page before it: Resource<Tag>::page,
//               against SELECT ... WHERE "id" > ? ORDER BY "id" LIMIT 51 (one row more tells
//               whether a next page exists, as optimist's page does).
//
// Every side prepares its statement once, binds the value, steps through every row and
// builds a std::vector<app::Tag>, strings and all. The baselines: raw_soci, through SOCI's
// into() bindings; raw_native, through the sqlite3 API or libpq, as optimist's own
// statements run. data_layer is optimist one layer down (DataLayer::select: rows, no typed
// records). Each iteration reads another owner or another page, the same sequence on every
// side.
//
// --iterations=N runs every benchmark for exactly N iterations, once per repetition, for
// instruction counts: valgrind --tool=callgrind --collect-atstart=no
// --toggle-collect='*optimist_page*' build/benchmarks/query_bench --iterations=200
// --benchmark_filter=optimist/keyset_page/sqlite_memory, then the total less
// Fixture::Fixture's share (the table's setup, made by the first benchmark of a target) over N.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite/backend.hpp"  // optimist's pragma runner, for the raw SQLite sessions
#include "tag_rows.hpp"

namespace {

using app::Tag;

constexpr std::int64_t owners = 100;
constexpr std::int64_t per_owner = 50;
constexpr std::int64_t records = owners * per_owner;
constexpr std::size_t page_size = 50;

const char* const columns = R"("id", "version", "owner_id", "name", "color", "weight", "pinned")";

std::string by_owner_sql(const char* placeholder) {
  return fmt::format(R"(SELECT {} FROM "tags" WHERE "owner_id" = {} ORDER BY "id")", columns,
                     placeholder);
}

std::string page_sql(const char* after, const char* limit) {
  return fmt::format(R"(SELECT {} FROM "tags" WHERE "id" > {} ORDER BY "id" LIMIT {})", columns,
                     after, limit);
}

struct Target {
  std::string name;  // e.g. "sqlite_memory"
  std::string url;   // for optimist::open
  // Opens the raw side's session on the same database, configured as optimist configures
  // its own connections.
  std::function<std::unique_ptr<soci::session>()> raw_session;
  bool postgres = false;  // else SQLite
};

// The hand-written statements on the raw session's own connection, prepared once.
class NativeSqlite {
 public:
  explicit NativeSqlite(soci::session& s)
      : db_(static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_) {
    by_owner_ = prepare(by_owner_sql("?"));
    page_ = prepare(page_sql("?", "?"));
  }
  ~NativeSqlite() {
    sqlite_api::sqlite3_finalize(by_owner_);
    sqlite_api::sqlite3_finalize(page_);
  }
  NativeSqlite(const NativeSqlite&) = delete;
  NativeSqlite& operator=(const NativeSqlite&) = delete;

  void by_owner(std::int64_t owner, std::vector<Tag>& out) {
    sqlite_api::sqlite3_bind_int64(by_owner_, 1, owner);
    run(by_owner_, out, SIZE_MAX);
  }
  // Returns whether a row follows the page.
  bool page(std::int64_t after, std::vector<Tag>& out) {
    sqlite_api::sqlite3_bind_int64(page_, 1, after);
    sqlite_api::sqlite3_bind_int64(page_, 2, static_cast<std::int64_t>(page_size + 1));
    return run(page_, out, page_size);
  }

 private:
  sqlite_api::sqlite3_stmt* prepare(const std::string& text) {
    sqlite_api::sqlite3_stmt* st = nullptr;
    if (sqlite_api::sqlite3_prepare_v3(db_, text.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st,
                                       nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite_api::sqlite3_errmsg(db_));
    }
    return st;
  }

  static std::string text(sqlite_api::sqlite3_stmt* st, int i) {
    return {reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, i)),
            static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(st, i))};
  }

  // Steps through every row, keeping the first `keep`; true when there were more.
  bool run(sqlite_api::sqlite3_stmt* st, std::vector<Tag>& out, std::size_t keep) {
    int rc = 0;
    bool more = false;
    while ((rc = sqlite_api::sqlite3_step(st)) == SQLITE_ROW) {
      if (out.size() == keep) {
        more = true;
        continue;
      }
      Tag& t = out.emplace_back();
      t.id = sqlite_api::sqlite3_column_int64(st, 0);
      t.version = sqlite_api::sqlite3_column_int64(st, 1);
      t.owner_id = sqlite_api::sqlite3_column_int64(st, 2);
      t.name = text(st, 3);
      if (sqlite_api::sqlite3_column_type(st, 4) != SQLITE_NULL) t.color = text(st, 4);
      t.weight = sqlite_api::sqlite3_column_double(st, 5);
      t.pinned = sqlite_api::sqlite3_column_int64(st, 6) != 0;
    }
    sqlite_api::sqlite3_reset(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite_api::sqlite3_errmsg(db_));
    return more;
  }

  sqlite_api::sqlite3* db_;
  sqlite_api::sqlite3_stmt* by_owner_ = nullptr;
  sqlite_api::sqlite3_stmt* page_ = nullptr;
};

class NativePostgres {
 public:
  explicit NativePostgres(soci::session& s)
      : conn_(static_cast<soci::postgresql_session_backend*>(s.get_backend())->conn_) {
    prepare("query_bench_by_owner", by_owner_sql("$1"), 1);
    prepare("query_bench_page", page_sql("$1", "$2"), 2);
  }

  void by_owner(std::int64_t owner, std::vector<Tag>& out) {
    char digits[24];
    *std::to_chars(digits, digits + sizeof digits - 1, owner).ptr = '\0';
    const char* values[] = {digits};
    run("query_bench_by_owner", 1, values, out, SIZE_MAX);
  }
  bool page(std::int64_t after, std::vector<Tag>& out) {
    char digits[24];
    *std::to_chars(digits, digits + sizeof digits - 1, after).ptr = '\0';
    char limit[24];
    *std::to_chars(limit, limit + sizeof limit - 1, page_size + 1).ptr = '\0';
    const char* values[] = {digits, limit};
    return run("query_bench_page", 2, values, out, page_size);
  }

 private:
  void prepare(const char* name, const std::string& text, int n) {
    PGresult* r = PQprepare(conn_, name, text.c_str(), n, nullptr);
    const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) throw std::runtime_error(PQerrorMessage(conn_));
  }

  template <class N>
  static N number(const PGresult* r, int row, int i) {
    const char* v = PQgetvalue(r, row, i);
    N n{};
    std::from_chars(v, v + PQgetlength(r, row, i), n);
    return n;
  }

  static std::string text(const PGresult* r, int row, int i) {
    return {PQgetvalue(r, row, i), static_cast<std::size_t>(PQgetlength(r, row, i))};
  }

  bool run(const char* name, int n, const char* const* values, std::vector<Tag>& out,
           std::size_t keep) {
    PGresult* r = PQexecPrepared(conn_, name, n, values, nullptr, nullptr, 0);
    if (r == nullptr || PQresultStatus(r) != PGRES_TUPLES_OK) {
      PQclear(r);
      throw std::runtime_error(PQerrorMessage(conn_));
    }
    const int rows = PQntuples(r);
    for (int row = 0; row < rows && out.size() < keep; ++row) {
      Tag& t = out.emplace_back();
      t.id = number<std::int64_t>(r, row, 0);
      t.version = number<std::int64_t>(r, row, 1);
      t.owner_id = number<std::int64_t>(r, row, 2);
      t.name = text(r, row, 3);
      if (PQgetisnull(r, row, 4) == 0) t.color = text(r, row, 4);
      t.weight = number<double>(r, row, 5);
      t.pinned = number<int>(r, row, 6) != 0;
    }
    PQclear(r);
    return static_cast<std::size_t>(rows) > keep;
  }

  PGconn* conn_;
};

// What the benchmarks of one target share, set up on first use: the table of `records` tags
// with its owner_id index, optimist's store on it and the raw side's session.
struct Fixture {
  std::shared_ptr<optimist::Store> store;
  std::optional<optimist::Resource<Tag>> tags;
  std::unique_ptr<soci::session> raw;
  std::unique_ptr<NativeSqlite> native_sqlite;
  std::unique_ptr<NativePostgres> native_postgres;
  // Page k + 1 of the table by id starts after cursors[k] (optimist) and after ids after[k]
  // (the baselines): every page but the first.
  std::vector<std::string> cursors;
  std::vector<std::int64_t> after;

  explicit Fixture(const Target& t) {
    store = optimist::open(t.url).value();
    tags.emplace(store);
    raw = t.raw_session();
    // A table an earlier run left (PostgreSQL) starts again from key 1.
    *raw << (t.postgres ? R"(TRUNCATE "tags" RESTART IDENTITY)" : R"(DELETE FROM "tags")");
    bench::create_tags(*store, *tags, records, owners);
    *raw << R"(CREATE INDEX IF NOT EXISTS "tags_owner_id" ON "tags" ("owner_id"))";
    *raw << (t.postgres ? R"(VACUUM ANALYZE "tags")" : "ANALYZE");
    std::string cursor;
    while (true) {
      auto page = tags->page(optimist::Query<Tag>().limit(page_size), cursor).value();
      if (!page.next) break;
      cursors.push_back(*page.next);
      after.push_back(page.records.back().id);
      cursor = *page.next;
    }
    if (t.postgres) {
      native_postgres = std::make_unique<NativePostgres>(*raw);
    } else {
      native_sqlite = std::make_unique<NativeSqlite>(*raw);
    }
  }
};

// By target name; emptied before main returns, while optimist's own statics still live.
std::map<std::string, std::unique_ptr<Fixture>> fixtures;

Fixture& fixture(const Target& t) {
  auto& f = fixtures[t.name];
  if (!f) f = std::make_unique<Fixture>(t);
  return *f;
}

// Owner 1, 2, ... owners, 1, ...
std::int64_t next_owner(std::int64_t& i) {
  return i++ % owners + 1;
}

void optimist_by_owner(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  std::int64_t i = 0;
  for (auto _ : state) {
    auto r = f.tags->all(optimist::eq<&Tag::owner_id>(next_owner(i)));
    if (!r || r.value().size() != per_owner) {
      state.SkipWithError("the query failed or read another number of records");
      break;
    }
    benchmark::DoNotOptimize(r.value().data());
  }
  state.SetItemsProcessed(state.iterations());
}

void data_layer_by_owner(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  const optimist::Table& table = f.tags->table();
  std::size_t owner_column = 0;
  while (table.columns[owner_column].name != "owner_id") ++owner_column;
  std::int64_t i = 0;
  for (auto _ : state) {
    optimist::Selection s;
    s.where = optimist::Condition::of(optimist::Compare::eq, owner_column,
                                      {optimist::Value{next_owner(i)}});
    auto r = f.store->select(table, "read", std::move(s));
    if (!r || r.value().size() != per_owner) {
      state.SkipWithError("the query failed or read another number of records");
      break;
    }
    benchmark::DoNotOptimize(r.value().data());
  }
  state.SetItemsProcessed(state.iterations());
}

// SOCI's into() bindings of one row, and the Tag made of them.
struct SociRow {
  long long id = 0, version = 0, owner_id = 0, pinned = 0;
  std::string name, color;
  soci::indicator color_indicator = soci::i_ok;
  double weight = 0;

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(version));
    st.exchange(soci::into(owner_id));
    st.exchange(soci::into(name));
    st.exchange(soci::into(color, color_indicator));
    st.exchange(soci::into(weight));
    st.exchange(soci::into(pinned));
  }
  [[nodiscard]] Tag tag() const {
    Tag t;
    t.id = id;
    t.version = version;
    t.owner_id = owner_id;
    t.name = name;
    if (color_indicator == soci::i_ok) t.color = color;
    t.weight = weight;
    t.pinned = pinned != 0;
    return t;
  }
};

void raw_soci_by_owner(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  SociRow row;
  long long owner = 0;
  soci::statement st(*f.raw);
  row.bind(st);
  st.exchange(soci::use(owner));
  st.alloc();
  st.prepare(by_owner_sql(":owner"));
  st.define_and_bind();
  std::int64_t i = 0;
  for (auto _ : state) {
    owner = next_owner(i);
    std::vector<Tag> out;
    for (bool more = st.execute(true); more; more = st.fetch()) out.push_back(row.tag());
    if (out.size() != per_owner) {
      state.SkipWithError("the query read another number of records");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_native_by_owner(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  std::int64_t i = 0;
  for (auto _ : state) {
    std::vector<Tag> out;
    if (f.native_sqlite) {
      f.native_sqlite->by_owner(next_owner(i), out);
    } else {
      f.native_postgres->by_owner(next_owner(i), out);
    }
    if (out.size() != per_owner) {
      state.SkipWithError("the query read another number of records");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void optimist_page(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t at = k++ % f.cursors.size();
    auto r = f.tags->page(optimist::Query<Tag>().limit(page_size), f.cursors[at]);
    if (!r || r.value().records.size() != page_size ||
        r.value().next.has_value() != (at + 1 < f.cursors.size())) {
      state.SkipWithError("the page failed or read another page");
      break;
    }
    benchmark::DoNotOptimize(r.value().records.data());
  }
  state.SetItemsProcessed(state.iterations());
}

// A keyset page's result by hand: its records, and where the next one starts.
struct RawPage {
  std::vector<Tag> records;
  std::optional<std::int64_t> next;
};

void raw_soci_page(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  SociRow row;
  long long after = 0;
  long long limit = page_size + 1;
  soci::statement st(*f.raw);
  row.bind(st);
  st.exchange(soci::use(after));
  st.exchange(soci::use(limit));
  st.alloc();
  st.prepare(page_sql(":after", ":limit"));
  st.define_and_bind();
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t at = k++ % f.after.size();
    after = f.after[at];
    RawPage page;
    page.records.reserve(page_size);
    bool more = false;
    for (bool got = st.execute(true); got; got = st.fetch()) {
      if (page.records.size() == page_size) {
        more = true;
      } else {
        page.records.push_back(row.tag());
      }
    }
    if (more) page.next = page.records.back().id;
    if (page.records.size() != page_size || more != (at + 1 < f.after.size())) {
      state.SkipWithError("the query read another page");
      break;
    }
    benchmark::DoNotOptimize(page.records.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_native_page(benchmark::State& state, const Target& target) {
  Fixture& f = fixture(target);
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t at = k++ % f.after.size();
    RawPage page;
    page.records.reserve(page_size);
    const bool more = f.native_sqlite ? f.native_sqlite->page(f.after[at], page.records)
                                      : f.native_postgres->page(f.after[at], page.records);
    if (more) page.next = page.records.back().id;
    if (page.records.size() != page_size || more != (at + 1 < f.after.size())) {
      state.SkipWithError("the query read another page");
      break;
    }
    benchmark::DoNotOptimize(page.records.data());
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
          fmt::format("optimist-query-bench-{}-{}", ::getpid(), name))
      .string();
}

void remove_sqlite(const std::string& file) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // --iterations=N: every benchmark runs exactly N iterations, once per repetition, so that an
  // instruction count (valgrind --tool=callgrind) divides into reads.
  benchmark::IterationCount iterations = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--iterations=")) {
      iterations = std::strtoll(argv[i] + std::strlen("--iterations="), nullptr, 10);
    } else {
      std::cerr << "query_bench: unknown option " << arg << '\n';
      return 2;
    }
  }

  const std::string file = temp_file("wal.db");
  remove_sqlite(file);
  std::vector<Target> targets;
  // The raw side must read optimist's own in-memory database, which an sqlite::memory: store
  // keeps private: optimist opens a named shared-cache memory database instead, the URI
  // percent-encoded as a path (`?`, `=` and `&` would start the URL's query), with one
  // pooled connection as sqlite::memory: has. Its journal_mode and synchronous pragmas do
  // nothing on a memory database.
  const std::string memory_name =
      fmt::format("file:optimist_query_bench_{}?mode=memory&cache=shared", ::getpid());
  std::string encoded;
  for (const char c : memory_name) {
    encoded += c == '?'   ? std::string("%3F")
               : c == '=' ? std::string("%3D")
               : c == '&' ? std::string("%26")
                          : std::string(1, c);
  }
  targets.push_back({"sqlite_memory", "sqlite:" + encoded + "?pool=1",
                     [memory_name] {
                       auto s =
                           std::make_unique<soci::session>(soci::sqlite3, "dbname=" + memory_name);
                       optimist::sqlite::pragma(*s, "PRAGMA busy_timeout = 5000");
                       return s;
                     },
                     false});
  targets.push_back({"sqlite_wal_file", "sqlite:" + file,
                     [file] {
                       auto s = std::make_unique<soci::session>(soci::sqlite3, "dbname=" + file);
                       optimist::sqlite::pragma(*s, "PRAGMA busy_timeout = 5000");
                       optimist::sqlite::pragma(*s, "PRAGMA journal_mode = WAL");
                       optimist::sqlite::pragma(*s, "PRAGMA synchronous = NORMAL");
                       return s;
                     },
                     false});
  if (const char* pg = std::getenv("OPTIMIST_BENCH_POSTGRES_URL"); pg != nullptr && *pg != '\0') {
    const std::string url = pg;
    targets.push_back(
        {"postgresql", url,
         [url] { return std::make_unique<soci::session>(soci::postgresql, keyword_form(url)); },
         true});
  }

  using Function = void (*)(benchmark::State&, const Target&);
  const std::pair<const char*, Function> benchmarks[] = {
      {"optimist/by_owner", optimist_by_owner},    {"data_layer/by_owner", data_layer_by_owner},
      {"raw_soci/by_owner", raw_soci_by_owner},    {"raw_native/by_owner", raw_native_by_owner},
      {"optimist/keyset_page", optimist_page},     {"raw_soci/keyset_page", raw_soci_page},
      {"raw_native/keyset_page", raw_native_page},
  };
  for (const Target& t : targets) {
    for (const auto& [name, function] : benchmarks) {
      auto* b = benchmark::RegisterBenchmark(
          fmt::format("{}/{}", name, t.name).c_str(),
          [t, function = function](benchmark::State& s) { function(s, t); });
      // SQLite works in this thread: CPU time, steadier than wall time on a shared machine.
      // PostgreSQL mostly waits for the server: wall time.
      if (t.postgres) b->UseRealTime();
      if (iterations > 0) b->Iterations(iterations);
    }
  }

  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const auto& m = reporter.medians();
  for (const char* read : {"by_owner", "keyset_page"}) {
    for (const Target& t : targets) {
      for (const char* side : {"optimist", "data_layer"}) {
        const auto o = m.find(fmt::format("{}/{}/{}", side, read, t.name));
        if (o == m.end()) continue;
        for (const char* base : {"raw_soci", "raw_native"}) {
          const auto r = m.find(fmt::format("{}/{}/{}", base, read, t.name));
          if (r == m.end() || r->second <= 0) continue;
          fmt::print("ratio {}/{} {:<11} {:<16} {:.3f}x  ({:.0f} vs {:.0f} reads/s)\n", side, base,
                     read, t.name, o->second / r->second, o->second, r->second);
        }
      }
    }
  }
  fixtures.clear();
  remove_sqlite(file);
  benchmark::Shutdown();
  return 0;
}
