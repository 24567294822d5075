// SPDX-License-Identifier: MIT
// PostgreSQL stopped and started again while worker threads write through one store.
//
// Four workers share one store (pool of 4) and each owns three rows, each written its own way:
// with locked updates (count = count + 1 at the version it read), with atomic increments, and
// in transactions (SELECT ... FOR UPDATE, then a locked update, then COMMIT). The main
// thread waits until every worker has committed, stops the server (pg_ctl stop -m fast, or
// -m immediate: a crash), keeps it down until every worker has seen calls fail while it was
// down, starts it again, and waits until every worker has committed again. This proves:
// - every call made while the server is down (begun after the stop finished, returned before
//   the start began) returns `unavailable`, and at no time does a call return any kind but
//   ok or `unavailable`, throw or crash;
// - no call hangs: the longest call stays below the configured connect, busy and statement
//   timeouts plus a wide margin (a hang check, not a performance check);
// - the same store, in the same process, recovers by itself: every worker commits again
//   through the pool it used before the restart;
// - no write is lost or applied twice. A write whose answer was lost with the server is in
//   doubt: its worker reads the row back once the server is up and decides from the stored
//   version whether it landed. In the end every row's count equals the writes its worker
//   knows committed, and its version is that count plus the initial version 1. (The sessions
//   use synchronous_commit=on, as a production server does by default: the throwaway
//   server's off would let the crash drop commits it had acknowledged, and this check
//   catches that.)
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optimist/optimist.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/postgres_server.hpp"
#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using optimist::ErrorKind;
using test_app::Tally;

constexpr int worker_count = 4;
constexpr std::int64_t commits_per_phase = 20;   // per worker, before the stop and after the start
constexpr std::int64_t refusals_per_worker = 5;  // calls that fail while the server is down
// The store's timeouts, and the longest any call may take before it counts as hung.
constexpr auto connect_timeout = 2s;
constexpr auto busy_timeout = 1000ms;
constexpr auto statement_timeout = 2000ms;
constexpr auto hang_bound = connect_timeout + busy_timeout + statement_timeout + 10s;
// How long the test waits for each phase before it fails rather than hang.
constexpr auto phase_deadline = 30s;

enum class Phase { running, stopping, down, starting, up };

const char* phase_name(Phase phase) {
  constexpr std::array names{"running", "stopping", "down", "starting", "up"};
  return names[static_cast<std::size_t>(phase)];
}

// Counts the workers publish and the main thread waits on.
class Progress {
 public:
  enum Count { commits, refusals, count_kinds };

