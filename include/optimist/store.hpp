// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "optimist/data_layer.hpp"
#include "optimist/detail/pages.hpp"
#include "optimist/events.hpp"

namespace optimist {

struct Options;

/// A unit of all-or-nothing work on one store, from Store::begin(). Its reads see its own
/// writes; nothing it writes is visible to others before commit(), or ever after rollback().
/// Destroying an unfinished transaction rolls it back. Not thread-safe: one thread at a
/// time. While a transaction is open, do not use its store from the same thread except
/// through the transaction (a backend may refuse with `unavailable`, or wait for itself).
/// The events of its writes are delivered only after a successful commit (see Events).
///
/// After a failed call, on every store alike, the only thing left is rollback: a call that
/// fails with any kind but not_found and stale_record aborts the transaction, and every
/// later call and commit() return `aborted` (its detail names the failure) without touching
/// the database; commit() then rolls the transaction back. (PostgreSQL itself aborts a
/// transaction at its first error; SQLite and the memory store would go on, and optimist
/// makes them stop too.) To recover from a failure and go on, take a savepoint before the
/// call that may fail: rolling back to it undoes the writes since, and the failure.
class Transaction : public DataLayer {
 public:
  /// Makes every write of the transaction durable and visible at once, and finishes it;
  /// then, on success, delivers the events of its writes in order, on this thread.
  /// On error nothing was committed and no event is delivered. Errors: aborted (an earlier
  /// call failed: the transaction is rolled back instead), unavailable, conflict, internal;
  /// invalid when the transaction is already finished.
  [[nodiscard]] Result<void> commit();
  /// Discards every write of the transaction and its events, and finishes it.
  /// Errors: unavailable, internal; invalid when the transaction is already finished.
  [[nodiscard]] Result<void> rollback();
  /// True until commit() or rollback() has been called.
  [[nodiscard]] bool active() const noexcept { return active_; }
  /// True when a failed call left only rollback: commit() would return `aborted`.
  [[nodiscard]] bool aborted() const noexcept { return aborted_by_ != nullptr; }

  /// Opens a savepoint (savepoints nest): a point to roll back to without losing the
  /// transaction's earlier writes. Errors: aborted, unavailable, internal; invalid when the
  /// transaction is finished.
  [[nodiscard]] Result<void> savepoint();
  /// Closes the innermost open savepoint, keeping the writes made since it (they commit or
  /// roll back with the transaction). Errors: aborted (a call since the savepoint failed:
  /// roll back to it instead), unavailable, internal; invalid when no savepoint is open.
  [[nodiscard]] Result<void> release_savepoint();
  /// Closes the innermost open savepoint, undoing the writes made since it and their events,
  /// and a failure since it: the transaction goes on as it was when the savepoint was taken.
  /// Errors: unavailable, internal (the transaction is then aborted); invalid when no
  /// savepoint is open.
  [[nodiscard]] Result<void> rollback_to_savepoint();

  /// Runs `fn(*this)` (returning a Result) inside a savepoint: keeps its writes when it
  /// succeeds, and rolls back to the savepoint when it fails, or when a call inside it
  /// failed (the result is then that call's `aborted`), or when it throws (the exception
  /// goes on). Either way the transaction can go on. Returns fn's result, or the error of
  /// the savepoint itself (savepoint(), release_savepoint(), rollback_to_savepoint()).
  template <class F>
  [[nodiscard]] auto in_savepoint(F&& fn) -> std::invoke_result_t<F&, Transaction&> {
    using R = std::invoke_result_t<F&, Transaction&>;
    OPTIMIST_TRYV(savepoint());
    R r = [&]() -> R {
      try {
        return fn(*this);
      } catch (...) {
        (void)rollback_to_savepoint();
        throw;
      }
    }();
    if (r) {
      auto kept = release_savepoint();
      if (kept) return r;
      r = std::move(kept).error();
    }
    OPTIMIST_TRYV(rollback_to_savepoint());
    return r;
  }

