// SPDX-License-Identifier: MIT
// Queries that cannot run, on every backend: values no column can hold (text with a NUL or
// not UTF-8, doubles that are not finite) through the typed filters, and conditions built by
// hand for DataLayer::select and count (wrong value types, columns out of range, wrong value
// counts, orders naming a column twice). Each is `invalid` naming every offending field,
// before any backend reads a row; and what the typed filters cannot spell (and/or/not of no
// operands, not of several) means the same everywhere.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "support/tag_fixture.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using R = FieldReason;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

struct Refused {
  std::string label;
  Where<Tag> where;
  std::vector<FieldError> fields;
};

class QueryInvalidTest : public TagTest {
 protected:
  void SetUp() override {
    TagTest::SetUp();
    if (!store) return;
    for (const char* n : {"a", "b", "c"}) add(1, n);
  }

  /// select() of `where` by hand, in key order.
  Result<std::vector<Row>> select(Condition where, std::vector<SortKey> order = {}) const {
    Selection s;
    s.where = std::move(where);
    s.order = std::move(order);
    return store->select(tags->table(), "read", std::move(s));
  }
  /// The names of rows select() returned.
  std::vector<std::string> row_names(const Result<std::vector<Row>>& rows) const {
    std::vector<std::string> out;
    if (!rows) {
      ADD_FAILURE() << rows.error();
      return out;
    }
    for (const Row& r : rows.value()) out.push_back(std::get<std::string>(r[column("name")]));
    return out;
  }
};

// Every read of many records refuses the value the same way: all, one, count, exists, page
// and for_each.
TEST_P(QueryInvalidTest, ValuesNoColumnCanHoldAreInvalidNamingTheirAttribute) {
  const std::string nul("a\0b", 3);
  const std::vector<Refused> cases{
      {"NUL in eq", eq<&Tag::name>(nul), {{"name", R::contains_nul}}},
      {"NUL in starts_with",
       starts_with<&Tag::name>(std::string(1, '\0')),
       {{"name", R::contains_nul}}},
      {"not UTF-8", eq<&Tag::name>("\xff"), {{"name", R::invalid_utf8}}},
      {"truncated in ne", ne<&Tag::color>("a\xC3"), {{"color", R::invalid_utf8}}},
      {"overlong in lt", lt<&Tag::name>("\xC0\xAF"), {{"name", R::invalid_utf8}}},
      {"surrogate in in", in<&Tag::name>({"ok", "\xED\xA0\x80"}), {{"name", R::invalid_utf8}}},
      {"truncated prefix", starts_with<&Tag::name>("\xE6\x9D"), {{"name", R::invalid_utf8}}},
      {"above U+10FFFF",
       starts_with<&Tag::color>("\xF4\x90\x80\x80"),
       {{"color", R::invalid_utf8}}},
      {"NaN", eq<&Tag::weight>(nan), {{"weight", R::out_of_range}}},
      {"infinity", gt<&Tag::weight>(inf), {{"weight", R::out_of_range}}},
      {"minus infinity", le<&Tag::weight>(-inf), {{"weight", R::out_of_range}}},
      {"NaN in in", in<&Tag::weight>({1.0, nan}), {{"weight", R::out_of_range}}},
      {"under not", !eq<&Tag::name>("\xff"), {{"name", R::invalid_utf8}}},
      {"two at once",
       eq<&Tag::name>("\xff") || (eq<&Tag::owner_id>(1) && eq<&Tag::weight>(inf)),
       {{"name", R::invalid_utf8}, {"weight", R::out_of_range}}},
  };
  for (const Refused& c : cases) {
    SCOPED_TRACE(c.label);
    const auto all = tags->all(c.where);
    EXPECT_THAT(refused_fields(all), ElementsAreArray(c.fields));
    if (!all) {
      EXPECT_EQ(all.error().resource, "Tag");
      EXPECT_EQ(all.error().action, "read");
    }
    EXPECT_THAT(refused_fields(tags->one(c.where)), ElementsAreArray(c.fields));
    EXPECT_THAT(refused_fields(tags->count(c.where)), ElementsAreArray(c.fields));
    EXPECT_THAT(refused_fields(tags->exists(c.where)), ElementsAreArray(c.fields));
    EXPECT_THAT(refused_fields(tags->page(c.where)), ElementsAreArray(c.fields));
    int visited = 0;
    EXPECT_THAT(refused_fields(tags->for_each(c.where, 2, [&](const Tag&) { ++visited; })),
                ElementsAreArray(c.fields));
    EXPECT_EQ(visited, 0);
  }
  // The store is still fine after the refusals.
  EXPECT_EQ(tags->count().value(), 3);
}

