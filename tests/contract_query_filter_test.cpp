// SPDX-License-Identifier: MIT
// Query filters on every backend, checked against the documented semantics written out here
// as plain C++ predicates: each comparison on integers, doubles (with integer values too),
// booleans, text by code point and nullable text; `in` (empty, duplicated, long); NULLs
// under ne and not; starts_with whose prefix holds wildcards, quotes or the last code points;
// and/or/not nested.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "support/tag_fixture.hpp"

namespace optimist::testing {
namespace {

using app::Tag;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();

/// A filter and the records it must match, as a predicate on the stored tag.
struct FilterCase {
  std::string label;
  Where<Tag> where;
  std::function<bool(const Tag&)> matches;
};

/// A predicate on a tag's color that is false when the tag has none.
std::function<bool(const Tag&)> color(std::function<bool(const std::string&)> f) {
  return [f = std::move(f)](const Tag& t) { return t.color && f(*t.color); };
}

class QueryFilterTest : public TagTest {
 protected:
  void SetUp() override {
    TagTest::SetUp();
    if (!store) return;
    const std::vector<NewTag> data{
        {1, "ada", "red", 2.0, true},
        {1, "Ada", std::nullopt, 1.0, false},
        {2, "bob", "blue", 2.5, false},
        {2, "cpp", std::nullopt, -0.5, true},
        {0, "c%t", "", 0.0, false},
        {-3, "\xC3\xA9", "Red", 3.0, true},
        {int_max, "zed", "red", 1e300, false},
        {int_min, "\xE6\x9D\xB1\xE4\xBA\xAC", std::nullopt, -1e300, true},
        {1, "o'neil", "blue", 5e-324, false},
        {2, "say \"hi\"", "red", 2.0, false},
        {1, "b", "red", 2.0, false},
    };
    for (const NewTag& t : data) stored.push_back(add(t));
  }

  /// Every case's filter through all() and count() against its predicate.
  void expect_cases(const std::vector<FilterCase>& cases) const {
    for (const FilterCase& c : cases) {
      SCOPED_TRACE(c.label);
      std::vector<std::int64_t> expected;
      for (const Tag& t : stored) {
        if (c.matches(t)) expected.push_back(t.id);
      }
      auto found = tags->all(c.where);
      ASSERT_TRUE(found) << found.error();
      EXPECT_EQ(ids(found.value()), expected);
      EXPECT_EQ(tags->count(c.where).value(), static_cast<std::int64_t>(expected.size()));
      EXPECT_EQ(tags->exists(c.where).value(), !expected.empty());
    }
  }

  std::vector<Tag> stored;  // in key order
};

TEST_P(QueryFilterTest, ComparesIntegersWithIntegersOfEveryWidth) {
  expect_cases({
      {"eq", eq<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id == 1; }},
      {"ne", ne<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id != 1; }},
      {"lt", lt<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id < 1; }},
      {"le", le<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id <= 1; }},
      {"gt", gt<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id > 1; }},
      {"ge", ge<&Tag::owner_id>(1), [](const Tag& t) { return t.owner_id >= 1; }},
      {"eq negative short", eq<&Tag::owner_id>(short{-3}),
       [](const Tag& t) { return t.owner_id == -3; }},
      {"lt unsigned", lt<&Tag::owner_id>(2U), [](const Tag& t) { return t.owner_id < 2; }},
      {"eq max", eq<&Tag::owner_id>(int_max), [](const Tag& t) { return t.owner_id == int_max; }},
      {"ge max", ge<&Tag::owner_id>(int_max), [](const Tag& t) { return t.owner_id == int_max; }},
      {"gt max", gt<&Tag::owner_id>(int_max), [](const Tag&) { return false; }},
      {"le min", le<&Tag::owner_id>(int_min), [](const Tag& t) { return t.owner_id == int_min; }},
      {"lt min", lt<&Tag::owner_id>(int_min), [](const Tag&) { return false; }},
      {"ge min", ge<&Tag::owner_id>(int_min), [](const Tag&) { return true; }},
      {"version", eq<&Tag::version>(1), [](const Tag&) { return true; }},
  });
}

