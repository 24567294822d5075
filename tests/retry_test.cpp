// SPDX-License-Identifier: MIT
// optimist::retry(): which kinds it re-runs, when it stops, what it reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "resources/counter.hpp"
#include "support/matchers.hpp"

namespace {

using app::Counter;
using optimist::ErrorKind;
using optimist::make_error;
using optimist::Result;
using optimist::RetryPolicy;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using std::chrono::microseconds;

constexpr RetryPolicy no_wait = RetryPolicy::immediate(5);

TEST(RetryTest, SucceedsAtFirstAttemptWithoutRetrying) {
  int calls = 0;
  auto out = optimist::retry(no_wait, [&]() -> Result<int> { return ++calls; });
  EXPECT_THAT(out.result, IsOk());
  EXPECT_EQ(out.result.value(), 1);
  EXPECT_EQ(out.attempts, 1);
  EXPECT_EQ(calls, 1);
}

TEST(RetryTest, RetriesStaleRecordUntilSuccessAndCountsAttempts) {
  int calls = 0;
  auto out = optimist::retry(no_wait, [&]() -> Result<int> {
    if (++calls < 3) return make_error(ErrorKind::stale_record);
    return 42;
  });
  EXPECT_THAT(out.result, IsOk());
  EXPECT_EQ(out.attempts, 3);
  EXPECT_EQ(calls, 3);
}

TEST(RetryTest, RetriesUnavailable) {
  int calls = 0;
  auto out = optimist::retry(no_wait, [&]() -> Result<void> {
    if (++calls < 2) return make_error(ErrorKind::unavailable);
    return optimist::ok();
  });
  EXPECT_THAT(out.result, IsOk());
  EXPECT_EQ(out.attempts, 2);
}

TEST(RetryTest, StopsAtMaxAttemptsAndReportsTheLastError) {
  int calls = 0;
  auto out = optimist::retry(no_wait, [&]() -> Result<int> {
    ++calls;
    // The last attempt fails differently, to show which error is reported.
    return make_error(calls < 5 ? ErrorKind::stale_record : ErrorKind::unavailable);
  });
  EXPECT_THAT(out.result, HasErrorKind(ErrorKind::unavailable));
  EXPECT_FALSE(out);
  EXPECT_EQ(out.attempts, 5);
  EXPECT_EQ(calls, 5);
}

TEST(RetryTest, DoesNotRetryOtherKinds) {
  for (const auto& kind : {ErrorKind::not_found, ErrorKind::invalid, ErrorKind::conflict,
                           ErrorKind::forbidden, ErrorKind::internal}) {
    int calls = 0;
    auto out = optimist::retry(no_wait, [&]() -> Result<int> {
      ++calls;
      return make_error(kind);
    });
    EXPECT_THAT(out.result, HasErrorKind(kind));
    EXPECT_EQ(out.attempts, 1) << kind.name;
    EXPECT_EQ(calls, 1) << kind.name;
  }
}

TEST(RetryTest, AtLeastOneAttemptEvenWithANonPositiveMaximum) {
  int calls = 0;
  auto out = optimist::retry(RetryPolicy::immediate(0), [&]() -> Result<int> {
    ++calls;
    return make_error(ErrorKind::stale_record);
  });
  EXPECT_EQ(out.attempts, 1);
  EXPECT_EQ(calls, 1);
}

TEST(RetryTest, PassesTheAttemptNumberWhenTheCallableTakesOne) {
  std::vector<int> seen;
  auto out = optimist::retry(no_wait, [&](int attempt) -> Result<int> {
    seen.push_back(attempt);
    if (attempt < 3) return make_error(ErrorKind::stale_record);
    return attempt;
  });
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 2, 3));
  EXPECT_EQ(out.result.value(), 3);
}

TEST(RetryTest, BackoffCapGrowsExponentiallyUpToTheMaximum) {
  const RetryPolicy policy{.max_attempts = 10,
                           .initial_backoff = microseconds{100},
                           .max_backoff = microseconds{1000},
                           .multiplier = 2.0};
  EXPECT_EQ(optimist::backoff_cap(policy, 1), microseconds{100});
  EXPECT_EQ(optimist::backoff_cap(policy, 2), microseconds{200});
  EXPECT_EQ(optimist::backoff_cap(policy, 3), microseconds{400});
  EXPECT_EQ(optimist::backoff_cap(policy, 4), microseconds{800});
  EXPECT_EQ(optimist::backoff_cap(policy, 5), microseconds{1000});
  EXPECT_EQ(optimist::backoff_cap(policy, 50), microseconds{1000});
  EXPECT_EQ(optimist::backoff_cap(no_wait, 3), microseconds{0});
}

TEST(RetryTest, JitteredDelayStaysWithinTheCap) {
  const RetryPolicy policy{.initial_backoff = microseconds{10}, .max_backoff = microseconds{80}};
  std::minstd_rand rng{7};
  for (int failed = 1; failed <= 6; ++failed) {
    for (int i = 0; i < 200; ++i) {
      const auto d = optimist::backoff_delay(policy, failed, rng);
      EXPECT_GE(d.count(), 0);
      EXPECT_LE(d, optimist::backoff_cap(policy, failed));
    }
  }
}

TEST(RetryTest, ReloadAndRedoCommitsAgainstARealStore) {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Counter> counters{store};
  const Counter created = counters.create_or_throw(set<&Counter::name>("c"));
  // Someone else commits between our first read and write: the first attempt is stale.
  bool interfered = false;
  auto out = optimist::retry(no_wait, [&]() -> Result<Counter> {
    OPTIMIST_TRY(current, counters.get(created.id));
    if (!interfered) {
      interfered = true;
      (void)counters.update_or_throw(current, set<&Counter::value>(current.value + 10));
    }
    return counters.update(current, set<&Counter::value>(current.value + 1));
  });
  ASSERT_THAT(out.result, IsOk());
  EXPECT_EQ(out.attempts, 2);
  EXPECT_EQ(out.result.value().value, 11);
  EXPECT_EQ(out.result.value().version, 3);
}

}  // namespace
