// SPDX-License-Identifier: MIT
// Delta debugging (Zeller and Hildebrandt's ddmin, complements only): the shortest failing
// subsequence of a failing sequence, found by removing chunks, then single items.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace optimist::differential {

/// A subsequence of `items` (order kept) on which `fails` still returns true, such that
/// removing any single item of it makes `fails` return false (1-minimal). `fails(items)` must
/// be true on entry and deterministic; it is called with shorter and shorter candidates:
/// first without one of two halves, then without one of ever smaller chunks, down to single
/// items. When `fails` holds for the empty sequence, that is the answer.
template <class T, class Fails>
std::vector<T> shrink(std::vector<T> items, Fails&& fails) {
  if (items.empty()) return items;
  if (fails(std::vector<T>{})) return {};
  std::size_t chunks = 2;
  while (items.size() >= 2) {
    const std::size_t n = std::min(chunks, items.size());
    bool reduced = false;
    for (std::size_t i = 0; i < n && !reduced; ++i) {
      const std::size_t begin = items.size() * i / n;
      const std::size_t end = items.size() * (i + 1) / n;
      std::vector<T> rest;
      rest.reserve(items.size() - (end - begin));
      rest.insert(rest.end(), items.begin(), items.begin() + static_cast<std::ptrdiff_t>(begin));
      rest.insert(rest.end(), items.begin() + static_cast<std::ptrdiff_t>(end), items.end());
      if (fails(rest)) {
        items = std::move(rest);
        chunks = std::max<std::size_t>(n - 1, 2);
        reduced = true;
      }
    }
    if (reduced) continue;
    if (n == items.size()) break;  // no single item can go: 1-minimal
    chunks = std::min(n * 2, items.size());
  }
  return items;
}

}  // namespace optimist::differential
