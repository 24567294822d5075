// SPDX-License-Identifier: MIT
// A money transfer as a unit of work: two balance updates and a Transfer row, all or
// nothing, retried when another transfer moved one of the accounts first.
#include <fmt/format.h>

#include "resources/account.hpp"
#include "resources/transfer.hpp"

using app::Account;
using app::Transfer;
using optimist::set;

namespace {

/// The unit that moves `amount` cents from `from` to `to`, as last read by the caller.
optimist::Unit transfer(const Account& from, const Account& to, std::int64_t amount) {
  return optimist::Unit{}
      .update("debit", from, set<&Account::balance>(from.balance - amount))
      .update("credit", to, set<&Account::balance>(to.balance + amount))
      .create<Transfer>("record", set<&Transfer::from_account>(from.id),
                        set<&Transfer::to_account>(to.id), set<&Transfer::amount>(amount));
}

/// Reads both accounts, runs the unit, and on stale_record reads again and redoes it.
optimist::Result<Transfer> send(const optimist::Resource<Account>& accounts, std::int64_t from_id,
                                std::int64_t to_id, std::int64_t amount) {
  while (true) {
    OPTIMIST_TRY(from, accounts.get(from_id));
    OPTIMIST_TRY(to, accounts.get(to_id));
    auto run = transfer(from, to, amount).run(accounts.store());
    if (run) return run.value().get<Transfer>("record");
    if (run.error().kind != optimist::ErrorKind::stale_record) return run.error();
    fmt::print("step {} was stale; retrying\n", run.error().step);
  }
}

}  // namespace

int main() {
  auto store = optimist::open("memory:").value();
  const optimist::Resource<Account> accounts{store};
  const Account alice =
      accounts.create_or_throw(set<&Account::owner>("alice"), set<&Account::balance>(10'000));
  const Account bob = accounts.create_or_throw(set<&Account::owner>("bob"));

  // Someone else changes Alice's account after we read it: our unit fails at "debit".
  const auto stale = transfer(alice, bob, 2'500);
  (void)accounts.update_or_throw(alice, set<&Account::balance>(alice.balance + 100));
  const auto failed = stale.run(store);
  fmt::print("failed at step {} with {}; completed before it: {}\n", failed.error().step,
             failed.error().kind, failed.error().completed.size());

  const Transfer t = send(accounts, alice.id, bob.id, 2'500).value();
  fmt::print("transfer {}: {} cents from {} to {}\n", t.id, t.amount, t.from_account, t.to_account);
  fmt::print("alice {} bob {}\n", accounts.get_or_throw(alice.id).balance,
             accounts.get_or_throw(bob.id).balance);
  return 0;
}
