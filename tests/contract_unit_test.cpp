// SPDX-License-Identifier: MIT
// Units of work on every backend: all or nothing, failures named with earlier results,
// composition, checks before the transaction, and conservation of money under contention.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "resources/account.hpp"
#include "resources/address.hpp"
#include "resources/player.hpp"
#include "resources/transfer.hpp"
#include "support/backend.hpp"
#include "support/faulty_store.hpp"
#include "support/matchers.hpp"
#include "support/rendezvous.hpp"

namespace {

using app::Account;
using app::Address;
using app::Player;
using app::Transfer;
using optimist::ErrorKind;
using optimist::increment;
using optimist::set;
using optimist::StepInfo;
using optimist::StepKind;
using optimist::Unit;
using optimist::testing::HasErrorKind;
using optimist::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class UnitTest : public optimist::testing::BackendTest {};
OPTIMIST_CONTRACT(UnitTest);

/// The unit that moves `amount` from `from` to `to` and records it.
Unit transfer(const Account& from, const Account& to, std::int64_t amount) {
  return Unit{}
      .update("debit", from, set<&Account::balance>(from.balance - amount))
      .update("credit", to, set<&Account::balance>(to.balance + amount))
      .create<Transfer>("record", set<&Transfer::from_account>(from.id),
                        set<&Transfer::to_account>(to.id), set<&Transfer::amount>(amount));
}

TEST_P(UnitTest, RunsEveryStepAndGivesTypedResults) {
  const optimist::Resource<Account> accounts{store};
  const Account a =
      accounts.create_or_throw(set<&Account::owner>("a"), set<&Account::balance>(100));
  const Account b = accounts.create_or_throw(set<&Account::owner>("b"), set<&Account::balance>(0));
  const auto r = transfer(a, b, 30).run(store);
  ASSERT_THAT(r, IsOk());
  const auto& results = r.value();
  EXPECT_THAT(results.names(), ElementsAre("debit", "credit", "record"));
  EXPECT_EQ(results.get<Account>("debit").balance, 70);
  EXPECT_EQ(results.get<Account>("debit").version, 2);
  EXPECT_EQ(results.get<Account>("credit").balance, 30);
  const Transfer& t = results.get<Transfer>("record");
  EXPECT_EQ(t.amount, 30);
  EXPECT_THAT(optimist::Resource<Transfer>{store}.get(t.id), IsOk());
  EXPECT_EQ(accounts.get_or_throw(a.id).balance, 70);
  EXPECT_EQ(accounts.get_or_throw(b.id).balance, 30);
  EXPECT_EQ(results.find<Transfer>("debit"), nullptr);
  EXPECT_THROW((void)results.get<Transfer>("debit"), optimist::Exception);
  EXPECT_THROW((void)results.get<Transfer>("nothing"), optimist::Exception);
}

TEST_P(UnitTest, FailureAtTheSecondOfThreeStepsUndoesTheFirstAndNamesTheStep) {
  const optimist::Resource<Address> addresses{store};
  const Address stale =
      addresses.create_or_throw(set<&Address::state>("FL"), set<&Address::county>("Pinellas"));
  (void)addresses.update_or_throw(stale, set<&Address::state>("NC"));
  const Address other =
      addresses.create_or_throw(set<&Address::state>("GA"), set<&Address::county>("Fulton"));

  const auto r =
      Unit{}
          .update("first", other, set<&Address::county>("DeKalb"))
          .update("second", stale, set<&Address::county>("Guilford"))
          .create<Address>("third", set<&Address::state>("TX"), set<&Address::county>("Travis"))
          .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::stale_record));
  const optimist::UnitError& e = r.error();
  EXPECT_EQ(e.step, "second");
  EXPECT_EQ(e.resource, "Address");
  EXPECT_EQ(e.stored_version, 2);
  EXPECT_THAT(e.completed.names(), ElementsAre("first"));
  // The first step's write was undone, and its result says so: it is the stored record.
  const Address stored = addresses.get_or_throw(other.id);
  EXPECT_EQ(stored.county, "Fulton") << "the first step's write survived";
  EXPECT_EQ(stored.version, other.version);
  EXPECT_EQ(e.completed.get<Address>("first").county, "Fulton");
  EXPECT_EQ(e.completed.get<Address>("first").version, other.version);
  EXPECT_EQ(addresses.get_or_throw(stale.id).county, "Pinellas");
}

