// SPDX-License-Identifier: MIT
// optimist-bench's reading of its flags: the raw baseline must open what optimist opens,
// sweeps multiply as documented.
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "sql_session.hpp"

namespace {

using bench::BackendKind;
using bench::Config;
using bench::SweepParameter;

/// parse_command_line() on `args`, after the program's name.
bench::Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "optimist-bench");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return bench::parse_command_line(static_cast<int>(argv.size()), argv.data());
}

/// A config read from `args`, which must parse.
Config parsed(const std::vector<std::string>& args) {
  auto p = parse(args);
  if (!p.config) {
    ADD_FAILURE() << "does not parse: " << ::testing::PrintToString(args);
    return {};
  }
  return std::move(*p.config);
}

TEST(BenchBackend, AnSqlitePathIsDecodedAsOptimistDecodesIt) {
  Config c;
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/two%20words.db?pool=2"), "");
  EXPECT_EQ(c.backend_kind, BackendKind::sqlite);
  EXPECT_EQ(c.sqlite_path, "/tmp/two words.db");
  EXPECT_FALSE(c.sqlite_memory);
  EXPECT_FALSE(bench::lives_in_one_store(c));
}

TEST(BenchBackend, TheUrlsSynchronousLevelReachesTheRawBaseline) {
  Config c;
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/b.db"), "");
  EXPECT_EQ(c.sqlite_synchronous, "NORMAL");
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/b.db?synchronous=off"), "");
  EXPECT_EQ(c.sqlite_synchronous, "OFF");
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/b.db?synchronous=full"), "");
  EXPECT_EQ(c.sqlite_synchronous, "FULL");
}

TEST(BenchBackend, RawSessionsRunTheUrlsSynchronousPragma) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("optimist-bench-pragma-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // SQLite's own default is FULL (2): OFF and NORMAL show that the pragma ran.
  for (const auto& [level, expected] :
       std::vector<std::pair<std::string, int>>{{"off", 0}, {"normal", 1}, {"full", 2}}) {
    Config c;
    ASSERT_EQ(bench::set_backend(c, "sqlite:" + (dir / "b.db").string() + "?synchronous=" + level),
              "");
    soci::session s;
    bench::open_session(s, bench::sql_connection(c));
    int got = -1;
    s << "PRAGMA synchronous", soci::into(got);
    EXPECT_EQ(got, expected) << level;
  }
  std::filesystem::remove_all(dir);
}

TEST(BenchBackend, TheUrlsBusyTimeoutReachesTheRawBaseline) {
  Config c;
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/b.db"), "");
  EXPECT_EQ(c.sqlite_busy_timeout_ms, 5000);  // optimist's default
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/b.db?busy_timeout=250"), "");
  EXPECT_EQ(c.sqlite_busy_timeout_ms, 250);  // in milliseconds, below SOCI's whole seconds
}

TEST(BenchBackend, InMemoryStoresLiveInOneProcess) {
  Config c;
  ASSERT_EQ(bench::set_backend(c, "sqlite::memory:"), "");
  EXPECT_TRUE(c.sqlite_memory);
  EXPECT_TRUE(bench::lives_in_one_store(c));
  ASSERT_EQ(bench::set_backend(c, "memory:"), "");
  EXPECT_TRUE(bench::lives_in_one_store(c));
  ASSERT_EQ(bench::set_backend(c, "postgresql://127.0.0.1/x"), "");
  EXPECT_FALSE(bench::lives_in_one_store(c));
}

TEST(BenchBackend, AnSqliteUrlOptimistRefusesIsRefusedBeforeAnyRun) {
  Config c;
  EXPECT_NE(bench::set_backend(c, "sqlite:/tmp/100%.db"), "");
  EXPECT_NE(bench::set_backend(c, "sqlite:/tmp/b.db?synchronous=sometimes"), "");
  EXPECT_NE(bench::set_backend(c, "sqlite:/tmp/b.db?colour=red"), "");
  EXPECT_NE(bench::set_backend(c, "sqlite:?pool=2"), "");
}

// --- sweeps -----------------------------------------------------------------------------

TEST(BenchSweep, TwoSweepsRunTheirCrossProductTheFirstFastest) {
  const Config c = parsed({"--sweep", "records=1,10", "--sweep", "think-us=0,1000"});
  EXPECT_EQ(bench::dimensions(c),
            (std::vector<SweepParameter>{SweepParameter::records, SweepParameter::think_us}));
  const auto cells = bench::sweep_cells(c);
  ASSERT_EQ(cells.size(), 4U);
  const std::vector<std::pair<std::int64_t, std::int64_t>> expected{
      {1, 0}, {10, 0}, {1, 1000}, {10, 1000}};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    EXPECT_EQ(cells[i].records, expected[i].first) << i;
    EXPECT_EQ(cells[i].think_us, expected[i].second) << i;
  }
}

TEST(BenchSweep, WithoutASweepThereIsOneCellAlongRecords) {
  const Config c = parsed({"--records", "7", "--workers", "3"});
  EXPECT_EQ(bench::dimensions(c), (std::vector<SweepParameter>{SweepParameter::records}));
  const auto cells = bench::sweep_cells(c);
  ASSERT_EQ(cells.size(), 1U);
  EXPECT_EQ(cells[0].records, 7);
  EXPECT_EQ(cells[0].workers, 3);
}

TEST(BenchSweep, AParameterSweptTwiceOrAThirdSweepExitsWithCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--sweep", "records=1", "--sweep", "records=2"},
           {"--sweep", "think-us=1", "--sweep", "think_us=2"},
           {"--sweep", "records=1", "--sweep", "workers=2", "--sweep", "think-us=0"}}) {
    const auto p = parse(args);
    EXPECT_FALSE(p.config) << ::testing::PrintToString(args);
    EXPECT_EQ(p.exit_code, 2) << ::testing::PrintToString(args);
  }
}

}  // namespace