TEST_P(QueryFilterTest, ComparesDoublesAsNumbersWhetherTheValueIsAnIntegerOrNot) {
  expect_cases({
      {"eq integer", eq<&Tag::weight>(2), [](const Tag& t) { return t.weight == 2.0; }},
      {"eq double", eq<&Tag::weight>(2.0), [](const Tag& t) { return t.weight == 2.0; }},
      {"eq float", eq<&Tag::weight>(2.5F), [](const Tag& t) { return t.weight == 2.5; }},
      {"lt integer", lt<&Tag::weight>(2), [](const Tag& t) { return t.weight < 2.0; }},
      {"le integer", le<&Tag::weight>(2), [](const Tag& t) { return t.weight <= 2.0; }},
      {"gt integer", gt<&Tag::weight>(2), [](const Tag& t) { return t.weight > 2.0; }},
      {"ge integer", ge<&Tag::weight>(std::int64_t{3}), [](const Tag& t) { return t.weight >= 3; }},
      {"ne integer", ne<&Tag::weight>(2), [](const Tag& t) { return t.weight != 2.0; }},
      {"between", gt<&Tag::weight>(-1) && lt<&Tag::weight>(2.5),
       [](const Tag& t) { return t.weight > -1 && t.weight < 2.5; }},
      {"negative zero is zero", eq<&Tag::weight>(-0.0), [](const Tag& t) { return t.weight == 0; }},
      {"integer zero", eq<&Tag::weight>(0), [](const Tag& t) { return t.weight == 0; }},
      {"above zero", gt<&Tag::weight>(0), [](const Tag& t) { return t.weight > 0; }},
      {"subnormal", eq<&Tag::weight>(5e-324), [](const Tag& t) { return t.weight == 5e-324; }},
      {"huge", ge<&Tag::weight>(1e300), [](const Tag& t) { return t.weight >= 1e300; }},
      {"below the largest integer", lt<&Tag::weight>(int_max),
       [](const Tag& t) { return t.weight < 9.2233720368547758e18; }},
      {"in integers", in<&Tag::weight>({2, 3}),
       [](const Tag& t) { return t.weight == 2 || t.weight == 3; }},
      {"in mixed", in<&Tag::weight>(std::vector<double>{-0.5, 1e300}),
       [](const Tag& t) { return t.weight == -0.5 || t.weight == 1e300; }},
  });
}

TEST_P(QueryFilterTest, ComparesBooleansWithFalseBelowTrue) {
  expect_cases({
      {"eq true", eq<&Tag::pinned>(true), [](const Tag& t) { return t.pinned; }},
      {"eq false", eq<&Tag::pinned>(false), [](const Tag& t) { return !t.pinned; }},
      {"ne true", ne<&Tag::pinned>(true), [](const Tag& t) { return !t.pinned; }},
      {"lt true", lt<&Tag::pinned>(true), [](const Tag& t) { return !t.pinned; }},
      {"lt false", lt<&Tag::pinned>(false), [](const Tag&) { return false; }},
      {"le false", le<&Tag::pinned>(false), [](const Tag& t) { return !t.pinned; }},
      {"gt false", gt<&Tag::pinned>(false), [](const Tag& t) { return t.pinned; }},
      {"ge false", ge<&Tag::pinned>(false), [](const Tag&) { return true; }},
      {"in true", in<&Tag::pinned>({true}), [](const Tag& t) { return t.pinned; }},
      {"in both", in<&Tag::pinned>({true, false}), [](const Tag&) { return true; }},
      {"in a std::vector<bool>", in<&Tag::pinned>(std::vector<bool>{false}),
       [](const Tag& t) { return !t.pinned; }},
  });
}

TEST_P(QueryFilterTest, ComparesTextByCodePointAndCase) {
  expect_cases({
      {"eq is exact", eq<&Tag::name>("ada"), [](const Tag& t) { return t.name == "ada"; }},
      {"eq std::string", eq<&Tag::name>(std::string("Ada")),
       [](const Tag& t) { return t.name == "Ada"; }},
      {"eq quotes", eq<&Tag::name>("say \"hi\""), [](const Tag& t) { return t.name[0] == 's'; }},
      {"eq apostrophe", eq<&Tag::name>("o'neil"), [](const Tag& t) { return t.name[0] == 'o'; }},
      {"eq wildcard is literal", eq<&Tag::name>("c_t"), [](const Tag&) { return false; }},
      {"ne", ne<&Tag::name>("ada"), [](const Tag& t) { return t.name != "ada"; }},
      {"lt", lt<&Tag::name>("b"), [](const Tag& t) { return t.name < "b"; }},
      {"le", le<&Tag::name>("b"), [](const Tag& t) { return t.name <= "b"; }},
      {"gt", gt<&Tag::name>("zed"), [](const Tag& t) { return t.name > "zed"; }},
      {"ge multibyte", ge<&Tag::name>("\xC3\xA9"),
       [](const Tag& t) { return t.name >= "\xC3\xA9"; }},
      {"lt uppercase", lt<&Tag::name>("a"), [](const Tag& t) { return t.name < "a"; }},
      {"gt empty", gt<&Tag::name>(""), [](const Tag&) { return true; }},
      {"in", in<&Tag::name>({"bob", "zed", "nobody", "bob"}),
       [](const Tag& t) { return t.name == "bob" || t.name == "zed"; }},
  });
}

