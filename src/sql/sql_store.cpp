// SPDX-License-Identifier: MIT
// The SQL store's calls outside a transaction: each leases a pooled connection (pool.cpp)
// for its duration and runs one operation on it (operations.cpp).
#include "sql/sql_store.hpp"

#include <fmt/format.h>

#include "sql/binding.hpp"

namespace optimist::sql {

namespace {

// Returns a leased connection to the pool when it goes out of scope.
struct Lease {
  SqlStore& store;
  Connection* c;
  ~Lease() { store.release(c); }
};

// The error of a failed lease. Out of line: taking it out of the Result inline (Boost.Outcome's
// checked observer) widens the frame of every do_update by 256 bytes.
[[gnu::noinline]] detail::ErrorBox lease_error(Result<Connection*>& leased) {
  return std::move(leased).error();
}

}  // namespace

template <class T, class F>
Result<T> with_connection(SqlStore& store, F&& f) {
  Connection* c = store.ready_lease();
  if (c == nullptr) {
    auto leased = store.acquire();
    if (!leased) return lease_error(leased);
    c = leased.value();
  }
  const Lease lease{store, c};
  return f(*c);  // a prvalue: no copy of the Result (and of its Error) on the way out
}

Result<Row> SqlStore::do_get(const Table& table, std::int64_t key) {
  return with_connection<Row>(*this, [&](Connection& c) { return ops_.get(c, table, key); });
}

Result<std::int64_t> SqlStore::do_insert(const Table& table, const Row& row) {
  return with_connection<std::int64_t>(*this,
                                       [&](Connection& c) { return ops_.insert(c, table, row); });
}

Result<std::int64_t> SqlStore::do_update(const Table& table, std::int64_t key,
                                         std::int64_t expected_version,
                                         std::span<const Assignment> changes) {
  return with_connection<std::int64_t>(
      *this, [&](Connection& c) { return ops_.update(c, table, key, expected_version, changes); });
}

Result<Row> SqlStore::do_increment(const Table& table, std::int64_t key,
                                   std::span<const Increment> deltas,
                                   std::optional<std::int64_t> expected_version) {
  return with_connection<Row>(*this, [&](Connection& c) {
    return ops_.increment(c, table, key, deltas, expected_version);
  });
}

Result<void> SqlStore::do_destroy(const Table& table, std::int64_t key,
                                  std::int64_t expected_version) {
  return with_connection<void>(
      *this, [&](Connection& c) { return ops_.destroy(c, table, key, expected_version); });
}

Result<void> SqlStore::do_ensure_schema(const Table& table) {
  OPTIMIST_TRYV(table.validate());
  if (table.columns.size() > max_columns) {
    Error e = make_error(ErrorKind::invalid_definition,
                         fmt::format("table {} has more than {} columns, the SQL store's limit",
                                     table.name, max_columns));
    return e;
  }
  return with_connection<void>(*this, [&](Connection& c) { return ops_.ensure_schema(c, table); });
}

}  // namespace optimist::sql