TEST_P(UnitTest, DuplicateOrEmptyStepNamesAreRejectedBeforeAnythingRuns) {
  const optimist::Resource<Player> players{store};
  bool ran = false;
  Unit unit;
  unit.create<Player>("player", set<&Player::name>("a"))
      .custom("player", [&](optimist::StepContext&) -> optimist::Result<void> {
        ran = true;
        return optimist::ok();
      });
  const auto valid = unit.validate();
  ASSERT_THAT(valid, HasErrorKind(ErrorKind::invalid));
  ASSERT_EQ(valid.error().fields.size(), 1U);
  EXPECT_EQ(valid.error().fields[0].field, "player");
  EXPECT_EQ(valid.error().fields[0].reason, optimist::FieldReason::duplicate_name);

  const auto r = unit.run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(r.error().step, "player");
  EXPECT_FALSE(ran);

  Unit appended = Unit{}.create<Player>("p", set<&Player::name>("a"));
  appended.append(Unit{}.create<Player>("p", set<&Player::name>("b")));
  EXPECT_THAT(appended.validate(), HasErrorKind(ErrorKind::invalid));
  EXPECT_THAT(Unit{}.create<Player>("", set<&Player::name>("a")).validate(),
              HasErrorKind(ErrorKind::invalid));
}

TEST_P(UnitTest, StepsAreListedWithoutRunning) {
  const Account a{.id = 1, .version = 1, .owner = "a", .balance = 10};
  const Account b{.id = 2, .version = 1, .owner = "b", .balance = 10};
  Unit unit = transfer(a, b, 5);
  unit.change<Player>("bonus", 7, increment<&Player::points>(1))
      .destroy("close", a)
      .custom("note", [](optimist::StepContext&) { return optimist::Result<int>(1); })
      .check("limits", [](optimist::StepContext&) { return optimist::Result<int>(2); })
      .merge("more", [](const optimist::UnitResults&) { return Unit{}; })
      .merge<Player>("bonus_round", [](const optimist::UnitResults&) { return Unit{}; });
  EXPECT_THAT(unit.steps(), ElementsAre(StepInfo{"debit", StepKind::update, "Account"},
                                        StepInfo{"credit", StepKind::update, "Account"},
                                        StepInfo{"record", StepKind::create, "Transfer"},
                                        StepInfo{"bonus", StepKind::change, "Player"},
                                        StepInfo{"close", StepKind::destroy, "Account"},
                                        StepInfo{"note", StepKind::custom, ""},
                                        StepInfo{"limits", StepKind::check, ""},
                                        StepInfo{"more", StepKind::merge, ""},
                                        StepInfo{"bonus_round", StepKind::merge, "Player"}));
  EXPECT_EQ(optimist::Resource<Account>{store}.get(1).error().kind, ErrorKind::not_found)
      << "listing steps wrote something";
}

TEST_P(UnitTest, AppendPrependAndMergeCompose) {
  const optimist::Resource<Player> players{store};
  Unit middle = Unit{}.create<Player>("b", set<&Player::name>("b"));
  middle.prepend(Unit{}.create<Player>("a", set<&Player::name>("a")))
      .append(Unit{}.create<Player>("c", set<&Player::name>("c")))
      .merge<Player>("bonus", [](const optimist::UnitResults& rs) {
        // Built from earlier results: every player created so far gets a point.
        Unit more;
        for (const auto& name : rs.names()) {
          more.change<Player>("bonus_" + name, rs.get<Player>(name).id,
                              increment<&Player::points>(1));
        }
        return more;
      });
  EXPECT_THAT(middle.steps().front().name, "a");
  const auto r = middle.run(store);
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT(r.value().names(), ElementsAre("a", "b", "c", "bonus_a", "bonus_b", "bonus_c"));
  for (const char* n : {"a", "b", "c"}) {
    EXPECT_EQ(players.get_or_throw(r.value().get<Player>(n).id).points, 1) << n;
  }
}