TEST_P(QueryFilterTest, NullMatchesOnlyIsNullAndTheNotOfATest) {
  auto none = [](const Tag& t) { return !t.color; };
  expect_cases({
      {"is_null", is_null<&Tag::color>(), none},
      {"not is_null", !is_null<&Tag::color>(), [](const Tag& t) { return t.color.has_value(); }},
      {"eq", eq<&Tag::color>("red"), color([](const std::string& c) { return c == "red"; })},
      {"eq empty", eq<&Tag::color>(""), color([](const std::string& c) { return c.empty(); })},
      {"ne", ne<&Tag::color>("red"), color([](const std::string& c) { return c != "red"; })},
      {"not eq", !eq<&Tag::color>("red"),
       [](const Tag& t) { return !t.color || *t.color != "red"; }},
      {"not ne", !ne<&Tag::color>("red"),
       [](const Tag& t) { return !t.color || *t.color == "red"; }},
      {"lt", lt<&Tag::color>("c"), color([](const std::string& c) { return c < "c"; })},
      {"not lt", not_(lt<&Tag::color>("c")),
       [](const Tag& t) { return !t.color || *t.color >= "c"; }},
      {"ge empty: every value", ge<&Tag::color>(""), [](const Tag& t) { return !!t.color; }},
      {"in", in<&Tag::color>({"red", "x"}), color([](const std::string& c) { return c == "red"; })},
      {"not in", !in<&Tag::color>({"red", "x"}),
       [](const Tag& t) { return !t.color || *t.color != "red"; }},
      {"starts_with empty", starts_with<&Tag::color>(""), [](const Tag& t) { return !!t.color; }},
      {"not starts_with empty", !starts_with<&Tag::color>(""), none},
      {"eq or ne", eq<&Tag::color>("red") || ne<&Tag::color>("red"),
       [](const Tag& t) { return !!t.color; }},
      {"not (eq or ne)", !(eq<&Tag::color>("red") || ne<&Tag::color>("red")), none},
      {"not not eq", !!eq<&Tag::color>("red"),
       color([](const std::string& c) { return c == "red"; })},
      {"eq or is_null", eq<&Tag::color>("blue") || is_null<&Tag::color>(),
       [](const Tag& t) { return !t.color || *t.color == "blue"; }},
      {"not (ne and pinned)", !(ne<&Tag::color>("red") && eq<&Tag::pinned>(true)),
       [](const Tag& t) { return !(t.color && *t.color != "red" && t.pinned); }},
  });
}

TEST_P(QueryFilterTest, InWithNoValuesMatchesNothingAndItsNotEverything) {
  const std::vector<std::string> no_names;
  const std::vector<std::int64_t> no_owners;
  expect_cases({
      {"in none", in<&Tag::name>(no_names), [](const Tag&) { return false; }},
      {"in none nullable", in<&Tag::color>(no_names), [](const Tag&) { return false; }},
      {"not in none", !in<&Tag::owner_id>(no_owners), [](const Tag&) { return true; }},
      {"in none or eq", in<&Tag::owner_id>(no_owners) || eq<&Tag::owner_id>(2),
       [](const Tag& t) { return t.owner_id == 2; }},
      {"in none and anything", in<&Tag::owner_id>(no_owners) && ge<&Tag::owner_id>(int_min),
       [](const Tag&) { return false; }},
  });
}

