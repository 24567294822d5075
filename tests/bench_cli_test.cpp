// SPDX-License-Identifier: MIT
// optimist-bench as a user runs it: flags, exit codes, the JSON and CSV schemas, and short
// runs on every backend checking the lost-update invariant and how the counts add up.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/sql_databases.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::ContainsRegex;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::vector<std::string> keys{
    "backend",       "synchronous", "strategy",  "group_commit", "variant",
    "records",       "workers",     "processes", "skew",         "think_us",
    "attempts",      "commits",     "conflicts", "gave_up",      "conflict_rate",
    "commits_per_s", "p50_us",      "p99_us",    "lost_updates", "predicted_conflict_rate"};

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A scratch directory per test, removed afterwards.
class BenchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          (std::string("optimist-bench-test-") + info->name() + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  Ran run(const std::vector<std::string>& args) const {
    std::string cmd = quote(OPTIMIST_BENCH_EXE) + " --no-progress";
    for (const auto& a : args) {
      cmd += ' ';  // not `" " + quote(a)`: GCC 12 reports a false -Wrestrict on that at -O2
      cmd += quote(a);
    }
    cmd += " 2>";
    cmd += quote((dir / "stderr").string());
    Ran r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) r.out.append(buffer, n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = slurp(dir / "stderr");
    return r;
  }

  fs::path dir;
};

// --- flags ------------------------------------------------------------------------------

class BadFlags : public BenchCli, public ::testing::WithParamInterface<std::vector<std::string>> {};

TEST_P(BadFlags, GiveOneLineOnStderrAndExitCode2) {
  const Ran r = run(GetParam());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("optimist-bench: error: "));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(
    Cli, BadFlags,
    ::testing::Values(
        std::vector<std::string>{"--records", "0"}, std::vector<std::string>{"--workers", "abc"},
        std::vector<std::string>{"--processes", "0"}, std::vector<std::string>{"--duration", "0"},
        std::vector<std::string>{"--ops", "5", "--duration", "1"},
        std::vector<std::string>{"--think-us", "-1"},
        std::vector<std::string>{"--skew", "hot:2:0.1"},
        std::vector<std::string>{"--skew", "hot:0.9"}, std::vector<std::string>{"--skew", "zipf:x"},
        std::vector<std::string>{"--skew", "gauss"},
        std::vector<std::string>{"--strategy", "optimistic,lazy"},
        std::vector<std::string>{"--sweep", "records"},
        std::vector<std::string>{"--sweep", "records=1,0"},
        std::vector<std::string>{"--sweep", "colour=1,2"},
        std::vector<std::string>{"--backend", "mysql://localhost/x"},
        std::vector<std::string>{"--backend", "sqlite:"},
        std::vector<std::string>{"--backend", "memory:", "--processes", "2"},
        std::vector<std::string>{"--backend", "sqlite::memory:", "--processes", "2"},
        std::vector<std::string>{"--backend", "sqlite:/tmp/100%.db"},
        std::vector<std::string>{"--plot", "out.pdf"}, std::vector<std::string>{"--repeat", "0"},
        std::vector<std::string>{"--warmup", "-1"}, std::vector<std::string>{"--warmup", "soon"},
        std::vector<std::string>{"--interleave", "0"},
        std::vector<std::string>{"--interleave", "100", "--ops", "10"},
        std::vector<std::string>{"--interleave", "100", "--processes", "2"},
        std::vector<std::string>{"--sync", "extra"},
        std::vector<std::string>{"--backend", "memory:", "--sync", "full"},
        std::vector<std::string>{"--backend", "postgresql://127.0.0.1/x", "--sync", "full"},
        std::vector<std::string>{"--backend", "sqlite:/tmp/b.db?synchronous=normal", "--sync",
                                 "full"},
        std::vector<std::string>{"--group-commit", "maybe"},
        std::vector<std::string>{"--backend", "memory:", "--group-commit", "on"},
        std::vector<std::string>{"--backend", "sqlite::memory:", "--group-commit", "on,off"},
        std::vector<std::string>{"--backend", "postgresql://127.0.0.1/x", "--group-commit", "on"},
        std::vector<std::string>{"--backend", "sqlite:/tmp/b.db?group_commit=off", "--group-commit",
                                 "on"},
        std::vector<std::string>{"--sweep", "records=1,2", "--sweep", "records=3"},
        std::vector<std::string>{"--sweep", "records=1", "--sweep", "workers=2", "--sweep",
                                 "think-us=0"},
        std::vector<std::string>{"--no-such-flag"}));

