// SPDX-License-Identifier: MIT
// After-commit notifications on every backend: topics, committed versions, no events for
// rolled-back work, isolation from throwing subscribers, and the publish-before-commit race.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "resources/address.hpp"
#include "resources/counter.hpp"
#include "support/backend.hpp"
#include "support/matchers.hpp"

namespace {

using app::Address;
using app::Counter;
using optimist::Event;
using optimist::EventKind;
using optimist::increment;
using optimist::set;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// Collects the events delivered to it (from any thread).
struct Recorder {
  std::mutex mutex;
  std::vector<Event> events;

  optimist::Events::Handler handler() {
    return [this](const Event& e) {
      std::lock_guard lock(mutex);
      events.push_back(e);
    };
  }
  std::vector<std::string> topics() {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (const Event& e : events) out.push_back(e.topic());
    return out;
  }
  std::vector<std::int64_t> versions() {
    std::lock_guard lock(mutex);
    std::vector<std::int64_t> out;
    for (const Event& e : events) out.push_back(e.version);
    return out;
  }
};

class EventsTest : public optimist::testing::BackendTest {
 protected:
  optimist::Subscription subscribe(std::string_view pattern, Recorder& recorder) {
    auto s = store->events().subscribe(pattern, recorder.handler());
    EXPECT_THAT(s, IsOk());
    return std::move(s).value();
  }
};
OPTIMIST_CONTRACT(EventsTest);

std::string topic(std::string_view kind, std::int64_t id) {
  return fmt::format("address.{}.id:{}", kind, id);
}

TEST_P(EventsTest, EachWriteHasItsTopicAndCommittedVersion) {
  const optimist::Resource<Address> addresses{store};
  Recorder all;
  const auto sub = subscribe("address.*.*", all);

  const Address a =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  const Address b = addresses.update_or_throw(a, set<&Address::state>("NC"));
  (void)addresses.update_or_throw(b, set<&Address::state>("NC"));  // no change: no event
  ASSERT_THAT(addresses.update(a, set<&Address::state>("GA")),     // stale: no event
              HasErrorKind(optimist::ErrorKind::stale_record));
  addresses.destroy_or_throw(b);

  EXPECT_THAT(all.topics(), ElementsAre(topic("created", a.id), topic("updated", a.id),
                                        topic("destroyed", a.id)));
  EXPECT_THAT(all.versions(), ElementsAre(1, 2, 2));
  std::lock_guard lock(all.mutex);
  EXPECT_EQ(all.events[0].resource, "Address");
  EXPECT_EQ(all.events[0].action, "create");
  EXPECT_EQ(all.events[0].key, a.id);
  EXPECT_EQ(all.events[0].kind, EventKind::created);
  EXPECT_EQ(all.events[1].action, "update");
  EXPECT_EQ(all.events[2].kind, EventKind::destroyed);
}

TEST_P(EventsTest, AtomicChangesAreUpdatesWithTheNewVersion) {
  const optimist::Resource<Counter> counters{store};
  const Counter c = counters.create_or_throw(set<&Counter::name>("hits"));
  Recorder updates;
  const auto sub = subscribe("counter.updated.*", updates);
  (void)counters.change_or_throw(c.id, increment<&Counter::value>(2));
  (void)counters.change_or_throw(c.id, increment<&Counter::value>(2));
  EXPECT_THAT(updates.topics(), ElementsAre(fmt::format("counter.updated.id:{}", c.id),
                                            fmt::format("counter.updated.id:{}", c.id)));
  EXPECT_THAT(updates.versions(), ElementsAre(2, 3));
}

TEST_P(EventsTest, WildcardsMatchPerSegment) {
  const optimist::Resource<Address> addresses{store};
  const optimist::Resource<Counter> counters{store};
  const Address a =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  const Address b =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Dade"));
  Recorder one_record;
  Recorder everything;
  Recorder created;
  Recorder exact;
  const auto s1 = subscribe(fmt::format("address.*.id:{}", a.id), one_record);
  const auto s2 = subscribe("*.*.*", everything);
  const auto s3 = subscribe("*.created.*", created);
  const auto s4 = subscribe(fmt::format("address.updated.id:{}", b.id), exact);

  (void)addresses.update_or_throw(a, set<&Address::county>("Miami"));
  (void)addresses.update_or_throw(b, set<&Address::county>("Leon"));
  const Counter c = counters.create_or_throw(set<&Counter::name>("n"));

  EXPECT_THAT(one_record.topics(), ElementsAre(topic("updated", a.id)));
  EXPECT_THAT(everything.topics(), ElementsAre(topic("updated", a.id), topic("updated", b.id),
                                               fmt::format("counter.created.id:{}", c.id)));
  EXPECT_THAT(created.topics(), ElementsAre(fmt::format("counter.created.id:{}", c.id)));
  EXPECT_THAT(exact.topics(), ElementsAre(topic("updated", b.id)));
}

TEST_P(EventsTest, MalformedPatternsAreInvalid) {
  for (const char* pattern : {"", "address", "address.*", "address..*", "a.b.c.d", "*.*.*."}) {
    const auto s = store->events().subscribe(pattern, [](const Event&) {});
    ASSERT_THAT(s, HasErrorKind(optimist::ErrorKind::invalid)) << pattern;
    ASSERT_EQ(s.error().fields.size(), 1U);
    EXPECT_EQ(s.error().fields[0].field, "pattern");
  }
}

TEST_P(EventsTest, TransactionDeliversOnlyAfterCommitInWriteOrder) {
  const optimist::Resource<Address> addresses{store};
  Recorder all;
  const auto sub = subscribe("*.*.*", all);
  auto tx = store->begin().value();
  const auto in_tx = addresses.in(*tx);
  const Address a =
      in_tx.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  const Address a2 = in_tx.update_or_throw(a, set<&Address::state>("NC"));
  const Address b =
      in_tx.create_or_throw(set<&Address::state>("GA"), set<&Address::county>("Fulton"));
  in_tx.destroy_or_throw(a2);
  EXPECT_THAT(all.topics(), IsEmpty()) << "delivered before commit";
  ASSERT_THAT(tx->commit(), IsOk());
  EXPECT_THAT(all.topics(), ElementsAre(topic("created", a.id), topic("updated", a.id),
                                        topic("created", b.id), topic("destroyed", a.id)));
  EXPECT_THAT(all.versions(), ElementsAre(1, 2, 1, 2));
}

TEST_P(EventsTest, RolledBackOrAbandonedTransactionsDeliverNothing) {
  const optimist::Resource<Address> addresses{store};
  Recorder all;
  const auto sub = subscribe("*.*.*", all);
  {
    auto tx = store->begin().value();
    (void)addresses.in(*tx).create_or_throw(set<&Address::state>("FL"),
                                            set<&Address::county>("Pinellas"));
    ASSERT_THAT(tx->rollback(), IsOk());
  }
  {
    auto tx = store->begin().value();
    (void)addresses.in(*tx).create_or_throw(set<&Address::state>("FL"),
                                            set<&Address::county>("Pinellas"));
    // destroyed unfinished: rolled back
  }
  EXPECT_THAT(all.topics(), IsEmpty());
}

TEST_P(EventsTest, ThrowingSubscriberAffectsNeitherCommitterNorOthers) {
  const optimist::Resource<Address> addresses{store};
  Recorder before;
  Recorder after;
  const auto s1 = subscribe("*.*.*", before);
  auto thrower = store->events().subscribe(
      "address.*.*", [](const Event&) { throw std::runtime_error("subscriber failure"); });
  ASSERT_THAT(thrower, IsOk());
  auto odd = store->events().subscribe("address.*.*", [](const Event&) { throw 42; });
  ASSERT_THAT(odd, IsOk());
  const auto s2 = subscribe("*.*.*", after);

  const auto a = addresses.create(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  ASSERT_THAT(a, IsOk());
  auto tx = store->begin().value();
  ASSERT_THAT(addresses.in(*tx).update(a.value(), set<&Address::state>("NC")), IsOk());
  ASSERT_THAT(tx->commit(), IsOk());

  const auto expected = ElementsAre(topic("created", a.value().id), topic("updated", a.value().id));
  EXPECT_THAT(before.topics(), expected);
  EXPECT_THAT(after.topics(), expected);
}

TEST_P(EventsTest, CancelledSubscriptionReceivesNothingMore) {
  const optimist::Resource<Counter> counters{store};
  Recorder r;
  auto sub = subscribe("counter.*.*", r);
  (void)counters.create_or_throw(set<&Counter::name>("a"));
  EXPECT_TRUE(sub.active());
  sub.cancel();
  EXPECT_FALSE(sub.active());
  (void)counters.create_or_throw(set<&Counter::name>("b"));
  { auto scoped = subscribe("counter.*.*", r); }
  (void)counters.create_or_throw(set<&Counter::name>("c"));
  EXPECT_EQ(r.topics().size(), 1U);
}

TEST_P(EventsTest, HandlerMayCancelItsOwnSubscription) {
  const optimist::Resource<Counter> counters{store};
  int calls = 0;
  optimist::Subscription sub;
  sub = store->events()
            .subscribe("counter.*.*",
                       [&](const Event&) {
                         ++calls;
                         sub.cancel();
                       })
            .value();
  (void)counters.create_or_throw(set<&Counter::name>("a"));
  (void)counters.create_or_throw(set<&Counter::name>("b"));
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(sub.active());
}

// A subscriber on another thread reads the record as soon as it is told about it; it must
// see at least the committed version. Every third transaction is rolled back: if events were
// published before commit (or for rolled-back work), the reader would find an older version
// than announced, or more events than commits.
TEST_P(EventsTest, SubscriberOnAnotherThreadAlwaysSeesTheCommittedState) {
  const optimist::Resource<Counter> counters{store};
  const Counter counter = counters.create_or_throw(set<&Counter::name>("race"));
  const int iterations = std::min(3'000, GetParam().iterations);

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::optional<Event>> queue;  // nullopt: stop
  int processed = 0;
  std::vector<std::int64_t> announced;
  std::vector<std::string> failures;

  auto sub = store->events()
                 .subscribe(fmt::format("counter.updated.id:{}", counter.id),
                            [&](const Event& e) {
                              std::lock_guard lock(mutex);
                              queue.emplace_back(e);
                              changed.notify_all();
                            })
                 .value();

  std::jthread reader([&] {
    while (true) {
      std::optional<Event> event;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !queue.empty(); });
        event = std::move(queue.front());
        queue.pop_front();
      }
      if (!event) return;
      const auto seen = counters.get(event->key);
      std::lock_guard lock(mutex);
      if (!seen) {
        failures.push_back(seen.error().message());
      } else if (seen.value().version < event->version || seen.value().value < event->version - 1) {
        failures.push_back(fmt::format("announced version {}, read version {} value {}",
                                       event->version, seen.value().version, seen.value().value));
      }
      announced.push_back(event->version);
      ++processed;
      changed.notify_all();
    }
  });

