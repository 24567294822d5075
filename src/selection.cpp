// SPDX-License-Identifier: MIT
// The checks every backend's reads of many rows share: a selection's values fit their
// columns, and its order is made total.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "optimist/detail/values.hpp"
#include "selection_check.hpp"

namespace optimist::detail {

namespace {

constexpr std::size_t max_depth = 64;

struct Checker {
  const Table& table;
  std::vector<FieldError> errors;
  std::size_t bound = 0;

  std::string name(std::size_t column) const {
    return column < table.columns.size() ? table.columns[column].name
                                         : fmt::format("column {}", column);
  }

  void value(const Column& c, const Value& v) {
    const bool fits = v.index() != 0 && [&] {
      switch (c.type) {
        case ColumnType::integer:
          return std::holds_alternative<std::int64_t>(v);
        case ColumnType::real:
          return std::holds_alternative<double>(v);
        case ColumnType::boolean:
          return std::holds_alternative<bool>(v);
        case ColumnType::text:
          return std::holds_alternative<std::string>(v);
      }
      return false;
    }();
    if (!fits) {
      errors.push_back({c.name, FieldReason::wrong_type});
    } else if (const auto* d = std::get_if<double>(&v); d && !std::isfinite(*d)) {
      errors.push_back({c.name, FieldReason::out_of_range});
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      check_text(c.name, *s, {}, errors);
    }
  }

  void condition(const Condition& c, std::size_t depth) {
    if (depth > max_depth) {
      errors.push_back({"where", FieldReason::out_of_range});
      return;
    }
    switch (c.kind) {
      case Condition::Kind::all:
        return;
      case Condition::Kind::all_of:
      case Condition::Kind::any_of:
      case Condition::Kind::none_of:
        for (const Condition& o : c.operands) condition(o, depth + 1);
        return;
      case Condition::Kind::test:
        break;
    }
    if (c.column >= table.columns.size()) {
      errors.push_back({name(c.column), FieldReason::unknown_attribute});
      return;
    }
    const Column& col = table.columns[c.column];
    const std::size_t wanted = c.test == Compare::is_null ? 0 : 1;
    if (c.test != Compare::in && c.values.size() != wanted) {
      errors.push_back({col.name, FieldReason::malformed});
      return;
    }
    if (c.test == Compare::starts_with && col.type != ColumnType::text) {
      errors.push_back({col.name, FieldReason::wrong_type});
      return;
    }
    for (const Value& v : c.values) value(col, v);
    bound += c.test == Compare::starts_with ? 2 : c.values.size();
  }
};

bool sorts_by_key(const Table& table, const std::vector<SortKey>& order) {
  return std::any_of(order.begin(), order.end(),
                     [&](const SortKey& k) { return k.column == table.primary_key; });
}

}  // namespace

std::vector<SortKey> total_order(const Table& table, std::vector<SortKey> order) {
  if (!sorts_by_key(table, order)) order.push_back({table.primary_key, false});
  return order;
}

Result<void> check_condition(const Table& table, const Condition& where, std::size_t reserved) {
  Checker check{table, {}};
  check.condition(where, 0);
  if (check.bound + reserved > DataLayer::max_bound_values) {
    return make_error(
        ErrorKind::invalid,
        reserved == 0
            ? fmt::format("the query carries {} values, more than the {} allowed", check.bound,
                          DataLayer::max_bound_values)
            : fmt::format("the query carries {} values and its pages' cursors up to {} more, "
                          "more than the {} allowed",
                          check.bound, reserved, DataLayer::max_bound_values));
  }
  if (check.errors.empty()) return ok();
  Error e = make_error(ErrorKind::invalid);
  e.fields = std::move(check.errors);
  return e;
}

Result<void> check_selection(const Table& table, Selection& selection, bool page) {
  // The keys of the total order; the cursor's condition compares the first key, then the
  // first two, ...: k(k+1)/2 values for k keys.
  const std::size_t keys = selection.order.size() + (sorts_by_key(table, selection.order) ? 0 : 1);
  OPTIMIST_TRYV(check_condition(table, selection.where, page ? keys * (keys + 1) / 2 : 0));
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < selection.order.size(); ++i) {
    const std::size_t column = selection.order[i].column;
    if (column >= table.columns.size()) {
      errors.push_back({fmt::format("column {}", column), FieldReason::unknown_attribute});
      continue;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (selection.order[j].column == column) {
        errors.push_back({table.columns[column].name, FieldReason::duplicate_name});
      }
    }
  }
  if (!errors.empty()) {
    Error e = make_error(ErrorKind::invalid, "the order is malformed");
    e.fields = std::move(errors);
    return e;
  }
  selection.order = total_order(table, std::move(selection.order));
  return ok();
}

}  // namespace optimist::detail
