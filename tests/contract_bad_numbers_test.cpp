// SPDX-License-Identifier: MIT
// Numbers at the edges, on every backend: keys that name no record (0, -1, the 64-bit
// extremes), versions that are stale or impossible, atomic changes whose sum does not fit.
// Each case gets its documented kind and detail and writes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "support/backend.hpp"
#include "support/matchers.hpp"
#include "support/profile.hpp"

namespace {

using optimist::decrement;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::Filter;
using optimist::increment;
using optimist::set;
using optimist::testing::HasErrorKind;
using test_app::Profile;
using test_app::WithOneProfile;
using ::testing::ElementsAre;

constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();

/// A key that no record has.
struct UnknownKey {
  std::string name;
  std::int64_t key;
};

const std::vector<UnknownKey> unknown_keys = {
    {"Zero", 0},         {"MinusOne", -1}, {"Int64Min", min64},
    {"Int64Max", max64}, {"NextKey", 2},   {"FarAbove", std::int64_t{1} << 40},
};

class UnknownKeyTest : public WithOneProfile<UnknownKey> {};
OPTIMIST_CONTRACT_CASES(UnknownKeyTest, unknown_keys);

TEST_P(UnknownKeyTest, IsNotFoundForEveryCallAndWritesNothing) {
  const std::int64_t key = test_case().key;
  Profile ghost = kept;
  ghost.id = key;
  auto expect_not_found = [&](const auto& r, const char* action) {
    ASSERT_THAT(r, HasErrorKind(ErrorKind::not_found)) << action;
    EXPECT_EQ(r.error().key, key) << action;
    EXPECT_EQ(r.error().action, action);
    EXPECT_EQ(r.error().resource, "Profile");
  };
  expect_not_found(profiles->get(key), "read");
  expect_not_found(profiles->get_for_update(key), "read");
  expect_not_found(profiles->update(ghost, set<&Profile::bio>("x")), "update");
  expect_not_found(profiles->update(ghost), "update");
  expect_not_found(profiles->destroy(ghost), "destroy");
  expect_not_found(profiles->change(key, increment<&Profile::karma>(1)), "update");
  expect_not_found(profiles->change_locked(ghost, increment<&Profile::karma>(1)), "update");
  {
    auto tx = store->begin().value();
    expect_not_found(profiles->in(*tx).get_for_update(key), "read");
    expect_not_found(profiles->in(*tx).update(ghost, set<&Profile::bio>("x")), "update");
    ASSERT_THAT(tx->commit(), optimist::testing::IsOk());
  }
  expect_only(kept);
  EXPECT_THAT(profiles->get(key), HasErrorKind(ErrorKind::not_found));
}

/// A version a locked write is given; `stale` says the stored record (version 1) refuses it
/// as stale_record, else it is invalid before any I/O.
struct BadVersion {
  std::string name;
  std::int64_t version;
  bool stale;
};

const std::vector<BadVersion> bad_versions = {
    {"Zero", 0, false},        {"MinusOne", -1, false}, {"Int64Min", min64, false},
    {"Int64Max", max64, true}, {"OneAhead", 2, true},
};

class BadVersionTest : public WithOneProfile<BadVersion> {};
OPTIMIST_CONTRACT_CASES(BadVersionTest, bad_versions);

TEST_P(BadVersionTest, IsRefusedByEveryLockedWriteAndWritesNothing) {
  const BadVersion& c = test_case();
  Profile copy = kept;
  copy.version = c.version;
  auto expect_refused = [&](const auto& r, const char* action) {
    if (c.stale) {
      ASSERT_THAT(r, HasErrorKind(ErrorKind::stale_record)) << action;
      EXPECT_EQ(r.error().filter, (Filter{"version", c.version})) << action;
      EXPECT_EQ(r.error().stored_version, 1) << action;
      EXPECT_EQ(r.error().key, kept.id) << action;
    } else {
      ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid)) << action;
      EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"version", FieldReason::out_of_range}))
          << action;
    }
    EXPECT_EQ(r.error().action, action);
  };
  expect_refused(profiles->update(copy, set<&Profile::bio>("x")), "update");
  expect_refused(profiles->update(copy), "update");
  expect_refused(profiles->destroy(copy), "destroy");
  expect_refused(profiles->change_locked(copy, increment<&Profile::karma>(1)), "update");
  if (!c.stale) {
    // Refused before any I/O: a record that does not exist makes no difference.
    copy.id = 99;
    expect_refused(profiles->update(copy, set<&Profile::bio>("x")), "update");
    expect_refused(profiles->destroy(copy), "destroy");
  }
  expect_only(kept);
}

/// An atomic change of attribute M from `stored` whose amount or sum does not fit.
template <auto M>
struct Overflow {
  std::string name;
  optimist::detail::value_t<M> stored;
  optimist::Delta<M> delta;
};

