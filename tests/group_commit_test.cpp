// SPDX-License-Identifier: MIT
// Group commit on a SQLite file (README, "Group commit"): calls made while a group runs form
// the next group, one transaction and one flush; each keeps its own outcome, a group that
// cannot commit fails every call of it and nothing of it is visible, and events come after
// the flush.
//
// A group is formed without timing: a transact() call leads a group and holds it (its work
// waits), the calls under test start on threads of their own and queue, and the work
// returns once the queue holds all of them: the leader takes them into its group. The debug
// log says how many calls each group committed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optimist/optimist.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sql/sql_store.hpp"
#include "support/matchers.hpp"
#include "support/sql_databases.hpp"
#include "support/tally.hpp"

namespace {

using optimist::ErrorKind;
using optimist::Resource;
using optimist::Result;
using optimist::set;
using optimist::Store;
using optimist::Transaction;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using test_app::Member;
using ::testing::HasSubstr;

/// Members compare by every field.
bool same(const Member& a, const Member& b) {
  return a.id == b.id && a.version == b.version && a.email == b.email && a.name == b.name;
}

class GroupCommitTest : public ::testing::Test {
 protected:
  /// Opens a store on this test's file with the URL query `query`, logging to `log_`.
  std::shared_ptr<Store> open(const std::string& query = "?synchronous=full") {
    auto opened = optimist::open("sqlite:" + file_ + query, {.logger = logger_});
    EXPECT_TRUE(opened) << opened.error();
    return opened ? std::move(opened).value() : nullptr;
  }

  /// The group commit of `store`; null when it has none.
  static optimist::sql::GroupCommit* group_of(const std::shared_ptr<Store>& store) {
    auto* sql = dynamic_cast<optimist::sql::SqlStore*>(store.get());
    return sql == nullptr ? nullptr : sql->group_commit();
  }

  /// Runs each of `calls` on a thread of its own while a transact() call leads a group and
  /// holds it; once all of them wait in the queue, the holder's work returns and they join
  /// its group (groups of at most group_size). Returns when every call has returned, with
  /// the holder's outcome.
  static Result<void> in_one_group(const std::shared_ptr<Store>& store,
                                   const std::vector<std::function<void()>>& calls) {
    optimist::sql::GroupCommit* group = group_of(store);
    if (group == nullptr) return optimist::make_error(ErrorKind::internal, "no group commit");
    std::mutex mutex;
    std::condition_variable changed;
    bool holding = false;
    bool go = false;
    Result<void> held = optimist::ok();
    std::thread holder([&] {
      held = store->transact([&](Transaction&) -> Result<void> {
        std::unique_lock lock(mutex);
        holding = true;
        changed.notify_all();
        changed.wait(lock, [&] { return go; });
        return optimist::ok();
      });
    });
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return holding; });
    }
    std::vector<std::thread> threads;
    threads.reserve(calls.size());
    for (const auto& call : calls) threads.emplace_back(call);
    // Bounded: a call that never queues fails the test instead of hanging it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (group->queued() < calls.size() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    EXPECT_EQ(group->queued(), calls.size()) << "the calls did not all queue";
    {
      const std::lock_guard lock(mutex);
      go = true;
    }
    changed.notify_all();
    holder.join();
    for (auto& t : threads) t.join();
    return held;
  }

  /// How many groups of `calls` calls committed (or failed, with `outcome`) so far.
  [[nodiscard]] int groups_of(std::size_t calls, const std::string& outcome = "ok") {
    logger_->flush();
    const std::string text = log_.str();
    const std::string line = "group commit calls=" + std::to_string(calls) + " -> " + outcome;
    int n = 0;
    for (auto at = text.find(line); at != std::string::npos; at = text.find(line, at + 1)) ++n;
    return n;
  }

  /// The stored member `key`, read through a store of its own (what another process sees).
  [[nodiscard]] Member stored(std::int64_t key) const {
    const auto other = optimist::open("sqlite:" + file_).value();
    return Resource<Member>{other}.get_or_throw(key);
  }

  optimist::testing::TempDir dir_;
  const std::string file_ = (dir_.path() / "group.db").string();
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> logger_ = [this] {
    auto l = std::make_shared<spdlog::logger>(
        "group_commit_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_));
    l->set_level(spdlog::level::debug);
    return l;
  }();
};

TEST_F(GroupCommitTest, IsOnExactlyWhenEveryCommitWaitsForTheDisk) {
  EXPECT_NE(group_of(open("?synchronous=full")), nullptr);
  EXPECT_NE(group_of(open("?synchronous=extra")), nullptr);
  EXPECT_EQ(group_of(open("")), nullptr);
  EXPECT_EQ(group_of(open("?synchronous=off")), nullptr);
  EXPECT_EQ(group_of(open("?synchronous=full&group_commit=off")), nullptr);
  EXPECT_NE(group_of(open("?group_commit=on")), nullptr);
  const auto by_options =
      optimist::open("sqlite:" + file_, {.logger = logger_, .group_commit = true});
  ASSERT_TRUE(by_options);
  EXPECT_NE(group_of(by_options.value()), nullptr);
}

