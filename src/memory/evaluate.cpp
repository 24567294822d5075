// SPDX-License-Identifier: MIT
#include "memory/evaluate.hpp"

#include <algorithm>

namespace optimist::memory {

namespace {

// std::variant compares the alternative first, then the values: a column holds one type or
// NULL (std::monostate, the first alternative), so NULL sorts below every value; strings
// compare as std::char_traits<char> does, as unsigned char: by code point for UTF-8.
bool test(const Condition& c, const Value& v) {
  if (c.test == Compare::is_null) return std::holds_alternative<std::monostate>(v);
  if (std::holds_alternative<std::monostate>(v)) return false;
  switch (c.test) {
    case Compare::eq:
      return v == c.values[0];
    case Compare::ne:
      return v != c.values[0];
    case Compare::lt:
      return v < c.values[0];
    case Compare::le:
      return v <= c.values[0];
    case Compare::gt:
      return v > c.values[0];
    case Compare::ge:
      return v >= c.values[0];
    case Compare::in:
      return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
    case Compare::starts_with: {
      const auto* s = std::get_if<std::string>(&v);
      return s != nullptr && s->starts_with(std::get<std::string>(c.values[0]));
    }
    case Compare::is_null:
      break;
  }
  return false;
}

}  // namespace

bool matches(const Condition& c, const Row& row) {
  switch (c.kind) {
    case Condition::Kind::all:
      return true;
    case Condition::Kind::test:
      return test(c, row[c.column]);
    case Condition::Kind::all_of:
      return std::all_of(c.operands.begin(), c.operands.end(),
                         [&](const Condition& o) { return matches(o, row); });
    case Condition::Kind::any_of:
      return std::any_of(c.operands.begin(), c.operands.end(),
                         [&](const Condition& o) { return matches(o, row); });
    case Condition::Kind::none_of:
      return std::none_of(c.operands.begin(), c.operands.end(),
                          [&](const Condition& o) { return matches(o, row); });
  }
  return false;
}

bool RowOrder::operator()(const Row* a, const Row* b) const {
  for (const SortKey& k : order) {
    const Value& x = (*a)[k.column];
    const Value& y = (*b)[k.column];
    if (x == y) continue;
    return k.descending ? y < x : x < y;
  }
  return false;
}

}  // namespace optimist::memory
