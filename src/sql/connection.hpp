// SPDX-License-Identifier: MIT
// What the SQL store is made of: the Connector each dialect implements (src/sqlite/,
// src/postgresql/), and the pooled Connection with its cache of prepared statements and
// their value slots.
#pragma once

#include <soci/soci.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "optimist/store.hpp"
#include "sql/database_error.hpp"
#include "sql/sql_text.hpp"

namespace optimist::sql {

/// The `detail` of an `invalid` error with an unnamed out_of_range field: the database
/// reported an overflow without naming the column, only its type.
inline constexpr const char* integer_overflow = "integer overflow";
inline constexpr const char* real_overflow = "floating-point overflow";

/// An error translated from SOCI, and whether the connection it came from must be rebuilt
/// before its next use.
struct Translated {
  Error error;
  bool broken = false;
};

/// The error for an exception from SOCI's call path that is not a soci_error (its text may
/// come from anywhere, so it is not passed on): internal. Out of line, as one pointer (see
/// detail::ErrorBox).
[[nodiscard, gnu::noinline]] detail::ErrorBox unexpected_failure();

/// The kinds of cached statements.
enum class Op : std::uint8_t {
  get,
  get_for_update,
  insert,
  update,
  destroy,
  probe,
  increment,
  increment_checked,
  begin,
  commit,
  rollback,  // transaction control, cached without a table
  savepoint,
  release_savepoint,
  rollback_to_savepoint  // savepoint control, cached without a table, by depth
};

/// A value buffer for one placeholder or result column. A cached statement owns its slots,
/// so rebinding a value is an assignment, never a new binding.
struct Slot {
  long long integer = 0;  ///< integer and boolean columns (booleans as 0 or 1)
  double real = 0;
  std::string text;
  soci::indicator indicator = soci::i_ok;  ///< i_null: the value is SQL NULL
  /// The type of the column the slot is for: reading or filling a slot needs no look at the
  /// Table.
  ColumnType type = ColumnType::text;

  /// Puts the integer `v` in the slot.
  void set_integer(std::int64_t v) noexcept {
    indicator = soci::i_ok;
    integer = v;
  }