TEST_P(QueryInvalidTest, HandBuiltConditionsThatDoNotFitTheTableAreInvalid) {
  const std::size_t name = column("name");
  const std::size_t owner = column("owner_id");
  const std::size_t weight = column("weight");
  const std::size_t color = column("color");
  const std::size_t pinned = column("pinned");
  using C = Condition;
  struct Case {
    std::string label;
    Condition where;
    std::vector<FieldError> fields;
  };
  const std::vector<Case> cases{
      {"integer for text",
       C::of(optimist::Compare::eq, name, {Value{std::int64_t{1}}}),
       {{"name", R::wrong_type}}},
      {"integer for real",
       C::of(optimist::Compare::lt, weight, {Value{std::int64_t{1}}}),
       {{"weight", R::wrong_type}}},
      {"double for integer",
       C::of(optimist::Compare::eq, owner, {Value{1.0}}),
       {{"owner_id", R::wrong_type}}},
      {"bool for integer",
       C::of(optimist::Compare::eq, owner, {Value{true}}),
       {{"owner_id", R::wrong_type}}},
      {"integer for bool",
       C::of(optimist::Compare::eq, pinned, {Value{std::int64_t{1}}}),
       {{"pinned", R::wrong_type}}},
      {"NULL as a value",
       C::of(optimist::Compare::eq, color, {Value{}}),
       {{"color", R::wrong_type}}},
      {"one wrong in in",
       C::of(optimist::Compare::in, owner, {Value{std::int64_t{1}}, Value{std::string("x")}}),
       {{"owner_id", R::wrong_type}}},
      {"column out of range",
       C::of(optimist::Compare::eq, 99, {Value{std::int64_t{1}}}),
       {{"column 99", R::unknown_attribute}}},
      {"is_null with a value",
       C::of(optimist::Compare::is_null, color, {Value{std::string("x")}}),
       {{"color", R::malformed}}},
      {"eq without a value", C::of(optimist::Compare::eq, name), {{"name", R::malformed}}},
      {"eq with two values",
       C::of(optimist::Compare::eq, name, {Value{std::string("a")}, Value{std::string("b")}}),
       {{"name", R::malformed}}},
      {"starts_with on integers",
       C::of(optimist::Compare::starts_with, owner, {Value{std::int64_t{1}}}),
       {{"owner_id", R::wrong_type}}},
      {"starts_with with two values",
       C::of(optimist::Compare::starts_with, name,
             {Value{std::string("a")}, Value{std::string("b")}}),
       {{"name", R::malformed}}},
      {"NaN", C::of(optimist::Compare::eq, weight, {Value{nan}}), {{"weight", R::out_of_range}}},
      {"not UTF-8",
       C::of(optimist::Compare::ge, name, {Value{std::string("\xff")}}),
       {{"name", R::invalid_utf8}}},
      {"every one in a tree",
       C::joined(C::Kind::all_of,
                 {C::of(optimist::Compare::eq, name, {Value{std::string("a")}}),
                  C::of(optimist::Compare::eq, 99, {Value{std::int64_t{1}}}),
                  C::joined(C::Kind::none_of,
                            {C::joined(C::Kind::any_of,
                                       {C::of(optimist::Compare::gt, weight, {Value{true}})})})}),
       {{"column 99", R::unknown_attribute}, {"weight", R::wrong_type}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_THAT(refused_fields(select(c.where)), ElementsAreArray(c.fields));
    EXPECT_THAT(refused_fields(store->count(tags->table(), "read", c.where)),
                ElementsAreArray(c.fields));
  }

  Condition deep = C::of(optimist::Compare::eq, name, {Value{std::string("a")}});
  for (int i = 0; i < 70; ++i) deep = C::joined(C::Kind::none_of, {std::move(deep)});
  EXPECT_THAT(refused_fields(select(deep)), ElementsAre(FieldError{"where", R::out_of_range}));
}

TEST_P(QueryInvalidTest, HandBuiltOrdersNamingAColumnOutOfRangeOrTwiceAreInvalid) {
  const std::size_t name = column("name");
  EXPECT_THAT(refused_fields(select(Condition{}, {{42, false}})),
              ElementsAre(FieldError{"column 42", R::unknown_attribute}));
  EXPECT_THAT(refused_fields(select(Condition{}, {{name, false}, {name, true}})),
              ElementsAre(FieldError{"name", R::duplicate_name}));
  // The typed spelling of the same mistake.
  EXPECT_THAT(refused_fields(tags->all(Query<Tag>().order_by(asc<&Tag::name>, desc<&Tag::name>))),
              ElementsAre(FieldError{"name", R::duplicate_name}));
  // An order that holds the primary key is total as it is: descending keys stay descending.
  EXPECT_THAT(row_names(select(Condition{}, {{column("id"), true}})), ElementsAre("c", "b", "a"));
}

TEST_P(QueryInvalidTest, CombinationsOfNoOperandsAndNotOfSeveralMeanTheSameEverywhere) {
  using C = Condition;
  const std::size_t name = column("name");
  auto is = [&](const char* n) {
    return C::of(optimist::Compare::eq, name, {Value{std::string(n)}});
  };
  EXPECT_THAT(row_names(select(C::joined(C::Kind::all_of))), ElementsAre("a", "b", "c"));
  EXPECT_THAT(row_names(select(C::joined(C::Kind::any_of))), IsEmpty());
  EXPECT_THAT(row_names(select(C::joined(C::Kind::none_of))), ElementsAre("a", "b", "c"));
  EXPECT_THAT(row_names(select(C::joined(C::Kind::none_of, {is("a"), is("c")}))), ElementsAre("b"));
  EXPECT_THAT(row_names(select(C::joined(C::Kind::none_of, {C::joined(C::Kind::any_of)}))),
              ElementsAre("a", "b", "c"));
  EXPECT_THAT(row_names(select(C::of(optimist::Compare::in, name))), IsEmpty());
  // is_null of a column that holds no NULL: nothing, not an error.
  EXPECT_THAT(row_names(select(C::of(optimist::Compare::is_null, name))), IsEmpty());
  EXPECT_EQ(store->count(tags->table(), "read", C::joined(C::Kind::any_of)).value(), 0);
  EXPECT_EQ(store->count(tags->table(), "read", C::joined(C::Kind::none_of, {is("b")})).value(), 2);
}

TEST_P(QueryInvalidTest, AQueryMayCarryUpToTheMostValuesAndNoMore) {
  const std::size_t owner = column("owner_id");
  auto list = [&](std::size_t n, std::int64_t from) {
    Condition c = Condition::of(optimist::Compare::in, owner);
    for (std::size_t i = 0; i < n; ++i) c.values.emplace_back(from + static_cast<std::int64_t>(i));
    return c;
  };
  const std::size_t most = DataLayer::max_bound_values;
  // Two lists whose values bind in more than `most` placeholders once each grows to a power
  // of two, still within the limit counted in values.
  auto two = select(Condition::joined(Condition::Kind::any_of,
                                      {list(most / 2 + 1, 0), list(most / 2 - 1, -100'000)}));
  EXPECT_THAT(row_names(two), ElementsAre("a", "b", "c"));
  auto over = select(list(most + 1, 0));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::invalid);
  auto over_count = store->count(tags->table(), "read", list(most + 1, 0));
  ASSERT_FALSE(over_count);
  EXPECT_EQ(over_count.error().kind, ErrorKind::invalid);
}

// A page's query keeps room for its cursor's condition (k(k+1)/2 values for the k keys of
// its total order) on the first page already: a walk that starts runs to its end.
TEST_P(QueryInvalidTest, APageKeepsRoomForItsCursorFromTheFirstPageOn) {
  const std::size_t most = DataLayer::max_bound_values;
  const std::size_t cursor = 3;  // by name, then by id: name > ?, or name = ? and id > ?
  auto owners = [](std::size_t n) {
    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int64_t>(i) + 1;
    return v;
  };
  const auto fits =
      Query<Tag>(in<&Tag::owner_id>(owners(most - cursor))).order_by(asc<&Tag::name>).limit(1);
  std::vector<std::string> names;
  std::optional<std::string> next;
  do {
    auto page = tags->page(fits, next.value_or(""));
    ASSERT_TRUE(page) << page.error();
    for (const Tag& t : page.value().records) names.push_back(t.name);
    next = page.value().next;
  } while (next);
  EXPECT_THAT(names, ElementsAre("a", "b", "c"));
  // One value more: refused on the first page, not on the second.
  const auto over =
      Query<Tag>(in<&Tag::owner_id>(owners(most - cursor + 1))).order_by(asc<&Tag::name>).limit(1);
  auto refused = tags->page(over);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::invalid);
  // A read of the same query without pages may carry them all.
  EXPECT_EQ(tags->count(in<&Tag::owner_id>(owners(most))).value(), 3);
}

OPTIMIST_CONTRACT(QueryInvalidTest);

}  // namespace
}  // namespace optimist::testing