  // value == version - 1 in every committed state: each commit adds 1 to both.
  Counter current = counter;
  int commits = 0;
  for (int i = 0; i < iterations; ++i) {
    auto tx = store->begin();
    ASSERT_THAT(tx, IsOk());
    auto next = counters.in(*tx.value()).update(current, set<&Counter::value>(current.value + 1));
    ASSERT_THAT(next, IsOk());
    if (i % 3 == 2) {
      ASSERT_THAT(tx.value()->rollback(), IsOk());
      continue;
    }
    ASSERT_THAT(tx.value()->commit(), IsOk());
    current = next.value();
    ++commits;
    // Let the reader catch up so it reads close to the commit.
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return processed >= commits; });
  }
  {
    std::lock_guard lock(mutex);
    queue.emplace_back(std::nullopt);
    changed.notify_all();
  }
  reader.join();

  EXPECT_THAT(failures, IsEmpty());
  std::vector<std::int64_t> expected;
  for (int c = 1; c <= commits; ++c) expected.push_back(1 + c);
  EXPECT_EQ(announced, expected) << "events do not match the commits one to one";
}

TEST_P(EventsTest, SubscriptionMayOutliveTheStore) {
  Recorder r;
  auto sub = subscribe("*.*.*", r);
  store.reset();
  sub.cancel();
  EXPECT_FALSE(sub.active());
}

}  // namespace
