// SPDX-License-Identifier: MIT
// FaultyStore itself, over every backend: call N fails with the armed error, the calls
// around it reach the real store, and events come from the wrapper.
#include "support/faulty_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "resources/address.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using optimist::ErrorKind;
using optimist::Filter;
using optimist::make_error;
using optimist::set;
using optimist::testing::FaultyStore;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class FaultyStoreTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    faulty = std::make_shared<FaultyStore>(store);
    through_faulty.emplace(faulty);  // ensure_schema: forwarded, not counted
    direct.emplace(store);
  }

  std::shared_ptr<FaultyStore> faulty;
  std::optional<optimist::Resource<Address>> through_faulty;
  std::optional<optimist::Resource<Address>> direct;  // the wrapped store, unwrapped
};
OPTIMIST_CONTRACT(FaultyStoreTest);

TEST_P(FaultyStoreTest, CallNFailsWithTheArmedKindAndTheCallsAroundItForward) {
  EXPECT_EQ(faulty->backend(), store->backend());
  faulty->fail_call(2, make_error(ErrorKind::unavailable));
  faulty->fail_call(4, make_error(ErrorKind::conflict));
  const auto created =  // call 1
      through_faulty->create(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  ASSERT_THAT(created, IsOk());
  const Address a = created.value();

  const auto failed = through_faulty->get(a.id);  // call 2
  ASSERT_THAT(failed, HasErrorKind(ErrorKind::unavailable));
  EXPECT_EQ(failed.error().resource, "Address");
  EXPECT_EQ(failed.error().action, "read");
  EXPECT_EQ(failed.error().key, a.id);

  EXPECT_THAT(through_faulty->get(a.id), IsOk());                     // call 3
  EXPECT_THAT(through_faulty->update(a, set<&Address::state>("NC")),  // call 4
              HasErrorKind(ErrorKind::conflict));
  EXPECT_EQ(direct->get_or_throw(a.id).state, "FL") << "the failed call reached the store";
  EXPECT_EQ(through_faulty->update_or_throw(a, set<&Address::state>("GA")).version, 2);  // 5
  EXPECT_EQ(direct->get_or_throw(a.id).state, "GA");
  EXPECT_EQ(faulty->calls(), 5);

  // The real store's own errors come back unchanged.
  const auto stale = through_faulty->update(a, set<&Address::state>("TX"));  // call 6
  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(stale.error().stored_version, 2);
}

TEST_P(FaultyStoreTest, AnInjectedStaleRecordNamesTheVersionAfterTheExpectedOne) {
  const Address a =
      through_faulty->create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Lee"));
  faulty->fail_call(faulty->calls() + 1, make_error(ErrorKind::stale_record));
  const auto r = through_faulty->update(a, set<&Address::county>("Polk"));
  ASSERT_THAT(r, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(r.error().stored_version, a.version + 1);
  EXPECT_EQ(r.error().filter, (Filter{"version", a.version}));
  EXPECT_EQ(r.error().action, "update");
  EXPECT_EQ(direct->get_or_throw(a.id).version, a.version);
}

TEST_P(FaultyStoreTest, AnInjectedCommitFailureCommitsNothingAndEndsTheRealTransaction) {
  std::vector<std::string> topics;  // delivered on this thread, the only committing one
  const auto sub = faulty->events().subscribe(
      "*.*.*", [&](const optimist::Event& e) { topics.push_back(e.topic()); });
  ASSERT_THAT(sub, IsOk());
  for (const bool commit : {true, false}) {
    faulty->fail_call(faulty->calls() + 3, make_error(ErrorKind::unavailable));
    auto tx = faulty->begin();  // call 1
    ASSERT_THAT(tx, IsOk());
    const auto created = through_faulty->in(*tx.value())
                             .create(  // call 2
                                 set<&Address::state>("NC"), set<&Address::county>("Wake"));
    ASSERT_THAT(created, IsOk());
    const auto ended = commit ? tx.value()->commit() : tx.value()->rollback();  // call 3
    EXPECT_THAT(ended, HasErrorKind(ErrorKind::unavailable)) << (commit ? "commit" : "rollback");
    EXPECT_FALSE(tx.value()->active());
    // The real transaction is over while the wrapper's still exists: this thread may use
    // the store again, and finds nothing of the transaction's write.
    EXPECT_THAT(direct->get(created.value().id), HasErrorKind(ErrorKind::not_found));
    EXPECT_THAT(direct->create(set<&Address::state>("SC"), set<&Address::county>("Aiken")), IsOk());
  }
  EXPECT_THAT(topics, IsEmpty());
}

TEST_P(FaultyStoreTest, WritesAreAnnouncedOnTheWrappersEventsWithTheirAction) {
  std::vector<optimist::Event> events;  // delivered on this thread, the only committing one
  const auto sub = faulty->events().subscribe(
      "address.*.*", [&](const optimist::Event& e) { events.push_back(e); });
  ASSERT_THAT(sub, IsOk());
  const Address a =
      through_faulty->create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Lee"));
  auto tx = faulty->begin();
  ASSERT_THAT(tx, IsOk());
  (void)through_faulty->in(*tx.value()).update_or_throw(a, set<&Address::county>("Polk"));
  EXPECT_EQ(events.size(), 1U) << "an event before commit";
  ASSERT_THAT(tx.value()->commit(), IsOk());
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].action, "create");
  EXPECT_EQ(events[1].action, "update");
  EXPECT_THAT((std::vector{events[0].topic(), events[1].topic()}),
              ElementsAre(fmt::format("address.created.id:{}", a.id),
                          fmt::format("address.updated.id:{}", a.id)));
  EXPECT_EQ(events[1].version, 2);
}

}  // namespace
