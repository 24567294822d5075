// SPDX-License-Identifier: MIT
// The SQL store's transactions (transaction.hpp).
#include "sql/transaction.hpp"

#include <algorithm>

namespace optimist::sql {

SqlTransaction::SqlTransaction(SqlStore& store, Operations& ops, Connection* c)
    : Transaction(store.logger()),
      store_(store),
      ops_(ops),
      c_(c),
      reserves_keys_(!ops.dialect().reserve_keys.empty()),
      base_(0) {}

SqlTransaction::SqlTransaction(SqlStore& store, Operations& ops, InGroup)
    : Transaction(store.logger()),
      store_(store),
      ops_(ops),
      c_(nullptr),
      reserves_keys_(!ops.dialect().reserve_keys.empty()),
      base_(1) {}

SqlTransaction::~SqlTransaction() {
  if (c_ != nullptr && base_ == 0) (void)finish(Op::rollback);
}

Result<void> SqlTransaction::open_in(Connection& c) {
  c_ = &c;
  return ops_.control(c, Op::savepoint, base_);
}

Result<void> SqlTransaction::close(bool keep) {
  Connection& c = *c_;
  Result<void> r = keep ? ok() : ops_.control(c, Op::rollback_to_savepoint, base_);
  if (r && !keep) r = reserve_keys();
  if (r) r = ops_.control(c, Op::release_savepoint, base_);
  c_ = nullptr;
  return r;
}

Result<std::vector<Row>> SqlTransaction::do_select(const Table& table, const Selection& selection) {
  return ops_.select(*c_, table, selection);
}

Result<std::int64_t> SqlTransaction::do_count(const Table& table, const Condition& where) {
  return ops_.count(*c_, table, where);
}

Result<Row> SqlTransaction::do_get(const Table& table, std::int64_t key) {
  return ops_.get(*c_, table, key);
}

Result<Row> SqlTransaction::do_get_for_update(const Table& table, std::int64_t key) {
  return ops_.get(*c_, table, key, /*lock=*/true);
}

Result<std::int64_t> SqlTransaction::do_insert(const Table& table, const Row& row) {
  if (!reserves_keys_) return ops_.insert(*c_, table, row);
  auto key = ops_.insert(*c_, table, row);
  if (key) inserted(table, key.value());
  return key;
}

Result<std::int64_t> SqlTransaction::do_update(const Table& table, std::int64_t key,
                                               std::int64_t expected,
                                               std::span<const Assignment> changes) {
  return ops_.update(*c_, table, key, expected, changes);
}

Result<Row> SqlTransaction::do_increment(const Table& table, std::int64_t key,
                                         std::span<const Increment> deltas,
                                         std::optional<std::int64_t> expected) {
  return ops_.increment(*c_, table, key, deltas, expected);
}

Result<void> SqlTransaction::do_destroy(const Table& table, std::int64_t key,
                                        std::int64_t expected) {
  return ops_.destroy(*c_, table, key, expected);
}

Result<void> SqlTransaction::do_commit() {
  if (base_ != 0) return ok();  // in a group: committed with it
  return finish(Op::commit);
}

Result<void> SqlTransaction::do_rollback() {
  if (base_ != 0) return ok();  // in a group: its savepoint is already undone
  return finish(Op::rollback);
}

Result<void> SqlTransaction::do_savepoint(std::size_t depth) {
  return ops_.control(*c_, Op::savepoint, base_ + depth);
}

Result<void> SqlTransaction::do_release_savepoint(std::size_t depth) {
  return ops_.control(*c_, Op::release_savepoint, base_ + depth);
}

Result<void> SqlTransaction::do_rollback_to_savepoint(std::size_t depth) {
  OPTIMIST_TRYV(ops_.control(*c_, Op::rollback_to_savepoint, base_ + depth));
  OPTIMIST_TRYV(ops_.control(*c_, Op::release_savepoint, base_ + depth));
  return reserve_keys();
}

void SqlTransaction::inserted(const Table& table, std::int64_t key) {
  for (auto& [t, largest] : inserted_) {
    if (t == &table) {
      largest = std::max(largest, key);
      return;
    }
  }
  inserted_.emplace_back(&table, key);
}

Result<void> SqlTransaction::reserve_keys() {
  for (const auto& [table, largest] : inserted_) {
    OPTIMIST_TRYV(ops_.reserve_keys(*c_, *table, largest));
  }
  return ok();
}

// Undoes every write, keeping the keys inserts took (see the class comment).
Result<void> SqlTransaction::undo(Connection& c) {
  if (inserted_.empty()) return ops_.control(c, Op::rollback);
  OPTIMIST_TRYV(ops_.control(c, Op::rollback_to_savepoint, 0));
  OPTIMIST_TRYV(reserve_keys());
  return ops_.control(c, Op::commit);
}

Result<void> SqlTransaction::finish(Op op) {
  Connection* c = c_;
  auto r = op == Op::commit ? ops_.control(*c, Op::commit) : undo(*c);
  if (!r && !c->broken) {
    // A failed COMMIT (say SQLite busy) or step of the undo may leave the transaction open:
    // end it before the connection serves anyone else.
    if (!(op == Op::commit ? undo(*c) : ops_.control(*c, Op::rollback))) c->broken = true;
  }
  if (!r && op == Op::rollback) c->broken = true;  // state unknown: rebuild it
  c_ = nullptr;
  store_.release(c);
  return r;
}

Result<std::unique_ptr<Transaction>> SqlStore::do_begin() {
  OPTIMIST_TRY(c, acquire());
  auto r = ops_.control(*c, Op::begin);
  if (r && !ops_.dialect().reserve_keys.empty()) {
    r = ops_.control(*c, Op::savepoint, 0);  // see SqlTransaction
    if (!r) (void)ops_.control(*c, Op::rollback);
  }
  if (!r) {
    release(c);
    return r.error();
  }
  return std::unique_ptr<Transaction>(std::make_unique<SqlTransaction>(*this, ops_, c));
}

}  // namespace optimist::sql
