// SPDX-License-Identifier: MIT
// Keyset pages on every backend: walked to the end in descending orders over nullable keys
// (so that cursors hold NULLs), exact while records are created, changed and destroyed
// between pages, and refusing every cursor they did not make for the query at hand: each
// single-character change, truncation, garbage, a cursor of another query, resource or
// store is `invalid` with the field "cursor" malformed.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "resources/player.hpp"
#include "support/matchers.hpp"
#include "support/tag_fixture.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

class QueryPageTest : public TagTest {
 protected:
  /// 23 tags: every third without a color, colors and weights repeating, so that orders tie.
  void add_many(int n = 23) {
    for (int i = 0; i < n; ++i) {
      add(NewTag{.owner = i % 2,
                 .name = fmt::format("n{:02}", i),
                 .color = i % 3 == 0 ? std::nullopt : std::optional(fmt::format("c{}", i % 4)),
                 .weight = static_cast<double>(i % 5) / 2,
                 .pinned = i % 4 == 1});
    }
  }

  /// Every page of `q`, walked from the first; fails the test when a page fails or the walk
  /// does not end within `most` pages.
  std::vector<Page<Tag>> walk(const Query<Tag>& q, int most = 200) const {
    std::vector<Page<Tag>> pages;
    std::string cursor;
    for (int i = 0; i < most; ++i) {
      auto page = tags->page(q, cursor);
      if (!page) {
        ADD_FAILURE() << "page " << i << ": " << page.error();
        return pages;
      }
      pages.push_back(std::move(page).value());
      if (!pages.back().next) return pages;
      cursor = *pages.back().next;
    }
    ADD_FAILURE() << "the walk did not end after " << most << " pages";
    return pages;
  }

  /// The first page's cursor of `q`, which must have one.
  std::string first_cursor(const Query<Tag>& q) const {
    auto page = tags->page(q);
    if (!page || !page.value().next) {
      ADD_FAILURE() << "no next page";
      return {};
    }
    return *page.value().next;
  }
};

TEST_P(QueryPageTest, PagesWalkEveryRecordOnceInOrderOverNullableKeysInBothDirections) {
  add_many();
  const std::vector<Query<Tag>> orders{
      Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::name>),
      Query<Tag>().order_by(asc<&Tag::color>, desc<&Tag::weight>),
      Query<Tag>().order_by(desc<&Tag::color>),
      Query<Tag>().order_by(asc<&Tag::color>),
      Query<Tag>().order_by(desc<&Tag::pinned>, desc<&Tag::color>, asc<&Tag::weight>),
      Query<Tag>().order_by(desc<&Tag::weight>, desc<&Tag::id>),
      Query<Tag>(ne<&Tag::color>("c1") || is_null<&Tag::color>()).order_by(desc<&Tag::color>),
      Query<Tag>(eq<&Tag::owner_id>(1)).order_by(asc<&Tag::pinned>, desc<&Tag::name>),
  };
  for (std::size_t o = 0; o < orders.size(); ++o) {
    const auto expected = ids(tags->all(orders[o]).value());
    for (const std::size_t size :
         std::initializer_list<std::size_t>{1, 2, 3, 5, 11, 12, 22, 23, 24, 100}) {
      SCOPED_TRACE(::testing::Message() << "order " << o << ", pages of " << size);
      const auto pages = walk(Query<Tag>(orders[o]).limit(size));
      std::vector<std::int64_t> seen;
      for (std::size_t i = 0; i < pages.size(); ++i) {
        const auto& records = pages[i].records;
        // Every page but the last is full; a next page exists exactly when records follow.
        if (i + 1 < pages.size()) {
          EXPECT_EQ(records.size(), size);
        }
        for (const Tag& t : records) seen.push_back(t.id);
      }
      EXPECT_EQ(seen, expected);
      EXPECT_EQ(pages.size(), std::max<std::size_t>(1, (expected.size() + size - 1) / size));
    }
  }
}

