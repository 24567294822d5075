// SPDX-License-Identifier: MIT
// Moving values between rows and a cached statement's slots, and the column sets that key the
// statement cache. Inline: every call of the data layer runs through them.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "sql/connection.hpp"

namespace optimist::sql {

/// Statement cache keys hold column sets as 64-bit masks: a SQL store's table has at most
/// this many columns.
inline constexpr std::size_t max_columns = 64;

// Puts `v` into `s`; false when the value does not fit the slot's column.
inline bool set_slot(Slot& s, const Value& v) {
  const ColumnType t = s.type;
  s.indicator = soci::i_ok;
  switch (v.index()) {
    case 0:
      s.indicator = soci::i_null;
      return true;
    case 1: {
      const auto i = std::get<std::int64_t>(v);
      if (t == ColumnType::real) return s.real = static_cast<double>(i), true;
      if (t == ColumnType::integer) return s.set_integer(i), true;
      return false;
    }
    case 2:
      if (t != ColumnType::real) return false;
      return s.real = std::get<double>(v), true;
    case 3:
      if (t != ColumnType::boolean) return false;
      return s.set_integer(std::get<bool>(v) ? 1 : 0), true;
    case 4:
      if (t != ColumnType::text) return false;
      s.text = std::get<std::string>(v);
      return true;
  }
  return false;
}

// The fetched row, each value made in place in the row from its slot.
inline Row read_row(std::vector<Slot>& out) {
  Row row;
  row.reserve(out.size());
  for (Slot& s : out) {
    if (s.indicator == soci::i_null) {
      row.emplace_back();
      continue;
    }
    switch (s.type) {
      case ColumnType::integer:
        row.emplace_back(std::in_place_type<std::int64_t>, s.integer);
        break;
      case ColumnType::boolean:
        row.emplace_back(std::in_place_type<bool>, s.integer != 0);
        break;
      case ColumnType::real:
        row.emplace_back(std::in_place_type<double>, s.real);
        break;
      case ColumnType::text:
        row.emplace_back(std::in_place_type<std::string>, std::move(s.text));
        break;
    }
  }
  return row;
}

// The bit set of the changed columns in `mask`; false (and `bad` the culprit) when one is out
// of range, the key, the version, or given twice.
template <class Change>
bool column_mask(const Table& t, std::span<const Change> changes, std::uint64_t& mask,
                 std::size_t& bad) {
  mask = 0;
  for (const Change& c : changes) {
    const std::uint64_t bit = std::uint64_t{1} << (c.column % max_columns);
    if (c.column >= t.columns.size() || c.column >= max_columns || c.column == t.primary_key ||
        c.column == t.version || (mask & bit) != 0) {
      bad = c.column;
      return false;
    }
    mask |= bit;
  }
  return true;
}

inline std::vector<std::size_t> columns_of(std::uint64_t mask) {
  std::vector<std::size_t> out;
  while (mask != 0) {
    out.push_back(static_cast<std::size_t>(std::countr_zero(mask)));
    mask &= mask - 1;
  }
  return out;
}

// The position of column `c` among the columns of `mask` (ascending).
inline std::size_t rank(std::uint64_t mask, std::size_t c) {
  return static_cast<std::size_t>(std::popcount(mask & ((std::uint64_t{1} << c) - 1)));
}

}  // namespace optimist::sql
