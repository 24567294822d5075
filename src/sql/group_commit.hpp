// SPDX-License-Identifier: MIT
// Group commit for the SQL store (README, "Group commit"): many writers, one flush.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "sql/connection.hpp"
#include "sql/operations.hpp"

namespace optimist::sql {

class SqlStore;
class SqlTransaction;

/// A call that runs one statement on a connection: a reference to a callable, owned by the
/// caller, that returns the statement's outcome (its value stays with the caller).
class StatementWork {
 public:
  template <class F>
  explicit StatementWork(F& f) noexcept
      : f_(&f), call_([](void* f, Connection& c) { return (*static_cast<F*>(f))(c); }) {}
  Result<void> operator()(Connection& c) const { return call_(f_, c); }

 private:
  void* f_;
  Result<void> (*call_)(void*, Connection&);
};

/// Group commit. Write calls made outside a transaction the caller holds wait in one queue;
/// the first caller to find the writer free leads: it takes the queued calls, oldest first, at
/// most `max_size` of them, runs them one after another in one transaction on one connection
/// (each transaction call in a savepoint of its own), and commits once: one flush for the
/// group. Calls that arrive meanwhile form the next group.
///
/// Writers that just had a group commit come back a moment later (to read, then write
/// again): so that they meet in one group instead of alternating between two, a leader
/// waits, at most `wait`, until as many calls are queued as the last group held and the
/// queue held when it finished. A lone writer is never delayed (it is all that the last
/// group held), nor is a call once `max_size` are queued; a group of one statement runs
/// alone, outside any transaction, as without group commit.
///
/// Each call keeps its own outcome: a statement that fails is undone by the database alone
/// and a transaction call that fails rolls back to its savepoint, and the others go on. A
/// failure the group's transaction cannot survive (its connection lost, a savepoint that
/// cannot be undone, a statement failing as unavailable or internal, a COMMIT that fails:
/// disk full, I/O error) rolls the whole group back and fails every call in it with
/// `unavailable`, "group commit failed". A call returns only after its group has committed.
///
/// Thread-safe. A write made through the store by work running in a group (instead of
/// through its transaction) is refused with `unavailable`: it would wait for itself.
class GroupCommit {
 public:
  GroupCommit(SqlStore& store, Operations& ops, std::size_t max_size,
              std::chrono::microseconds wait);

  /// Runs `work` on a connection in the next group. Returns when the group has committed:
  /// ok (work's own outcome stays with the caller), or the group's failure (work may not
  /// have run).
  Result<void> statement(StatementWork work);

  /// Runs `work` on `tx`, a transaction made in a group (SqlTransaction::InGroup), in the next
  /// group: Store::transact. Then commits `tx` (delivering its events) when the call
  /// succeeded, else rolls it back. Returns work's error, aborted, or the group's failure;
  /// rethrows what work threw.
  Result<void> transaction(SqlTransaction& tx,
                           const std::function<Result<void>(Transaction&)>& work);

  /// The calls waiting for a group to take them (not those of the running group).
  [[nodiscard]] std::size_t queued();

 private:
  struct Call;
  // Queues `call` and waits until its group has settled it, leading groups while the writer
  // is free. Rethrows what the call's work threw.
  void submit(Call& call);
  // Runs the next group, called with the mutex held (as `lock`) and returning with it held:
  // the queued calls in one transaction, or a lone statement on its own. Returns its calls,
  // each settled.
  std::vector<Call*> lead(std::unique_lock<std::mutex>& lock);
  // Moves queued calls into `calls`, oldest first, up to max_size_ in all. Under the mutex.
  void take(std::vector<Call*>& calls);
  // Runs `call` on `c` inside the group's transaction; sets `spoiled` when the transaction
  // cannot go on.
  static void run(Call& call, Connection& c, std::optional<Error>& spoiled);

  SqlStore& store_;
  Operations& ops_;
  const std::size_t max_size_;
  const std::chrono::microseconds wait_;
  std::mutex mutex_;
  std::condition_variable settled_;  // a group finished: the writer is free, calls are done
  std::condition_variable arrived_;  // a call was queued while a leader gathers its group
  std::deque<Call*> queue_;          // calls waiting for a group, oldest first
  bool leading_ = false;             // a group is gathering or running
  std::size_t writers_ = 1;          // the last group's calls and those queued as it ended
};

}  // namespace optimist::sql
