// SPDX-License-Identifier: MIT
// Failure at every call of a unit of work, on every backend, injected by FaultyStore over
// the real store: nothing is left behind, retry() stops where it should and commits once,
// and no event is delivered for a unit that failed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "resources/account.hpp"
#include "resources/player.hpp"
#include "resources/transfer.hpp"
#include "support/backend.hpp"
#include "support/faulty_store.hpp"
#include "support/matchers.hpp"

namespace {

using app::Account;
using app::Player;
using app::Transfer;
using optimist::Error;
using optimist::ErrorKind;
using optimist::increment;
using optimist::make_error;
using optimist::Result;
using optimist::RetryPolicy;
using optimist::set;
using optimist::StepContext;
using optimist::Unit;
using optimist::testing::FaultyStore;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

/// The kinds injected: a transient failure, a refused unique value, a lost race.
const std::array<ErrorKind, 3> injected_kinds{ErrorKind::unavailable, ErrorKind::conflict,
                                              ErrorKind::stale_record};

/// The money work() moves.
constexpr std::int64_t amount = 25;

/// What work() changes: `amount` moves from `from` to `to`, `player` gets a point and
/// `closing` is closed.
struct World {
  Account from;
  Account to;
  Account closing;
  Player player;
};

/// A unit that makes each kind of data call, across three resources, in one transaction
/// (rolled back after a failure). Its counted calls, in order: 1 the check's read, 2 begin, 3 lock,
/// 4 debit, 5 credit, 6 record, 7 bonus, 8 close, 9 commit.
Unit work(const World& w) {
  const std::int64_t to = w.to.id;
  const std::int64_t from = w.from.id;
  return Unit{}
      .check("exists",
             [to](StepContext& ctx) -> Result<Account> {
               OPTIMIST_TRY(accounts, ctx.resource<Account>());
               return accounts.get(to);
             })
      .custom<Account>("lock",
                       [from](StepContext& ctx) -> Result<Account> {
                         OPTIMIST_TRY(accounts, ctx.resource<Account>());
                         return accounts.get_for_update(from);
                       })
      .update("debit", w.from, set<&Account::balance>(w.from.balance - amount))
      .update("credit", w.to, set<&Account::balance>(w.to.balance + amount))
      .create<Transfer>("record", set<&Transfer::from_account>(w.from.id),
                        set<&Transfer::to_account>(w.to.id), set<&Transfer::amount>(amount))
      .change<Player>("bonus", w.player.id, increment<&Player::points>(1))
      .destroy("close", w.closing);
}
/// The numbers of work()'s credit step and commit among its counted calls (see above).
constexpr std::int64_t credit_call = 5;
constexpr std::int64_t commit_call = 9;

/// Every stored record, by table name and primary key.
using StoredState = std::map<std::string, std::map<std::int64_t, optimist::Row>>;

/// One run of work() that failed at an injected call.
struct FailedRun {
  std::int64_t call = 0;            ///< the number of the call that failed
  optimist::UnitError error;        ///< what the unit returned
  std::vector<std::string> topics;  ///< the events the wrapper delivered
};

/// The run of work() that succeeded.
struct SucceededRun {
  optimist::UnitResults results;
  std::vector<std::string> topics;  ///< the events the wrapper delivered
};

class FaultTest : public optimist::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store) return;  // the backend is missing: the base fixture failed or skipped
    accounts.emplace(store);
    transfers.emplace(store);
    players.emplace(store);
  }

  /// New records for work(), created through the unwrapped store.
  World make_world() {
    inserts_tried += 4;
    return World{
        .from = accounts->create_or_throw(set<&Account::owner>("a"), set<&Account::balance>(100)),
        .to = accounts->create_or_throw(set<&Account::owner>("b"), set<&Account::balance>(10)),
        .closing = accounts->create_or_throw(set<&Account::owner>("c")),
        .player = players->create_or_throw(set<&Player::name>("p"))};
  }

  /// Every record of the three tables, read through the unwrapped store. Every backend
  /// assigns keys from 1 upward, one per insert tried at most, so keys 1 to inserts_tried cover
  /// every record.
  StoredState stored_state() {
    StoredState state;
    for (const optimist::Table* table :
         {&accounts->table(), &transfers->table(), &players->table()}) {
      auto& rows = state[table->name];
      for (std::int64_t key = 1; key <= inserts_tried; ++key) {
        auto row = store->get(*table, "read", key);
        if (row) {
          rows.emplace(key, std::move(row).value());
        } else {
          EXPECT_THAT(row, HasErrorKind(ErrorKind::not_found)) << table->name << " " << key;
        }
      }
    }
    return state;
  }

  /// Runs work(world) once per call number n = 1, 2, ..., each time on a new FaultyStore
  /// over `store` whose call n fails with `kind`, until a run succeeds: n has then passed
  /// the unit's last call, so every call has failed once. Calls `after_failure` after each
  /// failed run. Returns the successful run.
  SucceededRun fail_at_each_call(const World& world, const ErrorKind& kind,
                                 const std::function<void(const FailedRun&)>& after_failure) {
    const Unit unit = work(world);
    for (std::int64_t n = 1; n <= 2 * commit_call; ++n) {
      const auto faulty = std::make_shared<FaultyStore>(store);
      // Delivery is synchronous on the committing thread, which is this one.
      std::vector<std::string> topics;
      const auto subscription = faulty->events().subscribe(
          "*.*.*", [&topics](const optimist::Event& e) { topics.push_back(e.topic()); });
      EXPECT_THAT(subscription, IsOk());
      faulty->fail_call(n, make_error(kind));
      auto r = unit.run(faulty);
      ++inserts_tried;  // the unit's create may have taken a key, even if it was rolled back
      if (r) {
        EXPECT_EQ(faulty->calls(), n - 1) << "the run succeeded before reaching call " << n;
        return SucceededRun{std::move(r).value(), std::move(topics)};
      }
      EXPECT_GE(faulty->calls(), n) << "the run failed before the injected call";
      after_failure(FailedRun{n, std::move(r).error(), std::move(topics)});
    }
    ADD_FAILURE() << "work() never succeeded with " << kind.name << " injected";
    return {};
  }

  std::optional<optimist::Resource<Account>> accounts;
  std::optional<optimist::Resource<Transfer>> transfers;
  std::optional<optimist::Resource<Player>> players;
  std::int64_t inserts_tried = 0;  // every insert tried so far: the largest key any table can hold
};
OPTIMIST_CONTRACT(FaultTest);

