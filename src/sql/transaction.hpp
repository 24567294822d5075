// SPDX-License-Identifier: MIT
// The SQL store's transactions: a transaction of its own (SqlStore::begin), or one call's part
// of a group's transaction (group_commit.hpp).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sql/sql_store.hpp"

namespace optimist::sql {

/// A transaction of the SQL store, of one of two kinds.
///
/// Its own: one pinned connection from BEGIN to COMMIT or ROLLBACK. On a dialect that takes
/// keys back with a rollback (Dialect::reserve_keys), savepoint 0 is opened right after
/// BEGIN, and the largest key inserted in each table is kept: a rollback is then a rollback
/// to savepoint 0, the keys reserved, and a commit, all under the transaction's lock, so that
/// no insert anywhere gets a key that this transaction handed out; rolling back to a
/// savepoint reserves them too.
///
/// In a group: one call's savepoint of a group's transaction, bound to the group's connection
/// from open_in() to close() while the call's work runs. Its own savepoints nest inside that
/// one. Its commit() and rollback() run no statement (the group has already settled the
/// savepoint and the transaction by then): they deliver or drop its events.
class SqlTransaction final : public Transaction {
 public:
  /// A transaction of its own on `c`, just begun (see SqlStore::do_begin).
  SqlTransaction(SqlStore& store, Operations& ops, Connection* c);
  /// A call's part of a group, bound to no connection yet.
  struct InGroup {};
  SqlTransaction(SqlStore& store, Operations& ops, InGroup);
  ~SqlTransaction() override;

  /// In a group: opens this call's savepoint on `c`, the group's connection, and runs this
  /// transaction's calls there until close(). Errors: unavailable, internal.
  Result<void> open_in(Connection& c);
  /// In a group: closes this call's savepoint, keeping its writes when `keep`, else undoing
  /// them (the keys of its inserts reserved). Errors: unavailable, internal (the group's
  /// transaction is then spoiled).
  Result<void> close(bool keep);

 protected:
  Result<Row> do_get(const Table& table, std::int64_t key) override;
  Result<std::vector<Row>> do_select(const Table& table, const Selection& selection) override;
  Result<std::int64_t> do_count(const Table& table, const Condition& where) override;
  Result<Row> do_get_for_update(const Table& table, std::int64_t key) override;
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override;
  Result<std::int64_t> do_update(const Table& table, std::int64_t key, std::int64_t expected,
                                 std::span<const Assignment> changes) override;
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected) override;
  Result<void> do_destroy(const Table& table, std::int64_t key, std::int64_t expected) override;
  Result<void> do_commit() override;
  Result<void> do_rollback() override;
  Result<void> do_savepoint(std::size_t depth) override;
  Result<void> do_release_savepoint(std::size_t depth) override;
  Result<void> do_rollback_to_savepoint(std::size_t depth) override;

 private:
  void inserted(const Table& table, std::int64_t key);
  Result<void> reserve_keys();
  Result<void> undo(Connection& c);
  Result<void> finish(Op op);

  SqlStore& store_;  // the pool the connection goes back to
  Operations& ops_;
  Connection* c_;
  const bool reserves_keys_;  // its own: savepoint 0 is open
  // Its own: 0. In a group: 1, the number of the call's savepoint; its own savepoints follow.
  const std::size_t base_;
  // The largest key inserted in each table, while reserves_keys_.
  std::vector<std::pair<const Table*, std::int64_t>> inserted_;
};

}  // namespace optimist::sql
