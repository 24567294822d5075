// SPDX-License-Identifier: MIT
// Floating-point zeros on every backend: -0.0 comes back as 0.0 everywhere, as SQLite, which
// keeps no sign on a zero, must return it. (NaN, infinities and overflowing sums are in
// contract_bad_numbers_test.cpp.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "support/backend.hpp"
#include "support/gauge.hpp"
#include "support/matchers.hpp"

namespace {

using optimist::set;
using optimist::testing::IsOk;
using test_app::Gauge;

class RealTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    auto opened = optimist::Resource<Gauge>::open(store);
    ASSERT_THAT(opened, IsOk());
    gauges.emplace(std::move(opened).value());
  }

  std::optional<optimist::Resource<Gauge>> gauges;
};
OPTIMIST_CONTRACT(RealTest);

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
