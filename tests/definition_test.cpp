// SPDX-License-Identifier: MIT
// What a definition becomes, and the definitions refused at registration.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "resources/address.hpp"
#include "support/matchers.hpp"

namespace test {

struct BadNames {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string a;
  std::string b;
};

struct Duplicates {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::string a;
  std::string b;
};

struct ZeroVersion {
  std::int64_t id = 0;
  std::int64_t version = 0;
};

struct Misplaced {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t count = 0;
};

struct Everything {
  std::int64_t id = 0;
  int version = 1;
  bool flag = true;
  std::int32_t small = 7;
  double ratio = 0.5;
  std::string text = "x";
  std::optional<std::string> nickname;
  std::optional<std::int64_t> maybe = 3;
};

struct Tag {
  std::int64_t id = 0;
  std::int64_t version = 1;
  std::int64_t owner_id = 0;
  std::string name;
  std::string code;
};

}  // namespace test

template <>
struct optimist::Definition<test::Tag> {
  using Tag = test::Tag;
  static constexpr auto resource = optimist::resource<Tag>(
      "Tag", "tags", optimist::primary_key<&Tag::id>("id"),
      optimist::version<&Tag::version>("version"), optimist::attribute<&Tag::owner_id>("owner_id"),
      optimist::attribute<&Tag::name>("name"),
      optimist::attribute<&Tag::code>("code", {.unique = true}),
      optimist::identity<"by_name_and_owner", &Tag::name, &Tag::owner_id>(),
      optimist::identity<"by_owner", &Tag::owner_id>());
  using read = optimist::Read<"read">;
};

template <>
struct optimist::Definition<test::BadNames> {
  static constexpr auto resource = optimist::resource<test::BadNames>(
      "BadNames", "bad-names; DROP TABLE x", optimist::primary_key<&test::BadNames::id>("id"),
      optimist::version<&test::BadNames::version>("version"),
      optimist::attribute<&test::BadNames::a>("a\"b"),
      optimist::attribute<&test::BadNames::b>("9lives"));
  using read = optimist::Read<"read">;
};

template <>
struct optimist::Definition<test::Duplicates> {
  static constexpr auto resource = optimist::resource<test::Duplicates>(
      "Duplicates", "duplicates", optimist::primary_key<&test::Duplicates::id>("id"),
      optimist::version<&test::Duplicates::version>("version"),
      optimist::attribute<&test::Duplicates::a>("name"),
      optimist::attribute<&test::Duplicates::b>("name"));
};

template <>
struct optimist::Definition<test::ZeroVersion> {
  static constexpr auto resource = optimist::resource<test::ZeroVersion>(
      "ZeroVersion", "zero_versions", optimist::primary_key<&test::ZeroVersion::id>("id"),
      optimist::version<&test::ZeroVersion::version>("version"));
};

template <>
struct optimist::Definition<test::Misplaced> {
  static constexpr auto resource = optimist::resource<test::Misplaced>(
      "Misplaced", "misplaced", optimist::primary_key<&test::Misplaced::id>("id"),
      optimist::version<&test::Misplaced::version>("version"),
      optimist::attribute<&test::Misplaced::count>("count", {.required = true, .max_length = 3}));
};

template <>
struct optimist::Definition<test::Everything> {
  using E = test::Everything;
  static constexpr auto resource = optimist::resource<E>(
      "Everything", "everything", optimist::primary_key<&E::id>("id"),
      optimist::version<&E::version>("version"), optimist::attribute<&E::flag>("flag"),
      optimist::attribute<&E::small>("small"), optimist::attribute<&E::ratio>("ratio"),
      optimist::attribute<&E::text>("text", {.max_length = 10}),
      optimist::attribute<&E::nickname>("nickname", {.required = true, .unique = true}),
      optimist::attribute<&E::maybe>("maybe"));
  using read = optimist::Read<"read">;
  using create =
      optimist::Create<"create", &E::flag, &E::small, &E::ratio, &E::text, &E::nickname, &E::maybe>;
  using update = optimist::Update<"update", &E::nickname, &E::maybe, &E::ratio>;
};