TEST_P(UnitTest, LaterStepsUseEarlierResults) {
  const optimist::Resource<Account> accounts{store};
  const Account a = accounts.create_or_throw(set<&Account::owner>("a"), set<&Account::balance>(50));
  const auto r =
      Unit{}
          .create<Account>("opened", set<&Account::owner>("new"))
          .update<Account>("funded",
                           [](const optimist::UnitResults& rs) {
                             const Account& opened = rs.get<Account>("opened");
                             return std::tuple{opened, set<&Account::balance>(opened.balance + 25)};
                           })
          .custom<Transfer>("audit",
                            [](optimist::StepContext& ctx) -> optimist::Result<Transfer> {
                              OPTIMIST_TRY(transfers, ctx.resource<Transfer>());
                              return transfers.create(
                                  set<&Transfer::to_account>(ctx.get<Account>("funded").id),
                                  set<&Transfer::amount>(25));
                            })
          .destroy<Account>("closed", [a](const optimist::UnitResults&) { return a; })
          .run(store);
  ASSERT_THAT(r, IsOk());
  const Account funded = accounts.get_or_throw(r.value().get<Account>("opened").id);
  EXPECT_EQ(funded.balance, 25);
  EXPECT_EQ(funded.version, 2);
  EXPECT_EQ(r.value().get<Transfer>("audit").to_account, funded.id);
  EXPECT_THAT(accounts.get(a.id), HasErrorKind(ErrorKind::not_found));
}

inline constexpr optimist::ErrorKind over_limit{"over_limit", optimist::ErrorClass::invalid,
                                                "the amount is over the limit"};

TEST_P(UnitTest, ChecksRunBeforeTheTransactionAndStopTheUnit) {
  const optimist::Resource<Player> players{store};
  int checks = 0;
  std::vector<std::string> order;
  auto unit = Unit{}
                  .create<Player>("player", set<&Player::name>("a"))
                  .check("lookup",
                         [&](optimist::StepContext& ctx) -> optimist::Result<std::int64_t> {
                           ++checks;
                           EXPECT_FALSE(ctx.in_transaction());
                           EXPECT_FALSE(ctx.results().contains("player"));
                           return 40;
                         })
                  .check("limit", [&](optimist::StepContext& ctx) -> optimist::Result<void> {
                    ++checks;
                    if (ctx.get<std::int64_t>("lookup") > 10)
                      return optimist::make_error(over_limit);
                    return optimist::ok();
                  });
  const auto r = unit.run(store);
  ASSERT_THAT(r, HasErrorKind(over_limit));
  EXPECT_EQ(r.error().step, "limit");
  EXPECT_EQ(r.error().error_class(), optimist::ErrorClass::invalid);
  EXPECT_THAT(r.error().completed.names(), ElementsAre("lookup"));
  EXPECT_EQ(checks, 2);
  EXPECT_THAT(players.get(1), HasErrorKind(ErrorKind::not_found));
}

TEST_P(UnitTest, AnInvalidInputIsRefusedBeforeAnyStepRunsOrATransactionOpens) {
  const auto faulty = std::make_shared<optimist::testing::FaultyStore>(store);
  const optimist::Resource<Player> players{faulty};
  const Player ann = players.create_or_throw(set<&Player::name>("Ann"));
  const std::int64_t before = faulty->calls();
  const Player never_stored{.id = ann.id, .version = 0, .name = "Ann"};
  int checks = 0;
  const auto count = [&](optimist::StepContext&) -> optimist::Result<void> {
    ++checks;
    return optimist::ok();
  };
  const std::vector<std::pair<std::string, Unit>> invalid_units{
      {"named", Unit{}.check("count", count).create<Player>("named", set<&Player::name>(""))},
      {"long",
       Unit{}.check("count", count).update("long", ann, set<&Player::name>(std::string(101, 'x')))},
      {"input",
       Unit{}.check("count", count).create_from<Player>("input", {{"points", std::int64_t{1}}})},
      {"refused",
       Unit{}.check("count", count).update_from("refused", ann, {{"id", std::int64_t{9}}})},
      {"gone", Unit{}.check("count", count).destroy("gone", never_stored)},
      {"locked", Unit{}
                     .check("count", count)
                     .change_locked("locked", never_stored, increment<&Player::points>(1))},
  };
  for (const auto& [step, unit] : invalid_units) {
    const auto r = unit.run(faulty);
    ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid)) << step;
    EXPECT_EQ(r.error().step, step);
    EXPECT_THAT(r.error().completed.names(), IsEmpty());
  }
  EXPECT_EQ(checks, 0) << "a check ran before an invalid step was refused";
  EXPECT_EQ(faulty->calls(), before) << "an invalid unit reached the store";
}