TEST_F(BenchCli, UnreachableBackendGivesOneLineAndExitCode2) {
  const Ran r = run({"--backend", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
                     "--strategy", "raw", "--ops", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("optimist-bench: error: cannot open postgresql://"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(BenchCli, HelpExitsZero) {
  const Ran r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--strategy"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("--child")));
}

// --- schemas ----------------------------------------------------------------------------

TEST_F(BenchCli, JsonAndCsvHaveExactlyTheDocumentedKeys) {
  const auto json = dir / "r.json";
  const auto csv = dir / "r.csv";
  const Ran r = run({"--backend", "memory:", "--strategy", "optimistic,retry", "--strategy",
                     "pessimistic,atomic", "--sweep", "records=1,5", "--workers", "2", "--ops",
                     "400", "--json", json.string(), "--csv", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto records = nlohmann::ordered_json::parse(slurp(json));
  ASSERT_TRUE(records.is_array());
  ASSERT_EQ(records.size(), 8U);
  for (const auto& record : records) {
    std::vector<std::string> names;
    for (const auto& [name, value] : record.items()) names.push_back(name);
    EXPECT_THAT(names, ElementsAreArray(keys));
    EXPECT_EQ(record["backend"], "memory:");
    EXPECT_EQ(record["skew"], "uniform");
    EXPECT_TRUE(record["conflict_rate"].is_number());
    EXPECT_TRUE(record["predicted_conflict_rate"].is_number());
  }
  EXPECT_EQ(records[0]["strategy"], "optimistic");
  EXPECT_EQ(records[0]["variant"], "optimistic");
  EXPECT_EQ(records[0]["group_commit"], false);
  EXPECT_TRUE(records[0]["synchronous"].is_null());  // not SQLite
  EXPECT_EQ(records[0]["records"], 1);
  EXPECT_EQ(records[7]["strategy"], "atomic");
  EXPECT_EQ(records[7]["records"], 5);

  std::istringstream lines(slurp(csv));
  std::string header;
  std::getline(lines, header);
  std::string joined;
  for (const auto& k : keys) joined += (joined.empty() ? "" : ",") + k;
  EXPECT_EQ(header, joined);
  int rows = 0;
  for (std::string line; std::getline(lines, line);) {
    ++rows;
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), static_cast<long>(keys.size() - 1));
  }
  EXPECT_EQ(rows, 8);
}

TEST_F(BenchCli, SkippedRunsAreInTheTableButNotInTheFiles) {
  const auto json = dir / "r.json";
  const Ran r = run(
      {"--backend", "memory:", "--strategy", "raw,atomic", "--ops", "50", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("skipped"));
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0]["strategy"], "atomic");
}

TEST_F(BenchCli, RepeatedRoundsReportOneRecordPerRunAndRatiosAgainstRaw) {
  const auto json = dir / "r.json";
  // The default backend (SQLite) so that raw runs.
  const Ran r = run({"--strategy", "retry,raw", "--sweep", "records=2,50", "--workers", "2",
                     "--ops", "100", "--repeat", "6", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 4U);  // 2 sweep values x 2 strategies, whatever the rounds
  for (const auto& rec : records) EXPECT_EQ(rec["commits"], 100);
  EXPECT_THAT(r.out, HasSubstr("relative to raw, per round, over 6 rounds: median [95% "
                               "confidence interval of the median] (lowest-highest)"));
  // Six rounds are the fewest whose extremes bound the median with 95 % confidence.
  const std::string number = "[0-9]+\\.[0-9]{3}";
  const std::string ratio =
      number + "x \\[" + number + "-" + number + "\\] \\(" + number + "-" + number + "\\)";
  EXPECT_THAT(r.out, ContainsRegex("retry +records=2 workers=2 procs=1 think_us=0: " + ratio));
  EXPECT_THAT(r.out, ContainsRegex("retry +records=50 workers=2 procs=1 think_us=0: " + ratio));

  const Ran few = run({"--strategy", "retry,raw", "--ops", "50", "--repeat", "2"});
  ASSERT_EQ(few.exit_code, 0) << few.err;
  EXPECT_THAT(few.out, HasSubstr("[needs 6 rounds]"));
}

TEST_F(BenchCli, WarmUpCommitsAreCheckedForLostUpdatesButNotReported) {
  // Two records and two workers: the warm-up commits thousands of increments in memory,
  // which the lost-update check must count and the report must leave out.
  const auto json = dir / "w.json";
  const Ran r =
      run({"--backend", "memory:", "--strategy", "optimistic,retry,pessimistic,atomic", "--records",
           "2", "--workers", "2", "--ops", "20", "--warmup", "0.2", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 4U);
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.dump());
    EXPECT_EQ(rec["lost_updates"], 0);
    EXPECT_EQ(rec["commits"].get<std::int64_t>() + rec["gave_up"].get<std::int64_t>(), 20);
  }
}

TEST_F(BenchCli, EveryRunRemovesTheCountersItCreated) {
  const auto db = dir / "bench.db";
  const Ran r = run({"--backend", "sqlite:" + db.string(), "--strategy",
                     "optimistic,retry,pessimistic,atomic,raw", "--records", "7", "--workers", "2",
                     "--ops", "40", "--repeat", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Both tables exist (the runs wrote there) and hold no row.
  soci::session s(soci::sqlite3, "dbname=" + db.string());
  for (const std::string table : {"counters", "bench_raw_counters"}) {
    int rows = -1;
    s << "SELECT count(*) FROM " + table, soci::into(rows);
    EXPECT_EQ(rows, 0) << table;
  }
}

TEST_F(BenchCli, EveryRunOnPostgresStartsOnANewEmptyTableFile) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  const std::string backend = optimist::testing::fresh_postgres_url(url);
  const auto at = backend.find("search_path%3D") + std::string("search_path%3D").size();
  const std::string schema = backend.substr(at, backend.find_first_of("%&", at) - at);
  // The file behind each table: TRUNCATE gives a table a new one, DELETE keeps it.
  const auto files = [&] {
    soci::session s(soci::postgresql, std::getenv("OPTIMIST_TEST_POSTGRES_CONNINFO"));
    std::map<std::string, long long> out;
    for (const std::string table : {"counters", "bench_raw_counters"}) {
      long long file = 0;
      s << "SELECT c.relfilenode FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = :schema AND c.relname = :table",
          soci::use(schema), soci::use(table), soci::into(file);
      out[table] = file;
    }
    return out;
  };
  const std::vector<std::string> args{"--backend", backend, "--strategy", "retry,raw",
                                      "--records", "5",     "--workers",  "2",
                                      "--ops",     "20"};
  const Ran first = run(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto before = files();
  const Ran second = run(args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto after = files();
  for (const auto& [table, file] : before) {
    EXPECT_NE(file, 0) << table;
    EXPECT_NE(after.at(table), file) << table;
  }
}

TEST_F(BenchCli, OptimistsUrlParametersDoNotReachTheRawBaseline) {
  const auto db = dir / "bench.db";
  const Ran r = run({"--backend", "sqlite:" + db.string() + "?pool=2&busy_timeout=3000",
                     "--strategy", "retry,raw", "--records", "5", "--workers", "3", "--ops", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // raw committed all 30 operations (with 5 records, some may have needed a second attempt).
  EXPECT_THAT(r.out, ContainsRegex("raw +5 +3 +1 +0 +[0-9]+ +30 "));
  // Both strategies used the one file (WAL mode adds its -wal and -shm files beside it).
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr("?")));
  }
  EXPECT_TRUE(fs::exists(db));
}

TEST_F(BenchCli, RawOpensTheSqliteFileOptimistOpensFromAnEscapedPath) {
  const Ran r = run({"--backend", "sqlite:" + dir.string() + "/two%20words.db", "--strategy",
                     "retry,raw", "--records", "3", "--workers", "2", "--ops", "20"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One database (WAL mode adds its -wal and -shm files beside it): neither the escaped
  // name nor the part before the space.
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename() == "stderr") continue;
    EXPECT_THAT(entry.path().filename().string(), StartsWith("two words.db"));
  }
  // Both strategies made their table in it.
  soci::session s(soci::sqlite3, "dbname=\"" + (dir / "two words.db").string() + "\"");
  int tables = 0;
  s << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('counters', "
       "'bench_raw_counters')",
      soci::into(tables);
  EXPECT_EQ(tables, 2);
}

TEST_F(BenchCli, RawIsSkippedOnSqliteInMemoryWhereEachSessionHasItsOwnDatabase) {
  const auto json = dir / "r.json";
  const Ran r = run({"--backend", "sqlite::memory:", "--strategy", "retry,raw", "--records", "3",
                     "--workers", "2", "--ops", "20", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("skipped: raw: not applicable to sqlite::memory:"));
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 1U);
  EXPECT_EQ(records[0]["strategy"], "retry");
  EXPECT_EQ(records[0]["commits"], 20);
}

TEST_F(BenchCli, PlotsAreDrawnAsSvgOrPngWithOneLinePerStrategy) {
  const auto svg = dir / "r.svg";
  const auto png = dir / "r.png";
  for (const auto& file : {svg, png}) {
    const Ran r = run({"--backend", "memory:", "--strategy", "optimistic,pessimistic", "--sweep",
                       "records=1,5", "--workers", "2", "--ops", "100", "--plot", file.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const std::string drawn = slurp(svg);
  EXPECT_THAT(drawn, HasSubstr("<svg"));
  EXPECT_THAT(drawn, HasSubstr("optimistic"));
  EXPECT_THAT(drawn, HasSubstr("pessimistic"));
  EXPECT_THAT(drawn, HasSubstr("records"));
  EXPECT_THAT(slurp(png), StartsWith("\x89PNG"));
}

TEST_F(BenchCli, AProgressBarIsDrawnOnATerminalForRunsOverASecond) {
  // Threads in this process, and worker processes (whose parent draws the bar while it
  // waits for their reports), on the default SQLite file.
  for (const std::string mode : {"--backend memory: --strategy atomic --workers 1",
                                 "--strategy optimistic --workers 1 --processes 2"}) {
    SCOPED_TRACE(mode);
    // `script` gives the program a pseudo-terminal and copies what it shows to stdout.
    const std::string command = quote(OPTIMIST_BENCH_EXE) + " " + mode + " --duration 2";
    const std::string shell = "script -qec " + quote(command) + " /dev/null";
    FILE* p = ::popen(shell.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string screen;
    char buffer[4096];
    for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, p)) > 0;) {
      screen.append(buffer, n);
    }
    ASSERT_EQ(::pclose(p), 0) << screen;
    EXPECT_THAT(screen, HasSubstr("\r[#"));
    EXPECT_THAT(screen, HasSubstr("run 1/1"));
  }
  // Without a terminal the same run draws nothing.
  const Ran piped =
      run({"--backend", "memory:", "--strategy", "atomic", "--workers", "1", "--duration", "2"});
  ASSERT_EQ(piped.exit_code, 0);
  EXPECT_THAT(piped.err, Not(HasSubstr("run 1/1")));
}

TEST_F(BenchCli, TheSyncLevelIsReportedInTheTableAndTheFiles) {
  const auto json = dir / "r.json";
  const auto csv = dir / "r.csv";
  const Ran r = run({"--backend", "sqlite:" + (dir / "s.db").string(), "--sync", "off",
                     "--strategy", "retry,raw", "--records", "3", "--workers", "2", "--ops", "40",
                     "--json", json.string(), "--csv", csv.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("?synchronous=off   synchronous: OFF   skew: uniform\n"));
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 2U);
  for (const auto& rec : records) EXPECT_EQ(rec["synchronous"], "OFF");
  // At synchronous=off the store's default is no group commit.
  EXPECT_EQ(records[0]["variant"], "retry");
  std::istringstream lines(slurp(csv));
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_THAT(row, HasSubstr(",OFF,retry,false,retry,"));
}

TEST_F(BenchCli, GroupCommitSettingsRunAsLabelledVariantsAndRawOnce) {
  const auto json = dir / "r.json";
  // Interleaved, so that the variants take turns as strategies do.
  const Ran r = run({"--backend", "sqlite:" + (dir / "g.db").string(), "--group-commit", "on,off",
                     "--strategy", "retry,raw", "--records", "3", "--workers", "2", "--duration",
                     "0.3", "--warmup", "0.05", "--interleave", "20", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0]["variant"], "retry+group");
  EXPECT_EQ(records[0]["strategy"], "retry");
  EXPECT_EQ(records[0]["group_commit"], true);
  EXPECT_EQ(records[1]["variant"], "retry");
  EXPECT_EQ(records[1]["group_commit"], false);
  EXPECT_EQ(records[2]["variant"], "raw");
  for (const auto& rec : records) {
    EXPECT_EQ(rec["lost_updates"], 0);
    EXPECT_GT(rec["commits"].get<std::int64_t>(), 0);
  }
  EXPECT_THAT(r.out, ContainsRegex("\nretry\\+group +3 +2 +1 +0 "));
  EXPECT_THAT(r.out, ContainsRegex("\nretry +3 +2 +1 +0 "));
  EXPECT_THAT(r.out, ContainsRegex("\nretry\\+group +records=3 workers=2 procs=1 think_us=0: "));
  EXPECT_THAT(r.out, ContainsRegex("\nretry +records=3 workers=2 procs=1 think_us=0: "));
}

TEST_F(BenchCli, WithoutGroupCommitFlagsTheStoresDefaultIsReported) {
  const auto json = dir / "r.json";
  const Ran r = run({"--backend", "sqlite:" + (dir / "d.db").string(), "--sync", "full",
                     "--strategy", "pessimistic,raw", "--records", "2", "--workers", "2", "--ops",
                     "20", "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0]["variant"], "pessimistic+group");  // on at synchronous=full
  EXPECT_EQ(records[1]["variant"], "raw");
  EXPECT_EQ(records[1]["group_commit"], false);
}

TEST_F(BenchCli, TwoSweepsRunEveryPairAndNameTheBestOfEachCell) {
  const auto json = dir / "r.json";
  const auto svg = dir / "r.svg";
  const Ran r = run({"--backend", "memory:", "--sweep", "records=1,4", "--sweep", "think-us=0,50",
                     "--strategy", "retry,pessimistic", "--workers", "2", "--ops", "100", "--json",
                     json.string(), "--plot", svg.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 8U);
  // The first sweep varies fastest, the variants fastest of all.
  const std::vector<std::pair<int, int>> cells{{1, 0}, {4, 0}, {1, 50}, {4, 50}};
  for (std::size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(records[i].dump());
    EXPECT_EQ(records[i]["records"], cells[i / 2].first);
    EXPECT_EQ(records[i]["think_us"], cells[i / 2].second);
    EXPECT_EQ(records[i]["strategy"], i % 2 == 0 ? "retry" : "pessimistic");
  }
  EXPECT_THAT(r.out, HasSubstr("\nmost commits/s per cell (raw, the baseline, left out; rates "
                               "less than 5% apart tie):\n"));
  const std::string best = "(retry|pessimistic|tie: [a-z, 0-9]+) [0-9]+ commits/s";
  for (const auto& [records_at, think_at] : cells) {
    EXPECT_THAT(r.out, ContainsRegex(fmt::format("\n  records={} think_us={}: {}", records_at,
                                                 think_at, best)));
  }
  EXPECT_THAT(r.out, HasSubstr("\nretry against pessimistic, commits/s by records (less than 5% "
                               "apart: a tie):\n"));
  const std::string verdict = "(: no crossover|: crossover between records=1 and records=4)\n";
  EXPECT_THAT(r.out, ContainsRegex("\n  think_us=0: [^\n]*records=[^\n]*" + verdict));
  EXPECT_THAT(r.out, ContainsRegex("\n  think_us=50: [^\n]*records=[^\n]*" + verdict));
  // A panel per think time, throughput on a log scale.
  const std::string drawn = slurp(svg);
  EXPECT_THAT(drawn, HasSubstr("throughput, think_us=0"));
  EXPECT_THAT(drawn, HasSubstr("throughput, think_us=50"));
  EXPECT_THAT(drawn, HasSubstr("conflict rate, think_us=50"));
  EXPECT_THAT(drawn, HasSubstr("commits/s (log scale)"));
}

// --- SQLite at full durability with group commit ----------------------------------------

struct Durable {
  std::string name;
  int workers;
  int processes;
};

void PrintTo(const Durable& d, std::ostream* os) {
  *os << d.name;
}

class DurableRun : public BenchCli, public ::testing::WithParamInterface<Durable> {};

TEST_P(DurableRun, LosesNoUpdateWithGroupCommitAtSynchronousFull) {
  const auto json = dir / "r.json";
  constexpr int ops = 400;
  const Ran r = run(
      {"--backend", "sqlite:" + (dir / "durable.db").string(), "--sync", "full", "--group-commit",
       "on", "--strategy", "optimistic,retry,pessimistic,atomic,raw", "--records", "3", "--workers",
       std::to_string(GetParam().workers), "--processes", std::to_string(GetParam().processes),
       "--ops", std::to_string(ops), "--json", json.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), 5U);
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.dump());
    EXPECT_EQ(rec["lost_updates"], 0);
    EXPECT_EQ(rec["synchronous"], "FULL");
    EXPECT_EQ(rec["workers"], GetParam().workers);
    EXPECT_EQ(rec["processes"], GetParam().processes);
    const bool raw = rec["strategy"] == "raw";
    EXPECT_EQ(rec["group_commit"], !raw);
    EXPECT_EQ(rec["variant"], rec["strategy"].get<std::string>() + (raw ? "" : "+group"));
    EXPECT_EQ(rec["commits"].get<std::int64_t>() + rec["gave_up"].get<std::int64_t>(), ops);
    EXPECT_EQ(rec["attempts"].get<std::int64_t>(),
              rec["commits"].get<std::int64_t>() + rec["conflicts"].get<std::int64_t>());
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DurableRun,
                         ::testing::Values(Durable{"FourThreads", 4, 1},
                                           Durable{"FourProcesses", 2, 4}),
                         [](const auto& info) { return info.param.name; });

// --- short runs on every backend --------------------------------------------------------

struct Backend {
  std::string name;
  std::vector<std::string> args;  ///< how to select it
  std::string strategies;         ///< what runs there in this build
  int processes = 1;
  bool postgres = false;  ///< `--backend` is OPTIMIST_TEST_POSTGRES_URL, read when the test runs
};

void PrintTo(const Backend& b, std::ostream* os) {
  *os << b.name;
}

std::vector<Backend> backends() {
  constexpr const char* every = "optimistic,retry,pessimistic,atomic,raw";
  std::vector<Backend> all{
      {"Memory", {"--backend", "memory:"}, "optimistic,retry,pessimistic,atomic"},
      {"Sqlite", {}, every},  // the default: an SQLite file in a fresh temporary directory
      {"SqliteProcesses", {}, every, 2},
  };
  // Listed even without a server, so that a missing one fails under CI instead of vanishing.
  all.push_back({"Postgres", {}, every, 1, true});
  all.push_back({"PostgresProcesses", {}, every, 2, true});
  return all;
}

class BenchRun : public BenchCli, public ::testing::WithParamInterface<Backend> {};

TEST_P(BenchRun, LosesNoUpdateAndTheCountsAddUp) {
  const auto json = dir / "r.json";
  constexpr int ops = 600;
  std::vector<std::string> args = GetParam().args;
  if (GetParam().postgres) {
    OPTIMIST_POSTGRES_URL_OR_SKIP(url);
    // A schema of its own: runs in parallel must not reset each other's counters. With
    // optimist's own parameters, which the raw baseline must leave out of libpq's URL.
    args = {"--backend",
            optimist::testing::fresh_postgres_url(url) + "&pool=5&statement_timeout=60000"};
  }
  args.insert(args.end(), {"--strategy", GetParam().strategies, "--records", "3", "--workers", "3",
                           "--processes", std::to_string(GetParam().processes), "--ops",
                           std::to_string(ops), "--json", json.string()});
  const Ran r = run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_FALSE(records.empty());
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.dump());
    const auto attempts = rec["attempts"].get<std::int64_t>();
    const auto commits = rec["commits"].get<std::int64_t>();
    const auto conflicts = rec["conflicts"].get<std::int64_t>();
    const auto gave_up = rec["gave_up"].get<std::int64_t>();
    EXPECT_EQ(rec["lost_updates"], 0);
    EXPECT_EQ(rec["processes"], GetParam().processes);
    // Every attempt commits or conflicts; every operation commits or gives up.
    EXPECT_EQ(attempts, commits + conflicts);
    EXPECT_EQ(commits + gave_up, ops);
    EXPECT_LE(gave_up, conflicts);
    const auto strategy = rec["strategy"].get<std::string>();
    if (strategy == "optimistic") {
      EXPECT_EQ(gave_up, conflicts);
    }
    if (strategy == "pessimistic" || strategy == "atomic") {
      EXPECT_EQ(conflicts, 0);
      EXPECT_EQ(commits, ops);
    }
    EXPECT_GE(rec["conflict_rate"].get<double>(), 0.0);
    EXPECT_LE(rec["conflict_rate"].get<double>(), 1.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BenchRun, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

class InterleavedRun : public BenchRun {};

TEST_P(InterleavedRun, TakesTurnsLosesNoUpdateAndTheCountsAddUp) {
  const auto json = dir / "r.json";
  std::vector<std::string> args = GetParam().args;
  if (GetParam().postgres) {
    OPTIMIST_POSTGRES_URL_OR_SKIP(url);
    args = {"--backend", optimist::testing::fresh_postgres_url(url)};
  }
  // Two rounds of every strategy taking turns of 20 ms for 0.3 s each, on three records:
  // conflicts happen, and optimist's strategies share one table.
  args.insert(args.end(), {"--strategy", GetParam().strategies, "--records", "3", "--workers", "3",
                           "--duration", "0.3", "--warmup", "0.05", "--interleave", "20",
                           "--repeat", "2", "--json", json.string()});
  const Ran r = run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto records = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(records.size(), static_cast<std::size_t>(std::count(GetParam().strategies.begin(),
                                                                GetParam().strategies.end(), ',')) +
                                1);
  // In the order given, although the second round swapped the lanes.
  std::istringstream given(GetParam().strategies);
  std::size_t i = 0;
  for (std::string strategy; std::getline(given, strategy, ','); ++i) {
    EXPECT_EQ(records.at(i)["strategy"], strategy);
  }
  for (const auto& rec : records) {
    SCOPED_TRACE(rec.dump());
    EXPECT_EQ(rec["lost_updates"], 0);
    EXPECT_GT(rec["commits"].get<std::int64_t>(), 0);
    EXPECT_EQ(rec["attempts"].get<std::int64_t>(),
              rec["commits"].get<std::int64_t>() + rec["conflicts"].get<std::int64_t>());
  }
  // Compared with raw turn by turn: 0.3 s in turns of 20 ms is at least 15 turns a round.
  if (GetParam().strategies.find("raw") != std::string::npos) {
    EXPECT_THAT(r.out, ContainsRegex("relative to raw, per turn, over [0-9]{2,} turns"));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, InterleavedRun,
                         ::testing::Values(backends()[0], backends()[1], backends()[3]),
                         [](const auto& info) { return info.param.name; });

}  // namespace
