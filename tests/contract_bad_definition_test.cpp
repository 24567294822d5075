// SPDX-License-Identifier: MIT
// Definitions and units of work that are malformed, on every backend: identifiers with
// quotes, spaces or semicolons, names a database reserves, duplicate names, repeated step
// names. Each is refused with the offending name before any SQL runs; nothing is written and
// tables that exist are left alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/backend.hpp"
#include "support/matchers.hpp"
#include "support/profile.hpp"

/// A resource whose table and column names are template arguments: one type per definition.
template <optimist::detail::FixedString Table, optimist::detail::FixedString Key,
          optimist::detail::FixedString Version, optimist::detail::FixedString A,
          optimist::detail::FixedString B>
struct Named {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string a;
  std::string b;
};

template <optimist::detail::FixedString T, optimist::detail::FixedString K,
          optimist::detail::FixedString V, optimist::detail::FixedString A,
          optimist::detail::FixedString B>
struct optimist::Definition<Named<T, K, V, A, B>> {
  using N = Named<T, K, V, A, B>;
  static constexpr auto resource = optimist::resource<N>(
      "Named", T.view(), optimist::primary_key<&N::id>(K.view()),
      optimist::version<&N::version>(V.view()), optimist::attribute<&N::a>(A.view()),
      optimist::attribute<&N::b>(B.view()));
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &N::a, &N::b>;
};

/// The same with an identity of column "title" named `I`; with `Unique`, "title" is also a
/// unique attribute (so an identity named after it).
template <optimist::detail::FixedString I, bool Unique = false>
struct Identified {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string a;
  std::string b;
};

template <optimist::detail::FixedString I, bool Unique>
struct optimist::Definition<Identified<I, Unique>> {
  using N = Identified<I, Unique>;
  static constexpr auto resource =
      optimist::resource<N>("Named", "drafts", optimist::primary_key<&N::id>("id"),
                            optimist::version<&N::version>("version"),
                            optimist::attribute<&N::a>("title", {.unique = Unique}),
                            optimist::attribute<&N::b>("body"), optimist::identity<I, &N::a>());
  using read = optimist::Read<"read">;
  using create = optimist::Create<"create", &N::a, &N::b>;
};