TEST_P(QueryPageTest, APageOfAQueryWithoutALimitHoldsAHundredRecords) {
  add_many(150);
  auto first = tags->page();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first.value().records.size(), 100U);
  ASSERT_TRUE(first.value().next);
  auto second = tags->page(Query<Tag>(), *first.value().next);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second.value().records.size(), 50U);
  EXPECT_FALSE(second.value().next);
  auto both = ids(first.value().records);
  for (const Tag& t : second.value().records) both.push_back(t.id);
  EXPECT_EQ(both, ids(tags->all().value()));
}

TEST_P(QueryPageTest, AnEmptyResultIsOnePageWithoutANext) {
  add_many(3);
  auto page = tags->page(Query<Tag>(eq<&Tag::owner_id>(7)).limit(2));
  ASSERT_THAT(page, IsOk());
  EXPECT_THAT(page.value().records, IsEmpty());
  EXPECT_FALSE(page.value().next);
}

// Between pages, records are created on both sides of the cursor, changed so that they move,
// and destroyed. Every record that exists unchanged throughout is seen exactly once, in
// order; no record that does not move is seen twice.
TEST_P(QueryPageTest, PagesStayExactWhileRecordsAreCreatedChangedAndDestroyedBetweenThem) {
  std::vector<Tag> initial;
  for (int i = 0; i < 30; ++i) {
    initial.push_back(
        add(NewTag{.owner = 1,
                   .name = fmt::format("n{:02}", i),
                   .color = i % 3 == 0 ? std::nullopt : std::optional(fmt::format("c{}", i % 4))}));
  }
  std::vector<Tag> doomed;
  std::vector<Tag> moving;
  std::set<std::int64_t> kept;
  for (std::size_t i = 0; i < initial.size(); ++i) {
    if (i % 5 == 2) {
      doomed.push_back(initial[i]);
    } else if (i % 7 == 3) {
      moving.push_back(initial[i]);
    } else {
      kept.insert(initial[i].id);
    }
  }
  std::set<std::int64_t> moved;
  for (const Tag& t : moving) moved.insert(t.id);

  const auto q =
      Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::color>, asc<&Tag::name>).limit(4);
  std::vector<std::int64_t> seen;
  std::string cursor;
  int page_number = 0;
  for (;; ++page_number) {
    ASSERT_LT(page_number, 100) << "the walk does not end";
    auto page = tags->page(q, cursor);
    ASSERT_THAT(page, IsOk());
    for (const Tag& t : page.value().records) seen.push_back(t.id);
    if (!page.value().next) break;
    cursor = *page.value().next;
    // Records that sort first and last, and some in between, of the query and not.
    const int k = page_number;
    add(NewTag{.owner = 1, .name = fmt::format("a{:02}", k), .color = "c9"});
    add(NewTag{.owner = 1, .name = fmt::format("z{:02}", k)});
    add(NewTag{.owner = 1, .name = fmt::format("n{:02}x", k), .color = fmt::format("c{}", k % 4)});
    add(NewTag{.owner = 2, .name = fmt::format("m{:02}", k), .color = "c2"});
    if (static_cast<std::size_t>(k) < doomed.size()) tags->destroy_or_throw(doomed[k]);
    if (static_cast<std::size_t>(k) < moving.size()) {
      Tag& m = moving[k];
      m = tags->update_or_throw(m, set<&Tag::color>(m.color ? std::optional<std::string>()
                                                            : std::optional<std::string>("c9")));
    }
  }
  EXPECT_GT(page_number, 5);
  std::map<std::int64_t, int> times;
  for (const std::int64_t id : seen) ++times[id];
  for (const std::int64_t id : kept) EXPECT_EQ(times[id], 1) << "record " << id;
  for (const auto& [id, n] : times) {
    if (!moved.contains(id)) {
      EXPECT_EQ(n, 1) << "record " << id;
    }
  }
  // In the order of the query as it stands at the end, among records still there unchanged.
  std::vector<std::int64_t> still;
  std::set<std::int64_t> seen_set(seen.begin(), seen.end());
  const auto at_end = tags->all(Query<Tag>(q).limit(1000));
  for (const Tag& t : at_end.value()) {
    if (seen_set.contains(t.id) && !moved.contains(t.id)) still.push_back(t.id);
  }
  std::vector<std::int64_t> seen_still;
  for (const std::int64_t id : seen) {
    if (!moved.contains(id) && std::find(still.begin(), still.end(), id) != still.end()) {
      seen_still.push_back(id);
    }
  }
  EXPECT_EQ(seen_still, still);
}

