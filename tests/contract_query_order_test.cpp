// SPDX-License-Identifier: MIT
// Orders, windows and the reads built on them, on every backend: several sort keys in mixed
// directions over nullable attributes (checked against the documented order written out
// here), limit and offset, one/count/exists, queries inside a transaction seeing its own
// writes, and for_each in batches with a limit or a callback that stops the walk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "support/matchers.hpp"
#include "support/tag_fixture.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// -1, 0 or 1 as `a` sorts before, with or after `b`: NULL below every value, numbers as
/// numbers, false below true, text by code point (bytes of UTF-8).
int compare(const Value& a, const Value& b) {
  const bool a_null = std::holds_alternative<std::monostate>(a);
  const bool b_null = std::holds_alternative<std::monostate>(b);
  if (a_null || b_null) return a_null == b_null ? 0 : a_null ? -1 : 1;
  return a < b ? -1 : b < a ? 1 : 0;
}

class QueryOrderTest : public TagTest {
 protected:
  void SetUp() override {
    TagTest::SetUp();
    if (!store) return;
    const std::vector<NewTag> data{
        {3, "ada", "red", 2.0, true},         {1, "Ada", std::nullopt, 1.0, false},
        {2, "bob", "blue", 2.0, false},       {2, "cpp", std::nullopt, -0.5, true},
        {1, "c%t", "", 2.0, false},           {3, "\xC3\xA9", "Red", 3.0, true},
        {1, "zed", "red", 2.0, false},        {2, "x", std::nullopt, 2.0, true},
        {3, "o'neil", "blue", 5e-324, false}, {1, "b", "red", 1.0, true},
        {2, "y", std::nullopt, 1.0, false},
    };
    for (const NewTag& t : data) stored.push_back(add(t));
  }

  /// The keys of the stored tags in `order`, then by key: the order every query promises.
  std::vector<std::int64_t> sorted(const std::vector<SortKey>& order) const {
    std::vector<Tag> list = stored;
    std::sort(list.begin(), list.end(), [&](const Tag& a, const Tag& b) {
      const Row x = detail::Schema<Tag>::to_row(a);
      const Row y = detail::Schema<Tag>::to_row(b);
      for (const SortKey& k : order) {
        const int c = compare(x[k.column], y[k.column]);
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return a.id < b.id;
    });
    return ids(list);
  }

  std::vector<Tag> stored;  // in key order
};

TEST_P(QueryOrderTest, SortsBySeveralKeysInMixedDirectionsWithNullsInOnePlace) {
  const std::vector<Query<Tag>> queries{
      Query<Tag>().order_by(asc<&Tag::color>),
      Query<Tag>().order_by(desc<&Tag::color>),
      Query<Tag>().order_by(asc<&Tag::color>, desc<&Tag::weight>),
      Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::pinned>, desc<&Tag::name>),
      Query<Tag>().order_by(desc<&Tag::weight>, asc<&Tag::color>),
      Query<Tag>().order_by(asc<&Tag::pinned>),
      Query<Tag>().order_by(desc<&Tag::pinned>, desc<&Tag::owner_id>),
      Query<Tag>().order_by(asc<&Tag::owner_id>, desc<&Tag::color>, asc<&Tag::weight>),
      Query<Tag>().order_by(desc<&Tag::id>),
      Query<Tag>().order_by(asc<&Tag::pinned>, desc<&Tag::id>, asc<&Tag::name>),
      Query<Tag>().order_by(desc<&Tag::name>),
      Query<Tag>(),
  };
  for (const Query<Tag>& q : queries) {
    const auto& order = q.selection().order;
    std::string label;
    for (const SortKey& k : order) {
      label += tags->table().columns[k.column].name + (k.descending ? " desc, " : " asc, ");
    }
    SCOPED_TRACE(label);
    auto found = tags->all(q);
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(ids(found.value()), sorted(order));
  }
}

TEST_P(QueryOrderTest, SortsAFilteredQuery) {
  auto q = Query<Tag>(ne<&Tag::owner_id>(2) && !is_null<&Tag::color>())
               .order_by(desc<&Tag::weight>, asc<&Tag::name>);
  EXPECT_THAT(names(tags->all(q).value()),
              ElementsAre("\xC3\xA9", "ada", "c%t", "zed", "b", "o'neil"));
}

