// SPDX-License-Identifier: MIT
// Many query shapes on one store: the SQL store keeps a bounded cache of their statements
// and starts over when it is full; every answer stays right through it.
#include <gtest/gtest.h>

#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"

namespace optimist::testing {
namespace {

using app::Tag;

class QueryCacheTest : public BackendTest {};

TEST_P(QueryCacheTest, MoreShapesThanTheCacheHoldsAllAnswerRight) {
  Resource<Tag> tags(store);
  for (int i = 0; i < 10; ++i) tags.create_or_throw(set<&Tag::owner_id>(i), set<&Tag::name>("t"));
  // Shape n: owner_id = 0 or ... or owner_id = n, a statement text of its own each.
  for (int round = 0; round < 2; ++round) {
    for (int n = 0; n < 300; ++n) {
      Where<Tag> w = eq<&Tag::owner_id>(0);
      for (int k = 1; k <= n; ++k) w = std::move(w) || eq<&Tag::owner_id>(k);
      auto count = tags.count(w);
      ASSERT_TRUE(count) << count.error();
      ASSERT_EQ(count.value(), std::min(n + 1, 10)) << "shape " << n << ", round " << round;
    }
  }
}

OPTIMIST_CONTRACT(QueryCacheTest);

}  // namespace
}  // namespace optimist::testing
