// SPDX-License-Identifier: MIT
// No key or version that never committed passes a later lock check: a rolled-back create's
// key is never handed out again, and a failed unit reports its records as the store holds
// them after the rollback, on every store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "support/matchers.hpp"
#include "support/member_fixture.hpp"

namespace {

using optimist::ErrorKind;
using optimist::make_error;
using optimist::Result;
using optimist::set;
using optimist::StepContext;
using optimist::Unit;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Member;

class RolledBackTest : public optimist::testing::MemberTest {
 protected:
  // A committed create by someone else, after the rollback.
  Member stranger() {
    return members->create_or_throw(set<&Member::email>("eve@example.org"),
                                    set<&Member::name>("Eve"));
  }

  // What a holder of a rolled-back copy must never manage: a write on a stranger's record.
  void expect_unusable(const Member& rolled_back, const Member& other) {
    EXPECT_NE(rolled_back.id, other.id) << "the rolled-back key was handed out again";
    EXPECT_THAT(members->update(rolled_back, set<&Member::name>("Mallory")),
                HasErrorKind(ErrorKind::not_found));
    EXPECT_EQ(members->get_or_throw(other.id).name, "Eve");
  }

  static Result<int> refused(StepContext&) { return make_error(ErrorKind::conflict); }
};
OPTIMIST_CONTRACT(RolledBackTest);

TEST_P(RolledBackTest, ARolledBackCreatesKeyIsNeverHandedOutAgain) {
  auto tx = store->begin().value();
  const Member bob = members->in(*tx).create_or_throw(set<&Member::email>("bob@example.org"));
  ASSERT_THAT(tx->rollback(), IsOk());
  expect_unusable(bob, stranger());
}

TEST_P(RolledBackTest, AnAbandonedTransactionsKeysAreNeverHandedOutAgain) {
  Member bob;
  {
    auto tx = store->begin().value();
    bob = members->in(*tx).create_or_throw(set<&Member::email>("bob@example.org"));
  }  // destroyed unfinished: rolled back
  expect_unusable(bob, stranger());
}

TEST_P(RolledBackTest, AnAbortedCommitsKeysAreNeverHandedOutAgain) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  const Member bob = in_tx.create_or_throw(set<&Member::email>("bob@example.org"));
  ASSERT_THAT(in_tx.create(set<&Member::email>("ada@example.org")),
              HasErrorKind(ErrorKind::conflict));
  ASSERT_THAT(tx->commit(), HasErrorKind(ErrorKind::aborted));
  expect_unusable(bob, stranger());
}

TEST_P(RolledBackTest, KeysRolledBackToASavepointAreNeverHandedOutAgain) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  ASSERT_THAT(tx->savepoint(), IsOk());
  const Member bob = in_tx.create_or_throw(set<&Member::email>("bob@example.org"));
  ASSERT_THAT(tx->rollback_to_savepoint(), IsOk());
  const Member cy = in_tx.create_or_throw(set<&Member::email>("cy@example.org"));
  EXPECT_NE(cy.id, bob.id) << "the key rolled back to the savepoint was handed out again";
  // Rolled back with the transaction, both keys stay spent.
  ASSERT_THAT(tx->rollback(), IsOk());
  const Member eve = stranger();
  EXPECT_NE(eve.id, bob.id);
  EXPECT_NE(eve.id, cy.id);
  expect_unusable(bob, eve);
  expect_unusable(cy, eve);
}

TEST_P(RolledBackTest, AFailedUnitsCreatedKeyIsNeverHandedOutAgain) {
  Member made;
  const auto r = Unit{}
                     .custom<Member>("made",
                                     [&made](StepContext& ctx) -> Result<Member> {
                                       OPTIMIST_TRY(in_tx, ctx.resource<Member>());
                                       OPTIMIST_TRY(m, in_tx.create(set<&Member::email>("b@x")));
                                       made = m;
                                       return m;
                                     })
                     .create<Member>("also", set<&Member::email>("c@example.org"))
                     .custom("refused", &refused)
                     .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::conflict));
  // The created records never existed: the failed unit reports neither.
  EXPECT_FALSE(r.error().completed.contains("made"));
  EXPECT_FALSE(r.error().completed.contains("also"));
  ASSERT_GT(made.id, 0);
  expect_unusable(made, stranger());
}

TEST_P(RolledBackTest, AFailedUnitReportsItsRecordsAsTheStoreHoldsThem) {
  const auto r = Unit{}
                     .update("renamed", ada, set<&Member::name>("Ada L."))
                     .custom("refused", &refused)
                     .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::conflict));
  const Member& reported = r.error().completed.get<Member>("renamed");
  EXPECT_EQ(reported.version, ada.version) << "the report carries a rolled-back version";
  EXPECT_EQ(reported.name, "Ada");

  // The next committed update takes the record to the version the rolled-back one had: the
  // reported copy is stale against it.
  const Member renamed = members->update_or_throw(ada, set<&Member::email>("ada@example.com"));
  ASSERT_EQ(renamed.version, ada.version + 1);
  EXPECT_THAT(members->update(reported, set<&Member::name>("Mallory")),
              HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(members->get_or_throw(ada.id).name, "Ada");
}

TEST_P(RolledBackTest, AUnitWhoseCommitFailsReportsItsRecordsAsTheStoreHoldsThem) {
  const auto r = Unit{}
                     .update("renamed", ada, set<&Member::name>("Ada L."))
                     .custom<Member>("swallowed",
                                     [](StepContext& ctx) -> Result<int> {
                                       OPTIMIST_TRY(in_tx, ctx.resource<Member>());
                                       // A failed call, swallowed: the commit is refused.
                                       (void)in_tx.create(set<&Member::email>("ada@example.org"));
                                       return 7;
                                     })
                     .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::aborted));
  EXPECT_TRUE(r.error().step.empty());
  const Member& reported = r.error().completed.get<Member>("renamed");
  EXPECT_EQ(reported.version, ada.version);
  EXPECT_EQ(reported.name, "Ada");
  EXPECT_EQ(r.error().completed.get<int>("swallowed"), 7) << "a value that is no record is kept";
}

}  // namespace