TEST_P(QueryFilterTest, CombinesFiltersNestedInEveryWay) {
  const auto a = eq<&Tag::owner_id>(1);
  const auto b = eq<&Tag::pinned>(true);
  const auto c = starts_with<&Tag::name>("a");
  auto pa = [](const Tag& t) { return t.owner_id == 1; };
  auto pb = [](const Tag& t) { return t.pinned; };
  auto pc = [](const Tag& t) { return t.name.starts_with("a"); };
  expect_cases({
      {"every record", Where<Tag>(), [](const Tag&) { return true; }},
      {"no record", !Where<Tag>(), [](const Tag&) { return false; }},
      {"and", a && b, [=](const Tag& t) { return pa(t) && pb(t); }},
      {"or", a || b, [=](const Tag& t) { return pa(t) || pb(t); }},
      {"and of three", and_(a, b, c), [=](const Tag& t) { return pa(t) && pb(t) && pc(t); }},
      {"or of three", or_(a, b, c), [=](const Tag& t) { return pa(t) || pb(t) || pc(t); }},
      {"chained and", (a && b) && c, [=](const Tag& t) { return pa(t) && pb(t) && pc(t); }},
      {"and of or", (a || b) && c, [=](const Tag& t) { return (pa(t) || pb(t)) && pc(t); }},
      {"or of and", a || (b && c), [=](const Tag& t) { return pa(t) || (pb(t) && pc(t)); }},
      {"not of and", !(a && b), [=](const Tag& t) { return !(pa(t) && pb(t)); }},
      {"not of or", not_(a || c), [=](const Tag& t) { return !(pa(t) || pc(t)); }},
      {"and of nots", !a && !b, [=](const Tag& t) { return !pa(t) && !pb(t); }},
      {"three levels", or_(!(a && (b || !c)), and_(!b, c)),
       [=](const Tag& t) { return !(pa(t) && (pb(t) || !pc(t))) || (!pb(t) && pc(t)); }},
      {"attribute with itself", gt<&Tag::weight>(0) && lt<&Tag::weight>(0),
       [](const Tag&) { return false; }},
  });
}

TEST_P(QueryFilterTest, WhereOnAQueryAddsToItsFilter) {
  auto q = Query<Tag>(eq<&Tag::owner_id>(1));
  q.where(eq<&Tag::pinned>(false)).where(ne<&Tag::name>("b"));
  auto found = tags->all(q);
  ASSERT_TRUE(found) << found.error();
  EXPECT_THAT(names(found.value()), ElementsAre("Ada", "o'neil"));
  auto from_nothing = tags->all(Query<Tag>().where(eq<&Tag::name>("zed")));
  EXPECT_THAT(names(from_nothing.value()), ElementsAre("zed"));
}

/// Tests that store their own records.
class QueryValuesTest : public TagTest {};

// The values that `in` binds grow to a power of two (the last repeated): lists just past one
// must still match their last value, and nothing past it.
TEST_P(QueryValuesTest, InMatchesEveryValueOfLongLists) {
  for (const std::int64_t owner : {0, 511, 999, 1000, 1023, 1024, 1025, 4097}) {
    add(owner, fmt::format("o{}", owner));
  }
  auto upto = [](std::int64_t n) {
    std::vector<std::int64_t> v;
    for (std::int64_t i = 0; i < n; ++i) v.push_back(i);
    return v;
  };
  auto owners = [&](std::int64_t n) {
    std::vector<std::int64_t> out;
    const auto found = tags->all(Query<Tag>(in<&Tag::owner_id>(upto(n))));
    for (const Tag& t : found.value()) out.push_back(t.owner_id);
    return out;
  };
  EXPECT_THAT(owners(1000), ElementsAre(0, 511, 999));
  EXPECT_THAT(owners(1024), ElementsAre(0, 511, 999, 1000, 1023));
  EXPECT_THAT(owners(1025), ElementsAre(0, 511, 999, 1000, 1023, 1024));
  EXPECT_THAT(owners(1026), ElementsAre(0, 511, 999, 1000, 1023, 1024, 1025));
  EXPECT_THAT(owners(4098), ElementsAre(0, 511, 999, 1000, 1023, 1024, 1025, 4097));
  EXPECT_EQ(tags->count(in<&Tag::owner_id>(upto(1025))).value(), 6);

  std::vector<std::string> wanted;
  for (int i = 0; i < 1000; ++i) wanted.push_back(fmt::format("o{}", i * 3));
  EXPECT_THAT(names(tags->all(Query<Tag>(in<&Tag::name>(wanted))).value()),
              ElementsAre("o0", "o999", "o1023"));
  // Past the most values one query may carry: refused, not truncated.
  auto over = tags->all(Query<Tag>(in<&Tag::owner_id>(upto(DataLayer::max_bound_values + 1))));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, ErrorKind::invalid);
}

