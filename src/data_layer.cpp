// SPDX-License-Identifier: MIT
// The shared half of every backend: logging and error context, done once here.
#include "optimist/data_layer.hpp"

#include <spdlog/spdlog.h>

#include "optimist/store.hpp"

namespace optimist {

namespace {

template <class T>
void annotate(Result<T>& r, const Table& table, std::string_view action,
              std::optional<std::int64_t> key, std::optional<std::int64_t> expected) {
  if (r) return;
  Error& e = r.error();
  if (e.resource.empty()) e.resource = table.resource;
  if (e.action.empty()) e.action = std::string(action);
  if (!e.key) e.key = key;
  if (e.kind == ErrorKind::stale_record && !e.filter && expected) {
    e.filter = Filter{table.columns[table.version].name, *expected};
  }
}

template <class T>
std::string_view outcome_of(const Result<T>& r) {
  return r ? std::string_view("ok") : r.error().kind.name;
}

}  // namespace

DataLayer::DataLayer(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

DataLayer::~DataLayer() = default;

Result<Row> DataLayer::get(const Table& table, std::string_view action, std::int64_t key) {
  auto r = do_get(table, key);
  annotate(r, table, action, key, std::nullopt);
  logger_->debug("{}.{} get key={} -> {}", table.resource, action, key, outcome_of(r));
  return r;
}

Result<std::int64_t> DataLayer::insert(const Table& table, std::string_view action,
                                       const Row& row) {
  auto r = do_insert(table, row);
  annotate(r, table, action, std::nullopt, std::nullopt);
  if (logger_->should_log(spdlog::level::debug)) {
    logger_->debug("{}.{} insert key={} -> {}", table.resource, action, r ? r.value() : 0,
                   outcome_of(r));
  }
  return r;
}

Result<std::int64_t> DataLayer::update(const Table& table, std::string_view action,
                                       std::int64_t key, std::int64_t expected_version,
                                       std::span<const Assignment> changes) {
  auto r = do_update(table, key, expected_version, changes);
  annotate(r, table, action, key, expected_version);
  if (logger_->should_log(spdlog::level::debug)) {
    logger_->debug("{}.{} update key={} columns={} expected_version={} -> {} version={}",
                   table.resource, action, key, changes.size(), expected_version,
                   outcome_of(r),
                   r ? r.value() : r.error().stored_version.value_or(0));
  }
  return r;
}

Result<Row> DataLayer::increment(const Table& table, std::string_view action, std::int64_t key,
                                 std::span<const Increment> deltas,
                                 std::optional<std::int64_t> expected_version) {
  auto r = do_increment(table, key, deltas, expected_version);
  annotate(r, table, action, key, expected_version);
  logger_->debug("{}.{} increment key={} columns={} expected_version={} -> {}", table.resource,
                 action, key, deltas.size(), expected_version.value_or(0), outcome_of(r));
  return r;
}

Result<void> DataLayer::destroy(const Table& table, std::string_view action, std::int64_t key,
                                std::int64_t expected_version) {
  auto r = do_destroy(table, key, expected_version);
  annotate(r, table, action, key, expected_version);
  logger_->debug("{}.{} destroy key={} expected_version={} -> {}", table.resource, action, key,
                 expected_version, outcome_of(r));
  return r;
}

Result<void> Transaction::commit() {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  active_ = false;
  auto r = do_commit();
  logger()->debug("transaction commit -> {}", outcome_of(r));
  return r;
}

Result<void> Transaction::rollback() {
  if (!active_) return make_error(ErrorKind::invalid, "the transaction is already finished");
  active_ = false;
  auto r = do_rollback();
  logger()->debug("transaction rollback -> {}", outcome_of(r));
  return r;
}

Result<std::unique_ptr<Transaction>> Store::begin() {
  auto r = do_begin();
  logger()->debug("transaction begin -> {}", outcome_of(r));
  return r;
}

Result<void> Store::ensure_schema(const Table& table) {
  auto r = do_ensure_schema(table);
  if (!r && r.error().resource.empty()) r.error().resource = table.resource;
  logger()->debug("{} ensure_schema table={} -> {}", table.resource, table.name, outcome_of(r));
  return r;
}

}  // namespace optimist
