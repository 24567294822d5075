// SPDX-License-Identifier: MIT
// The operations of the SQL store on one leased connection, shared by the store's own calls
// and by its transactions: the one place that runs the data layer's statements, and the one
// home of the probe that tells a stale record from a missing one. Statement preparation and
// caching live in statements.cpp, schema work in schema.cpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>

#include "sql/connection.hpp"
#include "sql/query_text.hpp"

namespace optimist::sql {

/// An error of `kind` with `detail`, built out of line (see detail::ErrorBox): the frames of
/// the operations, which every call runs through, hold no Error.
[[nodiscard, gnu::noinline]] detail::ErrorBox failure(ErrorKind kind, std::string detail = {});

/// Names the identity of `table` that a `conflict` refused in its `constraint`, where the
/// database named the identity's columns ("owner_id, name": SQLite) or its index
/// (Table::index_name: PostgreSQL). Leaves other errors, and constraints of no identity
/// (the primary key's, say), as they are.
[[gnu::noinline]] void name_identity(const Table& table, Error& e);

/// The statements of the data layer on a leased Connection. Immutable after construction and
/// used from many threads, each on a connection of its own.
class Operations {
 public:
  /// `losses` counts the connections found lost (see SqlStore); it outlives this object.
  Operations(const Connector& connector, std::atomic<std::uint64_t>& losses)
      : connector_(connector), dialect_(connector.dialect()), losses_(losses) {}

  [[nodiscard]] const Dialect& dialect() const noexcept { return dialect_; }

  /// The row `key`; with `lock`, it stays locked until the transaction on `c` ends.
  /// Errors: not_found, unavailable, internal.
  Result<Row> get(Connection& c, const Table& table, std::int64_t key, bool lock = false);
  /// The rows `s` selects (DataLayer::select; its order is total). Errors: unavailable,
  /// internal.
  Result<std::vector<Row>> select(Connection& c, const Table& table, const Selection& s);
  /// How many rows `where` matches (DataLayer::count). Errors: unavailable, internal.
  Result<std::int64_t> count(Connection& c, const Table& table, const Condition& where);
  /// Inserts `row` (its key ignored) and returns the assigned key.
  /// Errors: conflict, invalid, unavailable, internal.
  Result<std::int64_t> insert(Connection& c, const Table& table, const Row& row);
  /// The locked update (DataLayer::update). Errors: as DataLayer::update.
  Result<std::int64_t> update(Connection& c, const Table& table, std::int64_t key,
                              std::int64_t expected, std::span<const Assignment> changes);
  /// The atomic change (DataLayer::increment). Errors: as DataLayer::increment.
  Result<Row> increment(Connection& c, const Table& table, std::int64_t key,
                        std::span<const Increment> deltas, std::optional<std::int64_t> expected);
  /// The locked delete (DataLayer::destroy). Errors: as DataLayer::destroy.
  Result<void> destroy(Connection& c, const Table& table, std::int64_t key, std::int64_t expected);
  /// Keeps the keys up to `key` of `table` from being handed out again, after a rollback
  /// took back the inserts that had them (Dialect::reserve_keys). Errors: unavailable,
  /// internal.
  Result<void> reserve_keys(Connection& c, const Table& table, std::int64_t key);
  /// Runs transaction control (Op::begin, Op::commit or Op::rollback) on `c`, or savepoint
  /// control (Op::savepoint, ...) on savepoint number `depth`. Errors: unavailable, conflict,
  /// internal.
  Result<void> control(Connection& c, Op op, std::size_t depth = 0);
  /// Creates `table` when missing and checks the stored columns (Store::ensure_schema).
  /// Errors: invalid_definition, unavailable, internal.
  Result<void> ensure_schema(Connection& c, const Table& table);

 private:
  /// Out of line (see detail::ErrorBox): the operations' frames hold no Error.
  [[gnu::noinline]] detail::ErrorBox fail(Connection& c, const DatabaseError& e);
  [[gnu::noinline]] detail::ErrorBox fail(Connection& c, const soci::soci_error& e);
  /// Runs `f`, a call of SOCI or of a dialect's statement path on `c`, and turns whatever it
  /// throws into an Error: the one place where the SQL store stops exceptions.
  template <class F>
  auto guarded(Connection& c, F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const DatabaseFailure& e) {
      return fail(c, e.error());
    } catch (const soci::soci_error& e) {
      return fail(c, e);
    } catch (const std::exception&) {
      return unexpected_failure();
    }
  }
  /// The version of row `key`, to tell a stale record from a missing one: not_found, or
  /// stale_record unless it is `expected` and `found_is_ok`.
  Result<std::int64_t> probe(Connection& c, const Table& table, std::int64_t key,
                             std::int64_t expected, bool found_is_ok);
  /// The cached statement for (table, op, columns), prepared on first use. The two used last
  /// are found without a call; the rest go through `lookup_or_prepare`.
  Prepared& prepared(Connection& c, const Table& table, Op op, std::uint64_t columns) {
    const Connection::Key key{&table, op, columns};
    auto& recent = c.recent;
    if (recent[0].statement == nullptr || recent[0].key != key) {
      if (recent[1].statement == nullptr || recent[1].key != key) {
        return lookup_or_prepare(c, key);
      }
      std::swap(recent[0], recent[1]);  // used from now on: the most recent
    }
    return *recent[0].statement;
  }
  Prepared& lookup_or_prepare(Connection& c, const Connection::Key& key);
  /// The cached statement of a read of many rows with text `q.text`, its values bound;
  /// prepared on first use to return every column of `table` (`all_columns`) or one integer.
  Prepared& query(Connection& c, const Table& table, const BoundText& q, bool all_columns);

  const Connector& connector_;
  const Dialect& dialect_;
  std::atomic<std::uint64_t>& losses_;
};

}  // namespace optimist::sql
