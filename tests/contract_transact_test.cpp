// SPDX-License-Identifier: MIT
// Store::transact on every store: the work's writes commit together when it succeeds, and
// none of them when it fails, leaves its transaction aborted, or throws; events follow the
// commit only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "support/matchers.hpp"
#include "support/member_fixture.hpp"

namespace {

using optimist::ErrorKind;
using optimist::Result;
using optimist::set;
using optimist::Transaction;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Member;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TransactTest : public optimist::testing::MemberEventsTest {
 protected:
  /// Renames ada and creates bob inside `tx`.
  Result<void> two_writes(Transaction& tx) {
    OPTIMIST_TRY(renamed, members->in(tx).update(ada, set<&Member::name>("Ada L.")));
    (void)renamed;
    OPTIMIST_TRY(bob, members->in(tx).create(set<&Member::email>("bob@example.org")));
    created = bob.id;
    return optimist::ok();
  }

  /// ada is as she was and bob was never stored.
  void expect_nothing_written() {
    const Member now = members->get_or_throw(ada.id);
    EXPECT_EQ(now.version, ada.version);
    EXPECT_EQ(now.name, ada.name);
    if (created != 0) {
      EXPECT_THAT(members->get(created), HasErrorKind(ErrorKind::not_found));
    }
    EXPECT_THAT(published, IsEmpty());
  }

  std::int64_t created = 0;
};
OPTIMIST_CONTRACT(TransactTest);

TEST_P(TransactTest, CommitsEveryWriteOfWorkThatSucceeds) {
  ASSERT_THAT(store->transact([&](Transaction& tx) { return two_writes(tx); }), IsOk());
  EXPECT_EQ(members->get_or_throw(ada.id).name, "Ada L.");
  EXPECT_EQ(members->get_or_throw(created).email, "bob@example.org");
  EXPECT_THAT(published, ElementsAre("member.updated.id:" + std::to_string(ada.id),
                                     "member.created.id:" + std::to_string(created)));
}

TEST_P(TransactTest, WritesNothingWhenWorkFails) {
  const auto r = store->transact([&](Transaction& tx) -> Result<void> {
    OPTIMIST_TRYV(two_writes(tx));
    return optimist::make_error(ErrorKind::invalid, "refused by the work");
  });
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(r.error().detail, "refused by the work");
  expect_nothing_written();
}

TEST_P(TransactTest, WritesNothingAndIsAbortedWhenWorkIgnoresAFailedCall) {
  const auto r = store->transact([&](Transaction& tx) -> Result<void> {
    OPTIMIST_TRYV(two_writes(tx));
    // The unique email is refused; the work goes on as if nothing happened.
    (void)members->in(tx).create(set<&Member::email>("ada@example.org"));
    EXPECT_TRUE(tx.aborted());
    return optimist::ok();
  });
  ASSERT_THAT(r, HasErrorKind(ErrorKind::aborted));
  expect_nothing_written();
}

TEST_P(TransactTest, WritesNothingWhenWorkThrowsAndTheExceptionGoesOn) {
  EXPECT_THROW((void)store->transact([&](Transaction& tx) -> Result<void> {
    OPTIMIST_TRYV(two_writes(tx));
    throw std::runtime_error("work failed");
  }),
               std::runtime_error);
  expect_nothing_written();
}

}  // namespace
