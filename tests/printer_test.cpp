// SPDX-License-Identifier: MIT
// optimist's public value types print readably in failing assertions, through their own
// operator<<, without a test's own printers.
#include <gtest/gtest.h>

#include <optimist/optimist.hpp>

namespace {

using optimist::ErrorKind;
using optimist::FieldError;
using optimist::FieldReason;
using ::testing::PrintToString;

TEST(Printers, ErrorValuesPrintTheirNamesAndFields) {
  EXPECT_EQ(PrintToString(ErrorKind::stale_record), "stale_record");
  EXPECT_EQ(PrintToString(optimist::ErrorClass::framework), "framework");
  EXPECT_EQ(PrintToString(FieldReason::out_of_range), "out_of_range");
  EXPECT_EQ(PrintToString(FieldError{"version", FieldReason::out_of_range}),
            "{version, out_of_range}");
  EXPECT_EQ(PrintToString(FieldError{"name", FieldReason::too_long, 100}), "{name, too_long, 100}");
  EXPECT_EQ(PrintToString(optimist::Filter{"version", 1}), "{version: 1}");
  const optimist::Error e = optimist::make_error(ErrorKind::not_found);
  EXPECT_EQ(PrintToString(e), "not_found: " + e.message());
}

TEST(Printers, EnumsAndStepsPrintTheirNames) {
  EXPECT_EQ(PrintToString(optimist::StepKind::merge), "merge");
  EXPECT_EQ(PrintToString(optimist::StepInfo{"debit", optimist::StepKind::update, "Account"}),
            "{debit, update, Account}");
  EXPECT_EQ(PrintToString(optimist::EventKind::destroyed), "destroyed");
  EXPECT_EQ(PrintToString(optimist::ColumnType::boolean), "boolean");
  EXPECT_EQ(PrintToString(optimist::ActionKind::destroy), "destroy");
  const optimist::Event event{.resource = "Address",
                              .action = "update",
                              .key_name = "id",
                              .key = 42,
                              .version = 3,
                              .kind = optimist::EventKind::updated};
  EXPECT_EQ(PrintToString(event), "{address.updated.id:42, update, 3}");
}

}  // namespace