namespace {

using optimist::ColumnType;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::shared_ptr<optimist::Store> memory() {
  return optimist::open("memory:").value();
}

TEST(Definition, BecomesATableInDeclarationOrderWithDefaultsFromTheStruct) {
  const auto address = optimist::Resource<app::Address>::open(memory());
  ASSERT_THAT(address, IsOk());
  const optimist::Table& t = address.value().table();
  EXPECT_EQ(t.resource, "Address");
  EXPECT_EQ(t.name, "addresses");
  ASSERT_EQ(t.columns.size(), 4u);
  EXPECT_EQ(t.columns[0].name, "id");
  EXPECT_EQ(t.primary_key, 0u);
  EXPECT_EQ(t.version, 1u);
  EXPECT_EQ(t.columns[1].default_value, optimist::Value{std::int64_t{1}});
  EXPECT_EQ(t.columns[2].name, "state");
  EXPECT_TRUE(t.columns[2].required);
  EXPECT_EQ(t.columns[2].max_length, 2u);
  EXPECT_EQ(t.columns[3].type, ColumnType::text);
  EXPECT_FALSE(t.columns[3].nullable);

  const auto everything = optimist::Resource<test::Everything>::open(memory());
  ASSERT_THAT(everything, IsOk());
  const optimist::Table& e = everything.value().table();
  EXPECT_EQ(e.columns[2].type, ColumnType::boolean);
  EXPECT_EQ(e.columns[3].type, ColumnType::integer);
  EXPECT_EQ(e.columns[3].default_value, optimist::Value{std::int64_t{7}});
  EXPECT_EQ(e.columns[4].type, ColumnType::real);
  EXPECT_TRUE(e.columns[6].nullable);
  EXPECT_THAT(e.identities, ElementsAre(optimist::Identity{"nickname", {6}}));
  EXPECT_EQ(e.columns[6].default_value, optimist::Value{});
}

TEST(Definition, IdentitiesBecomeColumnListsAfterTheUniqueAttributes) {
  const auto tags = optimist::Resource<test::Tag>::open(memory());
  ASSERT_THAT(tags, IsOk());
  EXPECT_THAT(
      tags.value().table().identities,
      ElementsAre(optimist::Identity{"code", {4}}, optimist::Identity{"by_name_and_owner", {3, 2}},
                  optimist::Identity{"by_owner", {2}}));
  EXPECT_EQ(tags.value().table().index_name(tags.value().table().identities[1]),
            "tags_by_name_and_owner_key");
}

// Identities a definition cannot express (its checks are compile errors), refused all the
// same in a Table built by hand.
TEST(Definition, ATableRefusesAnIdentityWithNoColumnsARepeatedOneOrOneItLacks) {
  optimist::Table t = optimist::detail::Schema<test::Tag>::table().value();
  t.identities = {{"none", {}}, {"twice", {2, 3, 2}}, {"beyond", {2, 5}}};
  const auto r = t.validate();
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_THAT(r.error().fields, ElementsAre(FieldError{"none", FieldReason::required},
                                            FieldError{"twice", FieldReason::duplicate_name},
                                            FieldError{"beyond", FieldReason::out_of_range}));
}

TEST(Definition, InvalidIdentifiersAreRefusedBeforeAnyTableExists) {
  const auto r = optimist::Resource<test::BadNames>::open(memory());
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_EQ(r.error().resource, "BadNames");
  EXPECT_EQ(r.error().error_class(), optimist::ErrorClass::framework);
  EXPECT_THAT(
      r.error().fields,
      UnorderedElementsAre(FieldError{"bad-names; DROP TABLE x", FieldReason::invalid_identifier},
                           FieldError{"a\"b", FieldReason::invalid_identifier},
                           FieldError{"9lives", FieldReason::invalid_identifier}));
}

TEST(Definition, DuplicateAttributeNamesAreRefused) {
  const auto r = optimist::Resource<test::Duplicates>::open(memory());
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_THAT(r.error().fields, Contains(FieldError{"name", FieldReason::duplicate_name}));
}

TEST(Definition, AVersionThatStartsBelowOneIsRefused) {
  const auto r = optimist::Resource<test::ZeroVersion>::open(memory());
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_THAT(r.error().fields, Contains(FieldError{"version", FieldReason::out_of_range}));
}

TEST(Definition, TextConstraintsOnANumberAreRefused) {
  const auto r = optimist::Resource<test::Misplaced>::open(memory());
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid_definition));
  EXPECT_THAT(r.error().fields, Contains(FieldError{"count", FieldReason::wrong_type}));
}

TEST(Definition, TheThrowingConstructorThrowsTheSameError) {
  try {
    optimist::Resource<test::BadNames> r{memory()};
    FAIL() << "an invalid definition was accepted";
  } catch (const optimist::Exception& e) {
    EXPECT_EQ(e.error().kind, ErrorKind::invalid_definition);
  }
}

TEST(Definition, EveryAttributeTypeRoundTrips) {
  const optimist::Resource<test::Everything> everything{memory()};
  auto created = everything.create(
      set<&test::Everything::flag>(false), set<&test::Everything::small>(-12),
      set<&test::Everything::ratio>(2.25), set<&test::Everything::nickname>("nick"),
      set<&test::Everything::maybe>(std::nullopt));
  ASSERT_THAT(created, IsOk());
  const test::Everything got = everything.get_or_throw(created.value().id);
  EXPECT_FALSE(got.flag);
  EXPECT_EQ(got.small, -12);
  EXPECT_EQ(got.ratio, 2.25);
  EXPECT_EQ(got.text, "x");
  EXPECT_EQ(got.nickname, "nick");
  EXPECT_EQ(got.maybe, std::nullopt);
  EXPECT_EQ(got.version, 1);

  auto missing = everything.create(set<&test::Everything::flag>(true));
  ASSERT_THAT(missing, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(missing.error().fields,
              UnorderedElementsAre(FieldError{"nickname", FieldReason::required}));

  auto taken = everything.create(set<&test::Everything::nickname>("nick"));
  ASSERT_THAT(taken, HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(taken.error().constraint, "nickname");
}

}  // namespace
