// SPDX-License-Identifier: MIT
// Dynamic queries: a QueryInput checked against a read action's rules (see
// optimist/detail/query_rules.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "optimist/detail/pages.hpp"
#include "optimist/detail/query_rules.hpp"
#include "optimist/detail/schema.hpp"
#include "optimist/detail/values.hpp"

namespace optimist {

namespace {

constexpr std::array<std::string_view, 9> test_names = {"eq", "ne", "lt",      "le",         "gt",
                                                        "ge", "in", "is_null", "starts_with"};

}  // namespace

std::string_view to_string(Compare test) noexcept {
  const auto i = static_cast<std::size_t>(test);
  return i < test_names.size() ? test_names[i] : "?";
}

std::optional<Compare> test_named(std::string_view name) noexcept {
  for (std::size_t i = 0; i < test_names.size(); ++i) {
    if (test_names[i] == name) return static_cast<Compare>(i);
  }
  return std::nullopt;
}

namespace detail {

namespace {

// The column named `name`; none when the table has no such column.
std::optional<std::size_t> column_named(const Table& table, std::string_view name) {
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == name) return i;
  }
  return std::nullopt;
}

// `v`, which fits its column's attribute, as the column's storage type: an integer given to
// a floating-point attribute becomes a double.
Value stored(const Column& c, const Value& v) {
  if (c.type == ColumnType::real) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&v); d && *d == 0) return 0.0;  // not -0.0
  }
  return v;
}

}  // namespace

Result<Selection> parse_query(const Table& table, std::string_view action, const QueryRules& rules,
                              const QueryInput& input) {
  std::vector<FieldError> errors;
  Selection s;
  std::vector<Condition> tests;
  for (const FieldTest& t : input.where) {
    const auto column = column_named(table, t.name);
    if (!column) {
      errors.push_back({t.name, FieldReason::unknown_attribute});
      continue;
    }
    if (!rules.filterable[*column]) {
      errors.push_back({t.name, FieldReason::not_accepted});
      continue;
    }
    const Column& c = table.columns[*column];
    const bool count_fits = t.test == Compare::in        ? true
                            : t.test == Compare::is_null ? t.values.empty()
                                                         : t.values.size() == 1;
    if (!count_fits || (t.test == Compare::starts_with && c.type != ColumnType::text)) {
      errors.push_back({t.name, FieldReason::malformed});
      continue;
    }
    Condition test = Condition::of(t.test, *column);
    const std::size_t before = errors.size();
    for (const Value& v : t.values) {
      if (std::holds_alternative<std::monostate>(v)) {
        errors.push_back({t.name, FieldReason::wrong_type});  // NULL: use is_null
      } else if (const auto why = rules.checks[*column](v)) {
        errors.push_back({t.name, *why});
      } else if (const auto* text = std::get_if<std::string>(&v)) {
        check_text(t.name, *text, {}, errors);
      }
      if (errors.size() == before) test.values.push_back(stored(c, v));
    }
    if (errors.size() == before) tests.push_back(std::move(test));
  }
  for (std::size_t i = 0; i < input.order.size(); ++i) {
    const FieldOrder& o = input.order[i];
    const auto column = column_named(table, o.name);
    if (!column) {
      errors.push_back({o.name, FieldReason::unknown_attribute});
    } else if (!rules.sortable[*column]) {
      errors.push_back({o.name, FieldReason::not_accepted});
    } else if (std::any_of(input.order.begin(),
                           input.order.begin() + static_cast<std::ptrdiff_t>(i),
                           [&](const FieldOrder& p) { return p.name == o.name; })) {
      errors.push_back({o.name, FieldReason::duplicate_name});
    } else {
      s.order.push_back({*column, o.descending});
    }
  }
  if (input.limit) {
    if (*input.limit < 1 || static_cast<std::uint64_t>(*input.limit) > rules.max_limit) {
      errors.push_back({"limit", FieldReason::out_of_range});
    } else {
      s.limit = static_cast<std::size_t>(*input.limit);
    }
  } else {
    s.limit = std::min<std::size_t>(default_page_size, rules.max_limit);
  }
  if (!errors.empty()) {
    Error e = make_error(ErrorKind::invalid, "the query is refused");
    e.resource = table.resource;
    e.action = std::string(action);
    e.fields = std::move(errors);
    return e;
  }
  if (tests.size() == 1) {
    s.where = std::move(tests.front());
  } else if (!tests.empty()) {
    s.where = Condition::joined(Condition::Kind::all_of, std::move(tests));
  }
  return s;
}

}  // namespace detail

}  // namespace optimist
