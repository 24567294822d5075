// SPDX-License-Identifier: MIT
// Transactions are all or nothing, on every backend.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "resources/address.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using optimist::ErrorKind;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;

class TransactionTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    addresses.emplace(store);
    existing =
        addresses->create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
    doomed =
        addresses->create_or_throw(set<&Address::state>("GA"), set<&Address::county>("Fulton"));
  }

  /// In one transaction: creates one record, updates `existing`, destroys `doomed`.
  std::int64_t write_three(optimist::Transaction& tx) {
    const auto in_tx = addresses->in(tx);
    const Address created =
        in_tx.create_or_throw(set<&Address::state>("NC"), set<&Address::county>("Wake"));
    EXPECT_EQ(in_tx.update_or_throw(existing, set<&Address::county>("Polk")).version, 2);
    in_tx.destroy_or_throw(doomed);
    EXPECT_EQ(in_tx.get_or_throw(existing.id).county, "Polk") << "a transaction reads its writes";
    EXPECT_THAT(in_tx.get(doomed.id), HasErrorKind(ErrorKind::not_found));
    return created.id;
  }

  std::optional<optimist::Resource<Address>> addresses;
  Address existing;
  Address doomed;
};
OPTIMIST_CONTRACT(TransactionTest);

TEST_P(TransactionTest, CommitMakesEveryWriteVisible) {
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  const std::int64_t created = write_three(*tx.value());
  ASSERT_THAT(tx.value()->commit(), IsOk());
  EXPECT_FALSE(tx.value()->active());

  EXPECT_EQ(addresses->get_or_throw(created).county, "Wake");
  EXPECT_EQ(addresses->get_or_throw(existing.id).version, 2);
  EXPECT_THAT(addresses->get(doomed.id), HasErrorKind(ErrorKind::not_found));
}

TEST_P(TransactionTest, RollbackLeavesNothingBehind) {
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  const std::int64_t created = write_three(*tx.value());
  ASSERT_THAT(tx.value()->rollback(), IsOk());

  EXPECT_THAT(addresses->get(created), HasErrorKind(ErrorKind::not_found));
  const Address kept = addresses->get_or_throw(existing.id);
  EXPECT_EQ(kept.version, 1);
  EXPECT_EQ(kept.county, "Pinellas");
  EXPECT_EQ(addresses->get_or_throw(doomed.id).county, "Fulton");
}

TEST_P(TransactionTest, DestroyingAnUnfinishedTransactionRollsItBack) {
  std::int64_t created = 0;
  {
    auto tx = store->begin();
    ASSERT_THAT(tx, IsOk());
    created = write_three(*tx.value());
  }
  EXPECT_THAT(addresses->get(created), HasErrorKind(ErrorKind::not_found));
  EXPECT_EQ(addresses->get_or_throw(existing.id).version, 1);
  EXPECT_THAT(addresses->get(doomed.id), IsOk());
}

TEST_P(TransactionTest, AFinishedTransactionRefusesToFinishAgain) {
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  ASSERT_THAT(tx.value()->commit(), IsOk());
  EXPECT_THAT(tx.value()->commit(), HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(tx.value()->rollback(), HasErrorKind(ErrorKind::invalid));
}

TEST_P(TransactionTest, AStaleWriteInsideATransactionIsAnOrdinaryError) {
  (void)addresses->update_or_throw(existing, set<&Address::county>("Lee"));
  auto tx = store->begin();
  ASSERT_THAT(tx, IsOk());
  auto r = addresses->in(*tx.value()).update(existing, set<&Address::county>("Polk"));
  EXPECT_THAT(r, HasErrorKind(ErrorKind::stale_record));
  ASSERT_THAT(tx.value()->rollback(), IsOk());
  EXPECT_EQ(addresses->get_or_throw(existing.id).county, "Lee");
}

}  // namespace
