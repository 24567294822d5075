// SPDX-License-Identifier: MIT
// Read actions with a query, on every backend: a base filter and a default order, and
// dynamic queries checked against what the action declares.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace query_input_app {

struct Note {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t owner_id = 0;
  std::string title;
  double rank = 0;
  std::optional<std::int64_t> due;
  bool archived = false;
};

}  // namespace query_input_app

template <>
struct optimist::Definition<query_input_app::Note> {
  using Note = query_input_app::Note;
  static constexpr auto resource = optimist::resource<Note>(
      "Note", "notes", optimist::primary_key<&Note::id>("id"),
      optimist::version<&Note::version>("version"),
      optimist::attribute<&Note::owner_id>("owner_id"), optimist::attribute<&Note::title>("title"),
      optimist::attribute<&Note::rank>("rank"), optimist::attribute<&Note::due>("due"),
      optimist::attribute<&Note::archived>("archived"));

  using read = optimist::Read<"read">;
  // The notes a user lists: never the archived ones; by rank, highest first, unless asked.
  struct list
      : optimist::Read<
            "list", optimist::Filterable<&Note::owner_id, &Note::title, &Note::rank, &Note::due>,
            optimist::Sortable<&Note::title, &Note::rank>,
            optimist::DefaultOrder<optimist::desc<&Note::rank>>, optimist::MaxLimit<20>> {
    static optimist::Where<Note> where() { return optimist::eq<&Note::archived>(false); }
  };
  using create = optimist::Create<"create", &Note::owner_id, &Note::title, &Note::rank, &Note::due,
                                  &Note::archived>;
};

namespace optimist::testing {
namespace {

using query_input_app::Note;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;
using List = Definition<Note>::list;

class QueryInputTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;
    notes.emplace(store);
    add(1, "b", 2.0, 5);
    add(1, "a", 3.0, std::nullopt);
    add(1, "c", 1.0, 7);
    add(2, "d", 4.0, 1);
    add(1, "gone", 9.0, 1, true);
  }

  void add(std::int64_t owner, std::string title, double rank, std::optional<std::int64_t> due,
           bool archived = false) {
    notes->create_or_throw(set<&Note::owner_id>(owner), set<&Note::title>(std::move(title)),
                           set<&Note::rank>(rank), set<&Note::due>(due),
                           set<&Note::archived>(archived));
  }

  static std::vector<std::string> titles(const std::vector<Note>& list) {
    std::vector<std::string> out;
    for (const Note& n : list) out.push_back(n.title);
    return out;
  }

  std::optional<Resource<Note>> notes;
};

TEST_P(QueryInputTest, TypedQueriesThroughTheActionGetItsFilterAndOrder) {
  auto mine = notes->all<List>(eq<&Note::owner_id>(1));
  ASSERT_TRUE(mine) << mine.error();
  EXPECT_THAT(titles(mine.value()), ElementsAre("a", "b", "c"));
  EXPECT_EQ(notes->count<List>().value(), 4);
  EXPECT_EQ(notes->count().value(), 5);  // the default read action has no base filter
  auto by_title =
      notes->all<List>(Query<Note>(eq<&Note::owner_id>(1)).order_by(desc<&Note::title>));
  EXPECT_THAT(titles(by_title.value()), ElementsAre("c", "b", "a"));
}

TEST_P(QueryInputTest, DynamicQueryFiltersSortsAndPages) {
  QueryInput in;
  in.where = {{"owner_id", Compare::eq, {std::int64_t{1}}},
              {"rank", Compare::ge, {std::int64_t{2}}}};
  in.order = {{"title", false}};
  in.limit = 1;
  auto first = notes->page_from<List>(in);
  ASSERT_TRUE(first) << first.error();
  EXPECT_THAT(titles(first.value().records), ElementsAre("a"));
  ASSERT_TRUE(first.value().next);
  in.cursor = *first.value().next;
  auto second = notes->page_from<List>(in);
  ASSERT_TRUE(second) << second.error();
  EXPECT_THAT(titles(second.value().records), ElementsAre("b"));
  EXPECT_FALSE(second.value().next);
}

