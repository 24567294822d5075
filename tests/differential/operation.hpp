// SPDX-License-Identifier: MIT
// The operations of the differential test: what one seeded sequence asks every backend to
// do. Operations name records by creation order (handle #n: the n-th record whose creation
// was committed), never by primary key, because each store assigns its own keys (PostgreSQL's
// identity and the memory store burn the keys of rolled-back inserts, SQLite does not), so
// one sequence means the same on every store.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optimist/optimist.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace optimist::differential {

/// The resources of the sequences: Player (text, and an integer that atomic changes move),
/// Address (two short texts whose limits count code points), Member (a unique email), Gauge
/// (a double that atomic changes move, a bool, a nullable text and a nullable integer).
enum class Res { player, address, member, gauge };

enum class OpKind {
  create,
  get,
  get_for_update,
  update,
  destroy,
  change,         ///< Resource::change by key: never stale (Player and Gauge)
  change_locked,  ///< Resource::change_locked: checked against the copy's version
  fail,           ///< in a unit only: a step that fails with an application's error kind
  unit,           ///< optimist::Unit of `steps`, all or nothing
  transaction,    ///< Store::begin(), `steps` through Resource::in(), then commit or rollback
  select,         ///< DataLayer::select of a random selection drawn from `amount` (a seed),
                  ///< and the same selection walked in keyset pages to its end
  query,          ///< Resource::all of `query`
  count,          ///< Resource::count and exists of `query`
  one,            ///< Resource::one of `query`
  pages,          ///< Resource::page of `query` to the end, step i of `steps` after page i
};

/// Which operations a sequence draws: writes only, as the sequences that found the bugs
/// of the write paths; or queries among fewer writes, and page walks with writes between
/// their pages.
enum class Mix { writes, queries };

/// Which copy of a record an update, destroy or change_locked passes.
enum class Copy {
  fresh,  ///< the copy of the record's latest committed state
  held,   ///< one of the copies seen so far: older ones, and ones from rolled-back units
  ahead,  ///< the fresh copy with a version the record never had (+1000): stale_record
  zero,   ///< the fresh copy with version 0: invalid
};

/// Which record an operation is about.
struct Target {
  bool never = false;  ///< a primary key no store assigns: not_found
  /// In a unit: the record of the latest earlier step on the same resource, read from the
  /// unit's results when the step runs (update and destroy; others ignore it).
  bool chain = false;
  /// Also destroyed records: pick among every handle of the resource (#3%all), not only
  /// among those whose record the sequence has not destroyed (#3%live; all when none is).
  bool gone = false;
  std::uint32_t pick = 0;  ///< handle: pick % n, n the handles picked among
  Copy copy = Copy::fresh;
  std::uint32_t held = 0;  ///< Copy::held: copies[held % number of copies]

  friend bool operator==(const Target&, const Target&) = default;
};

/// A value for one attribute slot of an operation.
struct Field {
  enum class Mode { unset, literal, same };  ///< same: the value the copy already holds
  Mode mode = Mode::unset;
  Value value;  ///< as the attribute: std::string, std::int64_t, double, bool, or null

  /// Same mode and value; doubles compare bit for bit, so that NaN equals itself and -0
  /// differs from 0 (the same operation, not the same number).
  friend bool operator==(const Field& a, const Field& b) noexcept;
};

/// A filter of a query operation, over the columns of its resource's table (0 the key, 1 the
/// version, 2 on the attribute slots in order): optimist::Condition, except that a test's
/// first value may be taken from a record the caller holds.
struct QueryFilter {
  Condition::Kind kind = Condition::Kind::all;
  Compare test = Compare::eq;
  std::size_t column = 0;
  std::vector<Value> values;  ///< as the column's attribute: never null
  /// A comparison or in: its first value is the column's value in the latest copy of record
  /// #from%live of the resource (as Target::pick), unless there is none or it is null.
  std::optional<std::uint32_t> from;
  std::vector<QueryFilter> operands;

  /// Values as Field's == compares them.
  friend bool operator==(const QueryFilter& a, const QueryFilter& b) noexcept;
};

/// The query of a query, count, one or pages operation (for pages, `limit` is the page
/// size).
struct QuerySpec {
  QueryFilter where;
  std::vector<SortKey> order;  ///< a column twice makes the query invalid
  std::optional<std::size_t> limit;
  std::size_t offset = 0;

  friend bool operator==(const QuerySpec&, const QuerySpec&) = default;
};

/// One operation of a sequence; units and transactions hold their steps.
struct Op {
  OpKind kind = OpKind::get;
  Res res = Res::player;
  Target target;
  /// Attribute slots: Player {name, points}, Address {state, county}, Member {email, name},
  /// Gauge {reading, active, note, limit}; a null literal (std::monostate) clears an
  /// optional. Creates use the slots their action accepts (Player: name only).
  std::array<Field, 4> fields;
  /// change, change_locked: added to Player::points (std::int64_t) or Gauge::reading (double)
  Value amount;
  bool decrement = false;  ///< pass `amount` to decrement<> rather than increment<>
  bool commit = true;      ///< transaction: commit at the end, else roll back
  std::vector<Op> steps;   ///< unit, transaction; pages: the writes between pages
  QuerySpec query;         ///< query, count, one, pages

  /// Field by field, values as Field's == compares them.
  friend bool operator==(const Op& a, const Op& b) noexcept;
};

/// The resource's name, as in its definition ("Player", ...).
[[nodiscard]] std::string_view name_of(Res res) noexcept;
/// How many attribute slots `res` has.
[[nodiscard]] std::size_t slots_of(Res res) noexcept;
/// The attribute name of slot `slot` of `res`.
[[nodiscard]] std::string_view field_name(Res res, std::size_t slot) noexcept;

/// `count` operations of `mix` drawn from `seed`; the same seed gives the same operations
/// everywhere (no implementation-defined distributions).
[[nodiscard]] std::vector<Op> generate(std::uint64_t seed, std::size_t count,
                                       Mix mix = Mix::writes);

/// The name of a column of `res`'s table: id, version, or an attribute slot's.
[[nodiscard]] std::string_view column_name(Res res, std::size_t column) noexcept;
/// How many columns `res`'s table has.
[[nodiscard]] std::size_t columns_of(Res res) noexcept;

/// `text` in double quotes, readable: valid UTF-8 as it is, quotes, backslashes, control
/// characters and bytes that are not UTF-8 escaped (\", \\, \n, \xNN), long runs of one
/// character shortened to `"é"*101`.
[[nodiscard]] std::string quote(std::string_view text);

/// A stored value: quote()d text, a number, true/false or null.
[[nodiscard]] std::string render(const Value& value);

/// One line describing `op`, e.g. `update Player #2 held:1 name="Zoë" points=same`.
[[nodiscard]] std::string describe(const Op& op);
/// Every operation on its own line, numbered from 0, indented by two spaces.
[[nodiscard]] std::string describe(const std::vector<Op>& ops);

}  // namespace optimist::differential