TEST_P(QueryOrderTest, LimitAndOffsetCutTheOrderedRecords) {
  const auto order = Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::name>);
  const std::vector<std::int64_t> every = sorted(order.selection().order);
  struct Window {
    std::optional<std::size_t> limit;
    std::size_t offset;
  };
  constexpr auto most = std::numeric_limits<std::size_t>::max();
  for (const Window w : {Window{3, 0}, Window{3, 2}, Window{1, 10}, Window{5, 9}, Window{0, 0},
                         Window{0, 4}, Window{std::nullopt, 4}, Window{most, 0}, Window{most, 7},
                         Window{2, 11}, Window{4, most}}) {
    SCOPED_TRACE(::testing::Message() << "limit " << w.limit.value_or(0) << " offset " << w.offset);
    auto q = order;
    if (w.limit) q.limit(*w.limit);
    q.offset(w.offset);
    const std::size_t from = std::min(w.offset, every.size());
    const std::size_t to =
        std::min(every.size(), from + std::min(w.limit.value_or(most), every.size()));
    auto found = tags->all(q);
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(ids(found.value()),
              std::vector<std::int64_t>(every.begin() + static_cast<std::ptrdiff_t>(from),
                                        every.begin() + static_cast<std::ptrdiff_t>(to)));
  }
}

TEST_P(QueryOrderTest, OneReturnsTheOnlyMatchAndRefusesNoneOrMany) {
  auto zed = tags->one(eq<&Tag::name>("zed"));
  ASSERT_THAT(zed, IsOk());
  EXPECT_EQ(zed.value().id, stored[6].id);
  EXPECT_EQ(zed.value().color, std::optional<std::string>("red"));
  EXPECT_THAT(tags->one(eq<&Tag::name>("nobody")), HasErrorKind(ErrorKind::not_found));
  auto many = tags->one(eq<&Tag::owner_id>(1));
  EXPECT_THAT(many, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(many.error().resource, "Tag");
  EXPECT_THAT(tags->one(Query<Tag>(eq<&Tag::owner_id>(3) && eq<&Tag::pinned>(false))), IsOk());
}

TEST_P(QueryOrderTest, CountAndExistsFollowTheFilterAndCountIgnoresTheWindow) {
  EXPECT_EQ(tags->count().value(), 11);
  EXPECT_EQ(tags->count(eq<&Tag::owner_id>(2)).value(), 4);
  EXPECT_EQ(tags->count(is_null<&Tag::color>()).value(), 4);
  EXPECT_EQ(tags->count(eq<&Tag::owner_id>(9)).value(), 0);
  EXPECT_EQ(
      tags->count(Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::name>).limit(1).offset(3))
          .value(),
      4);
  EXPECT_TRUE(tags->exists().value());
  EXPECT_TRUE(tags->exists(eq<&Tag::pinned>(true)).value());
  EXPECT_FALSE(tags->exists(eq<&Tag::owner_id>(9)).value());
  // exists() asks whether the query selects a record: past its offset, it selects none.
  EXPECT_TRUE(tags->exists(Query<Tag>(eq<&Tag::owner_id>(2)).offset(3)).value());
  EXPECT_FALSE(tags->exists(Query<Tag>(eq<&Tag::owner_id>(2)).offset(4)).value());
}

TEST_P(QueryOrderTest, QueriesInATransactionSeeItsOwnWrites) {
  const auto by_name = Query<Tag>(eq<&Tag::owner_id>(2)).order_by(asc<&Tag::name>);
  {
    auto tx = store->begin();
    ASSERT_THAT(tx, IsOk());
    const Resource<Tag> in_tx = tags->in(*tx.value());
    const Tag added = in_tx.create_or_throw(set<&Tag::owner_id>(2), set<&Tag::name>("aaa"),
                                            set<&Tag::color>(std::optional<std::string>("new")));
    in_tx.destroy_or_throw(stored[2]);                                    // bob
    in_tx.update_or_throw(stored[7], set<&Tag::name>(std::string("w")));  // x
    EXPECT_THAT(names(in_tx.all(by_name).value()), ElementsAre("aaa", "cpp", "w", "y"));
    EXPECT_EQ(in_tx.count(eq<&Tag::owner_id>(2)).value(), 4);
    EXPECT_TRUE(in_tx.exists(eq<&Tag::color>("new")).value());
    EXPECT_EQ(in_tx.one(eq<&Tag::color>("new")).value().id, added.id);
    EXPECT_THAT(in_tx.one(eq<&Tag::name>("bob")), HasErrorKind(ErrorKind::not_found));
    auto first = in_tx.page(Query<Tag>(by_name).limit(3));
    ASSERT_THAT(first, IsOk());
    ASSERT_TRUE(first.value().next);
    auto second = in_tx.page(Query<Tag>(by_name).limit(3), *first.value().next);
    ASSERT_THAT(second, IsOk());
    EXPECT_THAT(names(second.value().records), ElementsAre("y"));
    std::vector<std::string> walked;
    ASSERT_THAT(in_tx.for_each(by_name, 1, [&](const Tag& t) { walked.push_back(t.name); }),
                IsOk());
    EXPECT_THAT(walked, ElementsAre("aaa", "cpp", "w", "y"));
    ASSERT_THAT(tx.value()->rollback(), IsOk());
  }
  EXPECT_THAT(names(tags->all(by_name).value()), ElementsAre("bob", "cpp", "x", "y"));
  EXPECT_FALSE(tags->exists(eq<&Tag::color>("new")).value());
}

