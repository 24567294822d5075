// SPDX-License-Identifier: MIT
// The fixture of the dynamic-input tests: a Profile resource with one stored record, and
// the checks that a refused call wrote nothing.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "resources/profile.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace optimist::testing {

/// Matches a Result that failed with kind invalid for Profile's `action`, whose fields are
/// exactly `fields` (std::vector<FieldError>), in order.
MATCHER_P2(IsRefused, action, fields, "fails with invalid for Profile." + std::string(action)) {
  if (arg) {
    *result_listener << "succeeds";
    return false;
  }
  const Error& e = arg.error();
  *result_listener << "fails with " << e.kind.name << ": " << e.message();
  return e.kind == ErrorKind::invalid && e.resource == "Profile" && e.action == action &&
         e.fields == fields;
}

class ProfileTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    auto opened = Resource<app::Profile>::open(store);
    ASSERT_THAT(opened, IsOk());
    profiles.emplace(std::move(opened).value());
    ann = profiles->create_from_or_throw(
        {{"handle", std::string("ann")}, {"age", Value{std::int64_t{34}}}});
    last_key = ann.id;
  }

  /// Fails unless no record was created since SetUp or the last call: the next key is free.
  void expect_no_record_created() {
    const app::Profile marker = profiles->create_or_throw(set<&app::Profile::handle>("marker"));
    EXPECT_EQ(marker.id, last_key + 1) << "a refused create wrote a row or used up a key";
    last_key = marker.id;
  }

  /// Fails unless the stored `ann` is exactly as SetUp created it.
  void expect_ann_unchanged() const { EXPECT_EQ(profiles->get_or_throw(ann.id), ann); }

  std::optional<Resource<app::Profile>> profiles;
  app::Profile ann;
  std::int64_t last_key = 0;
};

}  // namespace optimist::testing
