// SPDX-License-Identifier: MIT
// The SQL text of the data layer's reads of many rows (DataLayer::select and count), for
// every dialect, with the values it binds. As in sql_text.hpp, values are never spliced in:
// each is a placeholder (`:p1`, `:p2`, ... in order), and the text depends only on the
// selection's shape, never on its values, so that it can key a statement cache.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/selection.hpp"
#include "sql/dialect.hpp"

namespace optimist::sql {

/// A statement and the values of its placeholders, in order.
struct BoundText {
  std::string text;
  std::vector<Value> values;
};

/// Every column of the rows `s` selects, in its order (already total), NULL first in
/// ascending order; `LIMIT` and `OFFSET` bound as the last values. An `in` list binds a
/// power of two of values (the last one repeated), so that lists of many lengths share a
/// few statements, unless that would take more placeholders than Dialect::max_parameters.
[[nodiscard]] BoundText select_rows(const Dialect& d, const Table& t, const Selection& s);

/// The number of rows `where` matches.
[[nodiscard]] BoundText count_rows(const Dialect& d, const Table& t, const Condition& where);

/// The smallest text above every text that starts with `prefix`, compared by code point:
/// `prefix` with its last code point incremented (skipping the surrogates), after dropping
/// trailing U+10FFFF. None when there is no such text (the prefix is empty or all U+10FFFF).
/// `prefix` is valid UTF-8.
[[nodiscard]] std::optional<std::string> prefix_successor(std::string_view prefix);

}  // namespace optimist::sql