// starts_with is a range on code points, never LIKE: every character of the prefix stands for
// itself, and prefixes that end in the last code points still find their records.
TEST_P(QueryValuesTest, StartsWithTreatsEveryCharacterAsItself) {
  const std::vector<std::string> corpus{
      "cat",
      "car",
      "c%t",
      "c%",
      "c_t",
      "cxt",
      "c\\t",
      "c\\",
      "c",
      "C",
      "c't",
      "o'brien",
      "o",
      "say \"hi\"",
      "\"",
      "%",
      "_",
      "\\",
      "'",
      "\xC3\xA9",
      "\xC3\xA9toile",
      "e",
      "f",
      "\xC3\xBF",                  // U+00FF: the successor crosses a byte
      "\xC4\x80",                  // U+0100
      "\xE4\xB8\x9C\xE4\xBA\xAC",  // 东京
      "\xE6\x9D\xB1\xE4\xBA\xAC",  // 東京
      "\xED\x9F\xBF",
      "\xED\x9F\xBFx",  // U+D7FF, the last before the surrogates
      "\xEE\x80\x80",
      "\xEE\x80\x80"
      "a",  // U+E000, the first after them
      "\xEF\xBF\xBF",
      "\xF0\x90\x80\x80",  // U+FFFF, U+10000
      "\xF4\x8F\xBF\xBF",  // U+10FFFF
      "a\xF4\x8F\xBF\xBF",
      "a\xF4\x8F\xBF\xBF"
      "b",
      "a\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF",
      "a",
      "ab",
      "b",
  };
  for (const std::string& n : corpus) add(1, n);
  const std::vector<std::string> prefixes{
      "",
      "c",
      "c%",
      "c_",
      "c\\",
      "%",
      "_",
      "\\",
      "'",
      "c'",
      "o'",
      "\"",
      "say \"",
      "\xC3\xA9",
      "\xC3\xBF",
      "\xE4\xB8\x9C",
      "\xE6\x9D\xB1",
      "\xED\x9F\xBF",
      "\xEE\x80\x80",
      "\xEF\xBF\xBF",
      "\xF4\x8F\xBF\xBF",
      "a\xF4\x8F\xBF\xBF",
      "a\xF4\x8F\xBF\xBF\xF4\x8F\xBF\xBF",
      "a",
      "b",
      "zzz",
  };
  for (const std::string& prefix : prefixes) {
    SCOPED_TRACE("prefix " + ::testing::PrintToString(prefix));
    std::vector<std::string> expected;
    for (const std::string& n : corpus) {
      if (n.starts_with(prefix)) expected.push_back(n);
    }
    std::sort(expected.begin(), expected.end());  // bytes of UTF-8: code point order
    auto found = tags->all(Query<Tag>(starts_with<&Tag::name>(prefix)).order_by(asc<&Tag::name>));
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(names(found.value()), expected);
    auto others = tags->count(!starts_with<&Tag::name>(prefix));
    EXPECT_EQ(others.value(), static_cast<std::int64_t>(corpus.size() - expected.size()));
  }
}

TEST_P(QueryValuesTest, StartsWithOnANullableAttributeSkipsNulls) {
  add(NewTag{.owner = 1, .name = "a", .color = "re%d"});
  add(NewTag{.owner = 1, .name = "b"});
  add(NewTag{.owner = 1, .name = "c", .color = "red"});
  EXPECT_THAT(names(tags->all(starts_with<&Tag::color>("re%")).value()), ElementsAre("a"));
  EXPECT_THAT(names(tags->all(starts_with<&Tag::color>("re")).value()), ElementsAre("a", "c"));
  EXPECT_THAT(names(tags->all(!starts_with<&Tag::color>("re")).value()), ElementsAre("b"));
  EXPECT_THAT(tags->all(starts_with<&Tag::color>("x")).value(), IsEmpty());
}

OPTIMIST_CONTRACT(QueryFilterTest);
OPTIMIST_CONTRACT(QueryValuesTest);

}  // namespace
}  // namespace optimist::testing