TEST_P(UnitTest, AStepBuiltFromEarlierResultsIsValidatedWhenItRuns) {
  const optimist::Resource<Player> players{store};
  const auto r = Unit{}
                     .create<Player>("first", set<&Player::name>("a"))
                     .create<Player>("second",
                                     [](const optimist::UnitResults&) {
                                       return std::tuple{set<&Player::name>("")};
                                     })
                     .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(r.error().step, "second");
  // The first step's create was rolled back: the record never existed, and is not reported.
  EXPECT_THAT(r.error().completed.names(), IsEmpty());
  (void)players;
}

TEST_P(UnitTest, AUnitWithNothingToWriteOpensNoTransaction) {
  const auto faulty = std::make_shared<optimist::testing::FaultyStore>(store);
  const auto empty = Unit{}.run(faulty);
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty.value().size(), 0U);
  const auto checks_only =
      Unit{}
          .check("one", [](optimist::StepContext&) { return optimist::Result<int>(1); })
          .run(faulty);
  ASSERT_THAT(checks_only, IsOk());
  EXPECT_EQ(checks_only.value().get<int>("one"), 1);
  EXPECT_EQ(faulty->calls(), 0) << "begin or commit was called";
}

TEST_P(UnitTest, ThrownOptimistExceptionFailsTheStep) {
  const auto r = Unit{}
                     .create<Player>("p", set<&Player::name>("a"))
                     .custom("boom",
                             [](optimist::StepContext& ctx) -> optimist::Result<int> {
                               (void)ctx.get<Player>("missing");
                               return 1;
                             })
                     .run(store);
  ASSERT_THAT(r, HasErrorKind(ErrorKind::invalid));
  EXPECT_EQ(r.error().step, "boom");
  EXPECT_FALSE(r.error().completed.contains("p")) << "a rolled-back create is reported";
}

TEST_P(UnitTest, EventsOnlyForCommittedUnitsInStepOrder) {
  const optimist::Resource<Player> players{store};
  const Player stale = players.create_or_throw(set<&Player::name>("old"));
  (void)players.change_or_throw(stale.id, increment<&Player::points>(1));
  std::mutex mutex;
  std::vector<std::string> topics;
  std::vector<std::int64_t> versions;
  auto sub = store->events()
                 .subscribe("player.*.*",
                            [&](const optimist::Event& e) {
                              std::lock_guard lock(mutex);
                              topics.push_back(e.topic());
                              versions.push_back(e.version);
                            })
                 .value();
  const auto failed = Unit{}
                          .create<Player>("new", set<&Player::name>("n"))
                          .update("rename", stale, set<&Player::name>("x"))
                          .run(store);
  ASSERT_THAT(failed, HasErrorKind(ErrorKind::stale_record));
  EXPECT_THAT(topics, IsEmpty()) << "events of a rolled-back unit were delivered";

  const Player fresh = players.get_or_throw(stale.id);
  const auto done = Unit{}
                        .create<Player>("new", set<&Player::name>("n"))
                        .update("rename", fresh, set<&Player::name>("x"))
                        .change<Player>("win", fresh.id, increment<&Player::points>(3))
                        .run(store);
  ASSERT_THAT(done, IsOk());
  const auto id = done.value().get<Player>("new").id;
  EXPECT_THAT(topics, ElementsAre(fmt::format("player.created.id:{}", id),
                                  fmt::format("player.updated.id:{}", fresh.id),
                                  fmt::format("player.updated.id:{}", fresh.id)));
  EXPECT_THAT(versions, ElementsAre(1, 3, 4));
}