TEST_P(FaultTest, AUnitFailingAtAnyCallLeavesEveryRecordAsItWas) {
  for (const ErrorKind& kind : injected_kinds) {
    const World world = make_world();
    const StoredState before = stored_state();
    std::vector<std::string> failed_steps;
    fail_at_each_call(world, kind, [&](const FailedRun& run) {
      EXPECT_EQ(run.error.kind, kind) << "call " << run.call;
      failed_steps.push_back(run.error.step);
      EXPECT_EQ(stored_state(), before) << kind.name << " injected at call " << run.call
                                        << " (step '" << run.error.step << "') left a change";
    });
    // Each call failed once: the check's read, begin (no step), every step, commit (no step).
    EXPECT_THAT(failed_steps, ElementsAre("exists", "", "lock", "debit", "credit", "record",
                                          "bonus", "close", ""))
        << kind.name;

    // The run without a failure did the whole unit.
    EXPECT_EQ(accounts->get_or_throw(world.from.id).balance, world.from.balance - amount);
    EXPECT_EQ(accounts->get_or_throw(world.to.id).balance, world.to.balance + amount);
    EXPECT_EQ(players->get_or_throw(world.player.id).points, 1);
    EXPECT_THAT(accounts->get(world.closing.id), HasErrorKind(ErrorKind::not_found));
    EXPECT_EQ(stored_state().at("transfers").size(), before.at("transfers").size() + 1);
  }
}

TEST_P(FaultTest, NoEventIsDeliveredForAUnitThatFailedAtAnyCall) {
  for (const ErrorKind& kind : injected_kinds) {
    const World w = make_world();
    std::int64_t failed_runs = 0;
    const auto succeeded = fail_at_each_call(w, kind, [&](const FailedRun& run) {
      ++failed_runs;
      EXPECT_THAT(run.topics, IsEmpty())
          << kind.name << " injected at call " << run.call << " (step '" << run.error.step << "')";
    });
    EXPECT_EQ(failed_runs, commit_call) << kind.name;
    const auto record = succeeded.results.find<Transfer>("record");
    ASSERT_NE(record, nullptr) << kind.name;
    EXPECT_THAT(succeeded.topics, ElementsAre(fmt::format("account.updated.id:{}", w.from.id),
                                              fmt::format("account.updated.id:{}", w.to.id),
                                              fmt::format("transfer.created.id:{}", record->id),
                                              fmt::format("player.updated.id:{}", w.player.id),
                                              fmt::format("account.destroyed.id:{}", w.closing.id)))
        << kind.name;
  }
}

