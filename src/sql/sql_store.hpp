// SPDX-License-Identifier: MIT
// The SQL store: one implementation of the data layer over SOCI for every SQL dialect. Its
// parts, one concern a file: the pool of connections (pool.cpp), the statement cache
// (statements.cpp), the operations on a connection (operations.cpp), schema work
// (schema.cpp), transactions (transaction.cpp) and the calls outside one (sql_store.cpp).
// Dialect differences live in a Connector and its Dialect (src/sqlite/, src/postgresql/).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "optimist/store.hpp"
#include "sql/connection.hpp"
#include "sql/group_commit.hpp"
#include "sql/operations.hpp"

namespace optimist::sql {

/// Timing and sizing of a SQL store.
struct PoolSettings {
  std::size_t size = 4;                       ///< connections at most
  std::chrono::milliseconds wait{5000};       ///< longest wait for a free connection
  std::size_t group_size = 0;                 ///< 0: no group commit; else the most calls a group
  std::chrono::microseconds group_wait{100};  ///< the longest a group waits for its writers
};

/// The SQL store. Thread-safe: each call leases a pooled connection for its duration; a
/// transaction pins one connection until it finishes.
class SqlStore final : public Store {
 public:
  /// Opens the pool's first connection. Errors: unavailable, internal.
  static Result<std::shared_ptr<Store>> open(std::shared_ptr<spdlog::logger> logger,
                                             std::unique_ptr<Connector> connector,
                                             PoolSettings pool);

  SqlStore(std::shared_ptr<spdlog::logger> logger, std::unique_ptr<Connector> connector,
           PoolSettings pool);
  ~SqlStore() override;

  [[nodiscard]] std::string_view backend() const noexcept override { return connector_->backend(); }

  /// Takes a connection from the pool, connecting or rebuilding it when needed.
  /// Errors: unavailable (no connection free within the wait, or the database refuses).
  Result<Connection*> acquire();
  /// A free connection that needs no (re)connecting, or null: the fast path of acquire().
  Connection* ready_lease() noexcept;
  /// Returns a connection to the pool.
  void release(Connection* c) noexcept;

  /// Runs `f(Connection&)`, returning Result<T>, on a leased connection, and returns the
  /// connection. Errors: f's, or acquire()'s.
  template <class T, class F>
  Result<T> with_connection(F&& f);

  [[nodiscard]] const Dialect& dialect() const noexcept { return ops_.dialect(); }
  /// The store's group commit; null when it has none.
  [[nodiscard]] GroupCommit* group_commit() const noexcept { return group_.get(); }

 protected:
  Result<Row> do_get(const Table& table, std::int64_t key) override;
  Result<std::vector<Row>> do_select(const Table& table, const Selection& selection) override;
  Result<std::int64_t> do_count(const Table& table, const Condition& where) override;
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override;
  Result<std::int64_t> do_update(const Table& table, std::int64_t key,
                                 std::int64_t expected_version,
                                 std::span<const Assignment> changes) override;
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected_version) override;
  Result<void> do_destroy(const Table& table, std::int64_t key,
                          std::int64_t expected_version) override;
  Result<std::unique_ptr<Transaction>> do_begin() override;
  Result<void> do_ensure_schema(const Table& table) override;
  Result<void> do_transact(const std::function<Result<void>(Transaction&)>& work) override;

 private:
  // A write outside a transaction: in the next group with group commit, else on its own.
  template <class T, class F>
  Result<T> write(F&& f);

  std::unique_ptr<Connector> connector_;
  const PoolSettings pool_;

  // The pool: a fixed set of slots, each connected on first lease. Leasing is a
  // compare-and-swap on the slot's `leased` flag, starting at the slot this thread used last
  // (so a thread keeps its warm connection and its statements); the mutex and condition
  // variable are only for callers waiting for a free slot.
  Connection* try_lease() noexcept;
  const std::uint64_t id_;  // tells this store's slots apart in threads' last-used hints
  std::unique_ptr<Connection[]> slots_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::atomic<int> waiters_{0};
  // Incremented whenever a connection is found lost: the server may have gone away for
  // every connection, so idle ones opened before are rebuilt on their next lease instead of
  // failing one more call each.
  std::atomic<std::uint64_t> losses_{0};
  Operations ops_{*connector_, losses_};  // it refers to the connector and losses_
  std::unique_ptr<GroupCommit> group_;    // with PoolSettings::group_size only
};

// Returns a leased connection to the pool when it goes out of scope.
struct Lease {
  SqlStore& store;
  Connection* c;
  ~Lease() { store.release(c); }
};

// The error of a failed lease. Out of line: taking it out of the Result inline (Boost.Outcome's
// checked observer) widens the frame of every do_update by 256 bytes.
[[gnu::noinline]] detail::ErrorBox lease_error(Result<Connection*>& leased);

template <class T, class F>
Result<T> SqlStore::with_connection(F&& f) {
  Connection* c = ready_lease();
  if (c == nullptr) {
    auto leased = acquire();
    if (!leased) return lease_error(leased);
    c = leased.value();
  }
  const Lease lease{*this, c};
  return f(*c);  // a prvalue: no copy of the Result (and of its Error) on the way out
}

}  // namespace optimist::sql