TEST_F(GroupCommitTest, BadParametersAreRefusedAndMemoryHasNothingToGroup) {
  for (const char* url :
       {"?group_commit=yes", "?group_size=0", "?group_size=1025", "?max_pages=0"}) {
    const auto r = optimist::open("sqlite:" + file_ + url);
    ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid)) << url;
    EXPECT_EQ(r.error().fields.at(0).field, "url") << url;
  }
  const auto memory = optimist::open("sqlite::memory:?group_commit=on");
  ASSERT_THAT(memory, HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(memory.error().detail, HasSubstr("needs a database file"));
  // Options that do not apply to a backend are ignored by it.
  const auto ignored = optimist::open("sqlite::memory:", {.group_commit = true});
  ASSERT_TRUE(ignored);
  EXPECT_EQ(group_of(ignored.value()), nullptr);
}

TEST_F(GroupCommitTest, AStaleCallFailsAloneAndTheOthersCommit) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const Member b = members.create_or_throw(set<&Member::email>("b@example.org"));
  const Member c = members.create_or_throw(set<&Member::email>("c@example.org"));
  const Member a2 = members.update_or_throw(a, set<&Member::name>("moved on"));

  Result<Member> stale = optimist::make_error(ErrorKind::internal);
  Result<Member> second = stale;
  Result<Member> third = stale;
  const auto grouped1 =
      in_one_group(store, {
                              [&] { stale = members.update(a, set<&Member::name>("stale")); },
                              [&] { second = members.update(b, set<&Member::name>("B")); },
                              [&] { third = members.update(c, set<&Member::name>("C")); },
                          });
  EXPECT_THAT(grouped1, IsOk());

  ASSERT_THAT(stale, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(stale.error().stored_version, a2.version);
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(groups_of(4), 1);
  EXPECT_TRUE(same(stored(a.id), a2));
  EXPECT_TRUE(same(stored(b.id), second.value()));
  EXPECT_TRUE(same(stored(c.id), third.value()));
}

TEST_F(GroupCommitTest, AUnitFailingMidwayLeavesNothingOfItselfAndLosesNothingOfTheOthers) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const Member b = members.create_or_throw(set<&Member::email>("b@example.org"));

  // Its first step succeeds, its second repeats a's unique email.
  const auto failing = optimist::Unit{}
                           .update("rename", a, set<&Member::name>("renamed"))
                           .create<Member>("duplicate", set<&Member::email>("a@example.org"));
  const auto creating =
      optimist::Unit{}.create<Member>("new", set<&Member::email>("new@example.org"));
  std::optional<optimist::UnitResult> failed;
  std::optional<optimist::UnitResult> created;
  Result<Member> updated = optimist::make_error(ErrorKind::internal);
  const auto held =
      in_one_group(store, {
                              [&] { failed = failing.run(store); },
                              [&] { updated = members.update(b, set<&Member::name>("B")); },
                              [&] { created = creating.run(store); },
                          });
  EXPECT_THAT(held, IsOk());

  ASSERT_TRUE(failed && !*failed);
  EXPECT_EQ(failed->error().step, "duplicate");
  EXPECT_EQ(failed->error().kind, ErrorKind::conflict);
  EXPECT_TRUE(same(stored(a.id), a));  // its first step went with it
  ASSERT_THAT(updated, IsOk());
  EXPECT_TRUE(same(stored(b.id), updated.value()));
  ASSERT_TRUE(created);
  ASSERT_THAT(*created, IsOk());
  const Member* fresh = created->value().find<Member>("new");
  ASSERT_NE(fresh, nullptr);
  EXPECT_TRUE(same(stored(fresh->id), *fresh));
  EXPECT_EQ(groups_of(4), 1);
}

