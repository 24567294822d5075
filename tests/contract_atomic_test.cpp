// SPDX-License-Identifier: MIT
// Atomic changes on every backend: applied in place, never stale, bumping the version.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "resources/counter.hpp"
#include "resources/player.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace {

using app::Counter;
using app::Player;
using optimist::decrement;
using optimist::ErrorKind;
using optimist::increment;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;

class AtomicChangeTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(AtomicChangeTest);

TEST_P(AtomicChangeTest, ReturnsTheStoredRecordWithTheNewVersion) {
  const optimist::Resource<Player> players{store};
  const Player ann = players.create_or_throw(set<&Player::name>("Ann"));
  const Player other = players.create_or_throw(set<&Player::name>("Bob"));
  players.change_or_throw(ann.id, increment<&Player::points>(5));

  // The caller's copy is stale (points 0, version 1); the result is what is stored.
  const auto changed = players.change(ann, increment<&Player::points>(3));
  ASSERT_THAT(changed, IsOk());
  EXPECT_EQ(changed.value().points, 8);
  EXPECT_EQ(changed.value().version, 3);
  EXPECT_EQ(changed.value().name, "Ann");
  const Player stored = players.get_or_throw(ann.id);
  EXPECT_EQ(stored.points, 8);
  EXPECT_EQ(stored.version, 3);
  EXPECT_EQ(players.get_or_throw(other.id).points, 0);

  const auto down = players.change(ann.id, decrement<&Player::points>(10));
  ASSERT_THAT(down, IsOk());
  EXPECT_EQ(down.value().points, -2);
  EXPECT_EQ(down.value().version, 4);
}

TEST_P(AtomicChangeTest, BumpsTheVersionSoOlderCopiesAreStale) {
  const optimist::Resource<Player> players{store};
  const Player copy = players.create_or_throw(set<&Player::name>("Ann"));
  ASSERT_THAT(players.change(copy, increment<&Player::points>(1)), IsOk());
  const auto r = players.update(copy, set<&Player::name>("Anne"));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(r.error().stored_version, 2);
}

TEST_P(AtomicChangeTest, LockedVariantChecksTheVersionInTheSameStep) {
  const optimist::Resource<Player> players{store};
  const Player copy = players.create_or_throw(set<&Player::name>("Ann"));
  const auto first = players.change_locked(copy, increment<&Player::points>(3));
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first.value().points, 3);
  EXPECT_EQ(first.value().version, 2);

  const auto stale = players.change_locked(copy, increment<&Player::points>(3));
  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  ASSERT_TRUE(stale.error().filter.has_value());
  EXPECT_EQ(stale.error().filter->expected, 1);
  EXPECT_EQ(stale.error().stored_version, 2);
  EXPECT_EQ(players.get_or_throw(copy.id).points, 3) << "a stale locked change wrote";

  ASSERT_THAT(players.change_locked(first.value(), increment<&Player::points>(1)), IsOk());
}

TEST_P(AtomicChangeTest, MissingRecordIsNotFound) {
  const optimist::Resource<Player> players{store};
  EXPECT_THAT(players.change(4242, increment<&Player::points>(1)),
              HasErrorKind(ErrorKind::not_found));
  Player ghost;
  ghost.id = 4242;
  EXPECT_THAT(players.change_locked(ghost, increment<&Player::points>(1)),
              HasErrorKind(ErrorKind::not_found));
}

TEST_P(AtomicChangeTest, TwoPlayersHoldingStaleCopiesBothResultsLand) {
  const optimist::Resource<Player> players{store};
  // Two match reporters loaded both players before either result was recorded.
  const Player ann = players.create_or_throw(set<&Player::name>("Ann"));
  const Player bob = players.create_or_throw(set<&Player::name>("Bob"));
  const Player ann_copy = ann;
  const Player bob_copy = bob;

  // Match 1: Bob concedes, Ann wins (+3). Match 2: a draw (+1 each), from the old copies.
  ASSERT_THAT(players.change(ann_copy, increment<&Player::points>(3)), IsOk());
  ASSERT_THAT(players.change(ann_copy, increment<&Player::points>(1)), IsOk());
  ASSERT_THAT(players.change(bob_copy, increment<&Player::points>(1)), IsOk());

  const Player ann_now = players.get_or_throw(ann.id);
  const Player bob_now = players.get_or_throw(bob.id);
  EXPECT_EQ(ann_now.points, 4) << "a result was lost";
  EXPECT_EQ(ann_now.version, 3);
  EXPECT_EQ(bob_now.points, 1);
  EXPECT_EQ(bob_now.version, 2);
}

TEST_P(AtomicChangeTest, ConcurrentIncrementsLoseNothingAndAreNeverStale) {
  constexpr int threads = 4;
  const int iterations = std::min(10'000, GetParam().iterations);
  const optimist::Resource<Counter> counters{store};
  const Counter counter = counters.create_or_throw(set<&Counter::name>("hits"));

  std::atomic<int> failures{0};
  std::latch start{threads};
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < iterations; ++i) {
        if (!counters.change(counter.id, increment<&Counter::value>(1))) ++failures;
      }
    });
  }
  workers.clear();

  EXPECT_EQ(failures.load(), 0) << "an atomic change failed (stale or otherwise)";
  const Counter final = counters.get_or_throw(counter.id);
  EXPECT_EQ(final.value, std::int64_t{threads} * iterations) << "increments were lost";
  EXPECT_EQ(final.version, 1 + std::int64_t{threads} * iterations);
}

TEST_P(AtomicChangeTest, OverflowIsOutOfRangeAndWritesNothing) {
  const optimist::Resource<Counter> counters{store};
  const Counter c =
      counters.create_or_throw(set<&Counter::name>("big"), set<&Counter::value>(INT64_MAX - 1));
  const auto r = counters.change(c.id, increment<&Counter::value>(2));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  ASSERT_EQ(r.error().fields.size(), 1U);
  EXPECT_EQ(r.error().fields[0].reason, optimist::FieldReason::out_of_range);
  const Counter stored = counters.get_or_throw(c.id);
  EXPECT_EQ(stored.value, INT64_MAX - 1);
  EXPECT_EQ(stored.version, 1);
}

}  // namespace
