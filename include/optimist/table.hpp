// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <variant>
#include <vector>

#include "optimist/result.hpp"

namespace optimist {

/// One stored value. `std::monostate` is SQL NULL (an empty std::optional attribute).
using Value = std::variant<std::monostate, std::int64_t, double, bool, std::string>;

/// A record as the data layer sees it: one Value per column, in the table's column order.
using Row = std::vector<Value>;

/// The storage type of a column.
enum class ColumnType { integer, real, boolean, text };

/// "integer", "real", "boolean" or "text".
[[nodiscard]] std::string_view to_string(ColumnType type) noexcept;
/// The type's name, as to_string.
std::ostream& operator<<(std::ostream& os, ColumnType type);

/// One column of a table, derived from a resource attribute.
struct Column {
  std::string name;
  ColumnType type = ColumnType::text;
  bool nullable = false;       ///< true for std::optional attributes
  bool required = false;       ///< a value (non-empty text) must be present
  std::size_t max_length = 0;  ///< text only: most code points allowed; 0 is unlimited
  Value default_value;         ///< the struct's default member value, used by schemas
};

/// Columns whose values, taken together, no two rows may share; rows with a NULL in any of
/// them are exempt, as SQL treats NULLs as distinct. Derived from a definition's identities
/// and its unique attributes (each an identity of its column, named after it).
struct Identity {
  std::string name;                  ///< the `constraint` of a conflict it causes
  std::vector<std::size_t> columns;  ///< indices into Table::columns, in declaration order

  friend bool operator==(const Identity&, const Identity&) = default;
};

/// The runtime description of a resource's table, built once from its definition.
/// The primary key is an integer assigned by the store on insert; the version column is an
/// integer that every locked write checks and every committed change increments.
/// Data layers may cache work per Table by address: a Table built by optimist lives for
/// the whole process.
struct Table {
  std::string resource;         ///< the resource name, e.g. "Address"
  std::string name;             ///< the table name, e.g. "addresses"
  std::vector<Column> columns;  ///< in the order the definition lists its attributes
  /// The unique attributes' identities in column order, then the declared ones in order.
  std::vector<Identity> identities;
  std::size_t primary_key = 0;  ///< index into columns
  std::size_t version = 1;      ///< index into columns
  /// The largest version the version attribute's type holds. A write that would take a
  /// record past it is refused (`invalid`, the version field `out_of_range`): versions
  /// never wrap.
  std::int64_t version_max = INT64_MAX;

  /// Checks identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 63 characters, as PostgreSQL
  /// allows; not a table name starting with sqlite_, nor a column name PostgreSQL keeps for
  /// a system column: tableoid, xmin, cmin, xmax, cmax, ctid), duplicate column and identity
  /// names (ignoring ASCII case, as SQLite does), the key and version columns, and each
  /// identity: an identifier whose index name is one too, with at least one column, each
  /// a column of the table and none twice. Errors: invalid_definition, with one FieldError
  /// per problem (an identity's problems name the identity).
  [[nodiscard]] Result<void> validate() const;

  /// The name of the unique index of `identity` in SQL stores: `<table>_<identity>_key`,
  /// PostgreSQL's own pattern for unique constraints.
  [[nodiscard]] std::string index_name(const Identity& identity) const;
};

/// One column set by an update.
struct Assignment {
  std::size_t column = 0;  ///< index into Table::columns
  Value value;
};

/// An in-place arithmetic change, applied by the data layer as `column = column + delta`
/// without reading the value first. `delta` is an integer for integer columns and a double
/// for real ones.
struct Increment {
  std::size_t column = 0;  ///< index into Table::columns
  Value delta;
};

/// True when `s` is a valid SQL identifier for optimist: [A-Za-z_][A-Za-z0-9_]{0,62}.
[[nodiscard]] bool is_identifier(std::string_view s) noexcept;

}  // namespace optimist