TEST_P(QueryOrderTest, ForEachVisitsTheQueryInOrderUpToItsLimit) {
  const auto q = Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::weight>);
  const std::vector<std::int64_t> every = sorted(q.selection().order);
  auto walk = [&](Query<Tag> query, std::size_t batch) {
    std::vector<std::int64_t> seen;
    auto r = tags->for_each(query, batch, [&](const Tag& t) { seen.push_back(t.id); });
    EXPECT_THAT(r, IsOk());
    return seen;
  };
  auto first = [&](std::size_t n) {
    return std::vector<std::int64_t>(every.begin(), every.begin() + static_cast<std::ptrdiff_t>(n));
  };
  EXPECT_EQ(walk(q, 1), every);
  EXPECT_EQ(walk(q, 4), every);
  EXPECT_EQ(walk(q, 11), every);
  EXPECT_EQ(walk(q, 1000), every);
  EXPECT_EQ(walk(Query<Tag>(q).limit(7), 3), first(7));
  EXPECT_EQ(walk(Query<Tag>(q).limit(6), 3), first(6));
  EXPECT_EQ(walk(Query<Tag>(q).limit(2), 5), first(2));
  EXPECT_EQ(walk(Query<Tag>(q).limit(1), 1), first(1));
  EXPECT_EQ(walk(Query<Tag>(q).limit(50), 4), every);
  EXPECT_THAT(walk(Query<Tag>(q).limit(0), 4), IsEmpty());
  EXPECT_THAT(walk(Query<Tag>(eq<&Tag::owner_id>(9)), 4), IsEmpty());
}

TEST_P(QueryOrderTest, ForEachStopsAtTheFirstErrorOfItsCallback) {
  const ErrorKind enough{"enough", ErrorClass::invalid, "the caller has seen enough"};
  for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{20}}) {
    SCOPED_TRACE(::testing::Message() << "batch " << batch);
    std::vector<std::string> seen;
    auto r = tags->for_each(Query<Tag>().order_by(asc<&Tag::name>), batch,
                            [&](const Tag& t) -> Result<void> {
                              seen.push_back(t.name);
                              if (seen.size() == 4) {
                                Error e;
                                e.kind = enough;
                                return e;
                              }
                              return ok();
                            });
    EXPECT_THAT(r, HasErrorKind(enough));
    EXPECT_THAT(seen, ElementsAre("Ada", "ada", "b", "bob"));
  }
  int calls = 0;
  EXPECT_THAT(tags->for_each(Query<Tag>(), 2,
                             [&](const Tag&) -> Result<void> {
                               ++calls;
                               return ok();
                             }),
              IsOk());
  EXPECT_EQ(calls, 11);
}

TEST_P(QueryOrderTest, ForEachRefusesAnOffsetAndABatchOfNone) {
  int calls = 0;
  auto count_calls = [&](const Tag&) { ++calls; };
  EXPECT_THAT(refused_fields(tags->for_each(Query<Tag>().offset(1), 2, count_calls)),
              ElementsAre(FieldError{"offset", FieldReason::not_accepted}));
  EXPECT_THAT(refused_fields(tags->for_each(Query<Tag>(), 0, count_calls)),
              ElementsAre(FieldError{"limit", FieldReason::out_of_range}));
  EXPECT_EQ(calls, 0);
}

OPTIMIST_CONTRACT(QueryOrderTest);

}  // namespace
}  // namespace optimist::testing
