// SPDX-License-Identifier: MIT
// Queries on every backend: filters, orders, limits, pages, counts, with one semantics.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resources/tag.hpp"
#include "support/backend.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;

class QueryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;
    tags.emplace(store);
  }

  Tag add(std::int64_t owner, std::string name, std::optional<std::string> color = {},
          double weight = 1.0) {
    return tags->create_or_throw(set<&Tag::owner_id>(owner), set<&Tag::name>(std::move(name)),
                                 set<&Tag::color>(std::move(color)), set<&Tag::weight>(weight));
  }

  static std::vector<std::string> names(const std::vector<Tag>& list) {
    std::vector<std::string> out;
    for (const Tag& t : list) out.push_back(t.name);
    return out;
  }

  std::optional<Resource<Tag>> tags;
};

TEST_P(QueryTest, FiltersSortsAndLimits) {
  add(1, "rust");
  add(1, "cpp");
  add(2, "go");
  add(1, "ada");
  auto mine = tags->all(Query<Tag>(eq<&Tag::owner_id>(1)).order_by(asc<&Tag::name>));
  ASSERT_TRUE(mine) << mine.error();
  EXPECT_THAT(names(mine.value()), ElementsAre("ada", "cpp", "rust"));
  auto two = tags->all(Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::name>).limit(2));
  ASSERT_TRUE(two) << two.error();
  EXPECT_THAT(names(two.value()), ElementsAre("rust", "cpp"));
  EXPECT_EQ(tags->count(eq<&Tag::owner_id>(1)).value(), 3);
  EXPECT_TRUE(tags->exists(eq<&Tag::name>("go")).value());
  EXPECT_FALSE(tags->exists(eq<&Tag::name>("java")).value());
}

TEST_P(QueryTest, TextSortsByCodePoint) {
  for (const char* n : {"b", "B", "a", "\xC3\xA9", "A", "_", "z"}) add(1, n);
  auto all = tags->all(Query<Tag>().order_by(asc<&Tag::name>));
  ASSERT_TRUE(all) << all.error();
  EXPECT_THAT(names(all.value()), ElementsAre("A", "B", "_", "a", "b", "z", "\xC3\xA9"));
}

TEST_P(QueryTest, NullsSortFirstAscendingAndLastDescending) {
  add(1, "red", "red");
  add(1, "none");
  add(1, "blue", "blue");
  auto up = tags->all(Query<Tag>().order_by(asc<&Tag::color>));
  ASSERT_TRUE(up) << up.error();
  EXPECT_THAT(names(up.value()), ElementsAre("none", "blue", "red"));
  auto down = tags->all(Query<Tag>().order_by(desc<&Tag::color>));
  EXPECT_THAT(names(down.value()), ElementsAre("red", "blue", "none"));
  EXPECT_THAT(names(tags->all(Query<Tag>(is_null<&Tag::color>())).value()), ElementsAre("none"));
  EXPECT_THAT(
      names(tags->all(Query<Tag>(!eq<&Tag::color>("red")).order_by(asc<&Tag::name>)).value()),
      ElementsAre("blue", "none"));
  EXPECT_THAT(names(tags->all(Query<Tag>(ne<&Tag::color>("red"))).value()), ElementsAre("blue"));
}

TEST_P(QueryTest, InAndStartsWith) {
  add(1, "cat");
  add(1, "car");
  add(1, "c%t");
  add(1, "c_t");
  add(1, "c\\t");
  add(1, "dog");
  const std::vector<std::string> wanted{"dog", "cat", "nope"};
  EXPECT_THAT(
      names(tags->all(Query<Tag>(in<&Tag::name>(wanted)).order_by(asc<&Tag::name>)).value()),
      ElementsAre("cat", "dog"));
  EXPECT_TRUE(tags->all(in<&Tag::name>(std::vector<std::string>{})).value().empty());
  EXPECT_THAT(
      names(tags->all(Query<Tag>(starts_with<&Tag::name>("ca")).order_by(asc<&Tag::name>)).value()),
      ElementsAre("car", "cat"));
  EXPECT_THAT(names(tags->all(starts_with<&Tag::name>("c%")).value()), ElementsAre("c%t"));
  EXPECT_THAT(names(tags->all(starts_with<&Tag::name>("c_")).value()), ElementsAre("c_t"));
  EXPECT_THAT(names(tags->all(starts_with<&Tag::name>("c\\")).value()), ElementsAre("c\\t"));
}

TEST_P(QueryTest, PagesWalkEveryRecordOnce) {
  for (int i = 0; i < 25; ++i) add(i % 3, fmt::format("t{}", 100 + i));
  std::vector<std::string> seen;
  std::string cursor;
  const auto q = Query<Tag>().order_by(desc<&Tag::owner_id>, asc<&Tag::name>).limit(4);
  for (int pages = 0; pages < 20; ++pages) {
    auto page = tags->page(q, cursor);
    ASSERT_TRUE(page) << page.error();
    for (const Tag& t : page.value().records) seen.push_back(t.name);
    if (!page.value().next) break;
    cursor = *page.value().next;
  }
  auto all = tags->all(q.selection().where.kind == Condition::Kind::all
                           ? Query<Tag>().order_by(desc<&Tag::owner_id>, asc<&Tag::name>)
                           : q);
  EXPECT_EQ(seen, names(all.value()));
  EXPECT_EQ(seen.size(), 25U);
}

TEST_P(QueryTest, CursorOfAnotherQueryIsInvalid) {
  for (int i = 0; i < 5; ++i) add(1, fmt::format("t{}", i));
  auto page = tags->page(Query<Tag>().limit(2));
  ASSERT_TRUE(page && page.value().next);
  auto other = tags->page(Query<Tag>(eq<&Tag::owner_id>(1)).limit(2), *page.value().next);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::invalid);
  std::string tampered = *page.value().next;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  auto bad = tags->page(Query<Tag>().limit(2), tampered);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid);
}

TEST_P(QueryTest, ForEachVisitsEveryRecord) {
  for (int i = 0; i < 23; ++i) add(1, fmt::format("t{}", i));
  int n = 0;
  ASSERT_TRUE(tags->for_each(Query<Tag>(), 5, [&](const Tag&) { ++n; }));
  EXPECT_EQ(n, 23);
}

OPTIMIST_CONTRACT(QueryTest);

}  // namespace
}  // namespace optimist::testing
