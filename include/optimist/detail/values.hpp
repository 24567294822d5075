// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "optimist/definition.hpp"
#include "optimist/table.hpp"

namespace optimist::detail {

/// Appends the errors of text `s` for attribute `field`: embedded NUL, invalid UTF-8,
/// required but empty, more than `max_length` code points.
void check_text(std::string_view field, std::string_view s, const Constraints& c,
                std::vector<FieldError>& out);

/// The error a column of unexpected type or range produces when read back, as one pointer:
/// the callers' stack frames, which every get runs through, then hold no Error.
[[nodiscard]] ErrorBox column_type_error(const Table& table, std::size_t column);

template <class V>
constexpr ColumnType column_type() {
  using S = typename std::conditional_t<IsOptional<V>::value, V, std::optional<V>>::value_type;
  if constexpr (std::is_same_v<S, bool>) {
    return ColumnType::boolean;
  } else if constexpr (std::is_integral_v<S>) {
    return ColumnType::integer;
  } else if constexpr (std::is_floating_point_v<S>) {
    return ColumnType::real;
  } else {
    return ColumnType::text;
  }
}

template <class V>
Value to_value(const V& v) {
  if constexpr (IsOptional<V>::value) {
    return v ? to_value(*v) : Value{};
  } else if constexpr (std::is_same_v<V, bool>) {
    return Value{v};
  } else if constexpr (std::is_integral_v<V>) {
    return Value{static_cast<std::int64_t>(v)};
  } else if constexpr (std::is_floating_point_v<V>) {
    // -0.0 is stored as 0.0 on every store: SQLite keeps no sign on a zero.
    return Value{v == 0 ? 0.0 : static_cast<double>(v)};
  } else {
    return Value{v};
  }
}

/// Moves `value` into `out`; false when its type or range does not fit V.
template <class V>
bool from_value(Value&& value, V& out) {
  if constexpr (IsOptional<V>::value) {
    if (std::holds_alternative<std::monostate>(value)) {
      out.reset();
      return true;
    }
    typename V::value_type inner{};
    if (!from_value(std::move(value), inner)) return false;
    out = std::move(inner);
    return true;
  } else if constexpr (std::is_same_v<V, bool>) {
    if (auto* b = std::get_if<bool>(&value)) return out = *b, true;
    if (auto* i = std::get_if<std::int64_t>(&value)) {  // SQL engines may store 0/1
      if (*i != 0 && *i != 1) return false;
      return out = (*i == 1), true;
    }
    return false;
  } else if constexpr (std::is_integral_v<V>) {
    auto* i = std::get_if<std::int64_t>(&value);
    if (!i || !std::in_range<V>(*i)) return false;
    return out = static_cast<V>(*i), true;
  } else if constexpr (std::is_floating_point_v<V>) {
    if (auto* d = std::get_if<double>(&value)) return out = static_cast<V>(*d), true;
    if (auto* i = std::get_if<std::int64_t>(&value)) return out = static_cast<V>(*i), true;
    return false;
  } else {
    auto* s = std::get_if<std::string>(&value);
    if (!s) return false;
    return out = std::move(*s), true;
  }
}

/// Why `value` cannot become a V under the conversion rules of dynamic input (see
/// optimist/input.hpp): wrong_type or out_of_range; nothing when from_value() may take it.
template <class V>
std::optional<FieldReason> input_mismatch(const Value& value) {
  if constexpr (IsOptional<V>::value) {
    if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
    return input_mismatch<typename V::value_type>(value);
  } else if constexpr (std::is_same_v<V, bool>) {
    if (std::holds_alternative<bool>(value)) return std::nullopt;
  } else if constexpr (std::is_integral_v<V>) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      if (std::in_range<V>(*i)) return std::nullopt;
      return FieldReason::out_of_range;
    }
  } else if constexpr (std::is_floating_point_v<V>) {
    if (const auto* d = std::get_if<double>(&value)) {
      if constexpr (sizeof(V) < sizeof(double)) {
        if (std::isfinite(*d) && std::fabs(*d) > std::numeric_limits<V>::max()) {
          return FieldReason::out_of_range;
        }
      }
      return std::nullopt;
    }
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      // Exact when the integer survives the round trip; 2^63 itself is not an int64.
      const V v = static_cast<V>(*i);
      if (v < static_cast<V>(1ULL << 63) && static_cast<std::int64_t>(v) == *i) return std::nullopt;
      return FieldReason::out_of_range;
    }
  } else {
    if (std::holds_alternative<std::string>(value)) return std::nullopt;
  }
  return FieldReason::wrong_type;
}

/// Appends the constraint errors of `value` for attribute `a`: those of check_text, a
/// missing required optional, a floating-point number that is not finite.
template <class A, class V>
void check_value(const A& a, const V& value, std::vector<FieldError>& out) {
  if constexpr (IsOptional<V>::value) {
    if (!value) {
      if (a.constraints.required) out.push_back({std::string(a.name), FieldReason::required});
      return;
    }
    check_value(a, *value, out);
  } else if constexpr (std::is_same_v<V, std::string>) {
    check_text(a.name, value, a.constraints, out);
  } else if constexpr (std::is_floating_point_v<V>) {
    // SQLite stores NaN as NULL; infinities would let sums escape the overflow check.
    if (!finite(static_cast<double>(value))) {
      out.push_back({std::string(a.name), FieldReason::out_of_range});
    }
  }
}

}  // namespace optimist::detail
