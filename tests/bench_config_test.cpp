// SPDX-License-Identifier: MIT
// optimist-bench's reading of its flags: the raw baseline must open what optimist opens,
// --sync and --group-commit agree with the URL, sweeps and variants multiply as documented.
#include <gmock/gmock.h>
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
using bench::Strategy;
using bench::SweepParameter;
using ::testing::HasSubstr;

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

// --- --sync ----------------------------------------------------------------------------

TEST(BenchSync, AddsTheLevelToTheUrlThatOptimistOpens) {
  const Config full = parsed({"--backend", "sqlite:/tmp/b.db", "--sync", "full"});
  EXPECT_EQ(full.backend, "sqlite:/tmp/b.db?synchronous=full");
  EXPECT_EQ(full.sqlite_synchronous, "FULL");
  const Config off = parsed({"--backend", "sqlite:/tmp/b.db?pool=2", "--sync", "off"});
  EXPECT_EQ(off.backend, "sqlite:/tmp/b.db?pool=2&synchronous=off");
  EXPECT_EQ(off.sqlite_synchronous, "OFF");
  EXPECT_EQ(off.sqlite_path, "/tmp/b.db");
}

TEST(BenchSync, AUrlWithTheSameLevelIsLeftAsItIs) {
  const Config c = parsed({"--backend", "sqlite:/tmp/b.db?synchronous=normal", "--sync", "normal"});
  EXPECT_EQ(c.backend, "sqlite:/tmp/b.db?synchronous=normal");
  EXPECT_EQ(c.sqlite_synchronous, "NORMAL");
}

TEST(BenchSync, AppliesToTheDefaultFileToo) {
  // optimist_bench.cpp sets the default backend after parsing, with --sync already read.
  Config c = parsed({"--sync", "full"});
  EXPECT_EQ(c.sync, "full");
  ASSERT_EQ(bench::set_backend(c, "sqlite:/tmp/scratch/bench.db"), "");
  EXPECT_EQ(c.backend, "sqlite:/tmp/scratch/bench.db?synchronous=full");
  EXPECT_EQ(c.sqlite_synchronous, "FULL");
}

TEST(BenchSync, ContradictingTheUrlOrLeavingSqliteIsAnError) {
  Config c;
  c.sync = "full";
  EXPECT_THAT(bench::set_backend(c, "sqlite:/tmp/b.db?synchronous=normal"),
              HasSubstr("synchronous=normal"));
  EXPECT_THAT(bench::set_backend(c, "sqlite:/tmp/b.db?synchronous=extra"),
              HasSubstr("synchronous=extra"));
  EXPECT_THAT(bench::set_backend(c, "memory:"), HasSubstr("memory:"));
  const std::string postgres = bench::set_backend(c, "postgresql://app:secret@h/x");
  EXPECT_THAT(postgres, HasSubstr("PostgreSQL"));
  EXPECT_THAT(postgres, ::testing::Not(HasSubstr("secret")));
}

TEST(BenchSync, BadLevelsAndBackendsExitWithCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--sync", "extra"},
           {"--sync", "FULL"},
           {"--sync", ""},
           {"--backend", "memory:", "--sync", "full"},
           {"--backend", "postgresql://h/x", "--sync", "off"},
           {"--backend", "sqlite:/tmp/b.db?synchronous=off", "--sync", "full"}}) {
    const auto p = parse(args);
    EXPECT_FALSE(p.config) << ::testing::PrintToString(args);
    EXPECT_EQ(p.exit_code, 2) << ::testing::PrintToString(args);
  }
}

TEST(BenchSync, RawSessionsRunTheSamePragma) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("optimist-bench-sync-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // SQLite's own default is FULL (2): OFF and NORMAL show that the pragma ran.
  for (const auto& [level, expected] :
       std::vector<std::pair<std::string, int>>{{"off", 0}, {"normal", 1}, {"full", 2}}) {
    Config c;
    c.sync = level;
    ASSERT_EQ(bench::set_backend(c, "sqlite:" + (dir / "b.db").string()), "");
    soci::session s;
    bench::open_session(s, bench::sql_connection(c));
    int got = -1;
    s << "PRAGMA synchronous", soci::into(got);
    EXPECT_EQ(got, expected) << level;
  }
  std::filesystem::remove_all(dir);
}

