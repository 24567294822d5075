// SPDX-License-Identifier: MIT
// Floating-point, boolean and optional attributes on every backend: the same values come
// back, and what one store cannot hold (NaN, infinities) no store accepts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "support/backend.hpp"
#include "support/gauge.hpp"
#include "support/matchers.hpp"

namespace {

using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::increment;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Gauge;
using ::testing::ElementsAre;

constexpr double max = std::numeric_limits<double>::max();
constexpr double inf = std::numeric_limits<double>::infinity();
const double nan = std::numeric_limits<double>::quiet_NaN();

class RealTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    auto opened = optimist::Resource<Gauge>::open(store);
    ASSERT_THAT(opened, IsOk());
    gauges.emplace(std::move(opened).value());
  }

  /// Expects `r` to be invalid with the one field error {reading, out_of_range}.
  template <class R>
  static void expect_reading_out_of_range(const R& r) {
    ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"reading", FieldReason::out_of_range}));
  }

  std::optional<optimist::Resource<Gauge>> gauges;
};
OPTIMIST_CONTRACT(RealTest);

TEST_P(RealTest, DoublesBooleansAndNullsComeBackAsStored) {
  for (const double v : {0.1, 0.1 + 0.2, 5e-324, 1e-310, max, -max, 1e15 + 0.3}) {
    const Gauge g = gauges->create_or_throw(set<&Gauge::reading>(v), set<&Gauge::active>(true),
                                            set<&Gauge::note>(std::nullopt),
                                            set<&Gauge::limit>(std::int64_t{-7}));
    const Gauge stored = gauges->get_or_throw(g.id);
    EXPECT_EQ(stored.reading, v);
    EXPECT_TRUE(stored.active);
    EXPECT_EQ(stored.note, std::nullopt);
    EXPECT_EQ(stored.limit, -7);
  }
}

// Found by differential testing (seed 18): SQLite stores NaN as NULL (a NOT NULL violation) where
// the memory store and PostgreSQL kept it, and lets infinities through.
TEST_P(RealTest, NanAndInfinityAreOutOfRangeAndWriteNothing) {
  expect_reading_out_of_range(gauges->create(set<&Gauge::reading>(nan)));
  expect_reading_out_of_range(gauges->create(set<&Gauge::reading>(-inf)));
  const Gauge g = gauges->create_or_throw(set<&Gauge::reading>(1.5));
  expect_reading_out_of_range(gauges->update(g, set<&Gauge::reading>(inf)));
  expect_reading_out_of_range(gauges->change(g.id, increment<&Gauge::reading>(nan)));
  expect_reading_out_of_range(gauges->change_locked(g, increment<&Gauge::reading>(inf)));
  const Gauge stored = gauges->get_or_throw(g.id);
  EXPECT_EQ(stored.reading, 1.5);
  EXPECT_EQ(stored.version, 1);
}

// Found by differential testing (seed 12): the memory store and SQLite stored infinity where
// PostgreSQL failed without naming the column.
TEST_P(RealTest, ASumPastTheLargestDoubleIsOutOfRangeAndWritesNothing) {
  const Gauge g = gauges->create_or_throw(set<&Gauge::reading>(max));
  expect_reading_out_of_range(gauges->change(g.id, increment<&Gauge::reading>(max)));
  expect_reading_out_of_range(gauges->change(g, optimist::decrement<&Gauge::reading>(-max)));
  const Gauge stored = gauges->get_or_throw(g.id);
  EXPECT_EQ(stored.reading, max);
  EXPECT_EQ(stored.version, 1);
  EXPECT_THAT(gauges->change(g.id, increment<&Gauge::reading>(-max)), IsOk());
  EXPECT_EQ(gauges->get_or_throw(g.id).reading, 0.0);
}

// Found by differential testing (differential_test, seed 27): SQLite read -0.0 back as 0.0,
// the memory store and PostgreSQL as -0.0.
TEST_P(RealTest, NegativeZeroIsStoredAsZero) {
  const Gauge g = gauges->create_or_throw(set<&Gauge::reading>(-0.0));
  EXPECT_FALSE(std::signbit(gauges->get_or_throw(g.id).reading));
  const Gauge moved = gauges->update_or_throw(g, set<&Gauge::reading>(2.5));
  (void)gauges->update_or_throw(moved, set<&Gauge::reading>(-0.0));
  const Gauge stored = gauges->get_or_throw(g.id);
  EXPECT_EQ(stored.reading, 0.0);
  EXPECT_FALSE(std::signbit(stored.reading));
}

}  // namespace