TEST_P(QueryInputTest, DynamicQueryTakesTheDefaultOrderAndNulls) {
  QueryInput in;
  in.where = {{"due", Compare::is_null, {}}};
  EXPECT_THAT(titles(notes->page_from<List>(in).value().records), ElementsAre("a"));
  in.where = {{"due", Compare::in, {std::int64_t{1}, std::int64_t{7}}}};
  EXPECT_THAT(titles(notes->page_from<List>(in).value().records), ElementsAre("d", "c"));
}

TEST_P(QueryInputTest, EveryRefusedPartIsNamed) {
  QueryInput in;
  in.where = {{"nope", Compare::eq, {std::int64_t{1}}},
              {"archived", Compare::eq, {true}},
              {"owner_id", Compare::eq, {std::string("1")}},
              {"rank", Compare::eq, {}},
              {"owner_id", Compare::starts_with, {std::string("1")}},
              {"title", Compare::eq, {Value{}}},
              {"title", Compare::eq, {std::string("a\0b", 3)}}};
  in.order = {{"due", false}, {"missing", true}, {"title", false}, {"title", true}};
  in.limit = 21;
  auto r = notes->page_from<List>(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"nope", FieldReason::unknown_attribute},
                                            FieldError{"archived", FieldReason::not_accepted},
                                            FieldError{"owner_id", FieldReason::wrong_type},
                                            FieldError{"rank", FieldReason::malformed},
                                            FieldError{"owner_id", FieldReason::malformed},
                                            FieldError{"title", FieldReason::wrong_type},
                                            FieldError{"title", FieldReason::contains_nul},
                                            FieldError{"due", FieldReason::not_accepted},
                                            FieldError{"missing", FieldReason::unknown_attribute},
                                            FieldError{"title", FieldReason::duplicate_name},
                                            FieldError{"limit", FieldReason::out_of_range}));
}

TEST_P(QueryInputTest, AMalformedCursorIsInvalid) {
  QueryInput in;
  in.cursor = "not-a-cursor";
  auto r = notes->page_from<List>(in);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"cursor", FieldReason::malformed}));
}

TEST_P(QueryInputTest, TestNamesRoundTrip) {
  for (Compare t : {Compare::eq, Compare::ne, Compare::lt, Compare::le, Compare::gt, Compare::ge,
                    Compare::in, Compare::is_null, Compare::starts_with}) {
    EXPECT_EQ(test_named(to_string(t)), t);
  }
  EXPECT_EQ(test_named("like"), std::nullopt);
}

OPTIMIST_CONTRACT(QueryInputTest);

// A cursor is signed with the store's key: stores sharing Options::cursor_key take each
// other's cursors (instances of one service), others refuse them.
TEST(CursorKey, StoresWithTheSameKeyShareCursors) {
  const Options keyed{.cursor_key = "sixteen bytes at least"};
  auto a = open("memory:", keyed).value();
  auto b = open("memory:", keyed).value();
  auto c = open("memory:").value();
  for (const auto& s : {a, b, c}) {
    Resource<Note> notes(s);
    for (const char* t : {"x", "y", "z"}) notes.create_or_throw(set<&Note::title>(t));
  }
  const auto q = Query<Note>().limit(1);
  const std::string cursor = *Resource<Note>(a).page(q).value().next;
  auto on_b = Resource<Note>(b).page(q, cursor);
  ASSERT_TRUE(on_b) << on_b.error();
  EXPECT_EQ(on_b.value().records.at(0).title, "y");
  auto on_c = Resource<Note>(c).page(q, cursor);
  ASSERT_FALSE(on_c);
  EXPECT_THAT(on_c.error().fields, ElementsAre(FieldError{"cursor", FieldReason::malformed}));
  auto short_key = open("memory:", {.cursor_key = "short"});
  ASSERT_FALSE(short_key);
  EXPECT_THAT(short_key.error().fields,
              ElementsAre(FieldError{"cursor_key", FieldReason::out_of_range}));
}

}  // namespace
}  // namespace optimist::testing
