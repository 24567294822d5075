// SPDX-License-Identifier: MIT
// optimist-bench's summary of repeated rounds: the median and its 95 % confidence interval.
#include <gtest/gtest.h>

#include "stats.hpp"

namespace {

using bench::median_interval_ranks;
using bench::summarize;
using Ranks = std::pair<std::size_t, std::size_t>;

TEST(MedianInterval, NeedsSixValuesForNinetyFivePercent) {
  // With 5 values the extremes cover the median with probability 1 - 2/32 < 95 %.
  for (std::size_t n = 0; n <= 5; ++n) EXPECT_FALSE(median_interval_ranks(n)) << n;
  EXPECT_EQ(median_interval_ranks(6), Ranks(1, 6));
}

TEST(MedianInterval, MatchesTheBinomialTables) {
  EXPECT_EQ(median_interval_ranks(10), Ranks(2, 9));
  EXPECT_EQ(median_interval_ranks(20), Ranks(6, 15));
  EXPECT_EQ(median_interval_ranks(30), Ranks(10, 21));
  EXPECT_EQ(median_interval_ranks(100), Ranks(40, 61));
  EXPECT_EQ(median_interval_ranks(1000), Ranks(469, 532));
}

TEST(Summarize, TakesTheMiddleOfSortedValues) {
  const auto odd = summarize({3, 1, 2});
  EXPECT_EQ(odd.median, 2);
  EXPECT_EQ(odd.lowest, 1);
  EXPECT_EQ(odd.highest, 3);
  EXPECT_FALSE(odd.interval);
  EXPECT_EQ(summarize({4, 1, 3, 2}).median, 2.5);
}

TEST(Summarize, BoundsTheIntervalByTheRankedValues) {
  std::vector<double> values;
  for (int i = 20; i >= 1; --i) values.push_back(i / 10.0);  // 0.1 .. 2.0, reversed
  const auto s = summarize(values);
  ASSERT_TRUE(s.interval);
  EXPECT_DOUBLE_EQ(s.interval->first, 0.6);   // the 6th smallest
  EXPECT_DOUBLE_EQ(s.interval->second, 1.5);  // the 15th
  EXPECT_DOUBLE_EQ(s.median, 1.05);
}

}  // namespace
