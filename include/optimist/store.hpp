// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/data_layer.hpp"
#include "optimist/events.hpp"

namespace optimist {

/// A unit of all-or-nothing work on one store, from Store::begin(). Its reads see its own
/// writes; nothing it writes is visible to others before commit(), or ever after rollback().
/// Destroying an unfinished transaction rolls it back. Not thread-safe: one thread at a
/// time. While a transaction is open, do not use its store from the same thread except
/// through the transaction (a backend may refuse with `unavailable`, or wait for itself).
/// The events of its writes are delivered only after a successful commit (see Events).
class Transaction : public DataLayer {
 public:
  /// Makes every write of the transaction durable and visible at once, and finishes it;
  /// then, on success, delivers the events of its writes in order, on this thread.
  /// On error nothing was committed and no event is delivered. Errors: unavailable,
  /// conflict, internal; invalid when the transaction is already finished.
  [[nodiscard]] Result<void> commit();
  /// Discards every write of the transaction and its events, and finishes it.
  /// Errors: unavailable, internal; invalid when the transaction is already finished.
  [[nodiscard]] Result<void> rollback();
  /// True until commit() or rollback() has been called.
  [[nodiscard]] bool active() const noexcept { return active_; }

 protected:
  using DataLayer::DataLayer;
  virtual Result<void> do_commit() = 0;
  virtual Result<void> do_rollback() = 0;

 private:
  friend class Store;
  void written(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
               std::int64_t version) final;

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

  /// Makes sure `table` can be stored: creates it when missing (idempotent).
  /// Errors: invalid_definition (the existing table does not match: `fields` names the
  /// columns), unavailable, internal.
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

 private:
  void written(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
               std::int64_t version) final;

  std::shared_ptr<Events> events_ = std::make_shared<Events>(logger());
};

/// How to open a store. Settings given in the URL's query take precedence.
struct Options {
  /// Where operations are logged (debug level). Null: optimist's own stderr logger at
  /// level warn.
  std::shared_ptr<spdlog::logger> logger;
};

/// Opens the store a URL names:
/// - `memory:` a new, empty in-memory store, private to the returned object.
/// Errors: invalid (a malformed or unsupported URL; `fields` names "url"), unavailable.
[[nodiscard]] Result<std::shared_ptr<Store>> open(std::string_view url, Options options = {});

/// The logger optimist uses when none is given: "optimist", to stderr, level warn.
[[nodiscard]] std::shared_ptr<spdlog::logger> default_logger();

}  // namespace optimist
