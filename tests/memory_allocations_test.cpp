// SPDX-License-Identifier: MIT
// The memory store reads every record for a filtered, sorted page (it has no index): what it
// allocates must depend on the page, never on how many records it scans. Counted with a
// replaced global operator new, hence a test binary of its own. Not under the sanitizers,
// which bring their own allocator.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "resources/tag.hpp"
#include "support/counted_new.hpp"

namespace optimist::testing {
namespace {

using app::Tag;

struct Counts {
  std::uint64_t first_page = 0;
  std::uint64_t after_cursor = 0;
};

// The allocations of a first page and of the next one, on a memory store of `records` tags.
Counts page_allocations(std::int64_t records) {
  auto store = optimist::open("memory:").value();
  const Resource<Tag> tags(store);
  for (std::int64_t i = 0; i < records; ++i) {
    // Names of one length (a page holds the same bytes at every table size), longer than a
    // std::string keeps inline; every third tag without a color.
    std::string name = std::to_string(1'000'000 + i);
    name.insert(0, "tag-name-");
    std::optional<std::string> color;
    if (i % 3 != 0) color = "#a0b0c0";
    tags.create_or_throw(set<&Tag::owner_id>(i % 100), set<&Tag::name>(std::move(name)),
                         set<&Tag::color>(std::move(color)),
                         set<&Tag::weight>(1.0 + static_cast<double>(i % 7) * 0.5),
                         set<&Tag::pinned>(i % 11 == 0));
  }
  const auto query = Query<Tag>(ge<&Tag::weight>(2.0) && eq<&Tag::pinned>(false))
                         .order_by(desc<&Tag::name>)
                         .limit(20);
  const std::string cursor = *tags.page(query).value().next;  // and the cursor key in use
  Counts c;
  std::uint64_t before = allocated();
  EXPECT_EQ(tags.page(query).value().records.size(), 20U);
  c.first_page = allocated() - before;
  before = allocated();
  EXPECT_EQ(tags.page(query, cursor).value().records.size(), 20U);
  c.after_cursor = allocated() - before;
  return c;
}

TEST(MemoryStoreAllocations, APageAllocatesForItsRecordsNotForTheRecordsItScans) {
  if (!counts_allocations) GTEST_SKIP() << "the sanitizers replace operator new";
  const Counts small = page_allocations(200);
  const Counts large = page_allocations(5000);
  EXPECT_EQ(small.first_page, large.first_page);
  EXPECT_EQ(small.after_cursor, large.after_cursor);
  EXPECT_GT(large.first_page, 20U);  // the counter counts
  EXPECT_LT(large.first_page, 200U);
  EXPECT_LT(large.after_cursor, 200U);
}

}  // namespace
}  // namespace optimist::testing