TEST_P(QueryPageTest, ACursorServesItsQueryWhateverThePageSize) {
  add_many();
  const auto q = Query<Tag>().order_by(desc<&Tag::color>, asc<&Tag::weight>);
  const auto every = ids(tags->all(q).value());
  const std::string cursor = first_cursor(Query<Tag>(q).limit(5));
  auto rest = tags->page(Query<Tag>(q).limit(100), cursor);
  ASSERT_THAT(rest, IsOk());
  EXPECT_EQ(ids(rest.value().records), std::vector<std::int64_t>(every.begin() + 5, every.end()));
  EXPECT_FALSE(rest.value().next);
}

TEST_P(QueryPageTest, APageRefusesAnOffsetAfterACursorAndALimitOfNone) {
  add_many(10);
  const auto q = Query<Tag>().order_by(asc<&Tag::name>).limit(3);
  const std::string cursor = first_cursor(q);
  EXPECT_THAT(refused_fields(tags->page(Query<Tag>(q).offset(1), cursor)),
              ElementsAre(FieldError{"offset", FieldReason::not_accepted}));
  EXPECT_THAT(refused_fields(tags->page(Query<Tag>(q).limit(0))),
              ElementsAre(FieldError{"limit", FieldReason::out_of_range}));
  EXPECT_THAT(refused_fields(tags->page(Query<Tag>(q).limit(0), cursor)),
              ElementsAre(FieldError{"limit", FieldReason::out_of_range}));
  // The first page may skip records, as all() does.
  auto skipped = tags->page(Query<Tag>(q).offset(2));
  ASSERT_THAT(skipped, IsOk());
  EXPECT_THAT(names(skipped.value().records), ElementsAre("n02", "n03", "n04"));
}

