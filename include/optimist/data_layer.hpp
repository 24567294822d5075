// SPDX-License-Identifier: MIT
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "optimist/events.hpp"
#include "optimist/selection.hpp"
#include "optimist/table.hpp"

namespace optimist {

namespace detail {
struct CheckedSelect;
}  // namespace detail

/// The narrow interface every backend implements: keyed reads and versioned writes on the
/// tables of resource definitions. The domain layer above never knows which backend it has.
///
/// Public calls are non-virtual: they log each operation once at debug level (resource,
/// action, key, versions and outcome, never attribute values), fill `resource`, `action` and
/// `key` into errors, and call the protected `do_*` hooks that each backend implements.
///
/// `action` names the resource action on whose behalf the call runs (e.g. "update"); it
/// is used for logs and errors only.
///
/// Every successful write that creates a record, changes one (a new version) or destroys one
/// also produces an Event for the store's notifier (Store::events()): published at once by a
/// Store, held back until commit by a Transaction. Backends need no code for this.
///
/// Inside a transaction, a call that fails (any kind but not_found and stale_record, which
/// are answers, not failures) leaves only rollback: later calls, and commit, return
/// `aborted` (see Transaction).
///
/// Thread safety: a Store may be used from many threads at once; a Transaction belongs to
/// the thread that uses it.
class DataLayer {
 public:
  virtual ~DataLayer();
  DataLayer(const DataLayer&) = delete;
  DataLayer& operator=(const DataLayer&) = delete;

  /// The row with primary key `key`. Errors: not_found, unavailable, internal.
  [[nodiscard]] Result<Row> get(const Table& table, std::string_view action, std::int64_t key);

  /// As get(), and inside a transaction the row stays locked against other writers until
  /// the transaction ends (PostgreSQL: `SELECT ... FOR UPDATE`; SQLite and the memory store
  /// already lock writers out for the whole transaction). Outside a transaction it is get().
  /// The pessimistic alternative to a locked update. Errors: not_found, unavailable, internal.
  [[nodiscard]] Result<Row> get_for_update(const Table& table, std::string_view action,
                                           std::int64_t key);

  /// The rows `selection` selects (see Selection for the one semantics of every backend): in
  /// its order made total by the primary key, after skipping `offset` of them, at most
  /// `limit`. Inside a transaction it sees the transaction's own writes.
  /// Errors: invalid (a value that does not fit its column, such as text that is not valid
  /// UTF-8 or holds a NUL, a double that is not finite, a NULL: `fields` names the columns;
  /// more than max_bound_values values), unavailable, internal.
  [[nodiscard]] Result<std::vector<Row>> select(const Table& table, std::string_view action,
                                                Selection selection);

  /// How many rows `where` matches. Errors: as select().
  [[nodiscard]] Result<std::int64_t> count(const Table& table, std::string_view action,
                                           const Condition& where);

  /// The most values one select() or count() may carry, `in` lists included (a page keeps
  /// some of them for its cursor: see Resource::page).
  static constexpr std::size_t max_bound_values = 30000;

  /// Stores `row` as a new record and returns its assigned primary key; the value at the
  /// primary key column is ignored. Errors: conflict, unavailable, internal.
  [[nodiscard]] Result<std::int64_t> insert(const Table& table, std::string_view action,
                                            const Row& row);

  /// In one atomic step: if the record `key` is at `expected_version`, applies `changes` and
  /// increments the version; returns the new version. With no changes it only checks the
  /// version and returns it unchanged.
  /// Errors: stale_record (the record exists at another version; `stored_version` says which),
  /// not_found, invalid (changes for a record at Table::version_max: the version field
  /// out_of_range), conflict, unavailable, internal.
  [[nodiscard]] Result<std::int64_t> update(const Table& table, std::string_view action,
                                            std::int64_t key, std::int64_t expected_version,
                                            std::span<const Assignment> changes);

  /// In one atomic step: adds each delta to its column in the stored record `key` and
  /// increments the version, without reading the record first, so it is never stale; with
  /// `expected_version` set it also checks the version first, in the same step. Returns the
  /// record as stored after the change.
  /// Errors: not_found, stale_record (only with `expected_version`), invalid (the record is at
  /// Table::version_max: the version field out_of_range; or a sum does not fit), conflict (a
  /// sum repeats another record's values in an identity), unavailable, internal.
  [[nodiscard]] Result<Row> increment(const Table& table, std::string_view action, std::int64_t key,
                                      std::span<const Increment> deltas,
                                      std::optional<std::int64_t> expected_version = {});

  /// In one atomic step: if the record `key` is at `expected_version`, deletes it.
  /// Errors: stale_record, not_found, unavailable, internal.
  [[nodiscard]] Result<void> destroy(const Table& table, std::string_view action, std::int64_t key,
                                     std::int64_t expected_version);

  /// The logger this data layer reports to.
  [[nodiscard]] const std::shared_ptr<spdlog::logger>& logger() const noexcept { return logger_; }

 protected:
  explicit DataLayer(std::shared_ptr<spdlog::logger> logger);

  virtual Result<Row> do_get(const Table& table, std::int64_t key) = 0;
  /// The locking read; backends whose transactions already exclude other writers keep this
  /// default, which is do_get().
  virtual Result<Row> do_get_for_update(const Table& table, std::int64_t key) {
    return do_get(table, key);
  }
  /// select() and count(), with a valid selection whose order is total (it ends with the
  /// primary key).
  virtual Result<std::vector<Row>> do_select(const Table& table, const Selection& selection) = 0;
  virtual Result<std::int64_t> do_count(const Table& table, const Condition& where) = 0;
  virtual Result<std::int64_t> do_insert(const Table& table, const Row& row) = 0;
  virtual Result<std::int64_t> do_update(const Table& table, std::int64_t key,
                                         std::int64_t expected_version,
                                         std::span<const Assignment> changes) = 0;
  virtual Result<Row> do_increment(const Table& table, std::int64_t key,
                                   std::span<const Increment> deltas,
                                   std::optional<std::int64_t> expected_version) = 0;
  virtual Result<void> do_destroy(const Table& table, std::int64_t key,
                                  std::int64_t expected_version) = 0;

 private:
  friend class Store;
  friend class Transaction;
  friend struct detail::CheckedSelect;
  /// select() of a selection that passed detail::check_selection() already (`checked`), or
  /// that it checks first.
  Result<std::vector<Row>> select(const Table& table, std::string_view action, Selection& selection,
                                  bool checked);
  /// Adds the call's context to a failed call's error and reports it to failed().
  template <class T>
  void settle(Result<T>& r, const Table& table, std::string_view action,
              std::optional<std::int64_t> key, std::optional<std::int64_t> expected);
  /// Called by the public calls with the error of each failed call. Transaction implements
  /// it; a Store ignores failures.
  virtual void failed(const Error& error) { (void)error; }
  /// Called by the public calls after each successful write. Store and Transaction
  /// implement it (finally): backends never do.
  virtual void written(const Table& table, std::string_view action, EventKind kind,
                       std::int64_t key, std::int64_t version) = 0;

  std::shared_ptr<spdlog::logger> logger_;
  /// A transaction's failed call after which only rollback is left; null otherwise.
  std::unique_ptr<Error> aborted_by_;
};

}  // namespace optimist
