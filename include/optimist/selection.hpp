// SPDX-License-Identifier: MIT
// Reads of many rows as data, as the data layer takes them: conditions on columns, an order
// and a window. Resource<T> builds them from typed queries (optimist/query.hpp) and from
// dynamic ones; every backend evaluates them with the one semantics below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "optimist/table.hpp"

namespace optimist {

/// How a test compares a column with its values.
enum class Compare : std::uint8_t {
  eq,          ///< equal to the value
  ne,          ///< not equal to the value
  lt,          ///< below the value
  le,          ///< at most the value
  gt,          ///< above the value
  ge,          ///< at least the value
  in,          ///< equal to one of the values (none: matches nothing)
  is_null,     ///< holds no value (no values)
  starts_with  ///< text that begins with the value, compared as code points (no wildcards)
};

/// A condition on rows: a tree of tests on columns joined by and, or and not.
///
/// The semantics, the same on every backend:
/// - values are of their column's storage type: std::int64_t for integer columns, double
///   for real ones (finite), bool for booleans, valid UTF-8 text without NUL for text;
///   never NULL (use Compare::is_null);
/// - text compares by Unicode code point (as bytes of UTF-8), integers and doubles as
///   numbers, false below true;
/// - a test other than is_null never matches a row whose column is NULL, and `not` matches
///   exactly the rows its operand does not match (NULLs included: two-valued logic).
struct Condition {
  enum class Kind : std::uint8_t {
    all,   ///< matches every row
    test,  ///< `test` of `column` with `values`
    all_of,
    any_of,  ///< and, or: of every operand (all_of of none matches every row, any_of none)
    none_of  ///< not: matches the rows that none of the operands matches
  };
  Kind kind = Kind::all;
  Compare test = Compare::eq;
  std::size_t column = 0;           ///< test: index into Table::columns
  std::vector<Value> values;        ///< test: one, except for in (any number) and is_null (none)
  std::vector<Condition> operands;  ///< all_of, any_of, none_of

  /// A test of `column`.
  static Condition of(Compare test, std::size_t column, std::vector<Value> values = {}) {
    Condition c;
    c.kind = Kind::test;
    c.test = test;
    c.column = column;
    c.values = std::move(values);
    return c;
  }
  /// A combination (all_of, any_of or none_of) of `operands`.
  static Condition joined(Kind kind, std::vector<Condition> operands = {}) {
    Condition c;
    c.kind = kind;
    c.operands = std::move(operands);
    return c;
  }

  friend bool operator==(const Condition&, const Condition&) = default;
};

/// One key of an order.
struct SortKey {
  std::size_t column = 0;  ///< index into Table::columns
  bool descending = false;

  friend bool operator==(const SortKey&, const SortKey&) = default;
};

/// A read of many rows: those matching `where`, in `order`, skipping `offset` of them and
/// returning at most `limit`.
///
/// Every order is total: the data layer sorts by `order` and then by the primary key
/// ascending (unless `order` already sorts by it). NULL sorts below every value: first in
/// ascending order, last in descending order.
struct Selection {
  Condition where;
  std::vector<SortKey> order;
  std::optional<std::size_t> limit;  ///< none: every matching row
  std::size_t offset = 0;            ///< rows skipped first: the slow way to page (see Query)

  friend bool operator==(const Selection&, const Selection&) = default;
};

}  // namespace optimist
