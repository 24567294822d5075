// SPDX-License-Identifier: MIT
// Invariants under contention, on every backend: no lost update, no resurrection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "resources/address.hpp"
#include "resources/counter.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"
#include "support/rendezvous.hpp"

namespace {

using app::Address;
using app::Counter;
using optimist::ErrorKind;
using optimist::set;
using optimist::testing::IsOk;

class ConcurrencyTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(ConcurrencyTest);

TEST_P(ConcurrencyTest, ReadModifyWriteWithRetryLosesNoIncrement) {
  constexpr int threads = 4;
  const int iterations = GetParam().iterations;
  const optimist::Resource<Counter> counters{store};
  const Counter counter = counters.create_or_throw(set<&Counter::name>("hits"));

  std::atomic<std::int64_t> commits{0};
  std::atomic<std::int64_t> conflicts{0};
  std::atomic<std::int64_t> failures{0};
  std::latch start{threads};
  optimist::testing::Rendezvous rendezvous{threads, 1000};
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < iterations; ++i) {
        for (int attempt = 0;; ++attempt) {
          auto current = counters.get(counter.id);
          if (!current) {
            ++failures;
            return rendezvous.leave();
          }
          rendezvous.between_read_and_write(i, attempt);
          auto r =
              counters.update(current.value(), set<&Counter::value>(current.value().value + 1));
          if (r) {
            ++commits;
            break;
          }
          if (r.error().kind == ErrorKind::stale_record) {
            ++conflicts;
          } else if (r.error().kind != ErrorKind::unavailable) {
            ++failures;
            return rendezvous.leave();
          }
        }
      }
    });
  }
  workers.clear();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(commits.load(), std::int64_t{threads} * iterations);
  const Counter final = counters.get_or_throw(counter.id);
  EXPECT_EQ(final.value, commits.load()) << "lost updates";
  EXPECT_EQ(final.version, 1 + commits.load());
  EXPECT_GT(conflicts.load(), 0) << "no contention was observed; the test proved nothing";
}

TEST_P(ConcurrencyTest, LockingReadsInsideTransactionsNeverSeeAStaleRecord) {
  constexpr int threads = 4;
  const int iterations = std::max(1, GetParam().iterations / 20);
  const optimist::Resource<Counter> counters{store};
  const Counter counter = counters.create_or_throw(set<&Counter::name>("locked"));

  std::atomic<std::int64_t> commits{0};
  std::atomic<std::int64_t> stale{0};
  std::atomic<std::int64_t> failures{0};
  std::latch start{threads};
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < iterations; ++i) {
        while (true) {
          auto tx = store->begin();
          if (!tx) {
            if (tx.error().kind == ErrorKind::unavailable) continue;
            ++failures;
            return;
          }
          const auto in_tx = counters.in(*tx.value());
          auto current = in_tx.get_for_update(counter.id);
          auto r = current ? in_tx.update(current.value(),
                                          set<&Counter::value>(current.value().value + 1))
                           : optimist::Result<Counter>(current.error());
          auto done = r ? tx.value()->commit() : optimist::Result<void>(r.error());
          if (done) {
            ++commits;
            break;
          }
          if (done.error().kind == ErrorKind::stale_record) ++stale;
          if (done.error().kind != ErrorKind::unavailable) {
            ++failures;
            return;
          }
        }
      }
    });
  }
  workers.clear();

  EXPECT_EQ(stale.load(), 0) << "a locking read let another writer in";
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(commits.load(), std::int64_t{threads} * iterations);
  const Counter final = counters.get_or_throw(counter.id);
  EXPECT_EQ(final.value, commits.load());
  EXPECT_EQ(final.version, 1 + commits.load());
}

TEST_P(ConcurrencyTest, DestroyRacingUpdateHasExactlyOneWinnerAndNothingComesBack) {
  const optimist::Resource<Address> addresses{store};
  constexpr int rounds = 200;
  int destroys_won = 0;
  int updates_won = 0;
  for (int round = 0; round < rounds; ++round) {
    const Address a =
        addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
    std::latch start{2};
    optimist::Result<void> destroyed = optimist::ok();
    optimist::Result<Address> updated = a;
    {
      std::jthread destroyer([&] {
        start.arrive_and_wait();
        destroyed = addresses.destroy(a);
      });
      std::jthread updater([&] {
        start.arrive_and_wait();
        updated = addresses.update(a, set<&Address::county>("Polk"));
      });
    }
    ASSERT_NE(destroyed.has_value(), updated.has_value()) << "round " << round;
    auto after = addresses.get(a.id);
    if (destroyed) {
      ++destroys_won;
      EXPECT_TRUE(updated.error().kind == ErrorKind::stale_record ||
                  updated.error().kind == ErrorKind::not_found)
          << updated.error().message();
      EXPECT_EQ(after.error().kind, ErrorKind::not_found) << "the record came back to life";
    } else {
      ++updates_won;
      EXPECT_EQ(destroyed.error().kind, ErrorKind::stale_record) << destroyed.error().message();
      ASSERT_THAT(after, IsOk());
      EXPECT_EQ(after.value().version, 2);
      EXPECT_EQ(after.value().county, "Polk");
    }
  }
  EXPECT_EQ(destroys_won + updates_won, rounds);
}

}  // namespace