 protected:
  using DataLayer::DataLayer;
  virtual Result<void> do_commit() = 0;
  virtual Result<void> do_rollback() = 0;
  /// Savepoint number `depth` (1 for the outermost): open it; close it keeping its writes;
  /// close it undoing its writes.
  virtual Result<void> do_savepoint(std::size_t depth) = 0;
  virtual Result<void> do_release_savepoint(std::size_t depth) = 0;
  virtual Result<void> do_rollback_to_savepoint(std::size_t depth) = 0;

 private:
  friend class Store;
  void written(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
               std::int64_t version) final;
  void failed(const Error& error) final;
  Result<void> no_savepoint() const;

  std::vector<std::size_t> savepoints_;  // per open savepoint: pending_.size() when taken

  bool active_ = true;
  std::shared_ptr<Events> events_;  // the store's notifier, set by Store::begin()
  std::vector<Event> pending_;      // events of this transaction's writes, until commit
};

/// A data layer opened from a URL: the shared entry point of a service. Thread-safe: every
/// call may come from any thread.
class Store : public DataLayer {
 public:
  /// Opens a transaction. Errors: unavailable, internal.
  [[nodiscard]] Result<std::unique_ptr<Transaction>> begin();

  /// Runs `work` in a transaction of its own and commits it when `work` succeeds; rolls it
  /// back when `work` returns an error, leaves the transaction aborted, or throws (the
  /// exception goes on). Unit::run writes through it. Returns work's error, or begin()'s and
  /// commit()'s (aborted when work left the transaction aborted).
  ///
  /// With group commit (SQLite files, Options::group_commit) the transaction is a savepoint
  /// of a group's transaction, committed with the group's other calls in one flush: `work`
  /// may then run on the thread of another caller of the group while this one waits (an
  /// exception is carried back to this thread), and the call returns after the group's
  /// flush. Errors then also: unavailable when the group failed to commit (its detail says
  /// "group commit failed"; nothing of the group is visible).
  [[nodiscard]] Result<void> transact(const std::function<Result<void>(Transaction&)>& work);

  /// Makes sure `table` can be stored: creates it when missing, and the unique index of
  /// each of its identities that the stored table lacks (idempotent). Checked once per store
  /// and Table: after the first success, later calls return at once, without a statement (a
  /// table dropped behind the store's back is then not noticed here).
  /// Errors: invalid_definition (the existing table does not match: `fields` names the
  /// columns), conflict (stored rows already share values in an identity: `constraint`
  /// names it), unavailable, internal.
  [[nodiscard]] Result<void> ensure_schema(const Table& table);

  /// The backend's name: "memory", "sqlite" or "postgresql".
  [[nodiscard]] virtual std::string_view backend() const noexcept = 0;

  /// The after-commit notifier of this store and of every transaction it begins.
  /// Thread-safe.
  [[nodiscard]] Events& events() const noexcept { return *events_; }

 protected:
  using DataLayer::DataLayer;
  virtual Result<std::unique_ptr<Transaction>> do_begin() = 0;
  virtual Result<void> do_ensure_schema(const Table& table) = 0;
  /// transact(); this default runs `work` between begin() and commit().
  virtual Result<void> do_transact(const std::function<Result<void>(Transaction&)>& work);
  /// Makes `tx`, a transaction this store made without begin(), deliver its events to this
  /// store's notifier when it commits.
  void adopt(Transaction& tx) const noexcept;

 private:
  void written(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
               std::int64_t version) final;

  friend Result<detail::PageRows> detail::page_rows(const Store&, DataLayer&, const Table&,
                                                    std::string_view, Selection, std::string_view);
  friend Result<std::shared_ptr<Store>> open(std::string_view url, Options options);