TEST_F(GroupCommitTest, AGroupThatCannotCommitFailsEveryCallOfItAndNoneOfTheNext) {
  // A database allowed a few pages: a long name needs more, so its insert finds the disk
  // "full" in the middle of the group.
  const auto store = open("?synchronous=full&max_pages=12");
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const Member b = members.create_or_throw(set<&Member::email>("b@example.org"));

  Result<Member> first = optimist::make_error(ErrorKind::internal);
  Result<Member> too_big = first;
  Result<Member> last = first;
  const auto held = in_one_group(
      store, {
                 [&] { first = members.update(a, set<&Member::name>("A")); },
                 [&] {
                   too_big = members.create(set<&Member::email>("big@example.org"),
                                            set<&Member::name>(std::string(200'000, 'x')));
                 },
                 [&] { last = members.update(b, set<&Member::name>("B")); },
             });
  EXPECT_THAT(held, HasErrorKind(ErrorKind::unavailable));
  for (const Result<Member>* r : {&first, &too_big, &last}) {
    ASSERT_THAT(*r, HasErrorKind(ErrorKind::unavailable));
    EXPECT_THAT(r->error().detail, HasSubstr("group commit failed"));
  }
  EXPECT_EQ(groups_of(4, "unavailable"), 1);
  EXPECT_TRUE(same(stored(a.id), a));
  EXPECT_TRUE(same(stored(b.id), b));

  Result<Member> again_a = optimist::make_error(ErrorKind::internal);
  Result<Member> again_b = again_a;
  const auto held_again =
      in_one_group(store, {
                              [&] { again_a = members.update(a, set<&Member::name>("A")); },
                              [&] { again_b = members.update(b, set<&Member::name>("B")); },
                          });
  EXPECT_THAT(held_again, IsOk());
  ASSERT_THAT(again_a, IsOk());
  ASSERT_THAT(again_b, IsOk());
  EXPECT_EQ(groups_of(3), 1);
  EXPECT_TRUE(same(stored(a.id), again_a.value()));
  EXPECT_TRUE(same(stored(b.id), again_b.value()));
}

TEST_F(GroupCommitTest, EventsComeAfterTheFlush) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const Member b = members.create_or_throw(set<&Member::email>("b@example.org"));

  // Each handler reads the record as another process would: the event's version must be
  // there already.
  std::mutex mutex;
  std::vector<std::string> seen;
  auto subscription = store->events().subscribe("member.updated.*", [&](const optimist::Event& e) {
    const Member now = stored(e.key);
    const std::lock_guard lock(mutex);
    seen.push_back(now.version == e.version ? "committed" : "not yet committed");
  });
  ASSERT_TRUE(subscription);
  const auto unit = optimist::Unit{}.update("rename", b, set<&Member::name>("B"));
  const auto grouped2 = in_one_group(
      store, {
                 [&] { EXPECT_THAT(members.update(a, set<&Member::name>("A")), IsOk()); },
                 [&] { EXPECT_THAT(unit.run(store), IsOk()); },
             });
  EXPECT_THAT(grouped2, IsOk());
  EXPECT_EQ(groups_of(3), 1);
  EXPECT_THAT(seen, ::testing::ElementsAre("committed", "committed"));
}

TEST_F(GroupCommitTest, WorkThatThrowsRollsBackItsOwnCallAndTheExceptionReachesItsCaller) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const Member b = members.create_or_throw(set<&Member::email>("b@example.org"));

  std::string caught;
  Result<Member> updated = optimist::make_error(ErrorKind::internal);
  const auto held = in_one_group(
      store, {
                 [&] {
                   try {
                     (void)store->transact([&](Transaction& tx) -> Result<void> {
                       (void)members.in(tx).update_or_throw(a, set<&Member::name>("gone"));
                       throw std::runtime_error("work failed");
                     });
                   } catch (const std::runtime_error& e) {
                     caught = e.what();
                   }
                 },
                 [&] { updated = members.update(b, set<&Member::name>("B")); },
             });
  EXPECT_THAT(held, IsOk());
  EXPECT_EQ(caught, "work failed");
  EXPECT_TRUE(same(stored(a.id), a));
  ASSERT_THAT(updated, IsOk());
  EXPECT_TRUE(same(stored(b.id), updated.value()));
  EXPECT_EQ(groups_of(3), 1);
}

TEST_F(GroupCommitTest, GroupsHoldAtMostGroupSizeCalls) {
  const auto store = open("?synchronous=full&group_size=2");
  const Resource<Member> members{store};
  std::vector<Member> created;
  for (const char* email : {"a@example.org", "b@example.org", "c@example.org", "d@example.org"}) {
    created.push_back(members.create_or_throw(set<&Member::email>(email)));
  }
  std::vector<Result<Member>> updated(created.size(), optimist::make_error(ErrorKind::internal));
  std::vector<std::function<void()>> calls;
  for (std::size_t i = 0; i < created.size(); ++i) {
    calls.emplace_back(
        [&, i] { updated[i] = members.update(created[i], set<&Member::name>("n")); });
  }
  const auto held = in_one_group(store, calls);
  EXPECT_THAT(held, IsOk());
  for (const auto& r : updated) EXPECT_THAT(r, IsOk());
  EXPECT_EQ(groups_of(2), 2);
  EXPECT_EQ(groups_of(4), 0);
}

TEST_F(GroupCommitTest, AWriteThroughTheStoreFromInsideAGroupIsRefusedNotDeadlocked) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  const auto r = store->transact([&](Transaction&) -> Result<void> {
    OPTIMIST_TRY(written, members.update(a, set<&Member::name>("through the store")));
    (void)written;
    return optimist::ok();
  });
  ASSERT_THAT(r, HasErrorKind(ErrorKind::unavailable));
  EXPECT_THAT(r.error().detail, HasSubstr("through the transaction"));
  EXPECT_TRUE(same(stored(a.id), a));
}

TEST_F(GroupCommitTest, ATransactionTheCallerHoldsIsNotGrouped) {
  const auto store = open();
  const Resource<Member> members{store};
  const Member a = members.create_or_throw(set<&Member::email>("a@example.org"));
  auto tx = store->begin().value();
  const Member renamed = members.in(*tx).update_or_throw(a, set<&Member::name>("held"));
  ASSERT_THAT(tx->commit(), IsOk());
  EXPECT_TRUE(same(stored(a.id), renamed));
  EXPECT_EQ(groups_of(1), 0);
}

}  // namespace
