// SPDX-License-Identifier: MIT
// The multi-process invariant: 4 processes doing read-modify-write increments with retry on
// the same rows lose no update and invent none. Afterwards every counter equals its commits
// and every version equals 1 + its commits.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <map>
#include <optimist/optimist.hpp>
#include <string>
#include <vector>

#include "support/sql_databases.hpp"
#include "support/tally.hpp"

extern char** environ;

namespace {

using test_app::Tally;

constexpr int processes = 4;
constexpr int iterations = 500;  // per process
constexpr int rows = 3;

// Starts the worker with `args` (after the program name).
pid_t spawn_worker(std::vector<std::string> args) {
  args.insert(args.begin(), OPTIMIST_INCREMENT_WORKER);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  EXPECT_EQ(::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  return pid;
}

void expect_success(pid_t pid) {
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "a worker died";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "a worker failed (see its stderr above)";
}

// Every process creates the (missing) table at once: CREATE TABLE IF NOT EXISTS must not
// fail in any of them.
void expect_concurrent_schema_creation(const std::string& url, const std::filesystem::path& dir) {
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    children.push_back(spawn_worker({url, (dir / ("schema." + std::to_string(p))).string(), "0"}));
  }
  for (pid_t pid : children) expect_success(pid);
}

void expect_no_lost_updates(const std::string& url, const std::filesystem::path& dir) {
  auto store = optimist::open(url).value();
  auto tallies = optimist::Resource<Tally>::open(store).value();
  std::vector<std::string> keys;
  for (int i = 0; i < rows; ++i) {
    keys.push_back(std::to_string(tallies.create(optimist::set<&Tally::count>(0)).value().id));
  }

  std::vector<pid_t> children;
  std::vector<std::string> outputs;
  for (int p = 0; p < processes; ++p) {
    outputs.push_back((dir / ("commits." + std::to_string(p))).string());
    std::vector<std::string> args{url, outputs.back(), std::to_string(iterations)};
    args.insert(args.end(), keys.begin(), keys.end());
    children.push_back(spawn_worker(std::move(args)));
  }
  for (pid_t pid : children) expect_success(pid);

  std::map<std::int64_t, std::int64_t> commits;
  std::int64_t total = 0;
  for (const auto& file : outputs) {
    std::ifstream in(file);
    std::int64_t key = 0;
    std::int64_t n = 0;
    while (in >> key >> n) {
      commits[key] += n;
      total += n;
    }
  }
  EXPECT_EQ(total, processes * iterations);
  for (const auto& key : keys) {
    const Tally t = tallies.get(std::stoll(key)).value();
    EXPECT_EQ(t.count, commits[t.id]) << "row " << t.id;
    EXPECT_EQ(t.version, 1 + commits[t.id]) << "row " << t.id;
  }
}

TEST(MultiProcessSqlite, ReadModifyWriteOnAWalFileLosesNoUpdate) {
  optimist::testing::TempDir dir;
  const std::string url = "sqlite:" + (dir.path() / "tallies.db").string();
  expect_concurrent_schema_creation(url, dir.path());
  expect_no_lost_updates(url, dir.path());
}

TEST(MultiProcessPostgres, ReadModifyWriteLosesNoUpdate) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(base);
  optimist::testing::TempDir dir;
  const std::string url = optimist::testing::fresh_postgres_url(base);
  expect_concurrent_schema_creation(url, dir.path());
  expect_no_lost_updates(url, dir.path());
}

}  // namespace
