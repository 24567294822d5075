// SPDX-License-Identifier: MIT
// The SQL store's transactions: one pinned connection from BEGIN to COMMIT or ROLLBACK.
#include <algorithm>

#include "sql/sql_store.hpp"

namespace optimist::sql {

namespace {

/// A transaction: one pinned connection from BEGIN to COMMIT or ROLLBACK.
///
/// On a dialect that takes keys back with a rollback (Dialect::reserve_keys), savepoint 0 is
/// opened right after BEGIN, and the largest key inserted in each table is kept: a rollback
/// is then a rollback to savepoint 0, the keys reserved, and a commit, all under the
/// transaction's lock, so that no insert anywhere gets a key that this transaction handed
/// out; rolling back to a savepoint reserves them too.
class SqlTransaction final : public Transaction {
 public:
  SqlTransaction(SqlStore& store, Operations& ops, Connection* c)
      : Transaction(store.logger()),
        store_(store),
        ops_(ops),
        c_(c),
        reserves_keys_(!ops.dialect().reserve_keys.empty()) {}
  ~SqlTransaction() override {
    if (c_ != nullptr) (void)finish(Op::rollback);
  }

 protected:
  Result<Row> do_get(const Table& table, std::int64_t key) override {
    return ops_.get(*c_, table, key);
  }
  Result<Row> do_get_for_update(const Table& table, std::int64_t key) override {
    return ops_.get(*c_, table, key, /*lock=*/true);
  }
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override {
    if (!reserves_keys_) return ops_.insert(*c_, table, row);
    auto key = ops_.insert(*c_, table, row);
    if (key) inserted(table, key.value());
    return key;
  }
  Result<std::int64_t> do_update(const Table& table, std::int64_t key, std::int64_t expected,
                                 std::span<const Assignment> changes) override {
    return ops_.update(*c_, table, key, expected, changes);
  }
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected) override {
    return ops_.increment(*c_, table, key, deltas, expected);
  }
  Result<void> do_destroy(const Table& table, std::int64_t key, std::int64_t expected) override {
    return ops_.destroy(*c_, table, key, expected);
  }
  Result<void> do_commit() override { return finish(Op::commit); }
  Result<void> do_rollback() override { return finish(Op::rollback); }
  Result<void> do_savepoint(std::size_t depth) override {
    return ops_.control(*c_, Op::savepoint, depth);
  }
  Result<void> do_release_savepoint(std::size_t depth) override {
    return ops_.control(*c_, Op::release_savepoint, depth);
  }
  Result<void> do_rollback_to_savepoint(std::size_t depth) override {
    OPTIMIST_TRYV(ops_.control(*c_, Op::rollback_to_savepoint, depth));
    OPTIMIST_TRYV(ops_.control(*c_, Op::release_savepoint, depth));
    return reserve_keys();
  }

 private:
  void inserted(const Table& table, std::int64_t key) {
    for (auto& [t, largest] : inserted_) {
      if (t == &table) {
        largest = std::max(largest, key);
        return;
      }
    }
    inserted_.emplace_back(&table, key);
  }

  Result<void> reserve_keys() {
    for (const auto& [table, largest] : inserted_) {
      OPTIMIST_TRYV(ops_.reserve_keys(*c_, *table, largest));
    }
    return ok();
  }

  // Undoes every write, keeping the keys inserts took (see the class comment).
  Result<void> undo(Connection& c) {
    if (inserted_.empty()) return ops_.control(c, Op::rollback);
    OPTIMIST_TRYV(ops_.control(c, Op::rollback_to_savepoint, 0));
    OPTIMIST_TRYV(reserve_keys());
    return ops_.control(c, Op::commit);
  }

  Result<void> finish(Op op) {
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

  SqlStore& store_;  // the pool the connection goes back to
  Operations& ops_;
  Connection* c_;
  const bool reserves_keys_;  // savepoint 0 is open
  // The largest key inserted in each table, while reserves_keys_.
  std::vector<std::pair<const Table*, std::int64_t>> inserted_;
};

}  // namespace

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