// --- --group-commit ---------------------------------------------------------------------

TEST(BenchGroupCommit, ReadsAListInOrderWithoutRepeats) {
  EXPECT_EQ(parsed({"--group-commit", "on,off", "--group-commit", "on"}).group_commit,
            (std::vector<bool>{true, false}));
  EXPECT_EQ(parsed({"--group-commit", "off"}).group_commit, (std::vector<bool>{false}));
  EXPECT_TRUE(parsed({}).group_commit.empty());
}

TEST(BenchGroupCommit, BadSettingsAndBackendsExitWithCode2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--group-commit", "yes"},
           {"--group-commit", "on,"},
           {"--group-commit", ""},
           {"--backend", "memory:", "--group-commit", "on"},
           {"--backend", "sqlite::memory:", "--group-commit", "off"},
           {"--backend", "postgresql://h/x", "--group-commit", "on"},
           {"--backend", "sqlite:/tmp/b.db?group_commit=on", "--group-commit", "on"}}) {
    const auto p = parse(args);
    EXPECT_FALSE(p.config) << ::testing::PrintToString(args);
    EXPECT_EQ(p.exit_code, 2) << ::testing::PrintToString(args);
  }
}

TEST(BenchGroupCommit, EachOfOptimistsStrategiesRunsOncePerSettingAndRawOnce) {
  const Config c = parsed({"--backend", "sqlite:/tmp/b.db", "--strategy", "retry,raw,pessimistic",
                           "--group-commit", "on,off"});
  const auto v = bench::variants(c);
  ASSERT_EQ(v.size(), 5U);
  EXPECT_EQ(v[0].strategy, Strategy::retry);
  EXPECT_EQ(v[0].group_commit, true);
  EXPECT_EQ(v[1].strategy, Strategy::retry);
  EXPECT_EQ(v[1].group_commit, false);
  EXPECT_EQ(v[2].strategy, Strategy::raw);
  EXPECT_EQ(v[2].group_commit, std::nullopt);
  EXPECT_EQ(v[3].strategy, Strategy::pessimistic);
  EXPECT_EQ(v[3].group_commit, true);
  EXPECT_EQ(v[4].group_commit, false);

  const auto plain = bench::variants(parsed({"--strategy", "retry,raw"}));
  ASSERT_EQ(plain.size(), 2U);
  EXPECT_EQ(plain[0].group_commit, std::nullopt);
}

TEST(BenchGroupCommit, LabelsSayWhatTheStoreDoes) {
  const bench::Variant retry{Strategy::retry, std::nullopt};
  const bench::Variant raw{Strategy::raw, std::nullopt};
  // Unset, the store's default: on at synchronous=full, off at normal.
  const Config full = parsed({"--backend", "sqlite:/tmp/b.db", "--sync", "full"});
  EXPECT_TRUE(full.store_group_commit);
  EXPECT_TRUE(bench::commits_in_groups(full, retry));
  EXPECT_FALSE(bench::commits_in_groups(full, raw));
  EXPECT_FALSE(bench::commits_in_groups(full, {Strategy::retry, false}));
  const Config normal = parsed({"--backend", "sqlite:/tmp/b.db"});
  EXPECT_FALSE(normal.store_group_commit);
  EXPECT_FALSE(bench::commits_in_groups(normal, retry));
  EXPECT_TRUE(bench::commits_in_groups(normal, {Strategy::retry, true}));
  EXPECT_FALSE(bench::commits_in_groups(parsed({"--backend", "memory:"}), {Strategy::retry, true}));

  EXPECT_EQ(bench::label(Strategy::retry, true), "retry+group");
  EXPECT_EQ(bench::label(Strategy::pessimistic, false), "pessimistic");
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