namespace {

using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::set;
using optimist::Unit;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Profile;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAreArray;

/// The valid definition the refused ones are variations of.
template <optimist::detail::FixedString Table = "drafts", optimist::detail::FixedString A = "title",
          optimist::detail::FixedString B = "body">
using Draft = Named<Table, "id", "version", A, B>;

template <class T>
optimist::Result<void> open_as(std::shared_ptr<optimist::Store> store) {
  OPTIMIST_TRY(opened, optimist::Resource<T>::open(std::move(store)));
  (void)opened;
  return optimist::ok();
}

/// A definition that Resource::open must refuse with `fields`.
struct BadDefinition {
  std::string name;
  optimist::Result<void> (*open)(std::shared_ptr<optimist::Store>);
  std::vector<FieldError> fields;
};

constexpr auto bad = FieldReason::invalid_identifier;
constexpr auto twice = FieldReason::duplicate_name;
constexpr char long_name[] = "t123456789012345678901234567890123456789012345678901234567890123";
// 53 characters: an identifier, but "drafts_<it>_key" has 64.
constexpr char long_identity[] = "i1234567890123456789012345678901234567890123456789012";

const std::vector<BadDefinition> bad_definitions = {
    {"TableNameWithDoubleQuote", &open_as<Draft<"drafts\"">>, {{"drafts\"", bad}}},
    {"TableNameWithSingleQuote", &open_as<Draft<"draft's">>, {{"draft's", bad}}},
    {"TableNameWithSpace", &open_as<Draft<"my drafts">>, {{"my drafts", bad}}},
    {"TableNameInjection",
     &open_as<Draft<"drafts\" (x int); DROP TABLE \"profiles\"; --">>,
     {{"drafts\" (x int); DROP TABLE \"profiles\"; --", bad}}},
    {"TableNameEmpty", &open_as<Draft<"">>, {{"", bad}}},
    {"TableNameOver63Characters", &open_as<Draft<long_name>>, {{long_name, bad}}},
    {"TableNameReservedBySqlite", &open_as<Draft<"sqlite_drafts">>, {{"sqlite_drafts", bad}}},
    {"TableNameReservedBySqliteAnyCase", &open_as<Draft<"SQLite_x">>, {{"SQLite_x", bad}}},
    {"ColumnNameWithDoubleQuote", &open_as<Draft<"drafts", "ti\"tle">>, {{"ti\"tle", bad}}},
    {"ColumnNameWithSemicolon",
     &open_as<Draft<"drafts", "title; DROP TABLE profiles">>,
     {{"title; DROP TABLE profiles", bad}}},
    {"ColumnNameWithSpace", &open_as<Draft<"drafts", "the title">>, {{"the title", bad}}},
    {"ColumnNameWithDash", &open_as<Draft<"drafts", "title-text">>, {{"title-text", bad}}},
    {"ColumnNameEmpty", &open_as<Draft<"drafts", "">>, {{"", bad}}},
    {"ColumnNameStartsWithDigit", &open_as<Draft<"drafts", "1title">>, {{"1title", bad}}},
    {"ColumnNameNotAscii", &open_as<Draft<"drafts", "t\u00eftle">>, {{"t\u00eftle", bad}}},
    {"ColumnNameOver63Characters", &open_as<Draft<"drafts", long_name>>, {{long_name, bad}}},
    {"ColumnNameReservedByPostgres", &open_as<Draft<"drafts", "xmin">>, {{"xmin", bad}}},
    {"KeyNameInjection",
     &open_as<Named<"drafts", "id\" bigint); DROP TABLE profiles; --", "version", "a", "b">>,
     {{"id\" bigint); DROP TABLE profiles; --", bad}}},
    {"VersionNameWithQuote",
     &open_as<Named<"drafts", "id", "ver'sion", "a", "b">>,
     {{"ver'sion", bad}}},
    {"DuplicateColumnNames", &open_as<Draft<"drafts", "title", "title">>, {{"title", twice}}},
    {"DuplicateColumnNamesDifferingInCase",
     &open_as<Draft<"drafts", "Title", "title">>,
     {{"title", twice}}},
    {"ColumnNamedLikeTheKey", &open_as<Draft<"drafts", "id">>, {{"id", twice}}},
    {"VersionNamedLikeTheKey", &open_as<Named<"drafts", "id", "id", "a", "b">>, {{"id", twice}}},
    {"IdentityNameWithDoubleQuote", &open_as<Identified<"by\"title">>, {{"by\"title", bad}}},
    {"IdentityNameInjection",
     &open_as<Identified<"t\" ON \"profiles\" (\"handle\"); DROP TABLE \"profiles\"; --">>,
     {{"t\" ON \"profiles\" (\"handle\"); DROP TABLE \"profiles\"; --", bad}}},
    {"IdentityNameEmpty", &open_as<Identified<"">>, {{"", bad}}},
    {"IdentityIndexNameOver63Characters",
     &open_as<Identified<long_identity>>,
     {{long_identity, bad}}},
    {"IdentityNamedLikeAUniqueAttribute", &open_as<Identified<"title", true>>, {{"title", twice}}},
    {"IdentityNamesDifferingInCase", &open_as<Identified<"Title", true>>, {{"Title", twice}}},
    {"EveryProblemAtOnce",
     &open_as<Named<"my drafts", "id", "version", "b;", "b;">>,
     {{"my drafts", bad}, {"b;", bad}, {"b;", bad}, {"b;", twice}}},
};

class BadDefinitionTest : public optimist::testing::BackendCaseTest<BadDefinition> {};
OPTIMIST_CONTRACT_CASES(BadDefinitionTest, bad_definitions);

TEST_P(BadDefinitionTest, IsInvalidDefinitionAtOpenAndCreatesNoTable) {
  const optimist::Resource<Profile> profiles{store};
  const Profile kept = profiles.create_or_throw(set<&Profile::handle>("kept"));

  const auto opened = test_case().open(store);
  ASSERT_THAT(opened, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_EQ(opened.error().resource, "Named");
  EXPECT_THAT(opened.error().fields, UnorderedElementsAreArray(test_case().fields));

  // No table "drafts" was made with the refused columns: the valid definition opens on it.
  const auto drafts = optimist::Resource<Draft<>>::open(store);
  ASSERT_THAT(drafts, IsOk());
  const auto draft = drafts.value().create(set<&Draft<>::a>("t"), set<&Draft<>::b>("b"));
  ASSERT_THAT(draft, IsOk());
  EXPECT_EQ(drafts.value().get_or_throw(draft.value().id).a, "t");
  // The tables that existed are untouched.
  EXPECT_THAT(test_app::contents(profiles).records, ElementsAre(kept));
}

class DefinitionTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(DefinitionTest);

TEST_P(DefinitionTest, IdentifiersOfSixtyThreeCharactersAreAccepted) {
  using Long =
      Named<"t12345678901234567890123456789012345678901234567890123456789012", "id", "version",
            "c12345678901234567890123456789012345678901234567890123456789012", "b">;
  const auto opened = optimist::Resource<Long>::open(store);
  ASSERT_THAT(opened, IsOk());
  const auto created = opened.value().create(set<&Long::a>("a"), set<&Long::b>("b"));
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(opened.value().get_or_throw(created.value().id).a, "a");
}

/// A unit that run() must refuse as invalid, naming `step` and `field`. `before_running`: no
/// step may run at all (else earlier steps run and are rolled back).
struct BadUnit {
  std::string name;
  Unit (*build)(const Profile& kept, bool* ran);
  std::string step;
  FieldError field;
  bool before_running = true;
};

Unit rename(const Profile& kept) {
  return Unit{}.update("rename", kept, set<&Profile::handle>("renamed"));
}

optimist::Result<void> mark(bool* ran) {
  *ran = true;
  return optimist::ok();
}

const std::vector<BadUnit> bad_units = {
    {"TwoCreatesWithOneName",
     [](const Profile&, bool*) {
       return Unit{}
           .create<Profile>("add", set<&Profile::handle>("a"))
           .create<Profile>("add", set<&Profile::handle>("b"));
     },
     "add",
     {"add", twice}},
    {"UpdateAndCustomWithOneName",
     [](const Profile& kept, bool* ran) {
       return rename(kept).custom("rename", [ran](optimist::StepContext&) { return mark(ran); });
     },
     "rename",
     {"rename", twice}},
    {"CheckRepeatingAnUpdate",
     [](const Profile& kept, bool* ran) {
       return rename(kept).check("rename", [ran](optimist::StepContext&) { return mark(ran); });
     },
     "rename",
     {"rename", twice}},
    {"EmptyStepName",
     [](const Profile& kept, bool*) {
       return rename(kept).create<Profile>("", set<&Profile::handle>("a"));
     },
     "",
     {"", FieldReason::required}},
    {"RepeatedByAppend",
     [](const Profile& kept, bool*) { return rename(kept).append(rename(kept)); },
     "rename",
     {"rename", twice}},
    {"RepeatedByPrepend",
     [](const Profile& kept, bool*) {
       return Unit{}.create<Profile>("rename", set<&Profile::handle>("a")).prepend(rename(kept));
     },
     "rename",
     {"rename", twice}},
    {"MergedUnitRepeatsAnEarlierStep",
     [](const Profile& kept, bool*) {
       return rename(kept)
           .create<Profile>("add", set<&Profile::handle>("a"))
           .merge<Profile>("more", [](const optimist::UnitResults&) {
             return Unit{}.create<Profile>("add", set<&Profile::handle>("b"));
           });
     },
     "add",
     {"add", twice},
     false},
    {"MergedUnitRepeatsAStepOfItsOwn",
     [](const Profile& kept, bool*) {
       return rename(kept).merge<Profile>("more", [](const optimist::UnitResults&) {
         return Unit{}
             .create<Profile>("add", set<&Profile::handle>("a"))
             .create<Profile>("add", set<&Profile::handle>("b"));
       });
     },
     "more",
     {"add", twice},
     false},
};

class BadUnitTest : public test_app::WithOneProfile<BadUnit> {};
OPTIMIST_CONTRACT_CASES(BadUnitTest, bad_units);

TEST_P(BadUnitTest, IsInvalidNamingTheStepAndWritesNothing) {
  const BadUnit& c = test_case();
  bool ran = false;
  const Unit unit = c.build(kept, &ran);
  if (c.before_running) {
    const auto valid = unit.validate();
    ASSERT_THAT(valid, HasErrorKind(ErrorKind::invalid));
    EXPECT_THAT(valid.error().fields, ElementsAre(c.field));
  }

  const auto r = unit.run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(r.error().step, c.step);
  EXPECT_THAT(r.error().fields, ElementsAre(c.field));
  EXPECT_FALSE(ran) << "a step of a refused unit ran";
  if (c.before_running) {
    EXPECT_EQ(r.error().completed.size(), 0U);
  }

  if (c.before_running) {
    expect_only(kept);
  } else {  // the steps that ran were rolled back, though their inserts may have used keys
    EXPECT_THAT(test_app::contents(*profiles).records, ElementsAre(kept));
  }
}

}  // namespace
