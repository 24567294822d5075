// SPDX-License-Identifier: MIT
// Versions never wrap: on every backend and for every integral version type, a write that
// would take a record past its type's maximum is refused as invalid and writes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>

#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace app {

/// The largest version a V holds in optimist: its maximum, or INT64_MAX when larger.
template <class V>
constexpr V top_version() {
  if constexpr (std::cmp_less(std::numeric_limits<std::int64_t>::max(),
                              std::numeric_limits<V>::max())) {
    return static_cast<V>(std::numeric_limits<std::int64_t>::max());
  } else {
    return std::numeric_limits<V>::max();
  }
}

/// A record whose version starts one below its type's limit.
template <class V>
struct Meter {
  std::int64_t id = 0;
  V version = top_version<V>() - 1;
  std::int64_t reading = 0;
};

template <class V>
constexpr std::string_view meter_table() {
  if constexpr (std::is_same_v<V, std::int8_t>) return "meters_i8";
  if constexpr (std::is_same_v<V, std::uint8_t>) return "meters_u8";
  if constexpr (std::is_same_v<V, std::int16_t>) return "meters_i16";
  if constexpr (std::is_same_v<V, std::uint16_t>) return "meters_u16";
  if constexpr (std::is_same_v<V, std::int32_t>) return "meters_i32";
  if constexpr (std::is_same_v<V, std::uint32_t>) return "meters_u32";
  if constexpr (std::is_same_v<V, std::int64_t>) return "meters_i64";
  if constexpr (std::is_same_v<V, std::uint64_t>) return "meters_u64";
}

}  // namespace app

template <class V>
struct optimist::Definition<app::Meter<V>> {
  using M = app::Meter<V>;
  static constexpr auto resource = optimist::resource<M>(
      "Meter", app::meter_table<V>(), optimist::primary_key<&M::id>("id"),
      optimist::version<&M::version>("version"), optimist::attribute<&M::reading>("reading"));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &M::reading>;
  using update = optimist::Update<"update", &M::reading>;
  using destroy = optimist::Destroy<"destroy">;
};

namespace {

using app::Meter;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::increment;
using optimist::set;
using optimist::Unit;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;

const FieldError version_out_of_range{"version", FieldReason::out_of_range};

class VersionLimitTest : public optimist::testing::BackendTest {
 protected:
  // A record of `meters` brought to the last version its type holds, by a locked update.
  template <class V>
  Meter<V> at_the_limit(const optimist::Resource<Meter<V>>& meters) {
    const Meter<V> created = meters.create_or_throw(set<&Meter<V>::reading>(1));
    EXPECT_EQ(created.version, app::top_version<V>() - 1);
    auto last = meters.update(created, set<&Meter<V>::reading>(2));
    EXPECT_THAT(last, IsOk());
    EXPECT_EQ(last.value().version, app::top_version<V>());
    EXPECT_EQ(meters.get_or_throw(created.id).version, app::top_version<V>());
    return last.value();
  }

  // Every write path on a record at the limit: the bumping ones are refused and write
  // nothing; the version check without changes and the destroy still work.
  template <class V>
  void check() {
    SCOPED_TRACE(std::string(app::meter_table<V>()));
    using M = Meter<V>;
    const optimist::Resource<M> meters{store};
    const M full = at_the_limit(meters);

    const auto updated = meters.update(full, set<&M::reading>(3));
    ASSERT_THAT(updated, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(updated.error().fields, ElementsAre(version_out_of_range));
    EXPECT_EQ(updated.error().key, full.id);

    const auto from_input = meters.update_from(full, {{"reading", std::int64_t{3}}});
    ASSERT_THAT(from_input, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(from_input.error().fields, ElementsAre(version_out_of_range));

    const auto changed = meters.change(full.id, increment<&M::reading>(1));
    ASSERT_THAT(changed, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(changed.error().fields, ElementsAre(version_out_of_range));

    const auto locked = meters.change_locked(full, increment<&M::reading>(1));
    ASSERT_THAT(locked, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(locked.error().fields, ElementsAre(version_out_of_range));

    const auto unit = Unit{}
                          .template change<M>("bump", full.id, increment<&M::reading>(5))
                          .update("set", full, set<&M::reading>(7))
                          .run(store);
    ASSERT_FALSE(unit);
    EXPECT_EQ(unit.error().kind, ErrorKind::invalid);
    EXPECT_THAT(unit.error().fields, ElementsAre(version_out_of_range));
    EXPECT_EQ(unit.error().step, "bump");

    const M stored = meters.get_or_throw(full.id);
    EXPECT_EQ(stored.version, app::top_version<V>());
    EXPECT_EQ(stored.reading, 2);

    // Nothing to change: the version is checked, not bumped, so the limit does not matter.
    const auto same = meters.update(full, set<&M::reading>(2));
    ASSERT_THAT(same, IsOk());
    EXPECT_EQ(same.value().version, app::top_version<V>());
    EXPECT_THAT(meters.destroy(full), IsOk());
    EXPECT_THAT(meters.get(full.id), HasErrorKind(ErrorKind::not_found));
  }
};
OPTIMIST_CONTRACT(VersionLimitTest);

TEST_P(VersionLimitTest, EveryIntegralVersionTypeStopsAtItsMaximum) {
  check<std::int8_t>();
  check<std::uint8_t>();
  check<std::int16_t>();
  check<std::uint16_t>();
  check<std::int32_t>();
  check<std::uint32_t>();
  check<std::int64_t>();
  check<std::uint64_t>();
}

// A record at the limit inside a transaction: refused there too, and the transaction's
// other writes are its own business.
TEST_P(VersionLimitTest, AnUncheckedChangeAtTheLimitIsRefusedInsideATransaction) {
  using M = Meter<std::int32_t>;
  const optimist::Resource<M> meters{store};
  const M full = at_the_limit(meters);
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  const auto changed = meters.in(*tx.value()).change(full.id, increment<&M::reading>(1));
  ASSERT_THAT(changed, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(changed.error().fields, ElementsAre(version_out_of_range));
  ASSERT_THAT(tx.value()->rollback(), IsOk());
  EXPECT_EQ(meters.get_or_throw(full.id).reading, 2);
}

}  // namespace