  /// Calls `f` with the member that holds the values of the slot's column type: `integer`
  /// (integers, and booleans as 0 or 1), `real` or `text`. The SQL storage of every type.
  template <class F>
  void visit(F&& f) {
    switch (type) {
      case ColumnType::integer:
      case ColumnType::boolean:
        f(integer);
        return;
      case ColumnType::real:
        f(real);
        return;
      case ColumnType::text:
        f(text);
        return;
    }
  }
};

/// A statement prepared on one session, reading its parameters from the `in` slots it was
/// prepared with and writing a returned row to its `out` slots. Each dialect runs it its own
/// way (Connector::prepare). Used by one thread at a time, and never after its session.
class Statement {
 public:
  virtual ~Statement() = default;
  /// Runs the statement with the values in the `in` slots. True when it returned a row,
  /// whose values are then in the `out` slots. Throws soci::soci_error or DatabaseFailure.
  virtual bool execute() = 0;
  /// Reads the next row of the last execution into the `out` slots; false when there is no
  /// more (the statement is then finished). Throws soci::soci_error or DatabaseFailure.
  virtual bool next() = 0;
  /// The rows the last execution changed.
  [[nodiscard]] virtual long long affected_rows() = 0;
  /// Frees what the database holds for the statement (PostgreSQL: its server-side prepared
  /// statement), when it is dropped while its session lives on. Never throws.
  virtual void discard() noexcept {}
  /// Reads whatever the last execution still has to give (at most one row is asked for, so
  /// nothing is lost), letting the database release what it holds for it. Throws
  /// soci::soci_error or DatabaseFailure.
  virtual void finish() = 0;
};

/// A prepared statement with its value buffers, cached per connection and long-lived.
struct Prepared {
  std::vector<Slot> in;                  ///< one per placeholder, in placeholder order
  std::vector<std::size_t> in_column;    ///< the column whose type each `in` slot has
  std::vector<Slot> out;                 ///< one per result column
  std::unique_ptr<Statement> statement;  ///< last: it refers to the slots
};

/// What the shared store needs from one dialect. Implementations are immutable after
/// construction and used from many threads.
class Connector {
 public:
  virtual ~Connector() = default;
  /// The dialect's SQL; lives as long as the program.
  [[nodiscard]] virtual const Dialect& dialect() const noexcept = 0;
  [[nodiscard]] virtual std::string_view backend() const noexcept = 0;
  /// Opens a new session, set up for use (pragmas, timeouts). Throws soci::soci_error.
  [[nodiscard]] virtual std::unique_ptr<soci::session> connect() const = 0;
  /// What a SOCI error raised on `session` (null when connecting) says, as the backend's
  /// DatabaseError: the one place a dialect reads SOCI's exceptions. Never uses what(): it
  /// holds bound values.
  [[nodiscard]] virtual DatabaseError describe(const soci::soci_error& e,
                                               soci::session* session) const = 0;
  /// The optimist Error for a failure of this backend: the one place a dialect translates
  /// its codes.
  [[nodiscard]] virtual Translated translate(const DatabaseError& e) const = 0;
  /// Prepares `text` (placeholders written `:name`) on `session`, to be run with the values
  /// of `in`, one slot per placeholder in order, and to return at most one row into `out`,
  /// one slot per column. The slots' types are set and the vectors never resized while the
  /// statement lives. This one prepares through SOCI. Throws soci::soci_error.
  [[nodiscard]] virtual std::unique_ptr<Statement> prepare(soci::session& session,
                                                           const std::string& text,
                                                           std::vector<Slot>& in,
                                                           std::vector<Slot>& out) const;
};

/// One pooled database connection and its statement cache. Used by one thread at a time.
///
/// The pool keeps its slots in one array, and a slot's owner writes `leased` on every call:
/// each slot starts on a cache line of its own, so that no other thread's slot shares its
/// lines, and the fields used on every call come first (the first two lines).
struct alignas(64) Connection {
  struct Key {
    const Table* table;
    Op op;
    std::uint64_t columns;  ///< bit i: column i is assigned or incremented
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      auto h = std::hash<const void*>{}(k.table);
      h ^= std::hash<std::uint64_t>{}(k.columns * 0x9E3779B97F4A7C15ULL +
                                      static_cast<unsigned>(k.op));
      return h;
    }
  };

  /// A cached statement and its key.
  struct Recent {
    Key key{nullptr, Op::get, 0};
    Prepared* statement = nullptr;
  };

  std::unique_ptr<soci::session> session;
  std::atomic<bool> leased{false};  ///< held by a call or a transaction (the pool's lock)
  bool broken = false;              ///< rebuild before the next use
  std::uint64_t generation = 0;     ///< the store's loss count when this session was opened
  // The two statements used last, most recent first, checked before the map: a service
  // alternating a read and a write (get, then update) skips the hashing.
  std::array<Recent, 2> recent{};
  std::unordered_map<Key, std::unique_ptr<Prepared>, KeyHash> cache;
  // The statements of reads of many rows (select, count), by their text: it depends only on
  // the query's shape (sql/query_text.hpp). At most max_queries: dynamic queries can have
  // many shapes, and each holds memory here and on the server.
  std::unordered_map<std::string, std::unique_ptr<Prepared>> queries;
  static constexpr std::size_t max_queries = 256;

  /// Drops every cached statement, then the session: statements must never outlive the
  /// session they were prepared on (reconnecting under live statements is a use-after-free).
  void reset() noexcept;
  /// Drops every cached statement (they are prepared again on next use).
  void clear_statements() noexcept;
};

}  // namespace optimist::sql