TEST_P(UnitTest, TryPropagatesAUnitFailureIntoAnyResult) {
  auto register_player = [&](std::string name) -> optimist::Result<Player> {
    OPTIMIST_TRY(results, Unit{}.create<Player>("player", set<&Player::name>(name)).run(store));
    return results.get<Player>("player");
  };
  EXPECT_THAT(register_player("ok"), IsOk());
  EXPECT_THAT(register_player(""), HasErrorKind(ErrorKind::invalid));
}

// 4 threads move money among 10 accounts through units, retrying on stale_record: money is
// never created or lost, and the Transfer rows explain every account's balance.
TEST_P(UnitTest, ConcurrentTransfersConserveMoneyAndAreAllRecorded) {
  constexpr int threads = 4;
  constexpr int n_accounts = 10;
  constexpr std::int64_t initial = 10'000;
  const int transfers_per_thread = std::min(2'000, GetParam().iterations / 10);
  const optimist::Resource<Account> accounts{store};
  const optimist::Resource<Transfer> transfers{store};
  std::vector<std::int64_t> ids;
  for (int i = 0; i < n_accounts; ++i) {
    ids.push_back(accounts
                      .create_or_throw(set<&Account::owner>(fmt::format("owner{}", i)),
                                       set<&Account::balance>(initial))
                      .id);
  }

  std::mutex mutex;
  std::vector<std::int64_t> committed;  // Transfer ids
  std::atomic<int> failures{0};
  std::atomic<int> retries{0};
  std::latch start{threads};
  optimist::testing::Rendezvous rendezvous{threads, 50};
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) + 1);
      std::uniform_int_distribution<int> pick(0, n_accounts - 1);
      std::uniform_int_distribution<std::int64_t> amount(1, 100);
      start.arrive_and_wait();
      for (int i = 0; i < transfers_per_thread; ++i) {
        // On rendezvous iterations every thread moves money between the same two accounts.
        const bool meet = i % 50 == 0;
        const std::int64_t from = meet ? ids[0] : ids[static_cast<std::size_t>(pick(random))];
        std::int64_t to = meet ? ids[1] : from;
        while (to == from) to = ids[static_cast<std::size_t>(pick(random))];
        const std::int64_t value = amount(random);
        for (int attempt = 0;; ++attempt) {
          auto a = accounts.get(from);
          auto b = accounts.get(to);
          if (!a || !b) {
            ++failures;
            return rendezvous.leave();
          }
          rendezvous.between_read_and_write(i, attempt);
          auto r = transfer(a.value(), b.value(), value).run(store);
          if (r) {
            std::lock_guard lock(mutex);
            committed.push_back(r.value().get<Transfer>("record").id);
            break;
          }
          if (r.error().kind != ErrorKind::stale_record &&
              r.error().kind != ErrorKind::unavailable) {
            ++failures;
            return rendezvous.leave();
          }
          ++retries;
        }
      }
    });
  }
  workers.clear();

  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(committed.size(), static_cast<std::size_t>(threads * transfers_per_thread));
  std::map<std::int64_t, std::int64_t> net;  // account -> money in minus money out
  for (const std::int64_t id : committed) {
    const auto t = transfers.get(id);
    ASSERT_THAT(t, IsOk());
    net[t.value().to_account] += t.value().amount;
    net[t.value().from_account] -= t.value().amount;
  }
  std::int64_t total = 0;
  for (const std::int64_t id : ids) {
    const Account a = accounts.get_or_throw(id);
    total += a.balance;
    EXPECT_EQ(a.balance - initial, net[id]) << "account " << id << " changed without a Transfer";
  }
  EXPECT_EQ(total, initial * n_accounts) << "money was created or lost";
  EXPECT_GT(retries.load(), 0) << "no contention was observed; the test proved nothing";
}

}  // namespace
