// SPDX-License-Identifier: MIT
// The memory store's evaluation of selections: the semantics of Condition and Selection
// (optimist/selection.hpp) on rows in memory, the reference the SQL dialects must agree with.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "optimist/selection.hpp"

namespace optimist::memory {

/// True when `row` matches `c` (checked by DataLayer::select: values fit their columns).
[[nodiscard]] bool matches(const Condition& c, const Row& row);

/// The strict weak order of a selection's `order` on rows: NULL below every value, numbers as
/// numbers, text by code point (bytewise, as unsigned char).
struct RowOrder {
  const std::vector<SortKey>& order;
  bool operator()(const Row* a, const Row* b) const;
};

/// The rows of `rows` (pointers to rows) that `s` selects, in its order (already total):
/// one pass that keeps at most offset + limit candidates, and allocates only those.
template <class Rows>
std::vector<const Row*> select(const Rows& rows, const Selection& s) {
  std::vector<const Row*> kept;
  const std::size_t want =
      s.limit ? (*s.limit > SIZE_MAX - s.offset ? SIZE_MAX : s.offset + *s.limit) : SIZE_MAX;
  if (want == 0) return kept;
  const RowOrder less{s.order};
  kept.reserve(std::min(want, rows.size()));
  for (const auto& [key, row] : rows) {
    if (!matches(s.where, row)) continue;
    if (kept.size() < want) {
      kept.push_back(&row);
      std::push_heap(kept.begin(), kept.end(), less);
    } else if (less(&row, kept.front())) {
      std::pop_heap(kept.begin(), kept.end(), less);
      kept.back() = &row;
      std::push_heap(kept.begin(), kept.end(), less);
    }
  }
  std::sort_heap(kept.begin(), kept.end(), less);
  kept.erase(kept.begin(),
             kept.begin() + static_cast<std::ptrdiff_t>(std::min(s.offset, kept.size())));
  return kept;
}

}  // namespace optimist::memory
