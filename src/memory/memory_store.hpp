// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "optimist/store.hpp"

namespace optimist {

/// The in-memory store: every table in process memory behind one mutex, so each operation,
/// version check and write included, is one atomic step. A transaction holds the mutex
/// from begin to commit or rollback (transactions are serialised) and undoes its writes
/// on rollback.
class MemoryStore final : public Store {
 public:
  explicit MemoryStore(std::shared_ptr<spdlog::logger> logger);
  ~MemoryStore() override;

  [[nodiscard]] std::string_view backend() const noexcept override { return "memory"; }

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

 private:
  friend class MemoryTransaction;

  /// A row's values in the columns of an identity, or a view of them in a Row (for lookups
  /// that copy nothing): hashed and compared alike.
  struct RowValues {
    const Row& row;
    const std::vector<std::size_t>& columns;
  };
  struct ValuesHash {
    using is_transparent = void;
    std::size_t operator()(const std::vector<Value>& values) const noexcept;
    std::size_t operator()(const RowValues& values) const noexcept;
  };
  struct ValuesEqual {
    using is_transparent = void;
    bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const noexcept {
      return a == b;
    }
    bool operator()(const std::vector<Value>& a, const RowValues& b) const noexcept;
    bool operator()(const RowValues& a, const std::vector<Value>& b) const noexcept {
      return (*this)(b, a);
    }
  };

  /// The unique index of one identity: the values of each row that has no NULL among its
  /// columns -> the key of that row.
  struct IdentityIndex {
    std::string name;  ///< the identity's, named by the conflicts it causes
    std::vector<std::size_t> columns;
    std::unordered_map<std::vector<Value>, std::int64_t, ValuesHash, ValuesEqual> keys;
  };

  struct TableData {
    const Table* schema = nullptr;
    std::unordered_map<std::int64_t, Row> rows;
    std::int64_t next_key = 1;
    std::vector<IdentityIndex> identities;
  };

  /// A row as it was before a transaction's write: nothing when the write created it.
  struct Undo {
    TableData* data;
    std::int64_t key;
    std::optional<Row> before;
  };

  // Everything below requires mutex_ held.
  Result<TableData*> find(const Table& table);
  Result<Row> get_locked(const Table& table, std::int64_t key);
  Result<std::vector<Row>> select_locked(const Table& table, const Selection& selection);
  Result<std::int64_t> count_locked(const Table& table, const Condition& where);
  Result<std::int64_t> insert_locked(const Table& table, const Row& row, std::vector<Undo>* undo);
  Result<std::int64_t> update_locked(const Table& table, std::int64_t key, std::int64_t expected,
                                     std::span<const Assignment> changes, std::vector<Undo>* undo);
  Result<Row> increment_locked(const Table& table, std::int64_t key,
                               std::span<const Increment> deltas,
                               std::optional<std::int64_t> expected, std::vector<Undo>* undo);
  Result<void> destroy_locked(const Table& table, std::int64_t key, std::int64_t expected,
                              std::vector<Undo>* undo);
  /// A conflict when `row` (to be stored as row `key`, which now holds `before`, if any)
  /// would repeat another row's values in an identity.
  static Result<void> check_unique(const TableData& data, const Row& row, std::int64_t key,
                                   const Row* before);
  /// Adds the index of `identity` to `data`, over the rows it holds already; a conflict when
  /// two of them share values in it.
  static Result<void> add_index(TableData& data, const Identity& identity);
  /// Takes `row`'s entry out of `index`.
  static void unindex(IdentityIndex& index, const Row& row);
  static void put(TableData& data, std::int64_t key, Row row);
  static void erase(TableData& data, std::int64_t key);
  /// Undoes undo[from...], the latest first.
  static void restore(std::vector<Undo>& undo, std::size_t from);

  /// Locks mutex_ for one operation; refuses when this thread holds a transaction.
  Result<std::unique_lock<std::mutex>> lock();

  std::mutex mutex_;
  std::atomic<std::thread::id> owner_{};  // the thread whose transaction holds mutex_
  std::unordered_map<std::string, TableData> tables_;
  std::unordered_map<const Table*, TableData*> by_schema_;
};

}  // namespace optimist
