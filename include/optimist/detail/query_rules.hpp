// SPDX-License-Identifier: MIT
// The machinery of dynamic queries behind Resource<T>::page_from: what a read action lets
// them do, by column, and the one parser that checks a QueryInput against it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "optimist/error.hpp"
#include "optimist/query_input.hpp"
#include "optimist/result.hpp"

namespace optimist::detail {

/// Why a value cannot fit a column's attribute under the rules of dynamic input
/// (input_mismatch<V>), by column.
using InputCheck = std::optional<FieldReason> (*)(const Value&);

/// What a read action allows dynamic queries on a table, by column.
struct QueryRules {
  std::span<const bool> filterable;
  std::span<const bool> sortable;
  std::span<const InputCheck> checks;
  std::size_t max_limit = 1000;
};

/// The selection `input` asks for (its cursor aside), each value converted to its column's
/// storage type. Every refused part is reported at once, one FieldError each, in input
/// order: for each test its name (unknown_attribute; not_accepted when not filterable), its
/// values (malformed: a count the test does not take, or starts_with on a non-text
/// attribute; then wrong_type, out_of_range, invalid_utf8, contains_nul per value), then
/// each order key (unknown_attribute; not_accepted when not sortable; duplicate_name), then
/// `limit` (out_of_range: below 1 or above max_limit). Errors: invalid.
[[nodiscard]] Result<Selection> parse_query(const Table& table, std::string_view action,
                                            const QueryRules& rules, const QueryInput& input);

}  // namespace optimist::detail