/// The test of Overflow<M> cases; `Other` is another numeric attribute, changed beside M.
template <auto M, auto Other>
class OverflowTest : public WithOneProfile<Overflow<M>> {
 protected:
  void expect_out_of_range_and_nothing_written(const std::string& column) {
    const Overflow<M>& c = this->test_case();
    const Profile start = this->profiles->update_or_throw(this->kept, set<M>(c.stored));
    auto expect_out_of_range = [&](const auto& r) {
      ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
      EXPECT_THAT(r.error().fields, ElementsAre(FieldError{column, FieldReason::out_of_range}));
      EXPECT_EQ(r.error().key, start.id);
      EXPECT_EQ(r.error().action, "update");
    };
    expect_out_of_range(this->profiles->change(start.id, c.delta));
    expect_out_of_range(this->profiles->change_locked(start, c.delta));
    expect_out_of_range(this->profiles->change(start, increment<Other>(1), c.delta));
    this->expect_only(start);
  }
};

const std::vector<Overflow<& Profile::karma>> integer_overflows = {
    {"MaxPlusOne", max64, increment<&Profile::karma>(1)},
    {"NearMaxPlusTwo", max64 - 1, increment<&Profile::karma>(2)},
    {"OnePlusMax", 1, increment<&Profile::karma>(max64)},
    {"MinMinusOne", min64, decrement<&Profile::karma>(1)},
    {"MinusTwoPlusMin", -2, increment<&Profile::karma>(min64)},
    {"MinusTwoMinusMax", -2, decrement<&Profile::karma>(max64)},
    // Amounts that have no 64-bit value: refused before any I/O.
    {"DecrementByMin", 0, decrement<&Profile::karma>(min64)},
    {"UnsignedJustAboveMax", 0, increment<&Profile::karma>(std::uint64_t{1} << 63)},
    {"UnsignedMax", 0, increment<&Profile::karma>(std::numeric_limits<std::uint64_t>::max())},
};

using IntegerOverflowTest = OverflowTest<&Profile::karma, &Profile::rating>;
OPTIMIST_CONTRACT_CASES(IntegerOverflowTest, integer_overflows);

TEST_P(IntegerOverflowTest, IsOutOfRangeAndWritesNothing) {
  expect_out_of_range_and_nothing_written("karma");
}

constexpr double inf = std::numeric_limits<double>::infinity();

const std::vector<Overflow<& Profile::rating>> real_overflows = {
    {"NanAmount", 0, increment<&Profile::rating>(std::numeric_limits<double>::quiet_NaN())},
    {"InfiniteAmount", 0, increment<&Profile::rating>(inf)},
    {"DecrementByInfinity", 0, decrement<&Profile::rating>(inf)},
    {"MaxPlusMax", std::numeric_limits<double>::max(),
     increment<&Profile::rating>(std::numeric_limits<double>::max())},
    {"LowestMinusHalfMax", std::numeric_limits<double>::lowest(),
     decrement<&Profile::rating>(std::numeric_limits<double>::max() / 2)},
};

using RealOverflowTest = OverflowTest<&Profile::rating, &Profile::karma>;
OPTIMIST_CONTRACT_CASES(RealOverflowTest, real_overflows);

TEST_P(RealOverflowTest, IsOutOfRangeAndWritesNothing) {
  expect_out_of_range_and_nothing_written("rating");
}

/// A floating-point value for rating: refused (not finite) or stored exactly.
struct RealValue {
  std::string name;
  double value;
  bool refused;
};

const std::vector<RealValue> real_values = {
    {"Nan", std::numeric_limits<double>::quiet_NaN(), true},
    {"Infinity", inf, true},
    {"NegativeInfinity", -inf, true},
    {"Max", std::numeric_limits<double>::max(), false},
    {"Lowest", std::numeric_limits<double>::lowest(), false},
    {"SmallestSubnormal", std::numeric_limits<double>::denorm_min(), false},
    {"OneThird", 1.0 / 3.0, false},
};

class RealValueTest : public WithOneProfile<RealValue> {};
OPTIMIST_CONTRACT_CASES(RealValueTest, real_values);

TEST_P(RealValueTest, IsRefusedWhenNotFiniteAndElseStoredExactly) {
  const RealValue& c = test_case();
  const auto created =
      profiles->create(set<&Profile::handle>("new"), set<&Profile::rating>(c.value));
  const auto updated = profiles->update(kept, set<&Profile::rating>(c.value));
  if (c.refused) {
    for (const auto* r : {&created, &updated}) {
      ASSERT_THAT(*r, HasErrorKind(ErrorKind::invalid));
      EXPECT_THAT(r->error().fields, ElementsAre(FieldError{"rating", FieldReason::out_of_range}));
    }
    expect_only(kept);
    return;
  }
  ASSERT_THAT(created, optimist::testing::IsOk());
  ASSERT_THAT(updated, optimist::testing::IsOk());
  EXPECT_EQ(profiles->get_or_throw(created.value().id).rating, c.value);
  EXPECT_EQ(profiles->get_or_throw(kept.id).rating, c.value);
}

}  // namespace
