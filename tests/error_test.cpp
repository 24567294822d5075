// SPDX-License-Identifier: MIT
// Errors as values: kinds, classes, the catalogue and the formatter.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "support/matchers.hpp"

namespace {

using optimist::ErrorClass;
using optimist::ErrorKind;

inline constexpr ErrorKind email_already_claimed{"email_already_claimed", ErrorClass::invalid,
                                                 "the email address is already claimed"};

TEST(Error, BuiltInKindsHaveTheirClasses) {
  EXPECT_EQ(ErrorKind::stale_record.error_class, ErrorClass::invalid);
  EXPECT_EQ(ErrorKind::not_found.error_class, ErrorClass::invalid);
  EXPECT_EQ(ErrorKind::invalid.error_class, ErrorClass::invalid);
  EXPECT_EQ(ErrorKind::conflict.error_class, ErrorClass::invalid);
  EXPECT_EQ(ErrorKind::forbidden.error_class, ErrorClass::forbidden);
  EXPECT_EQ(ErrorKind::unavailable.error_class, ErrorClass::framework);
  EXPECT_EQ(ErrorKind::internal.error_class, ErrorClass::unknown);
  EXPECT_EQ(ErrorKind::aborted.error_class, ErrorClass::invalid);
  EXPECT_NE(ErrorKind::stale_record, ErrorKind::not_found);
}

TEST(Error, ApplicationKindsTravelInTheSameErrorType) {
  optimist::Result<int> r = optimist::make_error(email_already_claimed);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, email_already_claimed);
  EXPECT_EQ(r.error().error_class(), ErrorClass::invalid);
  EXPECT_NE(r.error().kind, ErrorKind::conflict);
}

TEST(Error, EveryKindHasAMessageAndTheFormatterUsesIt) {
  for (const ErrorKind& k :
       {ErrorKind::stale_record, ErrorKind::not_found, ErrorKind::invalid, ErrorKind::conflict,
        ErrorKind::unavailable, ErrorKind::forbidden, ErrorKind::invalid_definition,
        ErrorKind::internal, email_already_claimed}) {
    const optimist::Error e = optimist::make_error(k);
    EXPECT_FALSE(e.message().empty()) << k.name;
    EXPECT_EQ(fmt::format("{}", e), e.message());
    EXPECT_EQ(fmt::format("{}", k), k.name);
  }
}

TEST(Error, ValueOnAFailedResultThrowsTheError) {
  optimist::Error e = optimist::make_error(ErrorKind::not_found);
  e.resource = "Address";
  e.key = 7;
  const optimist::Result<int> r = e;
  try {
    (void)r.value();
    FAIL() << "no exception";
  } catch (const optimist::Exception& ex) {
    EXPECT_EQ(ex.error().kind, ErrorKind::not_found);
    EXPECT_EQ(ex.error().key, 7);
    EXPECT_EQ(std::string(ex.what()), e.message());
  }
  const optimist::Result<void> v = e;
  EXPECT_THROW(v.value(), optimist::Exception);
}

// A successful Result holds its value and a pointer-sized empty error slot, not an Error.
static_assert(sizeof(optimist::Result<std::int64_t>) <= 4 * sizeof(void*));
static_assert(sizeof(optimist::Result<std::int64_t>) < sizeof(optimist::Error));
static_assert(std::is_nothrow_move_constructible_v<optimist::Result<std::string>>);

TEST(Error, CopiesOfAFailedResultAreIndependent) {
  optimist::Result<int> a = optimist::make_error(ErrorKind::not_found, "first");
  optimist::Result<int> b = a;
  b.error().detail = "second";
  EXPECT_EQ(a.error().detail, "first");
  EXPECT_EQ(b.error().detail, "second");
  a = b;
  EXPECT_EQ(a.error().detail, "second");
  b.error().key = 3;
  EXPECT_FALSE(a.error().key.has_value());

  const optimist::Result<int> moved = std::move(b);
  EXPECT_EQ(moved.error().kind, ErrorKind::not_found);
  EXPECT_EQ(moved.error().key, 3);
  const optimist::Error taken = optimist::Result<int>(moved).error();
  EXPECT_EQ(taken.detail, "second");
}

TEST(Error, ErrorOnASuccessfulResultThrows) {
  const optimist::Result<int> r = 4;
  EXPECT_THROW((void)r.error(), optimist::outcome::bad_result_access);
  optimist::Result<int> m = 4;
  EXPECT_THROW((void)std::move(m).error(), optimist::outcome::bad_result_access);
}

TEST(Error, AUnitResultFollowsTheSamePolicyAsAResult) {
  optimist::UnitError e;
  static_cast<optimist::Error&>(e) = optimist::make_error(ErrorKind::stale_record);
  e.resource = "Account";
  e.step = "debit";
  const optimist::UnitResult failed = e;
  try {
    (void)failed.value();
    FAIL() << "no exception";
  } catch (const optimist::Exception& ex) {
    EXPECT_EQ(ex.error().kind, ErrorKind::stale_record);
    EXPECT_EQ(ex.error().resource, "Account");
  }
  const optimist::UnitResult done = optimist::UnitResults{};
  EXPECT_THROW((void)done.error(), optimist::outcome::bad_result_access);
}

optimist::Result<int> half(int x) {
  if (x % 2 != 0) return optimist::make_error(ErrorKind::invalid, "odd");
  return x / 2;
}

optimist::Result<int> quarter(int x) {
  OPTIMIST_TRY(h, half(x));
  OPTIMIST_TRY(q, half(h));
  return q;
}

TEST(Error, TryPropagatesTheFirstError) {
  EXPECT_EQ(quarter(8).value(), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "odd");
}

}  // namespace
