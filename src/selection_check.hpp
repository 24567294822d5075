// SPDX-License-Identifier: MIT
// The checks of a Selection that DataLayer::select and count run before any backend sees it.
#pragma once

#include <vector>

#include "optimist/data_layer.hpp"

namespace optimist::detail {

/// `order`, then the primary key ascending unless `order` already holds it: a total order.
[[nodiscard]] std::vector<SortKey> total_order(const Table& table, std::vector<SortKey> order);

/// Checks the tests of `where` (see Condition): columns in range, value counts, values that
/// fit their columns, at most DataLayer::max_bound_values values with `reserved` more.
/// Errors: invalid, naming every offending column.
[[nodiscard]] Result<void> check_condition(const Table& table, const Condition& where,
                                           std::size_t reserved = 0);

/// check_condition() of the filter, and the order's columns (in range, none twice); then
/// makes the order total. The selection of a `page` keeps room for the values its cursor's
/// condition adds, on every page, the first included: a walk whose first page runs never
/// fails later for its size. Errors: invalid.
[[nodiscard]] Result<void> check_selection(const Table& table, Selection& selection,
                                           bool page = false);

/// DataLayer::select() of a selection that check_selection() passed already, as a page's
/// with its cursor's condition added (which the check left room for). Errors: as select().
struct CheckedSelect {
  [[nodiscard]] static Result<std::vector<Row>> run(DataLayer& data, const Table& table,
                                                    std::string_view action, Selection& selection);
};

}  // namespace optimist::detail
