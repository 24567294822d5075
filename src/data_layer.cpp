// SPDX-License-Identifier: MIT
// The shared half of every backend: logging and error context, done once here.
#include "optimist/data_layer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "optimist/store.hpp"
#include "selection_check.hpp"
#include "version_limit.hpp"

namespace optimist {

namespace {

// Names the resource, action, key and expected version in a failed call's error, where the
// backend left them out. Out of line: a call that succeeds only tests the Result.
[[gnu::noinline]] void add_context(Error& e, const Table& table, std::string_view action,
                                   std::optional<std::int64_t> key,
                                   std::optional<std::int64_t> expected) {
  if (e.resource.empty()) e.resource = table.resource;
  if (e.action.empty()) e.action = std::string(action);
  if (!e.key) e.key = key;
  if (e.kind == ErrorKind::stale_record && !e.filter && expected) {
    e.filter = Filter{table.columns[table.version].name, *expected};
  }
}

std::int64_t version_in(const Table& table, const Row& row) {
  const auto* v = std::get_if<std::int64_t>(&row[table.version]);
  return v ? *v : 0;
}

// The refusal of a write, expecting `expected` (at the version limit), that would bump the
// version: a stale or missing record says so, as the write would have; one at the limit is
// version_limit_error. `get` reads the record. Out of line, as add_context: only a caller
// holding a record at the limit comes here.
template <class T, class Get>
[[gnu::noinline]] Result<T> refuse_at_limit(const Table& table, std::int64_t expected, Get get) {
  auto row = get();
  if (!row) return std::move(row).error();
  const std::int64_t stored = version_in(table, row.value());
  if (stored == expected) return version_limit_error(table);
  Error e = make_error(ErrorKind::stale_record);
  e.stored_version = stored;
  return e;
}

// The refusal of a call in a transaction that an earlier failure aborted. Out of line, as
// add_context.
[[gnu::noinline]] Error aborted_error(const Error& cause) {
  return make_error(ErrorKind::aborted, fmt::format("after {}: {}", cause.kind, cause.message()));
}

Event make_event(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
                 std::int64_t version) {
  return Event{.resource = table.resource,
               .action = std::string(action),
               .key_name = table.columns[table.primary_key].name,
               .key = key,
               .version = version,
               .kind = kind};
}

template <class T>
std::string_view outcome_of(const Result<T>& r) {
  return r ? std::string_view("ok") : r.error().kind.name;
}

// Formats and logs a debug message. Out of line: formatting needs a buffer of a few hundred
// bytes, which would otherwise sit in the stack frame of every get and update, deepening the
// stack that SOCI and libpq then run on.
template <class... Args>
[[gnu::noinline]] void write_debug(spdlog::logger& logger, spdlog::format_string_t<Args...> format,
                                   Args&&... args) {
  logger.debug(format, std::forward<Args>(args)...);
}

// Logs a finished call at debug level, when the logger keeps debug messages (or holds them
// for a backtrace). The check is inline: a call that logs nothing makes no logging call.
template <class... Args>
void log_debug(spdlog::logger& logger, spdlog::format_string_t<Args...> format, Args&&... args) {
  if (logger.should_log(spdlog::level::debug) || logger.should_backtrace()) {
    write_debug(logger, format, std::forward<Args>(args)...);
  }
}

}  // namespace

DataLayer::DataLayer(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

DataLayer::~DataLayer() = default;

template <class T>
void DataLayer::settle(Result<T>& r, const Table& table, std::string_view action,
                       std::optional<std::int64_t> key, std::optional<std::int64_t> expected) {
  if (r) return;
  add_context(r.error(), table, action, key, expected);
  failed(r.error());
}

Result<Row> DataLayer::get(const Table& table, std::string_view action, std::int64_t key) {
  auto r = aborted_by_ ? Result<Row>(aborted_error(*aborted_by_)) : do_get(table, key);
  settle(r, table, action, key, std::nullopt);
  log_debug(*logger_, "{}.{} get key={} -> {}", table.resource, action, key, outcome_of(r));
  return r;
}

Result<Row> DataLayer::get_for_update(const Table& table, std::string_view action,
                                      std::int64_t key) {
  auto r = aborted_by_ ? Result<Row>(aborted_error(*aborted_by_)) : do_get_for_update(table, key);
  settle(r, table, action, key, std::nullopt);
  log_debug(*logger_, "{}.{} get_for_update key={} -> {}", table.resource, action, key,
            outcome_of(r));
  return r;
}

Result<std::vector<Row>> DataLayer::select(const Table& table, std::string_view action,
                                           Selection selection) {
  return select(table, action, selection, false);
}

Result<std::vector<Row>> DataLayer::select(const Table& table, std::string_view action,
                                           Selection& selection, bool checked) {
  auto r = [&]() -> Result<std::vector<Row>> {
    if (aborted_by_) return aborted_error(*aborted_by_);
    if (!checked) {
      OPTIMIST_TRYV(detail::check_selection(table, selection));
    }
    return do_select(table, selection);
  }();
  settle(r, table, action, std::nullopt, std::nullopt);
  log_debug(*logger_, "{}.{} select limit={} offset={} -> {} rows={}", table.resource, action,
            selection.limit ? static_cast<std::int64_t>(*selection.limit) : -1, selection.offset,
            outcome_of(r), r ? r.value().size() : 0);
  return r;
}

namespace detail {

Result<std::vector<Row>> CheckedSelect::run(DataLayer& data, const Table& table,
                                            std::string_view action, Selection& selection) {
  return data.select(table, action, selection, true);
}

}  // namespace detail

Result<std::int64_t> DataLayer::count(const Table& table, std::string_view action,
                                      const Condition& where) {
  auto r = [&]() -> Result<std::int64_t> {
    if (aborted_by_) return aborted_error(*aborted_by_);
    OPTIMIST_TRYV(detail::check_condition(table, where));
    return do_count(table, where);
  }();
  settle(r, table, action, std::nullopt, std::nullopt);
  log_debug(*logger_, "{}.{} count -> {} count={}", table.resource, action, outcome_of(r),
            r ? r.value() : 0);
  return r;
}

Result<std::int64_t> DataLayer::insert(const Table& table, std::string_view action,
                                       const Row& row) {
  auto r = aborted_by_ ? Result<std::int64_t>(aborted_error(*aborted_by_)) : do_insert(table, row);
  settle(r, table, action, std::nullopt, std::nullopt);
  if (r) written(table, action, EventKind::created, r.value(), version_in(table, row));
  log_debug(*logger_, "{}.{} insert key={} -> {}", table.resource, action, r ? r.value() : 0,
            outcome_of(r));
  return r;
}

Result<std::int64_t> DataLayer::update(const Table& table, std::string_view action,
                                       std::int64_t key, std::int64_t expected_version,
                                       std::span<const Assignment> changes) {
  auto r = aborted_by_ ? Result<std::int64_t>(aborted_error(*aborted_by_))
           : !changes.empty() && expected_version >= table.version_max
               ? refuse_at_limit<std::int64_t>(table, expected_version,
                                               [&] { return do_get(table, key); })
               : do_update(table, key, expected_version, changes);
  settle(r, table, action, key, expected_version);
  // An update that changed nothing keeps its version: nothing happened to announce.
  if (r && r.value() != expected_version) {
    written(table, action, EventKind::updated, key, r.value());
  }
  log_debug(*logger_, "{}.{} update key={} columns={} expected_version={} -> {} version={}",
            table.resource, action, key, changes.size(), expected_version, outcome_of(r),
            r ? r.value() : r.error().stored_version.value_or(0));
  return r;
}

Result<Row> DataLayer::increment(const Table& table, std::string_view action, std::int64_t key,
                                 std::span<const Increment> deltas,
                                 std::optional<std::int64_t> expected_version) {
  auto r = aborted_by_ ? Result<Row>(aborted_error(*aborted_by_))
           : expected_version && *expected_version >= table.version_max
               ? refuse_at_limit<Row>(table, *expected_version, [&] { return do_get(table, key); })
               : do_increment(table, key, deltas, expected_version);
  settle(r, table, action, key, expected_version);
  if (r) written(table, action, EventKind::updated, key, version_in(table, r.value()));
  log_debug(*logger_, "{}.{} increment key={} columns={} expected_version={} -> {}", table.resource,
            action, key, deltas.size(), expected_version.value_or(0), outcome_of(r));
  return r;
}

Result<void> DataLayer::destroy(const Table& table, std::string_view action, std::int64_t key,
                                std::int64_t expected_version) {
  auto r = aborted_by_ ? Result<void>(aborted_error(*aborted_by_))
                       : do_destroy(table, key, expected_version);
  settle(r, table, action, key, expected_version);
  if (r) written(table, action, EventKind::destroyed, key, expected_version);
  log_debug(*logger_, "{}.{} destroy key={} expected_version={} -> {}", table.resource, action, key,
            expected_version, outcome_of(r));
  return r;
}

void Store::written(const Table& table, std::string_view action, EventKind kind, std::int64_t key,
                    std::int64_t version) {
  // A write through the store is committed when its call returns: deliver now.
  if (!events_->has_subscribers()) return;
  events_->publish({make_event(table, action, kind, key, version)});
}

void Transaction::written(const Table& table, std::string_view action, EventKind kind,
                          std::int64_t key, std::int64_t version) {
  if (!events_ || !events_->has_subscribers()) return;
  pending_.push_back(make_event(table, action, kind, key, version));
}

void Transaction::failed(const Error& error) {
  // not_found and stale_record are answers the database gives without an error; the first
  // real failure is kept, later ones are its consequences.
  if (error.kind == ErrorKind::not_found || error.kind == ErrorKind::stale_record) return;
  if (!aborted_by_) aborted_by_ = std::make_unique<Error>(error);
}

Result<void> Transaction::no_savepoint() const {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  if (savepoints_.empty()) return make_error(ErrorKind::invalid, "no savepoint is open");
  return ok();
}

Result<void> Transaction::savepoint() {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  if (aborted_by_) return aborted_error(*aborted_by_);
  auto r = do_savepoint(savepoints_.size() + 1);
  if (r) {
    savepoints_.push_back(pending_.size());
  } else {
    failed(r.error());
  }
  log_debug(*logger(), "transaction savepoint {} -> {}", savepoints_.size(), outcome_of(r));
  return r;
}

Result<void> Transaction::release_savepoint() {
  OPTIMIST_TRYV(no_savepoint());
  if (aborted_by_) return aborted_error(*aborted_by_);
  auto r = do_release_savepoint(savepoints_.size());
  if (r) {
    savepoints_.pop_back();
  } else {
    failed(r.error());
  }
  log_debug(*logger(), "transaction release savepoint -> {}", outcome_of(r));
  return r;
}

Result<void> Transaction::rollback_to_savepoint() {
  OPTIMIST_TRYV(no_savepoint());
  auto r = do_rollback_to_savepoint(savepoints_.size());
  const std::size_t events = savepoints_.back();
  savepoints_.pop_back();
  if (r) {
    // Savepoints open only while nothing has failed: any failure came after this one.
    pending_.resize(std::min(pending_.size(), events));
    aborted_by_.reset();
  } else {
    failed(r.error());
  }
  log_debug(*logger(), "transaction rollback to savepoint -> {}", outcome_of(r));
  return r;
}

Result<void> Transaction::commit() {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  active_ = false;
  if (aborted_by_) {
    // Nothing after a failure commits: the transaction ends as a rollback.
    pending_.clear();
    if (auto rolled_back = do_rollback(); !rolled_back) {
      logger()->warn("rollback of an aborted transaction failed: {}", rolled_back.error());
    }
    log_debug(*logger(), "transaction commit -> aborted");
    return aborted_error(*aborted_by_);
  }
  auto r = do_commit();
  log_debug(*logger(), "transaction commit -> {}", outcome_of(r));
  // Only now are the writes visible to others: a subscriber reading the record sees them.
  std::vector<Event> events = std::move(pending_);
  pending_.clear();
  if (r && events_) events_->publish(events);
  return r;
}

Result<void> Transaction::rollback() {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  active_ = false;
  pending_.clear();
  auto r = do_rollback();
  log_debug(*logger(), "transaction rollback -> {}", outcome_of(r));
  return r;
}

Result<std::unique_ptr<Transaction>> Store::begin() {
  auto r = do_begin();
  if (r) r.value()->events_ = events_;
  log_debug(*logger(), "transaction begin -> {}", outcome_of(r));
  return r;
}

Result<void> Store::transact(const std::function<Result<void>(Transaction&)>& work) {
  return do_transact(work);
}

Result<void> Store::do_transact(const std::function<Result<void>(Transaction&)>& work) {
  OPTIMIST_TRY(tx, begin());
  Result<void> r = [&]() -> Result<void> {
    try {
      return work(*tx);
    } catch (...) {
      (void)tx->rollback();
      throw;
    }
  }();
  if (!r) {
    if (auto rolled_back = tx->rollback(); !rolled_back) {
      logger()->warn("rollback after a failed transact() failed: {}", rolled_back.error());
    }
    return r;
  }
  return tx->commit();  // aborted when work left the transaction aborted
}

void Store::adopt(Transaction& tx) const noexcept {
  tx.events_ = events_;
}

Result<void> Store::ensure_schema(const Table& table) {
  {
    const std::lock_guard lock(ensured_mutex_);
    if (ensured_.contains(&table)) return ok();
  }
  auto r = do_ensure_schema(table);
  if (r) {
    const std::lock_guard lock(ensured_mutex_);
    ensured_.insert(&table);
  }
  if (!r && r.error().resource.empty()) r.error().resource = table.resource;
  log_debug(*logger(), "{} ensure_schema table={} -> {}", table.resource, table.name,
            outcome_of(r));
  return r;
}

}  // namespace optimist
