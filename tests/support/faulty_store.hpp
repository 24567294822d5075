// SPDX-License-Identifier: MIT
// FaultyStore: a real store behind a wrapper that fails chosen calls, so that tests reach
// failure paths (a lost connection mid-unit, a failed commit) without mocks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optimist/optimist.hpp>
#include <optional>
#include <span>
#include <string_view>

namespace optimist::testing {

/// A Store that forwards every call to a real store (`inner`) and makes chosen calls fail.
///
/// Counted calls: the data calls get, get_for_update, select, count, insert, update,
/// increment and destroy,
/// on the wrapper itself or on a transaction it began, and the transaction boundaries begin,
/// commit and rollback. Each takes the next number (1, 2, ...) of one counter shared by the
/// wrapper and its transactions, in the order the calls start. ensure_schema and backend()
/// are forwarded but not counted: they prepare tables, they are not the work under test.
///
/// A counted call whose number was armed with fail_call() returns the armed error instead
/// of forwarding; every other call forwards, and its result (value or error) comes back
/// unchanged. An injected commit or rollback failure still rolls the wrapped transaction
/// back at once: as after a real failed commit, nothing is committed and the wrapped store
/// is free for other work. Injected errors get `resource`, `action`, `key` and `filter`
/// from the wrapper's public call, as a backend's errors do.
///
/// Events: writes through the wrapper produce the events a real store produces, on the
/// wrapper's own events(): subscribe there. (The wrapped store's notifier sees the
/// forwarded writes too, with an empty action: forwarded calls pass no action, so that
/// errors get the caller's action from the wrapper.)
///
/// Thread-safe as every Store is: the counter and the armed faults sit behind a mutex.
/// The counter and the armed faults of one FaultyStore, shared with its transactions.
/// Thread-safe.
class Faults {
 public:
  /// Arms counted call number `call` with `error` (see FaultyStore::fail_call).
  void arm(std::int64_t call, Error error) {
    std::lock_guard lock(mutex_);
    armed_.insert_or_assign(call, std::move(error));
  }
  /// How many counted calls have started.
  [[nodiscard]] std::int64_t calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  /// Counts one call; returns the error armed for its number, if any, with stored_version
  /// filled from `expected_version` as FaultyStore::fail_call promises.
  [[nodiscard]] std::optional<Error> next(std::optional<std::int64_t> expected_version = {}) {
    std::lock_guard lock(mutex_);
    const auto it = armed_.find(++calls_);
    if (it == armed_.end()) return std::nullopt;
    Error e = std::move(it->second);
    armed_.erase(it);
    if (e.kind == ErrorKind::stale_record && !e.stored_version && expected_version) {
      e.stored_version = *expected_version + 1;
    }
    return e;
  }

 private:
  mutable std::mutex mutex_;
  std::int64_t calls_ = 0;
  std::map<std::int64_t, Error> armed_;
};

/// The counted data calls of FaultyStore and of its transactions: each takes a number from
/// `faults_`, then fails with the armed error or forwards to target()'s public call.
template <class Base>
class Forwarding : public Base {
 protected:
  Forwarding(std::shared_ptr<spdlog::logger> logger, std::shared_ptr<Faults> faults)
      : Base(std::move(logger)), faults_(std::move(faults)) {}

  /// Where calls go: the wrapped store, or the wrapped store's transaction.
  virtual DataLayer& target() = 0;

  Result<Row> do_get(const Table& table, std::int64_t key) override {
    if (auto e = faults_->next()) return *std::move(e);
    return target().get(table, {}, key);
  }
  Result<Row> do_get_for_update(const Table& table, std::int64_t key) override {
    if (auto e = faults_->next()) return *std::move(e);
    return target().get_for_update(table, {}, key);
  }
  Result<std::vector<Row>> do_select(const Table& table, const Selection& selection) override {
    if (auto e = faults_->next()) return *std::move(e);
    return target().select(table, {}, selection);
  }
  Result<std::int64_t> do_count(const Table& table, const Condition& where) override {
    if (auto e = faults_->next()) return *std::move(e);
    return target().count(table, {}, where);
  }
  Result<std::int64_t> do_insert(const Table& table, const Row& row) override {
    if (auto e = faults_->next()) return *std::move(e);
    return target().insert(table, {}, row);
  }
  Result<std::int64_t> do_update(const Table& table, std::int64_t key,
                                 std::int64_t expected_version,
                                 std::span<const Assignment> changes) override {
    if (auto e = faults_->next(expected_version)) return *std::move(e);
    return target().update(table, {}, key, expected_version, changes);
  }
  Result<Row> do_increment(const Table& table, std::int64_t key, std::span<const Increment> deltas,
                           std::optional<std::int64_t> expected_version) override {
    if (auto e = faults_->next(expected_version)) return *std::move(e);
    return target().increment(table, {}, key, deltas, expected_version);
  }
  Result<void> do_destroy(const Table& table, std::int64_t key,
                          std::int64_t expected_version) override {
    if (auto e = faults_->next(expected_version)) return *std::move(e);
    return target().destroy(table, {}, key, expected_version);
  }

  std::shared_ptr<Faults> faults_;
};

/// A Store that forwards every call to a real store (`inner`) and makes chosen calls fail.
///
/// Counted calls: the data calls get, get_for_update, select, count, insert, update,
/// increment and destroy,
/// on the wrapper itself or on a transaction it began, and the transaction boundaries begin,
/// commit and rollback. Each takes the next number (1, 2, ...) of one counter shared by the
/// wrapper and its transactions, in the order the calls start. ensure_schema and backend()
/// are forwarded but not counted: they prepare tables, they are not the work under test.
///
/// A counted call whose number was armed with fail_call() returns the armed error instead
/// of forwarding; every other call forwards, and its result (value or error) comes back
/// unchanged. An injected commit or rollback failure still rolls the wrapped transaction
/// back at once: as after a real failed commit, nothing is committed and the wrapped store
/// is free for other work. Injected errors get `resource`, `action`, `key` and `filter`
/// from the wrapper's public call, as a backend's errors do.
///
/// Events: writes through the wrapper produce the events a real store produces, on the
/// wrapper's own events(): subscribe there. (The wrapped store's notifier sees the
/// forwarded writes too, with an empty action: forwarded calls pass no action, so that
/// errors get the caller's action from the wrapper.)
///
/// Thread-safe as every Store is.
class FaultyStore final : public Forwarding<Store> {
 public:
  /// Wraps `inner`, which it keeps alive (as do the transactions it begins).
  explicit FaultyStore(std::shared_ptr<Store> inner);
  ~FaultyStore() override;

  /// Makes counted call number `call` fail with `error` instead of forwarding (arming a
  /// number again replaces its error; numbers already passed never fire). A stale_record
  /// error without `stored_version`, injected into a call that checks a version (update,
  /// destroy, a locked increment), gets that version + 1: the record moved on once.
  void fail_call(std::int64_t call, Error error) { faults_->arm(call, std::move(error)); }

  /// How many counted calls have started so far.
  [[nodiscard]] std::int64_t calls() const { return faults_->calls(); }

  /// The wrapped store: read through it to see what was really stored.
  [[nodiscard]] const std::shared_ptr<Store>& inner() const noexcept { return inner_; }

  /// The wrapped store's backend name.
  [[nodiscard]] std::string_view backend() const noexcept override { return inner_->backend(); }

 protected:
  DataLayer& target() override { return *inner_; }
  Result<std::unique_ptr<Transaction>> do_begin() override;
  Result<void> do_ensure_schema(const Table& table) override;

 private:
  std::shared_ptr<Store> inner_;
};

}  // namespace optimist::testing
