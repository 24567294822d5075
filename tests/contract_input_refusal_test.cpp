// SPDX-License-Identifier: MIT
// Dynamic input that must be refused, on every backend: each reason, several at once, and
// never a write. The accept list is a security boundary for data as it is for set<>().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "support/profile_fixture.hpp"

namespace {

using app::Profile;
using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using optimist::Input;
using optimist::Value;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using optimist::testing::IsRefused;
using Errors = std::vector<FieldError>;

Value integer(std::int64_t i) {
  return Value{i};
}
Value text(std::string s) {
  return Value{std::move(s)};
}

class InputRefusalTest : public optimist::testing::ProfileTest {
 protected:
  /// Expects create_from(input) and update_from(ann, input) both refused with `fields`,
  /// and neither to write anything.
  void expect_refused_everywhere(const Input& input, const Errors& fields) {
    EXPECT_THAT(profiles->create_from(input), IsRefused("create", fields));
    expect_no_record_created();
    EXPECT_THAT(profiles->update_from(ann, input), IsRefused("update", fields));
    expect_ann_unchanged();
  }
  /// Expects `value` for attribute `name` refused with `reason` by create and update.
  void expect_value_refused(const std::string& name, Value value, FieldReason reason) {
    SCOPED_TRACE(name);
    expect_refused_everywhere({{"handle", text("ok")}, {name, std::move(value)}},
                              {FieldError{name, reason}});
  }
};
OPTIMIST_CONTRACT(InputRefusalTest);

TEST_P(InputRefusalTest, UnknownAttributeIsRefusedByName) {
  expect_refused_everywhere({{"handle", text("bob")}, {"nickname", text("b")}},
                            {{"nickname", FieldReason::unknown_attribute}});
  expect_refused_everywhere({{"", integer(1)}, {"handle", text("bob")}},
                            {{"", FieldReason::unknown_attribute}});
  expect_refused_everywhere({{"Handle", text("bob")}, {"handle", text("bob")}},
                            {{"Handle", FieldReason::unknown_attribute}});
}

TEST_P(InputRefusalTest, UnknownNameGivenTwiceIsReportedOnce) {
  expect_refused_everywhere(
      {{"nickname", text("a")}, {"handle", text("x")}, {"nickname", text("b")}},
      {{"nickname", FieldReason::unknown_attribute}});
}

TEST_P(InputRefusalTest, PrimaryKeyIsNeverAccepted) {
  expect_refused_everywhere({{"handle", text("bob")}, {"id", integer(ann.id + 100)}},
                            {{"id", FieldReason::not_accepted}});
}

TEST_P(InputRefusalTest, VersionIsNeverAccepted) {
  expect_refused_everywhere({{"version", integer(99)}, {"handle", text("bob")}},
                            {{"version", FieldReason::not_accepted}});
}

TEST_P(InputRefusalTest, AttributeOutsideTheAcceptListIsNotAcceptedMassAssignment) {
  expect_refused_everywhere({{"handle", text("mallory")}, {"admin", Value{true}}},
                            {{"admin", FieldReason::not_accepted}});
  EXPECT_FALSE(profiles->get_or_throw(ann.id).admin);
}

TEST_P(InputRefusalTest, AttributeAcceptedOnCreateIsNotAcceptedOnUpdate) {
  EXPECT_THAT(profiles->update_from(ann, {{"referrer", integer(ann.id)}}),
              IsRefused("update", (Errors{{"referrer", FieldReason::not_accepted}})));
  expect_ann_unchanged();
}

TEST_P(InputRefusalTest, NameGivenTwiceIsDuplicateEvenWithEqualValues) {
  expect_refused_everywhere({{"handle", text("bob")}, {"handle", text("bob")}},
                            {{"handle", FieldReason::duplicate_name}});
  expect_refused_everywhere(
      {{"age", integer(1)}, {"handle", text("bob")}, {"age", text("x")}, {"age", integer(2)}},
      {{"age", FieldReason::duplicate_name}});
  expect_refused_everywhere({{"handle", text("bob")}, {"id", integer(1)}, {"id", integer(2)}},
                            {{"id", FieldReason::duplicate_name}});
}

TEST_P(InputRefusalTest, TextAttributeTakesOnlyText) {
  for (const Value& v : {integer(5), Value{5.0}, Value{true}, Value{}}) {
    expect_refused_everywhere({{"handle", v}}, {{"handle", FieldReason::wrong_type}});
  }
}

TEST_P(InputRefusalTest, IntegerAttributeTakesNoDoubleBoolTextOrNull) {
  for (const Value& v : {Value{34.0}, Value{true}, text("34"), Value{}}) {
    expect_value_refused("age", v, FieldReason::wrong_type);
  }
}

TEST_P(InputRefusalTest, BoolAttributeTakesNoNumberTextOrNull) {
  for (const Value& v : {integer(1), integer(0), Value{1.0}, text("true"), Value{}}) {
    expect_value_refused("listed", v, FieldReason::wrong_type);
  }
}

TEST_P(InputRefusalTest, FloatingPointAttributeTakesNoBoolTextOrNull) {
  for (const Value& v : {Value{false}, text("4.5"), Value{}}) {
    expect_value_refused("rating", v, FieldReason::wrong_type);
  }
}

TEST_P(InputRefusalTest, OptionalAttributeTakesNullOrItsValueTypeOnly) {
  expect_value_refused("bio", integer(7), FieldReason::wrong_type);
  expect_value_refused("bio", Value{false}, FieldReason::wrong_type);
  EXPECT_THAT(profiles->create_from({{"handle", text("bob")}, {"referrer", text("1")}}),
              IsRefused("create", (Errors{{"referrer", FieldReason::wrong_type}})));
  EXPECT_THAT(profiles->create_from({{"handle", text("bob")}, {"referrer", Value{1.0}}}),
              IsRefused("create", (Errors{{"referrer", FieldReason::wrong_type}})));
  expect_no_record_created();
}

TEST_P(InputRefusalTest, IntegerThatDoesNotFitTheMemberIsOutOfRange) {
  constexpr auto max = std::numeric_limits<std::int32_t>::max();
  constexpr auto min = std::numeric_limits<std::int32_t>::min();
  expect_value_refused("age", integer(std::int64_t{max} + 1), FieldReason::out_of_range);
  expect_value_refused("age", integer(std::int64_t{min} - 1), FieldReason::out_of_range);
  expect_value_refused("age", integer(std::numeric_limits<std::int64_t>::min()),
                       FieldReason::out_of_range);
  EXPECT_EQ(profiles->update_from_or_throw(ann, {{"age", integer(max)}}).age, max);
}

TEST_P(InputRefusalTest, NumberThatAFloatCannotHoldIsOutOfRange) {
  expect_value_refused("rating", Value{1e39}, FieldReason::out_of_range);
  expect_value_refused("rating", Value{-1e39}, FieldReason::out_of_range);
  expect_value_refused("rating", integer(16'777'217), FieldReason::out_of_range);  // 2^24 + 1
  expect_value_refused("rating", integer(std::numeric_limits<std::int64_t>::max()),
                       FieldReason::out_of_range);
}

TEST_P(InputRefusalTest, NumbersThatAreNotFiniteAreOutOfRangeOnEveryStoreTypedOrNot) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  expect_value_refused("rating", Value{nan}, FieldReason::out_of_range);
  EXPECT_THAT(profiles->create(optimist::set<&Profile::handle>("bob"),
                               optimist::set<&Profile::rating>(nan)),
              IsRefused("create", (Errors{{"rating", FieldReason::out_of_range}})));
  EXPECT_THAT(profiles->update(ann, optimist::set<&Profile::rating>(nan)),
              IsRefused("update", (Errors{{"rating", FieldReason::out_of_range}})));
  for (const double infinite :
       {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    expect_value_refused("rating", Value{infinite}, FieldReason::out_of_range);
  }
  expect_no_record_created();
  expect_ann_unchanged();
}

TEST_P(InputRefusalTest, RequiredTextMissingOrEmptyIsRequired) {
  EXPECT_THAT(profiles->create_from({{"age", integer(3)}}),
              IsRefused("create", (Errors{{"handle", FieldReason::required}})));
  EXPECT_THAT(profiles->create_from({}),
              IsRefused("create", (Errors{{"handle", FieldReason::required}})));
  expect_no_record_created();
  expect_refused_everywhere({{"handle", text("")}}, {{"handle", FieldReason::required}});
}

TEST_P(InputRefusalTest, TextLongerThanItsMaximumIsTooLongWithTheLimit) {
  expect_refused_everywhere({{"handle", text(std::string(21, 'x'))}},
                            {{"handle", FieldReason::too_long, 20}});
  expect_refused_everywhere({{"handle", text("ok")}, {"bio", text(std::string(161, 'x'))}},
                            {{"bio", FieldReason::too_long, 160}});
  std::string twenty_emoji;
  for (int i = 0; i < 20; ++i) twenty_emoji += "\xF0\x9F\x8C\xB4";
  EXPECT_THAT(profiles->update_from(ann, {{"handle", text(twenty_emoji)}}), IsOk())
      << "code points, not bytes";
}

TEST_P(InputRefusalTest, TextThatIsNotUtf8OrHoldsNulIsRefused) {
  expect_value_refused("bio", text("caf\xC3"), FieldReason::invalid_utf8);
  expect_value_refused("bio", text("\xED\xA0\x80"), FieldReason::invalid_utf8);  // a surrogate
  expect_refused_everywhere({{"handle", text(std::string("a\0b", 3))}},
                            {{"handle", FieldReason::contains_nul}});
}

TEST_P(InputRefusalTest, EveryRefusedFieldOfACreateIsReportedAtOnceNamesFirst) {
  const Input input{{"bio", text("caf\xC3")}, {"admin", Value{true}},  {"age", text("old")},
                    {"nickname", text("x")},  {"listed", Value{true}}, {"rating", Value{1e300}},
                    {"listed", Value{false}}, {"id", integer(1)},      {"referrer", Value{}},
                    {"bio2", Value{}}};
  EXPECT_THAT(profiles->create_from(input),
              IsRefused("create", (Errors{{"admin", FieldReason::not_accepted},
                                          {"nickname", FieldReason::unknown_attribute},
                                          {"listed", FieldReason::duplicate_name},
                                          {"id", FieldReason::not_accepted},
                                          {"bio2", FieldReason::unknown_attribute},
                                          {"bio", FieldReason::invalid_utf8},
                                          {"age", FieldReason::wrong_type},
                                          {"rating", FieldReason::out_of_range},
                                          {"handle", FieldReason::required}})));
  expect_no_record_created();
}

TEST_P(InputRefusalTest, EveryRefusedFieldOfAnUpdateIsReportedAndNothingIsWritten) {
  const Input input{{"handle", text("")},    {"age", integer(35)},
                    {"version", integer(1)}, {"bio", text(std::string(200, 'b'))},
                    {"rating", Value{}},     {"referrer", integer(1)}};
  EXPECT_THAT(profiles->update_from(ann, input),
              IsRefused("update", (Errors{{"version", FieldReason::not_accepted},
                                          {"referrer", FieldReason::not_accepted},
                                          {"handle", FieldReason::required},
                                          {"bio", FieldReason::too_long, 160},
                                          {"rating", FieldReason::wrong_type}})));
  expect_ann_unchanged();
}

TEST_P(InputRefusalTest, VersionBelowOneIsRefusedBeforeTheInputIsRead) {
  Profile copy = ann;
  copy.version = 0;
  EXPECT_THAT(profiles->update_from(copy, {{"nickname", text("x")}, {"age", integer(9)}}),
              IsRefused("update", (Errors{{"version", FieldReason::out_of_range}})));
  expect_ann_unchanged();
}

TEST_P(InputRefusalTest, OrThrowFormsThrowTheSameError) {
  try {
    (void)profiles->create_from_or_throw({{"admin", Value{true}}, {"handle", text("m")}});
    FAIL() << "a refused create did not throw";
  } catch (const optimist::Exception& e) {
    EXPECT_EQ(e.error().kind, ErrorKind::invalid);
    EXPECT_EQ(e.error().fields, (Errors{{"admin", FieldReason::not_accepted}}));
  }
  EXPECT_THROW((void)profiles->update_from_or_throw(ann, {{"id", integer(1)}}),
               optimist::Exception);
  expect_no_record_created();
  expect_ann_unchanged();
}

}  // namespace
