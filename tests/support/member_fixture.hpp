// SPDX-License-Identifier: MIT
// The fixtures of the transaction tests: a Member resource with one stored member, Ada, whose
// email is unique (so a second create with it fails in the database on every store), and
// the same with the events published after her create recorded.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

/// MemberTest that also records the topic of every event published after Ada's create.
class MemberEventsTest : public MemberTest {
 protected:
  void SetUp() override {
    MemberTest::SetUp();
    if (!store) return;
    subscription =
        store->events()
            .subscribe("*.*.*", [this](const Event& e) { published.push_back(e.topic()); })
            .value();
  }

  std::vector<std::string> published;
  Subscription subscription;
};

}  // namespace optimist::testing
