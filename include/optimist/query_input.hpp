// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "optimist/selection.hpp"

namespace optimist {

/// One test of a dynamic query: attribute `name` (its column name) compared by `test` with
/// `values`: one value, except for Compare::in (any number) and Compare::is_null (none). Values fit
/// their attribute under the rules of dynamic input (optimist/input.hpp): nothing is parsed
/// from text.
struct FieldTest {
  std::string name;
  Compare test = Compare::eq;
  std::vector<Value> values;

  friend bool operator==(const FieldTest&, const FieldTest&) = default;
};

/// One key of a dynamic query's order: attribute `name`, ascending unless `descending`.
struct FieldOrder {
  std::string name;
  bool descending = false;

  friend bool operator==(const FieldOrder&, const FieldOrder&) = default;
};

/// A query given as data rather than as code (decoded from an HTTP query string or a
/// message), for Resource<T>::page_from: checked at run time against what its read action
/// declares (Filterable, Sortable, MaxLimit). Names and values are only ever compared with
/// the definition and bound as values: nothing of the input reaches SQL text.
struct QueryInput {
  std::vector<FieldTest> where;       ///< every test must hold
  std::vector<FieldOrder> order;      ///< none: the action's DefaultOrder, else the primary key
  std::optional<std::int64_t> limit;  ///< records per page; none: 100 (or MaxLimit, if less)
  std::string cursor;                 ///< empty: the first page; else a Page::next

  friend bool operator==(const QueryInput&, const QueryInput&) = default;
};

/// The name of a test, as dynamic queries spell it: "eq", "ne", "lt", "le", "gt", "ge", "in",
/// "is_null", "starts_with".
[[nodiscard]] std::string_view to_string(Compare test) noexcept;
/// The test named `name` (as to_string spells it); none for any other name.
[[nodiscard]] std::optional<Compare> test_named(std::string_view name) noexcept;

}  // namespace optimist