  void bump(Count what, int worker) {
    {
      std::lock_guard lock(mutex_);
      ++counts_[what][worker];
    }
    changed_.notify_all();
  }
  void finished() {
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    changed_.notify_all();
  }
  [[nodiscard]] std::array<std::int64_t, worker_count> snapshot(Count what) {
    std::lock_guard lock(mutex_);
    return counts_[what];
  }
  /// Waits until every worker's `what` reaches its `at_least`; false after the deadline.
  [[nodiscard]] bool wait_all(Count what, const std::array<std::int64_t, worker_count>& at_least) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, Clock::now() + phase_deadline, [&] {
      for (int w = 0; w < worker_count; ++w) {
        if (counts_[what][w] < at_least[w]) return false;
      }
      return true;
    });
  }
  /// Waits until every worker has returned; false after the deadline.
  [[nodiscard]] bool wait_finished() {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, Clock::now() + phase_deadline,
                               [&] { return finished_ == worker_count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::array<std::array<std::int64_t, worker_count>, count_kinds> counts_{};
  int finished_ = 0;
};

// How a worker writes one of its rows: each adds 1 to count and to the version.
enum class Path {
  update,       // a locked update at the version last read
  increment,    // an atomic increment
  transaction,  // BEGIN, SELECT ... FOR UPDATE, a locked update, COMMIT
};
constexpr std::array paths{Path::update, Path::increment, Path::transaction};

const char* name(Path path) {
  constexpr std::array names{"update", "increment", "transaction"};
  return names[static_cast<std::size_t>(path)];
}

// One row a worker owns.
struct Owned {
  Path path = Path::update;
  Tally known;                 // as last known to be stored
  std::int64_t confirmed = 0;  // writes known to have committed
  bool in_doubt = false;       // the last write got no answer: it may have committed
};

// What one worker saw; read by the main thread only after the worker has returned.
struct Log {
  std::array<Owned, paths.size()> rows;  // one per path
  std::vector<std::string> faults;
  std::int64_t fault_count = 0;
  std::int64_t calls = 0;
  std::int64_t calls_while_down = 0;
  std::int64_t doubts_landed = 0;
  std::int64_t doubts_not_landed = 0;
  Clock::duration longest{};
  std::string longest_call;  // what it was and when

  template <class... Args>
  void fault(fmt::format_string<Args...> format, Args&&... args) {
    if (++fault_count <= 10) faults.push_back(fmt::format(format, std::forward<Args>(args)...));
  }
};

// The worker threads, and what they share with the main thread.
class Workers {
 public:
  /// Creates the rows each worker owns, at count 0 and version 1.
  Workers(std::shared_ptr<optimist::Store> store, optimist::Resource<Tally> tallies)
      : store_(std::move(store)), tallies_(std::move(tallies)) {
    for (Log& log : logs_) {
      for (std::size_t i = 0; i < paths.size(); ++i) {
        log.rows[i].path = paths[i];
        log.rows[i].known = tallies_.create(optimist::set<&Tally::count>(0)).value();
      }
    }
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { finish(); }

  void start() {
    for (int w = 0; w < worker_count; ++w) threads_.emplace_back([this, w] { work(w); });
  }
  void enter(Phase phase) { phase_ = phase; }
  Progress& progress() { return progress_; }

  /// Tells the workers to stop once no write of theirs is in doubt, and waits for them.
  void finish() {
    if (threads_.empty()) return;
    stop_ = true;
    if (!progress_.wait_finished()) {
      // The workers still use this object: there is nothing safe to do but stop here.
      std::fprintf(stderr, "a worker did not return within %lld s of being told to stop\n",
                   static_cast<long long>(phase_deadline.count()));
      std::abort();
    }
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  /// After finish(): checks what the workers saw and what is stored.
  void check(const std::string& stop_mode) {
    Log total;
    for (const Log& log : logs_) {
      for (const std::string& fault : log.faults) ADD_FAILURE() << fault;
      EXPECT_EQ(log.fault_count, 0);
      EXPECT_LT(log.longest, hang_bound)
          << log.longest_call << " outlasted every timeout together: a hang";
      EXPECT_GT(log.calls_while_down, 0) << "a worker made no call while the server was down";
      for (const Owned& row : log.rows) {
        auto stored = tallies_.get(row.known.id);
        ASSERT_TRUE(stored) << stored.error().message();
        EXPECT_EQ(stored.value().count, row.confirmed)
            << name(row.path) << " row " << row.known.id << ": a lost or doubled write";
        EXPECT_EQ(stored.value().version, 1 + row.confirmed)
            << name(row.path) << " row " << row.known.id;
      }
      total.calls += log.calls;
      total.calls_while_down += log.calls_while_down;
      total.doubts_landed += log.doubts_landed;
      total.doubts_not_landed += log.doubts_not_landed;
      if (log.longest > total.longest) {
        total.longest = log.longest;
        total.longest_call = log.longest_call;
      }
    }
    std::printf(
        "stop -m %s: %lld calls, %lld while down; writes in doubt: %lld landed, %lld not;"
        " longest call %lld ms (%s)\n",
        stop_mode.c_str(), static_cast<long long>(total.calls),
        static_cast<long long>(total.calls_while_down), static_cast<long long>(total.doubts_landed),
        static_cast<long long>(total.doubts_not_landed),
        static_cast<long long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(total.longest).count()),
        total.longest_call.c_str());
  }

 private:
  // One worker's loop: write its rows until told to stop, then settle any write in doubt.
  void work(int w) {
    Log& log = logs_[w];
    for (;;) {
      const bool stopping = stop_.load();
      bool doubt = false;
      for (Owned& row : log.rows) {
        if (row.in_doubt) {
          settle(w, log, row);
          doubt = doubt || row.in_doubt;
        } else if (!stopping) {
          write(w, log, row);
        }
      }
      if (stopping && !doubt) break;
      if (doubt) std::this_thread::yield();  // the server is down: let it start
    }
    progress_.finished();
  }

  // Runs one call of the store, timing it and checking the kind of its outcome.
  template <class F>
  auto timed(int w, Log& log, const char* what, F&& call) {
    const Phase before = phase_.load();
    const auto start = Clock::now();
    auto r = call();
    const auto took = Clock::now() - start;
    const Phase after = phase_.load();
    if (took > log.longest) {
      log.longest = took;
      log.longest_call =
          fmt::format("{} from phase {} to {}", what, phase_name(before), phase_name(after));
    }
    ++log.calls;
    const bool down = before == Phase::down && after == Phase::down;
    log.calls_while_down += down ? 1 : 0;
    if (r && down) {
      log.fault("{} succeeded while the server was down", what);
    } else if (!r && r.error().kind != ErrorKind::unavailable) {
      log.fault("{} returned {} ({})", what, r.error().kind, r.error().message());
    } else if (!r && down) {
      progress_.bump(Progress::refusals, w);
    }
    return r;
  }

  // Adds 1 to the row's count along its path.
  optimist::Result<Tally> add_one(const Owned& row) {
    switch (row.path) {
      case Path::update:
        return tallies_.update(row.known, optimist::set<&Tally::count>(row.known.count + 1));
      case Path::increment:
        return tallies_.change(row.known.id, optimist::increment<&Tally::count>(1));
      case Path::transaction:
        break;
    }
    OPTIMIST_TRY(tx, store_->begin());
    const auto in_tx = tallies_.in(*tx);
    OPTIMIST_TRY(locked, in_tx.get_for_update(row.known.id));
    OPTIMIST_TRY(updated, in_tx.update(locked, optimist::set<&Tally::count>(locked.count + 1)));
    OPTIMIST_TRYV(tx->commit());
    return updated;
  }

  void write(int w, Log& log, Owned& row) {
    auto r = timed(w, log, name(row.path), [&] { return add_one(row); });
    if (!r) {
      row.in_doubt = true;
      return;
    }
    if (r.value().version != row.known.version + 1 || r.value().count != row.known.count + 1) {
      log.fault("{} row {} went from version {} count {} to version {} count {} in one write",
                name(row.path), row.known.id, row.known.version, row.known.count, r.value().version,
                r.value().count);
    }
    row.known = r.value();
    ++row.confirmed;
    progress_.bump(Progress::commits, w);
  }

  // Reads a row whose last write is in doubt and decides whether that write landed.
  void settle(int w, Log& log, Owned& row) {
    auto r = timed(w, log, "get", [&] { return tallies_.get(row.known.id); });
    if (!r) return;  // still down
    const Tally& stored = r.value();
    if (stored.version == row.known.version + 1 && stored.count == row.known.count + 1) {
      ++row.confirmed;
      ++log.doubts_landed;
    } else if (stored.version == row.known.version && stored.count == row.known.count) {
      ++log.doubts_not_landed;
    } else {
      log.fault(
          "{} row {} is stored at version {} count {} after one write in doubt from version {}"
          " count {}",
          name(row.path), row.known.id, stored.version, stored.count, row.known.version,
          row.known.count);
    }
    row.known = stored;
    row.in_doubt = false;
  }

  std::shared_ptr<optimist::Store> store_;
  optimist::Resource<Tally> tallies_;
  std::array<Log, worker_count> logs_;
  Progress progress_;
  std::atomic<Phase> phase_{Phase::running};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Every count at least `n`.
std::array<std::int64_t, worker_count> all(std::int64_t n) {
  std::array<std::int64_t, worker_count> a{};
  a.fill(n);
  return a;
}

class PostgresRestart : public ::testing::TestWithParam<const char*> {};

TEST_P(PostgresRestart, WorkersRecoverWithNoLostOrDoubledWrite) {
  OPTIMIST_POSTGRES_URL_OR_SKIP(url);
  const std::string stop_mode = GetParam();
  // The throwaway server runs with synchronous_commit=off, which lets a crash (-m immediate)
  // drop commits it has already acknowledged; these sessions use the default, on, so that
  // what the server acknowledged survives the crash.
  const auto store =
      optimist::open(optimist::testing::fresh_postgres_url(url, {"synchronous_commit=on"}) +
                     fmt::format("&pool={}&connect_timeout={}&busy_timeout={}"
                                 "&statement_timeout={}",
                                 worker_count, connect_timeout.count(), busy_timeout.count(),
                                 statement_timeout.count()))
          .value();
  Workers run(store, optimist::Resource<Tally>::open(store).value());
  optimist::testing::PostgresServer server;  // destroyed first: the server runs when `run` ends
  Progress& progress = run.progress();
  run.start();

  EXPECT_TRUE(progress.wait_all(Progress::commits, all(commits_per_phase)))
      << "the workers did not commit " << commits_per_phase << " times each before the stop";
  run.enter(Phase::stopping);
  ASSERT_TRUE(server.stop("-m " + stop_mode));
  run.enter(Phase::down);
  EXPECT_TRUE(progress.wait_all(Progress::refusals, all(refusals_per_worker)))
      << "not every worker saw " << refusals_per_worker << " calls fail while the server was down";
  run.enter(Phase::starting);
  ASSERT_TRUE(server.start());
  run.enter(Phase::up);
  auto target = progress.snapshot(Progress::commits);
  for (auto& n : target) n += commits_per_phase;
  EXPECT_TRUE(progress.wait_all(Progress::commits, target))
      << "the store did not recover: not every worker committed " << commits_per_phase
      << " more times after the restart";
  run.finish();
  run.check(stop_mode);
}

INSTANTIATE_TEST_SUITE_P(StopMode, PostgresRestart, ::testing::Values("fast", "immediate"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