TEST_P(FaultTest, AFailedRollbackAfterAFailedStepStillReportsTheStep) {
  const World w = make_world();
  const StoredState before = stored_state();
  // Calls 3 to 8 are the steps inside the transaction; the rollback after each is the next.
  for (std::int64_t step_call = 3; step_call < commit_call; ++step_call) {
    const auto faulty = std::make_shared<FaultyStore>(store);
    faulty->fail_call(step_call, make_error(ErrorKind::conflict));
    faulty->fail_call(step_call + 1, make_error(ErrorKind::unavailable));
    const auto r = work(w).run(faulty);
    ++inserts_tried;
    ASSERT_THAT(r, HasErrorKind(ErrorKind::conflict)) << "call " << step_call;
    EXPECT_FALSE(r.error().step.empty()) << "call " << step_call;
    // After the rollback, each completed step's record (from call 3 on) is read again.
    EXPECT_EQ(faulty->calls(), step_call + 1 + (step_call - 3))
        << "the unit did not try to roll back";
    EXPECT_EQ(stored_state(), before) << "call " << step_call;
  }
}

TEST_P(FaultTest, RetryStopsAtMaxAttemptsWithTheLastErrorAndWritesNothing) {
  constexpr int max_attempts = 4;
  const World w = make_world();
  const StoredState before = stored_state();
  const auto faulty = std::make_shared<FaultyStore>(store);
  const auto out =
      optimist::retry(RetryPolicy::immediate(max_attempts), [&](int attempt) -> Result<Transfer> {
        // Each attempt loses a race at its credit step, to a writer that moved the credited
        // account on `attempt` times: each attempt's error is told apart by stored_version.
        Error lost = make_error(ErrorKind::stale_record);
        lost.stored_version = w.to.version + attempt;
        faulty->fail_call(faulty->calls() + credit_call, lost);
        OPTIMIST_TRY(results, work(w).run(faulty));
        return results.get<Transfer>("record");
      });
  inserts_tried += max_attempts;
  EXPECT_EQ(out.attempts, max_attempts);
  ASSERT_THAT(out.result, HasErrorKind(ErrorKind::stale_record));
  EXPECT_EQ(out.result.error().stored_version, w.to.version + max_attempts)
      << "retry() did not report the last attempt's error";
  EXPECT_EQ(out.result.error().key, w.to.id);
  // Per attempt: the check's read, begin, lock, debit, credit, rollback, and the reads of
  // the two completed records (lock's and debit's) again after the rollback.
  EXPECT_EQ(faulty->calls(), max_attempts * (credit_call + 3));
  EXPECT_EQ(stored_state(), before) << "a failed attempt left a change";
}

TEST_P(FaultTest, RetryAfterFailedCommitsCommitsExactlyOnce) {
  constexpr int max_attempts = 4;
  for (int failing = 1; failing < max_attempts; ++failing) {
    const World w = make_world();
    const StoredState before = stored_state();
    const auto faulty = std::make_shared<FaultyStore>(store);
    std::vector<std::string> topics;
    const auto subscription = faulty->events().subscribe(
        "*.*.*", [&topics](const optimist::Event& e) { topics.push_back(e.topic()); });
    ASSERT_THAT(subscription, IsOk());
    // The first `failing` attempts fail at commit, after all their writes, as a
    // serialization failure would; `w` stays current because they leave nothing behind.
    const auto out =
        optimist::retry(RetryPolicy::immediate(max_attempts), [&](int attempt) -> Result<Transfer> {
          if (attempt <= failing) {
            faulty->fail_call(faulty->calls() + commit_call, make_error(ErrorKind::unavailable));
          }
          OPTIMIST_TRY(results, work(w).run(faulty));
          return results.get<Transfer>("record");
        });
    inserts_tried += max_attempts;
    ASSERT_THAT(out.result, IsOk()) << failing << " failed commits";
    EXPECT_EQ(out.attempts, failing + 1);

    const Account from = accounts->get_or_throw(w.from.id);
    EXPECT_EQ(from.balance, w.from.balance - amount) << "debited other than once";
    EXPECT_EQ(from.version, w.from.version + 1);
    const Account to = accounts->get_or_throw(w.to.id);
    EXPECT_EQ(to.balance, w.to.balance + amount) << "credited other than once";
    EXPECT_EQ(to.version, w.to.version + 1);
    EXPECT_EQ(players->get_or_throw(w.player.id).points, 1);
    const StoredState after = stored_state();
    EXPECT_EQ(after.at("transfers").size(), before.at("transfers").size() + 1);
    EXPECT_EQ(topics.size(), 5U) << "events of more or fewer than one commit";
  }
}

}  // namespace
