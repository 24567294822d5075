// SPDX-License-Identifier: MIT
// The fixture of the transaction tests: a Member resource with one stored member, Ada, whose
// email is unique (so a second create with it fails in the database on every store).
#pragma once

#include <optional>

#include "support/backend.hpp"
#include "support/tally.hpp"

namespace optimist::testing {

class MemberTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    members.emplace(store);
    ada = members->create_or_throw(set<&test_app::Member::email>("ada@example.org"),
                                   set<&test_app::Member::name>("Ada"));
  }

  std::optional<Resource<test_app::Member>> members;
  test_app::Member ada;
};

}  // namespace optimist::testing
