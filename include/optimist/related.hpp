// SPDX-License-Identifier: MIT
// Related records without N+1: the children of many parents, or the parents of many
// children, read in one query and grouped by key (Resource<T>::children_of, parents_of).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "optimist/definition.hpp"
#include "optimist/detail/schema.hpp"
#include "optimist/query.hpp"

namespace optimist {

template <Defined T>
class Resource;

/// Records of T grouped by a key, a parent's primary key: what Resource<T>::children_of
/// (the children of each parent) and Resource<T>::parents_of (the parent of each child)
/// return. A value: it holds its records, and reading it does no I/O.
template <class T>
class Related {
 public:
  /// The records under `key`, in the order of the query that read them; empty when none.
  [[nodiscard]] std::span<const T> operator[](std::int64_t key) const {
    const auto it = groups_.find(key);
    if (it == groups_.end()) return {};
    return it->second;
  }
  /// The first record under `key` (for parents_of: the parent itself), or nullptr.
  [[nodiscard]] const T* find(std::int64_t key) const {
    const auto it = groups_.find(key);
    return it == groups_.end() ? nullptr : &it->second.front();
  }
  /// How many keys have a record.
  [[nodiscard]] std::size_t size() const noexcept { return groups_.size(); }
  /// True when no key has a record.
  [[nodiscard]] bool empty() const noexcept { return groups_.empty(); }

 private:
  template <Defined>
  friend class Resource;
  std::unordered_map<std::int64_t, std::vector<T>> groups_;
};

namespace detail {

/// The most keys one query of children_of or parents_of carries in its `in` list: well
/// inside DataLayer::max_bound_values, leaving room for the query's own filter.
inline constexpr std::size_t related_batch = 10'000;

/// The compile-time check of a reference M to a parent's primary key.
template <auto M>
constexpr void check_reference() {
  static_assert(std::is_same_v<inner_t<M>, std::int64_t>,
                "optimist: a reference to a parent is a std::int64_t attribute (or a "
                "std::optional of one) holding the parent's primary key");
}

/// The key `v` holds: itself, or the value inside an optional (none when empty).
constexpr std::optional<std::int64_t> held_key(std::int64_t v) {
  return v;
}
constexpr std::optional<std::int64_t> held_key(const std::optional<std::int64_t>& v) {
  return v;
}

/// The key of one element of children_of's parents: a key, or a record's primary key.
template <class P>
std::int64_t parent_key(const P& parent) {
  if constexpr (std::is_integral_v<P>) {
    static_assert(!std::is_same_v<P, bool>, "optimist: a key is an integer, not a bool");
    return static_cast<std::int64_t>(parent);
  } else {
    static_assert(Defined<P>,
                  "optimist: children_of<> takes records of the parent resource, or their keys");
    return parent.*(Schema<P>::key_member);
  }
}

/// The distinct keys of `range` as `key_of` gives them (an optional; empty ones skipped),
/// in the order they first appear.
template <class R, class F>
std::vector<std::int64_t> distinct_keys(const R& range, F key_of) {
  std::vector<std::int64_t> keys;
  std::unordered_set<std::int64_t> seen;
  for (const auto& element : range) {
    const std::optional<std::int64_t> key = key_of(element);
    if (key && seen.insert(*key).second) keys.push_back(*key);
  }
  return keys;
}

/// The refusal of a limit or an offset in children_of or parents_of: invalid.
[[nodiscard]] Error window_in_related(const Table& table, std::string_view action, bool offset);

}  // namespace detail

}  // namespace optimist
