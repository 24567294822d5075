// SPDX-License-Identifier: MIT
// The SQL store's calls outside a transaction: each leases a pooled connection (pool.cpp)
// for its duration and runs one operation on it (operations.cpp); with group commit, writes
// and transact() join the next group instead (group_commit.cpp).
#include "sql/sql_store.hpp"

#include <fmt/format.h>

#include <optional>

#include "sql/binding.hpp"
#include "sql/transaction.hpp"

namespace optimist::sql {

detail::ErrorBox lease_error(Result<Connection*>& leased) {
  return std::move(leased).error();
}

template <class T, class F>
Result<T> SqlStore::write(F&& f) {
  if (!group_) return with_connection<T>(f);
  std::optional<Result<T>> out;
  auto run = [&](Connection& c) -> Result<void> {
    out.emplace(f(c));
    if (*out) return ok();
    return out->error();  // the group needs its kind
  };
  if (auto grouped = group_->statement(StatementWork(run)); !grouped) {
    return std::move(grouped).error();
  }
  return std::move(*out);
}

Result<std::vector<Row>> SqlStore::do_select(const Table& table, const Selection& selection) {
  return with_connection<std::vector<Row>>(
      [&](Connection& c) { return ops_.select(c, table, selection); });
}

Result<std::int64_t> SqlStore::do_count(const Table& table, const Condition& where) {
  return with_connection<std::int64_t>([&](Connection& c) { return ops_.count(c, table, where); });
}

Result<Row> SqlStore::do_get(const Table& table, std::int64_t key) {
  return with_connection<Row>([&](Connection& c) { return ops_.get(c, table, key); });
}

Result<std::int64_t> SqlStore::do_insert(const Table& table, const Row& row) {
  return write<std::int64_t>([&](Connection& c) { return ops_.insert(c, table, row); });
}

Result<std::int64_t> SqlStore::do_update(const Table& table, std::int64_t key,
                                         std::int64_t expected_version,
                                         std::span<const Assignment> changes) {
  return write<std::int64_t>(
      [&](Connection& c) { return ops_.update(c, table, key, expected_version, changes); });
}

Result<Row> SqlStore::do_increment(const Table& table, std::int64_t key,
                                   std::span<const Increment> deltas,
                                   std::optional<std::int64_t> expected_version) {
  return write<Row>(
      [&](Connection& c) { return ops_.increment(c, table, key, deltas, expected_version); });
}

Result<void> SqlStore::do_destroy(const Table& table, std::int64_t key,
                                  std::int64_t expected_version) {
  return write<void>([&](Connection& c) { return ops_.destroy(c, table, key, expected_version); });
}

Result<void> SqlStore::do_ensure_schema(const Table& table) {
  OPTIMIST_TRYV(table.validate());
  if (table.columns.size() > max_columns) {
    Error e = make_error(ErrorKind::invalid_definition,
                         fmt::format("table {} has more than {} columns, the SQL store's limit",
                                     table.name, max_columns));
    return e;
  }
  return with_connection<void>([&](Connection& c) { return ops_.ensure_schema(c, table); });
}

Result<void> SqlStore::do_transact(const std::function<Result<void>(Transaction&)>& work) {
  if (!group_) return Store::do_transact(work);
  SqlTransaction tx(*this, ops_, SqlTransaction::InGroup{});
  adopt(tx);
  return group_->transaction(tx, work);
}

}  // namespace optimist::sql
