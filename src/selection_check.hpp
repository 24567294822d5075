// SPDX-License-Identifier: MIT
// The checks of a Selection that DataLayer::select and count run before any backend sees it.
#pragma once

#include <vector>

#include "optimist/data_layer.hpp"

namespace optimist::detail {

/// `order`, then the primary key ascending unless `order` already holds it: a total order.
[[nodiscard]] std::vector<SortKey> total_order(const Table& table, std::vector<SortKey> order);

/// Checks the tests of `where` (see Condition): columns in range, value counts, values that
/// fit their columns, at most DataLayer::max_bound_values values. Errors: invalid, naming
/// every offending column.
[[nodiscard]] Result<void> check_condition(const Table& table, const Condition& where);

/// check_condition() of the filter, and the order's columns (in range, none twice); then
/// makes the order total. Errors: invalid.
[[nodiscard]] Result<void> check_selection(const Table& table, Selection& selection);

}  // namespace optimist::detail
