// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "optimist/data_layer.hpp"

namespace optimist {

/// A unit of all-or-nothing work on one store, from Store::begin(). Its reads see its own
/// writes; nothing it writes is visible to others before commit(), or ever after rollback().
/// Destroying an unfinished transaction rolls it back. Not thread-safe: one thread at a
/// time. While a transaction is open, do not use its store from the same thread except
/// through the transaction (a backend may refuse with `unavailable`, or wait for itself).
class Transaction : public DataLayer {
 public:
  /// Makes every write of the transaction durable and visible at once, and finishes it.
  /// On error nothing was committed. Errors: unavailable, conflict, internal; invalid when
  /// the transaction is already finished.
  [[nodiscard]] Result<void> commit();
  /// Discards every write of the transaction and finishes it.
  /// Errors: unavailable, internal; invalid when the transaction is already finished.
  [[nodiscard]] Result<void> rollback();
  /// True until commit() or rollback() has been called.
  [[nodiscard]] bool active() const noexcept { return active_; }

 protected:
  using DataLayer::DataLayer;
  virtual Result<void> do_commit() = 0;
  virtual Result<void> do_rollback() = 0;

 private:
  bool active_ = true;
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

 protected:
  using DataLayer::DataLayer;
  virtual Result<std::unique_ptr<Transaction>> do_begin() = 0;
  virtual Result<void> do_ensure_schema(const Table& table) = 0;
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