  std::shared_ptr<Events> events_ = std::make_shared<Events>(logger());
  std::string cursor_key_ = detail::random_cursor_key();  // signs page cursors
  std::mutex ensured_mutex_;
  std::unordered_set<const Table*> ensured_;  // tables ensure_schema succeeded for
};

/// How to open a store. Settings given in the URL's query take precedence. Fields that do
/// not apply to a backend are ignored by it.
struct Options {
  /// Where operations are logged (debug level). Null: optimist's own stderr logger at
  /// level warn.
  std::shared_ptr<spdlog::logger> logger{};
  /// SQL stores: the most database connections the store opens; each call holds one for
  /// its duration and each open transaction pins one. 0: 4 (1 for `sqlite::memory:`).
  /// URL: `pool=N` (1 to 1024).
  std::size_t pool_size = 0;
  /// SQL stores: how long a call waits for a free pooled connection, and on SQLite for a
  /// database another connection has locked (SQLite's busy timeout), before it returns
  /// `unavailable`. URL: `busy_timeout=MS`.
  std::chrono::milliseconds busy_timeout{5000};
  /// PostgreSQL: how long connecting may take before `unavailable`; 0: 10 s.
  /// URL: `connect_timeout=S` (libpq's own parameter).
  std::chrono::seconds connect_timeout{0};
  /// PostgreSQL: the longest one statement may run before the server cancels it and the
  /// call returns `unavailable`; 0: no limit. URL: `statement_timeout=MS`.
  std::chrono::milliseconds statement_timeout{0};
  /// SQLite files: group commit (README, "Group commit"): concurrent writes made outside a
  /// transaction the caller holds (single writes, Unit::run, Store::transact) are committed
  /// together, one transaction and one flush for the group. Unset: on exactly when the URL
  /// asks for `synchronous=full` or `extra`. URL: `group_commit=on|off`.
  std::optional<bool> group_commit{};
  /// SQLite files with group commit: the most calls one group commits together; 0: 64.
  /// URL: `group_size=N` (1 to 1024).
  std::size_t group_size = 0;
  /// SQLite files with group commit: the longest a group waits for the writers of the group
  /// before it to come back (README, "Group commit"); a lone writer never waits. Negative:
  /// 100 µs. URL: `group_wait_us=N` (0 to 1000000).
  std::chrono::microseconds group_wait{-1};
  /// The secret that signs page cursors (Resource<T>::page), so that a cursor cannot be
  /// forged or altered. Give every instance of a service the same key (at least 16 bytes)
  /// to let a cursor made by one be used with another, or after a restart. Empty: a random
  /// key of the store's own, and its cursors work only with that store object. A shorter
  /// key is refused by open() (`invalid`, the cursor_key field out_of_range).
  std::string cursor_key{};
};

/// Opens the store a URL names:
/// - `memory:` a new, empty in-memory store, private to the returned object.
/// - `sqlite:PATH` the SQLite database file PATH (created when missing; percent-escapes
///   decoded), in WAL mode with synchronous=NORMAL; URL parameters `pool`, `busy_timeout`,
///   `synchronous=off|normal|full|extra`, `group_commit=on|off`, `group_size` and
///   `group_wait_us` (see Options), and `max_pages=N` (the most pages of the page size the database
///   may grow to; a write beyond fails as `unavailable`), e.g.
///   `sqlite:app.db?pool=8&busy_timeout=200`.
/// - `sqlite::memory:` a new, empty SQLite database in memory, private to the returned
///   store and shared by its pooled connections; it lives as long as the store. Its pool
///   has one connection unless `pool` says otherwise: connections to one in-memory database
///   lock whole tables and report a conflicting call as `unavailable` rather than wait.
/// - `postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]` (also
///   `postgres://`), or the libpq keyword form `postgresql:host=H dbname=D ...`. The
///   parameters `pool`, `busy_timeout`, `connect_timeout` and `statement_timeout` are
///   optimist's; any other is passed to libpq (e.g. `sslmode`, `application_name`). TCP
///   keepalives are on by default, so a vanished server is noticed within about 30 s.
///
/// SQL stores keep a pool of connections with their prepared statements; a connection that
/// was lost is rebuilt on its next use. Booleans are stored as integers 0/1 on both SQL
/// dialects. The password never appears in logs or errors.
/// Errors: invalid (a malformed or unsupported URL; `fields` names "url" with reason
/// malformed, `detail` says what is wrong; a cursor_key of 1 to 15 bytes), unavailable (the
/// database cannot be reached).
[[nodiscard]] Result<std::shared_ptr<Store>> open(std::string_view url, Options options = {});

/// The logger optimist uses when none is given: "optimist", to stderr, level warn.
[[nodiscard]] std::shared_ptr<spdlog::logger> default_logger();

}  // namespace optimist
