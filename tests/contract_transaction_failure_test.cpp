// SPDX-License-Identifier: MIT
// After a failed call, every store leaves a transaction only its rollback; a savepoint taken
// before the call lets the transaction recover and go on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/matchers.hpp"
#include "support/member_fixture.hpp"

namespace {

using optimist::ErrorKind;
using optimist::set;
using optimist::Transaction;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Member;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TransactionFailureTest : public optimist::testing::MemberEventsTest {
 protected:
  // A create that the unique email refuses: a failure in the database on every SQL store.
  optimist::Result<Member> taken(const optimist::Resource<Member>& in_tx) {
    return in_tx.create(set<&Member::email>("ada@example.org"), set<&Member::name>("Copy"));
  }
};
OPTIMIST_CONTRACT(TransactionFailureTest);

TEST_P(TransactionFailureTest, AfterAFailedCallOnlyRollbackIsLeft) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  ASSERT_THAT(in_tx.update(ada, set<&Member::name>("Ada L.")), IsOk());
  ASSERT_THAT(taken(in_tx), HasErrorKind(ErrorKind::conflict));

  const auto read = in_tx.get(ada.id);
  ASSERT_THAT(read, HasErrorKind(ErrorKind::aborted));
  EXPECT_EQ(read.error().key, ada.id);
  EXPECT_FALSE(read.error().detail.empty()) << "the earlier failure is named";
  EXPECT_THAT(in_tx.create(set<&Member::email>("bob@example.org")),
              HasErrorKind(ErrorKind::aborted));
  EXPECT_THAT(tx->savepoint(), HasErrorKind(ErrorKind::aborted));
  EXPECT_THAT(tx->commit(), HasErrorKind(ErrorKind::aborted));
  EXPECT_FALSE(tx->active());

  const Member stored = members->get_or_throw(ada.id);
  EXPECT_EQ(stored.name, "Ada") << "a write before the failure was committed";
  EXPECT_EQ(stored.version, 1);
  EXPECT_THAT(published, IsEmpty());
}

TEST_P(TransactionFailureTest, NotFoundAndStaleAreAnswersThatAbortNothing) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  ASSERT_THAT(in_tx.update(ada, set<&Member::name>("Ada L.")), IsOk());
  EXPECT_THAT(in_tx.get(ada.id + 100), HasErrorKind(ErrorKind::not_found));
  EXPECT_THAT(in_tx.update(ada, set<&Member::name>("Ada B.")),
              HasErrorKind(ErrorKind::stale_record));
  ASSERT_THAT(tx->commit(), IsOk());
  EXPECT_EQ(members->get_or_throw(ada.id).name, "Ada L.");
}

TEST_P(TransactionFailureTest, RollingBackToASavepointUndoesTheFailureAndWhatFollowedIt) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  ASSERT_THAT(in_tx.update(ada, set<&Member::name>("Ada L.")), IsOk());
  ASSERT_THAT(tx->savepoint(), IsOk());
  const Member bob = in_tx.create_or_throw(set<&Member::email>("bob@example.org"));
  ASSERT_THAT(taken(in_tx), HasErrorKind(ErrorKind::conflict));
  EXPECT_THAT(tx->release_savepoint(), HasErrorKind(ErrorKind::aborted));
  ASSERT_THAT(tx->rollback_to_savepoint(), IsOk());

  // The transaction goes on from the savepoint: the update before it stays, bob is gone.
  EXPECT_EQ(in_tx.get_or_throw(ada.id).name, "Ada L.");
  EXPECT_THAT(in_tx.get(bob.id), HasErrorKind(ErrorKind::not_found));
  const Member cy = in_tx.create_or_throw(set<&Member::email>("cy@example.org"));
  ASSERT_THAT(tx->commit(), IsOk());

  EXPECT_EQ(members->get_or_throw(ada.id).name, "Ada L.");
  EXPECT_EQ(members->get_or_throw(cy.id).email, "cy@example.org");
  // bob is gone, and his rolled-back key was not handed to the next create.
  EXPECT_NE(cy.id, bob.id);
  EXPECT_THAT(members->get(bob.id), HasErrorKind(ErrorKind::not_found));
  EXPECT_THAT(published, ElementsAre("member.updated.id:" + std::to_string(ada.id),
                                     "member.created.id:" + std::to_string(cy.id)));
}

TEST_P(TransactionFailureTest, InSavepointKeepsWhatSucceedsAndUndoesWhatFails) {
  auto tx = store->begin().value();
  const auto in_tx = members->in(*tx);
  const auto kept = tx->in_savepoint(
      [&](Transaction&) { return in_tx.create(set<&Member::email>("bob@example.org")); });
  ASSERT_THAT(kept, IsOk());
  // Nested: the inner failure undoes only the inner savepoint.
  const auto outer = tx->in_savepoint([&](Transaction& t) -> optimist::Result<Member> {
    OPTIMIST_TRY(cy, in_tx.create(set<&Member::email>("cy@example.org")));
    const auto inner = t.in_savepoint([&](Transaction&) { return taken(in_tx); });
    EXPECT_THAT(inner, HasErrorKind(ErrorKind::conflict));
    return cy;
  });
  ASSERT_THAT(outer, IsOk());
  // A callable that swallows a failed call still has its savepoint rolled back.
  const auto swallowed = tx->in_savepoint([&](Transaction&) -> optimist::Result<int> {
    (void)in_tx.create(set<&Member::email>("dee@example.org"));
    (void)taken(in_tx);
    return 1;
  });
  EXPECT_THAT(swallowed, HasErrorKind(ErrorKind::aborted));
  ASSERT_THAT(tx->commit(), IsOk());

  EXPECT_EQ(members->get_or_throw(kept.value().id).email, "bob@example.org");
  EXPECT_EQ(members->get_or_throw(outer.value().id).email, "cy@example.org");
  EXPECT_EQ(published.size(), 2U) << "dee was rolled back with its savepoint";
}

TEST_P(TransactionFailureTest, SavepointCallsNeedAnOpenSavepointAndAnOpenTransaction) {
  auto tx = store->begin().value();
  EXPECT_THAT(tx->release_savepoint(), HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(tx->rollback_to_savepoint(), HasErrorKind(ErrorKind::invalid));
  ASSERT_THAT(tx->savepoint(), IsOk());
  ASSERT_THAT(tx->release_savepoint(), IsOk());
  EXPECT_THAT(tx->release_savepoint(), HasErrorKind(ErrorKind::invalid));
  ASSERT_THAT(tx->rollback(), IsOk());
  EXPECT_THAT(tx->savepoint(), HasErrorKind(ErrorKind::invalid));
}

}  // namespace