// Every way a cursor can differ from one this store made for this query.
TEST_P(QueryPageTest, EveryAlteredCursorIsMalformedNeverAPage) {
  add_many();
  const std::vector<Query<Tag>> queries{
      Query<Tag>().order_by(asc<&Tag::name>).limit(4),
      // Its first page ends on a tag without a color: the cursor holds a NULL and a double.
      Query<Tag>(ge<&Tag::weight>(0)).order_by(asc<&Tag::color>, desc<&Tag::weight>).limit(2),
  };
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::string others = std::string("=+/.~ %\n") + '\0' + "\xff\xC3";
  for (const auto& q : queries) {
    const std::string cursor = first_cursor(q);
    ASSERT_FALSE(cursor.empty());
    ASSERT_THAT(tags->page(q, cursor), IsOk());
    auto refused = [&](const std::string& bad) {
      auto page = tags->page(q, bad);
      if (page || page.error().fields != bad_cursor()) {
        ADD_FAILURE() << "cursor " << ::testing::PrintToString(bad) << " of "
                      << ::testing::PrintToString(cursor) << ": "
                      << (page ? fmt::format("a page of {} records", page.value().records.size())
                               : page.error().message());
      }
    };
    for (std::size_t i = 0; i < cursor.size(); ++i) {
      for (const char c : alphabet + others) {
        if (c == cursor[i]) continue;
        std::string bad = cursor;
        bad[i] = c;
        refused(bad);
      }
      refused(cursor.substr(0, i + 1 == cursor.size() ? i : i + 1));
      refused(cursor.substr(i + 1 == cursor.size() ? 1 : i + 1));
      std::string longer = cursor;
      longer.insert(i, 1, 'A');
      refused(longer);
      std::string shorter = cursor;
      shorter.erase(i, 1);
      refused(shorter);
    }
    for (const std::string& bad :
         {cursor + "A",        cursor + "AA",         cursor + "=",
          cursor + "==",       cursor + cursor,       " " + cursor,
          cursor + "\n",       std::string("A"),      std::string("AA"),
          std::string("AQ"),   std::string("AQ=="),   std::string("AQID"),
          std::string("===="), std::string("-"),      std::string("_"),
          std::string(" "),    std::string(1, '\0'),  std::string("\xff"),
          std::string("null"), std::string(200, 'A'), std::string(10'000, '_')}) {
      refused(bad);
    }
    // Base64 with the standard alphabet instead of the URL one.
    std::string standard = cursor;
    for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
    if (standard != cursor) refused(standard);
  }
}

TEST_P(QueryPageTest, ACursorOfAnotherQueryResourceOrStoreIsMalformed) {
  add_many();
  const auto q = Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::color>).limit(3);
  const std::string cursor = first_cursor(q);
  const std::vector<Query<Tag>> others{
      Query<Tag>(eq<&Tag::owner_id>(0)).order_by(desc<&Tag::color>).limit(3),
      Query<Tag>(eq<&Tag::owner_id>(1)).order_by(asc<&Tag::color>).limit(3),
      Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::name>).limit(3),
      Query<Tag>(eq<&Tag::owner_id>(1)).order_by(desc<&Tag::color>, asc<&Tag::name>).limit(3),
      Query<Tag>(eq<&Tag::owner_id>(1)).limit(3),
      Query<Tag>().order_by(desc<&Tag::color>).limit(3),
      Query<Tag>(!eq<&Tag::owner_id>(1)).order_by(desc<&Tag::color>).limit(3),
      Query<Tag>(eq<&Tag::owner_id>(1) && eq<&Tag::owner_id>(1))
          .order_by(desc<&Tag::color>)
          .limit(3),
      Query<Tag>(ge<&Tag::owner_id>(1)).order_by(desc<&Tag::color>).limit(3),
  };
  for (std::size_t i = 0; i < others.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "query " << i);
    EXPECT_THAT(refused_fields(tags->page(others[i], cursor)), ElementsAreArray(bad_cursor()));
  }
  // Another resource's cursor, for a query with the same shape.
  Resource<app::Player> players(store);
  for (int i = 0; i < 4; ++i)
    players.create_or_throw(set<&app::Player::name>(fmt::format("p{}", i)));
  auto player_page = players.page(Query<app::Player>().limit(2));
  ASSERT_TRUE(player_page && player_page.value().next);
  EXPECT_THAT(refused_fields(tags->page(Query<Tag>().limit(2), *player_page.value().next)),
              ElementsAreArray(bad_cursor()));
  // The same query on another store of the same backend, with the same records.
  auto opened = GetParam().open();
  ASSERT_THAT(opened, IsOk());
  Resource<Tag> elsewhere(opened.value());
  const auto here = tags->all();
  for (const Tag& t : here.value()) {
    elsewhere.create_or_throw(set<&Tag::owner_id>(t.owner_id), set<&Tag::name>(t.name),
                              set<&Tag::color>(t.color));
  }
  ASSERT_THAT(elsewhere.page(q), IsOk());
  EXPECT_THAT(refused_fields(elsewhere.page(q, cursor)), ElementsAreArray(bad_cursor()));
}

OPTIMIST_CONTRACT(QueryPageTest);

}  // namespace
}  // namespace optimist::testing
